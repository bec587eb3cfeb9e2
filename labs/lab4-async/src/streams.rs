//! Task 4.8 — streams (`async for`) and async cleanup (`async with`).
//!
//! Write `ticks`, `consume` and `with_session`.
//!
//! Read `docs/src/lab4-async.md#task-4-8`; check: `cargo course check 4.8`.
//!
//! Задание 4.8 — Асинхронные потоки данных (stream) и асинхронная очистка.
//!
//! Читайте `docs/src/lab4-async.md#task-4-8`
//! (в русской книге: `ru/lab4-async.html#task-4-8`); проверка: `cargo course check 4.8`.

use crate::support::Session;
use futures::Stream;
use kit::timeline::Timeline;
use std::time::Duration;

/// Task 4.8a: an async generator of `0, 1, …, count - 1`, waiting `every` *before* each
/// item: item `i` is ready `(i + 1) × every` after the first poll.
pub fn ticks(count: u32, every: Duration) -> impl Stream<Item = u32> {
    let _ = (count, every);
    todo!("task 4.8");
    #[allow(unreachable_code)]
    futures::stream::empty()
}

/// Task 4.8b: `async for x in stream`: reads every item, in order, until the stream ends.
pub async fn consume<S: Stream>(stream: S) -> Vec<S::Item> {
    let _ = stream;
    todo!("task 4.8")
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
    todo!("task 4.8")
}
