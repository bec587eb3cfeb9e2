//! The Lab 4 demo (not a student file): runs every experiment on your code, draws its
//! timeline, measures the real thing on loopback, and runs the course's asyncio version
//! beside it.
//!
//! `cargo run -p lab4` runs it on your code, `cargo run -p lab4-solution` on the reference.
//!
//! | flag | what it does |
//! |---|---|
//! | `--quick` | small sizes and only deterministic output (the checker's snapshot uses it) |
//! | `--full` | also the slow parts: 100 sequential downloads (≈ 10 s) and the 4 s / 3 s example in real time |
//! | `--trace FILE` | writes every timeline as a Chrome trace (open it in <https://ui.perfetto.dev>) |
//! | `--only S[,S...]` | only these sections: `4.1` to `4.8`, `sleepers`, `python` |
//! | `--help` | the flags |

pub mod scenarios;

use self::scenarios::{DownloadRun, WIDTH};
use crate::support;
use kit::clock::human;
use kit::demo::{Demo, Flags, LabFlags, clap};
use kit::python::{self, PythonRun};
use kit::server::SlowServer;
use kit::table::Table;
use kit::timeline::Timeline;
use kit::{say, tr};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// The course's asyncio version of the lab, embedded so every build runs the same file.
const PYTHON: &str = include_str!("../../python/asyncio_lab.py");

/// Sizes of one demo run.
struct Sizes {
    downloads: usize,
    latency: Duration,
    limit: usize,
    sleepers: usize,
    sleep_each: Duration,
    block: Duration,
    period: Duration,
    sum_n: u64,
    /// How long any one task may take before the demo gives up on it and goes on.
    deadline: Duration,
}

/// What the sections collect for the end of the demo: timelines for `--trace`, and Rust's
/// figures for the table beside Python's.
#[derive(Default)]
struct Collected {
    traces: Vec<(String, Timeline)>,
    /// Rust's figure for each row of the Python table, by the row's key.
    rust: HashMap<&'static str, String>,
}

impl Collected {
    /// A virtual-time run: draws it and prints what its end means (`ending(end in ms)`),
    /// then keeps its end as Rust's figure of row `key`, its timeline as the trace
    /// `name (virtual time)`.
    fn virtual_run(
        &mut self,
        key: &'static str,
        name: &str,
        tl: Timeline,
        ending: impl FnOnce(u128) -> String,
    ) {
        draw(&tl);
        println!("{}", ending(tl.end().as_millis()));
        let ms = tl.end().as_millis();
        self.rust.insert(
            key,
            tr!(en: "{ms} ms (virtual, ×1)", ru: "{ms} ms (виртуально, ×1)"),
        );
        self.traces.push((format!("{name} (virtual time)"), tl));
    }
}

/// Lab 4's own demo flags.
#[derive(Debug, Clone, clap::Args)]
pub struct Lab4Flags {
    /// Also the slow parts: 100 sequential downloads (about 10 s) and the 4 s / 3 s example
    /// in real time
    #[arg(long)]
    pub full: bool,
    /// Writes every timeline to FILE as a Chrome trace (open it in https://ui.perfetto.dev)
    #[arg(long, value_name = "FILE")]
    pub trace: Option<String>,
}

impl LabFlags for Lab4Flags {
    const LAB: &'static str = "lab4";
    const SECTIONS: &'static str = "4.1 to 4.8, sleepers, python";

    fn help_ru() -> &'static [(&'static str, &'static str)] {
        &[
            (
                "full",
                "Ещё и медленные части: 100 последовательных загрузок (около 10 с) и пример 4 с / 3 с \
                 в реальном времени",
            ),
            (
                "trace",
                "Записать все временные диаграммы в FILE как трассу Chrome (откройте её в \
                 https://ui.perfetto.dev)",
            ),
        ]
    }
}

/// Runs the demo with its flags (see the module doc).
pub fn run(flags: Flags<Lab4Flags>) {
    let (quick, full) = (flags.quick, flags.lab.full);
    let show = |s: &str| flags.wants(s);
    let sizes = if quick {
        Sizes {
            downloads: 20,
            latency: Duration::from_millis(50),
            limit: 5,
            sleepers: 1_000,
            sleep_each: Duration::from_millis(100),
            block: Duration::from_millis(300),
            period: Duration::from_millis(50),
            sum_n: 20_000_000,
            deadline: Duration::from_secs(10),
        }
    } else {
        Sizes {
            downloads: 100,
            latency: Duration::from_millis(100),
            limit: 10,
            sleepers: 10_000,
            sleep_each: Duration::from_secs(1),
            block: Duration::from_millis(500),
            period: Duration::from_millis(50),
            sum_n: 300_000_000,
            deadline: Duration::from_secs(60),
        }
    };
    let mut demo = Runner {
        demo: Demo::start("lab4"),
        missing: HashSet::new(),
        deadline: sizes.deadline,
    };
    let mut got = Collected::default();
    if flags.everything() {
        say!(
            en: "  Experiments marked (virtual time) run on tokio's paused clock: a 4 s sleep ends at\n  \
                 exactly 4000 ms, in microseconds of real time. The others are measured for real.",
            ru: "  Эксперименты с пометкой (виртуальное время) идут на остановленных часах tokio: сон на 4 с\n  \
                 кончается ровно в 4000 ms за микросекунды реального времени. Остальные измеряются по-настоящему."
        );
    }
    if show("4.1") {
        section_4_1(&mut demo);
    }
    if show("4.2") {
        section_4_2(&mut demo, full, &mut got);
    }
    if show("4.3") {
        section_4_3(&mut demo, &mut got);
    }
    if show("4.4") {
        section_4_4(&mut demo, &sizes, quick, full, &mut got);
    }
    if show("sleepers") {
        section_sleepers(&mut demo, &sizes, &mut got);
    }
    if show("4.5") {
        section_4_5(&mut demo, &sizes, quick, &mut got);
    }
    if show("4.6") {
        section_4_6(&mut demo);
    }
    if show("4.7") {
        section_4_7(&mut demo, &sizes, quick, &mut got);
    }
    if show("4.8") {
        section_4_8(&mut demo, &mut got);
    }
    if show("python") {
        demo.section(&tr!(
            en: "Python asyncio, the same experiments",
            ru: "Python asyncio: те же эксперименты"
        ));
        python_side_by_side(&sizes, quick, full, &got.rust);
    }
    if let Some(path) = &flags.lab.trace {
        let scenarios: Vec<(&str, &Timeline)> =
            got.traces.iter().map(|(n, t)| (n.as_str(), t)).collect();
        let json = kit::timeline::chrome_trace_of(&scenarios);
        match std::fs::write(path, json) {
            Ok(()) => {
                let n = scenarios.len();
                println!(
                    "\n{}",
                    tr!(
                        en: "  Wrote {n} timelines to {path}: open it in https://ui.perfetto.dev (or chrome://tracing).",
                        ru: "  Временных диаграмм записано в {path}: {n}; откройте файл в https://ui.perfetto.dev (или chrome://tracing)."
                    )
                )
            }
            Err(e) => println!(
                "\n{}",
                tr!(
                    en: "  Cannot write the trace to {path}: {e}",
                    ru: "  Не удаётся записать трассу в {path}: {e}"
                )
            ),
        }
    }
    if flags.everything() {
        demo.demo.finish();
    }
}

fn section_4_1(demo: &mut Runner) {
    demo.section(&tr!(
        en: "Task 4.1: an event loop built by hand",
        ru: "Задание 4.1: цикл событий, собранный вручную"
    ));
    if let Some(r) = demo.task("4.1", scenarios::runtime_current_thread) {
        let ok = yes(r.on_caller && r.threads.len() == 1);
        say!(
            en: "  current_thread: 4 spawned tasks ran on the calling thread only: {ok}",
            ru: "  current_thread: 4 запущенные задачи выполнялись только в вызывающем потоке: {ok}"
        );
    }
    if let Some(r) = demo.task("4.1", scenarios::runtime_multi_thread) {
        let ok = yes(!r.on_caller);
        say!(
            en: "  multi_thread:   4 spawned tasks ran on worker threads, never on the caller: {ok}",
            ru: "  multi_thread:   4 запущенные задачи выполнялись в рабочих потоках, ни разу в вызывающем: {ok}"
        );
    }
}

fn section_4_2(demo: &mut Runner, full: bool, got: &mut Collected) {
    demo.section(&tr!(
        en: "Task 4.2: the course's example, 4 s and 3 s (virtual time)",
        ru: "Задание 4.2: пример курса, 4 с и 3 с (виртуальное время)"
    ));
    let Some(tl) = demo.task("4.2", scenarios::hello_world) else {
        return;
    };
    for (ms, task, what) in support::said(&tl) {
        say!(
            en: "  {ms:>6} ms  {task:<6} prints {what:?}",
            ru: "  {ms:>6} ms  {task:<6} печатает {what:?}"
        );
    }
    got.virtual_run("example", "4.2 hello world", tl, |ms| {
        tr!(
            en: "  Total: {ms} ms of virtual time, the longest delay, not 4 s + 3 s.",
            ru: "  Итого: {ms} ms виртуального времени — самая длинная задержка, а не 4 с + 3 с."
        )
    });
    if full {
        let real = demo.task("4.2", || {
            kit::clock::time(|| {
                scenarios::on_one_thread(crate::tasks::hello_world(Timeline::new()))
            })
            .1
        });
        if let Some(t) = real {
            let wall = human(t.wall);
            say!(
                en: "  The same in real time: {wall}.",
                ru: "  То же в реальном времени: {wall}."
            );
            got.rust.insert("example", format!("{wall} (×1)"));
        }
    }
}

fn section_4_3(demo: &mut Runner, got: &mut Collected) {
    demo.section(&tr!(
        en: "Task 4.3: awaiting one after another vs running together (virtual time)",
        ru: "Задание 4.3: await одно за другим против совместного выполнения (виртуальное время)"
    ));
    if let Some(tl) = demo.task("4.3", scenarios::sequential) {
        println!("  sequentially(a 1 s, b 2 s, c 3 s):");
        got.virtual_run("sequential_awaits", "4.3 sequentially", tl, |ms| {
            tr!(
                en: "  ends at {ms} ms: the sum of the delays.",
                ru: "  кончается в {ms} ms: сумма задержек."
            )
        });
    }
    if let Some(tl) = demo.task("4.3", scenarios::concurrent) {
        println!("  concurrently(a 1 s, b 2 s, c 3 s):");
        got.virtual_run("gather", "4.3 concurrently", tl, |ms| {
            tr!(
                en: "  ends at {ms} ms: the longest delay.",
                ru: "  кончается в {ms} ms: самая длинная задержка."
            )
        });
    }
}

fn section_4_4(demo: &mut Runner, sizes: &Sizes, quick: bool, full: bool, got: &mut Collected) {
    demo.section(&tr!(
        en: "Task 4.4: 100 downloads at once, then at most 10",
        ru: "Задание 4.4: 100 загрузок сразу, затем не более 10"
    ));
    say!(
        en: "  (virtual time) a server with a latency of 100 ms:",
        ru: "  (виртуальное время) сервер с задержкой 100 ms:"
    );
    let latency = Duration::from_millis(100);
    if let Some(run) = demo.task("4.4", move || {
        scenarios::virtual_downloads(100, None, latency)
    }) {
        print_virtual("download_all", &run);
    }
    if let Some(run) = demo.task("4.4", move || {
        scenarios::virtual_downloads(100, Some(10), latency)
    }) {
        print_virtual("download_limited(10)", &run);
    }
    if let Some(tl) = demo.task("4.4", scenarios::downloads_in_waves) {
        say!(
            en: "  nine downloads, at most three in flight: three waves.",
            ru: "  девять загрузок, одновременно не больше трёх: три волны."
        );
        draw(&tl);
        got.traces
            .push(("4.4 download_limited(3) (virtual time)".into(), tl));
    }
    let n = sizes.downloads;
    say!(
        en: "  (real time) {n} downloads from a real server on loopback:",
        ru: "  (реальное время) загрузок с настоящего сервера на loopback: {n}:"
    );
    real_downloads(demo, sizes, quick, full, got);
}

fn section_sleepers(demo: &mut Runner, sizes: &Sizes, got: &mut Collected) {
    let (n, each) = (sizes.sleepers, support::short(sizes.sleep_each));
    demo.section(&tr!(
        en: "{n} tasks sleeping {each} each",
        ru: "{n} задач, каждая спит {each}"
    ));
    let t = scenarios::many_sleepers(sizes.sleepers, sizes.sleep_each);
    got.rust.insert("sleepers", human(t));
    let t = human(t);
    say!(
        en: "  all {n} finished after {t} (each task: a few hundred bytes, no thread of its own).",
        ru: "  все {n} завершились через {t} (каждая задача — несколько сотен байт, без своего потока)."
    );
}

fn section_4_5(demo: &mut Runner, sizes: &Sizes, quick: bool, got: &mut Collected) {
    demo.section(&tr!(
        en: "Task 4.5: don't block the event loop",
        ru: "Задание 4.5: не блокируйте цикл событий"
    ));
    if let Some(t) = demo.task("4.5", scenarios::two_naps) {
        let ms = t.as_millis();
        say!(
            en: "  (virtual time) two tasks nap 1 s each: both done at {ms} ms.",
            ru: "  (виртуальное время) две задачи дремлют по 1 с: обе готовы к {ms} ms."
        );
    }
    let (period, block) = (sizes.period.as_millis(), sizes.block.as_millis());
    say!(
        en: "  (real time, one thread) a ticker ticks every {period} ms; a task calls a blocking function for {block} ms:",
        ru: "  (реальное время, один поток) метроном тикает каждые {period} ms; задача вызывает блокирующую функцию на {block} ms:"
    );
    let bug = scenarios::blocking_call(false, sizes.block, sizes.period);
    let ticks = bug.ticks_during;
    say!(
        en: "  right inside the task: the ticker ticked {ticks} times during the call.",
        ru: "  прямо внутри задачи: за время вызова метроном тикнул {ticks} раз."
    );
    if !quick {
        let gap = human(bug.longest_gap);
        say!(
            en: "  longest gap between ticks: {gap}",
            ru: "  самый длинный промежуток между тиками: {gap}"
        );
        draw(&bug.timeline);
    }
    got.rust
        .insert("blocked_ticks", bug.ticks_during.to_string());
    got.traces.push((
        "4.5 blocking call on the loop (real time)".into(),
        bug.timeline,
    ));
    let (block, period) = (sizes.block, sizes.period);
    if let Some(fix) = demo.task("4.5", move || scenarios::blocking_call(true, block, period)) {
        let kept = yes(fix.ticks_during > 0);
        say!(
            en: "  through run_blocking (spawn_blocking): the ticker kept ticking during the call: {kept}",
            ru: "  через `run_blocking` (`spawn_blocking`): метроном продолжал тикать во время вызова: {kept}"
        );
        if !quick {
            let (ticks, gap) = (fix.ticks_during, human(fix.longest_gap));
            say!(
                en: "  {ticks} ticks during the call; longest gap between ticks: {gap}",
                ru: "  тиков за время вызова: {ticks}; самый длинный промежуток между тиками: {gap}"
            );
            draw(&fix.timeline);
        }
        got.rust.insert("free_ticks", fix.ticks_during.to_string());
        got.traces
            .push(("4.5 run_blocking (real time)".into(), fix.timeline));
    }
}

fn section_4_6(demo: &mut Runner) {
    demo.section(&tr!(
        en: "Task 4.6: calling into the loop from another thread",
        ru: "Задание 4.6: вызов в цикл событий из другого потока"
    ));
    if let Some(b) = demo.task("4.6", scenarios::bridge) {
        let (caller, value, on_loop) = (&b.caller, b.value, yes(b.ran_on_loop));
        say!(
            en: "  thread {caller:?} asked the loop for a value and got {value}; the future ran on the loop's thread: {on_loop}",
            ru: "  поток {caller:?} попросил у цикла событий значение и получил {value}; future выполнилась в потоке цикла: {on_loop}"
        );
        let report = &b.report;
        say!(
            en: "  from async code, through spawn_blocking, the synchronous legacy_report said {report:?}",
            ru: "  из асинхронного кода через `spawn_blocking` синхронная `legacy_report` ответила `{report:?}`"
        );
    }
}

fn section_4_7(demo: &mut Runner, sizes: &Sizes, quick: bool, got: &mut Collected) {
    demo.section(&tr!(
        en: "Task 4.7: cooperative scheduling (real time, one thread)",
        ru: "Задание 4.7: кооперативное планирование (реальное время, один поток)"
    ));
    let greedy = scenarios::long_sum(false, sizes.sum_n, 100_000, sizes.period);
    let (n, ticks) = (sizes.sum_n, greedy.ticks_during);
    say!(
        en: "  a sum of {n} numbers that never yields: the ticker ticked {ticks} times while it ran.",
        ru: "  сумма {n} чисел, которая ни разу не уступает поток: пока она шла, метроном тикнул {ticks} раз."
    );
    if !quick {
        let (took, gap) = (human(greedy.took), human(greedy.longest_gap));
        say!(
            en: "  the sum took {took}; longest gap between ticks: {gap}",
            ru: "  сумма заняла {took}; самый длинный промежуток между тиками: {gap}"
        );
        draw(&greedy.timeline);
    }
    let greedy_sum = greedy.sum;
    got.traces.push((
        "4.7 sum without yielding (real time)".into(),
        greedy.timeline,
    ));
    let (n, period) = (sizes.sum_n, sizes.period);
    if let Some(coop) = demo.task("4.7", move || scenarios::long_sum(true, n, 100_000, period)) {
        let same = yes(coop.sum == greedy_sum);
        say!(
            en: "  cooperative_sum, yielding every 100000 numbers: same result: {same}",
            ru: "  `cooperative_sum`, уступая поток каждые 100000 чисел: результат тот же: {same}"
        );
        if !quick {
            let (took, ticks, gap) = (human(coop.took), coop.ticks_during, human(coop.longest_gap));
            say!(
                en: "  it took {took}; {ticks} ticks while it ran; longest gap between ticks: {gap}",
                ru: "  она заняла {took}; тиков за это время: {ticks}; самый длинный промежуток между тиками: {gap}"
            );
            draw(&coop.timeline);
        }
        got.traces
            .push(("4.7 cooperative_sum (real time)".into(), coop.timeline));
    }
}

fn section_4_8(demo: &mut Runner, got: &mut Collected) {
    demo.section(&tr!(
        en: "Task 4.8: an async stream and an async cleanup (virtual time)",
        ru: "Задание 4.8: асинхронный поток данных и асинхронная очистка (виртуальное время)"
    ));
    if let Some((tl, items)) = demo.task("4.8", scenarios::stream) {
        println!("  consume(ticks(4, 250 ms)) = {items:?}");
        draw(&tl);
        got.traces.push(("4.8 stream (virtual time)".into(), tl));
    }
    if let Some((tl, answers)) = demo.task("4.8", scenarios::session) {
        let closed = support::said(&tl)
            .iter()
            .any(|(_, _, what)| what == "closed");
        let closed = yes(closed);
        say!(
            en: "  with_session(\"db\", two queries) = {answers:?}; the session was closed: {closed}",
            ru: "  `with_session(\"db\", два запроса)` = `{answers:?}`; сессия закрыта: {closed}"
        );
        draw(&tl);
        got.traces.push(("4.8 session (virtual time)".into(), tl));
    }
}

/// The demo runner: every task runs with a deadline (a task that hangs costs its own
/// section only), and a missing task is reported once, not at every experiment.
struct Runner {
    demo: Demo,
    missing: HashSet<&'static str>,
    deadline: Duration,
}

impl Runner {
    fn section(&self, title: &str) {
        self.demo.section(title);
    }

    fn task<T: Send + 'static>(
        &mut self,
        id: &'static str,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        if self.missing.contains(id) {
            return None;
        }
        let out = self.demo.task_within(id, self.deadline, f);
        if out.is_none() {
            self.missing.insert(id);
        }
        out
    }
}

fn yes(b: bool) -> String {
    if b {
        tr!(en: "yes", ru: "да")
    } else {
        tr!(en: "NO", ru: "НЕТ")
    }
}

/// Prints a timeline, indented.
fn draw(tl: &Timeline) {
    for line in tl.render_here(WIDTH).lines() {
        println!("  {line}");
    }
}

fn print_virtual(what: &str, run: &DownloadRun) {
    let (ok, ms, most) = (run.ok, run.elapsed.as_millis(), run.max_in_flight);
    say!(
        en: "  {what}: {ok} bodies correct, done at {ms} ms, at most {most} requests in flight.",
        ru: "  {what}: верных ответов {ok}, готово к {ms} ms, одновременно не больше {most} запросов."
    );
}

/// 100 real downloads: threads (provided), your async versions, and sequential (computed,
/// or measured with `--full`).
fn real_downloads(demo: &mut Runner, sizes: &Sizes, quick: bool, full: bool, got: &mut Collected) {
    let server = match SlowServer::start(sizes.latency, sizes.downloads) {
        Ok(s) => s,
        Err(e) => {
            say!(
                en: "  cannot start the local HTTP server: {e}. Is loopback available?",
                ru: "  не удаётся запустить локальный HTTP-сервер: {e}. Доступен ли loopback?"
            );
            return;
        }
    };
    let (addr, ms) = (server.addr(), sizes.latency.as_millis());
    say!(
        en: "  The server on {addr} answers each request after {ms} ms.",
        ru: "  Сервер на {addr} отвечает на каждый запрос через {ms} ms."
    );
    let urls = server.urls();
    let n = urls.len();
    let mut table = Table::headed([
        ("how", "как"),
        ("wall", "астр."),
        ("max in flight", "макс. одновременно"),
        ("bodies correct", "верных ответов"),
    ]);

    if full {
        server.reset_counts();
        let t0 = Instant::now();
        let results: Vec<_> = urls.iter().map(|u| kit::http::get(u)).collect();
        let t = t0.elapsed();
        got.rust.insert("sequential", human(t));
        table.row([
            tr!(en: "sequential, blocking (Lab 1)", ru: "последовательно, блокирующе (ЛР 1)"),
            human(t),
            server.max_in_flight().to_string(),
            format!("{}/{n}", scenarios::count_ok(&results)),
        ]);
    }

    server.reset_counts();
    let t0 = Instant::now();
    let handles: Vec<_> = urls
        .iter()
        .cloned()
        .map(|u| std::thread::spawn(move || kit::http::get(&u)))
        .collect();
    let results: Vec<_> = handles
        .into_iter()
        .map(|h| h.join().expect("a download thread panicked"))
        .collect();
    let t = t0.elapsed();
    got.rust.insert("threads", human(t));
    let threads_row = [
        tr!(en: "{n} threads, blocking (Lab 2)", ru: "{n} потоков, блокирующе (ЛР 2)"),
        human(t),
        server.max_in_flight().to_string(),
        format!("{}/{n}", scenarios::count_ok(&results)),
    ];

    server.reset_counts();
    let all = demo.task("4.4", {
        let urls = urls.clone();
        move || scenarios::real_downloads(urls, None, None)
    });
    let all_max = server.max_in_flight();
    server.reset_counts();
    let tl = Timeline::new();
    let limited = demo.task("4.4", {
        let (urls, limit, tl) = (urls.clone(), sizes.limit, tl.clone());
        move || scenarios::real_downloads(urls, Some(limit), Some(tl))
    });
    let limited_max = server.max_in_flight();

    if quick {
        // Real timings and counts vary from run to run: print only what must hold.
        let ok = scenarios::count_ok(&results);
        say!(
            en: "  {n} threads: {ok}/{n} bodies correct.",
            ru: "  {n} потоков: верных ответов {ok}/{n}."
        );
        if let Some((results, _)) = &all {
            let ok = scenarios::count_ok(results);
            say!(
                en: "  download_all on one thread: {ok}/{n} bodies correct.",
                ru: "  `download_all` в одном потоке: верных ответов {ok}/{n}."
            );
        }
        if let Some((results, _)) = &limited {
            let (limit, ok) = (sizes.limit, scenarios::count_ok(results));
            let within = yes(limited_max <= limit);
            say!(
                en: "  download_limited({limit}): {ok}/{n} bodies correct; never more than {limit} in flight: {within}.",
                ru: "  `download_limited({limit})`: верных ответов {ok}/{n}; одновременно никогда не больше {limit}: {within}."
            );
        }
        return;
    }
    table.row(threads_row);
    if let Some((results, t)) = &all {
        got.rust.insert("async", human(*t));
        table.row([
            tr!(en: "download_all, one thread", ru: "download_all, один поток"),
            human(*t),
            all_max.to_string(),
            format!("{}/{n}", scenarios::count_ok(results)),
        ]);
    }
    if let Some((results, t)) = &limited {
        got.rust.insert("limited", human(*t));
        let limit = sizes.limit;
        table.row([
            tr!(
                en: "download_limited({limit}), one thread",
                ru: "download_limited({limit}), один поток"
            ),
            human(*t),
            limited_max.to_string(),
            format!("{}/{n}", scenarios::count_ok(results)),
        ]);
        got.traces.push((
            format!("4.4 {n} real downloads, at most {}", sizes.limit),
            tl,
        ));
    }
    print!("{table}");
    if !full {
        let (ms, total) = (sizes.latency.as_millis(), human(sizes.latency * n as u32));
        say!(
            en: "  Sequential (Lab 1) would take {n} × {ms} ms = {total} (run with --full to measure it).",
            ru: "  Последовательно (ЛР 1) вышло бы {n} × {ms} ms = {total} (чтобы измерить, запустите с --full)."
        );
    }
    let (limit, rounds) = (sizes.limit, n.div_ceil(sizes.limit));
    say!(
        en: "  One thread waits for {n} answers at once: async costs about one latency; the limit of {limit} costs {rounds} latencies.",
        ru: "  Один поток ждёт {n} ответов сразу: async стоит примерно одну задержку; ограничение {limit} стоит {rounds} задержек."
    );
}

/// Runs the asyncio version and prints its figures beside Rust's.
fn python_side_by_side(
    sizes: &Sizes,
    quick: bool,
    full: bool,
    rust: &HashMap<&'static str, String>,
) {
    // The Python script needs its own server: the Rust one is gone with its section.
    let server = match SlowServer::start(sizes.latency, sizes.downloads) {
        Ok(s) => s,
        Err(e) => {
            say!(
                en: "  cannot start the local HTTP server for Python: {e}.",
                ru: "  не удаётся запустить локальный HTTP-сервер для Python: {e}."
            );
            return;
        }
    };
    let mode = if full {
        "full"
    } else if quick {
        "quick"
    } else {
        "normal"
    };
    let url0 = server.url(0);
    let base = url0.trim_end_matches('0');
    let py_args = [
        mode.to_string(),
        base.to_string(),
        sizes.downloads.to_string(),
        sizes.limit.to_string(),
        sizes.sleepers.to_string(),
        sizes.sleep_each.as_secs_f64().to_string(),
        sizes.block.as_secs_f64().to_string(),
    ];
    let py_args: Vec<&str> = py_args.iter().map(String::as_str).collect();
    let out = match python::run("asyncio_lab.py", PYTHON, &py_args, Duration::from_secs(120)) {
        PythonRun::Skipped(why) => {
            println!("  {why}.");
            return;
        }
        PythonRun::Ran(out) => out,
    };
    let mut table = Table::headed([
        ("experiment", "эксперимент"),
        ("Python asyncio", "asyncio в Python"),
        ("Rust tokio", "tokio в Rust"),
    ]);
    for line in out.lines() {
        let cells: Vec<&str> = line.split('\t').collect();
        match cells[..] {
            ["say", what] => println!("  python: {what}"),
            [key, label, value] => {
                let rust_cell = rust.get(key).cloned().unwrap_or_else(|| "—".into());
                let py_cell = match value.parse::<f64>() {
                    Ok(secs) if !key.ends_with("_ticks") => human(Duration::from_secs_f64(secs)),
                    _ => value.to_string(),
                };
                table.row([label.to_string(), py_cell, rust_cell]);
            }
            _ => {}
        }
    }
    print!("{table}");
    say!(
        en: "  Both wait the same: one event loop, one thread, the same latencies. Python's to_thread\n  \
             pool has min(32, cores + 4) threads, so its \"threads\" row queues the downloads.",
        ru: "  Оба ждут одинаково: один цикл событий, один поток, те же задержки. В пуле `to_thread` у Python\n  \
             min(32, ядра + 4) потоков, поэтому в его строке с потоками загрузки стоят в очереди."
    );
}
