//! # Lab 4 — reference solution
//!
//! The student crate `labs/lab4-async` with every task solved. Only the task files live here;
//! the provided modules (demo, scenarios, support) are the student crate's own files,
//! mounted with `#[path]`, so the reference and the student's crate can never drift apart.

pub mod blocking;
pub mod bridge;
pub mod concurrent;
pub mod cooperative;
pub mod downloads;
pub mod runtime;
pub mod streams;
pub mod tasks;

#[path = "../../../labs/lab4-async/src/demo.rs"]
pub mod demo;
#[path = "../../../labs/lab4-async/src/scenarios.rs"]
pub mod scenarios;
#[path = "../../../labs/lab4-async/src/support.rs"]
pub mod support;
