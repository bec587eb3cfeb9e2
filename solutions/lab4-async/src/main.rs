fn main() {
    lab4_solution::demo::run(&std::env::args().skip(1).collect::<Vec<_>>());
}
