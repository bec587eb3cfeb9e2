//! `cargo run -p lab4 [-- --quick | --full] [--trace FILE]`: the Lab 4 demo on your code.
fn main() {
    lab4::demo::run(&std::env::args().skip(1).collect::<Vec<_>>());
}
