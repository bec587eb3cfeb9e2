//! The lab's experiments, each a function that runs your code on a runtime of its own and
//! returns what happened (provided code, not a student file). The demo prints them; the
//! checks snapshot the timelines of the virtual-time ones.
//!
//! Virtual-time scenarios run on a current-thread runtime with tokio's clock paused: a
//! `sleep(4 s)` completes at virtual 4 s in microseconds, so their timelines are exact and
//! identical on every run. They return their timelines without idle polls
//! ([`Timeline::without_idle_polls`]): how often an executor polls a waiting future
//! (`join_all` polls them all at every wake-up, a spawned task only at its own) is not
//! what the picture is about, and every legal way of writing a task draws the same. Scenarios about *blocking* run in real time: a blocked thread
//! does not care about tokio's clock.

use crate::support::{self, Session, Ticks, VirtualServer};
use crate::{blocking, bridge, concurrent, cooperative, downloads, streams, tasks};
use futures::StreamExt;
use kit::timeline::{EventKind, Timeline};
use std::future::Future;
use std::time::{Duration, Instant};

/// Columns of time in the demo's timelines.
pub const WIDTH: usize = 60;

/// The course's runtimes: `in_virtual_time(fut)` (a paused clock) and `on_one_thread(fut)`
/// (real time, one thread: the event loop).
pub use kit::runtime::{in_virtual_time, on_one_thread};

/// Passes a task's panic on to the caller as it was. `resume_unwind` does not run the panic
/// hook again, so the demo still reports the first panic (a `todo!()`: "not implemented").
fn passed_on<T>(e: tokio::task::JoinError) -> T {
    match e.try_into_panic() {
        Ok(payload) => std::panic::resume_unwind(payload),
        Err(e) => panic!("a task was cancelled: {e}"),
    }
}

/// Awaits `fut` as the task `main` of `tl`: `start`, `await <what>`, `resume`, `finish`.
async fn as_main<F: Future>(tl: &Timeline, what: &str, fut: F) -> F::Output {
    tl.record("main", EventKind::Start);
    let out = tl.awaiting("main", what, fut).await;
    tl.record("main", EventKind::Finish);
    out
}

/// Task 4.1: which threads ran four spawned tasks, on each kind of runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeReport {
    /// Distinct thread names that ran the tasks, sorted.
    pub threads: Vec<String>,
    /// Whether a task ran on the thread that called `block_on`.
    pub on_caller: bool,
}

async fn spawn_four() -> Vec<std::thread::ThreadId> {
    let mut handles = Vec::new();
    for _ in 0..4 {
        handles.push(tokio::spawn(async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            std::thread::current().id()
        }));
    }
    let mut ids = Vec::new();
    for h in handles {
        ids.push(h.await.unwrap_or_else(passed_on));
    }
    ids
}

fn report(caller: std::thread::ThreadId, ids: Vec<std::thread::ThreadId>) -> RuntimeReport {
    let names = std::thread::current()
        .name()
        .map(str::to_string)
        .unwrap_or_default();
    let mut threads: Vec<String> = ids
        .iter()
        .map(|id| {
            if *id == caller {
                names.clone()
            } else {
                "tokio-runtime-worker".to_string()
            }
        })
        .collect();
    threads.sort();
    threads.dedup();
    RuntimeReport {
        threads,
        on_caller: ids.contains(&caller),
    }
}

/// Task 4.1a: four tasks on your current-thread runtime.
pub fn runtime_current_thread() -> RuntimeReport {
    let caller = std::thread::current().id();
    report(caller, crate::runtime::run_on_current_thread(spawn_four()))
}

/// Task 4.1b: four tasks on your multi-threaded runtime with two workers.
pub fn runtime_multi_thread() -> RuntimeReport {
    let caller = std::thread::current().id();
    report(caller, crate::runtime::run_on_multi_thread(2, spawn_four()))
}

/// Task 4.2: the course's example in virtual time.
pub fn hello_world() -> Timeline {
    in_virtual_time(async {
        let tl = Timeline::new();
        as_main(&tl, "hello_world()", tasks::hello_world(tl.clone())).await;
        tl.without_idle_polls()
    })
}

/// The three jobs of task 4.3: a (1 s), b (2 s), c (3 s).
pub fn three_jobs(tl: &Timeline) -> Vec<impl Future<Output = &'static str> + Send + use<>> {
    [("a", 1), ("b", 2), ("c", 3)]
        .into_iter()
        .map(|(name, secs)| support::work(tl.clone(), name, Duration::from_secs(secs)))
        .collect()
}

/// Task 4.3: the three jobs awaited one after another, in virtual time.
pub fn sequential() -> Timeline {
    three_jobs_in_virtual_time("sequentially", |tl| {
        concurrent::sequentially(three_jobs(tl))
    })
}

/// Task 4.3: the three jobs run concurrently, in virtual time.
pub fn concurrent() -> Timeline {
    three_jobs_in_virtual_time("concurrently", |tl| {
        concurrent::concurrently(three_jobs(tl))
    })
}

/// The three jobs given to `run` (one of task 4.3's functions), awaited by `main` as `what`,
/// in virtual time.
fn three_jobs_in_virtual_time<F: Future>(what: &str, run: impl FnOnce(&Timeline) -> F) -> Timeline {
    in_virtual_time(async {
        let tl = Timeline::new();
        as_main(&tl, what, run(&tl)).await;
        tl.without_idle_polls()
    })
}

/// What a batch of downloads did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownloadRun {
    /// From the first request to the last answer (virtual or real).
    pub elapsed: Duration,
    /// Downloads that returned the right body.
    pub ok: usize,
    /// The most requests the server handled at the same moment.
    pub max_in_flight: usize,
}

/// Task 4.4: `n` downloads from a [`VirtualServer`] with `latency`, all at once
/// (`limit: None`) or with at most `limit` in flight, in virtual time.
pub fn virtual_downloads(n: usize, limit: Option<usize>, latency: Duration) -> DownloadRun {
    in_virtual_time(async {
        let server = VirtualServer::new(latency);
        let urls = server.urls(n);
        let t0 = tokio::time::Instant::now();
        let results = match limit {
            None => downloads::download_all(urls, server.fetcher()).await,
            Some(k) => downloads::download_limited(urls, k, server.fetcher()).await,
        };
        DownloadRun {
            elapsed: t0.elapsed(),
            ok: count_ok(&results),
            max_in_flight: server.max_in_flight(),
        }
    })
}

/// How many results are the right body of their resource.
pub fn count_ok(results: &[Result<String, kit::http::HttpError>]) -> usize {
    results
        .iter()
        .enumerate()
        .filter(|(i, r)| r.as_deref().ok() == Some(support::body_of(*i).as_str()))
        .count()
}

/// Task 4.4: nine downloads with at most three in flight, in virtual time: three waves.
pub fn downloads_in_waves() -> Timeline {
    in_virtual_time(async {
        let tl = Timeline::new();
        let server = VirtualServer::new(Duration::from_millis(100)).recorded_on(&tl);
        let urls = server.urls(9);
        as_main(
            &tl,
            "download_limited(3)",
            downloads::download_limited(urls, 3, server.fetcher()),
        )
        .await;
        tl.without_idle_polls()
    })
}

/// Task 4.4 in real time: `urls` from a real server with [`kit::http::fetch`] on one
/// thread, all at once or at most `limit` at a time; optionally recorded on `tl`.
pub fn real_downloads(
    urls: Vec<String>,
    limit: Option<usize>,
    tl: Option<Timeline>,
) -> (Vec<Result<String, kit::http::HttpError>>, Duration) {
    on_one_thread(async move {
        let fetch = support::real_fetcher(tl);
        let t0 = Instant::now();
        let results = match limit {
            None => downloads::download_all(urls, fetch).await,
            Some(k) => downloads::download_limited(urls, k, fetch).await,
        };
        (results, t0.elapsed())
    })
}

/// What happened to the ticker while a blocking call ran (task 4.5, real time).
#[derive(Debug, Clone)]
pub struct Blocked {
    /// The timeline: `ticker`, `main`, `checksum`.
    pub timeline: Timeline,
    /// Ticks counted between the start and the end of the blocking call.
    pub ticks_during: usize,
    /// How long the blocking call took.
    pub took: Duration,
    /// The longest time the ticker went without ticking around the call.
    pub longest_gap: Duration,
}

/// Task 4.5 in real time, on one thread: a ticker ticks every `period` while a task calls
/// the blocking [`support::legacy_checksum`] for `cost`: right on the loop
/// (`off_the_loop: false`, the bug) or through your `run_blocking` (the fix).
pub fn blocking_call(off_the_loop: bool, cost: Duration, period: Duration) -> Blocked {
    on_one_thread(async move {
        let tl = Timeline::new();
        let ticks = Ticks::default();
        let ticker = tokio::spawn(support::ticker(Some(tl.clone()), period, ticks.clone()));
        tl.record("main", EventKind::Start);
        tl.awaiting("main", "sleep", tokio::time::sleep(period * 2 + period / 2))
            .await;
        let data = vec![7u8; 1 << 16];
        // The task itself counts the ticks from its first poll to its end: a task that
        // blocks the thread in one poll sees exactly none.
        let counter = ticks.clone();
        let checksum = async move {
            let (before, t0) = (counter.get(), Instant::now());
            if off_the_loop {
                blocking::run_blocking(move || support::legacy_checksum(&data, cost)).await;
            } else {
                // The bug on purpose: a blocking call right inside a task.
                support::legacy_checksum(&data, cost);
            }
            (counter.get() - before, t0, Instant::now())
        };
        let name = if off_the_loop {
            "to_thread"
        } else {
            "checksum"
        };
        let (ticks_during, t0, t1) = tl
            .awaiting("main", name, tl.spawn(name, checksum))
            .await
            .unwrap_or_else(passed_on);
        let took = t1 - t0;
        tl.awaiting("main", "sleep", tokio::time::sleep(period * 2 + period / 2))
            .await;
        let longest_gap = ticks.longest_gap(t0, t1);
        tl.record("main", EventKind::Finish);
        ticker.abort();
        let _ = ticker.await;
        Blocked {
            timeline: tl,
            ticks_during,
            took,
            longest_gap,
        }
    })
}

/// Task 4.5a, virtual time: two tasks each [`nap`](blocking::nap) 1 s; returns when they
/// both ended (virtual). 1 s if `nap` is a timer; a std sleep never moves tokio's clock.
pub fn two_naps() -> Duration {
    in_virtual_time(async {
        let t0 = tokio::time::Instant::now();
        let a = tokio::spawn(blocking::nap(Duration::from_secs(1)));
        let b = tokio::spawn(blocking::nap(Duration::from_secs(1)));
        a.await.unwrap_or_else(passed_on);
        b.await.unwrap_or_else(passed_on);
        t0.elapsed()
    })
}

/// What task 4.6 did: the threads involved and the answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bridge {
    /// The value computed on the loop for the plain thread.
    pub value: u32,
    /// Whether the future ran on the loop's thread (it should).
    pub ran_on_loop: bool,
    /// The name of the plain thread that asked.
    pub caller: String,
    /// What `report_from_async` returned.
    pub report: String,
}

/// Task 4.6 in real time: a plain thread asks the loop for a value with your
/// `call_from_thread`; then async code gets a report through your `report_from_async`.
pub fn bridge() -> Bridge {
    on_one_thread(async {
        let handle = tokio::runtime::Handle::current();
        let loop_thread = std::thread::current().id();
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::Builder::new()
            .name("plain-thread".into())
            .spawn(move || {
                let (value, ran_on) = bridge::call_from_thread(&handle, async {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    (6 * 7, std::thread::current().id())
                });
                let _ = tx.send((
                    value,
                    ran_on,
                    std::thread::current().name().map(str::to_string),
                ));
            })
            .expect("cannot spawn a thread");
        let (value, ran_on, caller) = rx.await.unwrap_or_else(|_| {
            // The thread died: pass its panic (e.g. a todo!) on as ours.
            panic!("the plain thread panicked in call_from_thread")
        });
        let report = bridge::report_from_async().await;
        Bridge {
            value,
            ran_on_loop: ran_on == loop_thread,
            caller: caller.unwrap_or_default(),
            report,
        }
    })
}

/// A sum that never yields: the bug of task 4.7 on purpose. `black_box` keeps the compiler
/// from replacing the loop by the formula n(n-1)/2.
pub fn greedy_sum(n: u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        sum = sum.wrapping_add(std::hint::black_box(i));
    }
    sum
}

/// What a ticker saw during a long sum (task 4.7, real time).
#[derive(Debug, Clone)]
pub struct Starved {
    /// The timeline: `ticker`, `main`, `sum`.
    pub timeline: Timeline,
    /// The sum computed.
    pub sum: u64,
    /// Ticks counted while the sum ran.
    pub ticks_during: usize,
    /// The longest time between two ticks (or from the last tick before to the first after).
    pub longest_gap: Duration,
    /// How long the sum took.
    pub took: Duration,
}

/// Task 4.7 in real time, on one thread: a ticker ticks every `period` while a task sums
/// `0..n`: without yielding (`yielding: false`, the bug) or with your `cooperative_sum`
/// yielding every `every` iterations.
pub fn long_sum(yielding: bool, n: u64, every: u64, period: Duration) -> Starved {
    on_one_thread(async move {
        let tl = Timeline::new();
        let ticks = Ticks::default();
        let ticker = tokio::spawn(support::ticker(Some(tl.clone()), period, ticks.clone()));
        tl.record("main", EventKind::Start);
        tl.awaiting("main", "sleep", tokio::time::sleep(period * 3))
            .await;
        // The task itself counts the ticks from its first poll to its end: a task that
        // never yields sees exactly none.
        let counter = ticks.clone();
        let sum = async move {
            let (before, t0) = (counter.get(), Instant::now());
            let sum = if yielding {
                cooperative::cooperative_sum(n, every).await
            } else {
                greedy_sum(n)
            };
            (sum, counter.get() - before, t0, Instant::now())
        };
        let (sum, ticks_during, t0, t1) = tl
            .awaiting("main", "sum", tl.spawn("sum", sum))
            .await
            .unwrap_or_else(passed_on);
        let took = t1 - t0;
        tl.awaiting("main", "sleep", tokio::time::sleep(period * 3))
            .await;
        tl.record("main", EventKind::Finish);
        ticker.abort();
        let _ = ticker.await;
        let longest_gap = ticks.longest_gap(t0, t1);
        Starved {
            timeline: tl,
            sum,
            ticks_during,
            longest_gap,
            took,
        }
    })
}

/// Task 4.8 in virtual time: `ticks(4, 250 ms)` consumed by your `consume`, each item
/// marked `got i` on the task `consumer` as it passes. Returns the timeline and the items.
pub fn stream() -> (Timeline, Vec<u32>) {
    in_virtual_time(async {
        let tl = Timeline::new();
        let marks = tl.clone();
        let stream = streams::ticks(4, Duration::from_millis(250))
            .inspect(move |i| marks.mark("consumer", format!("got {i}")));
        tl.record("consumer", EventKind::Start);
        let items = tl
            .awaiting("consumer", "consume", streams::consume(stream))
            .await;
        tl.record("consumer", EventKind::Finish);
        (tl.without_idle_polls(), items)
    })
}

/// Task 4.8 in virtual time: a session `db` with two queries inside your `with_session`.
/// Returns the timeline and the answers.
pub fn session() -> (Timeline, Vec<String>) {
    in_virtual_time(async {
        let tl = Timeline::new();
        let answers = streams::with_session(&tl, "db", async |s: &mut Session| {
            vec![s.query("select 1").await, s.query("select 2").await]
        })
        .await;
        (tl.without_idle_polls(), answers)
    })
}

/// Real time: `n` tasks that each sleep `each`, spawned at once on a multi-threaded runtime
/// (two workers); how long until all have finished.
pub fn many_sleepers(n: usize, each: Duration) -> Duration {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("cannot build a tokio runtime");
    runtime.block_on(async move {
        let t0 = Instant::now();
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..n {
            set.spawn(tokio::time::sleep(each));
        }
        while set.join_next().await.is_some() {}
        t0.elapsed()
    })
}
