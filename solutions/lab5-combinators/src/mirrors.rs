//! Task 5.8 — compose them: mirrors, a deadline, a shielded write.
//! Задание 5.8 — Собираем всё вместе: зеркала, дедлайн, защищённая запись.
//!
//! ## Why this works
//! Three combinators, each in the form tokio gives it:
//! - **the race** (`wait(FIRST_COMPLETED)` in a loop): every mirror is spawned into a
//!   [`JoinSet`], and `join_next` answers with whichever finishes next. A failed mirror is
//!   noted and the loop goes on with the others; the first success wins.
//! - **the deadline** (`wait_for`): `timeout(deadline, race)` drops the race when time is up.
//! - **cancelling the losers**: the `JoinSet` is dropped as soon as the race is over, won or
//!   timed out, and dropping a `JoinSet` aborts every task still in it. The caller giving up
//!   on us during the race drops it too. No mirror download outlives its usefulness.
//! - **the write that must not be lost** (`shield`): the save is spawned, and we await its
//!   handle. If our caller gives up on us meanwhile, only the handle is dropped: the task
//!   finishes the write.
//!
//! The reference uses tokio's primitives directly rather than this lab's own `wait`,
//! `wait_for` and `shield`, so that a slip in one of those tasks does not cost this one too.
//! Composing your own is just as right.

use std::fmt;
use std::future::Future;
use std::time::Duration;
use tokio::task::JoinSet;

/// Why [`fetch_and_save`] found nothing to save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MirrorError<E> {
    /// No mirror answered successfully before the deadline (the rest were cancelled).
    Deadline,
    /// Every mirror failed: their errors, in mirror order.
    AllFailed(Vec<E>),
}

impl<E: fmt::Display> fmt::Display for MirrorError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MirrorError::Deadline => f.write_str("TimeoutError"),
            MirrorError::AllFailed(errors) => {
                let errors: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
                write!(f, "AllFailed([{}])", errors.join(", "))
            }
        }
    }
}

/// Task 5.8: asks every mirror at once and takes the first **successful** answer (a mirror
/// that fails is skipped, the others keep trying); gives up with [`MirrorError::Deadline`]
/// if none has answered within `deadline`. Either way, the mirrors still running are
/// cancelled as soon as the race is over. Then saves the answer with `save`, a write that
/// must not be lost: even if the caller cancels `fetch_and_save` during the save, the save
/// runs to its end. Returns the index of the winning mirror and the save's output.
pub async fn fetch_and_save<T, E, R, F, S, W>(
    mirrors: Vec<F>,
    deadline: Duration,
    save: S,
) -> Result<(usize, R), MirrorError<E>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
    S: FnOnce(T) -> W,
    W: Future<Output = R> + Send + 'static,
    R: Send + 'static,
{
    let count = mirrors.len();
    let mut racing = JoinSet::new();
    for (i, mirror) in mirrors.into_iter().enumerate() {
        racing.spawn(async move { (i, mirror.await) });
    }
    let mut errors: Vec<(usize, E)> = Vec::with_capacity(count);
    let race = async {
        while let Some(joined) = racing.join_next().await {
            let (i, outcome) = joined.unwrap_or_else(|e| match e.try_into_panic() {
                Ok(payload) => std::panic::resume_unwind(payload),
                Err(e) => panic!("a mirror was cancelled from outside: {e}"),
            });
            match outcome {
                Ok(answer) => return Some((i, answer)),
                Err(e) => errors.push((i, e)),
            }
        }
        None // every mirror failed
    };
    let raced = tokio::time::timeout(deadline, race).await;
    // The race is over: abort every mirror still running (aborting a finished one is a no-op).
    drop(racing);
    let (winner, answer) = match raced {
        Err(_elapsed) => return Err(MirrorError::Deadline),
        Ok(None) => {
            errors.sort_by_key(|(i, _)| *i);
            return Err(MirrorError::AllFailed(
                errors.into_iter().map(|(_, e)| e).collect(),
            ));
        }
        Ok(Some(won)) => won,
    };
    // The shield: a spawned task survives the drop of its handle.
    let saving = tokio::spawn(save(answer));
    let saved = saving.await.unwrap_or_else(|e| match e.try_into_panic() {
        Ok(payload) => std::panic::resume_unwind(payload),
        Err(e) => panic!("the save was cancelled from outside: {e}"),
    });
    Ok((winner, saved))
}
