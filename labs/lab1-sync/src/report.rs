//! Task 1.5 — the report: measure each workload and classify it.
//!
//! ## TODO
//! `report(config)`: run the three workloads one after another, each inside your
//! [`measure`](crate::measure::measure), classify each measurement, and return one [`Row`]
//! per workload, in this order and with these names:
//! 1. `fib(N)` with N = `config.fib_n`; value: the Fibonacci number;
//! 2. `count_primes(L)` with L = `config.primes_below`; value: the count;
//! 3. `download N resources` with N = `config.urls.len()`; value: the total number of bytes
//!    downloaded (failed downloads count 0).
//!
//! ## Hint
//! This task only glues tasks 1.1 to 1.4 together; the demo prints your rows as a table.
//!
//! ## Caveat
//! The verdicts come from real measurements: on a very busy machine a short CPU workload
//! can be descheduled and look less CPU-bound than it is. The checks allow for that.

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
    /// The workload's name, as the TODO above spells it.
    pub workload: String,
    /// What it computed (or how many bytes it downloaded).
    pub value: u64,
    /// How long it took.
    pub measurement: Measurement,
    /// What limited it.
    pub verdict: Workload,
}

/// Task 1.5: measures and classifies each workload of `config`, in order.
pub fn report(config: &ReportConfig) -> Vec<Row> {
    let _ = config;
    todo!("task 1.5: measure each workload, classify it, and collect the rows")
}
