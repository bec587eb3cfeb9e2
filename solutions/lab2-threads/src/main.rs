//! `cargo run -p lab2-solution [-- --quick] [-- --race-trials N]`: the Lab 2 demo on the
//! reference solution.
fn main() {
    lab2_solution::demo::run(&std::env::args().skip(1).collect::<Vec<_>>());
}
