//! Task 3.7 — what a process costs, next to a thread and a program.
//! Задание 3.7 — Сколько стоит процесс.
//!
//! ## Why this works
//! Each function repeats one complete round trip `rounds` times and divides the total by
//! `rounds`: one round is too short for the clock to measure well, and the mean of many is
//! what the demo compares.
//!
//! - **fork + waitpid**: the kernel copies the parent's page tables and descriptor table (not
//!   its memory: copy-on-write), schedules the child, which `_exit`s at once, and the parent
//!   reaps it. The cost grows with the parent's memory size (more page tables to copy).
//! - **thread spawn + join**: a stack and a kernel task that shares everything else; no
//!   tables to copy, so it is several times cheaper.
//! - **spawning a program** (`Command::status`): a new process *and* `exec`: loading a binary,
//!   the dynamic linker, a fresh address space. Rust's `Command` uses `posix_spawn`
//!   (vfork-like: no page tables copied), yet the exec makes it the dearest of the three.

use crate::fork::wait_child;
use crate::sys;
use nix::unistd::{ForkResult, fork};
use std::process::Command;
use std::time::{Duration, Instant};

/// Task 3.7: the mean time of one `fork` + `waitpid` of a child that exits at once, over
/// `rounds` rounds (`Duration::ZERO` for 0 rounds). Every child is reaped.
/// Call it from a single-threaded process only.
pub fn fork_wait(rounds: u32) -> nix::Result<Duration> {
    sys::assert_single_threaded();
    let t0 = Instant::now();
    for _round in 0..rounds {
        // SAFETY: single-threaded process (asserted above); the child only calls _exit.
        match unsafe { fork() }? {
            ForkResult::Child => sys::exit_child(0),
            ForkResult::Parent { child } => {
                wait_child(child)?;
            }
        }
    }
    Ok(t0.elapsed().checked_div(rounds).unwrap_or_default())
}

/// Task 3.7: the mean time of one `std::thread::spawn` + `join` of a thread that returns at
/// once, over `rounds` rounds (`Duration::ZERO` for 0 rounds). Every thread is joined.
pub fn thread_spawn_join(rounds: u32) -> Duration {
    let t0 = Instant::now();
    for _ in 0..rounds {
        std::thread::spawn(|| {})
            .join()
            .expect("an empty thread cannot panic");
    }
    t0.elapsed().checked_div(rounds).unwrap_or_default()
}

/// Task 3.7: the mean time of running `program` (a path, e.g. `/bin/true`, with no
/// arguments) to completion with `std::process::Command`, over `rounds` rounds
/// (`Duration::ZERO` for 0 rounds). An error if it cannot start or does not exit with 0.
pub fn spawn_program(program: &str, rounds: u32) -> std::io::Result<Duration> {
    let t0 = Instant::now();
    for _ in 0..rounds {
        let status = Command::new(program).status()?;
        if !status.success() {
            return Err(std::io::Error::other(format!("{program}: {status}")));
        }
    }
    Ok(t0.elapsed().checked_div(rounds).unwrap_or_default())
}
