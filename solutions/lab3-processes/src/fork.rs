//! Task 3.1 — run a function in a child process and report how the child ended.
//! Задание 3.1 — Выполнить функцию в потомке и сообщить, как он завершился.
//!
//! ## Why this works
//! `fork` returns twice: once in the parent (with the child's pid) and once in the child
//! (with [`ForkResult::Child`]). The child runs `f` and must then *end*, with `_exit(code)`:
//! if it returned from `run_in_child`, a second copy of the caller would carry on running
//! the caller's code. A panic in `f` is caught in the child for the same reason, and turned
//! into the exit code 101, the code of a Rust program whose `main` panicked.
//!
//! The parent blocks in `waitpid` until the child ends. The kernel keeps a dead child's exit
//! status (as a *zombie*) until exactly this call collects it, and the status says how the
//! child ended: `Exited(code)` when it called `_exit(code)` (0 is success, anything else a
//! failure), `Signaled(signal)` when a signal killed it before it could exit at all
//! (`SIGKILL`, `SIGSEGV`, `SIGABRT`...). A killed child has no exit code, so reporting it as
//! `Exited(0)` would call a crash a success.

use crate::sys;
use nix::errno::Errno;
use nix::sys::signal::Signal;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork};
use std::fmt;
use std::panic::{self, AssertUnwindSafe};

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
    loop {
        match waitpid(pid, None) {
            Ok(WaitStatus::Exited(_, code)) => return Ok(ChildStatus::Exited(code)),
            Ok(WaitStatus::Signaled(_, signal, _)) => return Ok(ChildStatus::Signaled(signal)),
            // Stopped and Continued are reported only with flags we did not pass; a signal
            // delivered to this process interrupts waitpid without ending the child.
            Ok(_) | Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Task 3.1: runs `f` in a child process, waits for the child, and returns how it ended.
///
/// The child exits with the code `f` returns (0 to 255), with [`sys::PANIC_EXIT`] (101) if
/// `f` panics; a child killed by a signal is reported as [`ChildStatus::Signaled`].
/// Call it from a single-threaded process only (see [`sys::assert_single_threaded`]).
pub fn run_in_child(f: impl FnOnce() -> i32) -> nix::Result<ChildStatus> {
    sys::assert_single_threaded();
    // SAFETY: this process has a single thread (asserted above), so the child is a complete
    // copy of it and cannot inherit a lock held by another thread: it may run `f`.
    match unsafe { fork() }? {
        ForkResult::Child => {
            // Catch the panic here: unwinding out of this function would run the caller's
            // code a second time, in the child.
            let code = panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or(sys::PANIC_EXIT);
            sys::exit_child(code)
        }
        ForkResult::Parent { child } => wait_child(child),
    }
}
