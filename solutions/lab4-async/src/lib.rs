//! # Lab 4 — reference solution
//!
//! The student crate `labs/lab4-async` with every task solved. Only the task files live here;
//! the provided code (`src/provided/`) and the demo (`src/demo/`) are the student crate's
//! own folders, mounted with `#[path]`, so the reference and the student's crate can never
//! drift apart.

pub mod blocking;
pub mod bridge;
pub mod concurrent;
pub mod cooperative;
pub mod downloads;
pub mod runtime;
pub mod streams;
pub mod tasks;

#[path = "../../../labs/lab4-async/src/demo/mod.rs"]
pub mod demo;
#[path = "../../../labs/lab4-async/src/provided/mod.rs"]
pub mod provided;

// The same short paths as the student crate's lib.rs (`crate::support`).
pub use provided::support;
