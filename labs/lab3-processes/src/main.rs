//! `cargo run -p lab3 [-- --quick | --only 3.K | --scenario NAME ...]`: the Lab 3 demo on your code.
fn main() {
    lab3::demo::run(&std::env::args().skip(1).collect::<Vec<_>>());
}
