//! The grader's range of uids: one per slot, one for the builds, one as the hidden group.

use nix::libc;

use super::reap::processes_in;

/// The first uid of the grader's slots. Unassigned on common distributions; each slot's
/// processes are then the only processes of their uid, so killing "every process of the
/// uid" is exact.
pub const DEFAULT_UID_BASE: u32 = 64_000;

/// uids one grader reserves: `base` (the hidden group) and one per slot.
pub const UIDS_PER_GRADER: u32 = 64;

/// Finds a free range of uids (`base`, `base + 64`, …) and locks it with a lock file. Every
/// range nobody holds is swept on the way: processes left there belong to a grader that was
/// killed (a check's grandchild has no parent-death signal), and nobody else may own them.
pub(super) fn lock_uid_range(first: u32) -> Option<(u32, std::fs::File)> {
    use std::os::fd::AsRawFd;
    let mut mine = None;
    for i in 0..16 {
        let base = first + i * UIDS_PER_GRADER;
        let path = std::env::temp_dir().join(format!("course-grader-uids-{base}.lock"));
        let Ok(file) = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
        else {
            continue;
        };
        // SAFETY: flock on a valid descriptor we own.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            continue; // another grader's
        }
        for pid in processes_in(base..=base + UIDS_PER_GRADER - 1) {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        if mine.is_none() {
            mine = Some((base, file));
        }
        // Other free ranges: swept, and released when `file` drops here.
    }
    mine
}
