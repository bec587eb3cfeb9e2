//! What it costs to start a unit of concurrency and wait for it to end.
//!
//! `cargo bench -p bench --bench spawn`. Three rows, cheapest to dearest:
//! - a thread: `std::thread::spawn` + `join` (a stack and a kernel task; memory shared);
//! - a process: `fork` + `_exit` + `waitpid` (the page tables and descriptor table copied);
//! - a program: `Command::new("/bin/true").status()` (a process *and* an `exec`).
//!
//! The macro report (`cargo run -p bench --release -- report`) measures the same three with
//! Lab 3's own functions and puts Python's figures beside them.
//!
//! # Why forking from a benchmark is sound here
//! After `fork` the child holds a copy of *one* thread: if another thread held a lock at that
//! moment (the allocator's, stdout's), the child's copy stays locked forever. So `fork` is
//! only safe from a single-threaded process. This file is its own benchmark binary (no other
//! file's thread pools or runtimes live in it), and every benchmark here runs with
//! `threads = [1]`: divan then runs it on the main thread and starts no helper thread of its
//! own. The benchmark still checks `/proc/self/status` before forking, so a `--threads`
//! override on the command line fails loudly instead of risking a hung child.

use divan::Bencher;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork};
use std::process::Command;

fn main() {
    divan::main();
}

/// Spawn a thread that does nothing, then join it.
#[divan::bench(threads = [1])]
fn thread_spawn_join() {
    std::thread::spawn(|| {})
        .join()
        .expect("an empty thread cannot panic");
}

/// Fork a child that exits at once, then reap it.
#[divan::bench(threads = [1])]
fn fork_waitpid(bencher: Bencher) {
    // A thread joined by the previous benchmark may take a moment to leave the kernel's list:
    // this waits for it (up to 200 ms) and panics if the process is still multi-threaded.
    lab3_solution::sys::assert_single_threaded();
    bencher.bench_local(|| {
        // SAFETY: the process is single-threaded (asserted above; divan runs this benchmark
        // on the main thread with no helper threads), and the child only calls `_exit`.
        match unsafe { fork() }.expect("fork") {
            ForkResult::Child => lab3_solution::sys::exit_child(0),
            ForkResult::Parent { child } => {
                let status = waitpid(child, None).expect("waitpid");
                assert_eq!(status, WaitStatus::Exited(child, 0));
            }
        }
    });
}

/// Run the program `/bin/true` to completion (a new process plus `exec`).
#[divan::bench(threads = [1])]
fn program_spawn() {
    let status = Command::new("/bin/true").status().expect("/bin/true");
    assert!(status.success());
}
