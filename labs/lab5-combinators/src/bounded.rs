//! Task 5.7 — bounded gather: at most N in flight.
//!
//! Write `gather_bounded`: `gather`, with at most `limit` futures running at any moment.
//!
//! Read `docs/src/lab5-combinators.md#task-5-7`; check: `cargo course check 5.7`.
//!
//! Задание 5.7 — Ограниченный gather: не более N одновременно.
//!
//! Читайте `docs/src/lab5-combinators.md#task-5-7`
//! (в русской книге: `ru/lab5-combinators.html#task-5-7`); проверка: `cargo course check 5.7`.

use std::future::Future;

/// Task 5.7: like `gather` (outputs in input order), but at most `limit` of the futures run
/// at any moment; as soon as one finishes, the next one in input order starts, at that same
/// instant. A future that has not started has not been polled at all. Dropping the returned
/// future cancels them all.
///
/// # Panics
/// If `limit` is 0 (nothing could ever run).
pub async fn gather_bounded<F>(futures: Vec<F>, limit: usize) -> Vec<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let _ = (futures, limit);
    todo!("task 5.7")
}
