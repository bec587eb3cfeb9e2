fn main() {
    lab3_solution::demo::run(&std::env::args().skip(1).collect::<Vec<_>>());
}
