//! `cargo run -p lab3-solution [-- --quick | --only 3.K | --scenario NAME ...]`: the Lab 3 demo on the reference solution.
fn main() {
    lab3_solution::demo::run(&std::env::args().skip(1).collect::<Vec<_>>());
}
