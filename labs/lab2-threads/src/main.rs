//! `cargo run -p lab2 [-- --quick] [-- --race-trials N]`: the Lab 2 demo on your code.
fn main() {
    lab2::demo::run(&std::env::args().skip(1).collect::<Vec<_>>());
}
