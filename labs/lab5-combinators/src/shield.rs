//! Task 5.6 — `asyncio.shield`: protect work from cancellation.
//!
//! Write `shield`: start the work now; dropping the returned future must not cancel it.
//!
//! Read `docs/src/lab5-combinators.md#task-5-6`; check: `cargo course check 5.6`.
//!
//! Задание 5.6 — shield: защита работы от отмены.
//!
//! Читайте `docs/src/lab5-combinators.md#task-5-6`
//! (в русской книге: `ru/lab5-combinators.html#task-5-6`); проверка: `cargo course check 5.6`.

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
    todo!("task 5.6")
}
