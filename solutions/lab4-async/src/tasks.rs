//! Task 4.2 — the course's example: two tasks, 4 s and 3 s, take 4 s together.
//! Задание 4.2 — Две задачи: 4 с и 3 с занимают 4 с.
//!
//! ## Why this works
//! `tokio::spawn` hands each future to the runtime as a *task* and returns at once, like
//! `asyncio.create_task`: both sleeps are registered on the timer before `main` waits for
//! anything. Awaiting `hello`'s handle then suspends `main` for 4 s, and during those 4 s
//! the timer wakes `world` at 3 s; by the time `main` awaits `world`'s handle it has long
//! finished, so that await returns immediately. Total: the longest delay, 4 s, not 7 s.
//!
//! The prints come in the order of the *clock*, not of the code: `started` (0 s), `world`
//! (3 s), `hello` (4 s), `finished` (4 s).
//!
//! ```python
//! async def main():
//!     task1 = asyncio.create_task(say_after(4, "hello"))
//!     task2 = asyncio.create_task(say_after(3, "world"))
//!     print("started")
//!     await task1
//!     await task2
//!     print("finished")
//! ```

use crate::support::{say, say_after};
use kit::timeline::Timeline;
use std::time::Duration;

/// Task 4.2: the course's example.
///
/// Spawn `say_after(tl.clone(), 4 s, "hello")` and `say_after(tl.clone(), 3 s, "world")`
/// as two tasks, then `say(&tl, "main", "started")`, await both tasks, and
/// `say(&tl, "main", "finished")`.
pub async fn hello_world(tl: Timeline) {
    let hello = tokio::spawn(say_after(tl.clone(), Duration::from_secs(4), "hello"));
    let world = tokio::spawn(say_after(tl.clone(), Duration::from_secs(3), "world"));
    say(&tl, "main", "started");
    // A JoinHandle resolves to Err only if the task panicked or was aborted: pass a panic on.
    if let Err(e) = hello.await {
        std::panic::resume_unwind(e.into_panic());
    }
    if let Err(e) = world.await {
        std::panic::resume_unwind(e.into_panic());
    }
    say(&tl, "main", "finished");
}
