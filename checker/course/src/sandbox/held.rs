//! The locks a grader holds for its whole run, which no confined child may keep.
//!
//! A lock taken with `flock` belongs to the open file, and a forked child shares it until it
//! closes its copy or calls `exec`. A confined child does a lot between fork and exec
//! (cgroups, a new network namespace, the view: seconds on a loaded machine), and the relay it
//! leaves behind never calls `exec` at all. So every confined child closes the grader's held
//! locks first thing after its fork ([`close_in_child`]): a lock ends with the grader that
//! took it, not with the slowest of its children, and a grader killed and started again at
//! once finds its scratch folder free.

use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicI32, Ordering};

/// The descriptors of the held locks (-1: a free place). A fixed array of atomics: a child
/// reads it between fork and exec, where nothing may allocate or lock.
static HELD: [AtomicI32; 4] = [const { AtomicI32::new(-1) }; 4];

/// A lock file held for a whole run (the scratch folder's, the uid range's); its children
/// close it at their fork while it is held.
#[derive(Debug)]
pub struct HeldLock {
    /// Kept open: the lock lasts as long as the file.
    _file: std::fs::File,
    place: Option<usize>,
}

impl HeldLock {
    /// Registers `file` (already locked). Beyond four held locks the fifth is still held,
    /// only shared with children until their `exec`.
    pub fn new(file: std::fs::File) -> HeldLock {
        let fd = file.as_raw_fd();
        let place = HELD.iter().position(|p| {
            p.compare_exchange(-1, fd, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        });
        HeldLock { _file: file, place }
    }
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        // Unregistered before the file closes: no child closes a descriptor number that
        // another file has taken since.
        if let Some(k) = self.place {
            HELD[k].store(-1, Ordering::SeqCst);
        }
    }
}

/// Closes the held locks' descriptors in a child just forked. Async-signal-safe: atomic
/// loads and `close` only.
pub(super) fn close_in_child() {
    for place in &HELD {
        let fd = place.load(Ordering::SeqCst);
        if fd >= 0 {
            // SAFETY: closing a descriptor of this (child) process; the parent's stays open.
            unsafe {
                nix::libc::close(fd);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held() -> Vec<i32> {
        HELD.iter()
            .map(|p| p.load(Ordering::SeqCst))
            .filter(|fd| *fd >= 0)
            .collect()
    }

    #[test]
    fn a_held_lock_is_listed_while_it_lives() {
        let file = tempfile_in_target();
        let fd = file.as_raw_fd();
        let lock = HeldLock::new(file);
        assert!(held().contains(&fd));
        drop(lock);
        assert!(!held().contains(&fd));
    }

    /// A child forked while the lock is held and closing it (as a confined child does before
    /// its setup) leaves the lock to the parent alone: once the parent drops it, another
    /// process takes it at once, even with the child still alive.
    #[test]
    fn a_child_that_closed_the_held_locks_does_not_keep_the_lock() {
        use nix::libc;
        let path = std::env::temp_dir().join(format!("held-lock-test-{}", std::process::id()));
        let open = || {
            std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .unwrap()
        };
        let flock = |f: &std::fs::File| unsafe {
            libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0
        };
        let file = open();
        assert!(flock(&file));
        let lock = HeldLock::new(file);
        // A child that stays without calling exec (as a relay does, or a confined child in
        // its setup): it closes the held locks, then waits.
        // SAFETY: the child makes async-signal-safe calls only, then _exit.
        let child = match unsafe { nix::unistd::fork() }.unwrap() {
            nix::unistd::ForkResult::Child => unsafe {
                close_in_child();
                libc::sleep(5);
                libc::_exit(0)
            },
            nix::unistd::ForkResult::Parent { child } => child,
        };
        drop(lock);
        let again = open();
        let free = flock(&again);
        let _ = nix::sys::signal::kill(child, nix::sys::signal::Signal::SIGKILL);
        let _ = nix::sys::wait::waitpid(child, None);
        let _ = std::fs::remove_file(&path);
        assert!(free, "the lock outlived its holder in a child");
    }

    fn tempfile_in_target() -> std::fs::File {
        let path = std::env::temp_dir().join(format!("held-lock-list-{}", std::process::id()));
        let file = std::fs::File::create(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        file
    }
}
