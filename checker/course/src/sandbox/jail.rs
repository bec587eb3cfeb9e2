//! A job's jail, and the policies it hands to `supervise`: a [`BuildScope`] per build, a
//! [`Slot`] per check.

use std::ffi::CString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use nix::libc;

use super::Sandbox;
use super::cgroups::Cgroups;
use super::ownership::give_tree;
use super::plan::{Ids, Plan, cstrings};
use super::reap::{is_zombie, processes_of, reap_orphans, reap_strays};
use super::view::ViewSpec;

/// One job's view of the sandbox, used for that job's builds and checks: its workspace and
/// its target dir, nothing of the other jobs.
#[derive(Debug, Clone)]
pub struct Jail {
    sandbox: Arc<Sandbox>,
    workspace: PathBuf,
    target: PathBuf,
}

/// A running check's slot: its uid, cgroups and scratch folder. [`Slot::finish`] ends every
/// process it started. It is the check's policy for [`supervise::run`].
#[derive(Debug)]
pub struct Slot {
    sandbox: Arc<Sandbox>,
    slot: usize,
    oom_before: u64,
    /// Processes that were still alive after the check's process ended and had to be killed.
    pub killed_after: usize,
    done: bool,
    tests: PathBuf,
    extra_env: Vec<(String, String)>,
    workspace: PathBuf,
    target: PathBuf,
}

/// A build's policy for [`supervise::run`]: cargo and rustc confined like a check, as
/// the grader's build uid, in the build cgroup.
#[derive(Debug)]
pub struct BuildScope {
    sandbox: Arc<Sandbox>,
    hidden: bool,
    workspace: PathBuf,
    target: PathBuf,
}

impl Jail {
    /// A job's view: `workspace` is its scratch workspace, `target` its cargo target dir.
    /// Both are given to the build uid (a build writes the target dir as that uid).
    pub fn new(sandbox: Arc<Sandbox>, workspace: &Path, target: &Path) -> Jail {
        let _ = std::fs::create_dir_all(target);
        if let Some(uid) = sandbox.build_uid() {
            give_tree(target, uid, sandbox.hidden_gid());
        }
        Jail {
            sandbox,
            workspace: workspace.to_path_buf(),
            target: target.to_path_buf(),
        }
    }

    /// The sandbox.
    pub fn sandbox(&self) -> &Arc<Sandbox> {
        &self.sandbox
    }

    /// The policy of one build (`cargo test --no-run`). `hidden`: the build of the hidden
    /// checks, the only one whose uid may read and write their artifacts.
    pub fn build(&self, hidden: bool) -> BuildScope {
        BuildScope {
            sandbox: self.sandbox.clone(),
            hidden,
            workspace: self.workspace.clone(),
            target: self.target.clone(),
        }
    }

    /// The policy of the process of one check (or of a `--list`) of binary `tests`; waits
    /// for a free slot. `extra_env` is set after the environment is cleared.
    pub fn check(&self, tests: &Path, extra_env: &[(String, String)]) -> Slot {
        let sb = &self.sandbox;
        let slot = sb.acquire();
        Slot {
            sandbox: sb.clone(),
            slot,
            oom_before: sb.cgroups.as_ref().map_or(0, |c| c.oom_kills(slot)),
            killed_after: 0,
            done: false,
            tests: tests.to_path_buf(),
            extra_env: extra_env.to_vec(),
            workspace: self.workspace.clone(),
            target: self.target.clone(),
        }
    }
}

impl supervise::Scope for BuildScope {
    /// A clean environment with cargo's homes pinned, the build cgroup, and the view of a
    /// build: the system read-only, the toolchain and CARGO_HOME read-only, the workspace
    /// read-only, the target dir writable, private /tmp. Cargo and rustc run as the build
    /// uid: `include_bytes!("/etc/shadow")` or of another job's files fails like a read.
    fn contain(&mut self, cmd: &mut Command) {
        let sb = &self.sandbox;
        let explicit: Vec<(std::ffi::OsString, std::ffi::OsString)> = cmd
            .get_envs()
            .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned())))
            .collect();
        cmd.env_clear();
        for (k, v) in sb.toolchain.env(sb.view_in_force()) {
            cmd.env(k, v);
        }
        cmd.env("CARGO_TERM_COLOR", "never").envs(explicit);
        let join: Vec<CString> = sb
            .cgroups
            .as_ref()
            .and_then(Cgroups::build_procs_file)
            .map(|p| cstrings(&[p]))
            .unwrap_or_default();
        let view = sb.view_in_force().then(|| {
            let mut v = ViewSpec::new(sb);
            v.ro(&self.workspace);
            v.rw(&self.target);
            v.tmp_mib = sb.limits.build_memory_mib.min(4096);
            v.build(cmd.get_current_dir().unwrap_or(&self.workspace))
        });
        let ids = sb.build_uid().map(|uid| Ids {
            uid,
            groups: match (self.hidden, sb.hidden_gid()) {
                (true, Some(g)) => vec![g],
                _ => Vec::new(),
            },
        });
        let plan = Plan {
            join,
            net: sb.netns,
            view,
            limits: vec![(libc::RLIMIT_CORE, 0, 0)],
            ids,
            parent: std::process::id() as libc::pid_t,
        };
        plan.install(cmd);
    }

    fn end(&mut self) {
        // A build's processes all live in its pid namespace (or its process group): they
        // are gone with it. Compilers reparented to the grader are reaped here.
        reap_strays();
    }
}

impl supervise::Scope for Slot {
    /// The check's confinement, in this order: its slot's cgroups; a network namespace with
    /// loopback only; the allow-list view in its own mount and pid namespaces (the
    /// system, the toolchain and the job's workspace and target dir read-only, private
    /// capped /tmp, /var/tmp, /dev/shm, a /proc of its own); rlimits; its slot's uid.
    fn contain(&mut self, cmd: &mut Command) {
        let sb = &self.sandbox;
        let dir = sb.slot_dir(self.slot);
        let view_on = sb.view_in_force();
        if !view_on {
            // An empty scratch folder per check: nothing left by the previous one.
            empty_dir(&dir);
        }
        let home: &Path = if view_on { Path::new("/tmp") } else { &dir };
        cmd.env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", home)
            .env("TMPDIR", home)
            .env("LANG", "C.UTF-8")
            // The checks (and the demos they run) speak the grader's language.
            .env(
                model::lang::COURSE_LANG,
                model::lang::Lang::current().code(),
            )
            .env("RUST_BACKTRACE", "0")
            .env("INSTA_UPDATE", "no")
            .env("INSTA_WORKSPACE_ROOT", &self.workspace)
            .env("LABS_PYTHON", "off")
            .env("CI", "true")
            .envs(self.extra_env.iter().map(|(k, v)| (k, v)));
        let hidden_binary = self
            .tests
            .file_name()
            .is_some_and(|n| n.to_string_lossy().contains("_hidden"));
        let ids = sb.slot_uid(self.slot).map(|uid| Ids {
            uid,
            groups: match (hidden_binary, sb.hidden_gid()) {
                (true, Some(g)) => vec![g],
                _ => Vec::new(),
            },
        });
        let join = sb
            .cgroups
            .as_ref()
            .map(|c| cstrings(&c.procs_files(self.slot)))
            .unwrap_or_default();
        let view = view_on.then(|| {
            let mut v = ViewSpec::new(sb);
            v.ro(&self.workspace);
            v.ro(&self.target);
            // tmpfs pages count against the check's memory cgroup: the three together stay
            // well under its memory limit, so a full /tmp is "no space left", not an OOM kill.
            v.tmp_mib = sb.limits.tmp_mib.min(sb.limits.memory_mib / 4);
            v.build(cmd.get_current_dir().unwrap_or(&self.workspace))
        });
        let l = &sb.limits;
        let as_bytes = sb.rlimit_as_mib() << 20;
        let mut limits = vec![
            // CPU: SIGXCPU at the soft limit, SIGKILL one second later.
            (libc::RLIMIT_CPU, l.cpu_secs, l.cpu_secs + 1),
            (libc::RLIMIT_AS, as_bytes, as_bytes),
            (libc::RLIMIT_CORE, 0, 0),
            (libc::RLIMIT_FSIZE, l.file_mib << 20, l.file_mib << 20),
            (libc::RLIMIT_NOFILE, 4096, 4096),
        ];
        if ids.is_some() {
            // Root is not bound by RLIMIT_NPROC: this only holds after the uid drop.
            limits.push((libc::RLIMIT_NPROC, l.max_procs, l.max_procs));
        }
        let plan = Plan {
            join,
            net: sb.netns,
            view,
            limits,
            ids,
            parent: std::process::id() as libc::pid_t,
        };
        plan.install(cmd);
    }

    fn end(&mut self) {
        self.finish();
    }
}

fn empty_dir(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            let _ = if p.is_dir() && !p.is_symlink() {
                std::fs::remove_dir_all(&p)
            } else {
                std::fs::remove_file(&p)
            };
        }
    }
}
impl Slot {
    /// Kills every process the check left (group, cgroup, uid) and reaps the orphans that
    /// came back to the grader. Returns how many processes were still there.
    pub fn finish(&mut self) -> usize {
        if self.done {
            return self.killed_after;
        }
        self.done = true;
        let uid = self.sandbox.slot_uid(self.slot);
        let t0 = Instant::now();
        let mut seen = std::collections::BTreeSet::new();
        loop {
            let mut alive: Vec<i32> = self
                .sandbox
                .cgroups
                .as_ref()
                .map(|c| c.pids_in(self.slot))
                .unwrap_or_default();
            if let Some(uid) = uid {
                alive.extend(processes_of(uid));
            }
            alive.sort_unstable();
            alive.dedup();
            reap_orphans(uid);
            let live: Vec<i32> = alive.into_iter().filter(|&p| !is_zombie(p)).collect();
            if live.is_empty() {
                break;
            }
            for pid in live {
                seen.insert(pid);
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
            if t0.elapsed() > Duration::from_secs(10) {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        // The last ones killed may still be zombies: give them a moment, then reap.
        for _ in 0..50 {
            reap_orphans(uid);
            let left = uid.map_or(0, |u| processes_of(u).len());
            if left == 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        reap_strays();
        self.killed_after = seen.len();
        self.killed_after
    }

    /// `true` if the kernel's OOM killer struck in this slot during the check.
    pub fn oom_killed(&self) -> bool {
        self.sandbox
            .cgroups
            .as_ref()
            .is_some_and(|c| c.oom_kills(self.slot) > self.oom_before)
    }

    /// The CPU limit in seconds.
    pub fn cpu_secs(&self) -> u64 {
        self.sandbox.limits.cpu_secs
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.finish();
        self.sandbox.release(self.slot);
    }
}
