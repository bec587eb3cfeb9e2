//! Tasks 1.1 and 1.2 — measure a closure, then classify what you measured.
//! Задания 1.1 и 1.2 — Измерьте астрономическое и процессорное время; классифицируйте нагрузку.
//!
//! ## Why this works
//! Two clocks are read on each side of the call. The wall clock ([`Instant`]) keeps
//! running while the thread sleeps or waits for the network; the thread's CPU clock only
//! advances while this thread runs on a processor. A thread that waits therefore shows
//! `cpu ≪ wall`, and a thread that computes shows `cpu ≈ wall` (a little less if the OS
//! lent its core to someone else for a moment). The threshold of one half sits far from both.

use std::time::{Duration, Instant};

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
    let cpu0 = kit::clock::thread_cpu_time();
    let wall0 = Instant::now();
    let value = f();
    // Read the wall clock first: reading the CPU clock costs CPU time of its own, and we
    // want the tiny measurement error to make cpu smaller than wall, never larger.
    let wall = wall0.elapsed();
    let cpu = kit::clock::thread_cpu_time().saturating_sub(cpu0);
    (value, Measurement { wall, cpu })
}

/// Task 1.2: [`Workload::CpuBound`] when `cpu / wall >= CPU_BOUND_RATIO`, else
/// [`Workload::IoBound`]. A zero wall time (nothing measurable) counts as CPU-bound.
pub fn classify(m: &Measurement) -> Workload {
    if m.wall.is_zero() {
        return Workload::CpuBound;
    }
    let ratio = m.cpu.as_secs_f64() / m.wall.as_secs_f64();
    if ratio >= CPU_BOUND_RATIO {
        Workload::CpuBound
    } else {
        Workload::IoBound
    }
}
