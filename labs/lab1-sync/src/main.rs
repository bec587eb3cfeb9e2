//! `cargo run -p lab1 [-- --quick]`: the Lab 1 demo on your code.
fn main() {
    lab1::demo::run(&std::env::args().skip(1).collect::<Vec<_>>());
}
