//! Task 4.6 — call into the event loop from another thread, and back out of it.
//! Задание 4.6 — Вызов в цикл событий из другого потока.
//!
//! ## Why this works
//! A runtime [`Handle`] is a cheap, cloneable ticket to a running runtime, usable from any
//! thread. `handle.spawn(fut)` queues the future as a task *on that runtime*: it runs on the
//! loop's thread(s), with the loop's timers and sockets, like
//! `asyncio.run_coroutine_threadsafe(coro, loop)`. The plain thread then blocks on the
//! task's `JoinHandle` with `handle.block_on`, like `.result()` on the returned
//! `concurrent.futures.Future`. Blocking is fine *there*: that thread runs no tasks.
//!
//! On the loop's own thread, the same blocking call could never finish: the thread would
//! wait for a task that only it can run. tokio refuses instead of hanging: "Cannot start a
//! runtime from within a runtime" (Python: "asyncio.run() cannot be called from a running
//! event loop"). So async code that must call such synchronous code moves it to the
//! blocking pool with `spawn_blocking`, where it is a plain thread again.
//!
//! Building a second runtime in `call_from_thread` would also "work" on a plain thread, but
//! the future would run on the wrong loop: away from the sockets, timers and tasks of the
//! first one, and paying for a whole runtime per call.

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
    let task = handle.spawn(fut);
    match handle.block_on(task) {
        Ok(output) => output,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Task 4.6b: from async code, gets the result of the synchronous
/// [`legacy_report`](crate::support::legacy_report) (which blocks on
/// [`call_from_thread`]) without blocking the event loop.
///
/// Python: `await asyncio.to_thread(legacy_report, loop)`.
pub async fn report_from_async() -> String {
    let handle = Handle::current();
    match tokio::task::spawn_blocking(move || legacy_report(&handle)).await {
        Ok(report) => report,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}
