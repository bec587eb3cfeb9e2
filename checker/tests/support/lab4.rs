//! What Lab 4's public and hidden checks share: how long a future takes in virtual time,
//! times in ms, the requests' spans on a timeline and whether a limit was a sliding window,
//! futures handed to the loop from threads (task 4.6), how often a sum yields (task 4.7),
//! and the fate of a panic fed to the student's code.
//!
//! Included with `#[path]` by `checker/tests/lab4.rs` and `checker/hidden/lab4.rs`.

use checker::harness::{in_virtual_time, on_one_thread, panic_message};
use checker::kit::timeline::{EventKind, Timeline};
use checker::lab4::bridge::call_from_thread;
use checker::lab4::cooperative::cooperative_sum;
use model::tr;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{self, ThreadId};
use std::time::Duration;

/// Runs `fut` in virtual time: how long it took on tokio's (paused) clock, and its output.
pub fn timed_in_virtual_time<T>(fut: impl Future<Output = T>) -> (Duration, T) {
    in_virtual_time(async {
        let t0 = tokio::time::Instant::now();
        let out = fut.await;
        (t0.elapsed(), out)
    })
}

/// `d` in whole milliseconds.
pub fn ms(d: Duration) -> u128 {
    d.as_millis()
}

/// `(start ms, end ms)` of each request `GET i` recorded on `tl`, by `i`.
pub fn request_spans(tl: &Timeline, n: usize) -> Vec<(u128, u128)> {
    let mut spans = vec![(u128::MAX, u128::MAX); n];
    for e in tl.events() {
        let Some(i) = e
            .task
            .strip_prefix("GET ")
            .and_then(|i| i.parse::<usize>().ok())
        else {
            continue;
        };
        match e.kind {
            EventKind::Start => spans[i].0 = ms(e.at),
            EventKind::Finish => spans[i].1 = ms(e.at),
            _ => {}
        }
    }
    spans
}

/// Task 4.4: a limit of `limit` downloads is a sliding window: at every instant at which a
/// request started or ended, never more than `limit` in flight, and never fewer while a
/// download waits to start. `what` names the run in the messages; `hint` follows the
/// message of a window that was not full.
pub fn assert_sliding_window(spans: &[(u128, u128)], limit: usize, what: &str, hint: &str) {
    for (t, in_flight, waiting) in occupancy(spans) {
        assert!(
            in_flight <= limit,
            "{}",
            tr!(
                en: "{what}: {in_flight} in flight at {t} ms",
                ru: "{what}: {in_flight} одновременно в {t} мс",
            )
        );
        assert!(
            in_flight == limit || waiting == 0,
            "{}",
            tr!(
                en: "{what}: at {t} ms only {in_flight} were in flight while {waiting} had not \
                     started. {hint} (start ms, end ms) per URL: {spans:?}",
                ru: "{what}: в {t} мс одновременно шли лишь {in_flight}, а {waiting} ещё не \
                     начались. {hint} (начало мс, конец мс) по URL: {spans:?}",
            )
        );
    }
}

/// At each instant at which a request started or ended, in order: `(ms, requests in
/// flight, requests not started yet)`, from the requests' `spans`.
fn occupancy(spans: &[(u128, u128)]) -> Vec<(u128, usize, usize)> {
    let mut instants: Vec<u128> = spans.iter().flat_map(|(a, b)| [*a, *b]).collect();
    instants.sort_unstable();
    instants.dedup();
    instants
        .into_iter()
        .map(|t| {
            let in_flight = spans.iter().filter(|(a, b)| *a <= t && t < *b).count();
            let waiting = spans.iter().filter(|(a, _)| *a > t).count();
            (t, in_flight, waiting)
        })
        .collect()
}

/// Task 4.7: `cooperative_sum(n, every)` on one thread: its sum, and how many times it
/// yielded. Each `yield_now()` makes the sum's future return Pending once, and nothing else
/// in a sum waits: it is polled once more than it yields.
pub fn sum_and_yields(n: u64, every: u64) -> (u64, u64) {
    let count = Arc::new(AtomicUsize::new(0));
    let sum = on_one_thread(Polls {
        fut: Box::pin(cooperative_sum(n, every)),
        count: count.clone(),
    });
    (sum, count.load(Ordering::SeqCst) as u64 - 1)
}

/// A future that counts how many times it is polled.
struct Polls<F> {
    fut: std::pin::Pin<Box<F>>,
    count: Arc<AtomicUsize>,
}

impl<F: Future> Future for Polls<F> {
    type Output = F::Output;
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        self.count.fetch_add(1, Ordering::SeqCst);
        self.fut.as_mut().poll(cx)
    }
}

/// What became of the panic `fed_panic` that `body` fed into the student's code.
pub enum Fate<T> {
    /// It came out of the student's function, as the task documents.
    PassedOn,
    /// The function was still waiting an hour later (virtual time).
    Hung,
    /// The function returned normally: the panic was dropped.
    Returned(T),
}

/// Runs `body` in virtual time under a cap of one hour (the cap fires at once in real time)
/// and tells what became of the panic `fed_panic` it feeds into the student's code. Any
/// other panic (a `todo!()`, the student's own) is passed on as it is.
pub fn fate_of<T>(fed_panic: &str, body: impl Future<Output = T>) -> Fate<T> {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        in_virtual_time(async { tokio::time::timeout(Duration::from_secs(3600), body).await })
    }));
    match outcome {
        Err(payload) if panic_message(&*payload).contains(fed_panic) => Fate::PassedOn,
        Err(payload) => resume_unwind(payload),
        Ok(Err(_)) => Fate::Hung,
        Ok(Ok(value)) => Fate::Returned(value),
    }
}

/// On one thread (the event loop): one OS thread per future of `jobs`, each handing its
/// future to the loop with `call_from_thread` (task 4.6). The threads are joined without
/// blocking the loop, which must keep running the futures. Each future's output, in order,
/// with the thread it ran on; a thread's panic is passed on.
pub fn ask_the_loop_from_threads<F>(jobs: Vec<F>) -> Vec<(F::Output, ThreadId)>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    on_one_thread(async {
        let handle = tokio::runtime::Handle::current();
        let threads: Vec<_> = jobs
            .into_iter()
            .map(|job| {
                let handle = handle.clone();
                thread::spawn(move || {
                    call_from_thread(&handle, async move { (job.await, thread::current().id()) })
                })
            })
            .collect();
        let mut results = Vec::new();
        for t in threads {
            match tokio::task::spawn_blocking(move || t.join()).await {
                Ok(Ok(r)) => results.push(r),
                Ok(Err(payload)) => resume_unwind(payload),
                Err(e) => resume_unwind(e.into_panic()),
            }
        }
        results
    })
}
