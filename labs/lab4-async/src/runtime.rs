//! Task 4.1 — build a runtime by hand and run a future on it.
//!
//! ## TODO
//! - `run_on_current_thread(fut)`: build a **single-threaded** tokio runtime with timers and
//!   IO enabled, run `fut` on it to completion, return its output. This is Python's
//!   `asyncio.run(main())`.
//! - `run_on_multi_thread(workers, fut)`: the same on a **multi-threaded** runtime with
//!   `workers` worker threads. Then write, in the doc comment of `run_on_multi_thread`,
//!   what changes compared with the single-threaded one (where do spawned tasks run? what
//!   must a spawned future be? what happens to a task that blocks its thread?).
//!
//! ## Hint
//! `tokio::runtime::Builder::new_current_thread()` / `new_multi_thread()`, then
//! `.worker_threads(n)` (multi-thread only), `.enable_all()`, `.build()`, and
//! `runtime.block_on(fut)`.
//!
//! ## Caveat
//! Without `.enable_all()` the runtime builds fine and the first `sleep` panics with
//! "timers are disabled". Never call these functions from async code: a runtime cannot be
//! started inside a runtime (tokio panics to tell you; await the future instead).

use std::future::Future;

/// Task 4.1a: runs `fut` to completion on a new **single-threaded** runtime, with timers
/// and IO enabled, and returns its output.
///
/// This is Python's event loop: `asyncio.run(main())`, or
/// `loop = asyncio.new_event_loop(); loop.run_until_complete(main())`.
pub fn run_on_current_thread<F: Future>(fut: F) -> F::Output {
    drop(fut);
    todo!("task 4.1: Builder::new_current_thread().enable_all().build(), then block_on(fut)")
}

/// Task 4.1b: runs `fut` to completion on a new **multi-threaded** runtime with `workers`
/// worker threads (`workers >= 1`), with timers and IO enabled, and returns its output.
///
/// What changes compared with [`run_on_current_thread`]: (write it here)
pub fn run_on_multi_thread<F: Future>(workers: usize, fut: F) -> F::Output {
    let _ = (workers, fut);
    todo!("task 4.1: Builder::new_multi_thread().worker_threads(workers).enable_all()...")
}
