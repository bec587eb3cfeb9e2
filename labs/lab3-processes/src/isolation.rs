//! Task 3.3 — isolation: a child changes a variable, and the parent's copy does not change.
//!
//! ## TODO
//! `increment_in_child(counter)`: fork; in the child run `*counter += 1`, then send the
//! child's pid and the child's `*counter` (two `u64`, little-endian, 16 bytes) through a
//! pipe, and exit 0. The parent reads the 16 bytes, reaps the child and returns a
//! [`ChildView`]. The parent does not touch `*counter`.
//!
//! ## Hint
//! Same plumbing as task 3.2: a pipe, each side drops the end it does not use.
//! `nix::unistd::getpid()` in the child is the child's pid; `u64::to_le_bytes` /
//! `u64::from_le_bytes` pack and unpack the numbers.
//!
//! ## Caveat
//! The child's write does not reach the parent's memory: after the fork each process has its
//! own copy (copy-on-write). Reading `*counter` in the parent after the child ran gives the
//! *parent's* value, not the child's: the child's view only arrives as a message.

use crate::sys;
use nix::unistd::Pid;

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
    let _ = counter;
    sys::assert_single_threaded();
    todo!("task 3.3: fork; the child increments and sends (pid, value) through a pipe")
}
