//! Task 4.8 — an async stream (`async for`) and an async cleanup (`async with`).
//! Задание 4.8 — Асинхронные потоки данных (stream) и асинхронная очистка.
//!
//! ## Why this works
//! A `Stream` is the async `Iterator`: `poll_next` returns `Pending` while the next item is
//! not ready. Rust has no stable async generators (`async fn* ` / `yield` in async code), so
//! [`ticks`] builds one from a state and a step: `stream::unfold(i, step)` calls `step(i)`,
//! an async block that sleeps and returns `Some((item, next_state))`, or `None` to end. Like
//! a Python async generator it is lazy: nothing sleeps until someone asks for an item.
//!
//! [`consume`] is `async for`: `StreamExt::next()` needs the stream pinned (it is polled in
//! place across awaits), which `std::pin::pin!` does on the stack.
//!
//! [`with_session`] is `async with`. Python awaits `__aexit__` for you; Rust has no async
//! `Drop` (`drop` cannot `.await`), so the cleanup is awaited explicitly after the body. A
//! session dropped without `close()` records "dropped without close": its goodbye was never
//! sent. (If the body panics, the session is dropped unclosed: a real resource would need
//! a synchronous fallback in `Drop`, or a task spawned to finish the cleanup.)

use crate::support::Session;
use futures::{Stream, StreamExt};
use kit::timeline::Timeline;
use std::time::Duration;

/// Task 4.8a: an async generator of `0, 1, …, count - 1`, waiting `every` *before* each
/// item: item `i` is ready `(i + 1) × every` after the first poll.
///
/// ```python
/// async def ticks(count, every):
///     for i in range(count):
///         await asyncio.sleep(every)
///         yield i
/// ```
pub fn ticks(count: u32, every: Duration) -> impl Stream<Item = u32> {
    futures::stream::unfold(0, move |i| async move {
        if i >= count {
            return None;
        }
        tokio::time::sleep(every).await;
        Some((i, i + 1))
    })
}

/// Task 4.8b: `async for x in stream`: reads every item, in order, until the stream ends.
pub async fn consume<S: Stream>(stream: S) -> Vec<S::Item> {
    let mut stream = std::pin::pin!(stream);
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item);
    }
    items
}

/// Task 4.8c: `async with Session(name) as s: return await body(s)`: opens a
/// [`Session`] named `name`, runs `body` with it, awaits [`Session::close`], and returns
/// the body's value.
pub async fn with_session<T>(
    tl: &Timeline,
    name: &str,
    body: impl AsyncFnOnce(&mut Session) -> T,
) -> T {
    let mut session = Session::open(tl, name).await;
    let value = body(&mut session).await;
    session.close().await;
    value
}
