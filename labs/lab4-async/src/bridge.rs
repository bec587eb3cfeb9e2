//! Task 4.6 — call into the event loop from another thread, and back out of it.
//!
//! ## TODO
//! - `call_from_thread(handle, fut)`: called from a plain thread (not one of the runtime's),
//!   run `fut` as a task *on the runtime of `handle`*, block this thread until it is done,
//!   and return its output. Python: `asyncio.run_coroutine_threadsafe(coro, loop).result()`.
//! - `report_from_async()`: from async code, get the result of the provided synchronous
//!   function `legacy_report(&handle)` (in `src/support.rs`; it blocks on your
//!   `call_from_thread`) without blocking the event loop. Python:
//!   `await asyncio.to_thread(legacy_report, loop)`.
//!
//! ## Hint
//! `handle.spawn(fut)` queues the future on that runtime and returns a `JoinHandle`;
//! `handle.block_on(join_handle)` waits for it on the calling thread. For the second part:
//! `Handle::current()`, then `tokio::task::spawn_blocking(move || legacy_report(&handle))`.
//!
//! ## Caveat
//! `handle.block_on(fut)` alone would run `fut` on the *calling* thread, not on the loop;
//! building a new runtime here would run it on another loop altogether. And calling
//! `legacy_report` straight from async code blocks the loop's thread waiting for a task
//! that only that thread can run: tokio panics with "Cannot start a runtime from within a
//! runtime" rather than hang forever.

use crate::support::legacy_report;
use std::future::Future;
use tokio::runtime::Handle;

/// Task 4.6a: from a plain (non-runtime) thread, runs `fut` as a task on the runtime of
/// `handle`, blocks the calling thread until it is done, and returns its output. A panic in
/// `fut` is passed on.
///
/// Python: `asyncio.run_coroutine_threadsafe(coro, loop).result()`.
pub fn call_from_thread<F>(handle: &Handle, fut: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let _ = (handle, fut);
    todo!("task 4.6: handle.spawn(fut), then handle.block_on(the JoinHandle)")
}

/// Task 4.6b: from async code, gets the result of the synchronous
/// [`legacy_report`](crate::support::legacy_report) (which blocks on
/// [`call_from_thread`]) without blocking the event loop.
///
/// Python: `await asyncio.to_thread(legacy_report, loop)`.
pub async fn report_from_async() -> String {
    let _ = legacy_report;
    todo!("task 4.6: Handle::current(), then spawn_blocking(move || legacy_report(&handle))")
}
