//! Finding a slot's processes by uid, and reaping the zombies that come back to the grader
//! (a child subreaper).

/// Pids of every process (zombies included) whose real uid is `uid`.
pub fn processes_of(uid: u32) -> Vec<i32> {
    processes_in(uid..=uid)
}

/// Pids of every process (zombies included) whose real uid is in `uids`.
pub fn processes_in(uids: std::ops::RangeInclusive<u32>) -> Vec<i32> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in entries.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(status) = std::fs::read_to_string(e.path().join("status")) else {
            continue;
        };
        let real = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|u| u.parse::<u32>().ok());
        if real.is_some_and(|u| uids.contains(&u)) {
            out.push(pid);
        }
    }
    out
}

/// Reaps zombies that were reparented to the grader (a child subreaper) by processes it did
/// not start itself: a compiler whose cargo was killed, a daemon of a build. Never one of the
/// grader's own children (cargo, git, cp: std waits for those by pid) nor a check's process
/// (their slot reaps them).
pub fn reap_strays() {
    let me = std::process::id() as i32;
    // The sandbox's relays (see `View::enter`) are our children under our own name.
    let own_comm = std::fs::read_to_string("/proc/self/comm").unwrap_or_default();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    for e in entries.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        let Some((head, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let comm = head.split_once('(').map_or("", |(_, c)| c);
        let mut fields = rest.split_whitespace();
        let (state, ppid) = (
            fields.next(),
            fields.next().and_then(|p| p.parse::<i32>().ok()),
        );
        if state != Some("Z")
            || ppid != Some(me)
            || ["cargo", "git", "cp", "course"].contains(&comm)
            || comm == own_comm.trim()
        {
            continue;
        }
        let uid = std::fs::read_to_string(e.path().join("status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("Uid:"))
                    .and_then(|l| l.split_whitespace().next())
                    .and_then(|u| u.parse::<u32>().ok())
            });
        if uid == Some(nix::unistd::geteuid().as_raw()) {
            let _ = nix::sys::wait::waitpid(
                nix::unistd::Pid::from_raw(pid),
                Some(nix::sys::wait::WaitPidFlag::WNOHANG),
            );
        }
    }
}

pub(super) fn is_zombie(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().starts_with('Z'))
        })
        .unwrap_or(true)
}

/// Reaps the zombies that are our children and belong to `uid` (orphans reparented to the
/// grader). Never `waitpid(-1)`: that could steal the status of another job's check.
pub(super) fn reap_orphans(uid: Option<u32>) {
    let Some(uid) = uid else { return };
    let me = std::process::id() as i32;
    for pid in processes_of(uid) {
        let ppid = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| {
                s.rsplit_once(')').and_then(|(_, rest)| {
                    rest.split_whitespace()
                        .nth(1)
                        .and_then(|p| p.parse::<i32>().ok())
                })
            });
        if ppid == Some(me) && is_zombie(pid) {
            let _ = nix::sys::wait::waitpid(
                nix::unistd::Pid::from_raw(pid),
                Some(nix::sys::wait::WaitPidFlag::WNOHANG),
            );
        }
    }
}
