//! `cargo run -p lab5 [-- FLAGS]`: the Lab 5 demo on your code (`-- --help` lists the flags).
fn main() {
    kit::demo::main(lab5::demo::run);
}
