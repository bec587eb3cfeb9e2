//! The Lab 3 demo (not a student file): runs your tasks on real processes and prints what
//! they do and what they cost, then the course's Python version beside it.
//!
//! `cargo run -p lab3` runs it on your code, `cargo run -p lab3-solution` on the reference.
//! `--quick` uses smaller workloads (the checker uses it); `--only 3.4` runs one task's part.
//!
//! ## Why each experiment runs in a process of its own
//! Code under test may hang: a parent that keeps a pipe's write end open waits forever for
//! an end of file. So each task's experiment runs in a child of the demo, in a process group
//! of its own (a "sandbox"); the demo waits for its report at most a few seconds, and on a
//! hang kills the whole group and goes on. The demo itself stays single-threaded whenever it
//! forks: it waits for a sandbox on a helper thread and forks again only once that thread
//! is gone ([`sys::assert_single_threaded`] checks it).

use crate::cost::{fork_wait, spawn_program, thread_spawn_join};
use crate::fanout::fan_out;
use crate::fork::run_in_child;
use crate::isolation::increment_in_child;
use crate::pipe::compute_in_child;
use crate::reap::{Job, first_to_finish};
use crate::shell::pipeline;
use crate::sys;
use kit::clock::human;
use kit::demo::{Demo, Flags, LabFlags, clap};
use kit::python::{self, PythonRun};
use kit::table::Table;
use kit::workload::count_primes;
use kit::{say, tr};
use nix::errno::Errno;
use nix::sys::signal::{Signal, kill, raise};
use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork, getpid, pipe, read};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::os::fd::OwnedFd;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The course's Python versions: `os.fork`, `os.pipe`, `os.waitpid`, `os.execvp`...
const PYTHON_OS: &str = include_str!("../../python/processes.py");
/// ...and `multiprocessing` against threads on CPU-bound work (the GIL).
const PYTHON_GIL: &str = include_str!("../../python/gil_multiprocessing.py");

/// Sizes of one demo run.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    /// Deadline of one task's experiment.
    deadline: Duration,
    /// Bytes for the pipe throughput measurement.
    pipe_bytes: usize,
    /// One-byte round trips.
    round_trips: u32,
    /// Fan-out: blocks of numbers, numbers per block.
    blocks: u64,
    block_len: u64,
    /// Python's fan-out: blocks, numbers per block (Python computes ~50× slower).
    py_blocks: u64,
    py_block_len: u64,
    /// Rounds of each cost measurement.
    rounds: u32,
    /// Heap touched before the "fork with a big heap" measurement.
    heap_mib: usize,
}

impl Sizes {
    fn new(quick: bool) -> Sizes {
        if quick {
            Sizes {
                deadline: Duration::from_secs(8),
                pipe_bytes: 64 << 20,
                round_trips: 1_000,
                blocks: 8,
                block_len: 2_500,
                py_blocks: 4,
                py_block_len: 1_000,
                rounds: 80,
                heap_mib: 16,
            }
        } else {
            Sizes {
                deadline: Duration::from_secs(60),
                pipe_bytes: 1 << 30,
                round_trips: 10_000,
                blocks: 16,
                block_len: 10_000,
                py_blocks: 16,
                py_block_len: 5_000,
                rounds: 500,
                heap_mib: 256,
            }
        }
    }
}

/// Where the CPU-bound blocks start: far enough that every block costs about the same.
const BLOCK_BASE: u64 = 1_000_000_000;
/// Python's blocks start lower (its trial division is much slower).
const PY_BLOCK_BASE: u64 = 10_000_000;

/// Named numbers an experiment measured, for the Python comparison at the end.
type Metrics = BTreeMap<String, f64>;

/// The demo's state: kit's narrator, the sizes, the flags, and what the experiments measured.
struct Lab3 {
    demo: Demo,
    sizes: Sizes,
    flags: Flags<Lab3Flags>,
    metrics: Metrics,
}

/// Lab 3's demo has no flags of its own: `--quick` and `--only` are every demo's. (The checks'
/// scenarios are the checker's: `cargo run -p checker --bin run-lab -- lab3 --scenario help`.)
#[derive(Debug, Clone, clap::Args)]
pub struct Lab3Flags {}

impl LabFlags for Lab3Flags {
    const LAB: &'static str = "lab3";
    const SECTIONS: &'static str = "3.1 to 3.7";
}

/// Runs the demo with its flags (`--quick`, `--only 3.K`).
pub fn run(flags: Flags<Lab3Flags>) {
    // Orphans of a killed experiment come back to the demo, which reaps them.
    sys::become_subreaper();
    let mut lab = Lab3 {
        demo: Demo::start("lab3"),
        sizes: Sizes::new(flags.quick),
        flags,
        metrics: Metrics::new(),
    };
    lab.experiment(
        "3.1",
        &tr!(
            en: "Task 3.1: how did the child end?",
            ru: "Задание 3.1: как завершился потомок?"
        ),
        exit_statuses,
    );
    lab.experiment(
        "3.2",
        &tr!(
            en: "Task 3.2: a result through a pipe",
            ru: "Задание 3.2: результат через канал (пайп)"
        ),
        result_through_pipe,
    );
    if lab.wants("3.2") {
        lab.demo.section(&tr!(
            en: "Pipes: how fast?",
            ru: "Каналы: насколько быстро?"
        ));
        pipe_speed(&lab.sizes, &mut lab.metrics);
    }
    lab.experiment(
        "3.3",
        &tr!(
            en: "Task 3.3: isolation (copy-on-write)",
            ru: "Задание 3.3: изоляция (копирование при записи)"
        ),
        isolation,
    );
    lab.experiment(
        "3.4",
        &tr!(
            en: "Task 3.4: fan-out over processes",
            ru: "Задание 3.4: fan-out по процессам"
        ),
        fanout,
    );
    lab.experiment(
        "3.5",
        &tr!(
            en: "Task 3.5: pipelines with pipe, dup2 and exec",
            ru: "Задание 3.5: конвейеры на pipe, dup2 и exec"
        ),
        pipelines,
    );
    lab.experiment(
        "3.6",
        &tr!(
            en: "Task 3.6: the first result wins",
            ru: "Задание 3.6: побеждает первый результат"
        ),
        race,
    );
    lab.experiment(
        "3.7",
        &tr!(
            en: "Task 3.7: what a process costs",
            ru: "Задание 3.7: сколько стоит процесс"
        ),
        costs,
    );
    if lab.flags.everything() {
        lab.demo.section(&tr!(
            en: "Python, the same experiments",
            ru: "Python: те же эксперименты"
        ));
        python_side_by_side(&lab.sizes, &lab.metrics);
        lab.demo.finish();
    }
}

impl Lab3 {
    fn wants(&self, task: &str) -> bool {
        self.flags.wants(task)
    }

    /// Runs `experiment` (the part of task `task`) in a sandbox process: see the module doc.
    fn experiment(&mut self, task: &str, title: &str, experiment: fn(&Sizes, &mut Metrics)) {
        if !self.wants(task) {
            return;
        }
        self.demo.section(title);
        let sizes = self.sizes;
        // The sandbox's report: `writer` goes to the sandbox (and leaves the demo with the
        // closure below), `reader` stays with the demo.
        let (reader, writer) = match pipe() {
            Ok(p) => p,
            Err(e) => {
                return say!(en: "  cannot create a pipe: {e}", ru: "  не удаётся создать канал: {e}");
            }
        };
        let sandbox = sys::fork_in_new_group(move || {
            let me = getpid();
            let mut metrics = Metrics::new();
            let outcome = kit::demo::catch(|| experiment(&sizes, &mut metrics));
            if getpid() != me {
                // A child forked by the code under test returned into the demo's code.
                sys::exit_child(sys::ESCAPED_CHILD_EXIT);
            }
            let _ = std::io::stdout().flush();
            let report = match outcome {
                Ok(()) => metrics
                    .iter()
                    .map(|(k, v)| format!("metric {k} {v}\n"))
                    .collect::<String>(),
                Err(m) if kit::demo::is_not_implemented(&m) => format!("todo {}\n", one_line(&m)),
                Err(m) => format!("panic {}\n", one_line(&m)),
            };
            let _ = sys::write_all(&writer, format!("{report}end\n").as_bytes());
            0
        });
        let sandbox = match sandbox {
            Ok(pid) => pid,
            Err(e) => {
                return say!(
                    en: "  cannot fork the experiment's process: {e}",
                    ru: "  не удаётся создать процесс эксперимента (fork): {e}"
                );
            }
        };
        // Wait for the report on a helper thread, so that kit turns a hang into a "did not
        // finish" note. No fork happens while that thread lives.
        let outcome = self
            .demo
            .task_within(task, sizes.deadline, move || read_report(&reader));
        if outcome.is_some() {
            // The report is in: the sandbox is about to exit. Give it a moment first.
            let _ = sys::wait_with_deadline(sandbox, Duration::from_secs(2));
        }
        // Whatever is left of the experiment goes: processes killed, every child reaped.
        sys::kill_group_and_reap(sandbox);
        if !sys::wait_single_threaded(Duration::from_secs(5)) {
            say!(
                en: "  (a helper thread is still waiting: the experiments stop here)",
                ru: "  (вспомогательный поток всё ещё ждёт: эксперименты на этом заканчиваются)"
            );
            std::process::exit(1);
        }
        if let Some(metrics) = outcome {
            self.metrics.extend(metrics);
        }
    }
}

/// A panic message on one line (the sandbox's report is line-based).
fn one_line(message: &str) -> String {
    message.replace('\n', " ⏎ ")
}

/// Reads a sandbox's report up to its `end` line (not to end of file: a process the code
/// under test left running may still hold the write end). Replays a `todo!()` or a panic
/// for kit's notes.
fn read_report(reader: &OwnedFd) -> Metrics {
    let mut text = String::new();
    let mut buf = [0u8; 4096];
    while !text.ends_with("end\n") {
        match read(reader, &mut buf) {
            Ok(0) => break,
            Ok(n) => text.push_str(&String::from_utf8_lossy(&buf[..n])),
            Err(Errno::EINTR) => {}
            Err(_) => break,
        }
    }
    let mut metrics = Metrics::new();
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("todo ") {
            // Re-raised here so that kit prints its "not implemented yet" note.
            panic!("{m}");
        } else if let Some(m) = line.strip_prefix("panic ") {
            panic!(
                "{}",
                tr!(en: "{m} (in the experiment's process)", ru: "{m} (в процессе эксперимента)")
            );
        } else if let Some((k, v)) = line.strip_prefix("metric ").and_then(|m| m.split_once(' ')) {
            metrics.insert(k.to_owned(), v.parse().unwrap_or(f64::NAN));
        }
    }
    if !text.ends_with("end\n") {
        panic!(
            "{}",
            tr!(
                en: "the experiment's process ended without a report (killed by a signal?)",
                ru: "процесс эксперимента завершился без отчёта (убит сигналом?)"
            )
        );
    }
    metrics
}

/// The bytes a child sends in task 3.2's experiment (here and in the checks' pipe scenario):
/// a pattern that catches a lost, repeated or reordered 64 KiB block.
pub fn pattern(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i % 251) as u8 ^ (i / 251) as u8)
        .collect()
}

fn yes_no(b: bool) -> String {
    if b {
        tr!(en: "yes", ru: "да")
    } else {
        tr!(en: "no", ru: "нет")
    }
}

/// Naive Fibonacci, a job of known length for the race.
fn fib(n: u32) -> u64 {
    if n < 2 {
        u64::from(n)
    } else {
        fib(n - 1) + fib(n - 2)
    }
}

// ─── Task 3.1 ────────────────────────────────────────────────────────────────────────────

fn exit_statuses(_: &Sizes, _: &mut Metrics) {
    say!(
        en: "  Each row forks a child that runs one function; the parent waits and reads how it ended.",
        ru: "  Каждая строка порождает потомка, который выполняет одну функцию; родитель ждёт и читает, как тот завершился."
    );
    type Case = (String, Box<dyn FnOnce() -> i32>);
    let cases: Vec<Case> = vec![
        (tr!(en: "returns 0", ru: "возвращает 0"), Box::new(|| 0)),
        (tr!(en: "returns 3", ru: "возвращает 3"), Box::new(|| 3)),
        (
            tr!(en: "panics", ru: "паникует"),
            Box::new(|| panic!("a panic in the child")),
        ),
        (
            tr!(en: "raises SIGTERM", ru: "посылает себе SIGTERM"),
            Box::new(|| {
                let _ = raise(Signal::SIGTERM);
                0
            }),
        ),
        (
            tr!(en: "kills itself with SIGKILL", ru: "убивает себя SIGKILL"),
            Box::new(|| {
                let _ = kill(getpid(), Signal::SIGKILL);
                0
            }),
        ),
    ];
    let mut table = Table::headed([
        ("the child's function", "функция потомка"),
        ("status", "статус"),
        ("success?", "успех?"),
    ]);
    for (what, f) in cases {
        let status = run_in_child(f);
        let (status, ok) = match status {
            Ok(s) => (format!("{s:?}"), yes_no(s.success())),
            Err(e) => (tr!(en: "error: {e}", ru: "ошибка: {e}"), yes_no(false)),
        };
        table.row([what, status, ok]);
    }
    print!("{table}");
    say!(
        en: "  A panic is exit code 101 (as for a Rust program whose main panics). A signal is not an\n  exit code: a killed child never exited, and only Exited(0) counts as success.",
        ru: "  Паника — это код выхода 101 (как у программы на Rust, чей `main` паникует). Сигнал — не код\n  выхода: убитый потомок так и не вышел, и успехом считается только `Exited(0)`."
    );
}

// ─── Task 3.2 ────────────────────────────────────────────────────────────────────────────

fn result_through_pipe(sizes: &Sizes, _: &mut Metrics) {
    let below = sizes.block_len * 20;
    let (bytes, status) = compute_in_child(move || count_primes(0..below).to_string().into_bytes())
        .expect("pipe or fork failed");
    let (text, len) = (String::from_utf8_lossy(&bytes), bytes.len());
    say!(
        en: "  The child counted the primes below {below}: {text:?} came through the pipe ({len} bytes), child {status:?}.",
        ru: "  Потомок посчитал простые меньше {below}: по каналу пришло {text:?} (байт: {len}), потомок `{status:?}`."
    );
    let big = 1 << 20;
    let (bytes, status) = compute_in_child(move || pattern(big)).expect("pipe or fork failed");
    let (len, intact) = (bytes.len(), yes_no(bytes == pattern(big)));
    say!(
        en: "  1 MiB, 16 times what a pipe holds: {len} bytes arrived, intact: {intact}, child {status:?}.",
        ru: "  1 MiB, в 16 раз больше, чем вмещает канал: пришло байт: {len}, без искажений: {intact}, потомок `{status:?}`."
    );
    say!(
        en: "  The parent read while the child wrote: waiting for the child first would deadlock,\n  the child blocked on a full pipe and the parent blocked on the child.",
        ru: "  Родитель читал, пока потомок писал: если сначала ждать потомка, будет взаимная блокировка —\n  потомок застрянет на полном канале, а родитель — на потомке."
    );
}

/// Pipe throughput and one-byte round trips (provided measurements, run in the demo itself).
fn pipe_speed(sizes: &Sizes, metrics: &mut Metrics) {
    match pipe_throughput(sizes.pipe_bytes) {
        Some((elapsed, got)) => {
            let gib = got as f64 / f64::from(1 << 30);
            let rate = gib / elapsed.as_secs_f64().max(1e-9);
            metrics.insert("pipe_gib_s".into(), rate);
            let (mib, elapsed) = (got >> 20, human(elapsed));
            say!(
                en: "  {mib} MiB from a child to its parent in 64 KiB writes: {elapsed} → {rate:.2} GiB/s.",
                ru: "  {mib} MiB от потомка к родителю записями по 64 KiB: {elapsed} → {rate:.2} GiB/s."
            );
        }
        None => say!(
            en: "  pipe throughput: the measurement failed (pipe or fork).",
            ru: "  пропускная способность канала: измерение не удалось (pipe или fork)."
        ),
    }
    let n = sizes.round_trips;
    let processes = roundtrip_processes(n);
    let threads = roundtrip_threads(n);
    if let (Some(p), t) = (processes, threads) {
        metrics.insert("roundtrip_processes_us".into(), p.as_secs_f64() * 1e6);
        metrics.insert("roundtrip_threads_us".into(), t.as_secs_f64() * 1e6);
        let (p, t) = (human(p), human(t));
        say!(
            en: "  One byte there and back, {n} times: {p} between two processes (two pipes), {t} between\n  two threads (a rendezvous channel). Either way the cost is waking the other side.",
            ru: "  Один байт туда и обратно, {n} раз: {p} между двумя процессами (два канала), {t} между\n  двумя потоками (канал-рандеву). В обоих случаях цена — разбудить другую сторону."
        );
    }
}

/// Bytes per second from a child to its parent through a pipe, in 64 KiB writes.
fn pipe_throughput(total: usize) -> Option<(Duration, usize)> {
    // reader: the demo's end; writer: the child's end.
    let (reader, writer) = pipe().ok()?;
    let chunk = vec![0x5a_u8; 64 * 1024]; // allocated before fork: the child only writes it
    sys::assert_single_threaded();
    let t0 = Instant::now();
    // SAFETY: single-threaded (asserted above); the child only writes and calls _exit.
    match unsafe { fork() }.ok()? {
        ForkResult::Child => {
            drop(reader);
            let mut left = total;
            while left > 0 {
                let n = left.min(chunk.len());
                if sys::write_all(&writer, &chunk[..n]).is_err() {
                    sys::exit_child(1);
                }
                left -= n;
            }
            sys::exit_child(0)
        }
        ForkResult::Parent { child } => {
            drop(writer); // or no end of file
            let mut buf = vec![0u8; 64 * 1024];
            let mut got = 0;
            loop {
                match read(&reader, &mut buf) {
                    Ok(0) => break,
                    Ok(n) => got += n,
                    Err(Errno::EINTR) => {}
                    Err(_) => break,
                }
            }
            let elapsed = t0.elapsed();
            let _ = waitpid(child, None);
            Some((elapsed, got))
        }
    }
}

/// Mean time of a one-byte round trip to a child process and back (two pipes).
fn roundtrip_processes(n: u32) -> Option<Duration> {
    // to_child: the demo writes, the child reads. to_parent: the child writes, the demo reads.
    let (to_child_r, to_child_w) = pipe().ok()?;
    let (to_parent_r, to_parent_w) = pipe().ok()?;
    sys::assert_single_threaded();
    // SAFETY: single-threaded (asserted above); the child only reads, writes and calls _exit.
    match unsafe { fork() }.ok()? {
        ForkResult::Child => {
            drop(to_child_w);
            drop(to_parent_r);
            let mut byte = [0u8; 1];
            // Echo until end of file (the demo closed its write end).
            while let Ok(1) = read(&to_child_r, &mut byte) {
                if sys::write_all(&to_parent_w, &byte).is_err() {
                    break;
                }
            }
            sys::exit_child(0)
        }
        ForkResult::Parent { child } => {
            drop(to_child_r);
            drop(to_parent_w);
            let mut byte = [7u8; 1];
            let t0 = Instant::now();
            for _ in 0..n {
                if sys::write_all(&to_child_w, &byte).is_err()
                    || read(&to_parent_r, &mut byte) != Ok(1)
                {
                    break;
                }
            }
            let elapsed = t0.elapsed();
            drop(to_child_w); // the child's end of file: it exits
            let _ = waitpid(child, None);
            Some(elapsed / n.max(1))
        }
    }
}

/// Mean time of a one-byte round trip to another thread and back (rendezvous channels).
fn roundtrip_threads(n: u32) -> Duration {
    let (to_thread, thread_rx) = std::sync::mpsc::sync_channel::<u8>(0);
    let (thread_tx, from_thread) = std::sync::mpsc::sync_channel::<u8>(0);
    let echo = std::thread::spawn(move || {
        while let Ok(b) = thread_rx.recv() {
            if thread_tx.send(b).is_err() {
                break;
            }
        }
    });
    let t0 = Instant::now();
    for _ in 0..n {
        if to_thread.send(7).is_err() || from_thread.recv().is_err() {
            break;
        }
    }
    let elapsed = t0.elapsed();
    drop(to_thread);
    let _ = echo.join();
    elapsed / n.max(1)
}

// ─── Task 3.3 ────────────────────────────────────────────────────────────────────────────

fn isolation(_: &Sizes, _: &mut Metrics) {
    let mut counter: u64 = 41;
    let view = increment_in_child(&mut counter).expect("pipe or fork failed");
    let me = getpid();
    say!(
        en: "  The parent (pid {me}) has counter = 41.",
        ru: "  У родителя (pid {me}) `counter = 41`."
    );
    let (pid, other, value) = (view.pid, yes_no(view.pid != me), view.value);
    say!(
        en: "  A child (pid {pid}, another process: {other}) ran `counter += 1` and saw {value}.",
        ru: "  Потомок (pid {pid}, другой процесс: {other}) выполнил `counter += 1` и увидел {value}."
    );
    say!(
        en: "  The parent, after reaping the child, still has counter = {counter}: same variable, same\n  address, two copies. The child's write copied the page (copy-on-write).",
        ru: "  У родителя, уже дождавшегося потомка, по-прежнему `counter = {counter}`: та же переменная, тот же\n  адрес, две копии. Запись потомка скопировала страницу (копирование при записи)."
    );
    let mut shared: u64 = 41;
    std::thread::scope(|s| {
        s.spawn(|| shared += 1);
    });
    say!(
        en: "  The same with a thread: it ran `counter += 1`, and the parent then reads {shared}: one\n  memory for all threads. Sharing is free, and so are races (Lab 2).",
        ru: "  То же с потоком: он выполнил `counter += 1`, и родитель затем читает {shared}: одна\n  память на все потоки. Общий доступ бесплатен — как и гонки (ЛР 2)."
    );
}

// ─── Task 3.4 ────────────────────────────────────────────────────────────────────────────

fn fanout(sizes: &Sizes, metrics: &mut Metrics) {
    let blocks: Vec<u64> = (0..sizes.blocks).collect();
    let len = sizes.block_len;
    let work = move |b: u64| count_primes(BLOCK_BASE + b * len..BLOCK_BASE + (b + 1) * len);
    let n = sizes.blocks;
    say!(
        en: "  Count the primes in {n} blocks of {len} numbers above {BLOCK_BASE} (CPU-bound, equal blocks).\n  Each way runs twice and keeps its faster run: other programs can only slow a run down.",
        ru: "  Считаем простые в {n} блоках по {len} чисел выше {BLOCK_BASE} (ограничено процессором, блоки равные).\n  Каждый способ запускается дважды, берётся более быстрый запуск: другие программы могут только замедлить его."
    );
    let (expected, seq) = best_of_two(|| blocks.iter().map(|&b| work(b)).collect::<Vec<u64>>());
    let total: u64 = expected.iter().sum();
    let mut table = Table::headed([
        ("how", "как"),
        ("wall", "астр."),
        ("speedup", "ускорение"),
        (
            "same result as sequential?",
            "тот же результат, что последовательно?",
        ),
    ]);
    table.row([
        tr!(en: "sequential", ru: "последовательно"),
        human(seq.wall),
        "1.0×".to_owned(),
        tr!(en: "{total} primes", ru: "простых: {total}"),
    ]);
    for p in [1, 2, 4] {
        let (result, t) = best_of_two(|| fan_out(&blocks, p, work));
        let speedup = seq.wall.as_secs_f64() / t.wall.as_secs_f64().max(1e-9);
        if p == 2 {
            metrics.insert("fanout_processes_2".into(), speedup);
        }
        let same = match &result {
            Ok(r) => yes_no(*r == expected),
            Err(e) => tr!(en: "error: {e}", ru: "ошибка: {e}"),
        };
        let es = if p == 1 { "" } else { "es" };
        table.row([
            tr!(en: "{p} process{es}", ru: "процессов: {p}"),
            human(t.wall),
            format!("{speedup:.1}×"),
            same,
        ]);
    }
    // Threads for comparison (Lab 2's tool): no GIL in Rust, so they scale the same way.
    let (threaded, t) = best_of_two(|| {
        std::thread::scope(|s| {
            let halves: Vec<_> = blocks
                .chunks(blocks.len().div_ceil(2))
                .map(|c| s.spawn(move || c.iter().map(|&b| work(b)).collect::<Vec<u64>>()))
                .collect();
            halves
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect::<Vec<u64>>()
        })
    });
    let speedup = seq.wall.as_secs_f64() / t.wall.as_secs_f64().max(1e-9);
    metrics.insert("fanout_threads_2".into(), speedup);
    table.row([
        tr!(en: "2 threads", ru: "потоков: 2"),
        human(t.wall),
        format!("{speedup:.1}×"),
        yes_no(threaded == expected),
    ]);
    print!("{table}");
    say!(
        en: "  On 2 cores, 2 processes come close to twice the speed; 4 processes cannot beat 2 cores.",
        ru: "  На 2 ядрах 2 процесса работают почти вдвое быстрее; 4 процесса не обгонят 2 ядра."
    );
    let pids = fan_out(&blocks, 2, |_| u64::from(getpid().as_raw().unsigned_abs()));
    if let Ok(pids) = pids {
        let mut distinct = pids.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let parent = u64::from(getpid().as_raw().unsigned_abs());
        let (count, among) = (distinct.len(), yes_no(distinct.contains(&parent)));
        say!(
            en: "  Each item's work returned getpid(): with 2 processes, {count} distinct pids, the parent's among them: {among}.",
            ru: "  Работа над каждым элементом вернула `getpid()`: с 2 процессами различных pid: {count}, pid родителя среди них: {among}."
        );
    }
}

/// Runs `f` twice and keeps the faster run's value and timing.
fn best_of_two<T>(mut f: impl FnMut() -> T) -> (T, kit::clock::Timing) {
    let first = kit::clock::time(&mut f);
    let second = kit::clock::time(&mut f);
    if second.1.wall < first.1.wall {
        second
    } else {
        first
    }
}

// ─── Task 3.5 ────────────────────────────────────────────────────────────────────────────

fn pipelines(_: &Sizes, _: &mut Metrics) {
    let cases: [&[&[&str]]; 4] = [
        &[&["seq", "1", "1000"], &["grep", "7"], &["wc", "-l"]],
        &[
            &["printf", "pear\\napple\\npear\\nfig\\n"],
            &["sort"],
            &["uniq", "-c"],
        ],
        &[&["yes"], &["head", "-n", "3"]],
        &[&["no-such-command"], &["wc", "-l"]],
    ];
    for commands in cases {
        let line = shell_line(commands);
        println!("  $ {line}");
        let ours = match pipeline(commands) {
            Ok(out) => out,
            Err(e) => {
                say!(en: "    error: {e}", ru: "    ошибка: {e}");
                continue;
            }
        };
        for text in String::from_utf8_lossy(&ours.stdout).lines() {
            println!("    │ {}", text.trim());
        }
        let sh = Command::new("/bin/sh")
            .args(["-c", &line])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output();
        let same = sh.map(|o| o.stdout == ours.stdout).unwrap_or(false);
        let (statuses, same) = (&ours.statuses, yes_no(same));
        say!(
            en: "    statuses {statuses:?}; same output as /bin/sh -c: {same}",
            ru: "    статусы `{statuses:?}`; вывод тот же, что у `/bin/sh -c`: {same}"
        );
    }
    say!(
        en: "  `yes` never stops writing: it ends killed by SIGPIPE once `head` has exited. A missing\n  command ends with 127, the shell's \"command not found\", and the pipeline still ends.",
        ru: "  `yes` пишет без остановки: его убивает SIGPIPE, как только `head` вышел. Несуществующая\n  команда завершается с кодом 127 (`command not found` оболочки), и конвейер всё равно завершается."
    );
}

/// The pipeline as `/bin/sh` would read it, every word single-quoted.
fn shell_line(commands: &[&[&str]]) -> String {
    commands
        .iter()
        .map(|c| {
            c.iter()
                .map(|w| {
                    if w.chars()
                        .all(|ch| ch.is_ascii_alphanumeric() || "-_./".contains(ch))
                    {
                        (*w).to_owned()
                    } else {
                        format!("'{}'", w.replace('\'', r"'\''"))
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

// ─── Task 3.6 ────────────────────────────────────────────────────────────────────────────

fn race(_: &Sizes, _: &mut Metrics) {
    let jobs: Vec<Job> = vec![
        Box::new(|| format!("fib(38) = {}", fib(38)).into_bytes()),
        Box::new(|| format!("fib(22) = {}", fib(22)).into_bytes()),
        Box::new(|| {
            std::thread::sleep(Duration::from_secs(30));
            b"slept 30 s".to_vec()
        }),
    ];
    say!(
        en: "  Three jobs race in three children: fib(38) (a fraction of a second), fib(22) (microseconds),\n  and a sleep of half a minute.",
        ru: "  Три работы соревнуются в трёх потомках: fib(38) (доли секунды), fib(22) (микросекунды)\n  и сон на полминуты."
    );
    let fds_before = sys::open_fds();
    let (race, t) = kit::clock::time(|| first_to_finish(jobs));
    let race = race.expect("pipe, fork or poll failed");
    let children = sys::children();
    let (winner, output, wall) = (
        race.winner,
        String::from_utf8_lossy(&race.output),
        human(t.wall),
    );
    say!(
        en: "  Winner: job {winner} ({output}) after {wall}; the other two were killed.",
        ru: "  Победитель: работа {winner} ({output}) через {wall}; две другие убиты."
    );
    let (alive, zombies) = (
        children.len(),
        children.iter().filter(|c| c.is_zombie()).count(),
    );
    let same = yes_no(sys::open_fds() == fds_before);
    say!(
        en: "  Afterwards: {alive} children, {zombies} zombies, same open descriptors as before: {same}.",
        ru: "  После: потомков — {alive}, зомби — {zombies}, открытые дескрипторы те же, что до: {same}."
    );
}

// ─── Task 3.7 ────────────────────────────────────────────────────────────────────────────

fn costs(sizes: &Sizes, metrics: &mut Metrics) {
    // The best of a few batches: a busy machine can only make a batch slower, never faster,
    // so the fastest batch is the closest to what a round really costs.
    const BATCHES: u32 = 5;
    let rounds = sizes.rounds / BATCHES;
    let best = |measure: &mut dyn FnMut() -> Duration| {
        (0..BATCHES).map(|_| measure()).min().unwrap_or_default()
    };
    let heap_rounds = rounds / 8;
    say!(
        en: "  The best of {BATCHES} batches of {rounds} rounds each (the big-heap fork: {heap_rounds} rounds a batch).",
        ru: "  Лучшая из {BATCHES} серий по {rounds} раундов (fork с большой кучей: раундов в серии — {heap_rounds})."
    );
    let thread = best(&mut || thread_spawn_join(rounds));
    let fork = best(&mut || fork_wait(rounds).expect("fork failed"));
    let heap = vec![1u8; sizes.heap_mib << 20]; // every page written: all of it resident
    let fork_heap = best(&mut || fork_wait(rounds / 8).expect("fork failed"));
    drop(std::hint::black_box(heap));
    let program = best(&mut || spawn_program("/bin/true", rounds).expect("/bin/true did not run"));
    for (key, d) in [
        ("thread_us", thread),
        ("fork_wait_us", fork),
        ("fork_wait_heap_us", fork_heap),
        ("spawn_true_us", program),
    ] {
        metrics.insert(key.into(), d.as_secs_f64() * 1e6);
    }
    let ratio = |d: Duration| format!("{:.1}×", d.as_secs_f64() / thread.as_secs_f64().max(1e-9));
    let mut table = Table::headed([
        ("one round of", "один раунд"),
        ("time", "время"),
        ("vs a thread", "к потоку"),
    ]);
    table.row([
        tr!(en: "thread spawn + join", ru: "поток: spawn + join"),
        human(thread),
        ratio(thread),
    ]);
    table.row(["fork + waitpid".to_owned(), human(fork), ratio(fork)]);
    let mib = sizes.heap_mib;
    table.row([
        tr!(en: "fork + waitpid, {mib} MiB heap", ru: "fork + waitpid, куча {mib} MiB"),
        human(fork_heap),
        ratio(fork_heap),
    ]);
    table.row([
        "Command::new(\"/bin/true\").status()".to_owned(),
        human(program),
        ratio(program),
    ]);
    print!("{table}");
    say!(
        en: "  fork copies page tables (more memory, more tables), a thread shares them; a program\n  adds exec: a new address space, loading and linking the binary.",
        ru: "  `fork` копирует таблицы страниц (больше памяти — больше таблиц), поток их разделяет; программа\n  добавляет `exec`: новое адресное пространство, загрузку и компоновку исполняемого файла."
    );
}

// ─── Python ──────────────────────────────────────────────────────────────────────────────

/// Runs both Python scripts and prints their figures beside Rust's.
fn python_side_by_side(sizes: &Sizes, rust: &Metrics) {
    let mut py = Metrics::new();
    let os_args = [sizes.pipe_bytes.to_string(), sizes.rounds.to_string()];
    let os_args: Vec<&str> = os_args.iter().map(String::as_str).collect();
    let gil_args = [
        PY_BLOCK_BASE.to_string(),
        sizes.py_blocks.to_string(),
        sizes.py_block_len.to_string(),
    ];
    let gil_args: Vec<&str> = gil_args.iter().map(String::as_str).collect();
    for (name, source, args) in [
        ("processes.py", PYTHON_OS, &os_args),
        ("gil_multiprocessing.py", PYTHON_GIL, &gil_args),
    ] {
        match python::run(name, source, args, Duration::from_secs(180)) {
            PythonRun::Skipped(why) => {
                println!("  {why}.");
                return;
            }
            PythonRun::Ran(out) => {
                for line in out.lines() {
                    match line.split('\t').collect::<Vec<_>>()[..] {
                        [key, value] => {
                            py.insert(key.to_owned(), value.parse().unwrap_or(f64::NAN));
                        }
                        _ => say!(en: "  python: {line}", ru: "  python: {line}"),
                    }
                }
            }
        }
    }
    let us: fn(f64) -> String = |v| human(Duration::from_secs_f64(v / 1e6));
    let gib_s: fn(f64) -> String = |v| format!("{v:.2} GiB/s");
    let times: fn(f64) -> String = |v| format!("{v:.2}×");
    let rows = [
        (
            tr!(en: "thread spawn + join", ru: "поток: spawn + join"),
            "thread_us",
            us,
        ),
        ("fork + waitpid".to_owned(), "fork_wait_us", us),
        (
            tr!(en: "spawn /bin/true", ru: "запуск /bin/true"),
            "spawn_true_us",
            us,
        ),
        (
            tr!(en: "pipe, 64 KiB writes", ru: "канал, записи по 64 KiB"),
            "pipe_gib_s",
            gib_s,
        ),
        (
            tr!(
                en: "CPU-bound, 2 threads: speedup",
                ru: "нагрузка на процессор, 2 потока: ускорение"
            ),
            "fanout_threads_2",
            times,
        ),
        (
            tr!(
                en: "CPU-bound, 2 processes: speedup",
                ru: "нагрузка на процессор, 2 процесса: ускорение"
            ),
            "fanout_processes_2",
            times,
        ),
    ];
    let mut table = Table::headed([
        ("experiment", "эксперимент"),
        ("Rust", "Rust"),
        ("Python", "Python"),
    ]);
    for (experiment, key, show) in rows {
        let cell = |m: &Metrics| m.get(key).map_or("—".to_owned(), |v| show(*v));
        table.row([experiment, cell(rust), cell(&py)]);
    }
    print!("{table}");
    say!(
        en: "  Python's threads take turns holding the GIL: no speedup on CPU-bound work. Its processes\n  each have their own interpreter and their own GIL: multiprocessing scales like Rust does.",
        ru: "  Потоки Python по очереди держат GIL: на работе, ограниченной процессором, ускорения нет. А у каждого\n  его процесса свой интерпретатор и свой GIL: multiprocessing масштабируется, как Rust."
    );
}
