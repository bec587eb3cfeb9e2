//! `cargo run -p lab5-solution [-- FLAGS]`: the Lab 5 demo on the reference solution
//! (`-- --help` lists the flags).
fn main() {
    kit::demo::main(lab5_solution::demo::run);
}
