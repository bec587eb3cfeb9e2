//! Task 3.6 — the first result wins: kill the rest, and leave no zombie and no descriptor.
//!
//! ## TODO
//! `first_to_finish(jobs)`: start every job in its own child, with its own pipe, all at
//! once (the child writes the job's bytes, then exits). Wait with `poll` until some read
//! end is ready (data or end of file): that job is the winner; read its pipe to end of
//! file. Then clean up: `SIGKILL` every other child, reap **every** child (the winner too),
//! close every read end. Return the winner's index and output.
//!
//! ## Hint
//! `nix::poll::poll(&mut fds, PollTimeout::NONE)` with one
//! `PollFd::new(reader.as_fd(), PollFlags::POLLIN)` per child; afterwards `fd.any()` is
//! `Some(true)` for a ready one (`POLLHUP`, end of file, counts). Kill with
//! `nix::sys::signal::kill(pid, Signal::SIGKILL)`, reap with `wait_child` from task 3.1.
//!
//! ## Caveat
//! Kill first, reap second: until it is reaped, a child's pid cannot be reused, so the
//! signal cannot hit a stranger. A killed child that is never reaped stays a zombie (`Z` in
//! `/proc`); a read end never closed stays in the descriptor table. The checks compare this
//! process's children and descriptors before and after your call: they must be the same.

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
    todo!("task 3.6: fork every job, poll the read ends, kill the losers, reap everyone")
}
