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
//!
//! ## Hint
//! `futures::future::join_all` keeps input order. For `try_gather`, the siblings must outlive
//! your function when it returns the error, and a future that nobody polls does not run: the
//! children must be *tasks*. `tokio::task::JoinSet` yields its tasks in completion order
//! (spawn `async move { (index, fut.await) }` to know whose result it is); read what a
//! `JoinSet` does to its tasks when it is dropped, and how to let them go instead.
//!
//! ## Caveat
//! `futures::future::try_join_all` looks like the answer to 5.2 and is not: at the first
//! error it drops (cancels) the siblings. That is `asyncio.TaskGroup`, not `gather`. Also,
//! `JoinSet::join_all` returns results in *completion* order. A child task that panics should
//! panic the caller too (`std::panic::resume_unwind` with the `JoinError`'s payload).

use std::future::Future;

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
/// outcome, errors included, in input order.
pub async fn gather_return_exceptions<F, T, E>(futures: Vec<F>) -> Vec<Result<T, E>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let _ = futures;
    todo!("task 5.2: every outcome, errors included, in input order")
}
