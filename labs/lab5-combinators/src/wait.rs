//! Task 5.4 — `asyncio.wait`: `FIRST_COMPLETED`, `FIRST_EXCEPTION`, `ALL_COMPLETED`.
//!
//! ## TODO
//! `wait(tasks, return_when)`: wait until the condition holds, then return `(done, pending)`:
//! - `done`: every task that has finished, with its label and its outcome;
//! - `pending`: every other task, with its label and its handle, **still running**: the
//!   caller may await it later, wait on it again, or abort it. `wait` never cancels anything.
//!
//! `FirstCompleted` returns as soon as at least one task has finished (`Ok` or `Err`);
//! `FirstException` as soon as one has finished with an `Err` **or a panic**, or when all
//! have finished (a task cancelled by someone else is done, but not an exception: asyncio
//! checks `not t.cancelled() and t.exception() is not None`);
//! `AllCompleted` when all have finished. Tasks that finish at the same instant are all in
//! `done`. Each input task is in exactly one of the two lists; their order does not matter.
//! With no tasks, return two empty lists at once.
//!
//! ## Hint
//! A `JoinHandle` is a future that you can poll *by reference*: `Pin::new(&mut handle)`.
//! `std::future::poll_fn` lets you write one poll that looks at every handle and reports
//! the ready ones. Once a handle has returned `Ready`, never poll it again: move its output
//! to `done`. `futures::future::select_all` is another way (it hands the others back).
//!
//! ## Caveat
//! `tokio::select!` (and `futures::future::select`) *drop* the branches that lose, and
//! dropping a future cancels it: the opposite of what asyncio's `wait` does. Aborting the
//! pending tasks "to be clean" is the same mistake. `wait` never raises: a task that
//! panicked or was aborted by someone else goes to `done` with its `JoinError` (unwrapping
//! it would panic on an input asyncio accepts). asyncio raises `ValueError` for an empty
//! set; here an empty list returns at once, since Rust has no exception to raise.

use tokio::task::{JoinError, JoinHandle};

/// When [`wait`] returns (asyncio's `return_when`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnWhen {
    /// As soon as at least one task has finished (successfully or not).
    FirstCompleted,
    /// As soon as a task has finished with an `Err`, or when all have finished.
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
    todo!("task 5.4: poll the handles by reference, move the finished ones to done")
}
