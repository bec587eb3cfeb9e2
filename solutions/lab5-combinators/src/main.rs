//! `cargo run -p lab5-solution [-- --quick] [-- --only 5.3]`: the Lab 5 demo on the reference solution.
fn main() {
    lab5_solution::demo::run(&std::env::args().skip(1).collect::<Vec<_>>());
}
