//! `cargo run -p lab4-solution [-- FLAGS]`: the Lab 4 demo on the reference solution
//! (`-- --help` lists the flags).
fn main() {
    kit::demo::main(lab4_solution::demo::run);
}
