//! # Lab 2 — reference solution
//!
//! The student crate `labs/lab2-threads` with every task solved. Only the task files live
//! here; the student crate's `src/provided/` (the racy counter, the workload, the accounts)
//! and `src/demo/` are mounted with `#[path]`, so they exist once and the reference demo
//! and the student's demo can never drift apart.

pub mod bank;
pub mod counters;
pub mod gil;
pub mod parallel;
pub mod pipeline;
pub mod pool;
pub mod spawn;

#[path = "../../../labs/lab2-threads/src/demo/mod.rs"]
pub mod demo;
#[path = "../../../labs/lab2-threads/src/provided/mod.rs"]
pub mod provided;

// The same short paths as the student crate's `lib.rs`.
pub use provided::{account, race, workload};
