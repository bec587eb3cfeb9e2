//! Task 5.3 — `asyncio.wait_for`: a timeout that cancels.
//!
//! ## TODO
//! - `wait_for(fut, timeout)`: `Ok(output)` if `fut` finishes within `timeout`; otherwise
//!   `Err(TimeoutError)` at the timeout, and by then `fut` has been **cancelled**: its work
//!   stops at the timeout, it does not go on in the background.
//! - `wait_for_task(handle, timeout)`: the same for a task that is already spawned: on
//!   timeout the **task** must be cancelled (asyncio cancels the task it waited for).
//!
//! Two corners, as asyncio has them:
//! - a **zero** timeout: `wait_for` returns `Err(TimeoutError)` at once without polling the
//!   work at all (asyncio never starts the coroutine); `wait_for_task` returns the output
//!   of a task that has already finished, and cancels one that has not;
//! - a **tie**: work that finishes at the very instant of the deadline has timed out (for a
//!   spawned task the scheduler may already have run it to its end at that instant: then,
//!   as after `abort`, its result wins).
//!
//! A panic inside the work is re-raised (`std::panic::resume_unwind`), never turned into a
//! timeout. asyncio's `timeout=None` is `Duration::MAX` here: no deadline.
//!
//! ## Hint
//! `tokio::time::timeout(d, fut)` returns `Err(Elapsed)` when time is up, and drops `fut`
//! when it is itself dropped. For a task, think about what dropping a `JoinHandle` does to
//! the task (read its documentation), then about `timeout(d, &mut handle)` and
//! `JoinHandle::abort`.
//!
//! ## Caveat
//! `tokio::time::timeout` polls the work *before* its timer: with `Duration::ZERO` it
//! returns work that is ready at once, and at a tie the work wins. asyncio does the
//! opposite in both cases. Check for zero first, and race the deadline first yourself:
//! `tokio::select! { biased; () = tokio::time::sleep_until(deadline) => ..., out = fut => ... }`
//! (`Instant::now().checked_add(timeout)` is `None` for `Duration::MAX`: then there is no
//! deadline). The chapter's parity appendix shows asyncio's logs of both corners.
//!
//! `abort` only *asks* tokio to cancel the task; the task is dropped the next time the
//! scheduler gets to it. asyncio 3.11's `wait_for` waits for the cancellation to be done
//! before it raises `TimeoutError`; awaiting the handle once more after `abort` does the same
//! here (it answers `Err(JoinError::Cancelled)` once the task is gone).

use std::fmt;
use std::future::Future;
use std::time::Duration;
use tokio::task::JoinHandle;

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
    let _ = (fut, timeout);
    todo!("task 5.3: race fut against a timer; on timeout fut must be cancelled")
}

/// Task 5.3: the task's output if it finishes within `timeout`; otherwise `Err(TimeoutError)`,
/// the task having been cancelled (aborted) at the timeout. A task that panicked re-raises
/// its panic here.
pub async fn wait_for_task<T>(handle: JoinHandle<T>, timeout: Duration) -> Result<T, TimeoutError>
where
    T: Send + 'static,
{
    let _ = (handle, timeout);
    todo!("task 5.3: on timeout, the task itself must be cancelled, not just forgotten")
}
