//! The Lab 2 demo (not a student file): your threads, measured.
//!
//! `cargo run -p lab2` runs it on your code, `cargo run -p lab2-solution` on the reference.
//! Options:
//! - `--quick`: small sizes (the checker uses it);
//! - `--race-trials N`: how many times to run the racy counter (default 10, 3 with `--quick`);
//! - `--only S[,S...]`: only these sections: `2.1` to `2.7`, `race`, `python`;
//! - `--help`: the flags.
//!
//! Unfinished tasks are skipped with a note that says where to write them; the provided
//! parts (the racy counter, the deadlock of `transfer_naive`, Python) always run.

use crate::account::{Account, transfer_naive};
use crate::bank::transfer;
use crate::counters::{AtomicCounter, MutexCounter};
use crate::gil::gil_sum;
use crate::parallel::parallel_sum;
use crate::pipeline::pipeline;
use crate::pool::download_all;
use crate::race::{RacyCounter, Tally, WINDOW_SPINS, hammer};
use crate::spawn::{scoped_map, spawn_all};
use crate::workload::{WINDOW_START, count_primes, window};
use kit::clock::{Timing, human, time};
use kit::demo::{Demo, Flags, LabFlags, Outcome, clap, python_timings, run_within};
use kit::python::{self, PythonRun};
use kit::table::Table;
use kit::timeline::{EventKind, Timeline};
use kit::{say, tr};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// The course's Python examples, embedded so every build runs the same files.
const PY_CPU: &str = include_str!("../../python/cpu_threads.py");
const PY_RACE: &str = include_str!("../../python/counter_race.py");

/// Sizes of one demo run.
struct Sizes {
    /// Task 2.1: jobs that each sleep this long.
    sleep: Duration,
    /// The race: increments per thread, and how many runs.
    race_per_thread: u64,
    race_trials: usize,
    /// Task 2.2: increments per thread, on 4 threads.
    exact_per_thread: u64,
    /// Tasks 2.3 and 2.4: how many numbers to test, from `WINDOW_START`.
    primes_len: u64,
    /// Task 2.4: numbers per turn at the GIL (about 4 ms of work, like CPython's 5 ms
    /// switch interval).
    gil_chunk: u64,
    /// Task 2.5: jobs, and how long each one takes.
    jobs: usize,
    job_time: Duration,
    /// Task 2.6: resources, their latency, and the pool sizes to try.
    downloads: usize,
    latency: Duration,
    pools: &'static [usize],
    /// Task 2.7: how long to wait for the deadlock, and transfers per direction.
    deadlock_wait: Duration,
    transfers: u64,
    /// Python: `fib(n)`, how many numbers to test, increments per thread (enough for each
    /// thread to run several of CPython's 5 ms switch intervals: with 100,000 a fast machine
    /// finishes a thread inside one, and the call version loses nothing, by luck).
    py_fib: u32,
    py_primes_len: u64,
    py_increments: u64,
    py_race_trials: usize,
    /// How long any one task may take before the demo gives up on it (a hang, a deadlock).
    deadline: Duration,
    /// Draw timelines (their shape differs from run to run: not in `--quick`).
    timelines: bool,
}

impl Sizes {
    fn new(quick: bool) -> Sizes {
        if quick {
            Sizes {
                sleep: Duration::from_millis(50),
                race_per_thread: 20_000,
                race_trials: 3,
                exact_per_thread: 50_000,
                primes_len: 2_000,
                gil_chunk: 100,
                jobs: 8,
                job_time: Duration::from_millis(20),
                downloads: 6,
                latency: Duration::from_millis(50),
                pools: &[1, 3, 6],
                deadlock_wait: Duration::from_millis(300),
                transfers: 20_000,
                py_fib: 24,
                py_primes_len: 200,
                py_increments: 300_000,
                py_race_trials: 3,
                deadline: Duration::from_secs(5),
                timelines: false,
            }
        } else {
            Sizes {
                sleep: Duration::from_millis(100),
                race_per_thread: 100_000,
                race_trials: 10,
                exact_per_thread: 250_000,
                primes_len: 24_000,
                gil_chunk: 100,
                jobs: 12,
                job_time: Duration::from_millis(50),
                downloads: 20,
                latency: Duration::from_millis(100),
                pools: &[1, 4, 10, 20],
                deadlock_wait: Duration::from_secs(2),
                transfers: 100_000,
                py_fib: 30,
                py_primes_len: 1_000,
                py_increments: 500_000,
                py_race_trials: 10,
                deadline: Duration::from_secs(60),
                timelines: true,
            }
        }
    }
}

/// What the CPU experiments measured, for the Python comparison at the end.
#[derive(Default)]
struct Measured {
    /// Wall time of the prime count on 1 and 2 threads, without and with the GIL model.
    free: Option<(Duration, Duration)>,
    gil: Option<(Duration, Duration)>,
    /// Racy counter: runs that lost updates, runs, mean % lost.
    race: Option<(usize, usize, f64)>,
}

/// Lab 2's own demo flags.
#[derive(Debug, Clone, clap::Args)]
pub struct Lab2Flags {
    /// How many times to run the racy counter (default 10, 3 with --quick)
    #[arg(long, value_name = "N")]
    pub race_trials: Option<usize>,
}

impl LabFlags for Lab2Flags {
    const LAB: &'static str = "lab2";
    const SECTIONS: &'static str = "2.1 to 2.7, race, python";

    fn help_ru() -> &'static [(&'static str, &'static str)] {
        &[(
            "race_trials",
            "Сколько раз запускать счётчик с гонкой (по умолчанию 10, с --quick 3)",
        )]
    }
}

/// Runs the demo with its flags (see the module doc).
pub fn run(flags: Flags<Lab2Flags>) {
    let mut sizes = Sizes::new(flags.quick);
    if let Some(n) = flags.lab.race_trials {
        sizes.race_trials = n;
    }
    let wanted = |s: &str| flags.wants(s);

    let mut demo = Demo::start("lab2");
    let mut measured = Measured::default();
    if wanted("2.1") {
        spawn_and_join(&mut demo, &sizes);
    }
    if wanted("race") || wanted("2.2") {
        measured.race = race(&mut demo, &sizes);
    }
    if wanted("2.2") {
        exact_counters(&mut demo, &sizes);
    }
    if wanted("2.3") {
        measured.free = free_threads(&mut demo, &sizes);
    }
    if wanted("2.4") {
        measured.gil = gil_model(&mut demo, &sizes);
    }
    if wanted("2.5") {
        channel_pipeline(&mut demo, &sizes);
    }
    if wanted("2.6") {
        pool_downloads(&mut demo, &sizes);
    }
    if wanted("2.7") {
        deadlock(&mut demo, &sizes);
    }
    if wanted("python") {
        python_side_by_side(&demo, &sizes, &measured);
    }
    if flags.everything() {
        demo.finish();
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

// ─── Task 2.1 ────────────────────────────────────────────────────────────────────────

fn spawn_and_join(demo: &mut Demo, sizes: &Sizes) {
    demo.section(&tr!(
        en: "Task 2.1: spawn and join",
        ru: "Задание 2.1: запуск и ожидание потоков"
    ));
    let sleep = sizes.sleep;
    let jobs: Vec<_> = (0..4u64)
        .map(|i| {
            move || {
                std::thread::sleep(sleep);
                (i * 10, std::thread::current().id())
            }
        })
        .collect();
    let caller = std::thread::current().id();
    let words: Vec<String> = ["fork", "pipe", "mutex", "channel"]
        .map(String::from)
        .to_vec();
    let both = {
        let words = words.clone();
        move || {
            let spawned = time(|| spawn_all(jobs));
            // `words` is a local here: `thread::spawn` could not borrow it, scoped threads can.
            let lengths = scoped_map(&words, |w| w.len());
            (spawned, lengths)
        }
    };
    let Some(((results, t), lengths)) = demo.task_within("2.1", sizes.deadline, both) else {
        return;
    };
    let values: Vec<u64> = results.iter().map(|(v, _)| *v).collect();
    let threads = distinct(results.iter().map(|(_, id)| *id));
    let on_caller = results.iter().any(|(_, id)| *id == caller);
    let (each, all, serial) = (human(sleep), human(t.wall), human(sleep * 4));
    say!(
        en: "  4 jobs that each sleep {each} ran on their own threads: {all} in all (one after another: {serial}).",
        ru: "  4 работы, каждая спит {each}, выполнились каждая в своём потоке: всего {all} (одна за другой: {serial})."
    );
    if on_caller {
        say!(
            en: "  Results in input order: {values:?}, computed by {threads} different threads, one of them the caller.",
            ru: "  Результаты в порядке входа: {values:?}, вычислены разными потоками ({threads}), один из них — вызывающий."
        );
    } else {
        say!(
            en: "  Results in input order: {values:?}, computed by {threads} different threads, none of them the caller.",
            ru: "  Результаты в порядке входа: {values:?}, вычислены разными потоками ({threads}), вызывающего среди них нет."
        );
    }
    say!(
        en: "  Scoped threads borrowing a local Vec: {words:?} → lengths {lengths:?}.",
        ru: "  Потоки с областью видимости заимствуют локальный `Vec`: `{words:?}` → длины `{lengths:?}`."
    );
}

fn distinct(ids: impl IntoIterator<Item = ThreadId>) -> usize {
    let mut seen: Vec<ThreadId> = Vec::new();
    for id in ids {
        if !seen.contains(&id) {
            seen.push(id);
        }
    }
    seen.len()
}

// ─── The race and task 2.2 ──────────────────────────────────────────────────────────

fn race(demo: &mut Demo, sizes: &Sizes) -> Option<(usize, usize, f64)> {
    demo.section(&tr!(
        en: "The race condition (provided: src/provided/race.rs)",
        ru: "Состояние гонки (готовый код: src/provided/race.rs)"
    ));
    say!(
        en: "  RacyCounter::increment loads the value, spins {WINDOW_SPINS} times, then stores what it loaded + 1.",
        ru: "  `RacyCounter::increment` читает значение, крутится {WINDOW_SPINS} раз и записывает прочитанное + 1."
    );
    say!(
        en: "  Every access is atomic: no data race, no unsafe. Yet increments vanish:",
        ru: "  Каждое обращение атомарно: ни гонки данных, ни `unsafe`. И всё же увеличения пропадают:"
    );
    let mut table = Table::headed([
        ("threads", "потоки"),
        ("expected", "ожидалось"),
        ("counter shows", "счётчик показал"),
    ]);
    for threads in [2, 4] {
        let tally = hammer(&RacyCounter::new(), threads, sizes.race_per_thread);
        table.row([
            threads.to_string(),
            tally.expected.to_string(),
            lost(&tally),
        ]);
    }
    print!("{table}");
    let trials = sizes.race_trials;
    let mut losing = 0;
    let mut percent = 0.0;
    for _ in 0..trials {
        let tally = hammer(&RacyCounter::new(), 2, sizes.race_per_thread);
        losing += usize::from(tally.lost() > 0);
        percent += tally.lost_percent();
    }
    let mean = if trials == 0 {
        0.0
    } else {
        percent / trials as f64
    };
    let per_thread = sizes.race_per_thread;
    say!(
        en: "  2 threads × {per_thread} increments, {trials} runs: updates lost in {losing} of {trials} runs (mean {mean:.1} % lost).",
        ru: "  2 потока × {per_thread} увеличений, запусков: {trials}; обновления потеряны в {losing} из {trials} (в среднем потеряно {mean:.1} %)."
    );
    say!(
        en: "  Two threads load the same value and both store value + 1: one increment is gone.",
        ru: "  Два потока читают одно и то же значение и оба записывают значение + 1: одно увеличение пропало."
    );
    Some((losing, trials, mean))
}

/// A racy count: what was counted and what was lost.
fn lost(t: &Tally) -> String {
    let (actual, lost, percent) = (t.actual, t.lost(), t.lost_percent());
    tr!(
        en: "counted {actual} — lost {lost} ({percent:.1} %)",
        ru: "насчитал {actual} — потеряно {lost} ({percent:.1} %)"
    )
}

/// An exact count is the point of task 2.2: say so, or show the loss.
fn exact(t: &Tally) -> String {
    if t.lost() == 0 && t.actual == t.expected {
        let actual = t.actual;
        tr!(en: "{actual} (exact)", ru: "{actual} (точно)")
    } else {
        lost(t)
    }
}

fn exact_counters(demo: &mut Demo, sizes: &Sizes) {
    demo.section(&tr!(
        en: "Task 2.2: exact counters",
        ru: "Задание 2.2: точные счётчики"
    ));
    let n = sizes.exact_per_thread;
    let mut table = Table::headed([
        ("counter", "счётчик"),
        ("threads", "потоки"),
        ("expected", "ожидалось"),
        ("counter shows", "счётчик показал"),
        ("time", "время"),
    ]);
    let both = move || {
        let mutex = time(|| hammer(&MutexCounter::new(), 4, n));
        let atomic = time(|| hammer(&AtomicCounter::new(), 4, n));
        (mutex, atomic)
    };
    if let Some((mutex, atomic)) = demo.task_within("2.2", sizes.deadline, both) {
        for (name, (tally, t)) in [("MutexCounter", mutex), ("AtomicCounter", atomic)] {
            table.row([
                name.to_owned(),
                "4".to_owned(),
                tally.expected.to_string(),
                exact(&tally),
                human(t.wall),
            ]);
        }
    }
    if !table.is_empty() {
        print!("{table}");
        say!(
            en: "  Read, add and write happen as one step: under the lock, or in one fetch_add instruction.",
            ru: "  Чтение, сложение и запись происходят одним шагом: под блокировкой или одной инструкцией `fetch_add`."
        );
        say!(
            en: "  fetch_add is usually the faster: a contended lock puts threads to sleep and wakes them.",
            ru: "  `fetch_add` обычно быстрее: за занятой блокировкой потоки засыпают, и их приходится будить."
        );
    }
}

// ─── Tasks 2.3 and 2.4 ──────────────────────────────────────────────────────────────

/// One row of a speedup table: threads, count, timing.
type Run = (usize, u64, Timing);

/// Prints the table, then whether every row found the same count as the first.
fn speedup_table(runs: &[Run]) {
    let base = runs.first().map(|(_, _, t)| t.wall.as_secs_f64());
    let mut table = Table::headed([
        ("threads", "потоки"),
        ("primes", "простых"),
        ("wall", "астр."),
        ("CPU", "ЦП"),
        ("CPU/wall", "ЦП/астр."),
        ("speedup", "ускорение"),
    ]);
    for (threads, count, t) in runs {
        let speedup = match base {
            Some(b) if t.wall.as_secs_f64() > 0.0 => format!("{:.2}×", b / t.wall.as_secs_f64()),
            _ => "—".to_owned(),
        };
        table.row([
            threads.to_string(),
            count.to_string(),
            human(t.wall),
            human(t.cpu),
            format!("{:.2}", t.cpu_per_wall()),
            speedup,
        ]);
    }
    print!("{table}");
    let first = runs.first().map(|r| r.1);
    if runs.iter().all(|r| Some(r.1) == first) {
        say!(
            en: "  Same count on every row. CPU/wall is how many cores were busy at once.",
            ru: "  Во всех строках одно и то же число. ЦП/астр. — сколько ядер были заняты одновременно."
        );
    } else {
        say!(
            en: "  ✗ The counts differ from row to row: the chunks do not cover the range exactly once.",
            ru: "  ✗ Числа в строках различаются: куски не покрывают диапазон ровно один раз."
        );
    }
    // One busy thread should get a whole core (CPU/wall ≈ 1). Much less means other
    // programs were using the cores too, and the wall times say more about them than us.
    if let Some((_, _, t)) = runs.first().filter(|r| r.2.cpu_per_wall() < BUSY) {
        let percent = 100.0 * t.cpu_per_wall();
        say!(
            en: "  (busy machine: the 1-thread run got {percent:.0} % of a core; speedups are unreliable, run it again later)",
            ru: "  (машина занята: запуск на 1 потоке получил {percent:.0} % ядра; ускорениям верить нельзя, повторите позже)"
        );
    }
}

/// Below this CPU/wall, a single computing thread was kept waiting for a core.
const BUSY: f64 = 0.8;

/// The 1-thread and 2-thread wall times of a table, for the Python comparison.
fn one_and_two(runs: &[Run]) -> Option<(Duration, Duration)> {
    let wall = |n: usize| runs.iter().find(|r| r.0 == n).map(|r| r.2.wall);
    Some((wall(1)?, wall(2)?))
}

fn free_threads(demo: &mut Demo, sizes: &Sizes) -> Option<(Duration, Duration)> {
    demo.section(&tr!(
        en: "Task 2.3: CPU-bound work on T threads",
        ru: "Задание 2.3: работа, ограниченная процессором, на T потоках"
    ));
    let range = window(sizes.primes_len);
    let (len, cores) = (sizes.primes_len, cores());
    say!(
        en: "  Counting the primes among the {len} numbers from {WINDOW_START}, on T threads ({cores} cores here).",
        ru: "  Считаем простые среди {len} чисел начиная с {WINDOW_START} на T потоках (ядер здесь: {cores})."
    );
    let mut runs: Vec<Run> = Vec::new();
    for threads in [1, 2, 4] {
        let r = range.clone();
        match demo.task_within("2.3", sizes.deadline, move || {
            time(|| parallel_sum(r, threads, count_primes))
        }) {
            Some((count, t)) => runs.push((threads, count, t)),
            None => return None,
        }
    }
    speedup_table(&runs);
    say!(
        en: "  Rust threads run on every core at once: no lock stands between them and the CPU.",
        ru: "  Потоки Rust работают на всех ядрах сразу: между ними и процессором нет никакой блокировки."
    );
    if sizes.timelines {
        let tl = Timeline::new();
        let names = ThreadNames::default();
        let _ = parallel_sum(range, 2, |chunk| traced(&tl, &names, chunk, None));
        names.finish(&tl);
        println!(
            "\n{}",
            tr!(en: "  Who computed when, 2 threads:", ru: "  Кто когда считал, 2 потока:")
        );
        print!("{}", indent(&tl.render_here(60)));
    }
    one_and_two(&runs)
}

fn gil_model(demo: &mut Demo, sizes: &Sizes) -> Option<(Duration, Duration)> {
    demo.section(&tr!(
        en: "Task 2.4: the GIL model",
        ru: "Задание 2.4: модель GIL"
    ));
    let range = window(sizes.primes_len);
    let chunk = sizes.gil_chunk;
    say!(
        en: "  The same count, in chunks of {chunk} numbers; a thread holds the one global lock (GIL) while it computes a chunk.",
        ru: "  Тот же подсчёт кусками по {chunk} чисел; поток держит единственную глобальную блокировку (GIL), пока считает кусок."
    );
    let mut runs: Vec<Run> = Vec::new();
    for threads in [1, 2, 4] {
        let r = range.clone();
        let chunk = sizes.gil_chunk;
        match demo.task_within("2.4", sizes.deadline, move || {
            time(|| gil_sum(r, threads, chunk, count_primes))
        }) {
            Some((count, t)) => runs.push((threads, count, t)),
            None => return None,
        }
    }
    speedup_table(&runs);
    say!(
        en: "  CPU/wall stays near 1: one thread computes, the others sleep waiting for the lock.",
        ru: "  ЦП/астр. держится около 1: один поток считает, остальные спят в ожидании блокировки."
    );
    say!(
        en: "  That is CPython running pure-Python code on threads: concurrency, no parallelism.",
        ru: "  Так CPython выполняет чистый Python-код в потоках: конкурентность без параллелизма."
    );
    if sizes.timelines {
        let tl = Timeline::new();
        let names = ThreadNames::default();
        let _ = gil_sum(
            range.start..range.start + sizes.primes_len / 4,
            2,
            sizes.gil_chunk,
            |chunk| traced(&tl, &names, chunk, Some("GIL")),
        );
        names.finish(&tl);
        println!(
            "\n{}",
            tr!(
                en: "  Who computed when, 2 threads and the GIL (a quarter of the work):",
                ru: "  Кто когда считал, 2 потока и GIL (четверть работы):"
            )
        );
        print!("{}", indent(&tl.render_here(60)));
        say!(
            en: "  (─ here is a thread waiting for the GIL)",
            ru: "  (─ здесь — поток, ждущий GIL)"
        );
    }
    one_and_two(&runs)
}

/// Names threads "thread 1", "thread 2"... in order of first appearance.
#[derive(Default)]
struct ThreadNames(Mutex<HashMap<ThreadId, String>>);

impl ThreadNames {
    fn name(&self) -> String {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let next = map.len() + 1;
        map.entry(std::thread::current().id())
            .or_insert_with(|| tr!(en: "thread {next}", ru: "поток {next}"))
            .clone()
    }

    fn finish(&self, tl: &Timeline) {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        for name in map.values() {
            tl.record(name, EventKind::Finish);
        }
    }
}

/// `count_primes(chunk)`, recorded on the timeline as a running span; with `wait_for`, the
/// time after it is drawn as waiting for that (the GIL).
fn traced(tl: &Timeline, names: &ThreadNames, chunk: Range<u64>, wait_for: Option<&str>) -> u64 {
    let name = names.name();
    tl.record(&name, EventKind::Resume);
    let count = count_primes(chunk);
    if let Some(what) = wait_for {
        tl.record(&name, EventKind::Await(what.to_owned()));
    }
    count
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

// ─── Task 2.5 ───────────────────────────────────────────────────────────────────────

fn channel_pipeline(demo: &mut Demo, sizes: &Sizes) {
    demo.section(&tr!(
        en: "Task 2.5: a pipeline over a bounded channel",
        ru: "Задание 2.5: конвейер на ограниченном канале"
    ));
    let (n, workers, capacity, job_time) = (sizes.jobs, 2, 2, sizes.job_time);
    let each = human(sizes.job_time);
    say!(
        en: "  {n} jobs of {each} each; a producer, {workers} workers, a channel of capacity {capacity}, a collector.",
        ru: "  Работ: {n}, по {each} каждая; производитель, рабочих потоков: {workers}, канал ёмкостью {capacity}, сборщик."
    );
    let Some(bounded) = demo.task_within("2.5", sizes.deadline, move || {
        observe(n, workers, capacity, job_time)
    }) else {
        return;
    };
    let mut results = bounded.results.clone();
    results.sort_unstable();
    let once = results == (0..n as u64).map(|j| j * j).collect::<Vec<_>>();
    let got = bounded.results.len();
    let once = if once {
        tr!(en: "yes", ru: "да")
    } else {
        tr!(en: "NO", ru: "НЕТ")
    };
    say!(
        en: "  {got} results for {n} jobs; every job processed exactly once: {once}.",
        ru: "  Результатов: {got} на {n} работ; каждая работа обработана ровно один раз: {once}."
    );
    let (ahead, bound) = (bounded.max_ahead, capacity + workers + 1);
    say!(
        en: "  Backpressure: the producer ran at most {ahead} jobs ahead of the finished ones; the bound allows {bound}",
        ru: "  Обратное давление: производитель опережал завершённые работы не больше чем на {ahead}; граница допускает {bound}"
    );
    say!(
        en: "  ({capacity} waiting in the channel + {workers} at the workers + 1 in its hand): a full channel blocks send.",
        ru: "  ({capacity} ждут в канале + {workers} у рабочих потоков + 1 у него в руках): полный канал блокирует `send`."
    );
    if let Some(unbounded) = demo.task_within("2.5", sizes.deadline, move || {
        observe(n, workers, n, job_time)
    }) {
        let (bounded, unbounded) = (human(bounded.producer_done), human(unbounded.producer_done));
        say!(
            en: "  It pulled its last job after {bounded}; with room for all {n} jobs (capacity {n}), after {unbounded}.",
            ru: "  Последнюю работу он взял через {bounded}; когда места хватает на все {n} (ёмкость {n}), — через {unbounded}."
        );
    }
    if sizes.timelines {
        println!(
            "\n{}",
            tr!(
                en: "  Jobs pulled by the producer and finished by the workers, over time (capacity {capacity}):",
                ru: "  Работы, взятые производителем и завершённые рабочими потоками, во времени (ёмкость {capacity}):"
            )
        );
        for (at, pulled, done) in &bounded.samples {
            let (at, bar) = (human(*at), "▮".repeat(pulled - done));
            say!(
                en: "  {at:>9}  pulled {pulled:>2}  done {done:>2}  {bar}",
                ru: "  {at:>9}  взято {pulled:>2}  готово {done:>2}  {bar}"
            );
        }
        say!(
            en: "  (▮ = a job pulled but not finished: waiting in the channel or being worked on)",
            ru: "  (▮ = работа взята, но не завершена: ждёт в канале или в обработке)"
        );
    }
}

/// What the demo saw of one pipeline run.
struct Observed {
    results: Vec<u64>,
    max_ahead: usize,
    producer_done: Duration,
    /// (time, pulled, done) whenever a job was pulled or finished.
    samples: Vec<(Duration, usize, usize)>,
}

/// Runs `pipeline` on jobs `0..n` (work: sleep, then square), watching the producer pull
/// jobs and the workers finish them.
fn observe(n: usize, workers: usize, capacity: usize, job_time: Duration) -> Observed {
    let t0 = Instant::now();
    let pulled = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let max_ahead = AtomicUsize::new(0);
    let producer_done = Mutex::new(Duration::ZERO);
    let samples = Mutex::new(Vec::new());
    let sample = |p: usize, d: usize| {
        let mut s = samples.lock().unwrap_or_else(|e| e.into_inner());
        s.push((t0.elapsed(), p, d));
    };
    let jobs = (0..n as u64).inspect(|&j| {
        let p = pulled.fetch_add(1, Ordering::SeqCst) + 1;
        let d = done.load(Ordering::SeqCst);
        max_ahead.fetch_max(p - d.min(p), Ordering::SeqCst);
        sample(p, d);
        if j + 1 == n as u64 {
            *producer_done.lock().unwrap_or_else(|e| e.into_inner()) = t0.elapsed();
        }
    });
    let results = pipeline(jobs, workers, capacity, |j| {
        std::thread::sleep(job_time);
        let d = done.fetch_add(1, Ordering::SeqCst) + 1;
        sample(pulled.load(Ordering::SeqCst), d);
        j * j
    });
    Observed {
        results,
        max_ahead: max_ahead.into_inner(),
        producer_done: producer_done
            .into_inner()
            .unwrap_or_else(|e| e.into_inner()),
        samples: samples.into_inner().unwrap_or_else(|e| e.into_inner()),
    }
}

// ─── Task 2.6 ───────────────────────────────────────────────────────────────────────

fn pool_downloads(demo: &mut Demo, sizes: &Sizes) {
    demo.section(&tr!(
        en: "Task 2.6: downloads on a pool of P threads",
        ru: "Задание 2.6: загрузки на пуле из P потоков"
    ));
    let Some(server) = kit::demo::slow_server(sizes.latency, sizes.downloads) else {
        return;
    };
    let n = sizes.downloads;
    let latency = human(sizes.latency);
    say!(
        en: "  {n} resources on a local server that answers each after {latency}.",
        ru: "  Ресурсов: {n}, на локальном сервере, который отвечает на каждый через {latency}."
    );
    let urls = server.urls();
    let mut table = Table::headed([
        ("P", "P"),
        ("downloaded", "загружено"),
        ("wall", "астр."),
        ("latency × ⌈N/P⌉", "задержка × ⌈N/P⌉"),
        ("max in flight", "макс. одновременно"),
    ]);
    let mut within = true;
    for &p in sizes.pools {
        server.reset_counts();
        let download = {
            let urls = urls.clone();
            move || time(|| download_all(&urls, p))
        };
        let Some((results, t)) = demo.task_within("2.6", sizes.deadline, download) else {
            return;
        };
        let ok = results.iter().filter(|r| r.is_ok()).count();
        let rounds = n.div_ceil(p) as u32;
        table.row([
            p.to_string(),
            format!("{ok}/{n}"),
            human(t.wall),
            format!(
                "{} × {rounds} = {}",
                human(sizes.latency),
                human(sizes.latency * rounds)
            ),
            {
                within &= server.max_in_flight() <= p;
                server.max_in_flight().to_string()
            },
        ]);
    }
    print!("{table}");
    if within {
        say!(
            en: "  The server never saw more requests at once than there were threads in the pool.",
            ru: "  Сервер ни разу не получал одновременно больше запросов, чем потоков в пуле."
        );
    } else {
        say!(
            en: "  ✗ The server saw more requests at once than the pool has threads: is it a pool?",
            ru: "  ✗ Сервер получал одновременно больше запросов, чем потоков в пуле: это точно пул?"
        );
    }
    let cores = cores();
    say!(
        en: "  Waiting threads use no CPU, so P can exceed the {cores} cores: IO-bound work scales with P.",
        ru: "  Ждущие потоки не тратят процессор, поэтому P может превышать число ядер ({cores}): работа, ограниченная вводом-выводом, растёт с P."
    );
}

// ─── Task 2.7 ───────────────────────────────────────────────────────────────────────

fn deadlock(demo: &mut Demo, sizes: &Sizes) {
    demo.section(&tr!(
        en: "Task 2.7: deadlock, and the lock order that prevents it",
        ru: "Задание 2.7: взаимная блокировка и порядок блокировок, который её предотвращает"
    ));
    let a = Arc::new(Account::new(1, 1_000));
    let b = Arc::new(Account::new(2, 1_000));
    say!(
        en: "  transfer_naive locks `from`, then `to`. Thread 1 sends a → b while thread 2 sends b → a,\n  and the demo makes them meet once each holds its first lock:",
        ru: "  `transfer_naive` блокирует `from`, затем `to`. Поток 1 переводит a → b, а поток 2 — b → a,\n  и демонстрация сводит их, когда каждый держит свою первую блокировку:"
    );
    let (a2, b2) = (Arc::clone(&a), Arc::clone(&b));
    // The two stuck threads are abandoned when the deadline passes: they hold the locks of
    // `a` and `b` forever, so the rest of the demo uses fresh accounts.
    let outcome = run_within(sizes.deadlock_wait, move || {
        let met = Barrier::new(2);
        std::thread::scope(|s| {
            s.spawn(|| {
                transfer_naive(&a2, &b2, 10, || {
                    met.wait();
                })
            });
            s.spawn(|| {
                transfer_naive(&b2, &a2, 10, || {
                    met.wait();
                })
            });
        });
    });
    match outcome {
        Outcome::TimedOut(d) => {
            let d = human(d);
            say!(
                en: "  no answer after {d}: thread 1 holds a and waits for b, thread 2 holds b and waits for a.\n  Deadlock. Neither will ever let go; the demo abandons both threads and goes on.",
                ru: "  ответа нет и через {d}: поток 1 держит a и ждёт b, поток 2 держит b и ждёт a.\n  Взаимная блокировка. Ни один не отпустит свою; демонстрация бросает оба потока и идёт дальше."
            );
        }
        Outcome::Done(()) => {
            say!(
                en: "  both finished this time (a lucky interleaving): the deadlock is still possible.",
                ru: "  на этот раз оба завершились (удачное чередование): взаимная блокировка всё равно возможна."
            )
        }
        Outcome::Panicked(m) => {
            say!(en: "  the experiment failed: {m}", ru: "  эксперимент не удался: {m}")
        }
        Outcome::NotImplemented => say!(
            en: "  the experiment is not implemented",
            ru: "  эксперимент не написан"
        ),
    }

    let n = sizes.transfers;
    let x = Arc::new(Account::new(1, 1_000));
    let y = Arc::new(Account::new(2, 1_000));
    let (x2, y2) = (Arc::clone(&x), Arc::clone(&y));
    let ran = demo.task_within("2.7", sizes.deadline, move || {
        time(|| {
            let start = Barrier::new(2);
            std::thread::scope(|s| {
                s.spawn(|| {
                    start.wait();
                    (0..n).filter(|_| transfer(&x2, &y2, 1)).count()
                });
                s.spawn(|| {
                    start.wait();
                    (0..n).filter(|_| transfer(&y2, &x2, 1)).count()
                });
            });
        })
    });
    if let Some(((), t)) = ran {
        let wall = human(t.wall);
        say!(
            en: "  Your transfer, locks in id order: 2 threads × {n} transfers in opposite directions, done in {wall}.",
            ru: "  Ваш `transfer`, блокировки в порядке id: 2 потока × {n} переводов навстречу друг другу, готово за {wall}."
        );
        let total = x.balance() + y.balance();
        if total == 2_000 {
            say!(
                en: "  Balances add up to {total}, as before: no money created or lost, and no deadlock.",
                ru: "  Сумма балансов {total}, как и была: деньги не появились и не пропали, взаимной блокировки нет."
            );
        } else {
            say!(
                en: "  ✗ Balances add up to {total} instead of 2000: money was created or lost.",
                ru: "  ✗ Сумма балансов {total} вместо 2000: деньги появились или пропали."
            );
        }
    }
}

// ─── Python ─────────────────────────────────────────────────────────────────────────

/// Runs one of the lab's Python scripts with `args`, for two minutes at most.
fn run_python(name: &str, source: &str, args: &[String]) -> PythonRun {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    python::run(name, source, &args, Duration::from_secs(120))
}

fn python_side_by_side(demo: &Demo, sizes: &Sizes, measured: &Measured) {
    demo.section(&tr!(
        en: "Python, the same experiments",
        ru: "Python: те же эксперименты"
    ));
    let cpu_args = [
        sizes.py_fib.to_string(),
        WINDOW_START.to_string(),
        sizes.py_primes_len.to_string(),
    ];
    let cpu = run_python("cpu_threads.py", PY_CPU, &cpu_args);
    if let PythonRun::Skipped(why) = &cpu {
        println!("  {why}.");
        return;
    }
    let race_args = [
        "4".to_owned(),
        sizes.py_increments.to_string(),
        sizes.py_race_trials.to_string(),
    ];
    let race = run_python("counter_race.py", PY_RACE, &race_args);

    say!(
        en: "  Speedup from a second thread on CPU-bound work, on this machine:",
        ru: "  Ускорение от второго потока на работе, ограниченной процессором, на этой машине:"
    );
    let mut table = Table::headed([
        ("who", "кто"),
        ("workload", "нагрузка"),
        ("1 thread", "1 поток"),
        ("2 threads", "2 потока"),
        ("speedup", "ускорение"),
    ]);
    let mut rust_row = |who: String, m: Option<(Duration, Duration)>| {
        let len = sizes.primes_len;
        let workload = tr!(en: "primes in {len} numbers", ru: "простые среди {len} чисел");
        match m {
            Some((one, two)) => table.row([who, workload, human(one), human(two), ratio(one, two)]),
            None => table.row([
                who,
                workload,
                "—".to_owned(),
                "—".to_owned(),
                tr!(en: "(task not done)", ru: "(задание не сделано)"),
            ]),
        };
    };
    rust_row(tr!(en: "Rust threads", ru: "потоки Rust"), measured.free);
    rust_row(
        tr!(en: "Rust + GIL model", ru: "Rust + модель GIL"),
        measured.gil,
    );
    if let PythonRun::Ran(out) = &cpu {
        for (name, one, two) in python_timings(out) {
            table.row([
                tr!(en: "Python threads", ru: "потоки Python"),
                name.to_owned(),
                human(one),
                human(two),
                ratio(one, two),
            ]);
        }
    }
    print!("{table}");
    say!(
        en: "  Python's threads behave like the GIL model, not like Rust's threads.",
        ru: "  Потоки Python ведут себя как модель GIL, а не как потоки Rust."
    );

    println!(
        "\n{}",
        tr!(
            en: "  Lost updates, counter incremented from several threads:",
            ru: "  Потерянные обновления: счётчик увеличивают несколько потоков:"
        )
    );
    let mut table = Table::headed([
        ("who", "кто"),
        ("increment", "увеличение"),
        ("runs that lost updates", "запуски с потерями"),
        ("mean lost", "в среднем потеряно"),
    ]);
    if let Some((losing, trials, mean)) = measured.race {
        table.row([
            tr!(en: "Rust, 2 threads", ru: "Rust, 2 потока"),
            tr!(en: "load; spin; store", ru: "чтение; ожидание; запись"),
            format!("{losing}/{trials}"),
            format!("{mean:.1} %"),
        ]);
    }
    match &race {
        PythonRun::Ran(out) => {
            for line in out.lines() {
                let cells: Vec<&str> = line.split('\t').collect();
                let [name, losing, trials, mean] = cells[..] else {
                    continue;
                };
                table.row([
                    tr!(en: "Python, 4 threads", ru: "Python, 4 потока"),
                    name.to_owned(),
                    format!("{losing}/{trials}"),
                    format!("{mean} %"),
                ]);
            }
        }
        PythonRun::Skipped(why) => println!("  {why}."),
    }
    print!("{table}");
    say!(
        en: "  CPython 3.11 switches threads only at a backward jump or a function call, never between\n  the load and the store of `counter += 1`: lucky, not safe. A call in between loses updates.",
        ru: "  CPython 3.11 переключает потоки только на обратном переходе или вызове функции и никогда —\n  между чтением и записью в `counter += 1`: это везение, а не безопасность. Вызов между ними теряет обновления."
    );
}

fn ratio(one: Duration, two: Duration) -> String {
    if two.is_zero() {
        "—".to_owned()
    } else {
        format!("{:.2}×", one.as_secs_f64() / two.as_secs_f64())
    }
}
