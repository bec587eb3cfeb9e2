//! Task 4.5 — never block the event loop.
//!
//! Write `nap` and `run_blocking`: wait, and run blocking code, without blocking the loop.
//!
//! Read `docs/src/lab4-async.md#task-4-5`; check: `cargo course check 4.5`.
//!
//! Задание 4.5 — Никогда не блокируйте цикл событий.
//!
//! Читайте `docs/src/lab4-async.md#task-4-5`
//! (в русской книге: `ru/lab4-async.html#task-4-5`); проверка: `cargo course check 4.5`.

use std::time::Duration;

/// Task 4.5a: waits `d` without blocking the event loop's thread.
///
/// Python: `await asyncio.sleep(d)`, never `time.sleep(d)`.
pub async fn nap(d: Duration) {
    let _ = d;
    todo!("task 4.5")
}

/// Task 4.5b: runs the blocking function `f` off the event loop's thread and returns its
/// result; the loop keeps running other tasks meanwhile. A panic in `f` is passed on.
///
/// Python: `await asyncio.to_thread(f)`.
pub async fn run_blocking<T, F>(f: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _ = f;
    todo!("task 4.5")
}
