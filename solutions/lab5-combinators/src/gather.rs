//! Tasks 5.1 and 5.2 — `asyncio.gather`: run futures concurrently, results in input order.
//!
//! ## Why this works
//! 5.1 `join_all` keeps one slot per input future and polls them all, in this task, every
//! time one of them is woken: they wait *concurrently* (the total time is the longest one,
//! not the sum), and each output lands in its input's slot, so the order is the input order
//! whatever the completion order. The futures live inside the `join_all` future, so dropping
//! the gather drops (cancels) every child that has not finished: asyncio's "cancelling
//! gather cancels its children".
//!
//! 5.2 asyncio's default gather returns at the first error **and leaves the siblings
//! running**. A future that nobody polls does not run, so the siblings cannot stay inside
//! our future: each is spawned as a task in a [`JoinSet`] with its index. `join_next`
//! yields them in completion order, so the first error is seen the moment it happens; the
//! index puts each success in its slot. Then the two cancellation rules come from the
//! `JoinSet` itself: dropping it (our future was cancelled while waiting) aborts every task,
//! and `detach_all` (at the first error) lets them go on without us.
//! `try_join_all` would drop the siblings at the first error: that is `asyncio.TaskGroup`.
//!
//! `return_exceptions=True` needs no machinery in Rust: an error is a value, so `join_all`
//! over `Result`s already returns every outcome in place.

use futures::future::join_all;
use std::future::Future;
use tokio::task::{JoinError, JoinSet};

/// Task 5.1: runs every future concurrently and returns their outputs in input order.
/// Dropping the returned future before it completes cancels the children still running.
pub async fn gather<F, T>(futures: Vec<F>) -> Vec<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    join_all(futures).await
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
    let mut slots: Vec<Option<T>> = futures.iter().map(|_| None).collect();
    let mut set = JoinSet::new();
    for (i, fut) in futures.into_iter().enumerate() {
        set.spawn(async move { (i, fut.await) });
    }
    while let Some(joined) = set.join_next().await {
        let (i, outcome) = joined.unwrap_or_else(|e| reraise(e));
        match outcome {
            Ok(value) => slots[i] = Some(value),
            Err(e) => {
                // The siblings keep running, detached: dropping the set now would abort them.
                set.detach_all();
                return Err(e);
            }
        }
    }
    Ok(slots
        .into_iter()
        .map(|slot| slot.expect("every task reported its outcome"))
        .collect())
}

/// Task 5.2: `gather(..., return_exceptions=True)`: waits for every future and returns every
/// outcome, errors included, in input order.
pub async fn gather_return_exceptions<F, T, E>(futures: Vec<F>) -> Vec<Result<T, E>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    join_all(futures).await
}

/// A spawned child panicked: panic here too, with its payload (as `await task` re-raises).
fn reraise(e: JoinError) -> ! {
    match e.try_into_panic() {
        Ok(payload) => std::panic::resume_unwind(payload),
        Err(e) => panic!("a child of gather was cancelled from outside: {e}"),
    }
}
