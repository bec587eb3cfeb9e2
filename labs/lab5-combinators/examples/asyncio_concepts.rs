//! asyncio's lower-level pieces, and their tokio counterparts, runnable:
//! `cargo run -p lab5 --example asyncio_concepts` (and `cargo test -p lab5 --example
//! asyncio_concepts`, which checks each one). The Lab 4 and Lab 5 chapters include the
//! parts between the `ANCHOR` lines.

use futures::stream::{self, Stream, StreamExt};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::oneshot;

// ANCHOR: future
/// asyncio: `fut = loop.create_future()`, someone calls `fut.set_result(42)`, the awaiting
/// coroutine gets 42. tokio: a one-shot channel. The `Sender` is the right to resolve it,
/// the `Receiver` is the future to await.
async fn create_future_and_set_result() -> u32 {
    let (setter, fut) = oneshot::channel::<u32>();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let _ = setter.send(42); // fut.set_result(42); Err if nobody awaits any more
    });
    // `await fut`. If the Sender is dropped without sending, this is Err(RecvError): the
    // counterpart of a future that is never resolved, except that Rust notices.
    fut.await.expect("the setter sends before it is dropped")
}
// ANCHOR_END: future

// ANCHOR: comprehension
/// An async generator: `async def numbers(): for i in range(10): await sleep(0.01); yield i`.
fn numbers() -> impl Stream<Item = u32> {
    stream::unfold(0, |i| async move {
        if i == 10 {
            return None; // the generator returns: StopAsyncIteration
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        Some((i, i + 1))
    })
}

/// `[i * i async for i in numbers() if i % 2 == 0]`
async fn async_comprehension() -> Vec<u32> {
    numbers()
        .filter_map(|i| async move { (i % 2 == 0).then_some(i * i) })
        .collect()
        .await
}
// ANCHOR_END: comprehension

// ANCHOR: protocol
/// The async-iterator protocol by hand. Python:
/// ```python
/// class Countdown:
///     def __init__(self, n): self.n = n
///     def __aiter__(self): return self
///     async def __anext__(self):
///         if self.n == 0: raise StopAsyncIteration
///         self.n -= 1
///         return self.n + 1
/// ```
/// Rust: `Stream::poll_next` is `__anext__` split at its awaits. `Ready(Some(x))` is a
/// value, `Ready(None)` is `StopAsyncIteration`, `Pending` is "I am awaiting: wake me
/// through `cx` when I can go on". There is no `__aiter__`: a `Stream` is its own iterator.
struct Countdown {
    n: u32,
}

impl Stream for Countdown {
    type Item = u32;

    fn poll_next(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<u32>> {
        if self.n == 0 {
            return Poll::Ready(None);
        }
        self.n -= 1;
        Poll::Ready(Some(self.n + 1))
    }
}

/// `async for x in Countdown(3): ...`
async fn async_for() -> Vec<u32> {
    let mut got = Vec::new();
    let mut countdown = Countdown { n: 3 };
    while let Some(x) = countdown.next().await {
        got.push(x);
    }
    got
}
// ANCHOR_END: protocol

// ANCHOR: never_retrieved
/// asyncio prints "Task exception was never retrieved" when a task that raised is destroyed
/// without anyone having looked at its exception. tokio prints nothing: dropping a
/// JoinHandle detaches the task, and its `Err` is dropped with its output. Two habits
/// replace the warning: keep every handle (a `JoinSet`) and look at every outcome, or
/// handle the error inside the task itself.
async fn every_outcome_observed() -> Vec<String> {
    let mut set = tokio::task::JoinSet::new();
    set.spawn(async { Ok::<u32, String>(1) });
    set.spawn(async { Err::<u32, String>("b failed".to_owned()) });
    let mut errors = Vec::new();
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => errors.push(e), // retrieved: log it, count it, return it
            Err(e) => errors.push(format!("the task panicked or was aborted: {e}")),
        }
    }
    errors
}
// ANCHOR_END: never_retrieved

use kit::runtime::paused;

/// Prints `label -> value`, the value as Python would print it.
fn show(label: &str, value: impl std::fmt::Debug) {
    println!("{label} -> {value:?}");
}

fn main() {
    let rt = paused();
    show(
        "create_future + set_result ",
        rt.block_on(create_future_and_set_result()),
    );
    show(
        "[i * i async for i in numbers() if i % 2 == 0]",
        rt.block_on(async_comprehension()),
    );
    show("async for x in Countdown(3)", rt.block_on(async_for()));
    show(
        "errors retrieved           ",
        rt.block_on(every_outcome_observed()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_oneshot_is_a_future_resolved_by_hand() {
        let rt = paused();
        let t0 = rt.block_on(async { tokio::time::Instant::now() });
        assert_eq!(rt.block_on(create_future_and_set_result()), 42);
        let waited = rt.block_on(async move { t0.elapsed() });
        assert_eq!(
            waited,
            Duration::from_millis(100),
            "the await lasts until set_result"
        );
    }

    #[test]
    fn the_comprehension_filters_and_collects() {
        assert_eq!(paused().block_on(async_comprehension()), [0, 4, 16, 36, 64]);
    }

    #[test]
    fn poll_next_is_anext() {
        assert_eq!(paused().block_on(async_for()), [3, 2, 1]);
    }

    #[test]
    fn every_error_is_retrieved() {
        assert_eq!(paused().block_on(every_outcome_observed()), ["b failed"]);
    }
}
