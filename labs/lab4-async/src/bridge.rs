//! Task 4.6 — call into the loop from another thread, and back out.
//!
//! Write `call_from_thread` and `report_from_async`: cross between threads and the event loop.
//!
//! Read `docs/src/lab4-async.md#task-4-6`; check: `cargo course check 4.6`.
//!
//! Задание 4.6 — Вызов в цикл событий из другого потока.
//!
//! Читайте `docs/src/lab4-async.md#task-4-6`
//! (в русской книге: `ru/lab4-async.html#task-4-6`); проверка: `cargo course check 4.6`.

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
    todo!("task 4.6")
}

/// Task 4.6b: from async code, gets the result of the synchronous
/// [`legacy_report`](crate::support::legacy_report) (which blocks on
/// [`call_from_thread`]) without blocking the event loop.
///
/// Python: `await asyncio.to_thread(legacy_report, loop)`.
pub async fn report_from_async() -> String {
    let _ = legacy_report;
    todo!("task 4.6")
}
