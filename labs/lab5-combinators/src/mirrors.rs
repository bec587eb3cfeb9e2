//! Task 5.8 — compose them: mirrors, a deadline, a shielded write.
//!
//! Write `fetch_and_save`: race the mirrors under a deadline, then save what must not be lost.
//!
//! Read `docs/src/lab5-combinators.md#task-5-8`; check: `cargo course check 5.8`.
//!
//! Задание 5.8 — Собираем всё вместе: зеркала, дедлайн, защищённая запись.
//!
//! Читайте `docs/src/lab5-combinators.md#task-5-8`
//! (в русской книге: `ru/lab5-combinators.html#task-5-8`); проверка: `cargo course check 5.8`.

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
