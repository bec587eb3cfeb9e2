//! Tasks 5.1 and 5.2 — `asyncio.gather`: run futures concurrently, results in input order.
//! Задания 5.1 и 5.2 — gather: результаты в порядке входа; gather и ошибки:
//! return_exceptions и соседние задачи, которые продолжают работать.
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
//! A child that panics (a bug) is an exception too. In `try_gather` its `JoinError` is the
//! first error: the set is detached, then the panic re-raised, so the unwinding does not
//! abort the siblings. `return_exceptions=True` needs little machinery in Rust, an error
//! being a value: `join_all` over `Result`s returns every outcome in place, and
//! `catch_unwind` around each future turns a panic into `Raised::Panic` in its slot.
//!
//! 5.1 `gather_tasks` is `gather` over tasks already spawned. Dropping a `JoinHandle`
//! detaches its task, so the gather keeps every task's `AbortHandle` in a guard that aborts
//! them all when it is dropped (cancelled), and empties the guard before returning an
//! error (the other tasks run on, as asyncio's do). The handles are awaited in a
//! `FuturesUnordered`, in completion order, so a failed task is reported at once.

use crate::scene::panic_message;
use futures::FutureExt;
use futures::future::join_all;
use futures::stream::{FuturesUnordered, StreamExt};
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use tokio::task::{AbortHandle, JoinError, JoinHandle, JoinSet};

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
        let (i, outcome) = match joined {
            Ok(reported) => reported,
            Err(e) => {
                // A child panicked (a bug: asyncio's ZeroDivisionError). The panic reaches the
                // caller as the first error does, and the siblings keep running: detach them
                // first, or the unwinding would drop the set and abort them.
                set.detach_all();
                reraise(e)
            }
        };
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
/// outcome, errors included, in input order. A future that panics does not stop the others:
/// its panic is caught and put in its slot as [`Raised::Panic`], as asyncio puts a bug's
/// exception (a `ZeroDivisionError`) in its place.
pub async fn gather_return_exceptions<F, T, E>(futures: Vec<F>) -> Vec<Result<T, Raised<E>>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let caught = futures.into_iter().map(|fut| async move {
        match AssertUnwindSafe(fut).catch_unwind().await {
            Ok(outcome) => outcome.map_err(Raised::Error),
            Err(payload) => Err(Raised::Panic(panic_message(payload.as_ref()))),
        }
    });
    join_all(caught).await
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
    /// Aborts every task on drop, unless disarmed: dropping a `JoinHandle` alone would not.
    struct AbortOnDrop(Vec<AbortHandle>);
    impl Drop for AbortOnDrop {
        fn drop(&mut self) {
            for task in &self.0 {
                task.abort(); // a no-op on a task that has finished
            }
        }
    }
    let mut owned = AbortOnDrop(tasks.iter().map(JoinHandle::abort_handle).collect());
    let mut slots: Vec<Option<T>> = tasks.iter().map(|_| None).collect();
    let mut running: FuturesUnordered<_> = tasks
        .into_iter()
        .enumerate()
        .map(|(i, task)| async move { (i, task.await) })
        .collect();
    while let Some((i, joined)) = running.next().await {
        match joined {
            Ok(value) => slots[i] = Some(value),
            Err(e) => {
                owned.0.clear(); // the others keep running: disarm the guard
                return Err(e);
            }
        }
    }
    Ok(slots
        .into_iter()
        .map(|slot| slot.expect("every task reported its outcome"))
        .collect())
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

/// A spawned child panicked: panic here too, with its payload (as `await task` re-raises).
fn reraise(e: JoinError) -> ! {
    match e.try_into_panic() {
        Ok(payload) => std::panic::resume_unwind(payload),
        Err(e) => panic!("a child of gather was cancelled from outside: {e}"),
    }
}
