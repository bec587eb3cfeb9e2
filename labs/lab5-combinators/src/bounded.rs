//! Task 5.7 — bounded gather: at most `limit` futures in flight.
//!
//! ## TODO
//! `gather_bounded(futures, limit)`: like `gather` (outputs in input order, dropping it
//! cancels everything), but at most `limit` futures are running at any moment. A future that
//! has not started yet must not have been polled at all. As soon as one finishes, the next
//! one **in input order** starts, at that same instant: with a limit of 2 and futures of 3 s,
//! 1 s, 1 s, the third starts at 1 s, not at 3 s.
//!
//! ## Hint
//! `tokio::sync::Semaphore::new(limit)`: wrap each future in an `async move` block that first
//! acquires a permit, keeps it in a named variable while it awaits the future, and lets it go
//! at the end. tokio's semaphore is fair: permits go to the waiters in the order they asked.
//! Asyncio's idiom is the same: `async with sem: return await aw`.
//!
//! ## Caveat
//! `let _ = sem.acquire().await;` drops the permit at once (`_` is not a variable): nothing
//! is bounded. `stream::iter(futures).buffered(limit)` keeps a finished future's slot until
//! every earlier one has finished: one slow future at the head stops the others from starting.

use std::future::Future;

/// Task 5.7: like `gather` (outputs in input order), but at most `limit` of the futures run
/// at any moment; as soon as one finishes, the next one in input order starts.
///
/// # Panics
/// If `limit` is 0 (nothing could ever run).
pub async fn gather_bounded<F>(futures: Vec<F>, limit: usize) -> Vec<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let _ = (futures, limit);
    todo!("task 5.7: a Semaphore with `limit` permits, one held by each running future")
}
