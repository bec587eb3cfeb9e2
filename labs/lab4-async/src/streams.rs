//! Task 4.8 — an async stream (`async for`) and an async cleanup (`async with`).
//!
//! ## TODO
//! - `ticks(count, every)`: the async generator below, as a `Stream`: items
//!   `0, 1, …, count - 1`, waiting `every` *before* each one.
//!   ```python
//!   async def ticks(count, every):
//!       for i in range(count):
//!           await asyncio.sleep(every)
//!           yield i
//!   ```
//! - `consume(stream)`: `async for x in stream`: read every item in order until the end.
//! - `with_session(tl, name, body)`: `async with Session(name) as s: return await body(s)`:
//!   open a `Session` (provided in `src/support.rs`), run `body` with it, await its
//!   `close()`, return the body's value.
//!
//! ## Hint
//! `futures::stream::unfold(0, move |i| async move { ... })`: return `None` when
//! `i == count`, else sleep and return `Some((i, i + 1))` (the item and the next state).
//! To read a stream: `let mut s = std::pin::pin!(stream);` then
//! `while let Some(x) = s.next().await` (`next` comes from `futures::StreamExt`: import it).
//! `body(&mut session).await` calls the async closure.
//!
//! ## Caveat
//! Rust has no async `Drop`: a session that goes out of scope is not closed, its cleanup
//! never runs (the timeline says "dropped without close"). Await `close()` yourself.
//! Rust's async generators (`gen` blocks) are not stable yet: streams are built from
//! `unfold`, from a channel, or by implementing `Stream`.

use crate::support::Session;
use futures::Stream;
use kit::timeline::Timeline;
use std::time::Duration;

/// Task 4.8a: an async generator of `0, 1, …, count - 1`, waiting `every` *before* each
/// item: item `i` is ready `(i + 1) × every` after the first poll.
pub fn ticks(count: u32, every: Duration) -> impl Stream<Item = u32> {
    let _ = (count, every);
    todo!("task 4.8: futures::stream::unfold(0, ...)");
    #[allow(unreachable_code)]
    futures::stream::empty()
}

/// Task 4.8b: `async for x in stream`: reads every item, in order, until the stream ends.
pub async fn consume<S: Stream>(stream: S) -> Vec<S::Item> {
    let _ = stream;
    todo!("task 4.8: pin the stream, then while let Some(x) = s.next().await")
}

/// Task 4.8c: `async with Session(name) as s: return await body(s)`: opens a
/// [`Session`] named `name`, runs `body` with it, awaits [`Session::close`], and returns
/// the body's value.
pub async fn with_session<T>(
    tl: &Timeline,
    name: &str,
    body: impl AsyncFnOnce(&mut Session) -> T,
) -> T {
    let _ = (tl, name, body);
    todo!("task 4.8: Session::open(tl, name).await, body(&mut s).await, s.close().await")
}
