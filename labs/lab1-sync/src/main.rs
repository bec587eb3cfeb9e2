//! `cargo run -p lab1 [-- FLAGS]`: the Lab 1 demo on your code (`-- --help` lists the flags).
fn main() {
    kit::demo::main(lab1::demo::run);
}
