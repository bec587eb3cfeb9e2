//! Task 3.2 — compute in a child and send the result back through a pipe.
//! Задание 3.2 — Результат через канал (пайп).
//!
//! ## Why this works
//! `pipe()` returns two descriptors of one kernel buffer: bytes written to the write end
//! come out of the read end. After `fork` *both* processes hold *both* ends:
//!
//! ```text
//!            before closing                      after closing
//!   parent: [read] [write]              parent: [read] ◄──────────┐
//!   child:  [read] [write]              child:         [write] ───┘
//! ```
//!
//! Each process closes the end it does not use. That is not tidiness: a read returns end of
//! file only when *every* write end is closed. If the parent kept its copy of the write end,
//! its own read could never see EOF (it would be waiting for itself), and it would block
//! forever after the child's last byte.
//!
//! The parent reads to EOF *before* waiting for the child. A pipe holds 64 KiB; a child
//! writing more blocks until someone reads. A parent that waited first would wait for a
//! child that waits for it: a deadlock. Once EOF arrives (the child exited, which closed its
//! write end), `waitpid` reaps the child and tells whether it finished its work.

use crate::fork::{ChildStatus, wait_child};
use crate::sys;
use nix::unistd::{ForkResult, fork, pipe};
use std::panic::{self, AssertUnwindSafe};

/// Task 3.2: runs `f` in a child process, which writes the bytes `f` returns into a pipe;
/// the parent reads them to end of file, then reaps the child.
///
/// Returns the bytes the parent read and how the child ended (`Exited(0)` after a full
/// write; `Exited(101)` if `f` panicked, with whatever arrived before). Call it from a
/// single-threaded process only.
pub fn compute_in_child(f: impl FnOnce() -> Vec<u8>) -> nix::Result<(Vec<u8>, ChildStatus)> {
    sys::assert_single_threaded();
    // The pipe: `reader` for the parent, `writer` for the child. Created before fork, so
    // that both processes get both ends.
    let (reader, writer) = pipe()?;
    // SAFETY: single-threaded process (asserted above): the child may run `f`, allocate,
    // and write before it ends with `_exit`.
    match unsafe { fork() }? {
        ForkResult::Child => {
            // The child only writes: close its copy of the read end.
            drop(reader);
            let code = match panic::catch_unwind(AssertUnwindSafe(f)) {
                Ok(bytes) => match sys::write_all(&writer, &bytes) {
                    Ok(()) => 0,
                    Err(_) => 1,
                },
                Err(_) => sys::PANIC_EXIT,
            };
            // _exit closes `writer` too: that is the parent's end of file.
            sys::exit_child(code)
        }
        ForkResult::Parent { child } => {
            // The parent only reads: close its copy of the write end NOW, or its own read
            // below would never see end of file.
            drop(writer);
            let read = sys::read_to_end(&reader);
            // Reap the child even if the read failed: never leave a zombie behind.
            let status = wait_child(child)?;
            Ok((read?, status))
        }
    }
}
