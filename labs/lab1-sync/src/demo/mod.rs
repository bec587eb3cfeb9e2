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
use kit::{say, tr};
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
    const SECTIONS_RU: &'static str = "1.1 или 1.2 (один раздел), 1.3, 1.4, 1.5";
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

    demo.section(&tr!(en: "The slow server", ru: "Медленный сервер"));
    let Some(server) = kit::demo::slow_server(sizes.latency, sizes.downloads) else {
        return;
    };
    let (addr, resources, ms) = (server.addr(), server.resources(), sizes.latency.as_millis());
    say!(
        en: "  A real HTTP server on {addr} answers each of its {resources} resources after {ms} ms.",
        ru: "  Настоящий HTTP-сервер на {addr} отвечает на каждый из своих ресурсов ({resources}) через {ms} ms."
    );

    // Every task runs with a deadline: a task that loops forever costs its own section only.
    if show(&["1.3"]) {
        demo.section(&tr!(
            en: "Task 1.3: two CPU-bound workloads",
            ru: "Задание 1.3: две нагрузки, ограниченные процессором"
        ));
        let work = move || (fib(sizes.fib_n), count_primes(sizes.primes_below));
        if let Some((f, p)) = demo.task_within("1.3", sizes.deadline, work) {
            println!("  fib({}) = {f}", sizes.fib_n);
            println!("  count_primes({}) = {p}", sizes.primes_below);
        }
    }

    if show(&["1.4"]) {
        demo.section(&tr!(
            en: "Task 1.4: downloads, one after another",
            ru: "Задание 1.4: загрузки одна за другой"
        ));
        let urls = server.urls();
        let download = move || kit::clock::time(|| download_all(&urls));
        if let Some((results, t)) = demo.task_within("1.4", sizes.deadline, download) {
            let n = results.len();
            let ok = results.iter().filter(|r| r.is_ok()).count();
            let (wall, ms) = (human(t.wall), sizes.latency.as_millis());
            let total = human(sizes.latency * n as u32);
            say!(
                en: "  {ok} of {n} downloads succeeded in {wall}; N × latency = {n} × {ms} ms = {total}.",
                ru: "  Успешных загрузок: {ok} из {n}, за {wall}; N × задержка = {n} × {ms} ms = {total}."
            );
            let most = server.max_in_flight();
            say!(
                en: "  The server handled at most {most} request(s) at a time: each download waited for the previous one.",
                ru: "  Одновременных запросов на сервере было не больше {most}: каждая загрузка ждала предыдущую."
            );
        }
    }

    if show(&["1.1", "1.2"]) {
        demo.section(&tr!(
            en: "Tasks 1.1 and 1.2: measure, then classify",
            ru: "Задания 1.1 и 1.2: измерить, затем классифицировать"
        ));
        let nap = || measure(|| std::thread::sleep(Duration::from_millis(50)));
        if let Some(((), m)) = demo.task_within("1.1", sizes.deadline, nap) {
            let (wall, cpu) = (human(m.wall), human(m.cpu));
            say!(
                en: "  sleeping 50 ms measured: wall {wall}, CPU {cpu}",
                ru: "  сон на 50 ms, измерено: астрономическое {wall}, процессорное {cpu}"
            );
            if let Some(v) = demo.task_within("1.2", sizes.deadline, move || classify(&m)) {
                let v = verdict(v);
                say!(
                    en: "  → {v}: a sleeping thread waits, it does not compute.",
                    ru: "  → {v}: спящий поток ждёт, а не вычисляет."
                );
            }
        }
    }

    let mut rows = None;
    if show(&["1.5"]) {
        demo.section(&tr!(
            en: "Task 1.5: the report",
            ru: "Задание 1.5: отчёт"
        ));
        server.reset_counts();
        let config = ReportConfig {
            fib_n: sizes.fib_n,
            primes_below: sizes.primes_below,
            urls: server.urls(),
        };
        rows = demo.task_within("1.5", sizes.deadline * 3, move || report(&config));
        if let Some(rows) = &rows {
            let mut table = Table::headed([
                ("workload", "нагрузка"),
                ("value", "значение"),
                ("wall", "астр."),
                ("CPU", "ЦП"),
                ("CPU/wall", "ЦП/астр."),
                ("verdict", "вердикт"),
            ]);
            for r in rows {
                table.row([
                    workload(&r.workload),
                    r.value.to_string(),
                    human(r.measurement.wall),
                    human(r.measurement.cpu),
                    format!("{:.2}", ratio(r)),
                    verdict(r.verdict),
                ]);
            }
            print!("{table}");
            say!(
                en: "  CPU-bound work keeps the thread busy (CPU ≈ wall); IO-bound work waits (CPU ≪ wall).\n  Both are sequential here: the next labs overlap the waits and split the work.",
                ru: "  Работа, ограниченная процессором, занимает поток (ЦП ≈ астр.); ограниченная вводом-выводом ждёт (ЦП ≪ астр.).\n  Здесь обе последовательны: следующие лабораторные совмещают ожидания и делят работу."
            );
        }
    }

    if flags.everything() {
        demo.section(&tr!(
            en: "Python, the same experiment",
            ru: "Python: тот же эксперимент"
        ));
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

fn verdict(v: Workload) -> String {
    match v {
        Workload::CpuBound => tr!(en: "CPU-bound", ru: "ограничена процессором"),
        Workload::IoBound => tr!(en: "IO-bound", ru: "ограничена вводом-выводом"),
    }
}

/// A workload's name as the report and Python give it (`download 3 resources`), for the
/// reader: in Russian, the download's name is translated.
fn workload(name: &str) -> String {
    let resources = name
        .strip_prefix("download ")
        .and_then(|rest| rest.strip_suffix(" resources"));
    match resources {
        Some(n) => tr!(en: "{name}", ru: "загрузка ресурсов: {n}"),
        None => name.to_owned(),
    }
}

/// Prints Python's rows (lines `workload<TAB>wall_s<TAB>cpu_s`) beside Rust's.
fn side_by_side(python_out: &str, rust: Option<&[Row]>) {
    let mut table = Table::headed([
        ("workload", "нагрузка"),
        ("Python wall", "Python астр."),
        ("Python CPU", "Python ЦП"),
        ("Rust wall", "Rust астр."),
        ("Python / Rust", "Python / Rust"),
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
        table.row([workload(name), human(wall), human(cpu), rust_wall, times]);
    }
    print!("{table}");
    say!(
        en: "  Same algorithms, same server: Python computes far slower, but waits exactly as long.",
        ru: "  Те же алгоритмы, тот же сервер: Python считает гораздо медленнее, но ждёт ровно столько же."
    );
}
