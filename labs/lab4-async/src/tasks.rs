//! Task 4.2 — the course's example: two tasks, 4 s and 3 s, take 4 s together.
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
//!
//! ## TODO
//! `hello_world(tl)`: the program above. Spawn `say_after(tl.clone(), 4 s, "hello")` and
//! `say_after(tl.clone(), 3 s, "world")` as two tasks, then `say(&tl, "main", "started")`,
//! await both tasks, then `say(&tl, "main", "finished")`. (`say` is the lab's `print`: the
//! demo prints what was said, with its time; `say_after` is provided in `src/support.rs`.)
//!
//! It must end after 4 s, not 7 s, and say `started` (0 s), `world` (3 s), `hello` (4 s),
//! `finished` (4 s).
//!
//! ## Hint
//! `tokio::spawn(future)` is `asyncio.create_task`: it starts the task and returns a
//! `JoinHandle` at once; `handle.await` waits for it (`Err` if the task panicked).
//!
//! ## Caveat
//! Spawn *both* before awaiting either. Awaiting the first handle before spawning the
//! second runs them one after another (7 s). Awaiting `say_after(..)` directly, without
//! spawning, does not run it concurrently either: a future does nothing until awaited.

use crate::support::{say, say_after};
use kit::timeline::Timeline;
use std::time::Duration;

/// Task 4.2: the course's example.
///
/// Spawn `say_after(tl.clone(), 4 s, "hello")` and `say_after(tl.clone(), 3 s, "world")`
/// as two tasks, then `say(&tl, "main", "started")`, await both tasks, and
/// `say(&tl, "main", "finished")`.
pub async fn hello_world(tl: Timeline) {
    let _ = (say, say_after, Duration::from_secs(4), tl);
    todo!("task 4.2: tokio::spawn two say_after tasks, say started, await both, say finished")
}
