//! # Lab 5 — reference solution
//!
//! The student crate `labs/lab5-combinators` with every task solved. Only the task files live
//! here; the demo, the stage (`scene`) and the experiments (`scenarios`) are the student
//! crate's own files, mounted with `#[path]`, so they exist once and cannot drift apart.

pub mod as_completed;
pub mod bounded;
pub mod gather;
pub mod mirrors;
pub mod shield;
pub mod timeouts;
pub mod wait;
pub mod wait_for;

#[path = "../../../labs/lab5-combinators/src/demo.rs"]
pub mod demo;
#[path = "../../../labs/lab5-combinators/src/parity.rs"]
pub mod parity;
#[path = "../../../labs/lab5-combinators/src/scenarios.rs"]
pub mod scenarios;
#[path = "../../../labs/lab5-combinators/src/scene.rs"]
pub mod scene;
