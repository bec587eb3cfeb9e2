//! The checker's `run-lab` binary, which runs a lab's demo or one of its scenarios in a fresh
//! process. Cargo tells only a test target where it is: each target that runs it mounts this
//! file (`checker/tests/labs.rs`, `checker/hidden/lab3.rs`).

/// `target/debug/run-lab`; [`checker::snapshot::run_lab`] prefers the copy built with this
/// target's own features.
pub const RUN_LAB: &str = env!("CARGO_BIN_EXE_run-lab");
