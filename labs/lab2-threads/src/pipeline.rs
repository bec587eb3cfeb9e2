//! Task 2.5 — a channel pipeline: producer, workers, collector.
//!
//! Write `pipeline`: a producer, `workers` workers and the collector, over bounded channels.
//!
//! Read `docs/src/lab2-threads.md#task-2-5`; check: `cargo course check 2.5`.
//!
//! Задание 2.5 — Конвейер на каналах: производитель, рабочие потоки, сборщик.
//!
//! Читайте `docs/src/lab2-threads.md#task-2-5`
//! (в русской книге: `ru/lab2-threads.html#task-2-5`); проверка: `cargo course check 2.5`.

/// Task 2.5: runs every job through `workers` worker threads fed by a producer over a
/// bounded channel of `capacity`; returns the results in arrival order. Panics if
/// `workers` is 0.
pub fn pipeline<I, R, F>(jobs: I, workers: usize, capacity: usize, work: F) -> Vec<R>
where
    I: IntoIterator,
    I::IntoIter: Send,
    I::Item: Send,
    R: Send,
    F: Fn(I::Item) -> R + Sync,
{
    let _ = (jobs, workers, capacity, work);
    todo!("task 2.5")
}
