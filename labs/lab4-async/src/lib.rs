//! # Lab 4 — async tasks on tokio: the event loop
//!
//! Threads (Lab 2) wait in parallel by having one OS thread per wait. An event loop waits
//! for everything on *one* thread: each task runs until it has to wait, hands the thread
//! back at an `.await`, and is resumed when what it waited for is ready. A hundred downloads
//! cost a hundred small tasks, not a hundred threads. Python calls this `asyncio`; in Rust
//! the loop is a library, tokio, and the tasks are futures.
//!
//! Your tasks, their files and what to write in each: the chapter, `docs/src/lab4-async.md`.
//!
//! The layout of `src/`:
//! - `src/*.rs`: your files, one or more tasks each (the chapter says which);
//! - `src/provided/`: provided code your tasks use (read it, do not edit it): `support.rs`,
//!   the coroutines, servers, ticker and session the tasks work with;
//! - `src/demo/`: the demo and its experiments (`scenarios.rs`, which the checks run too):
//!   not yours.
//!
//! `cargo run -p lab4` runs the demo on your code (`-- --trace trace.json` also writes the
//! timelines for Perfetto); `cargo course check lab4` checks it.
//! Chapter: `docs/src/lab4-async.md`. Python mirror: `labs/lab4-async/python/`.

// The skeleton's todo!()s are the exercise: each one is a task for you.
#![allow(clippy::todo)]

pub mod blocking;
pub mod bridge;
pub mod concurrent;
pub mod cooperative;
pub mod demo;
pub mod downloads;
pub mod provided;
pub mod runtime;
pub mod streams;
pub mod tasks;

// The short path `crate::support` of the flat layout: task files written for either compile.
pub use provided::support;
