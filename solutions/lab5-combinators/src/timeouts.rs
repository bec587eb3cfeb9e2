//! Task 5.9 — timeouts that do not cancel: `asyncio.wait(..., timeout=)` and
//! Задание 5.9 — Тайм-ауты без отмены: wait и as_completed с тайм-аутом.
//! `asyncio.as_completed(..., timeout=)`.
//!
//! ## Why this works
//! `wait_for` is a timeout that **cancels**. asyncio's other two timeouts do not: when time
//! is up, `wait` returns `(done, pending)` with the pending tasks still running, and
//! `as_completed` makes each remaining awaitable raise `TimeoutError`, its task left
//! running. Wrapping a whole `wait` in `tokio::time::timeout` would lose the done/pending
//! split (the `Done` list dies with the dropped future), so the deadline goes *inside*:
//!
//! - `wait_timeout` computes one deadline when it is called and waits for each round of
//!   completions with `timeout_at(deadline, ...)`. When it elapses, the loop stops and the
//!   lists built so far are returned. Polling the handles by reference keeps the pending
//!   tasks alive, as in task 5.4.
//! - `as_completed_timeout` spawns every future into a `JoinSet` (task 5.5) with the instant
//!   it finished. A result that came in by the deadline is yielded even if the consumer asks
//!   for it late (asyncio has it queued already); after the deadline, each task not finished
//!   by then gives one `Err(TimeoutError)`, and the set is *detached*, not dropped, so those
//!   tasks run on, as asyncio's do.
//!
//! `None` is asyncio's `timeout=None`: no deadline at all.

use crate::wait::{Done, ReturnWhen, Tasks};
use crate::wait_for::TimeoutError;
use futures::stream::{self, BoxStream, StreamExt};
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;
use tokio::task::JoinSet;
use tokio::time::{Instant, timeout_at};

/// Task 5.9: [`crate::wait::wait`] with asyncio's `timeout`: returns `(done, pending)` when
/// `return_when` is satisfied **or** when `timeout` has elapsed, whichever comes first. On
/// timeout nothing is cancelled: the pending tasks are handed back still running. `None`
/// waits without a deadline.
pub async fn wait_timeout<K, T, E>(
    tasks: Tasks<K, T, E>,
    return_when: ReturnWhen,
    timeout: Option<Duration>,
) -> (Done<K, T, E>, Tasks<K, T, E>) {
    let deadline = timeout.and_then(|d| Instant::now().checked_add(d));
    let mut pending = tasks;
    let mut done: Done<K, T, E> = Vec::new();
    while !pending.is_empty() {
        let round = poll_fn(|cx| {
            let ready: Vec<_> = pending
                .iter_mut()
                .enumerate()
                .filter_map(|(i, (_, handle))| match Pin::new(handle).poll(cx) {
                    Poll::Ready(out) => Some((i, out)),
                    Poll::Pending => None,
                })
                .collect();
            if ready.is_empty() {
                Poll::Pending
            } else {
                Poll::Ready(ready)
            }
        });
        let ready = match deadline {
            Some(deadline) => match timeout_at(deadline, round).await {
                Ok(ready) => ready,
                Err(_elapsed) => break, // time is up: hand back what we have
            },
            None => round.await,
        };
        let mut finished: Done<K, T, E> = Vec::new();
        for (i, out) in ready.into_iter().rev() {
            let (label, _handle) = pending.remove(i);
            finished.push((label, out));
        }
        finished.reverse();
        let failed = finished.iter().any(|(_, outcome)| match outcome {
            Ok(result) => result.is_err(),
            Err(e) => e.is_panic(),
        });
        done.extend(finished);
        match return_when {
            ReturnWhen::FirstCompleted => break,
            ReturnWhen::FirstException if failed => break,
            ReturnWhen::FirstException | ReturnWhen::AllCompleted => {}
        }
    }
    (done, pending)
}

/// What the stream of [`as_completed_timeout`] carries between two items.
struct Race<O> {
    set: JoinSet<(Instant, O)>,
    deadline: Option<Instant>,
    /// After the deadline: how many `Err(TimeoutError)` are still owed.
    owed: usize,
}

/// Task 5.9: [`crate::as_completed::as_completed`] with asyncio's `timeout`: starts every
/// future now, each as its own task, and yields `Ok(output)` in completion order for every
/// task that finished within `timeout`; then one `Err(TimeoutError)` for each task that did
/// not, and ends. Those tasks are **not** cancelled: they run on, unobserved. `None` never
/// times out. A task that panicked re-raises its panic when its turn comes.
pub fn as_completed_timeout<F>(
    futures: Vec<F>,
    timeout: Option<Duration>,
) -> BoxStream<'static, Result<F::Output, TimeoutError>>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let deadline = timeout.and_then(|d| Instant::now().checked_add(d));
    let mut set = JoinSet::new();
    for fut in futures {
        set.spawn(async move {
            let out = fut.await;
            (Instant::now(), out)
        });
    }
    let race = Race {
        set,
        deadline,
        owed: 0,
    };
    stream::unfold(race, |mut race| async move {
        if race.owed > 0 {
            race.owed -= 1;
            return Some((Err(TimeoutError), race));
        }
        let joined = match race.deadline {
            Some(deadline) => timeout_at(deadline, race.set.join_next()).await,
            None => Ok(race.set.join_next().await),
        };
        match joined {
            Ok(None) => None,
            Ok(Some(Ok((at, out)))) if race.deadline.is_none_or(|d| at <= d) => {
                Some((Ok(out), race))
            }
            Ok(Some(Err(e))) => match e.try_into_panic() {
                Ok(payload) => std::panic::resume_unwind(payload),
                Err(e) => panic!("a task of as_completed was cancelled from outside: {e}"),
            },
            // Finished after the deadline (the consumer came late), or still running: from
            // now on every task not yielded counts as timed out, and runs on, detached.
            Ok(Some(Ok(_late))) => {
                race.owed = race.set.len();
                race.set.detach_all();
                Some((Err(TimeoutError), race))
            }
            Err(_elapsed) => {
                race.owed = race.set.len().saturating_sub(1);
                race.set.detach_all();
                Some((Err(TimeoutError), race))
            }
        }
    })
    .boxed()
}
