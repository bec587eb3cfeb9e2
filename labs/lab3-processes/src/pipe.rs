//! Task 3.2 — a result through a pipe.
//!
//! Write `compute_in_child`: the child sends `f`'s bytes through a pipe, the parent reads them.
//!
//! Read `docs/src/lab3-processes.md#task-3-2`; check: `cargo course check 3.2`.
//!
//! Задание 3.2 — Результат через канал (пайп).
//!
//! Читайте `docs/src/lab3-processes.md#task-3-2`
//! (в русской книге: `ru/lab3-processes.html#task-3-2`); проверка: `cargo course check 3.2`.

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
    todo!("task 3.2")
}
