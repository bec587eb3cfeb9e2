//! # Lab 2 — reference solution
//!
//! The student crate `labs/lab2-threads` with every task solved. Only the task files live
//! here; the provided modules (the demo, the racy counter, the workload, the accounts) are
//! the student crate's own files, mounted with `#[path]`, so they exist once and the
//! reference demo and the student's demo can never drift apart.

pub mod bank;
pub mod counters;
pub mod gil;
pub mod parallel;
pub mod pipeline;
pub mod pool;
pub mod spawn;

#[path = "../../../labs/lab2-threads/src/account.rs"]
pub mod account;
#[path = "../../../labs/lab2-threads/src/demo.rs"]
pub mod demo;
#[path = "../../../labs/lab2-threads/src/race.rs"]
pub mod race;
#[path = "../../../labs/lab2-threads/src/workload.rs"]
pub mod workload;
