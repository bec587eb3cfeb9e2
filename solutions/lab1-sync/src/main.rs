//! `cargo run -p lab1-solution [-- --quick]`: the Lab 1 demo on the reference solution.
fn main() {
    lab1_solution::demo::run(&std::env::args().skip(1).collect::<Vec<_>>());
}
