//! Task 5.6 — `asyncio.shield`: protect work from cancellation.
//!
//! ## TODO
//! `shield(fut)`: start `fut` **now** and return a future of its output such that cancelling
//! (dropping) the returned future does **not** cancel `fut`: the work runs to its end anyway.
//! The caller can keep the returned future and await it later to collect the result
//! (`timeout(d, &mut shielded)` gives up waiting without dropping it). Like asyncio's
//! `shield`, the work starts even if the returned future is never awaited.
//!
//! ## Hint
//! Who owns a future decides its fate: dropping it cancels it. Who owns a *spawned task*?
//! What happens to a task when its `JoinHandle` is dropped? Then wrap the handle in an
//! `async move` block and `Box::pin` it.
//!
//! ## Caveat
//! `Box::pin(fut)` or `async move { fut.await }` returns a future that *is* the work:
//! dropping it cancels the work, and while nobody polls it the work does not progress.
//! Spawning inside the `async` block is not enough either: nothing would start until the
//! first poll. A panic in `fut` should come back as a panic of the returned future, with its
//! own payload (`std::panic::resume_unwind`), not a new panic of yours.
//!
//! One asyncio idiom does not carry over: when the *task* that awaits the shield is
//! cancelled, asyncio's caller still holds the inner task and can await it again. Here the
//! work runs on as well, but its result has one owner, the returned future: moved into the
//! cancelled task, it is gone with it. Keep it where it will be collected and lend it out
//! (`&mut shielded`). The chapter's parity appendix shows both logs (`shield_waiter_cancelled`).

use futures::future::BoxFuture;
use std::future::Future;

/// What [`shield`] returns: a future of the inner work's output. Dropping it does not cancel
/// the work; awaiting it (now or later) gives the output.
pub type Shielded<T> = BoxFuture<'static, T>;

/// Task 5.6: starts `fut` now so that it runs to its end even if the returned future is
/// cancelled (dropped); awaiting the returned future gives `fut`'s output. A panic in `fut`
/// is re-raised by the returned future.
pub fn shield<F>(fut: F) -> Shielded<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    drop(fut);
    todo!("task 5.6: give the work an owner that outlives the returned future")
}
