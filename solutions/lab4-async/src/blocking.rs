//! Task 4.5 — don't block the event loop.
//! Задание 4.5 — Никогда не блокируйте цикл событий.
//!
//! ## Why this works
//! An event loop runs one task at a time on its thread, and switches only at an `.await`
//! that returns `Pending`. `tokio::time::sleep` registers a timer and returns `Pending`: the
//! thread is free for the other tasks until the timer fires. `std::thread::sleep` (like
//! Python's `time.sleep`) puts the *thread* to sleep: no other task on that thread can run,
//! the ticker misses its ticks, every connection stalls.
//!
//! Code that must block (a synchronous library, a heavy computation) goes to
//! `spawn_blocking`: tokio runs the closure on a separate pool of threads made for blocking,
//! and the task awaits its `JoinHandle`, which *is* a proper `Pending`-returning await. That
//! is `asyncio.to_thread(f)`. Two caveats: a blocking closure cannot be cancelled (aborting
//! the handle does not stop it), and the pool is large (512 threads by default) but not
//! free: it is for blocking calls, not for thousands of long-lived loops.

use std::time::Duration;

/// Task 4.5a: waits `d` without blocking the event loop's thread.
///
/// Python: `await asyncio.sleep(d)`, never `time.sleep(d)`.
pub async fn nap(d: Duration) {
    tokio::time::sleep(d).await;
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
    match tokio::task::spawn_blocking(f).await {
        Ok(value) => value,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}
