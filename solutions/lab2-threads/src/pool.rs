//! Task 2.6 — IO-bound work on a pool of P threads.
//! Задание 2.6 — Загрузки на пуле из P потоков.
//!
//! ## Why this works
//! The queue is one shared counter: `fetch_add(1)` hands out each index exactly once,
//! whichever worker asks, so no item is skipped or done twice, and a worker that draws an
//! index past the end knows the work is over. There are never more than `threads` workers,
//! so never more than `threads` requests in flight; as soon as one download finishes, its
//! worker starts the next, so N downloads take about ⌈N / P⌉ rounds of the latency. Each
//! worker keeps `(index, result)` pairs; writing them into slots at the end restores input
//! order, whatever order the downloads finished in. While a worker waits for the server it
//! is blocked in the kernel and uses no CPU: that is why P can exceed the core count.

use kit::http::HttpError;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Task 2.6: `f(&item)` for every item, on at most `threads` threads pulling from a shared
/// queue; results in the order of `items`. Panics if `threads` is 0.
pub fn pool_map<T, R, F>(items: &[T], threads: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    assert!(threads > 0, "a pool needs at least one thread");
    let next = AtomicUsize::new(0);
    let (next, f) = (&next, &f);
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads.min(items.len()))
            .map(|_| {
                s.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        // Relaxed is enough: the counter only has to hand out distinct
                        // indices; the results travel back through join, which synchronises.
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        for worker in workers {
            let done = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (i, result) in done {
                slots[i] = Some(result);
            }
        }
    });
    slots
        .into_iter()
        .map(|slot| slot.expect("every index is handed out exactly once"))
        .collect()
}

/// Task 2.6: downloads every URL with `kit::http::get` on at most `threads` threads;
/// one result per URL, in the order of `urls`, errors in place.
pub fn download_all(urls: &[String], threads: usize) -> Vec<Result<String, HttpError>> {
    pool_map(urls, threads, |url| kit::http::get(url))
}
