//! Task 3.6 — the first result wins: kill the rest, and leave no zombie and no descriptor.
//! Задание 3.6 — Побеждает первый результат: без зомби, без утёкших дескрипторов.
//!
//! ## Why this works
//! Every job runs in its own child with its own pipe, all at once. `poll` sleeps until at
//! least one read end is *ready*: it has bytes, or it reached end of file (its child exited).
//! The first ready pipe belongs to the winner; reading it to end of file collects its whole
//! output (a child writes its output and exits, so EOF follows its last byte).
//!
//! The losers are still running. Cleaning up takes two steps, in this order:
//! 1. `kill(pid, SIGKILL)` each loser. Before it is reaped, a child's pid is reserved for it,
//!    even as a zombie, so the signal cannot hit an unrelated process that reused the pid;
//!    after `waitpid` it could. Kill first, reap second.
//! 2. `waitpid` **every** child, the winner and the killed ones alike. A dead child stays in
//!    the process table as a zombie (state `Z` in `/proc`) until its parent collects its
//!    status. A long-running parent that never reaps fills the table.
//!
//! Every read end is closed (dropped) as well: a descriptor is a slot in a per-process table
//! with a limit (often 1024); a loop that leaks one per call fails after 1024 calls.

use crate::fork::wait_child;
use crate::sys;
use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{Signal, kill};
use nix::unistd::{ForkResult, Pid, fork, pipe};
use std::os::fd::{AsFd, OwnedFd};
use std::panic::{self, AssertUnwindSafe};

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
    // One (child, read end) per job; the write end goes to the child only.
    let mut running: Vec<(Pid, OwnedFd)> = Vec::with_capacity(jobs.len());
    for job in jobs {
        let started = pipe().and_then(|(reader, writer)| {
            // SAFETY: single-threaded process (asserted above): the child may run the job,
            // allocate and write before it ends with `_exit`.
            match unsafe { fork() }? {
                ForkResult::Child => {
                    drop(reader); // the child only writes
                    let code = match panic::catch_unwind(AssertUnwindSafe(job)) {
                        Ok(bytes) if sys::write_all(&writer, &bytes).is_ok() => 0,
                        Ok(_) => 1,
                        Err(_) => sys::PANIC_EXIT,
                    };
                    sys::exit_child(code)
                }
                ForkResult::Parent { child } => {
                    drop(writer); // the parent only reads
                    Ok((child, reader))
                }
            }
        });
        match started {
            Ok(child) => running.push(child),
            Err(e) => {
                // No more processes or descriptors: stop the children already started.
                let _ = clean_up(running, None);
                return Err(e);
            }
        }
    }
    // Sleep until some pipe is ready: data, or end of file.
    let winner = loop {
        let mut fds: Vec<PollFd> = running
            .iter()
            .map(|(_, reader)| PollFd::new(reader.as_fd(), PollFlags::POLLIN))
            .collect();
        match poll(&mut fds, PollTimeout::NONE) {
            // `any()` is true for every event, POLLHUP (end of file) included.
            Ok(_) => {
                if let Some(i) = fds.iter().position(|fd| fd.any().unwrap_or(false)) {
                    break i;
                }
            }
            Err(Errno::EINTR) => {}
            Err(e) => {
                let _ = clean_up(running, None);
                return Err(e);
            }
        }
    };
    let output = sys::read_to_end(&running[winner].1);
    clean_up(running, Some(winner))?;
    Ok(Race {
        winner,
        output: output?,
    })
}

/// Kills every child but `keep`, then reaps them all and closes every read end.
fn clean_up(running: Vec<(Pid, OwnedFd)>, keep: Option<usize>) -> nix::Result<()> {
    // First kill, while every pid is still ours (reserved until reaped)...
    for (i, (pid, _)) in running.iter().enumerate() {
        if Some(i) != keep {
            let _ = kill(*pid, Signal::SIGKILL);
        }
    }
    // ...then reap each child, the winner and the killed ones alike: a killed child is a
    // zombie until its parent collects it. Keep going after an error: reap them all.
    let mut result = Ok(());
    for (pid, reader) in running {
        drop(reader); // close every read end, the losers' too
        let reaped = wait_child(pid);
        if let Err(e) = reaped {
            result = Err(e);
        }
    }
    result
}
