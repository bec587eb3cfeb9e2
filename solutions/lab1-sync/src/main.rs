//! `cargo run -p lab1-solution [-- FLAGS]`: the Lab 1 demo on the reference solution
//! (`-- --help` lists the flags).
fn main() {
    kit::demo::main(lab1_solution::demo::run);
}
