//! # checker — the checks of every lab
//!
//! Each lab's checks are one file, `checker/tests/labN.rs`, with one module per task: the
//! tests in `mod task_1_3` are the checks of task 1.3 in `course.toml`, and the task's points
//! are earned when all of them pass. The files are the modules of one test binary,
//! `checker/tests/labs.rs` (`lab1::task_1_3::…`), so `cargo test -p checker` shows every lab.
//!
//! ## What is checked: labs/ or solutions/
//! The checks say `use checker::lab1;` and never name a crate directly. This library decides
//! what `lab1` means: the student's crate `labs/lab1-sync` by default, the reference
//! `solutions/lab1-sync` with `--features solutions`. The same checks prove the solution
//! right and grade the student.
//!
//! ## The harness
//! - [`check!`] runs a check's body, a closure (`check!(|| { ... })`, formatted by rustfmt
//!   like any code), on its own thread with the task's deadline from `course.toml`: a
//!   deadlock becomes a "timed out" failure with the task's hint, never a hung test run; a
//!   `todo!()` becomes "not implemented yet". [`harness`] also builds the checks' tokio
//!   runtimes (virtual time, or one thread in real time).
//! - [`snapshot`] holds the filters that make demo output comparable (times, ports, pids),
//!   and [`snapshot::DemoPart`] compares a task's part of its lab's demo with its snapshot.
//! - Helpers that a lab's public and hidden checks share are files of
//!   `checker/tests/support/`, mounted by both with `#[path]`.
//! - The binary `run-lab` runs a lab's demo, or one of its scenarios, in a fresh process
//!   (Lab 3 must fork from a single-threaded process; the test harness is not one). The
//!   scenarios only the checks run are modules of [`scenarios`] (`scenarios::lab3`).

pub mod harness;
pub mod scenarios;
pub mod snapshot;

pub use kit;

#[cfg(all(feature = "lab1", not(feature = "solutions")))]
pub use labs_lab1 as lab1;
#[cfg(all(feature = "lab2", not(feature = "solutions")))]
pub use labs_lab2 as lab2;
#[cfg(all(feature = "lab3", not(feature = "solutions")))]
pub use labs_lab3 as lab3;
#[cfg(all(feature = "lab4", not(feature = "solutions")))]
pub use labs_lab4 as lab4;
#[cfg(all(feature = "lab5", not(feature = "solutions")))]
pub use labs_lab5 as lab5;
#[cfg(all(feature = "lab1", feature = "solutions"))]
pub use solutions_lab1 as lab1;
#[cfg(all(feature = "lab2", feature = "solutions"))]
pub use solutions_lab2 as lab2;
#[cfg(all(feature = "lab3", feature = "solutions"))]
pub use solutions_lab3 as lab3;
#[cfg(all(feature = "lab4", feature = "solutions"))]
pub use solutions_lab4 as lab4;
#[cfg(all(feature = "lab5", feature = "solutions"))]
pub use solutions_lab5 as lab5;

/// What this build checks, e.g. `solutions: lab1 lab3`: the target and the labs compiled in.
/// `run-lab --variant` prints it, so a check can find the `run-lab` built with its own
/// features (see [`snapshot::run_lab_path`]).
pub fn variant() -> String {
    let labs: Vec<&str> = [
        (cfg!(feature = "lab1"), "lab1"),
        (cfg!(feature = "lab2"), "lab2"),
        (cfg!(feature = "lab3"), "lab3"),
        (cfg!(feature = "lab4"), "lab4"),
        (cfg!(feature = "lab5"), "lab5"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, name)| *name)
    .collect();
    format!("{TARGET}: {}", labs.join(" "))
}

/// `"solutions"` or `"labs"`: what this build of the checks is checking.
pub const TARGET: &str = if cfg!(feature = "solutions") {
    "solutions"
} else {
    "labs"
};
