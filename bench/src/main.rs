//! `bench`: the measurements behind the course's performance claims.
//!
//! ```text
//! cargo run -p bench --release -- report [--out DIR] [--tools|--tools-warm] [--ci] [--micro]
//!                                        [--book] [--previous FILE] [--quick]
//! cargo bench -p bench                   the divan micro benchmarks (benches/)
//! ```
//!
//! `report` runs every macro experiment (CPU speedup on threads and processes, the GIL
//! model, 100 downloads four ways, 10,000 sleeping tasks, the costs of Lab 3, Lab 2's race),
//! each in a fresh child process (`bench exp NAME ...`, see [`experiments`]), with the same
//! experiment in Python 3 beside it, and prints one table: measured value, Python's, the
//! physical limit, the target (the course's quality bars), the ratio to the
//! target and pass/miss. It writes `DIR/benchmarks.md` and `DIR/benchmarks.json` (default
//! `target/bench-report`).
//!
//! - `--tools`: also time the course's tools (a cold build: minutes); `--tools-warm`: all
//!   but the cold build.
//! - `--ci`: also time CI's whole run (`CI=true bash .ci/run`) on a fresh clone of the
//!   committed HEAD (half an hour).
//! - `--micro`: also run `cargo bench -p bench` and include its tables.
//! - `--book` (with `--tools --micro` only: the book quotes the whole report): also write
//!   the book's page `docs/src/benchmarks.md` and `bench/results/benchmarks.json` (the
//!   committed copies), then every page's figures from them and the Russian catalogue.
//! - `--previous FILE`: a JSON report of an earlier run: adds its figures and the change,
//!   to show how stable the figures are from run to run.
//! - `--quick`: small sizes, for trying the command; the figures are then rough.
//!
//! Nothing a student runs depends on this package (it is not a default member).

mod experiments;
mod machine;
mod python;
mod report;
mod rows;
mod tools;

use machine::Machine;
use report::Row;
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("exp") if args.len() >= 2 => exp(&args[1], &args[2..]),
        Some("report") => match Options::parse(&args[1..]) {
            Ok(options) => report(&options),
            Err(e) => {
                eprintln!("bench report: {e}\n{USAGE}");
                2
            }
        },
        _ => {
            eprintln!("{USAGE}");
            2
        }
    };
    std::process::exit(code);
}

const USAGE: &str = "usage: cargo run -p bench --release -- report [--out DIR] [--tools|--tools-warm] [--ci] [--micro] [--book] [--previous FILE] [--quick]
       cargo bench -p bench";

/// `bench exp NAME key=value...`: one experiment, its JSON on stdout (used by `report`).
fn exp(name: &str, words: &[String]) -> i32 {
    let result = experiments::Args::parse(words).and_then(|args| experiments::run(name, &args));
    match result {
        Ok(value) => {
            println!("{value}");
            0
        }
        Err(e) => {
            eprintln!("experiment {name}: {e}");
            1
        }
    }
}

#[derive(Debug, Default)]
struct Options {
    out: Option<PathBuf>,
    tools: bool,
    cold_build: bool,
    ci: bool,
    micro: bool,
    book: bool,
    previous: Option<PathBuf>,
    quick: bool,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let mut o = Options::default();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--out" => o.out = Some(it.next().ok_or("--out needs a folder")?.into()),
                "--previous" => {
                    o.previous = Some(it.next().ok_or("--previous needs a file")?.into())
                }
                "--tools" => {
                    o.tools = true;
                    o.cold_build = true;
                }
                "--tools-warm" => o.tools = true,
                "--ci" => o.ci = true,
                "--micro" => o.micro = true,
                "--book" => o.book = true,
                "--quick" => o.quick = true,
                other => return Err(format!("unknown option {other:?}")),
            }
        }
        // The book quotes every figure of the whole report: a part of one, or rough
        // figures, would leave pages citing numbers no run measured.
        if o.book && (o.quick || !o.cold_build || !o.micro) {
            return Err(
                "--book rewrites the book's measured figures: it needs the whole report, \
                 `--tools --micro --book`, without --quick"
                    .into(),
            );
        }
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::Options;

    fn parse(args: &str) -> Result<Options, String> {
        Options::parse(
            &args
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn the_book_is_written_from_the_whole_report_only() {
        assert!(parse("--tools --micro --book").is_ok_and(|o| o.book && o.cold_build));
        for partial in [
            "--book",
            "--micro --book",
            "--tools-warm --micro --book",
            "--tools --book",
            "--tools --micro --book --quick",
        ] {
            let e = parse(partial).err().unwrap_or_default();
            assert!(e.contains("--tools --micro --book"), "{partial}: {e:?}");
        }
        assert!(parse("--quick").is_ok());
    }
}

/// Sizes of the experiments. The Rust CPU workload is ~40× the Python one: CPython runs
/// trial division about 40–60× slower, and both sides should take about a second.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    cpu_len: u64,
    cpu_blocks: u64,
    py_cpu_len: u64,
    py_cpu_blocks: u64,
    reps: usize,
    py_reps: usize,
    downloads: usize,
    latency_ms: u64,
    sleepers: usize,
    sleep_ms: u64,
    cost_rounds: u32,
    pipe_mib: usize,
    py_cost_rounds: u32,
    py_pipe_mib: usize,
    race_trials: usize,
    race_per_thread: u64,
}

impl Sizes {
    fn new(quick: bool) -> Sizes {
        let full = Sizes {
            cpu_len: 40_000,
            cpu_blocks: 16,
            py_cpu_len: 1_000,
            py_cpu_blocks: 8,
            reps: 5,
            py_reps: 3,
            downloads: 100,
            latency_ms: 100,
            sleepers: 10_000,
            sleep_ms: 1_000,
            cost_rounds: 1_800,
            pipe_mib: 1_024,
            py_cost_rounds: 900,
            py_pipe_mib: 512,
            race_trials: 50,
            race_per_thread: 100_000,
        };
        if quick {
            Sizes {
                cpu_len: 8_000,
                py_cpu_len: 200,
                reps: 3,
                py_reps: 1,
                downloads: 20,
                sleepers: 1_000,
                cost_rounds: 180,
                pipe_mib: 128,
                py_cost_rounds: 90,
                py_pipe_mib: 64,
                race_trials: 10,
                ..full
            }
        } else {
            full
        }
    }
}

/// Runs `bench exp NAME args` in a fresh process and parses its JSON.
fn child_exp(name: &str, args: &[String]) -> Result<Value, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let out = Command::new(exe)
        .arg("exp")
        .arg(name)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start experiment {name}: {e}"))?;
    if !out.status.success() {
        return Err(format!("experiment {name} failed ({})", out.status));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    serde_json::from_str(last).map_err(|e| format!("experiment {name} printed no JSON ({e})"))
}

/// Everything one run measured, by experiment; `Err` holds why a part did not run.
struct Results {
    parts: Vec<(&'static str, Result<Value, String>)>,
}

impl Results {
    fn get(&self, part: &str) -> Option<&Value> {
        self.parts
            .iter()
            .find(|(p, _)| *p == part)
            .and_then(|(_, r)| r.as_ref().ok())
    }

    /// The number at `path` (keys separated by `.`) in part `part`.
    fn num(&self, part: &str, path: &str) -> Option<f64> {
        let mut v = self.get(part)?;
        for key in path.split('.') {
            v = v.get(key)?;
        }
        v.as_f64()
    }

    fn notes(&self) -> Vec<String> {
        self.parts
            .iter()
            .filter_map(|(p, r)| r.as_ref().err().map(|e| format!("{p}: {e}")))
            .collect()
    }
}

fn kv(pairs: &[(&str, String)]) -> Vec<String> {
    pairs.iter().map(|(k, v)| format!("{k}={v}")).collect()
}

/// Runs every experiment; the Python ones only when `python` (python3 is there and not
/// switched off): otherwise the report says so once, in a note.
fn measure(s: &Sizes, python: bool) -> Results {
    let say = |what: &str| eprintln!("bench: {what}");
    let t = |v: &dyn ToString| v.to_string();
    let mut parts: Vec<(&'static str, Result<Value, String>)> = Vec::new();
    let mut step = |part: &'static str, what: &str, f: &dyn Fn() -> Result<Value, String>| {
        say(what);
        let t0 = Instant::now();
        let r = f();
        if let Err(e) = &r {
            say(&format!("  {part}: {e}"));
        }
        say(&format!("  done in {:.1} s", t0.elapsed().as_secs_f64()));
        parts.push((part, r));
    };
    let py_deadline = Duration::from_secs(300);
    step(
        "cpu-threads",
        "CPU work on threads and under the GIL model (Rust)",
        &|| {
            child_exp(
                "cpu-threads",
                &kv(&[("len", t(&s.cpu_len)), ("reps", t(&s.reps))]),
            )
        },
    );
    step(
        "cpu-processes",
        "CPU work on processes (Rust, Lab 3's fan_out)",
        &|| {
            child_exp(
                "cpu-processes",
                &kv(&[
                    ("len", t(&s.cpu_len)),
                    ("blocks", t(&s.cpu_blocks)),
                    ("reps", t(&s.reps)),
                ]),
            )
        },
    );
    if python {
        step(
            "cpu-python",
            "CPU work on threads and processes (Python)",
            &|| {
                python::run_json(
                    "cpu.py",
                    python::CPU,
                    &[&t(&s.py_cpu_len), &t(&s.py_cpu_blocks), &t(&s.py_reps)],
                    py_deadline,
                )
            },
        );
    }
    let dl = kv(&[("n", t(&s.downloads)), ("latency_ms", t(&s.latency_ms))]);
    step("downloads", "100 downloads (Rust)", &|| {
        child_exp("downloads", &dl)
    });
    if python {
        step("downloads-python", "100 downloads (Python)", &|| {
            child_exp("downloads-python", &dl)
        });
    }
    step("sleepers", "10,000 sleeping tasks (Rust)", &|| {
        child_exp(
            "sleepers",
            &kv(&[("n", t(&s.sleepers)), ("sleep_ms", t(&s.sleep_ms))]),
        )
    });
    if python {
        step("sleepers-python", "10,000 sleeping tasks (Python)", &|| {
            let secs = format!("{}", s.sleep_ms as f64 / 1000.0);
            python::run_json(
                "sleepers.py",
                python::SLEEPERS,
                &[&t(&s.sleepers), &secs],
                py_deadline,
            )
        });
    }
    step("costs", "thread, process, program, pipe (Rust)", &|| {
        child_exp(
            "costs",
            &kv(&[("rounds", t(&s.cost_rounds)), ("pipe_mib", t(&s.pipe_mib))]),
        )
    });
    if python {
        step(
            "costs-python",
            "thread, process, program, pipe (Python)",
            &|| {
                python::run_json(
                    "costs.py",
                    python::COSTS,
                    &[&t(&s.py_cost_rounds), &t(&s.py_pipe_mib)],
                    py_deadline,
                )
            },
        );
    }
    step("race", "Lab 2's racy counter", &|| {
        child_exp(
            "race",
            &kv(&[
                ("trials", t(&s.race_trials)),
                ("per_thread", t(&s.race_per_thread)),
            ]),
        )
    });
    Results { parts }
}

/// `10000` as `10,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The few figures the README quotes.
fn headlines(rows: &[Row]) -> Vec<String> {
    let find = |id: &str| rows.iter().find(|r| r.id == id);
    let show = |id: &str, python: bool| {
        find(id)
            .and_then(|r| (if python { r.python } else { r.rust }).map(|v| r.unit.show(v)))
            .unwrap_or_else(|| "—".into())
    };
    let ideal = find("cpu.threads_2")
        .and_then(|r| r.limit.map(|v| r.unit.show(v)))
        .unwrap_or_else(|| "—".into());
    let faster = match (
        find("io.sequential").and_then(|r| r.rust),
        find("io.async").and_then(|r| r.rust),
    ) {
        (Some(a), Some(b)) => format!(" ({:.0}× faster)", a / b),
        _ => String::new(),
    };
    vec![
        format!(
            "CPU-bound work on 2 threads: Rust {}, Python {} (the GIL); on 2 processes: Rust {}, Python {}; Rust under a GIL model: {}. Ideal on this machine: {ideal}.",
            show("cpu.threads_2", false),
            show("cpu.threads_2", true),
            show("cpu.processes_2", false),
            show("cpu.processes_2", true),
            show("cpu.gil_2", false),
        ),
        format!(
            "Downloads (100 ms latency each): sequential {}, all at once on tokio {}{faster}, at most 10 in flight {}; Python asyncio all at once {}.",
            show("io.sequential", false),
            show("io.async", false),
            show("io.async_limited_10", false),
            show("io.async", true),
        ),
        format!(
            "Tasks sleeping 1 s, all at once: {} on tokio (Python asyncio {}).",
            show("io.sleepers_multi_thread", false),
            show("io.sleepers_multi_thread", true),
        ),
        format!(
            "fork + waitpid {} costs {} a thread spawn + join ({}); a pipe carries {} (Python {}).",
            show("costs.fork_wait", false),
            show("costs.fork_over_thread", false),
            show("costs.thread_spawn_join", false),
            show("costs.pipe_throughput", false),
            show("costs.pipe_throughput", true),
        ),
    ]
}

fn report(o: &Options) -> i32 {
    let root = tools::root();
    let out_dir = o
        .out
        .clone()
        .unwrap_or_else(|| root.join("target/bench-report"));
    if let Err(e) = std::fs::create_dir_all(&out_dir) {
        eprintln!("bench: cannot create {}: {e}", out_dir.display());
        return 2;
    }
    let machine = Machine::detect();
    let load_start = machine::load_average();
    eprintln!(
        "bench: {} cores, {}, {}; load average {}",
        machine.cores,
        machine.cpu,
        machine.rustc,
        load_start.map_or("?".into(), |l| format!("{l:.2}"))
    );
    let sizes = Sizes::new(o.quick);
    let t0 = Instant::now();
    let results = measure(&sizes, machine.python.is_some());
    // Taken here, not at the very end: the tools and micro benchmarks that follow load the
    // cores themselves (a cold build uses both), which says nothing about other programs.
    let load_end = machine::load_average();
    let mut rows = rows::rows(&results, &sizes, machine.cores);
    let mut notes = results.notes();
    if o.quick {
        notes.push("--quick: small sizes, for trying the command; the figures are rough (a speedup with 4 workers on 2 cores, especially: too few blocks to balance).".into());
    }
    if machine.python.is_none() {
        notes.push("python3 is absent (or LABS_PYTHON=off): the Python column is empty.".into());
    }
    if o.tools {
        rows.extend(tools::measure(&out_dir, o.cold_build, &|m| {
            eprintln!("bench: {m}")
        }));
    }
    if o.ci {
        rows.push(tools::ci(&out_dir, &|m| eprintln!("bench: {m}")));
    }
    let micro = if o.micro {
        micro_benchmarks(&out_dir)
    } else {
        None
    };
    if let Some(prev) = &o.previous {
        match load_previous(prev) {
            Ok(previous) => {
                for row in &mut rows {
                    row.previous = previous
                        .iter()
                        .find(|(id, name, _)| {
                            if row.id.is_empty() {
                                *name == row.name
                            } else {
                                *id == row.id
                            }
                        })
                        .and_then(|(_, _, v)| *v);
                }
            }
            Err(e) => notes.push(format!("--previous {}: {e}", prev.display())),
        }
    }
    let elapsed = t0.elapsed();
    println!("{}", report::text(&rows));
    // A loaded machine is the first suspect of any miss: say so first among the notes.
    let busy = [load_start, load_end]
        .into_iter()
        .flatten()
        .any(|l| l > machine.cores as f64 * 0.75);
    if busy {
        notes.insert(
            0,
            format!(
                "the machine was busy: load average {} before and {} after the experiments, on {} cores. Other programs were competing for the CPU: speedups fall short and times grow for reasons that are not the code's.",
                load_start.map_or("?".into(), |l| format!("{l:.2}")),
                load_end.map_or("?".into(), |l| format!("{l:.2}")),
                machine.cores
            ),
        );
    }
    let misses = report::misses(&rows);
    println!(
        "Targets missed: {}",
        if misses.is_empty() {
            "none".into()
        } else {
            misses.len().to_string()
        }
    );
    for m in &misses {
        println!("  - {m}");
    }
    for n in &notes {
        println!("  note: {n}");
    }
    let page = markdown_page(
        &machine,
        &rows,
        &notes,
        &misses,
        load_start,
        load_end,
        elapsed,
        o,
        micro.as_deref(),
    );
    let json = json!({
        "machine": machine.to_json(),
        "load_average": { "start": load_start, "end": load_end },
        "seconds": elapsed.as_secs_f64(),
        "quick": o.quick,
        "rows": rows.iter().map(Row::to_json).collect::<Vec<_>>(),
        "headlines": headlines(&rows),
        "misses": misses,
        "notes": notes,
        "raw": results.parts.iter().map(|(p, r)| (p.to_string(), match r { Ok(v) => v.clone(), Err(e) => json!({ "error": e }) })).collect::<Map<_, _>>(),
    });
    let json_text = serde_json::to_string_pretty(&json).unwrap_or_default() + "\n";
    let mut targets = vec![
        (out_dir.join("benchmarks.md"), page.clone()),
        (out_dir.join("benchmarks.json"), json_text.clone()),
    ];
    if o.book {
        targets.push((root.join("docs/src/benchmarks.md"), page));
        targets.push((root.join("bench/results/benchmarks.json"), json_text));
    }
    for (path, text) in targets {
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        match std::fs::write(&path, text) {
            Ok(()) => eprintln!("bench: wrote {}", path.display()),
            Err(e) => {
                eprintln!("bench: cannot write {}: {e}", path.display());
                return 2;
            }
        }
    }
    if o.book {
        refresh_book(&root);
    }
    0
}

/// After `--book`: every page's marked figures from the new results, then the Russian
/// book's catalogue (the same messages with new numbers keep their translations; what has
/// new words is listed for a translator). The report is written either way: a step that
/// fails says what is left and how to run it again.
fn refresh_book(root: &Path) {
    for (script, args) in [
        ("scripts/book_figures.py", &["--write"][..]),
        ("scripts/update_catalogue.py", &[][..]),
    ] {
        let run = Command::new("python3")
            .arg(root.join(script))
            .args(args)
            .current_dir(root)
            .stdin(Stdio::null())
            .status();
        let command = format!("python3 {script} {}", args.join(" "))
            .trim_end()
            .to_owned();
        match run {
            Ok(status) if status.success() => {}
            // update_catalogue.py exits 1 when messages are left to translate: not a crash.
            Ok(status) => eprintln!(
                "bench: `{command}` ended with {status}: do what it asks above, then run it again"
            ),
            Err(e) => eprintln!("bench: cannot run `{command}`: {e}"),
        }
    }
}

/// Rows of an earlier JSON report: (id, name, Rust value).
fn load_previous(path: &Path) -> Result<Vec<(String, String, Option<f64>)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let v: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let rows = v
        .get("rows")
        .and_then(Value::as_array)
        .ok_or("no rows in it")?;
    Ok(rows
        .iter()
        .map(|r| {
            let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
            (s("id"), s("name"), r.get("rust").and_then(Value::as_f64))
        })
        .collect())
}

/// Runs `cargo bench -p bench` and returns its tables (the log goes beside the report).
fn micro_benchmarks(out_dir: &Path) -> Option<String> {
    eprintln!("bench: micro benchmarks (cargo bench -p bench)...");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["bench", "-p", "bench"])
        .current_dir(tools::root())
        .env_remove("CARGO_TARGET_DIR")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let _ = std::fs::write(out_dir.join("micro.txt"), &text);
    if !out.status.success() {
        return Some(format!("cargo bench failed ({}):\n{text}", out.status));
    }
    // Keep the tables; drop cargo's "Running ..." lines (they name hashed file paths).
    Some(
        text.lines()
            .filter(|l| !l.trim_start().starts_with("Running"))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned(),
    )
}

#[allow(clippy::too_many_arguments)]
fn markdown_page(
    m: &Machine,
    rows: &[Row],
    notes: &[String],
    misses: &[String],
    load_start: Option<f64>,
    load_end: Option<f64>,
    elapsed: Duration,
    o: &Options,
    micro: Option<&str>,
) -> String {
    let load = |l: Option<f64>| l.map_or("?".into(), |l| format!("{l:.2}"));
    let mut flags = String::new();
    for (on, flag) in [
        (o.cold_build, " --tools"),
        (o.tools && !o.cold_build, " --tools-warm"),
        (o.ci, " --ci"),
        (o.micro, " --micro"),
        (o.book, " --book"),
        (o.quick, " --quick"),
    ] {
        if on {
            flags.push_str(flag);
        }
    }
    if o.previous.is_some() {
        flags.push_str(" --previous FILE");
    }
    let mut p = String::new();
    p.push_str("# Benchmarks: the course's claims, measured\n\n");
    p.push_str(&format!(
        "<!-- Generated by `cargo run -p bench --release -- report{flags}`. Do not edit: run it again. -->\n\n"
    ));
    p.push_str(
        "The course claims things about speed: threads speed up CPU-bound work in Rust and not in \
         Python; async code downloads 100 pages in about one latency; a process costs more than a \
         thread. The tools promise speed too: a fast student loop, fast grading. This page is \
         one run of the benchmark suite (`bench/`) that measures all of them side by side, on \
         the machine below.\n\n\
         Each row gives the Rust figure, the same experiment in Python 3 beside it (standard \
         library only: `threading`, `multiprocessing`, `asyncio`; the scripts are in \
         `bench/python/`), the physical limit where one exists (the ideal speedup is the \
         number of cores; fully concurrent IO takes one latency), the target (the course's \
         quality bars), the ratio of the Rust figure to its target, and \
         the verdict. Targets and verdicts are for Rust; Python is there to compare.\n\n\
         How each figure is taken: a CPU time is the fastest of several runs, the \
         configurations taking turns (another program can only slow a run down); a cost is the \
         median of 9 batches; a download or sleep time is one run (its spread is the \
         latency's, a few milliseconds). Every experiment runs in a fresh process.\n\n",
    );
    p.push_str("## The machine\n\n");
    p.push_str(
        "| cores | CPU | kernel | rustc | python | load average before / after the experiments | nice | run took |\n",
    );
    p.push_str("|--:|:--|:--|:--|:--|:--|--:|--:|\n");
    p.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} / {} | {} | {:.0} s |\n\n",
        m.cores,
        m.cpu,
        m.kernel,
        m.rustc,
        m.python.clone().unwrap_or_else(|| "absent".into()),
        load(load_start),
        load(load_end),
        m.nice.map_or("?".into(), |n| n.to_string()),
        elapsed.as_secs_f64()
    ));
    p.push_str(&format!("Measured on {}. ", m.date));
    p.push_str(
        "A load average above the number of cores means other programs were running: \
         speedups then fall short of the ideal, and times grow. *nice* is the report's \
         scheduling priority (0 is normal).\n\n",
    );
    p.push_str("## Headline figures\n\n");
    for h in headlines(rows) {
        p.push_str(&format!("- {h}\n"));
    }
    p.push_str("\n## Results\n\n");
    if rows.iter().any(|r| r.previous.is_some()) {
        p.push_str(
            "*previous run* is the same row from an earlier run of the report; *change* is this \
             run against it: how stable the figure is from one run to the next.\n\n",
        );
    }
    p.push_str(&report::markdown(rows));
    p.push_str("## Targets missed\n\n");
    if misses.is_empty() {
        p.push_str("None.\n\n");
    } else {
        for miss in misses {
            p.push_str(&format!("- {miss}\n"));
        }
        p.push('\n');
    }
    if !notes.is_empty() {
        p.push_str("## Notes\n\n");
        for n in notes {
            p.push_str(&format!("- {n}\n"));
        }
        p.push('\n');
    }
    p.push_str("## Micro benchmarks\n\n");
    p.push_str(
        "`cargo bench -p bench` (divan; `bench/benches/`): the cost of one unit of concurrency \
         (`spawn`: thread, fork, program; `tasks`: a tokio task on each runtime), talking \
         between two of them (`ipc`: a one-byte round trip over pipes between processes and \
         over crossbeam channels between threads; pipe throughput in 64 KiB writes), and a \
         shared counter under contention (`contention`: Mutex vs atomic, 1 and 2 threads).\n\n",
    );
    match micro {
        Some(text) => p.push_str(&format!("```text\n{text}\n```\n\n")),
        None => p.push_str("Not run this time (`report --micro` runs them).\n\n"),
    }
    p.push_str("## Reproduce\n\n");
    p.push_str(
        "```sh\n\
         cargo run -p bench --release -- report                 # the experiments, about 2 minutes\n\
         cargo run -p bench --release -- report --tools --micro # plus tool timings and micro benchmarks\n\
         cargo run -p bench --release -- report --ci            # plus CI's whole run on a fresh clone\n\
         cargo bench -p bench                                   # the micro benchmarks alone\n\
         ```\n\n\
         The report writes `target/bench-report/benchmarks.md` and `benchmarks.json`; `--book` \
         also rewrites this page and `bench/results/benchmarks.json`; `--previous OLD.json` adds \
         the stability columns. Without `python3` the Python column is empty and a note says \
         why. Speed is measured here and only here: no check of the course asserts a time.\n\n\
         Every other page quotes its measured figures from `bench/results/benchmarks.json`, \
         through a marker that names each one (`python3 scripts/book_figures.py --list`). \
         A run with `--book` then rewrites them from the new results \
         (`python3 scripts/book_figures.py --write`) and brings the Russian book's catalogue \
         up to date (`python3 scripts/update_catalogue.py`: a message whose numbers alone \
         changed keeps its translation, with the new numbers); `scripts/check-book.sh` fails \
         while a page disagrees with the file.\n",
    );
    p
}
