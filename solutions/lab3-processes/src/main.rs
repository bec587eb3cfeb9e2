//! `cargo run -p lab3-solution [-- FLAGS]`: the Lab 3 demo on the reference solution
//! (`-- --help` lists the flags).
fn main() {
    kit::demo::main(lab3_solution::demo::run);
}
