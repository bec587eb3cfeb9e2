//! Tasks 5.1 and 5.2 — `asyncio.gather`: run futures concurrently, results in input order.
//!
//! ## TODO
//! 5.1 `gather(futures)`: run every future concurrently and return their outputs **in input
//!     order** (the order of `futures`, not the order in which they finish). If the gather
//!     itself is cancelled (its future dropped before it returns), every child still running
//!     is cancelled too: asyncio cancels the children of a cancelled gather.
//! 5.2 `try_gather(futures)`: asyncio's *default* `gather`, for futures that can fail. All
//!     succeed: `Ok(outputs in input order)`. Otherwise the **first** error is returned **as
//!     soon as it happens**, and the other futures **keep running** to their end (nobody
//!     awaits them any more, but nobody cancels them either). Cancelling `try_gather` before
//!     it returns cancels the children, as in 5.1.
//!     `gather_return_exceptions(futures)`: `gather(..., return_exceptions=True)`: wait for
//!     every future and return every outcome, errors included, each in its input's place.
//!     A future that **panics** (a bug: Python's `ZeroDivisionError`) is an exception like
//!     any other here: catch it and put `Raised::Panic(message)` in its slot; the others run
//!     on. In `try_gather` a panic is the first error: it reaches the caller (re-raise it)
//!     and the siblings keep running, exactly as after an `Err`.
//! 5.1 `gather_tasks(handles)`: `gather` over tasks already spawned (`gather(t1, t2)` of
//!     asyncio tasks). Outputs in input order; the first task that panicked or was cancelled
//!     by someone else gives `Err(its JoinError)` at once, the others keep running. If the
//!     gather is cancelled, it **aborts** every task still running: it owns them.
//!
//! ## Hint
//! `futures::future::join_all` keeps input order. For `try_gather`, the siblings must outlive
//! your function when it returns the error, and a future that nobody polls does not run: the
//! children must be *tasks*. `tokio::task::JoinSet` yields its tasks in completion order
//! (spawn `async move { (index, fut.await) }` to know whose result it is); read what a
//! `JoinSet` does to its tasks when it is dropped, and how to let them go instead.
//!
//! For a panic inside a future you poll yourself: `futures::FutureExt::catch_unwind` on
//! `std::panic::AssertUnwindSafe(fut)`; `crate::scene::panic_message` reads the payload.
//! For `gather_tasks`: dropping a `JoinHandle` does not stop its task, but its
//! `abort_handle()` can, from a guard's `Drop`. (That is why `gather` given handles cannot
//! cancel their tasks, and `gather_tasks` exists; and why a panic inside `gather`, whose
//! children live in its own future, drops the siblings: the chapter's parity appendix has
//! both logs beside asyncio's.)
//!
//! ## Caveat
//! `futures::future::try_join_all` looks like the answer to 5.2 and is not: at the first
//! error it drops (cancels) the siblings. That is `asyncio.TaskGroup`, not `gather`. Also,
//! `JoinSet::join_all` returns results in *completion* order. In `try_gather`, re-raising a
//! child's panic (`std::panic::resume_unwind`) while the `JoinSet` is still yours unwinds
//! through it and aborts the siblings: let them go first. This is `gather`, not
//! `asyncio.TaskGroup`: a TaskGroup cancels the siblings of a failed child, `gather` never
//! does (the chapter compares the two).

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
/// futures keep running to their end. Dropping the returned future before it completes
/// cancels the children still running.
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
