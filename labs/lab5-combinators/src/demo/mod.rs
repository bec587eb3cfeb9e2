//! The Lab 5 demo (not a student file): every experiment of `scenarios.rs` on your code, each
//! drawn as a timeline with its event log, beside the log asyncio prints for the same
//! experiment; then task 5.8's program on real sockets.
//!
//! `cargo run -p lab5` runs it on your code, `cargo run -p lab5-solution` on the reference.
//! Options (`--help` lists them): `--only 5.3` (one task) or `--only gather_error` (one
//! scenario), or several, comma-separated; `--quick` (what the checker runs: the real-socket
//! part without its picture, whose bars follow real time); `--trace DIR` writes each
//! experiment as Chrome trace JSON (open it in ui.perfetto.dev); `--raw` prints the logs in
//! recording order instead of the canonical order (events at the same instant then come in
//! whatever order each scheduler ran them).
//!
//! This folder is the demo's machinery, none of it yours:
//! - `scene.rs`: the stage, jobs that record start / finish / cancelled in virtual time;
//! - `scenarios.rs`: the lab's experiments, which the demo shows and the checks run;
//! - `parity.rs`: the parity suite, the same scenarios asyncio runs in
//!   `python/parity/parity.py`. The demo does not show it, but it lives here, in the lab
//!   crate, because both of its users need it compiled against a lab crate: the checks run it
//!   on your code, the runner `lab5-parity` (in the solution crate) on the reference.

pub mod parity;
pub mod scenarios;
pub mod scene;

use self::scenarios::Scenario;
use self::scene::{MAIN, Record, Scene};
use crate::mirrors::fetch_and_save;
use kit::demo::{Demo, Flags, LabFlags, clap};
use kit::python::{self, PythonRun};
use kit::server::{SlowServer, body_of};
use kit::timeline::EventKind;
use kit::{say, tr};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

/// The Python mirror, embedded so every build runs the same file.
const PYTHON: &str = include_str!("../../python/combinators.py");

/// The longest an experiment may take (real time) before the demo gives up on it: a virtual
/// experiment takes microseconds, so only a hang (a future that waits forever) gets there.
const DEADLINE: Duration = Duration::from_secs(20);

/// Width of the timeline pictures, in columns.
const WIDTH: usize = 60;

/// Lab 5's own demo flags.
#[derive(Debug, Clone, clap::Args)]
pub struct Lab5Flags {
    /// Writes each experiment as a Chrome trace (JSON) into DIR (open it in ui.perfetto.dev)
    #[arg(long, value_name = "DIR")]
    pub trace: Option<PathBuf>,
    /// Prints the logs in recording order instead of the canonical order
    #[arg(long)]
    pub raw: bool,
}

impl LabFlags for Lab5Flags {
    const LAB: &'static str = "lab5";
    const SECTIONS: &'static str =
        "a task (5.1 to 5.8) or one experiment by its name (gather_error, ...)";
    const SECTIONS_RU: &'static str =
        "задание (5.1–5.8) или один эксперимент по имени (gather_error, ...)";

    fn help_ru() -> &'static [(&'static str, &'static str)] {
        &[
            (
                "trace",
                "Записать каждый эксперимент как трассу Chrome (JSON) в DIR (откройте её в ui.perfetto.dev)",
            ),
            (
                "raw",
                "Печатать журналы в порядке записи, а не в каноническом порядке",
            ),
        ]
    }
}

/// Runs the demo with its flags (see the module doc).
pub fn run(flags: Flags<Lab5Flags>) {
    let quick = flags.quick;
    let trace_dir = flags.lab.trace.as_ref();
    let raw = flags.lab.raw;
    let selected = |s: &Scenario| flags.wants(s.task) || flags.wants(s.name);

    let mut demo = Demo::start("lab5");
    if flags.everything() {
        demo.section(&tr!(
            en: "How to read the experiments",
            ru: "Как читать эксперименты"
        ));
        say!(
            en: "  Each experiment gives jobs to one combinator. A job sleeps a virtual time, then returns\n  \
                 a number or fails; it records `start`, `finish`, or `cancelled` when it is dropped\n  \
                 before its end (in Rust, cancelling a future is dropping it). `main` is the caller.\n  \
                 The clock is tokio's paused clock: the times are exact and the demo takes no time.\n  \
                 Beside each log: the log of the same experiment in asyncio (python/combinators.py).",
            ru: "  Каждый эксперимент отдаёт работы одному комбинатору. Работа спит виртуальное время, затем\n  \
                 возвращает число или падает; она записывает `start`, `finish` или `cancelled`, если её\n  \
                 выбросили до конца (в Rust отменить future — значит выбросить её). `main` — вызывающий.\n  \
                 Часы — остановленные часы tokio: времена точные, и демонстрация не тратит времени.\n  \
                 Рядом с каждым журналом — журнал того же эксперимента в asyncio (`python/combinators.py`)."
        );
    }

    let names: Vec<&str> = scenarios::SCENARIOS
        .iter()
        .filter(|s| selected(s))
        .map(|s| s.name)
        .collect();
    let python = python_logs(&names, raw);
    let mut compared: Vec<(&'static str, bool)> = Vec::new();

    for task in &demo.lab().tasks {
        let of_task: Vec<&'static Scenario> = scenarios::of_task(&task.id)
            .into_iter()
            .filter(|s| selected(s))
            .collect();
        if of_task.is_empty() {
            continue;
        }
        let (id, title) = (&task.id, kit::demo::task_title(task));
        demo.section(&tr!(en: "Task {id}: {title}", ru: "Задание {id}: {title}"));
        let mut all_ran = true;
        for scenario in of_task {
            let name = scenario.name;
            let Some(record) =
                demo.task_within(&task.id, DEADLINE, move || scenarios::play_virtual(name))
            else {
                // The note is printed; the other experiments of this task would say the same.
                // What they should print is what asyncio prints: show it as the target.
                all_ran = false;
                if let Ok(logs) = &python {
                    for s in scenarios::of_task(&task.id)
                        .into_iter()
                        .filter(|s| selected(s))
                    {
                        if let Some(py) = logs.get(s.name) {
                            println!("\n  ▸ {}: {}", s.name, s.what_here());
                            say!(en: "    asyncio: {}", ru: "    asyncio: `{}`", s.asyncio);
                            say!(
                                en: "    what asyncio prints (and your code should print):",
                                ru: "    что печатает asyncio (и должен напечатать ваш код):"
                            );
                            for line in py.lines() {
                                println!("    {line}");
                            }
                        }
                    }
                }
                break;
            };
            show_scenario(scenario, &record, &python, raw);
            if let Ok(logs) = &python
                && let Some(py) = logs.get(name)
            {
                compared.push((name, *py == log_of(&record, raw)));
            }
            if let Some(dir) = trace_dir {
                write_trace(dir, name, &record);
            }
        }
        if task.id == "5.8" && all_ran {
            real_mirrors(&mut demo, quick);
        }
    }

    if !compared.is_empty() || python.is_err() {
        demo.section(&tr!(
            en: "asyncio and this lab, side by side",
            ru: "asyncio и эта лабораторная рядом"
        ));
        match &python {
            Err(why) => println!("  {why}."),
            Ok(_) => {
                let same = compared.iter().filter(|(_, same)| *same).count();
                let all = compared.len();
                say!(
                    en: "  asyncio printed the same log as your code for {same} of {all} experiments.",
                    ru: "  asyncio напечатал тот же журнал, что и ваш код, в {same} экспериментах из {all}."
                );
                for (name, same) in &compared {
                    if !same {
                        say!(
                            en: "  ≠ {name}: the lines marked ≠ above differ.",
                            ru: "  ≠ {name}: строки, отмеченные ≠ выше, различаются."
                        );
                    }
                }
            }
        }
    }
    if flags.everything() {
        demo.finish();
    }
}

/// The Python mirror's log of each scenario, or why there is none.
fn python_logs(names: &[&str], raw: bool) -> Result<HashMap<String, String>, String> {
    if names.is_empty() {
        return Ok(HashMap::new());
    }
    let mut args = names.to_vec();
    if raw {
        args.insert(0, "--raw");
    }
    match python::run("combinators.py", PYTHON, &args, Duration::from_secs(60)) {
        PythonRun::Skipped(why) => Err(why),
        PythonRun::Ran(out) => Ok(python::logs_by_name(&out).into_iter().collect()),
    }
}

/// Prints one experiment: what it is, its timeline, and its log beside asyncio's.
fn show_scenario(
    scenario: &Scenario,
    record: &Record,
    python: &Result<HashMap<String, String>, String>,
    raw: bool,
) {
    println!("\n  ▸ {}: {}", scenario.name, scenario.what_here());
    say!(en: "    asyncio: {}\n", ru: "    asyncio: `{}`\n", scenario.asyncio);
    for line in kit::timeline::in_current_language(&record.render(WIDTH)).lines() {
        println!("    {line}");
    }
    println!();
    let rust = log_of(record, raw);
    let py = python
        .as_ref()
        .ok()
        .and_then(|logs| logs.get(scenario.name));
    match py {
        None => {
            for line in rust.lines() {
                println!("    {line}");
            }
        }
        Some(py) => {
            let headings = (
                tr!(en: "{RUST_HEADING}", ru: "Rust (tokio, остановленные часы)"),
                tr!(en: "{PYTHON_HEADING}", ru: "Python (asyncio, виртуальные часы)"),
            );
            for line in columns(&rust, py, headings) {
                println!("    {line}");
            }
            if rust == *py {
                say!(
                    en: "    → the same log, line for line.",
                    ru: "    → тот же журнал, строка в строку."
                );
            } else {
                say!(
                    en: "    → the logs differ on the lines marked ≠.",
                    ru: "    → журналы различаются в строках, отмеченных ≠."
                );
            }
        }
    }
}

/// The canonical log, or the log in recording order with `--raw`.
fn log_of(record: &Record, raw: bool) -> String {
    if raw { record.raw_log() } else { record.log() }
}

/// Two logs in two columns under their headings, `≠` between lines that differ: what the demo
/// prints and what the parity runner (`lab5-parity`) writes into the chapter's appendix.
pub fn side_by_side(rust: &str, python: &str) -> Vec<String> {
    columns(
        rust,
        python,
        (RUST_HEADING.to_owned(), PYTHON_HEADING.to_owned()),
    )
}

/// The headings of [`side_by_side`]'s columns.
const RUST_HEADING: &str = "Rust (tokio, paused clock)";
const PYTHON_HEADING: &str = "Python (asyncio, virtual clock)";

/// [`side_by_side`] under the headings `(rust, python)`.
fn columns(
    rust: &str,
    python: &str,
    (rust_heading, python_heading): (String, String),
) -> Vec<String> {
    let left: Vec<&str> = rust.lines().collect();
    let right: Vec<&str> = python.lines().collect();
    let width = left
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .max(rust_heading.chars().count());
    let mut lines = vec![format!("{rust_heading:<width$} │ {python_heading}")];
    for i in 0..left.len().max(right.len()) {
        let l = left.get(i).copied().unwrap_or("");
        let r = right.get(i).copied().unwrap_or("");
        let gutter = if l == r { '│' } else { '≠' };
        lines.push(format!("{l:<width$} {gutter} {r}"));
    }
    lines
}

fn write_trace(dir: &PathBuf, name: &str, record: &Record) {
    let path = dir.join(format!("lab5-{name}.json"));
    match std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&path, record.chrome_trace())) {
        Ok(()) => say!(en: "    trace: {}", ru: "    трасса: {}", path.display()),
        Err(e) => say!(
            en: "    cannot write {}: {e}",
            ru: "    не удаётся записать {}: {e}",
            path.display()
        ),
    }
}

/// Task 5.8 on real sockets: three slow servers as mirrors, a real file as the save.
///
/// The timings leave wide margins (m2 answers at 150 ms, the caller gives up at 350 ms, the
/// save ends at 550 ms) so that a busy machine rarely changes the story; the checker compares
/// only the virtual-time experiments before it, never this part. With `--quick` only the
/// story is printed, not the real-time picture and log: their times and the order of
/// near-simultaneous events vary from run to run.
fn real_mirrors(demo: &mut Demo, quick: bool) {
    const M0_LATENCY: u64 = 1000;
    const M2_LATENCY: u64 = 150;
    const SAVE: u64 = 400;
    const GIVE_UP: u64 = 350;
    const DEADLINE_MS: u64 = 1500;
    println!(
        "\n{}",
        tr!(
            en: "  ▸ the same program on real sockets (real time)",
            ru: "  ▸ та же программа на настоящих сокетах (реальное время)"
        )
    );
    // m0: a slow mirror; m1: a mirror that does not have the file (404 at once); m2: the
    // fastest good one. The save writes the body to a file, slowly, like a slow disk.
    let m0 = SlowServer::start(Duration::from_millis(M0_LATENCY), 1);
    let m1 = SlowServer::start(Duration::ZERO, 1);
    let m2 = SlowServer::start(Duration::from_millis(M2_LATENCY), 1);
    let (Ok(m0), Ok(m1), Ok(m2)) = (m0, m1, m2) else {
        say!(
            en: "    cannot start the local HTTP servers: is loopback (127.0.0.1) available?",
            ru: "    не удаётся запустить локальные HTTP-серверы: доступен ли loopback (127.0.0.1)?"
        );
        return;
    };
    say!(
        en: "    mirrors (kit::server::SlowServer): m0 answers after {M0_LATENCY} ms, m1 does not have \
             the file (404), m2 answers after {M2_LATENCY} ms",
        ru: "    зеркала (`kit::server::SlowServer`): m0 отвечает через {M0_LATENCY} ms, у m1 нет \
             файла (404), m2 отвечает через {M2_LATENCY} ms"
    );
    say!(
        en: "    deadline {DEADLINE_MS} ms; the save writes a file in {SAVE} ms; the caller gives up at {GIVE_UP} ms",
        ru: "    дедлайн {DEADLINE_MS} ms; запись пишет файл за {SAVE} ms; вызывающий отказывается в {GIVE_UP} ms"
    );
    let urls = [m0.url(0), m1.url(9), m2.url(0)];
    let file = std::env::temp_dir().join(format!("lab5-mirror-{}.txt", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let path = file.clone();
    let record = demo.task_within("5.8", DEADLINE, move || {
        kit::runtime::on_one_thread(async move {
            let scene = Scene::new();
            scene.timeline().record(MAIN, EventKind::Start);
            let mirrors: Vec<_> = urls
                .iter()
                .enumerate()
                .map(|(i, url)| {
                    let url = url.clone();
                    let what = format!("GET {}", &url[url.find("/resource").unwrap_or(0)..]);
                    let fetch = async move { kit::http::fetch(&url).await };
                    scene.watch(&format!("m{i}"), &what, fetch)
                })
                .collect();
            let saver = scene.clone();
            let save = move |body: String| {
                saver.watch("save", "write the file", async move {
                    tokio::time::sleep(Duration::from_millis(SAVE)).await;
                    tokio::fs::write(&path, &body).await.map(|()| body.len())
                })
            };
            let fetched = fetch_and_save(mirrors, Duration::from_millis(DEADLINE_MS), save);
            let waited = tokio::time::timeout(Duration::from_millis(GIVE_UP), fetched);
            let what = format!("wait_for(fetch_and_save(...), {GIVE_UP} ms)");
            match scene.main_awaits(&what, waited).await {
                Ok(Ok((winner, saved))) => scene.mark(format!(
                    "fetch_and_save -> (m{winner}, {} bytes saved)",
                    saved.as_ref().map_or(0, |n| *n)
                )),
                Ok(Err(e)) => scene.mark(format!("fetch_and_save raised {e}")),
                Err(_) => scene.mark("wait_for raised TimeoutError"),
            }
            // Long enough for a shielded save to end, and for m0 to answer if it was forgotten.
            let settle = tokio::time::sleep(Duration::from_millis(M0_LATENCY));
            scene
                .main_awaits(&format!("sleep {M0_LATENCY} ms"), settle)
                .await;
            scene.timeline().record(MAIN, EventKind::Finish);
            (scene.freeze(), scene.timeline().log())
        })
    });
    let Some((record, log)) = record else { return };
    if !quick {
        for line in kit::timeline::in_current_language(&record.render(WIDTH)).lines() {
            println!("    {line}");
        }
        println!();
        // Real time: the events in the order they happened.
        for line in log.lines() {
            println!("    {line}");
        }
    }
    let fate = |task: &str| {
        if record.cancelled(task).is_some() {
            Fate::Cancelled
        } else if record
            .events
            .iter()
            .any(|e| e.task == task && e.kind.to_string().starts_with("error("))
        {
            Fate::Failed
        } else if record.finished(task).is_some() {
            Fate::Answered
        } else {
            Fate::NeverStarted
        }
    };
    let (m0_fate, m1_fate, m2_fate) = (fate("m0").words(), fate("m1").words(), fate("m2").words());
    let caller = record
        .mark("fetch_and_save")
        .or_else(|| record.mark("wait_for"))
        .map_or_else(
            || tr!(en: "the caller got nothing", ru: "вызывающий ничего не получил"),
            |(_, m)| tr!(en: "the caller: {m}", ru: "вызывающий: `{m}`"),
        );
    say!(
        en: "    → m0 {m0_fate}, m1 {m1_fate}, m2 {m2_fate}; {caller}",
        ru: "    → m0 {m0_fate}, m1 {m1_fate}, m2 {m2_fate}; {caller}"
    );
    let written = std::fs::read_to_string(&file).ok();
    let _ = std::fs::remove_file(&file);
    let gave_up = record.mark("wait_for raised").map(|(t, _)| t);
    let save_started = record.started("save");
    match (written, gave_up, save_started) {
        (Some(body), Some(gave_up), Some(started)) if body == body_of(0) && started <= gave_up => {
            let len = body.len();
            say!(
                en: "    → the caller gave up during the save, and the file holds all {len} bytes: the save was shielded.",
                ru: "    → вызывающий отказался во время записи, а в файле все {len} байт: запись была защищена."
            )
        }
        (Some(body), _, _) if body == body_of(0) => {
            let len = body.len();
            say!(
                en: "    → the file holds all {len} bytes.",
                ru: "    → в файле все {len} байт."
            )
        }
        (_, _, Some(_)) => say!(
            en: "    → the file was not written: the save was lost with the caller's cancellation.",
            ru: "    → файл не записан: запись пропала вместе с отменой вызывающего."
        ),
        (_, _, None) => say!(
            en: "    → no save was started.",
            ru: "    → запись так и не началась."
        ),
    }
    let (s0, s1, s2) = (m0.served(), m1.served(), m2.served());
    say!(
        en: "    → requests the mirrors' servers answered: m0 {s0}, m1 {s1} (a 404 is not counted), m2 {s2}.",
        ru: "    → запросов, на которые ответили серверы зеркал: m0 {s0}, m1 {s1} (404 не считается), m2 {s2}."
    );
    if s0 == 0 && fate("m0") == Fate::Cancelled {
        say!(
            en: "      m0's download was dropped mid-way: its connection closed, and its server never finished answering.",
            ru: "      загрузку m0 выбросили на полпути: её соединение закрылось, и сервер так и не договорил ответ."
        );
    }
}

/// What became of a mirror's download in the real-socket run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Cancelled,
    Failed,
    Answered,
    NeverStarted,
}

impl Fate {
    fn words(self) -> String {
        match self {
            Fate::Cancelled => tr!(en: "cancelled", ru: "отменена"),
            Fate::Failed => tr!(en: "failed", ru: "упала"),
            Fate::Answered => tr!(en: "answered", ru: "ответила"),
            Fate::NeverStarted => tr!(en: "never started", ru: "не начиналась"),
        }
    }
}
