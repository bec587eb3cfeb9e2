//! Task 1.5 — the report: measure and classify each workload.
//!
//! Write `report`: one `Row` per workload, measured with your `measure`, judged by `classify`.
//!
//! Read `docs/src/lab1-sync.md#task-1-5`; check: `cargo course check 1.5`.
//!
//! Задание 1.5 — Отчёт: измерьте и классифицируйте каждую нагрузку.
//!
//! Читайте `docs/src/lab1-sync.md#task-1-5`
//! (в русской книге: `ru/lab1-sync.html#task-1-5`); проверка: `cargo course check 1.5`.

use crate::measure::{Measurement, Workload};

/// What to run in the report.
#[derive(Debug, Clone)]
pub struct ReportConfig {
    /// Which Fibonacci number to compute.
    pub fib_n: u32,
    /// Count primes below this.
    pub primes_below: u64,
    /// What to download, one after another.
    pub urls: Vec<String>,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The workload's name: `fib(N)`, `count_primes(L)` or `download N resources`.
    pub workload: String,
    /// What it computed (or how many bytes it downloaded).
    pub value: u64,
    /// How long it took.
    pub measurement: Measurement,
    /// What limited it.
    pub verdict: Workload,
}

/// Task 1.5: runs each workload of `config` once, inside [`measure`](crate::measure::measure),
/// and returns one [`Row`] each, classified by [`classify`](crate::measure::classify), in
/// this order: `fib(N)` with N = `config.fib_n` (value: the Fibonacci number),
/// `count_primes(L)` with L = `config.primes_below` (value: the count), and
/// `download N resources` with N = `config.urls.len()`, all downloaded by one call of
/// `download_all` (value: the total bytes downloaded; a failed download counts 0).
pub fn report(config: &ReportConfig) -> Vec<Row> {
    let _ = config;
    todo!("task 1.5")
}
