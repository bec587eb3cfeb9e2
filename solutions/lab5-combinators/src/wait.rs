//! Task 5.4 — `asyncio.wait`: `FIRST_COMPLETED`, `FIRST_EXCEPTION`, `ALL_COMPLETED`.
//! Задание 5.4 — wait: FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED.
//!
//! ## Why this works
//! The handles are polled *by reference* (`Pin::new(&mut handle)`), never moved into a race
//! that would drop the losers: a `JoinHandle` that is not ready stays in `pending`, its task
//! untouched, and goes back to the caller, who can await it later, wait on it again, or
//! abort it. That is the whole difference with `select!`, which drops its losing branches.
//!
//! One [`poll_fn`] pass polls every pending handle and collects **all** that are ready, not
//! just the first: tasks that finished at the same instant are all in `done`, as in asyncio
//! (where `done` holds every task that is done when `wait` wakes up). A handle must not be
//! polled again once it returned `Ready`, so the ready ones move to `done` at once. Then the
//! `return_when` rule decides whether to return or to wait for more.
//!
//! Each outcome goes to `done` as the handle gave it, `JoinError` included: asyncio's `wait`
//! never raises for a task that failed, panicked or was cancelled by someone else, the
//! caller reads it from `done`. Unwrapping it here would panic on an input asyncio accepts.
//!
//! Polling every handle on each wake-up costs O(n) per completion: fine for the handful of
//! tasks `wait` is used with. A `JoinSet` would be O(1) but owns its tasks and aborts them
//! when dropped; asyncio's `wait` hands the pending tasks back alive.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;
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
    let mut pending = tasks;
    let mut done: Done<K, T, E> = Vec::new();
    while !pending.is_empty() {
        // Every handle that is ready now, with its position in `pending`.
        let ready = poll_fn(|cx| {
            let ready: Vec<_> = pending
                .iter_mut()
                .enumerate()
                .filter_map(|(i, (_, handle))| match Pin::new(handle).poll(cx) {
                    Poll::Ready(out) => Some((i, out)),
                    Poll::Pending => None,
                })
                .collect();
            if ready.is_empty() {
                Poll::Pending
            } else {
                Poll::Ready(ready)
            }
        })
        .await;
        // Remove from the back so the earlier positions stay valid.
        let mut finished: Done<K, T, E> = Vec::new();
        for (i, out) in ready.into_iter().rev() {
            let (label, _handle) = pending.remove(i);
            finished.push((label, out));
        }
        finished.reverse();
        // An error or a panic is an exception; a task cancelled by someone else is not (asyncio
        // checks `not f.cancelled() and f.exception() is not None`).
        let failed = finished.iter().any(|(_, outcome)| match outcome {
            Ok(result) => result.is_err(),
            Err(e) => e.is_panic(),
        });
        done.extend(finished);
        match return_when {
            ReturnWhen::FirstCompleted => break,
            ReturnWhen::FirstException if failed => break,
            ReturnWhen::FirstException | ReturnWhen::AllCompleted => {}
        }
    }
    (done, pending)
}
