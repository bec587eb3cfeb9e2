//! `cargo run -p lab2 [-- FLAGS]`: the Lab 2 demo on your code (`-- --help` lists the flags).
fn main() {
    kit::demo::main(lab2::demo::run);
}
