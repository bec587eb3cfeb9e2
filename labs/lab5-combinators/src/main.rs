fn main() {
    lab5::demo::run(&std::env::args().skip(1).collect::<Vec<_>>());
}
