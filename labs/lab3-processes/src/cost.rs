//! Task 3.7 — what a process costs, next to a thread and a program.
//!
//! Write `fork_wait`, `thread_spawn_join` and `spawn_program`: the mean time of one round.
//!
//! Read `docs/src/lab3-processes.md#task-3-7`; check: `cargo course check 3.7`.
//!
//! Задание 3.7 — Сколько стоит процесс.
//!
//! Читайте `docs/src/lab3-processes.md#task-3-7`
//! (в русской книге: `ru/lab3-processes.html#task-3-7`); проверка: `cargo course check 3.7`.

use crate::sys;
use std::time::Duration;

/// Task 3.7: the mean time of one `fork` + `waitpid` of a child that exits at once, over
/// `rounds` rounds (`Duration::ZERO` for 0 rounds). Every child is reaped.
/// Call it from a single-threaded process only.
pub fn fork_wait(rounds: u32) -> nix::Result<Duration> {
    let _ = rounds;
    sys::assert_single_threaded();
    todo!("task 3.7")
}

/// Task 3.7: the mean time of one `std::thread::spawn` + `join` of a thread that returns at
/// once, over `rounds` rounds (`Duration::ZERO` for 0 rounds). Every thread is joined.
pub fn thread_spawn_join(rounds: u32) -> Duration {
    let _ = rounds;
    todo!("task 3.7")
}

/// Task 3.7: the mean time of running `program` (a path, e.g. `/bin/true`, with no
/// arguments) to completion with `std::process::Command`, over `rounds` rounds
/// (`Duration::ZERO` for 0 rounds). An error if it cannot start or does not exit with 0.
pub fn spawn_program(program: &str, rounds: u32) -> std::io::Result<Duration> {
    let _ = (program, rounds);
    todo!("task 3.7")
}
