//! Task 4.3 — the same coroutines awaited one after another, then run concurrently.
//! Задание 4.3 — Последовательные await и конкурентные задачи.
//!
//! ## Why this works
//! Futures are lazy: building the vector of futures started nothing. In
//! [`sequentially`], each `.await` drives one future to its end before the loop even looks
//! at the next one, so the delays add up (1 s + 2 s + 3 s = 6 s).
//!
//! [`concurrently`] first hands *every* future to the runtime with `tokio::spawn` (which
//! returns immediately), and only then awaits the handles. All the timers run from t = 0, so
//! the total is the longest delay (3 s). Awaiting the handles in input order gives the
//! results in input order, like `asyncio.gather`, whatever order the tasks finish in.

use std::future::Future;

/// Task 4.3a: awaits the futures one after another; their outputs in input order.
///
/// Python: `[await c for c in coros]`. The total time is the *sum* of the delays.
pub async fn sequentially<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut outputs = Vec::with_capacity(futures.len());
    for future in futures {
        outputs.push(future.await);
    }
    outputs
}

/// Task 4.3b: runs all the futures at the same time; their outputs in input order (not in
/// the order they finish). If a future panics, `concurrently` panics with its payload
/// (`asyncio.gather` raises a job's exception): never a skipped result, never a hang.
///
/// Python: `await asyncio.gather(*coros)`. The total time is the *largest* delay.
pub async fn concurrently<F>(futures: Vec<F>) -> Vec<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    // Spawn them all first: a spawned task starts running without being awaited.
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut outputs = Vec::with_capacity(handles.len());
    for handle in handles {
        match handle.await {
            Ok(output) => outputs.push(output),
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    outputs
}
