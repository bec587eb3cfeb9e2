//! # Lab 4 — async tasks on tokio: the event loop
//!
//! Threads (Lab 2) wait in parallel by having one OS thread per wait. An event loop waits
//! for everything on *one* thread: each task runs until it has to wait, hands the thread
//! back at an `.await`, and is resumed when what it waited for is ready. A hundred downloads
//! cost a hundred small tasks, not a hundred threads. Python calls this `asyncio`; in Rust
//! the loop is a library, tokio, and the tasks are futures.
//!
//! | file | task | you write |
//! |---|---|---|
//! | `src/runtime.rs` | 4.1 | `run_on_current_thread`, `run_on_multi_thread`: an event loop by hand |
//! | `src/tasks.rs` | 4.2 | `hello_world`: the course's example, 4 s and 3 s in 4 s |
//! | `src/concurrent.rs` | 4.3 | `sequentially`, `concurrently`: sum of the delays vs the largest |
//! | `src/downloads.rs` | 4.4 | `download_all`, `download_limited`: 100 downloads, then at most 10 |
//! | `src/blocking.rs` | 4.5 | `nap`, `run_blocking`: never block the loop's thread |
//! | `src/bridge.rs` | 4.6 | `call_from_thread`, `report_from_async`: in and out of the loop |
//! | `src/cooperative.rs` | 4.7 | `cooperative_sum`: a long loop that yields |
//! | `src/streams.rs` | 4.8 | `ticks`, `consume`, `with_session`: `async for` and `async with` |
//!
//! Provided (read them, do not edit): `src/support.rs` (the coroutines, servers, ticker and
//! session the tasks use), `src/scenarios.rs` (the experiments), `src/demo.rs`.
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
pub mod runtime;
pub mod scenarios;
pub mod streams;
pub mod support;
pub mod tasks;
