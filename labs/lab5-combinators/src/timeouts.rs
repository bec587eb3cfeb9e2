//! Task 5.9 — timeouts that do not cancel: `asyncio.wait(..., timeout=)` and
//! `asyncio.as_completed(..., timeout=)`.
//!
//! ## TODO
//! - `wait_timeout(tasks, return_when, timeout)`: task 5.4's `wait` with asyncio's
//!   `timeout`: return `(done, pending)` when `return_when` is satisfied **or** when the
//!   timeout has elapsed, whichever comes first. A timeout is not an error and cancels
//!   nothing: the pending tasks come back still running.
//! - `as_completed_timeout(futures, timeout)`: task 5.5's `as_completed` with asyncio's
//!   `timeout`: start every future now, yield `Ok(output)` in completion order for each
//!   task that finished within the timeout (even if you ask for it after the deadline:
//!   asyncio has it queued already), then one `Err(TimeoutError)` for each task that did
//!   not, then end. Those tasks are **not** cancelled: they run on.
//!
//! `None` is asyncio's `timeout=None`: no deadline. The deadline counts from the call.
//!
//! ## Hint
//! Compute the deadline once (`tokio::time::Instant::now() + timeout`) and wait for each
//! step with `tokio::time::timeout_at(deadline, step)`: the step is what times out, not the
//! whole function, so what you collected so far survives. For the stream, spawn each
//! future so that it also returns the `Instant` it finished at; `JoinSet::detach_all` lets
//! the remaining tasks go.
//!
//! ## Caveat
//! `tokio::time::timeout(d, wait(...))` drops the whole `wait` on timeout: the `done` list
//! is lost with it (and with it the outcomes of the tasks that did finish). Cancelling the
//! tasks that did not finish in time is `wait_for`'s rule, not these two's.

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
    todo!("task 5.9: wait for each round of completions under one deadline")
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
