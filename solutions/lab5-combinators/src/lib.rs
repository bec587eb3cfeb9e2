//! # Lab 5 — reference solution
//!
//! The student crate `labs/lab5-combinators` with every task solved. Only the task files live
//! here; the demo's folder (`src/demo/`: the demo, the stage `scene`, the experiments
//! `scenarios`, the parity suite `parity`) is the student crate's own, mounted with `#[path]`,
//! so it exists once and cannot drift apart.

pub mod as_completed;
pub mod bounded;
pub mod gather;
pub mod mirrors;
pub mod shield;
pub mod timeouts;
pub mod wait;
pub mod wait_for;

#[path = "../../../labs/lab5-combinators/src/demo/mod.rs"]
pub mod demo;

// The student crate's short paths (`crate::scene::panic_message` in gather.rs).
pub use demo::{parity, scenarios, scene};
