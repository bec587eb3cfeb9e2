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
use std::os::unix::fs::MetadataExt;
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};

/// One held lock as a child sees it: the descriptor (-1: a free place, -2: being filled) and
/// the file it must be (device, inode). A child closes the descriptor only while it is still
/// that file: an earlier step between fork and exec may have put another file on that number
/// (the seal's pipe goes to descriptor 3), and that one stays open. Atomics: a child reads
/// them between fork and exec, where nothing may allocate or lock.
struct Place {
    fd: AtomicI32,
    dev: AtomicU64,
    ino: AtomicU64,
}

static HELD: [Place; 4] = [const {
    Place {
        fd: AtomicI32::new(-1),
        dev: AtomicU64::new(0),
        ino: AtomicU64::new(0),
    }
}; 4];

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
        let place = file.metadata().ok().and_then(|m| {
            let k = HELD.iter().position(|p| {
                p.fd.compare_exchange(-1, -2, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
            })?;
            HELD[k].dev.store(m.dev(), Ordering::SeqCst);
            HELD[k].ino.store(m.ino(), Ordering::SeqCst);
            HELD[k].fd.store(file.as_raw_fd(), Ordering::SeqCst);
            Some(k)
        });
        HeldLock { _file: file, place }
    }
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        // Unregistered before the file closes.
        if let Some(k) = self.place {
            HELD[k].fd.store(-1, Ordering::SeqCst);
        }
    }
}

/// Closes, in a child just forked, each held lock's descriptor that is still the lock's file.
/// Async-signal-safe: atomic loads, `fstat` and `close` only.
pub(super) fn close_in_child() {
    for place in &HELD {
        let fd = place.fd.load(Ordering::SeqCst);
        if fd < 0 {
            continue;
        }
        // SAFETY: fstat into our own stack memory, close of a descriptor of this (child)
        // process; the parent's stays open.
        unsafe {
            let mut st: nix::libc::stat = std::mem::zeroed();
            if nix::libc::fstat(fd, &mut st) == 0
                && st.st_dev == place.dev.load(Ordering::SeqCst)
                && st.st_ino == place.ino.load(Ordering::SeqCst)
            {
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
            .map(|p| p.fd.load(Ordering::SeqCst))
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
    /// process takes it, even with the child still alive. ("At once" allows a few seconds:
    /// the other tests of this process start children too, and each holds a copy of every
    /// descriptor from its fork to its `exec`. The child here would hold it for a minute.)
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
        // It says when it has closed them (a byte on a pipe).
        let (ready_r, ready_w) = nix::unistd::pipe().unwrap();
        let child = match unsafe { nix::unistd::fork() }.unwrap() {
            nix::unistd::ForkResult::Child => unsafe {
                close_in_child();
                libc::write(ready_w.as_raw_fd(), b"x".as_ptr().cast(), 1);
                libc::sleep(60);
                libc::_exit(0)
            },
            nix::unistd::ForkResult::Parent { child } => child,
        };
        drop(ready_w);
        let mut byte = [0u8; 1];
        assert_eq!(nix::unistd::read(&ready_r, &mut byte), Ok(1));
        drop(lock);
        let again = open();
        let since = std::time::Instant::now();
        let mut free = flock(&again);
        while !free && since.elapsed() < std::time::Duration::from_secs(3) {
            std::thread::sleep(std::time::Duration::from_millis(10));
            free = flock(&again);
        }
        let _ = nix::sys::signal::kill(child, nix::sys::signal::Signal::SIGKILL);
        let _ = nix::sys::wait::waitpid(child, None);
        let _ = std::fs::remove_file(&path);
        assert!(free, "the lock outlived its holder in a child");
    }

    /// A descriptor number that an earlier step of the child gave another file (the seal's
    /// pipe on descriptor 3) is that file's: it stays open.
    #[test]
    fn a_descriptor_reused_before_the_close_stays_open() {
        use nix::libc;
        let file = tempfile_in_target();
        let number = file.as_raw_fd();
        let lock = HeldLock::new(file);
        let (read, write) = nix::unistd::pipe().unwrap();
        // SAFETY: the child makes async-signal-safe calls only, then _exit.
        let child = match unsafe { nix::unistd::fork() }.unwrap() {
            nix::unistd::ForkResult::Child => unsafe {
                libc::dup2(write.as_raw_fd(), number);
                close_in_child();
                let ok = libc::write(number, b"x".as_ptr().cast(), 1) == 1;
                libc::_exit(if ok { 0 } else { 1 })
            },
            nix::unistd::ForkResult::Parent { child } => child,
        };
        let status = nix::sys::wait::waitpid(child, None).unwrap();
        drop((lock, write));
        let mut got = [0u8; 1];
        let n = nix::unistd::read(&read, &mut got).unwrap_or(0);
        assert_eq!(
            (status, n),
            (nix::sys::wait::WaitStatus::Exited(child, 0), 1),
            "the pipe put on the lock's number was closed"
        );
    }

    fn tempfile_in_target() -> std::fs::File {
        let path = std::env::temp_dir().join(format!("held-lock-list-{}", std::process::id()));
        let file = std::fs::File::create(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        file
    }
}
