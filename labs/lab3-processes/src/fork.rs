//! Task 3.1 — run a function in a child and report how it ended.
//!
//! Write `wait_child` and `run_in_child`: fork, run `f` in the child, report its exit status.
//!
//! Read `docs/src/lab3-processes.md#task-3-1`; check: `cargo course check 3.1`.
//!
//! Задание 3.1 — Выполнить функцию в потомке и сообщить, как он завершился.
//!
//! Читайте `docs/src/lab3-processes.md#task-3-1`
//! (в русской книге: `ru/lab3-processes.html#task-3-1`); проверка: `cargo course check 3.1`.

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
    todo!("task 3.1")
}

/// Task 3.1: runs `f` in a child process, waits for the child, and returns how it ended.
///
/// The child exits with the code `f` returns (0 to 255), with [`sys::PANIC_EXIT`] (101) if
/// `f` panics; a child killed by a signal is reported as [`ChildStatus::Signaled`].
/// Call it from a single-threaded process only (see [`sys::assert_single_threaded`]).
pub fn run_in_child(f: impl FnOnce() -> i32) -> nix::Result<ChildStatus> {
    let _ = f;
    sys::assert_single_threaded();
    todo!("task 3.1")
}
