//! Task 4.4 — 100 downloads at once, then at most 10 at a time.
//!
//! ## TODO
//! Both functions take the URLs and `fetch`, a function that returns the future of one
//! download (`fetch(url).await` is the body or an error). The demo passes a real HTTP
//! client (`kit::http::fetch`); the checks pass a server with a virtual latency that counts
//! how many requests it handles at once.
//! - `download_all(urls, fetch)`: every download in flight at the same time. 100 downloads
//!   with a latency of 100 ms take about 100 ms (Lab 1's loop took 10 s).
//! - `download_limited(urls, limit, fetch)`: never more than `limit` downloads in flight,
//!   and the next one starts as soon as one ends. 100 downloads, limit 10: about 1 s.
//!
//! Both return one result per URL, in the order of `urls`.
//!
//! ## Hint
//! One `tokio::spawn(fetch(url))` per URL, then await the handles in order. For the limit:
//! `Arc<tokio::sync::Semaphore>` with `limit` permits; inside each task,
//! `let _permit = sem.acquire_owned().await` before the download: the permit is given back
//! when `_permit` is dropped, at the end of the task.
//!
//! ## Caveat
//! `let _ = sem.acquire()...` (without a name) drops the permit at once: no limit at all.
//! And a limit is not the same as batches of 10: the next download should start as soon
//! as *any* slot is free.

use std::future::Future;

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
    let _ = (urls, fetch);
    todo!("task 4.4: tokio::spawn(fetch(url)) for every url, then await the handles in order")
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
    let _ = (urls, limit, fetch);
    todo!("task 4.4: a Semaphore of `limit` permits; each task holds one while it downloads")
}
