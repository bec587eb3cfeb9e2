//! The Lab 1 demo (not a student file): runs your tasks on real workloads and prints what
//! they measure, then the course's Python version of the same experiment beside it.
//!
//! `cargo run -p lab1` runs it on your code, `cargo run -p lab1-solution` on the reference.
//! `--quick` uses smaller workloads and `--only 1.4` shows one task (the checker uses both). Unfinished tasks are skipped with a
//! note that says where to write them.

use crate::download::download_all;
use crate::measure::{Workload, classify, measure};
use crate::report::{ReportConfig, Row, report};
use crate::workloads::{count_primes, fib};
use kit::clock::human;
use kit::demo::{Demo, Flags, LabFlags, clap, python_timings};
use kit::python::{self, PythonRun};
use kit::table::Table;
use std::time::Duration;

/// The course's sequential Python example, embedded so every build runs the same file.
const PYTHON: &str = include_str!("../../python/sequential.py");

/// Sizes of one demo run.
#[derive(Clone, Copy)]
struct Sizes {
    fib_n: u32,
    primes_below: u64,
    downloads: usize,
    latency: Duration,
    /// How long any one task may take before the demo gives up on it and goes on.
    deadline: Duration,
}

/// Lab 1's demo has no flags of its own: `--quick` and `--only` are every demo's.
#[derive(Debug, Clone, clap::Args)]
pub struct Lab1Flags {}

impl LabFlags for Lab1Flags {
    const LAB: &'static str = "lab1";
    const SECTIONS: &'static str = "1.1 or 1.2 (one section), 1.3, 1.4, 1.5";
}

/// Runs the demo: `--quick` for small sizes, `--only 1.4` for one task's section.
pub fn run(flags: Flags<Lab1Flags>) {
    let show = |tasks: &[&str]| flags.wants_any(tasks);
    let sizes = if flags.quick {
        Sizes {
            fib_n: 27,
            primes_below: 100_000,
            downloads: 3,
            latency: Duration::from_millis(50),
            deadline: Duration::from_secs(5),
        }
    } else {
        Sizes {
            fib_n: 30,
            primes_below: 300_000,
            downloads: 10,
            latency: Duration::from_millis(100),
            deadline: Duration::from_secs(60),
        }
    };
    let mut demo = Demo::start("lab1");

    demo.section("The slow server");
    let Some(server) = kit::demo::slow_server(sizes.latency, sizes.downloads) else {
        return;
    };
    println!(
        "  A real HTTP server on {} answers each of its {} resources after {} ms.",
        server.addr(),
        server.resources(),
        sizes.latency.as_millis()
    );

    // Every task runs with a deadline: a task that loops forever costs its own section only.
    if show(&["1.3"]) {
        demo.section("Task 1.3: two CPU-bound workloads");
        let work = move || (fib(sizes.fib_n), count_primes(sizes.primes_below));
        if let Some((f, p)) = demo.task_within("1.3", sizes.deadline, work) {
            println!("  fib({}) = {f}", sizes.fib_n);
            println!("  count_primes({}) = {p}", sizes.primes_below);
        }
    }

    if show(&["1.4"]) {
        demo.section("Task 1.4: downloads, one after another");
        let urls = server.urls();
        let download = move || kit::clock::time(|| download_all(&urls));
        if let Some((results, t)) = demo.task_within("1.4", sizes.deadline, download) {
            let n = results.len();
            let ok = results.iter().filter(|r| r.is_ok()).count();
            println!(
                "  {ok} of {n} downloads succeeded in {}; N × latency = {n} × {} ms = {}.",
                human(t.wall),
                sizes.latency.as_millis(),
                human(sizes.latency * n as u32)
            );
            println!(
                "  The server handled at most {} request(s) at a time: each download waited for the previous one.",
                server.max_in_flight()
            );
        }
    }

    if show(&["1.1", "1.2"]) {
        demo.section("Tasks 1.1 and 1.2: measure, then classify");
        let nap = || measure(|| std::thread::sleep(Duration::from_millis(50)));
        if let Some(((), m)) = demo.task_within("1.1", sizes.deadline, nap) {
            println!(
                "  sleeping 50 ms measured: wall {}, CPU {}",
                human(m.wall),
                human(m.cpu)
            );
            if let Some(v) = demo.task_within("1.2", sizes.deadline, move || classify(&m)) {
                println!(
                    "  → {}: a sleeping thread waits, it does not compute.",
                    verdict(v)
                );
            }
        }
    }

    let mut rows = None;
    if show(&["1.5"]) {
        demo.section("Task 1.5: the report");
        server.reset_counts();
        let config = ReportConfig {
            fib_n: sizes.fib_n,
            primes_below: sizes.primes_below,
            urls: server.urls(),
        };
        rows = demo.task_within("1.5", sizes.deadline * 3, move || report(&config));
        if let Some(rows) = &rows {
            let mut table = Table::new(["workload", "value", "wall", "CPU", "CPU/wall", "verdict"]);
            for r in rows {
                table.row([
                    r.workload.clone(),
                    r.value.to_string(),
                    human(r.measurement.wall),
                    human(r.measurement.cpu),
                    format!("{:.2}", ratio(r)),
                    verdict(r.verdict).to_owned(),
                ]);
            }
            print!("{table}");
            println!(
                "  CPU-bound work keeps the thread busy (CPU ≈ wall); IO-bound work waits (CPU ≪ wall)."
            );
            println!(
                "  Both are sequential here: the next labs overlap the waits and split the work."
            );
        }
    }

    if flags.everything() {
        demo.section("Python, the same experiment");
        let mut py_args = vec![sizes.fib_n.to_string(), sizes.primes_below.to_string()];
        py_args.extend(server.urls());
        let py_args: Vec<&str> = py_args.iter().map(String::as_str).collect();
        match python::run("sequential.py", PYTHON, &py_args, Duration::from_secs(120)) {
            PythonRun::Skipped(why) => println!("  {why}."),
            PythonRun::Ran(out) => side_by_side(&out, rows.as_deref()),
        }
        demo.finish();
    }
}

fn ratio(r: &Row) -> f64 {
    let wall = r.measurement.wall.as_secs_f64();
    if wall == 0.0 {
        0.0
    } else {
        r.measurement.cpu.as_secs_f64() / wall
    }
}

fn verdict(v: Workload) -> &'static str {
    match v {
        Workload::CpuBound => "CPU-bound",
        Workload::IoBound => "IO-bound",
    }
}

/// Prints Python's rows (lines `workload<TAB>wall_s<TAB>cpu_s`) beside Rust's.
fn side_by_side(python_out: &str, rust: Option<&[Row]>) {
    let mut table = Table::new([
        "workload",
        "Python wall",
        "Python CPU",
        "Rust wall",
        "Python / Rust",
    ]);
    for (name, wall, cpu) in python_timings(python_out) {
        let rust_row = rust.and_then(|rows| rows.iter().find(|r| r.workload == name));
        let (rust_wall, times) = match rust_row {
            Some(r) => {
                let rw = r.measurement.wall.as_secs_f64();
                (
                    human(r.measurement.wall),
                    if rw > 0.0 {
                        format!("{:.1}×", wall.as_secs_f64() / rw)
                    } else {
                        "—".into()
                    },
                )
            }
            None => ("—".into(), "—".into()),
        };
        table.row([name.to_owned(), human(wall), human(cpu), rust_wall, times]);
    }
    print!("{table}");
    println!(
        "  Same algorithms, same server: Python computes far slower, but waits exactly as long."
    );
}
