//! Task 1.5 — the report: measure each workload and classify it.
//! Задание 1.5 — Отчёт: измерьте и классифицируйте каждую нагрузку.
//!
//! ## Why this works
//! Each workload runs inside `measure`, on this thread, one after another, so each
//! measurement sees only its own workload; `classify` then reads the verdict off the ratio.

use crate::download::download_all;
use crate::measure::{Measurement, Workload, classify, measure};
use crate::workloads::{count_primes, fib};

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

fn row(workload: String, (value, measurement): (u64, Measurement)) -> Row {
    Row {
        workload,
        value,
        measurement,
        verdict: classify(&measurement),
    }
}

/// Task 1.5: measures and classifies each workload of `config`, in order.
pub fn report(config: &ReportConfig) -> Vec<Row> {
    let bytes = || {
        download_all(&config.urls)
            .iter()
            .map(|r| r.as_ref().map_or(0, |body| body.len() as u64))
            .sum()
    };
    vec![
        row(
            format!("fib({})", config.fib_n),
            measure(|| fib(config.fib_n)),
        ),
        row(
            format!("count_primes({})", config.primes_below),
            measure(|| count_primes(config.primes_below)),
        ),
        row(
            format!("download {} resources", config.urls.len()),
            measure(bytes),
        ),
    ]
}
