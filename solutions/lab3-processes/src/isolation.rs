//! Task 3.3 — isolation: a child changes a variable, and the parent's copy does not change.
//! Задание 3.3 — Изоляция: память с копированием при записи.
//!
//! ## Why this works
//! After `fork` the child has its own copy of the parent's whole memory, at the same
//! addresses. The kernel does not copy it up front: both processes share every page,
//! read-only, until one of them *writes* a page; that page is then copied for the writer
//! (copy-on-write). So `*counter += 1` in the child changes the child's copy only, and the
//! parent's `*counter` is what it was, at the very same address.
//!
//! The only way the child's value reaches the parent is a message: here 16 bytes through a
//! pipe, the child's pid and its value. The parent reads them, reaps the child, and leaves
//! its own counter alone. (Threads are the opposite: one memory, so a thread's write is seen
//! by every thread at once, and two writers race. The demo shows both.)

use crate::fork::wait_child;
use crate::sys;
use nix::errno::Errno;
use nix::unistd::{ForkResult, Pid, fork, getpid, pipe};

/// What the child saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildView {
    /// The child's process id (`getpid()` in the child).
    pub pid: Pid,
    /// The child's counter after its increment.
    pub value: u64,
}

/// Task 3.3: increments `*counter` **in a child process** and returns what the child saw
/// (its pid and its counter after the increment, sent back through a pipe).
///
/// The parent's `*counter` is left as it was: the child's write changes the child's copy.
/// `Err(Errno::EIO)` if the child did not send 16 bytes or did not exit with 0.
/// Call it from a single-threaded process only.
pub fn increment_in_child(counter: &mut u64) -> nix::Result<ChildView> {
    sys::assert_single_threaded();
    // reader: the parent's end; writer: the child's end.
    let (reader, writer) = pipe()?;
    // SAFETY: single-threaded process (asserted above): the child may write its memory and
    // the pipe before it ends with `_exit`.
    match unsafe { fork() }? {
        ForkResult::Child => {
            drop(reader); // the child only writes
            *counter += 1; // the first write to this page copies it: the child's copy changes
            let mut message = [0u8; 16];
            message[..8].copy_from_slice(&(getpid().as_raw() as u64).to_le_bytes());
            message[8..].copy_from_slice(&counter.to_le_bytes());
            let code = if sys::write_all(&writer, &message).is_ok() {
                0
            } else {
                1
            };
            sys::exit_child(code)
        }
        ForkResult::Parent { child } => {
            drop(writer); // the parent only reads: keep no write end, or no EOF
            let bytes = sys::read_to_end(&reader);
            let status = wait_child(child)?;
            let bytes = bytes?;
            if bytes.len() != 16 || !status.success() {
                return Err(Errno::EIO);
            }
            let word =
                |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap_or_default());
            Ok(ChildView {
                pid: Pid::from_raw(word(0) as i32),
                value: word(8),
            })
        }
    }
}
