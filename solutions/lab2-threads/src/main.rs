//! `cargo run -p lab2-solution [-- FLAGS]`: the Lab 2 demo on the reference solution
//! (`-- --help` lists the flags).
fn main() {
    kit::demo::main(lab2_solution::demo::run);
}
