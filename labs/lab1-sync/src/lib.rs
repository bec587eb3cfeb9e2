//! # Lab 1 — synchronous code: IO-bound vs CPU-bound
//!
//! Before threads, processes or tasks: one thread doing one thing after another. Two kinds of
//! work take the same wall time for very different reasons. A CPU-bound program is busy
//! computing the whole time; an IO-bound program mostly *waits* (for a disk, a network,
//! a server). Measuring CPU time next to wall time tells them apart, and that tells you
//! which tool of the next labs can speed it up.
//!
//! Your tasks, their files and what to write in each: the chapter, `docs/src/lab1-sync.md`.
//!
//! The layout of `src/`:
//! - `src/*.rs`: your files, one or more tasks each (`main.rs` and this `lib.rs` excepted);
//! - `src/demo/`: the demo that runs your code (`cargo run -p lab1`), not yours to edit.
//!
//! `cargo run -p lab1` runs the demo on your code; `cargo course check lab1` checks it.
//! Chapter: `docs/src/lab1-sync.md`. Python mirror: `labs/lab1-sync/python/`.

// The skeleton's todo!()s are the exercise: each one is a task for you.
#![allow(clippy::todo)]

pub mod demo;
pub mod download;
pub mod measure;
pub mod report;
pub mod workloads;
