//! Task 4.1 — build a runtime by hand.
//!
//! Write `run_on_current_thread` and `run_on_multi_thread`, and answer in the latter's doc.
//!
//! Read `docs/src/lab4-async.md#task-4-1`; check: `cargo course check 4.1`.
//!
//! Задание 4.1 — Построить рантайм вручную.
//!
//! Читайте `docs/src/lab4-async.md#task-4-1`
//! (в русской книге: `ru/lab4-async.html#task-4-1`); проверка: `cargo course check 4.1`.

use std::future::Future;

/// Task 4.1a: runs `fut` to completion on a new **single-threaded** runtime, with timers
/// and IO enabled, and returns its output.
///
/// This is Python's event loop: `asyncio.run(main())`, or
/// `loop = asyncio.new_event_loop(); loop.run_until_complete(main())`.
pub fn run_on_current_thread<F: Future>(fut: F) -> F::Output {
    drop(fut);
    todo!("task 4.1")
}

/// Task 4.1b: runs `fut` to completion on a new **multi-threaded** runtime with `workers`
/// worker threads (`workers >= 1`), with timers and IO enabled, and returns its output.
///
/// What changes compared with [`run_on_current_thread`]: (write it here)
pub fn run_on_multi_thread<F: Future>(workers: usize, fut: F) -> F::Output {
    let _ = (workers, fut);
    todo!("task 4.1")
}
