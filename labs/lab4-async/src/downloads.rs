//! Task 4.4 — 100 downloads at once, then at most 10.
//!
//! Write `download_all` and `download_limited`: every download in flight, then at most `limit`.
//!
//! Read `docs/src/lab4-async.md#task-4-4`; check: `cargo course check 4.4`.
//!
//! Задание 4.4 — 100 загрузок сразу, затем не более 10.
//!
//! Читайте `docs/src/lab4-async.md#task-4-4`
//! (в русской книге: `ru/lab4-async.html#task-4-4`); проверка: `cargo course check 4.4`.

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
    todo!("task 4.4")
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
    todo!("task 4.4")
}
