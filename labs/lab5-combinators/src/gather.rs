//! Tasks 5.1 and 5.2 — `asyncio.gather`: results in input order.
//!
//! Write `gather` and `gather_tasks` (5.1), `try_gather` and `gather_return_exceptions` (5.2).
//!
//! Read `docs/src/lab5-combinators.md#task-5-1` and `#task-5-2`;
//! check: `cargo course check 5.1`, `cargo course check 5.2`.
//!
//! Задания 5.1 и 5.2 — gather: результаты в порядке входа; gather и ошибки:
//! return_exceptions и соседние задачи, которые продолжают работать.
//!
//! Читайте `docs/src/lab5-combinators.md#task-5-1` и `#task-5-2`
//! (в русской книге: `ru/lab5-combinators.html`);
//! проверка: `cargo course check 5.1`, `cargo course check 5.2`.

use std::fmt;
use std::future::Future;
use tokio::task::{JoinError, JoinHandle};

/// Task 5.1: runs every future concurrently and returns their outputs in input order.
/// Dropping the returned future before it completes cancels the children still running.
pub async fn gather<F, T>(futures: Vec<F>) -> Vec<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let _ = futures;
    todo!("task 5.1: run them all at once, results in input order")
}

/// Task 5.2: asyncio's default `gather` for fallible futures. All succeed: `Ok(outputs in
/// input order)`. Otherwise the first error, returned as soon as it happens, while the other
/// futures keep running to their end. A panic is the first error too: it is re-raised, and
/// the others keep running as after an `Err`. Dropping the returned future before it
/// completes cancels the children still running.
pub async fn try_gather<F, T, E>(futures: Vec<F>) -> Result<Vec<T>, E>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let _ = futures;
    todo!("task 5.2: return the first error at once, and let the siblings run on")
}

/// Task 5.2: `gather(..., return_exceptions=True)`: waits for every future and returns every
/// outcome, errors included, in input order. A future that panics does not stop the others:
/// its panic is caught and put in its slot as [`Raised::Panic`], as asyncio puts a bug's
/// exception (a `ZeroDivisionError`) in its place.
pub async fn gather_return_exceptions<F, T, E>(futures: Vec<F>) -> Vec<Result<T, Raised<E>>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let _ = futures;
    todo!("task 5.2: every outcome, errors and panics included, in input order")
}

/// Task 5.1: `gather` over tasks that are already spawned (asyncio's `gather(t1, t2)` of
/// tasks). `Ok(outputs in input order)`; at the first task that panicked or was cancelled
/// by someone else, `Err` with its `JoinError` at once, the others left running (asyncio
/// raises the first exception). Dropping the returned future before it completes **aborts**
/// every task still running: the gather owns them, and asyncio cancels a cancelled gather's
/// children, tasks included.
pub async fn gather_tasks<T>(tasks: Vec<JoinHandle<T>>) -> Result<Vec<T>, JoinError>
where
    T: Send + 'static,
{
    let _ = tasks;
    todo!("task 5.1: await every handle, and abort the tasks if the gather is dropped")
}

/// An exception in its slot (`gather_return_exceptions`): the future's own error, or a panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Raised<E> {
    /// The future returned `Err(e)`.
    Error(E),
    /// The future panicked (a bug), with this message.
    Panic(String),
}

impl<E: fmt::Display> fmt::Display for Raised<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Raised::Error(e) => e.fmt(f),
            Raised::Panic(message) => write!(f, "panic: {message}"),
        }
    }
}
