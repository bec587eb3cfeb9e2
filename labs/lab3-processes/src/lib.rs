//! # Lab 3 — processes: fork, pipes, wait and exec
//!
//! A process is a program running in memory of its own. `fork` makes a copy of the calling
//! process: same code, same variables, but from then on two memories, so a change in one is
//! invisible in the other (copy-on-write makes the copy cheap). Processes talk through pipes,
//! end with an exit status that their parent collects with `waitpid`, and can become another
//! program with `exec`. Python's `multiprocessing` is built on exactly this, and it is how
//! Python runs CPU-bound work on several cores despite the GIL: one interpreter, and one GIL,
//! per process.
//!
//! Your tasks, their files and what to write in each: the chapter, `docs/src/lab3-processes.md`.
//!
//! The layout of `src/`:
//! - `src/*.rs`: your files, one or more tasks each (the chapter says which);
//! - `src/provided/`: provided code (read it, do not edit it): `sys.rs`, pipe reads and
//!   writes, `_exit`, what `/proc` says about a process;
//! - `src/demo/`: the demo, not yours. The checks' scenarios live in the checker
//!   (`checker/src/scenarios/lab3.rs`).
//!
//! **Fork only from a single-threaded process.** Every function here that forks calls
//! [`sys::assert_single_threaded`] first. The demo and the checks' scenarios
//! (`run-lab lab3 --scenario`) run in fresh single-threaded processes; never call these
//! functions from a test thread or a runtime.
//!
//! `cargo run -p lab3` runs the demo on your code; `cargo course check lab3` checks it.
//! Chapter: `docs/src/lab3-processes.md`. Python mirror: `labs/lab3-processes/python/`.

// The skeleton's todo!()s are the exercise: each one is a task for you.
#![allow(clippy::todo)]

pub mod cost;
pub mod demo;
pub mod fanout;
pub mod fork;
pub mod isolation;
pub mod pipe;
pub mod provided;
pub mod reap;
pub mod shell;

// The short path `crate::sys` of the flat layout: task files written for either compile.
pub use provided::sys;
