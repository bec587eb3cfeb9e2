//! Task 5.8 — compose them: mirrors, a deadline, a shielded write.
//!
//! ## TODO
//! `fetch_and_save(mirrors, deadline, save)`: the same file is on several mirrors.
//! 1. Ask every mirror at once; take the first **successful** answer. A mirror that fails is
//!    skipped and the others keep trying; if every mirror fails, return
//!    `MirrorError::AllFailed` with their errors in mirror order.
//! 2. If no mirror has answered successfully within `deadline`, give up with
//!    `MirrorError::Deadline`.
//! 3. As soon as the race is over (won, lost or timed out), cancel the mirrors still running:
//!    their downloads are no use any more. If your caller gives up on you during the race,
//!    the mirrors are cancelled too.
//! 4. Save the answer with `save(answer)`: a write that **must not be lost**. Even if your
//!    caller cancels `fetch_and_save` while the save is running, the save runs to its end.
//!    The deadline is for the mirrors only, not for the save.
//!
//! Return the index of the winning mirror and what the save returned.
//!
//! ## Hint
//! In asyncio: tasks for the mirrors, `wait(FIRST_COMPLETED)` in a loop under `wait_for`,
//! `cancel()` the pending ones, then `await shield(save(answer))`. You may compose your own
//! `wait`, `wait_for` and `shield`, or the tokio primitives under them: a `JoinSet` for the
//! race (dropping it aborts what is left), `tokio::time::timeout` for the deadline,
//! `tokio::spawn` for the save.
//!
//! ## Caveat
//! `tokio::select!` over the mirrors would take the first to *finish*, a failure included,
//! and it picks at random among branches ready at once unless you write `biased;`. Spawned
//! mirrors that you forget keep downloading after the race: cancel them.

use std::fmt;
use std::future::Future;
use std::time::Duration;

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
    let _ = (mirrors, deadline, save);
    todo!("task 5.8: race the mirrors under a deadline, cancel the losers, shield the save")
}
