//! Task 5.3 — `asyncio.wait_for`: a timeout that cancels.
//! Задание 5.3 — wait_for: тайм-аут, который отменяет.
//!
//! ## Why this works
//! `tokio::time::timeout(d, fut)` owns `fut` and races it against a timer. When the timer
//! wins, the `Timeout` future completes with `Err(Elapsed)` and is dropped by the `.await`,
//! and `fut` is dropped with it: in Rust, dropping a future *is* cancelling it (its drop
//! guards run, at the timeout's instant). That is asyncio's `wait_for` exactly.
//!
//! Two corners make it more than `tokio::time::timeout`, which polls the work before its
//! timer. asyncio's `wait_for(aw, 0)` never starts a coroutine: a zero timeout returns
//! `TimeoutError` without polling the work. And work that ends at the very instant of the
//! deadline has timed out in asyncio (its timer was set first): `select!` with `biased;`
//! polls the deadline first. `Duration::MAX` (asyncio's `timeout=None`) has no instant:
//! then there is no deadline at all.
//!
//! A spawned task is different: its `JoinHandle` is only a ticket to the result, and
//! dropping a ticket does not stop the task (that is what makes `shield` possible, task 5.6).
//! So the handle is borrowed (`&mut handle`), not moved, into the timeout, and on timeout the
//! task is aborted explicitly. `abort` only *requests* cancellation; asyncio 3.11's wait_for
//! waits until the cancellation is done before raising, and so does this one, by awaiting the
//! handle once more (it answers `Err(cancelled)` once the task has been dropped). If the task
//! managed to finish meanwhile (possible on a multi-threaded runtime), its result wins, as in
//! asyncio.

use std::fmt;
use std::future::Future;
use std::time::Duration;
use tokio::task::{JoinError, JoinHandle};
use tokio::time::{Instant, sleep_until};

/// The work did not finish in time (and has been cancelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeoutError;

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TimeoutError")
    }
}

impl std::error::Error for TimeoutError {}

/// Task 5.3: `fut`'s output if it finishes within `timeout`; otherwise `Err(TimeoutError)`,
/// `fut` having been cancelled at the timeout.
pub async fn wait_for<F: Future>(fut: F, timeout: Duration) -> Result<F::Output, TimeoutError> {
    if timeout.is_zero() {
        // asyncio: `wait_for(coro, 0)` cancels the coroutine before its first step.
        drop(fut);
        return Err(TimeoutError);
    }
    let deadline = Instant::now().checked_add(timeout);
    let fut = std::pin::pin!(fut);
    match deadline {
        None => Ok(fut.await), // no instant that far: no deadline (asyncio's timeout=None)
        Some(deadline) => {
            tokio::select! {
                // The deadline first: work that ends at the very instant of the deadline has
                // timed out, as in asyncio (tokio's own `timeout` polls the work first).
                biased;
                () = sleep_until(deadline) => Err(TimeoutError),
                out = fut => Ok(out),
            }
        }
    }
}

/// Task 5.3: the task's output if it finishes within `timeout`; otherwise `Err(TimeoutError)`,
/// the task having been cancelled (aborted) at the timeout. A task that panicked re-raises
/// its panic here.
pub async fn wait_for_task<T>(
    mut handle: JoinHandle<T>,
    timeout: Duration,
) -> Result<T, TimeoutError>
where
    T: Send + 'static,
{
    let joined = if timeout.is_zero() {
        // asyncio: `wait_for(task, 0)` returns a finished task's result, cancels any other.
        if handle.is_finished() {
            Some((&mut handle).await)
        } else {
            None
        }
    } else {
        match Instant::now().checked_add(timeout) {
            None => Some((&mut handle).await),
            Some(deadline) => tokio::select! {
                biased;
                () = sleep_until(deadline) => None,
                joined = &mut handle => Some(joined),
            },
        }
    };
    match joined {
        Some(joined) => Ok(joined.unwrap_or_else(|e| reraise(e))),
        None => {
            handle.abort();
            // Wait until the task is really gone, as asyncio 3.11 does.
            match handle.await {
                Ok(value) => Ok(value),
                Err(e) if e.is_cancelled() => Err(TimeoutError),
                Err(e) => reraise(e),
            }
        }
    }
}

/// The task panicked: panic here too, with its payload.
fn reraise(e: JoinError) -> ! {
    match e.try_into_panic() {
        Ok(payload) => std::panic::resume_unwind(payload),
        Err(_cancelled) => panic!("the task was cancelled by someone else"),
    }
}
