//! Operating-system helpers the lab provides (not a student file: read it, do not edit it).
//!
//! Two kinds of helper live here:
//! - **for your tasks**: [`write_all`], [`read_to_end`] and [`exit_child`], the three calls a
//!   forked child and its parent make around a pipe, and [`assert_single_threaded`], the
//!   precondition of every `fork` in this lab;
//! - **for the demo and the checks' scenarios**: what `/proc` says about this process (its
//!   threads, its children and their state, its open file descriptors), and how to run
//!   something in a process group of its own and clean up after it, whatever it left behind.
//!
//! Everything here is Linux: `/proc` is where the kernel shows a process its own insides.

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill, killpg};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork, getpid, read, setpgid, write};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::os::fd::AsFd;
use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// Exit code of a forked child that *returned* into its caller's code instead of ending
/// with [`exit_child`]. The demo and the checks stop such a child at once with this code:
/// a second copy of the caller running on would print its results twice, run destructors
/// twice, and worse.
pub const ESCAPED_CHILD_EXIT: i32 = 86;

/// The exit code of a child whose function panicked (what a Rust program exits with when
/// `main` panics).
pub const PANIC_EXIT: i32 = 101;

/// Writes all of `buf` to `fd`, again and again after a partial write or an interrupted call.
///
/// Async-signal-safe: no allocation, no lock, only `write(2)`. A forked child may call it.
/// A write to a pipe whose read ends are all closed fails with `EPIPE` (Rust programs ignore
/// `SIGPIPE`, so it is an error and not a silent death).
pub fn write_all(fd: impl AsFd, mut buf: &[u8]) -> nix::Result<()> {
    let fd = fd.as_fd();
    while !buf.is_empty() {
        match write(fd, buf) {
            Ok(0) => return Err(Errno::EIO),
            Ok(n) => buf = &buf[n..],
            Err(Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Reads `fd` until end of file and returns everything read.
///
/// End of file on a pipe comes only when **every** write end of it is closed, in every
/// process that holds one. A forgotten write end (in the reader itself, or in any child that
/// inherited it) means this never returns.
pub fn read_to_end(fd: impl AsFd) -> nix::Result<Vec<u8>> {
    let fd = fd.as_fd();
    let mut out = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        match read(fd, &mut buf) {
            Ok(0) => return Ok(out),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
}

/// Ends this (forked child) process at once with `code`: `_exit(2)`.
///
/// Not `std::process::exit`: that runs `atexit` handlers and flushes stdio buffers that are
/// copies of the parent's (their text would be printed twice), and it is not
/// async-signal-safe. `_exit` just ends the process; the kernel closes its descriptors.
pub fn exit_child(code: i32) -> ! {
    // SAFETY: `_exit` has no preconditions: it ends the process without running any code of
    // this program, and is async-signal-safe, so it is fine in a forked child.
    unsafe { nix::libc::_exit(code) }
}

/// How many threads this process has (the `Threads:` line of `/proc/self/status`).
pub fn thread_count() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Threads:"))
                .and_then(|n| n.trim().parse().ok())
        })
        .unwrap_or(1)
}

/// Panics unless this process has exactly one thread.
///
/// `fork` copies only the thread that calls it. If another thread held a lock at that moment
/// (the allocator's, stdout's), the child's copy of the lock stays locked forever, and the
/// child hangs the first time it allocates or prints. With one thread there is no such lock,
/// and the child may do anything its parent could. Every function of this lab that forks
/// calls this first: the demo and the checks' scenario runner are single-threaded processes,
/// the test harness is not.
pub fn assert_single_threaded() {
    // A thread that was just joined can still be leaving the kernel's thread list for a few
    // microseconds: give it a moment before deciding.
    wait_single_threaded(Duration::from_millis(200));
    let n = thread_count();
    assert!(
        n == 1,
        "fork from a process with {n} threads: the child would inherit locks held by the other \
         threads and could hang on them. Run process experiments from a single-threaded process \
         (the demo, or `run-lab lab3 --scenario ...`), never from a test thread or a tokio runtime"
    );
}

/// Waits (at most `limit`) until this process is single-threaded again, e.g. after a helper
/// thread was told to finish. `true` if it is.
pub fn wait_single_threaded(limit: Duration) -> bool {
    let t0 = Instant::now();
    while thread_count() > 1 {
        if t0.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    true
}

/// A child process of this process, as `/proc` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildProc {
    /// Its process id.
    pub pid: Pid,
    /// Its state letter: `R` running, `S` sleeping, `Z` zombie (exited, not yet reaped), ...
    pub state: char,
}

impl ChildProc {
    /// `true` for a zombie: the child has exited and waits for its parent's `waitpid`.
    pub fn is_zombie(&self) -> bool {
        self.state == 'Z'
    }
}

/// `(state, ppid, pgid)` of process `pid` from `/proc/<pid>/stat`.
fn stat_of(pid: i32) -> Option<(char, i32, i32)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) S ppid pgrp ...": comm may hold spaces and parentheses, so cut at the last ')'.
    let rest = &text[text.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let ppid = fields.next()?.parse().ok()?;
    let pgid = fields.next()?.parse().ok()?;
    Some((state, ppid, pgid))
}

/// The children of this process, zombies included (every child not yet reaped).
pub fn children() -> Vec<ChildProc> {
    let me = getpid().as_raw();
    let mut pids: Vec<i32> = Vec::new();
    // Each thread's children are listed under its own task; read them all.
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for task in tasks.flatten() {
            if let Ok(list) = std::fs::read_to_string(task.path().join("children")) {
                pids.extend(
                    list.split_whitespace()
                        .filter_map(|p| p.parse::<i32>().ok()),
                );
            }
        }
    }
    // Kernels built without CONFIG_PROC_CHILDREN have no such file: scan every process.
    if !std::path::Path::new(&format!("/proc/self/task/{me}/children")).exists()
        && let Ok(all) = std::fs::read_dir("/proc")
    {
        pids.extend(
            all.flatten()
                .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()))
                .filter(|&pid| stat_of(pid).is_some_and(|(_, ppid, _)| ppid == me)),
        );
    }
    pids.sort_unstable();
    pids.dedup();
    pids.into_iter()
        .filter_map(|pid| {
            stat_of(pid).map(|(state, _, _)| ChildProc {
                pid: Pid::from_raw(pid),
                state,
            })
        })
        .collect()
}

/// This process's open file descriptors: number → what it is (`pipe:[1234]`, `/dev/null`, ...).
pub fn open_fds() -> BTreeMap<i32, String> {
    let mut fds = BTreeMap::new();
    let Ok(dir) = std::fs::read_dir("/proc/self/fd") else {
        return fds;
    };
    // Reading the directory opens one descriptor of its own: it points at the fd directory.
    let own = format!("/proc/{}/fd", getpid());
    for entry in dir.flatten() {
        let Some(fd) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<i32>().ok())
        else {
            continue;
        };
        let target = std::fs::read_link(entry.path())
            .map(|t| t.display().to_string())
            .unwrap_or_else(|_| "?".to_owned());
        if target != own {
            fds.insert(fd, target);
        }
    }
    fds
}

/// Forks a child that runs `work` in a new process group of its own, then ends with
/// `_exit(work())` (101 if `work` panics). Returns the child's pid, which is also the group id.
///
/// A group of its own lets the caller kill the child *and everything it started* with one
/// `killpg`. The demo runs each experiment this way, and the checks run each scenario this
/// way: a hang (a read that never sees EOF) can then be stopped without stopping the caller.
pub fn fork_in_new_group(work: impl FnOnce() -> i32) -> nix::Result<Pid> {
    assert_single_threaded();
    // Text still in our stdout buffer would be copied into the child and printed twice.
    let _ = std::io::stdout().flush();
    // SAFETY: this process is single-threaded (checked just above), so the child is a
    // complete copy of its only thread and holds no lock another thread could own.
    match unsafe { fork() }? {
        ForkResult::Child => {
            // Both sides call setpgid: whichever runs first, the group exists before the
            // parent may need to kill it.
            let _ = setpgid(Pid::from_raw(0), Pid::from_raw(0));
            let code = panic::catch_unwind(AssertUnwindSafe(work)).unwrap_or(PANIC_EXIT);
            let _ = std::io::stdout().flush();
            exit_child(code)
        }
        ForkResult::Parent { child } => {
            let _ = setpgid(child, child);
            Ok(child)
        }
    }
}

/// Waits for child `pid` at most `deadline`; `None` if it is still running then.
pub fn wait_with_deadline(pid: Pid, deadline: Duration) -> Option<WaitStatus> {
    let t0 = Instant::now();
    loop {
        match waitpid(pid, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) => {}
            Ok(status @ (WaitStatus::Exited(..) | WaitStatus::Signaled(..))) => {
                return Some(status);
            }
            Ok(_) | Err(Errno::EINTR) => {}
            Err(_) => return None,
        }
        if t0.elapsed() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Makes this process the "subreaper" of its descendants: when one of them loses its parent,
/// it becomes our child (instead of init's), so [`kill_group_and_reap`] can reap it.
pub fn become_subreaper() {
    let _ = nix::sys::prctl::set_child_subreaper(true);
}

/// Kills every process of group `pgid`, then kills and reaps every child this process has
/// (orphans handed to it as a subreaper included) until it has none. Returns how many
/// processes it reaped.
///
/// Without the reaping, a killed process whose parent died too stays a zombie of init; on
/// some containers init never reaps, and each hang would leave one behind.
pub fn kill_group_and_reap(pgid: Pid) -> usize {
    let _ = killpg(pgid, Signal::SIGKILL);
    let mut reaped = 0;
    let t0 = Instant::now();
    loop {
        match waitpid(Pid::from_raw(-1), Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) => {
                // Something else is still alive: it left the group (setsid) or is an orphan
                // handed to us. It is our child either way: kill it by pid.
                for child in children() {
                    let _ = kill(child.pid, Signal::SIGKILL);
                }
                if t0.elapsed() > Duration::from_secs(10) {
                    return reaped; // cannot happen unless the kernel is stuck; never hang here
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            Ok(_) => reaped += 1,
            Err(Errno::EINTR) => {}
            Err(_) => return reaped, // ECHILD: nothing left to reap
        }
    }
}
