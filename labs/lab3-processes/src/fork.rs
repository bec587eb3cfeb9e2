//! Task 3.1 — run a function in a child process and report how the child ended.
//!
//! ## TODO
//! - `wait_child(pid)`: wait for child `pid` with `nix::sys::wait::waitpid` and turn its
//!   `WaitStatus` into a [`ChildStatus`]: `Exited(_, code)` → `Exited(code)`,
//!   `Signaled(_, signal, _)` → `Signaled(signal)`. Other statuses (and `EINTR`) only mean
//!   "not yet": wait again.
//! - `run_in_child(f)`: `fork`; in the child run `f` and end with its code through
//!   [`sys::exit_child`]; in the parent return [`wait_child`] of the child.
//!
//! ## Hint
//! `match unsafe { nix::unistd::fork() }? { ForkResult::Child => ..., ForkResult::Parent {
//! child } => ... }`. `fork` is `unsafe` because a child of a multi-threaded process may
//! only call async-signal-safe functions: call [`sys::assert_single_threaded`] first and
//! write why the call is sound in a `// SAFETY:` comment. In the child, catch a panic of
//! `f` with `std::panic::catch_unwind(AssertUnwindSafe(f))` and exit with
//! [`sys::PANIC_EXIT`] (101) instead.
//!
//! ## Caveat
//! The child must never return from `run_in_child`: it would go on running its caller's code
//! as a second copy (the checks stop such a child and you will see `Exited(86)`,
//! [`sys::ESCAPED_CHILD_EXIT`]). End it with `sys::exit_child` (`_exit`), not
//! `std::process::exit`, which flushes buffers copied from the parent. And never report a
//! child killed by a signal as `Exited(0)`: it never exited, it crashed.

use crate::sys;
use nix::sys::signal::Signal;
use nix::unistd::Pid;
use std::fmt;

/// How a child process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildStatus {
    /// It exited with this code (0 to 255): `_exit(code)`, or returning from `main`.
    /// Only `Exited(0)` is a success.
    Exited(i32),
    /// A signal killed it: it never got to exit. Never a success.
    Signaled(Signal),
}

impl ChildStatus {
    /// `true` only for `Exited(0)`.
    pub fn success(self) -> bool {
        self == ChildStatus::Exited(0)
    }
}

impl fmt::Display for ChildStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChildStatus::Exited(code) => write!(f, "exited with code {code}"),
            ChildStatus::Signaled(signal) => write!(f, "killed by {signal}"),
        }
    }
}

/// Task 3.1: waits for child `pid` to end and reports how it ended (this reaps it: no zombie
/// is left). The other tasks reuse it.
pub fn wait_child(pid: Pid) -> nix::Result<ChildStatus> {
    let _ = pid;
    todo!("task 3.1: waitpid(pid, None), then Exited → Exited, Signaled → Signaled")
}

/// Task 3.1: runs `f` in a child process, waits for the child, and returns how it ended.
///
/// The child exits with the code `f` returns (0 to 255), with [`sys::PANIC_EXIT`] (101) if
/// `f` panics; a child killed by a signal is reported as [`ChildStatus::Signaled`].
/// Call it from a single-threaded process only (see [`sys::assert_single_threaded`]).
pub fn run_in_child(f: impl FnOnce() -> i32) -> nix::Result<ChildStatus> {
    let _ = f;
    sys::assert_single_threaded();
    todo!("task 3.1: fork; the child runs f and calls sys::exit_child; the parent waits")
}
