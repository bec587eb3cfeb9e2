//! # Lab 5 — asyncio's gather, wait_for, wait, as_completed and shield, on tokio
//!
//! asyncio gives Python a handful of combinators with precise rules: who runs concurrently,
//! in which order results come back, what an error does to the siblings, what gets
//! cancelled and when. tokio has primitives that look the same and often are not
//! (`try_join_all` cancels on error, `select!` cancels the losers, dropping a `JoinHandle`
//! cancels nothing). In this lab you build each asyncio combinator on tokio with asyncio's
//! **exact** semantics, and every experiment shows, on a timeline in virtual time, when each
//! job started, finished or was cancelled.
//!
//! Your tasks, their files and what to write in each: the chapter, `docs/src/lab5-combinators.md`.
//!
//! The layout of `src/`:
//! - `src/*.rs` (this file, `main.rs` aside): your task files;
//! - `src/demo/`: the demo and its machinery, not yours (read them): `scene.rs` (jobs that
//!   record start / finish / cancelled with virtual timestamps), `scenarios.rs` (the
//!   experiments the demo and the checks run), `parity.rs` (the same scenarios as asyncio's).
//!
//! `cargo run -p lab5` runs every experiment on your code (`-- --only 5.3` for one task);
//! `cargo course check lab5` checks it. Chapter: `docs/src/lab5-combinators.md`. Python
//! mirror: `labs/lab5-combinators/python/combinators.py` (asyncio itself, on a virtual clock).

// The skeleton's todo!()s are the exercise: each one is a task for you.
#![allow(clippy::todo)]

pub mod as_completed;
pub mod bounded;
pub mod demo;
pub mod gather;
pub mod mirrors;
pub mod shield;
pub mod timeouts;
pub mod wait;
pub mod wait_for;

// The short paths the checks and task files name (`crate::scene::panic_message`): a task file
// written against either layout compiles.
pub use demo::{parity, scenarios, scene};
