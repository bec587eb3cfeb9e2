//! `cargo run -p lab4-solution [-- --quick | --full] [--trace FILE]`: the Lab 4 demo on the reference solution.
fn main() {
    lab4_solution::demo::run(&std::env::args().skip(1).collect::<Vec<_>>());
}
