//! Task 4.4 — 100 downloads at once, then at most 10 at a time.
//! Задание 4.4 — 100 загрузок сразу, затем не более 10.
//!
//! ## Why this works
//! [`download_all`] spawns one task per URL before awaiting any of them: 100 requests are
//! out at the same moment, and one thread waits for all 100 answers together (the runtime's
//! epoll sees 100 sockets). Total: about one latency, where Lab 1's loop took 100.
//!
//! [`download_limited`] spawns the same 100 tasks, but each one first acquires a permit
//! from a `Semaphore` of `limit` permits and holds it (`_permit`) until its download ends.
//! Ten tasks hold a permit; the ninety others wait in the semaphore's queue, costing
//! nothing but a little memory. When a download ends its permit is dropped and the next
//! waiting task starts at once: never more than 10 in flight, and never fewer while work
//! remains. 100 downloads at 10 at a time: ten latencies. This is the course's
//! "sync 10 s, async 1 s": the 1 s is concurrency 10, not concurrency 100.
//!
//! The permit lives *inside* the task: acquiring it in the spawning loop would work too,
//! but would block the loop on the 11th URL.

use std::future::Future;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Task 4.4a: downloads every URL at the same time: `fetch(url)` for each, all in flight
/// together. One result per URL, in the order of `urls` (errors in their place). A
/// download that panics makes this function panic with its payload.
///
/// Python: `await asyncio.gather(*(fetch(u) for u in urls))`.
pub async fn download_all<F, Fut>(urls: Vec<String>, fetch: F) -> Vec<Fut::Output>
where
    F: Fn(String) -> Fut,
    Fut: Future + Send + 'static,
    Fut::Output: Send + 'static,
{
    let handles: Vec<_> = urls
        .into_iter()
        .map(|url| tokio::spawn(fetch(url)))
        .collect();
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        match handle.await {
            Ok(result) => results.push(result),
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    results
}

/// Task 4.4b: downloads every URL with at most `limit` (>= 1) downloads in flight at any
/// moment, starting the next one as soon as one ends. One result per URL, in URL order. A
/// download that panics makes this function panic with its payload.
///
/// Python: `sem = asyncio.Semaphore(limit)` and `async with sem:` around each fetch.
pub async fn download_limited<F, Fut>(urls: Vec<String>, limit: usize, fetch: F) -> Vec<Fut::Output>
where
    F: Fn(String) -> Fut,
    Fut: Future + Send + 'static,
    Fut::Output: Send + 'static,
{
    let permits = Arc::new(Semaphore::new(limit));
    let handles: Vec<_> = urls
        .into_iter()
        .map(|url| {
            let permits = Arc::clone(&permits);
            // Creating the future starts nothing (futures are lazy): it runs once awaited,
            // after the permit is ours.
            let download = fetch(url);
            tokio::spawn(async move {
                let _permit = permits
                    .acquire_owned()
                    .await
                    .expect("the semaphore is never closed");
                download.await
            })
        })
        .collect();
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        match handle.await {
            Ok(result) => results.push(result),
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    results
}
