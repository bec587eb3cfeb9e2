//! # Lab 1 — reference solution
//!
//! The student crate `labs/lab1-sync` with every task solved. Only the task files live here;
//! the demo is the student crate's own `src/demo/`, mounted with `#[path]`, so the reference demo
//! and the student's demo can never drift apart.

pub mod download;
pub mod measure;
pub mod report;
pub mod workloads;

#[path = "../../../labs/lab1-sync/src/demo/mod.rs"]
pub mod demo;
