//! The grader's sandbox: what confines a student's check (and its build) on Linux.
//!
//! Student code in a concurrency course deadlocks, spins, forks without end and floods its
//! output, by accident or on purpose, and a hostile student's code tries to read the
//! answers or change other grades. Every check runs as its own process, and when the
//! grader runs as root (CI, a grading box) each one is confined like this, in this order,
//! between `fork` and `exec` (see [`Jail::check`], run by `supervise`):
//!
//! 1. **cgroups** (v1 or v2, when writable): the process joins its slot's `pids` group (a
//!    process limit that also finds every descendant, even one that called `setsid`) and
//!    `memory` group (a memory limit enforced by the kernel's OOM killer, counted per slot).
//! 2. **a network namespace** with only the loopback interface, brought up: the checks'
//!    local HTTP servers work, nothing else is reachable.
//! 3. **an allow-list view** in new mount and pid namespaces: an empty tmpfs root into
//!    which only the system folders, the toolchain and the job's workspace and target dir
//!    are bound read-only, private size-capped tmpfs `/tmp`, `/var/tmp` and `/dev/shm`, a
//!    few device nodes and a `/proc` of its own; `pivot_root` into it. Whatever is not
//!    listed (solutions, hidden checks, the instructor's `.git`, submissions, earlier
//!    grades, other jobs, other graders) is not there to read. The process that called
//!    `exec` stays behind as a *relay* in the grader's pid namespace; *init* (pid 1 of the
//!    new namespace) runs the check as pid 2, and when the check ends, init reports its
//!    status and exits, and the kernel kills everything the check left.
//! 4. **rlimits**: CPU seconds (SIGXCPU, then SIGKILL), processes per uid, address space (a
//!    generous backstop only: threads reserve much more than they use), file size, no core.
//! 5. **an unprivileged uid** of its own per slot (`uid_base + slot`), no supplementary
//!    group (hidden checks get one group that can read their binary), no new privileges,
//!    and a parent-death signal so a killed grader leaves nothing behind.
//!
//! Builds ([`Jail::build`]) get the same view (the target dir writable), a clean
//! environment with `CARGO_HOME` pinned, the build cgroup, and the grader's build uid: no
//! student code is compiled as root, and cargo finds no configuration above the workspace.
//!
//! When a check ends, for whatever reason, [`Slot::finish`] kills what is left: the process
//! group first, then every process of the slot's cgroup and uid (which catches processes
//! that escaped the group with `setsid`), and reaps the orphans that the kernel reparented
//! to the grader (it is a *child subreaper*).
//!
//! Nothing here is required: when a piece is not available (not root, no cgroups, no
//! namespaces) it is left out, and [`InForce`] — copied into every result — says exactly
//! which limits held.

use serde::{Deserialize, Serialize};
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use nix::libc;

/// The limits the instructor asks for (the command line's `--cpu-secs` and friends).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Limits {
    /// CPU seconds per check process (RLIMIT_CPU). A spinning loop ends here; a check that
    /// waits (a deadlock) ends at its wall-clock deadline instead.
    pub cpu_secs: u64,
    /// Memory per check, in MiB (memory cgroup; RLIMIT_AS backstop without one).
    pub memory_mib: u64,
    /// Processes and threads per check (pids cgroup and RLIMIT_NPROC of its own uid).
    pub max_procs: u64,
    /// Captured output per check stream, in bytes: past it the check is killed.
    pub output_cap: usize,
    /// Wall-clock seconds added to a task's deadline before the process is killed (the
    /// check's own harness reports a hang first, with a hint; this is the backstop).
    pub kill_grace_secs: u64,
    /// Wall-clock seconds for all the checks of one lab.
    pub lab_secs: u64,
    /// Wall-clock seconds for one lab's build.
    pub build_secs: u64,
    /// Memory for one build (cargo + rustc), in MiB (memory cgroup only).
    pub build_memory_mib: u64,
    /// Largest file a check may write, in MiB (RLIMIT_FSIZE).
    pub file_mib: u64,
    /// Size of each private tmpfs of a check (/tmp, /var/tmp, /dev/shm), in MiB.
    pub tmp_mib: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            cpu_secs: 10,
            memory_mib: 1024,
            max_procs: 512,
            output_cap: 256 * 1024,
            kill_grace_secs: 5,
            lab_secs: 600,
            build_secs: 300,
            build_memory_mib: 4096,
            file_mib: 64,
            tmp_mib: 256,
        }
    }
}

/// Which limits were really in force: recorded in every student's result.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InForce {
    /// The numbers asked for.
    pub limits: Limits,
    /// Checks ran as an unprivileged uid of their own (`uid_base + slot`).
    pub own_uid: bool,
    /// The first of those uids.
    pub uid_base: Option<u32>,
    /// RLIMIT_NPROC binds (it does not for root: only with `own_uid`).
    pub rlimit_nproc: bool,
    /// A pids cgroup per slot (process limit, and finds every descendant).
    pub pids_cgroup: bool,
    /// A memory cgroup per slot (else only the RLIMIT_AS backstop).
    pub memory_cgroup: bool,
    /// RLIMIT_AS in MiB.
    pub rlimit_as_mib: u64,
    /// RLIMIT_CPU in seconds.
    pub rlimit_cpu_secs: u64,
    /// Each check in a network namespace with only loopback.
    pub no_network: bool,
    /// Checks see an allow-list only (a minimal root: the system read-only, the toolchain,
    /// the job's workspace and target dir read-only; private /tmp, /var/tmp, /dev/shm; a
    /// /proc of their own): solutions, hidden checks, the instructor's .git, submissions,
    /// earlier grades and other jobs are not in it.
    pub secrets_hidden: bool,
    /// Each check and build in a pid namespace of its own: it sees no other process, and
    /// everything it started dies with it.
    #[serde(default)]
    pub pid_namespace: bool,
    /// Size of each private tmpfs of a check, MiB (None: no private /tmp).
    #[serde(default)]
    pub private_tmp_mib: Option<u64>,
    /// Builds (cargo, rustc) ran as an unprivileged uid of their own (not root).
    #[serde(default)]
    pub build_own_uid: bool,
    /// The CARGO_HOME every build used (cargo reads no config above the workspace: the
    /// view holds none).
    #[serde(default)]
    pub cargo_home: Option<PathBuf>,
    /// The grader reaps orphans (PR_SET_CHILD_SUBREAPER), so `setsid` escapees are found.
    pub subreaper: bool,
    /// Builds ran in the allow-list view too (the workspace read-only, the job's target dir
    /// writable, nothing else of the grader's).
    pub build_secrets_hidden: bool,
    /// Always: stdin is /dev/null, the environment is rebuilt from scratch, each check has
    /// an empty scratch folder as HOME and TMPDIR, every check is its own process group.
    pub stdin_null_clean_env_scratch: bool,
}

/// Where the cgroups of this grader live (one folder per slot under each).
#[derive(Debug)]
struct Cgroups {
    /// `/sys/fs/cgroup/pids/course-grader-<pid>` (v1) or the unified folder (v2).
    pids: Option<PathBuf>,
    /// `/sys/fs/cgroup/memory/course-grader-<pid>` (v1) or the unified folder (v2).
    memory: Option<PathBuf>,
    /// cgroup v2: one folder holds both.
    unified: bool,
}

/// The sandbox of one grading run: probed once, shared by every job.
#[derive(Debug)]
pub struct Sandbox {
    limits: Limits,
    uid_base: Option<u32>,
    cgroups: Option<Cgroups>,
    netns: bool,
    /// The allow-list view works here (mount and pid namespaces, pivot_root).
    view: bool,
    /// The empty folder the view's root is mounted on (in each process's own namespace).
    view_root: PathBuf,
    /// Cargo, rustc and their homes, pinned.
    toolchain: Toolchain,
    /// Where the per-slot scratch folders live.
    scratch: PathBuf,
    free: Mutex<Vec<usize>>,
    freed: Condvar,
    slots: usize,
    in_force: InForce,
    /// Held while this grader uses its uid range (another grader picks another one).
    _uid_lock: Option<std::fs::File>,
}

/// The first uid of the grader's slots. Unassigned on common distributions; each slot's
/// processes are then the only processes of their uid, so killing "every process of the
/// uid" is exact.
pub const DEFAULT_UID_BASE: u32 = 64_000;

/// uids one grader reserves: `base` (the hidden group) and one per slot.
pub const UIDS_PER_GRADER: u32 = 64;

/// Finds a free range of uids (`base`, `base + 64`, …) and locks it with a lock file. Every
/// range nobody holds is swept on the way: processes left there belong to a grader that was
/// killed (a check's grandchild has no parent-death signal), and nobody else may own them.
fn lock_uid_range(first: u32) -> Option<(u32, std::fs::File)> {
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

/// Options of [`Sandbox::new`].
#[derive(Debug, Clone)]
pub struct Setup {
    /// The limits.
    pub limits: Limits,
    /// Checks that may run at once (every job × the checks each runs at once).
    pub slots: usize,
    /// Scratch folder for per-slot HOME/TMPDIR.
    pub scratch: PathBuf,
    /// First uid of the slots (root only).
    pub uid_base: u32,
    /// Turn the whole sandbox off except the basics (tests of the fallback path).
    pub minimal: bool,
}

impl Sandbox {
    /// Probes what this machine allows and prepares cgroups and scratch folders.
    pub fn new(setup: Setup) -> anyhow::Result<Arc<Sandbox>> {
        let root = nix::unistd::geteuid().is_root() && !setup.minimal;
        std::fs::create_dir_all(&setup.scratch)?;
        // Slots of one grader share nothing; two graders on one machine (two shards, two
        // test runs) must not share uids either, or one would kill the other's processes.
        anyhow::ensure!(
            setup.slots < UIDS_PER_GRADER as usize,
            "at most {} checks at once",
            UIDS_PER_GRADER - 1
        );
        let (uid_base, uid_lock) = if root {
            match lock_uid_range(setup.uid_base) {
                Some((b, f)) => (Some(b), Some(f)),
                None => (None, None),
            }
        } else {
            (None, None)
        };
        let cgroups = if root {
            Cgroups::create(&setup.limits, setup.slots)
        } else {
            None
        };
        // Orphans (a `setsid` child whose parent died) come back to us instead of init, so
        // they can be found, killed and reaped.
        // SAFETY: prctl with integer arguments only.
        let subreaper = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) } == 0;
        let view_root = setup.scratch.join("root");
        std::fs::create_dir_all(&view_root)?;
        let mut sb = Sandbox {
            limits: setup.limits.clone(),
            uid_base,
            cgroups,
            netns: false,
            view: false,
            view_root,
            toolchain: Toolchain::detect(),
            scratch: setup.scratch.clone(),
            free: Mutex::new((0..setup.slots.max(1)).rev().collect()),
            freed: Condvar::new(),
            slots: setup.slots.max(1),
            in_force: InForce {
                limits: setup.limits.clone(),
                own_uid: false,
                uid_base: None,
                rlimit_nproc: false,
                pids_cgroup: false,
                memory_cgroup: false,
                rlimit_as_mib: 0,
                rlimit_cpu_secs: setup.limits.cpu_secs,
                no_network: false,
                secrets_hidden: false,
                pid_namespace: false,
                private_tmp_mib: None,
                build_own_uid: false,
                cargo_home: None,
                subreaper,
                build_secrets_hidden: false,
                stdin_null_clean_env_scratch: true,
            },
            _uid_lock: uid_lock,
        };
        if root {
            sb.netns = probe(|| unsafe_net_namespace().map(|_| ()));
            sb.view = sb.probe_view();
        }
        for slot in 0..sb.slots {
            let dir = sb.slot_dir(slot);
            std::fs::create_dir_all(&dir)?;
            if let Some(uid) = sb.slot_uid(slot) {
                let id = nix::unistd::Uid::from_raw(uid);
                nix::unistd::chown(&dir, Some(id), Some(nix::unistd::Gid::from_raw(uid)))?;
            }
        }
        sb.in_force.own_uid = sb.uid_base.is_some();
        sb.in_force.uid_base = sb.uid_base;
        sb.in_force.rlimit_nproc = sb.uid_base.is_some();
        sb.in_force.pids_cgroup = sb.cgroups.as_ref().is_some_and(|c| c.pids.is_some());
        sb.in_force.memory_cgroup = sb.cgroups.as_ref().is_some_and(|c| c.memory.is_some());
        sb.in_force.rlimit_as_mib = sb.rlimit_as_mib();
        sb.in_force.no_network = sb.netns;
        sb.in_force.secrets_hidden = sb.view;
        sb.in_force.pid_namespace = sb.view;
        sb.in_force.private_tmp_mib = sb.view.then_some(sb.limits.tmp_mib);
        sb.in_force.build_secrets_hidden = sb.view;
        sb.in_force.build_own_uid = sb.build_uid().is_some();
        sb.in_force.cargo_home = sb.toolchain.cargo_home.clone();
        Ok(Arc::new(sb))
    }

    /// What is in force, for the results.
    pub fn in_force(&self) -> &InForce {
        &self.in_force
    }

    /// The limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    fn rlimit_as_mib(&self) -> u64 {
        // With a memory cgroup, the address-space limit is only a backstop against a
        // runaway reservation; without one it is the memory limit, generous because thread
        // stacks and malloc arenas reserve far more than they touch.
        if self.in_force.memory_cgroup {
            64 * 1024
        } else {
            (self.limits.memory_mib * 4).max(4096)
        }
    }

    fn slot_dir(&self, slot: usize) -> PathBuf {
        self.scratch.join(format!("slot{slot}"))
    }

    fn slot_uid(&self, slot: usize) -> Option<u32> {
        self.uid_base.map(|b| b + 1 + slot as u32)
    }

    /// The group that may read hidden check binaries (`uid_base` itself: no slot uses it).
    pub fn hidden_gid(&self) -> Option<u32> {
        self.uid_base
    }

    /// The uid of every build (the last of the grader's range: no slot uses it); only with
    /// the allow-list view (the toolchain under root's home is reachable through it).
    pub fn build_uid(&self) -> Option<u32> {
        self.uid_base
            .filter(|_| self.view)
            .map(|b| b + UIDS_PER_GRADER - 1)
    }

    /// The allow-list view is in force.
    fn view_in_force(&self) -> bool {
        self.view
    }

    /// Runs `true` in a check's view: does this machine allow it?
    fn probe_view(&self) -> bool {
        let mut spec = ViewSpec::new(self);
        spec.tmp_mib = 1;
        let plan = Plan {
            join: Vec::new(),
            net: false,
            view: Some(spec.build(Path::new("/"))),
            limits: Vec::new(),
            ids: self.slot_uid(0).map(|uid| Ids {
                uid,
                groups: Vec::new(),
            }),
            parent: std::process::id() as libc::pid_t,
        };
        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", "test -d /proc/1 && ! test -e /proc/2/cwd/nothing"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        plan.install(&mut cmd);
        cmd.status().is_ok_and(|s| s.success())
    }

    /// Makes every artifact of the hidden checks' build in `target` (the binary, its
    /// dep-info, its incremental caches) readable and writable only by root and the hidden
    /// group: a student's build (the build uid without that group) cannot `include_bytes!`
    /// them, and a public check (a slot uid without it) cannot read their parameters.
    pub fn protect_hidden(&self, target: &Path, name: &str) {
        let Some(gid) = self.hidden_gid() else {
            return;
        };
        let prefix = format!("{name}-");
        for sub in ["debug/deps", "debug/incremental"] {
            let Ok(entries) = std::fs::read_dir(target.join(sub)) else {
                continue;
            };
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(&prefix) {
                    hide_tree(&e.path(), gid);
                }
            }
        }
    }

    /// Waits for a free slot.
    fn acquire(&self) -> usize {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(s) = free.pop() {
                return s;
            }
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn release(&self, slot: usize) {
        self.free
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(slot);
        self.freed.notify_one();
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(cg) = &self.cgroups {
            cg.remove(self.slots);
        }
    }
}

impl Cgroups {
    fn create(limits: &Limits, slots: usize) -> Option<Cgroups> {
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
    fn procs_files(&self, slot: usize) -> Vec<PathBuf> {
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

    fn build_procs_file(&self) -> Option<PathBuf> {
        self.memory
            .as_ref()
            .map(|m| m.join("build").join("cgroup.procs"))
            .filter(|p| p.exists())
    }

    /// How many times the OOM killer struck in the slot so far.
    fn oom_kills(&self, slot: usize) -> u64 {
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
    fn pids_in(&self, slot: usize) -> Vec<i32> {
        let Some(p) = &self.pids else {
            return Vec::new();
        };
        std::fs::read_to_string(self.slot(p, slot).join("cgroup.procs"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect()
    }

    fn remove(&self, slots: usize) {
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

/// Runs `f` in a forked child and reports whether it succeeded (used to probe namespaces
/// without touching the grader itself).
fn probe(f: impl Fn() -> Result<(), i32>) -> bool {
    // SAFETY: the child only makes system calls and exits with _exit; the grader is still
    // single-threaded here apart from nothing that holds a lock the child needs.
    match unsafe { nix::unistd::fork() } {
        Ok(nix::unistd::ForkResult::Child) => {
            let code = if f().is_ok() { 0 } else { 1 };
            // SAFETY: _exit is async-signal-safe.
            unsafe { libc::_exit(code) }
        }
        Ok(nix::unistd::ForkResult::Parent { child }) => matches!(
            nix::sys::wait::waitpid(child, None),
            Ok(nix::sys::wait::WaitStatus::Exited(_, 0))
        ),
        Err(_) => false,
    }
}

/// A new network namespace with loopback up. Only system calls: safe between fork and exec.
fn unsafe_net_namespace() -> Result<(), i32> {
    // SAFETY: plain system calls with valid pointers to stack memory.
    unsafe {
        if libc::unshare(libc::CLONE_NEWNET) != 0 {
            return Err(*libc::__errno_location());
        }
        let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return Err(*libc::__errno_location());
        }
        #[repr(C)]
        struct IfReq {
            name: [u8; 16],
            flags: libc::c_short,
            _pad: [u8; 22],
        }
        let mut req = IfReq {
            name: [0; 16],
            flags: 0,
            _pad: [0; 22],
        };
        req.name[..2].copy_from_slice(b"lo");
        let mut rc = libc::ioctl(fd, libc::SIOCGIFFLAGS as _, &mut req as *mut IfReq);
        if rc == 0 {
            req.flags |= libc::IFF_UP as libc::c_short;
            rc = libc::ioctl(fd, libc::SIOCSIFFLAGS as _, &mut req as *mut IfReq);
        }
        libc::close(fd);
        if rc != 0 {
            return Err(*libc::__errno_location());
        }
    }
    Ok(())
}

fn cstrings(paths: &[PathBuf]) -> Vec<CString> {
    paths
        .iter()
        .filter_map(|p| CString::new(p.as_os_str().as_bytes()).ok())
        .collect()
}

/// Writes "0" to each `cgroup.procs` file: the calling process joins those cgroups.
fn join_cgroups(files: &[CString]) -> Result<(), i32> {
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

fn set_limit(resource: libc::__rlimit_resource_t, soft: u64, hard: u64) -> Result<(), i32> {
    let r = libc::rlimit {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: setrlimit with a valid pointer.
    if unsafe { libc::setrlimit(resource, &r) } != 0 {
        // SAFETY: reading errno.
        return Err(unsafe { *libc::__errno_location() });
    }
    Ok(())
}

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

/// Gives every file under `dir` to `uid` (the build uid writes the target dir), except the
/// hidden checks' artifacts (group `hidden`), which stay out of its reach.
fn give_tree(dir: &Path, uid: u32, hidden: Option<u32>) {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return;
    };
    if hidden.is_some_and(|g| meta.gid() == g) {
        return;
    }
    if meta.uid() != uid {
        let id = Some(nix::unistd::Uid::from_raw(uid));
        let _ = nix::unistd::fchownat(
            nix::fcntl::AT_FDCWD,
            dir,
            id,
            Some(nix::unistd::Gid::from_raw(uid)),
            nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW,
        );
    }
    if meta.is_dir()
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        for e in entries.flatten() {
            give_tree(&e.path(), uid, hidden);
        }
    }
}

/// Gives `path` (and everything under it) to root and group `gid`, rights for that group
/// only.
fn hide_tree(path: &Path, gid: u32) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    if meta.file_type().is_symlink() {
        return;
    }
    let _ = nix::unistd::chown(
        path,
        Some(nix::unistd::Uid::from_raw(0)),
        Some(nix::unistd::Gid::from_raw(gid)),
    );
    let mode = meta.permissions().mode();
    let group = if meta.is_dir() || mode & 0o100 != 0 {
        0o770
    } else {
        0o660
    };
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(group));
    if meta.is_dir()
        && let Ok(entries) = std::fs::read_dir(path)
    {
        for e in entries.flatten() {
            hide_tree(&e.path(), gid);
        }
    }
}

/// Cargo, rustc and their homes: what a build needs, pinned once (the grader's own).
#[derive(Debug, Default, Clone)]
struct Toolchain {
    /// Folders every view holds read-only.
    dirs: Vec<PathBuf>,
    cargo_home: Option<PathBuf>,
    rustup_home: Option<PathBuf>,
    /// The folder of the real cargo and rustc (not rustup's proxies).
    bin: Option<PathBuf>,
}

impl Toolchain {
    fn detect() -> Toolchain {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let pick = |var: &str, dflt: &str| {
            std::env::var_os(var)
                .map(PathBuf::from)
                .or_else(|| home.as_ref().map(|h| h.join(dflt)))
                .and_then(|p| std::path::absolute(p).ok())
                .filter(|p| p.is_dir())
        };
        let cargo_home = pick("CARGO_HOME", ".cargo");
        let rustup_home = pick("RUSTUP_HOME", ".rustup");
        // `cargo run` tells us which cargo runs us; its folder holds the toolchain's rustc.
        // Without it (the binary run by hand), rustup names the active toolchain's cargo.
        let cargo = std::env::var_os("CARGO")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| {
                Command::new("rustup")
                    .args(["which", "cargo"])
                    .stderr(std::process::Stdio::null())
                    .output()
                    .ok()
                    .filter(|o| o.status.success())
                    .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
            });
        let bin = cargo
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .filter(|d| d.join("rustc").exists());
        let mut dirs: Vec<PathBuf> = [&cargo_home, &rustup_home]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        if let Some(root) = bin.as_ref().and_then(|b| b.parent())
            && !dirs.iter().any(|d| root.starts_with(d))
        {
            dirs.push(root.to_path_buf());
        }
        Toolchain {
            dirs,
            cargo_home,
            rustup_home,
            bin,
        }
    }

    /// A build's whole environment: cargo's homes pinned, nothing else inherited.
    fn env(&self, view: bool) -> Vec<(String, std::ffi::OsString)> {
        let mut path = std::ffi::OsString::new();
        for d in [
            self.bin.clone(),
            self.cargo_home.as_ref().map(|h| h.join("bin")),
        ]
        .into_iter()
        .flatten()
        {
            path.push(d.as_os_str());
            path.push(":");
        }
        path.push("/usr/local/bin:/usr/bin:/bin");
        let mut env = vec![("PATH".to_owned(), path)];
        let mut keep = |k: &str, v: Option<std::ffi::OsString>| {
            if let Some(v) = v {
                env.push((k.to_owned(), v));
            }
        };
        keep("CARGO_HOME", self.cargo_home.clone().map(Into::into));
        keep("RUSTUP_HOME", self.rustup_home.clone().map(Into::into));
        keep("RUSTUP_TOOLCHAIN", std::env::var_os("RUSTUP_TOOLCHAIN"));
        keep("RUSTC", self.bin.as_ref().map(|b| b.join("rustc").into()));
        if view {
            keep("HOME", Some("/tmp".into()));
            keep("TMPDIR", Some("/tmp".into()));
        } else {
            keep("HOME", std::env::var_os("HOME"));
        }
        env
    }
}

/// The uid and supplementary groups a confined process runs as.
#[derive(Debug, Clone)]
struct Ids {
    uid: u32,
    groups: Vec<libc::gid_t>,
}

/// Everything a confined process does between fork and exec, prepared before the fork (no
/// allocation may happen after it).
struct Plan {
    join: Vec<CString>,
    net: bool,
    view: Option<View>,
    limits: Vec<(libc::__rlimit_resource_t, u64, u64)>,
    ids: Option<Ids>,
    parent: libc::pid_t,
}

impl Plan {
    fn install(self, cmd: &mut Command) {
        // SAFETY: the closure runs between fork and exec and makes only async-signal-safe
        // system calls on data prepared before the fork (no allocation, no locks).
        unsafe {
            cmd.pre_exec(move || {
                let err = std::io::Error::from_raw_os_error;
                // First of all: die with the grader, even while still being set up (a new
                // network namespace can take a while to make).
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
                if libc::getppid() != self.parent {
                    return Err(err(libc::ESRCH));
                }
                join_cgroups(&self.join).map_err(err)?;
                if self.net {
                    unsafe_net_namespace().map_err(err)?;
                }
                if let Some(view) = &self.view {
                    // Returns in the confined process only (pid 2 of a new pid namespace);
                    // the processes above it never return.
                    view.enter().map_err(err)?;
                }
                for &(resource, soft, hard) in &self.limits {
                    set_limit(resource, soft, hard).map_err(err)?;
                }
                if let Some(ids) = &self.ids {
                    let uid = ids.uid;
                    if libc::setgroups(ids.groups.len(), ids.groups.as_ptr()) != 0
                        || libc::setresgid(uid, uid, uid) != 0
                        || libc::setresuid(uid, uid, uid) != 0
                    {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
                // After the uid change (which clears it): die with the process above.
                let above = libc::getppid();
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
                if libc::getppid() != above {
                    return Err(err(libc::ESRCH));
                }
                Ok(())
            });
        }
    }
}

/// What a confined process sees: an allow-list of paths bound into an empty root.
#[derive(Debug)]
struct ViewSpec {
    /// (host path, writable).
    binds: Vec<(PathBuf, bool)>,
    /// Size of each private tmpfs (/tmp, /var/tmp, /dev/shm), MiB.
    tmp_mib: u64,
    mountpoint: PathBuf,
}

/// The system folders every view holds, read-only (the ones that exist; symbolic links
/// such as /bin → usr/bin are kept as links).
const SYSTEM: &[&str] = &[
    "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc",
];

/// Device nodes a view holds.
const DEVICES: &[&str] = &[
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/random",
    "/dev/urandom",
];

impl ViewSpec {
    fn new(sb: &Sandbox) -> ViewSpec {
        let mut v = ViewSpec {
            binds: Vec::new(),
            tmp_mib: sb.limits.tmp_mib,
            mountpoint: sb.view_root.clone(),
        };
        for p in SYSTEM {
            v.binds.push((PathBuf::from(p), false));
        }
        for p in &sb.toolchain.dirs {
            v.binds.push((p.clone(), false));
        }
        v
    }

    fn ro(&mut self, p: &Path) {
        self.binds.push((p.to_path_buf(), false));
    }

    fn rw(&mut self, p: &Path) {
        self.binds.push((p.to_path_buf(), true));
    }

    /// The system calls' arguments, ready for the child.
    fn build(&self, cwd: &Path) -> View {
        let root = &self.mountpoint;
        let inside = |p: &Path| root.join(p.strip_prefix("/").unwrap_or(p));
        let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).unwrap_or_default();
        let mut dirs = std::collections::BTreeSet::new();
        let add_dirs = |p: &Path, dirs: &mut std::collections::BTreeSet<PathBuf>| {
            for a in p.ancestors() {
                if a != Path::new("/") && a != Path::new("") {
                    dirs.insert(a.to_path_buf());
                }
            }
        };
        let mut binds = Vec::new();
        let mut links = Vec::new();
        let mut files = Vec::new();
        for (p, rw) in &self.binds {
            let Ok(meta) = std::fs::symlink_metadata(p) else {
                continue;
            };
            if meta.file_type().is_symlink() {
                if let (Ok(target), Some(parent)) = (std::fs::read_link(p), p.parent()) {
                    add_dirs(parent, &mut dirs);
                    links.push((c(&target), c(&inside(p))));
                }
                continue;
            }
            if meta.is_dir() {
                add_dirs(p, &mut dirs);
            } else {
                if let Some(parent) = p.parent() {
                    add_dirs(parent, &mut dirs);
                }
                files.push(c(&inside(p)));
            }
            binds.push((c(p), c(&inside(p)), *rw));
        }
        for d in ["/tmp", "/var/tmp", "/dev/shm", "/proc", "/.old"] {
            add_dirs(Path::new(d), &mut dirs);
        }
        for d in DEVICES {
            if Path::new(d).exists() {
                files.push(c(&inside(Path::new(d))));
                binds.push((c(Path::new(d)), c(&inside(Path::new(d))), true));
            }
        }
        for (target, link) in [
            ("/proc/self/fd", "/dev/fd"),
            ("/proc/self/fd/0", "/dev/stdin"),
            ("/proc/self/fd/1", "/dev/stdout"),
            ("/proc/self/fd/2", "/dev/stderr"),
        ] {
            links.push((c(Path::new(target)), c(&inside(Path::new(link)))));
        }
        // /tmp gets the size asked for, /var/tmp and /dev/shm a quarter of it each.
        let opts = |mib: u64| {
            c(Path::new(&format!(
                "size={}m,mode=1777,nr_inodes=65536",
                mib.max(1)
            )))
        };
        let small = opts(self.tmp_mib / 4);
        View {
            root: c(root),
            dirs: dirs.iter().map(|d| c(&inside(d))).collect(),
            files,
            links,
            binds,
            tmpfs: vec![
                (c(&inside(Path::new("/tmp"))), opts(self.tmp_mib)),
                (c(&inside(Path::new("/var/tmp"))), small.clone()),
                (c(&inside(Path::new("/dev/shm"))), small),
            ],
            proc_dir: c(&inside(Path::new("/proc"))),
            old: c(&inside(Path::new("/.old"))),
            cwd: c(cwd),
        }
    }
}

/// A [`ViewSpec`] as C strings.
#[derive(Debug)]
struct View {
    root: CString,
    dirs: Vec<CString>,
    files: Vec<CString>,
    links: Vec<(CString, CString)>,
    binds: Vec<(CString, CString, bool)>,
    /// (mount point, options).
    tmpfs: Vec<(CString, CString)>,
    proc_dir: CString,
    old: CString,
    cwd: CString,
}

fn errno() -> i32 {
    // SAFETY: reading errno.
    unsafe { *libc::__errno_location() }
}

fn check(rc: libc::c_int) -> Result<(), i32> {
    if rc != 0 { Err(errno()) } else { Ok(()) }
}

/// `fork` without glibc's fork handlers: we are already in a child forked from a threaded
/// grader, where a lock (malloc's) may be held by a thread that no longer exists; glibc's
/// `fork` takes those locks and would wait forever.
fn raw_fork() -> libc::pid_t {
    // SAFETY: clone with only SIGCHLD and no new stack is fork; the child continues on a copy
    // of our stack.
    unsafe {
        libc::syscall(
            libc::SYS_clone,
            libc::SIGCHLD as libc::c_ulong,
            0usize,
            0usize,
            0usize,
            0usize,
        ) as libc::pid_t
    }
}

/// Closes every descriptor but `keep` (a relay and an init hold nothing of the child's:
/// not its pipes, not std's exec-error pipe, which must close when the check execs).
fn close_all_but(keep: libc::c_int) {
    // SAFETY: close_range and close on integers only.
    unsafe {
        if keep > 0 {
            libc::syscall(libc::SYS_close_range, 0u32, (keep - 1) as u32, 0u32);
        }
        if libc::syscall(libc::SYS_close_range, (keep + 1) as u32, u32::MAX, 0u32) != 0 {
            for fd in (keep + 1)..4096 {
                libc::close(fd);
            }
        }
    }
}

impl View {
    /// Enters the view. The calling process (std's child) becomes a *relay*: it stays in
    /// the grader's pid namespace, waits, and ends as the check ended (same exit code, same
    /// signal), so killing it (its process group) kills everything. Below it, *init* is pid
    /// 1 of a new pid namespace: it mounts the view, forks the confined process (pid 2),
    /// reaps whatever is orphaned, reports pid 2's status to the relay and exits, and the
    /// kernel kills every process left in the namespace. Returns `Ok` in pid 2 only.
    ///
    /// Only async-signal-safe system calls: it runs between fork and exec.
    fn enter(&self) -> Result<(), i32> {
        // SAFETY: plain system calls with pointers to C strings prepared before the fork.
        unsafe {
            check(libc::unshare(
                libc::CLONE_NEWNS | libc::CLONE_NEWPID | libc::CLONE_NEWIPC | libc::CLONE_NEWUTS,
            ))?;
            check(libc::mount(
                c"none".as_ptr(),
                c"/".as_ptr(),
                std::ptr::null(),
                libc::MS_REC | libc::MS_PRIVATE,
                std::ptr::null(),
            ))?;
            let mut status_pipe = [0 as libc::c_int; 2];
            check(libc::pipe2(status_pipe.as_mut_ptr(), libc::O_CLOEXEC))?;
            let [rd, wr] = status_pipe;
            let init = raw_fork();
            if init < 0 {
                return Err(errno());
            }
            if init > 0 {
                relay(init, rd, wr);
            }
            // Init: pid 1 of the new namespace.
            libc::close(rd);
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
            libc::prctl(libc::PR_SET_NAME, c"sandbox-init".as_ptr());
            // A failure here reaches the grader as spawn's error (std's pipe is still open in
            // init): the check does not run, the grader says why.
            self.mount()?;
            let child = raw_fork();
            if child < 0 {
                return Err(errno());
            }
            if child == 0 {
                libc::close(wr);
                return Ok(());
            }
            close_all_but(wr);
            let mut status = 0;
            loop {
                let pid = libc::waitpid(-1, &mut status, 0);
                if pid == child {
                    break;
                }
                if pid < 0 && errno() != libc::EINTR {
                    status = 127 << 8;
                    break;
                }
            }
            let word = status as u32;
            libc::write(wr, (&word as *const u32).cast(), 4);
            libc::_exit(0);
        }
    }

    /// Builds the root and moves into it (in init, pid 1 of the new namespaces).
    fn mount(&self) -> Result<(), i32> {
        // SAFETY: plain system calls with pointers to C strings prepared before the fork.
        unsafe {
            let flags = libc::MS_NOSUID | libc::MS_NODEV;
            check(libc::mount(
                c"tmpfs".as_ptr(),
                self.root.as_ptr(),
                c"tmpfs".as_ptr(),
                flags,
                c"size=1m,mode=0755".as_ptr().cast(),
            ))?;
            for d in &self.dirs {
                if libc::mkdir(d.as_ptr(), 0o755) != 0 && errno() != libc::EEXIST {
                    return Err(errno());
                }
            }
            for f in &self.files {
                let fd = libc::open(
                    f.as_ptr(),
                    libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC,
                    0o644,
                );
                if fd >= 0 {
                    libc::close(fd);
                }
            }
            for (target, link) in &self.links {
                libc::symlink(target.as_ptr(), link.as_ptr());
            }
            for (src, dst, rw) in &self.binds {
                check(libc::mount(
                    src.as_ptr(),
                    dst.as_ptr(),
                    std::ptr::null(),
                    libc::MS_BIND | libc::MS_REC,
                    std::ptr::null(),
                ))?;
                if !rw {
                    check(libc::mount(
                        std::ptr::null(),
                        dst.as_ptr(),
                        std::ptr::null(),
                        libc::MS_REMOUNT | libc::MS_BIND | libc::MS_RDONLY | flags,
                        std::ptr::null(),
                    ))?;
                }
            }
            for (t, opts) in &self.tmpfs {
                check(libc::mount(
                    c"tmpfs".as_ptr(),
                    t.as_ptr(),
                    c"tmpfs".as_ptr(),
                    flags,
                    opts.as_ptr().cast(),
                ))?;
            }
            check(libc::mount(
                c"proc".as_ptr(),
                self.proc_dir.as_ptr(),
                c"proc".as_ptr(),
                flags | libc::MS_NOEXEC,
                std::ptr::null(),
            ))?;
            check(
                libc::syscall(libc::SYS_pivot_root, self.root.as_ptr(), self.old.as_ptr()) as i32,
            )?;
            check(libc::chdir(c"/".as_ptr()))?;
            check(libc::umount2(c"/.old".as_ptr(), libc::MNT_DETACH))?;
            libc::rmdir(c"/.old".as_ptr());
            // The root itself (empty folders and mount points) is read-only.
            check(libc::mount(
                std::ptr::null(),
                c"/".as_ptr(),
                std::ptr::null(),
                libc::MS_REMOUNT | libc::MS_RDONLY | flags,
                std::ptr::null(),
            ))?;
            check(libc::chdir(self.cwd.as_ptr()))?;
        }
        Ok(())
    }
}

/// The relay (std's child, in the grader's pid namespace): waits for init's report of the
/// confined process, then ends the same way. Never returns.
///
/// # Safety
/// Between fork and exec: system calls only.
unsafe fn relay(init: libc::pid_t, rd: libc::c_int, wr: libc::c_int) -> ! {
    // SAFETY: plain system calls on our own descriptors and stack memory.
    unsafe {
        libc::close(wr);
        // The relay keeps the grader's name: it is the grader's own child, which std waits
        // for (`reap_strays` leaves processes of that name alone).
        close_all_but(rd);
        let mut word = 0u32;
        let mut got = 0usize;
        while got < 4 {
            let n = libc::read(
                rd,
                (&mut word as *mut u32).cast::<u8>().add(got).cast(),
                4 - got,
            );
            if n > 0 {
                got += n as usize;
            } else if n == 0 || errno() != libc::EINTR {
                break;
            }
        }
        let mut st = 0;
        while libc::waitpid(init, &mut st, 0) < 0 && errno() == libc::EINTR {}
        let status = if got == 4 { word as libc::c_int } else { st };
        if libc::WIFSIGNALED(status) {
            let sig = libc::WTERMSIG(status);
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, sig);
            libc::sigprocmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
            libc::signal(sig, libc::SIG_DFL);
            let no_core = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::setrlimit(libc::RLIMIT_CORE, &no_core);
            libc::kill(libc::getpid(), sig);
            libc::_exit(128 + sig);
        }
        libc::_exit(libc::WEXITSTATUS(status));
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

fn is_zombie(pid: i32) -> bool {
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
fn reap_orphans(uid: Option<u32>) {
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
