//! Task 4.3 — sequential awaits vs concurrent tasks.
//!
//! Write `sequentially` and `concurrently`: the same futures, one after another, then at once.
//!
//! Read `docs/src/lab4-async.md#task-4-3`; check: `cargo course check 4.3`.
//!
//! Задание 4.3 — Последовательные await и конкурентные задачи.
//!
//! Читайте `docs/src/lab4-async.md#task-4-3`
//! (в русской книге: `ru/lab4-async.html#task-4-3`); проверка: `cargo course check 4.3`.

use std::future::Future;

/// Task 4.3a: awaits the futures one after another; their outputs in input order.
///
/// Python: `[await c for c in coros]`. The total time is the *sum* of the delays.
pub async fn sequentially<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let _ = futures;
    todo!("task 4.3")
}

/// Task 4.3b: runs all the futures at the same time; their outputs in input order (not in
/// the order they finish). If a future panics, `concurrently` panics with its payload
/// (`asyncio.gather` raises a job's exception): never a skipped result, never a hang.
///
/// Python: `await asyncio.gather(*coros)`. The total time is the *largest* delay.
pub async fn concurrently<F>(futures: Vec<F>) -> Vec<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let _ = futures;
    todo!("task 4.3")
}
