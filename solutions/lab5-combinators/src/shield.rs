//! Task 5.6 — `asyncio.shield`: protect work from cancellation.
//! Задание 5.6 — shield: защита работы от отмены.
//!
//! ## Why this works
//! A future is inert and owned: whoever drops it cancels it. A *task* is owned by the
//! runtime: `tokio::spawn` hands the future to the scheduler, which polls it to the end
//! whatever happens to the `JoinHandle` (dropping a handle detaches the task, it does not
//! abort it). So `shield` spawns the work **at once** (asyncio's `shield` also schedules
//! the inner task when it is called, awaited or not) and returns a small future that awaits
//! the handle. Cancelling that outer future (a `timeout`, a `select!`, a drop) drops only the
//! handle; the work goes on. Keeping the outer future (`timeout(d, &mut shielded)`) lets the
//! caller collect the result later.

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
    let handle = tokio::spawn(fut);
    Box::pin(async move {
        handle.await.unwrap_or_else(|e| match e.try_into_panic() {
            Ok(payload) => std::panic::resume_unwind(payload),
            Err(e) => panic!("the shielded task was cancelled from outside: {e}"),
        })
    })
}
