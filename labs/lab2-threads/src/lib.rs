//! # Lab 2 — threads: shared state, races, channels and the GIL
//!
//! One process, several threads, one memory. Threads overlap waits (downloads on a pool)
//! and, unlike Python's, they also run Rust code on every core at once (no GIL). The price
//! is shared state: two threads that read-modify-write the same value without a lock or an
//! atomic instruction lose updates (a race condition), and two threads that take two locks
//! in opposite orders can wait for each other forever (a deadlock).
//!
//! Your tasks, their files and what to write in each: the chapter, `docs/src/lab2-threads.md`.
//!
//! The layout of `src/`:
//! - `src/*.rs`: your files, one or more tasks each (`main.rs` and this `lib.rs` excepted);
//! - `src/provided/`: code your tasks read and call (the racy counter, the workload, the
//!   accounts): read it, do not edit it;
//! - `src/demo/`: the demo that runs your code (`cargo run -p lab2`), not yours to edit.
//!
//! `cargo run -p lab2` runs the demo on your code; `cargo course check lab2` checks it.
//! Chapter: `docs/src/lab2-threads.md`. Python mirror: `labs/lab2-threads/python/`.

// The skeleton's todo!()s are the exercise: each one is a task for you.
#![allow(clippy::todo)]

pub mod bank;
pub mod counters;
pub mod demo;
pub mod gil;
pub mod parallel;
pub mod pipeline;
pub mod pool;
pub mod provided;
pub mod spawn;

// The short paths (`crate::race`, `lab2::account`) that task files and checks use, so a
// task file written against either layout of `src/` compiles.
pub use provided::{account, race, workload};
