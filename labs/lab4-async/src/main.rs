//! `cargo run -p lab4 [-- FLAGS]`: the Lab 4 demo on your code (`-- --help` lists the flags).
fn main() {
    kit::demo::main(lab4::demo::run);
}
