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
//! Provided, read but do not edit: `src/race.rs` (the racy counter and the stress
//! experiment), `src/workload.rs` (counting primes), `src/account.rs` (accounts and the
//! deadlocking transfer), `src/demo.rs`.
//!
//! `cargo run -p lab2` runs the demo on your code; `cargo course check lab2` checks it.
//! Chapter: `docs/src/lab2-threads.md`. Python mirror: `labs/lab2-threads/python/`.

// The skeleton's todo!()s are the exercise: each one is a task for you.
#![allow(clippy::todo)]

pub mod account;
pub mod bank;
pub mod counters;
pub mod demo;
pub mod gil;
pub mod parallel;
pub mod pipeline;
pub mod pool;
pub mod race;
pub mod spawn;
pub mod workload;
