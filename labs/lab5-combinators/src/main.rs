//! `cargo run -p lab5 [-- --quick] [-- --only 5.3|SCENARIO] [-- --trace DIR]`: the Lab 5 demo
//! on your code.
fn main() {
    lab5::demo::run(&std::env::args().skip(1).collect::<Vec<_>>());
}
