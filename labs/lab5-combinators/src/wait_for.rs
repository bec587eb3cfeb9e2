//! Task 5.3 — `asyncio.wait_for`: a timeout that cancels.
//!
//! Write `wait_for` and `wait_for_task`: the output in time, or a timeout that cancels the work.
//!
//! Read `docs/src/lab5-combinators.md#task-5-3`; check: `cargo course check 5.3`.
//!
//! Задание 5.3 — wait_for: тайм-аут, который отменяет.
//!
//! Читайте `docs/src/lab5-combinators.md#task-5-3`
//! (в русской книге: `ru/lab5-combinators.html#task-5-3`); проверка: `cargo course check 5.3`.

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
/// `fut` having been cancelled at the timeout. As in asyncio, a zero timeout times out
/// without polling `fut` at all, and work that ends at the very instant of the deadline has
/// timed out. `Duration::MAX` is no deadline. A panic in `fut` is re-raised, never a timeout.
pub async fn wait_for<F: Future>(fut: F, timeout: Duration) -> Result<F::Output, TimeoutError> {
    let _ = (fut, timeout);
    todo!("task 5.3: race fut against a timer; on timeout fut must be cancelled")
}

/// Task 5.3: the task's output if it finishes within `timeout`; otherwise `Err(TimeoutError)`,
/// the task having been cancelled (aborted) at the timeout. A zero timeout returns the
/// output of a task already finished and cancels one that is not. A task that panicked
/// re-raises its panic here.
pub async fn wait_for_task<T>(handle: JoinHandle<T>, timeout: Duration) -> Result<T, TimeoutError>
where
    T: Send + 'static,
{
    let _ = (handle, timeout);
    todo!("task 5.3: on timeout, the task itself must be cancelled, not just forgotten")
}
