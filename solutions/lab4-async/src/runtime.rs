//! Task 4.1 — build a runtime by hand and run a future on it.
//! Задание 4.1 — Построить рантайм вручную.
//!
//! ## Why this works
//! A future is a value that does nothing until something polls it. The runtime is that
//! something: `block_on` polls the future, and whenever it returns `Pending` the runtime
//! parks the thread in its *drivers* (epoll for sockets, a timer wheel for sleeps) until one
//! of them wakes a task up. Python's `asyncio.run(main())` does the same: it builds an event
//! loop, runs `main()` until it completes, and closes the loop.
//!
//! `enable_all()` switches on both drivers. Without it the runtime builds fine, and the
//! first `sleep` or socket panics: "timers are disabled" / "IO is disabled".
//!
//! The builder is the honest version of `#[tokio::main]`: that attribute writes exactly
//! this code around your `main` (with the multi-threaded flavour), and `#[tokio::test]`
//! writes the current-thread one.

use std::future::Future;

/// Task 4.1a: runs `fut` to completion on a new **single-threaded** runtime, with timers
/// and IO enabled, and returns its output.
///
/// This is Python's event loop: `asyncio.run(main())`, or
/// `loop = asyncio.new_event_loop(); loop.run_until_complete(main())`. Every task spawned
/// inside runs on the calling thread, one poll at a time.
pub fn run_on_current_thread<F: Future>(fut: F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("cannot build a tokio runtime (out of file descriptors?)");
    runtime.block_on(fut)
}

/// Task 4.1b: runs `fut` to completion on a new **multi-threaded** runtime with `workers`
/// worker threads (`workers >= 1`), with timers and IO enabled, and returns its output.
///
/// What changes compared with [`run_on_current_thread`]:
/// - `fut` itself still runs on the calling thread (inside `block_on`), but every task it
///   spawns runs on one of the `workers` threads, and idle workers *steal* tasks from busy
///   ones: two tasks can now run at the same instant, on two cores.
/// - So spawned futures must be `Send + 'static` (they may move between threads), and
///   shared state needs `Arc` and `Mutex` or atomics, as with threads in Lab 2.
/// - A task that blocks its thread now freezes only that worker, not the whole runtime: the
///   bug of task 4.5 hides (until every worker is blocked). Python has no counterpart:
///   one asyncio loop is one thread.
pub fn run_on_multi_thread<F: Future>(workers: usize, fut: F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("cannot build a tokio runtime (out of threads or file descriptors?)");
    runtime.block_on(fut)
}
