//! Task 5.4 — `asyncio.wait`: FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED.
//!
//! Write `wait`: `(done, pending)` once `return_when` holds, the pending tasks still running.
//!
//! Read `docs/src/lab5-combinators.md#task-5-4`; check: `cargo course check 5.4`.
//!
//! Задание 5.4 — wait: FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED.
//!
//! Читайте `docs/src/lab5-combinators.md#task-5-4`
//! (в русской книге: `ru/lab5-combinators.html#task-5-4`); проверка: `cargo course check 5.4`.

use tokio::task::{JoinError, JoinHandle};

/// When [`wait`] returns (asyncio's `return_when`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnWhen {
    /// As soon as at least one task has finished (successfully or not).
    FirstCompleted,
    /// As soon as a task has finished with an `Err` or a panic, or when all have finished
    /// (a task cancelled by someone else is done, but not an exception).
    FirstException,
    /// When every task has finished.
    AllCompleted,
}

/// Tasks given to [`wait`] or handed back by it: each with the caller's label `K` (a name,
/// an index) so the caller can tell them apart.
pub type Tasks<K, T, E> = Vec<(K, JoinHandle<Result<T, E>>)>;

/// Finished tasks: each label with the task's outcome as its handle gave it: `Ok(Ok(value))`,
/// `Ok(Err(error))`, or `Err(JoinError)` if the task panicked or was cancelled by someone
/// else (asyncio's `t.exception()` and `t.cancelled()`: `wait` itself never raises).
pub type Done<K, T, E> = Vec<(K, Result<Result<T, E>, JoinError>)>;

/// Task 5.4: waits until `return_when` is satisfied and returns `(done, pending)`: the
/// finished tasks with their outcomes, and the others, **still running**, with their
/// handles. Every task given is in exactly one of the two. With no tasks, returns at once.
pub async fn wait<K, T, E>(
    tasks: Tasks<K, T, E>,
    return_when: ReturnWhen,
) -> (Done<K, T, E>, Tasks<K, T, E>) {
    let _ = (tasks, return_when);
    todo!("task 5.4")
}
