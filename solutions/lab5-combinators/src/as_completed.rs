//! Task 5.5 — `asyncio.as_completed`: results in completion order, as a stream.
//! Задание 5.5 — as_completed: результаты в порядке завершения.
//!
//! ## Why this works
//! Every future is spawned into a [`JoinSet`] **when `as_completed` is called**, as asyncio
//! wraps each awaitable in a task at once. From then on they run on their own, whatever the
//! consumer does between two items. `join_next` answers with whichever task finishes next,
//! so the stream yields in completion order; `stream::unfold` turns "call `join_next` until
//! it says `None`" into a `Stream` that owns the set.
//!
//! `FuturesUnordered` also yields in completion order, but its futures live inside the
//! stream and only run while the stream is polled: while the consumer is busy with one
//! result, the others are frozen. That is not asyncio's behaviour (the check with a slow
//! consumer tells the two apart).
//!
//! One difference remains, on purpose: dropping the stream drops the `JoinSet`, which aborts
//! the tasks not yet yielded. Leaving an `as_completed` loop early in asyncio leaves its tasks
//! running, unobserved; Rust's "a dropped owner cancels" is the safer default.

use futures::stream::{self, BoxStream, StreamExt};
use std::future::Future;
use tokio::task::JoinSet;

/// Task 5.5: starts every future now, each as its own task, and yields their outputs in the
/// order they finish. A task that panicked re-raises its panic when its turn comes.
pub fn as_completed<F>(futures: Vec<F>) -> BoxStream<'static, F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let mut set = JoinSet::new();
    for fut in futures {
        set.spawn(fut);
    }
    stream::unfold(set, |mut set| async move {
        let joined = set.join_next().await?;
        match joined {
            Ok(output) => Some((output, set)),
            Err(e) => {
                // A task panicked: re-raise its panic, as `await next` raises in asyncio. The
                // other tasks keep running, as asyncio's do: let them go first, or the
                // unwinding would drop the set and abort them. The stream ends here.
                set.detach_all();
                match e.try_into_panic() {
                    Ok(payload) => std::panic::resume_unwind(payload),
                    Err(e) => panic!("a task of as_completed was cancelled from outside: {e}"),
                }
            }
        }
    })
    .boxed()
}
