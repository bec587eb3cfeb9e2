//! Task 5.7 — bounded gather: at most `limit` futures in flight.
//! Задание 5.7 — Ограниченный gather: не более N одновременно.
//!
//! ## Why this works
//! A [`Semaphore`] with `limit` permits is a counter of free slots. Each future is wrapped so
//! that it first waits for a permit and holds it (`_permit` lives until the end of the
//! block) while it runs: at most `limit` can hold one at a time. When a future finishes, its
//! permit goes back and tokio's semaphore, which is fair (first come, first served), hands
//! it to the next waiter in input order, at that same instant. `join_all` keeps the outputs
//! in input order, and since the wrapped futures live inside it, dropping the gather cancels
//! them all, waiting or running.
//!
//! Two classic slips: `let _ = sem.acquire().await` drops the permit on the spot (`_` is not
//! a binding), so nothing is bounded; and `stream::iter(futures).buffered(limit)` counts a
//! finished-but-not-yet-yielded future as a slot, so one slow future at the head of the line
//! stops new ones from starting.
//!
//! This is the Python idiom too: `async with sem: return await aw` inside each coroutine.

use futures::future::join_all;
use std::future::Future;
use std::sync::Arc;
use tokio::sync::Semaphore;

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
    assert!(limit > 0, "gather_bounded needs a limit of at least 1");
    let slots = Arc::new(Semaphore::new(limit));
    let guarded = futures.into_iter().map(|fut| {
        let slots = Arc::clone(&slots);
        async move {
            let _permit = slots
                .acquire()
                .await
                .expect("the semaphore is never closed");
            fut.await
        }
    });
    join_all(guarded).await
}
