//! Task 3.6 — the first result wins: no zombies, no leaked descriptors.
//!
//! Write `first_to_finish`: the first job's output, then kill and reap every other child.
//!
//! Read `docs/src/lab3-processes.md#task-3-6`; check: `cargo course check 3.6`.
//!
//! Задание 3.6 — Побеждает первый результат: без зомби, без утёкших дескрипторов.
//!
//! Читайте `docs/src/lab3-processes.md#task-3-6`
//! (в русской книге: `ru/lab3-processes.html#task-3-6`); проверка: `cargo course check 3.6`.

use crate::sys;
use nix::errno::Errno;

/// A job to run in a child process: it returns the bytes to send back.
pub type Job = Box<dyn FnOnce() -> Vec<u8>>;

/// The outcome of a race.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Race {
    /// The index (in `jobs`) of the job whose output was ready first.
    pub winner: usize,
    /// Everything the winner sent.
    pub output: Vec<u8>,
}

/// Task 3.6: runs every job in its own child process at the same time, returns the output of
/// the first one to be ready, and cleans up: every other child killed, **every** child
/// reaped, every pipe end closed. When it returns, this process has exactly the children and
/// descriptors it had before.
///
/// A job's child writes the job's whole output to its pipe, then exits; "ready first" means
/// its pipe is the first to have data or reach end of file. `Err(Errno::EINVAL)` for no job.
/// Call it from a single-threaded process only.
pub fn first_to_finish(jobs: Vec<Job>) -> nix::Result<Race> {
    if jobs.is_empty() {
        return Err(Errno::EINVAL);
    }
    sys::assert_single_threaded();
    todo!("task 3.6")
}
