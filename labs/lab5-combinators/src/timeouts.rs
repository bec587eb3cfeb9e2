//! Task 5.9 — timeouts that do not cancel.
//!
//! Write `wait_timeout` and `as_completed_timeout`: tasks 5.4 and 5.5 with asyncio's `timeout`.
//!
//! Read `docs/src/lab5-combinators.md#task-5-9`; check: `cargo course check 5.9`.
//!
//! Задание 5.9 — Тайм-ауты без отмены: wait и as_completed с тайм-аутом.
//!
//! Читайте `docs/src/lab5-combinators.md#task-5-9`
//! (в русской книге: `ru/lab5-combinators.html#task-5-9`); проверка: `cargo course check 5.9`.

use crate::wait::{Done, ReturnWhen, Tasks};
use crate::wait_for::TimeoutError;
use futures::stream::BoxStream;
use std::future::Future;
use std::time::Duration;

/// Task 5.9: [`crate::wait::wait`] with asyncio's `timeout`: returns `(done, pending)` when
/// `return_when` is satisfied **or** when `timeout` has elapsed, whichever comes first. On
/// timeout nothing is cancelled: the pending tasks are handed back still running. `None`
/// waits without a deadline.
pub async fn wait_timeout<K, T, E>(
    tasks: Tasks<K, T, E>,
    return_when: ReturnWhen,
    timeout: Option<Duration>,
) -> (Done<K, T, E>, Tasks<K, T, E>) {
    let _ = (tasks, return_when, timeout);
    todo!("task 5.9")
}

/// Task 5.9: [`crate::as_completed::as_completed`] with asyncio's `timeout`: starts every
/// future now, each as its own task, and yields `Ok(output)` in completion order for every
/// task that finished within `timeout`; then one `Err(TimeoutError)` for each task that did
/// not, and ends. Those tasks are **not** cancelled: they run on, unobserved. `None` never
/// times out. A task that panicked re-raises its panic when its turn comes.
pub fn as_completed_timeout<F>(
    futures: Vec<F>,
    timeout: Option<Duration>,
) -> BoxStream<'static, Result<F::Output, TimeoutError>>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let _ = (futures, timeout);
    todo!("task 5.9: completion order until the deadline, then one TimeoutError per task left")
}
