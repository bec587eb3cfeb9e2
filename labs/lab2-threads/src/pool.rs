//! Task 2.6 — IO-bound work on a pool of P threads.
//!
//! Write `pool_map` and `download_all`: at most P threads taking items from one shared queue.
//!
//! Read `docs/src/lab2-threads.md#task-2-6`; check: `cargo course check 2.6`.
//!
//! Задание 2.6 — Загрузки на пуле из P потоков.
//!
//! Читайте `docs/src/lab2-threads.md#task-2-6`
//! (в русской книге: `ru/lab2-threads.html#task-2-6`); проверка: `cargo course check 2.6`.

use kit::http::HttpError;

/// Task 2.6: `f(&item)` for every item, on at most `threads` threads pulling from a shared
/// queue; results in the order of `items`. Panics if `threads` is 0.
pub fn pool_map<T, R, F>(items: &[T], threads: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let _ = (items, threads, f);
    todo!("task 2.6")
}

/// Task 2.6: downloads every URL with `kit::http::get` on at most `threads` threads;
/// one result per URL, in the order of `urls`, errors in place.
pub fn download_all(urls: &[String], threads: usize) -> Vec<Result<String, HttpError>> {
    let _ = (urls, threads);
    todo!("task 2.6")
}
