//! The checks of every lab, in one test binary: `mod labN` is `checker/tests/labN.rs`, and its
//! `mod task_N_K` holds the checks of task N.K (`lab2::task_2_3::…`).
//!
//! One binary, so that `cargo test -p checker` runs every lab's checks and shows every lab's
//! results, even while another lab's fail (cargo stops at the first failing test binary).
//! A lab's module is compiled only with its feature (`labN`, on by default): the course tool
//! and the grader build one lab at a time (`--no-default-features --features lab2`).
//!
//! What the checks share lives in `checker/tests/support/` (mounted here and, where the
//! instructor's hidden checks share it too, by `checker/hidden/labN.rs`) and in the
//! library (`checker::harness`, `checker::snapshot`).

#[path = "support/run_lab.rs"]
mod run_lab;

#[cfg(feature = "lab1")]
mod lab1;
#[cfg(feature = "lab2")]
mod lab2;
#[cfg(feature = "lab3")]
mod lab3;
#[cfg(feature = "lab4")]
mod lab4;
#[cfg(feature = "lab5")]
mod lab5;
