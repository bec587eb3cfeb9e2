//! Tasks 1.1 and 1.2 — measure a closure, then classify what you measured.
//!
//! Write `measure` (1.1), a closure's value with its wall and CPU time, and `classify` (1.2).
//!
//! Read `docs/src/lab1-sync.md#task-1-1` and `#task-1-2`;
//! check: `cargo course check 1.1`, `cargo course check 1.2`.
//!
//! Задания 1.1 и 1.2 — Измерьте астрономическое и процессорное время; классифицируйте нагрузку.
//!
//! Читайте `docs/src/lab1-sync.md#task-1-1` и `#task-1-2`
//! (в русской книге: `ru/lab1-sync.html`);
//! проверка: `cargo course check 1.1`, `cargo course check 1.2`.

use std::time::Duration;

/// How long something took: on the wall clock, and on this thread's CPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Measurement {
    /// Elapsed real time, as a stopwatch would show it.
    pub wall: Duration,
    /// CPU time the calling thread used (user + system).
    pub cpu: Duration,
}

/// A workload that keeps the CPU busy at least this fraction of its wall time is CPU-bound.
pub const CPU_BOUND_RATIO: f64 = 0.5;

/// What limits a workload: the processor, or waiting for input/output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// Mostly computing: more threads on more cores can help (Lab 2), async cannot.
    CpuBound,
    /// Mostly waiting: overlapping the waits helps (threads in Lab 2, tasks in Lab 4).
    IoBound,
}

/// Task 1.1: runs `f` exactly once and returns its value and its [`Measurement`].
pub fn measure<T>(f: impl FnOnce() -> T) -> (T, Measurement) {
    let _ = f;
    todo!("task 1.1")
}

/// Task 1.2: [`Workload::CpuBound`] when `cpu / wall >= CPU_BOUND_RATIO`, else
/// [`Workload::IoBound`]. A zero wall time (nothing measurable) counts as CPU-bound.
pub fn classify(m: &Measurement) -> Workload {
    let _ = m;
    todo!("task 1.2")
}
