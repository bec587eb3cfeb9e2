//! The grader's cgroups: a pids and a memory group per slot, and one for the builds.

use std::ffi::CString;
use std::path::{Path, PathBuf};

use nix::libc;

use super::Limits;

/// Where the cgroups of this grader live (one folder per slot under each).
#[derive(Debug)]
pub(super) struct Cgroups {
    /// `/sys/fs/cgroup/pids/course-grader-<pid>` (v1) or the unified folder (v2).
    pub(super) pids: Option<PathBuf>,
    /// `/sys/fs/cgroup/memory/course-grader-<pid>` (v1) or the unified folder (v2).
    pub(super) memory: Option<PathBuf>,
    /// cgroup v2: one folder holds both.
    pub(super) unified: bool,
}
impl Cgroups {
    pub(super) fn create(limits: &Limits, slots: usize) -> Option<Cgroups> {
        let name = format!("course-grader-{}", std::process::id());
        let base = Path::new("/sys/fs/cgroup");
        cleanup_stale(base);
        if base.join("cgroup.controllers").exists() {
            // v2: one tree; the controllers must be enabled for our folder's children.
            let dir = base.join(&name);
            std::fs::create_dir(&dir).ok()?;
            let _ = std::fs::write(base.join("cgroup.subtree_control"), "+pids +memory");
            let _ = std::fs::write(dir.join("cgroup.subtree_control"), "+pids +memory");
            let mut ok = (true, true);
            for slot in 0..slots {
                let s = dir.join(format!("slot{slot}"));
                if std::fs::create_dir(&s).is_err() {
                    ok = (false, false);
                    break;
                }
                ok.0 &= std::fs::write(s.join("pids.max"), limits.max_procs.to_string()).is_ok();
                ok.1 &= std::fs::write(s.join("memory.max"), (limits.memory_mib << 20).to_string())
                    .is_ok();
                let _ = std::fs::write(s.join("memory.swap.max"), "0");
            }
            let b = dir.join("build");
            let _ = std::fs::create_dir(&b);
            let _ = std::fs::write(
                b.join("memory.max"),
                (limits.build_memory_mib << 20).to_string(),
            );
            return Some(Cgroups {
                pids: ok.0.then(|| dir.clone()),
                memory: ok.1.then(|| dir.clone()),
                unified: true,
            });
        }
        let make = |controller: &str, setup: &dyn Fn(&Path) -> bool| -> Option<PathBuf> {
            let dir = base.join(controller).join(&name);
            std::fs::create_dir(&dir).ok()?;
            for slot in 0..slots {
                let s = dir.join(format!("slot{slot}"));
                if std::fs::create_dir(&s).is_err() || !setup(&s) {
                    return None;
                }
            }
            Some(dir)
        };
        let pids = make("pids", &|s| {
            std::fs::write(s.join("pids.max"), limits.max_procs.to_string()).is_ok()
        });
        let memory = make("memory", &|s| {
            let bytes = (limits.memory_mib << 20).to_string();
            let ok = std::fs::write(s.join("memory.limit_in_bytes"), &bytes).is_ok();
            let _ = std::fs::write(s.join("memory.memsw.limit_in_bytes"), &bytes);
            ok
        });
        if let Some(m) = &memory {
            let b = m.join("build");
            let _ = std::fs::create_dir(&b);
            let _ = std::fs::write(
                b.join("memory.limit_in_bytes"),
                (limits.build_memory_mib << 20).to_string(),
            );
        }
        if pids.is_none() && memory.is_none() {
            return None;
        }
        Some(Cgroups {
            pids,
            memory,
            unified: false,
        })
    }

    fn slot(&self, root: &Path, slot: usize) -> PathBuf {
        root.join(format!("slot{slot}"))
    }

    /// The `cgroup.procs` files a slot's process joins.
    pub(super) fn procs_files(&self, slot: usize) -> Vec<PathBuf> {
        let mut v = Vec::new();
        if let Some(p) = &self.pids {
            v.push(self.slot(p, slot).join("cgroup.procs"));
        }
        if let Some(m) = &self.memory
            && !self.unified
        {
            v.push(self.slot(m, slot).join("cgroup.procs"));
        }
        v
    }

    pub(super) fn build_procs_file(&self) -> Option<PathBuf> {
        self.memory
            .as_ref()
            .map(|m| m.join("build").join("cgroup.procs"))
            .filter(|p| p.exists())
    }

    /// How many times the OOM killer struck in the slot so far.
    pub(super) fn oom_kills(&self, slot: usize) -> u64 {
        let Some(m) = &self.memory else { return 0 };
        let file = if self.unified {
            "memory.events"
        } else {
            "memory.oom_control"
        };
        let text = std::fs::read_to_string(self.slot(m, slot).join(file)).unwrap_or_default();
        let kills = text
            .lines()
            .find_map(|l| l.strip_prefix("oom_kill "))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        if self.unified || text.contains("oom_kill ") {
            return kills;
        }
        // Older v1 kernels have no oom_kill counter: the failure counter is the evidence.
        std::fs::read_to_string(self.slot(m, slot).join("memory.failcnt"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0)
    }

    /// Every pid in the slot's pids cgroup.
    pub(super) fn pids_in(&self, slot: usize) -> Vec<i32> {
        let Some(p) = &self.pids else {
            return Vec::new();
        };
        std::fs::read_to_string(self.slot(p, slot).join("cgroup.procs"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect()
    }

    pub(super) fn remove(&self, slots: usize) {
        for root in [&self.pids, &self.memory].into_iter().flatten() {
            for slot in 0..slots {
                let _ = std::fs::remove_dir(self.slot(root, slot));
            }
            let _ = std::fs::remove_dir(root.join("build"));
            let _ = std::fs::remove_dir(root);
        }
    }
}

/// Removes the empty cgroup folders of graders that are gone (a killed run leaves them).
fn cleanup_stale(base: &Path) {
    let roots = [base.to_path_buf(), base.join("pids"), base.join("memory")];
    for root in roots {
        let Ok(entries) = std::fs::read_dir(&root) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(pid) = name
                .strip_prefix("course-grader-")
                .and_then(|p| p.parse::<i32>().ok())
            else {
                continue;
            };
            if Path::new(&format!("/proc/{pid}")).exists() {
                continue;
            }
            if let Ok(children) = std::fs::read_dir(e.path()) {
                for c in children.flatten() {
                    if c.path().is_dir() {
                        let _ = std::fs::remove_dir(c.path());
                    }
                }
            }
            let _ = std::fs::remove_dir(e.path());
        }
    }
}

/// Writes "0" to each `cgroup.procs` file: the calling process joins those cgroups.
pub(super) fn join_cgroups(files: &[CString]) -> Result<(), i32> {
    for f in files {
        // SAFETY: open/write/close on a valid path; async-signal-safe.
        unsafe {
            let fd = libc::open(f.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
            if fd < 0 {
                return Err(*libc::__errno_location());
            }
            let ok = libc::write(fd, b"0".as_ptr().cast(), 1) == 1;
            libc::close(fd);
            if !ok {
                return Err(*libc::__errno_location());
            }
        }
    }
    Ok(())
}
