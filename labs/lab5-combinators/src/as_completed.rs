//! Task 5.5 — `asyncio.as_completed`: results in completion order, as a stream.
//!
//! ## TODO
//! `as_completed(futures)`: start every future **now**, each as its own task (asyncio wraps
//! each awaitable in a task when `as_completed` is called), and return a `Stream` that yields
//! their outputs in the order they finish, then ends. The futures keep running while the
//! consumer is busy elsewhere between two items. A task that **panics** re-raises its panic
//! when its turn comes (as `await next` raises in asyncio), and the other tasks keep running.
//!
//! ## Hint
//! `tokio::task::JoinSet::join_next` answers with whichever task finishes next.
//! `futures::stream::unfold(state, |state| async move { ... Some((item, state)) })` turns
//! "call this until it says `None`" into a `Stream`; `.boxed()` (from `StreamExt`) gives the
//! `BoxStream` this function returns.
//!
//! ## Caveat
//! `futures::stream::FuturesUnordered` also yields in completion order, but its futures live
//! inside the stream and only make progress while the stream is polled: while the consumer
//! works on one result, the others are frozen (their timers fire, nobody looks). asyncio's
//! tasks do not wait for the consumer, and neither may yours: a check has a slow consumer.
//! Re-raising a panic while the stream owns the `JoinSet` unwinds through it and aborts the
//! other tasks: `detach_all` first. Two differences with asyncio stay, on purpose: after a
//! panic the stream is spent (asyncio's loop could go on), and dropping the stream early
//! aborts the tasks not yet yielded (asyncio leaves them running, unobserved).

use futures::stream::BoxStream;
use std::future::Future;

/// Task 5.5: starts every future now, each as its own task, and yields their outputs in the
/// order they finish. A task that panicked re-raises its panic when its turn comes.
pub fn as_completed<F>(futures: Vec<F>) -> BoxStream<'static, F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let _ = futures;
    todo!("task 5.5: spawn them all now, yield each output as its task finishes")
}
