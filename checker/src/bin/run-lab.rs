//! `run-lab LAB [ARGS...]`: runs a lab's demo in a fresh process, or, with
//! `run-lab lab3 --scenario NAME [OPTIONS]`, one of the scenarios of [`checker::scenarios`].
//!
//! The checks use it instead of `cargo run -p labN`: it is built with the checker, for the
//! same target (labs/ or solutions/), and a fresh process is what Lab 3 needs to fork
//! safely (a process with one thread: the test harness has many).

fn main() {
    let mut args = std::env::args().skip(1);
    let lab = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    match lab.as_str() {
        "--variant" => println!("{}", checker::variant()),
        #[cfg(feature = "lab1")]
        "lab1" => checker::lab1::demo::run(kit::demo::parse(rest)),
        #[cfg(feature = "lab2")]
        "lab2" => checker::lab2::demo::run(kit::demo::parse(rest)),
        #[cfg(feature = "lab3")]
        "lab3" if rest.first().is_some_and(|a| a == "--scenario") => {
            checker::scenarios::lab3::run(&rest[1..])
        }
        #[cfg(feature = "lab3")]
        "lab3" => checker::lab3::demo::run(kit::demo::parse(rest)),
        #[cfg(feature = "lab4")]
        "lab4" => checker::lab4::demo::run(kit::demo::parse(rest)),
        #[cfg(feature = "lab5")]
        "lab5" => checker::lab5::demo::run(kit::demo::parse(rest)),
        other => {
            eprintln!(
                "{}",
                model::tr!(
                    en: "run-lab: this build has no lab {other:?}. Usage: run-lab labN [demo arguments]",
                    ru: "run-lab: в этой сборке нет лабораторной {other:?}. Использование: run-lab labN \
                         [аргументы демонстрации]"
                )
            );
            std::process::exit(2);
        }
    }
}
