//! Task 3.2 — compute in a child and send the result back through a pipe.
//!
//! ## TODO
//! `compute_in_child(f)`: create a pipe, fork; the child runs `f` and writes the bytes it
//! returns into the pipe, then exits (0, or 101 if `f` panicked); the parent reads the pipe
//! to end of file, then reaps the child. Return the bytes and the child's status.
//!
//! ## Hint
//! `let (reader, writer) = nix::unistd::pipe()?;` before the fork: both processes get both
//! ends. Each side then closes (drops) the end it does not use: the child drops `reader`,
//! the parent drops `writer`. Use [`sys::write_all`] in the child, [`sys::read_to_end`] in
//! the parent, and `wait_child` from task 3.1.
//!
//! ## Caveat
//! Two classic hangs. (1) The parent keeps its copy of `writer`: its read never sees end of
//! file, since a write end is still open, its own. (2) The parent waits for the child
//! before reading: a pipe holds 64 KiB, so a child writing more blocks until someone reads,
//! and the parent waits for it: a deadlock. Read to end of file first, then wait.

use crate::fork::ChildStatus;
use crate::sys;

/// Task 3.2: runs `f` in a child process, which writes the bytes `f` returns into a pipe;
/// the parent reads them to end of file, then reaps the child.
///
/// Returns the bytes the parent read and how the child ended (`Exited(0)` after a full
/// write; `Exited(101)` if `f` panicked, with whatever arrived before). Call it from a
/// single-threaded process only.
pub fn compute_in_child(f: impl FnOnce() -> Vec<u8>) -> nix::Result<(Vec<u8>, ChildStatus)> {
    let _ = f;
    sys::assert_single_threaded();
    todo!(
        "task 3.2: pipe, fork, child writes and exits, parent drops the write end and reads to EOF"
    )
}
