//! `cargo run -p lab3 [-- FLAGS]`: the Lab 3 demo on your code (`-- --help` lists the flags).
fn main() {
    kit::demo::main(lab3::demo::run);
}
