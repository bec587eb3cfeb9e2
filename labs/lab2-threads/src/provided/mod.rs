//! Provided code: read it, call it, do not edit it (the grader uses its own copy).
//!
//! - [`race`]: the racy counter, the `Counter` trait your counters implement, and `hammer`,
//!   the stress experiment that shows a lost update;
//! - [`workload`]: the CPU-bound work, counting primes in a window of numbers;
//! - [`account`]: bank accounts and `transfer_naive`, the transfer that can deadlock.

pub mod account;
pub mod race;
pub mod workload;
