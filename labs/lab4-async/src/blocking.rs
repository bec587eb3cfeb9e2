//! Task 4.5 — don't block the event loop.
//!
//! ## TODO
//! - `nap(d)`: wait `d` *without* blocking the loop's thread: other tasks keep running.
//! - `run_blocking(f)`: run a blocking function (a synchronous library, a long computation)
//!   off the loop's thread and return its result, while the loop keeps running other tasks.
//!   This is Python's `await asyncio.to_thread(f)`.
//!
//! ## Hint
//! `tokio::time::sleep(d).await` is a timer: the task waits, the thread does not.
//! `tokio::task::spawn_blocking(f)` runs `f` on tokio's pool of threads for blocking work
//! and gives a `JoinHandle` to await (`Err` if `f` panicked: pass the panic on with
//! `std::panic::resume_unwind(e.into_panic())`).
//!
//! ## Caveat
//! `std::thread::sleep` inside async code compiles and "works" in a test that runs one task.
//! It puts the whole thread to sleep: on a one-thread runtime every other task freezes (the
//! demo's ticker stops ticking). On a multi-threaded runtime the bug hides until all the
//! workers are blocked. The checks look at a ticker on a one-thread runtime, in real time:
//! tokio's paused clock does not apply to std sleeps.

use std::time::Duration;

/// Task 4.5a: waits `d` without blocking the event loop's thread.
///
/// Python: `await asyncio.sleep(d)`, never `time.sleep(d)`.
pub async fn nap(d: Duration) {
    let _ = d;
    todo!("task 4.5: tokio's sleep, awaited")
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
    todo!("task 4.5: tokio::task::spawn_blocking(f), awaited")
}
