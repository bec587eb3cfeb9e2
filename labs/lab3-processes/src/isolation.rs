//! Task 3.3 — isolation: copy-on-write memory.
//!
//! Write `increment_in_child`: the child changes the counter, and the parent's copy does not.
//!
//! Read `docs/src/lab3-processes.md#task-3-3`; check: `cargo course check 3.3`.
//!
//! Задание 3.3 — Изоляция: память с копированием при записи.
//!
//! Читайте `docs/src/lab3-processes.md#task-3-3`
//! (в русской книге: `ru/lab3-processes.html#task-3-3`); проверка: `cargo course check 3.3`.

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
    todo!("task 3.3")
}
