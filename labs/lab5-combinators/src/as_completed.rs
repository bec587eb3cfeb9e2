//! Task 5.5 — `asyncio.as_completed`: results in completion order.
//!
//! Write `as_completed`: start every future now, yield the outputs as they finish.
//!
//! Read `docs/src/lab5-combinators.md#task-5-5`; check: `cargo course check 5.5`.
//!
//! Задание 5.5 — as_completed: результаты в порядке завершения.
//!
//! Читайте `docs/src/lab5-combinators.md#task-5-5`
//! (в русской книге: `ru/lab5-combinators.html#task-5-5`); проверка: `cargo course check 5.5`.

use futures::stream::BoxStream;
use std::future::Future;

/// Task 5.5: starts every future now, each as its own task, and yields their outputs in the
/// order they finish, then ends. The tasks keep running while the consumer is busy between
/// two items. A task that panicked re-raises its panic when its turn comes; the other tasks
/// keep running.
pub fn as_completed<F>(futures: Vec<F>) -> BoxStream<'static, F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let _ = futures;
    todo!("task 5.5: spawn them all now, yield each output as its task finishes")
}
