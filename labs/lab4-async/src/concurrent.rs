//! Task 4.3 — the same coroutines awaited one after another, then run concurrently.
//!
//! ## TODO
//! - `sequentially(futures)`: await the futures one after another; return their outputs in
//!   input order. With jobs of 1 s, 2 s and 3 s it takes 6 s: the sum.
//! - `concurrently(futures)`: run them all at the same time; return their outputs in input
//!   order (like `asyncio.gather`), not in the order they finish. It takes 3 s: the largest.
//!
//! ## Hint
//! A `for` loop with `.await` inside is sequential. For the concurrent version, first
//! `tokio::spawn` every future (each becomes a task and starts at once), *then* await the
//! handles in order.
//!
//! ## Caveat
//! Futures are lazy: creating them (the `Vec` you are given) started nothing. Spawning
//! inside the loop and awaiting right away is still sequential: spawn them all first.

use std::future::Future;

/// Task 4.3a: awaits the futures one after another; their outputs in input order.
///
/// Python: `[await c for c in coros]`. The total time is the *sum* of the delays.
pub async fn sequentially<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let _ = futures;
    todo!("task 4.3: for each future, push(future.await)")
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
    let _ = futures;
    todo!("task 4.3: spawn them all, then await each JoinHandle in order")
}
