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

mod cgroups;
mod held;
mod jail;
mod limits;
mod network;
mod ownership;
mod plan;
mod reap;
mod toolchain;
mod uids;
mod view;

pub use held::HeldLock;
pub use jail::{BuildScope, Jail, Slot};
pub use limits::{InForce, Limits};
pub use reap::{processes_in, processes_of, reap_strays};
pub use uids::{DEFAULT_UID_BASE, UIDS_PER_GRADER};

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Condvar, Mutex};

use nix::libc;

use cgroups::Cgroups;
use network::{probe, unsafe_net_namespace};
use ownership::hide_tree;
use plan::{Ids, Plan};
use toolchain::Toolchain;
use uids::lock_uid_range;
use view::ViewSpec;

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
    _uid_lock: Option<HeldLock>,
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
                Some((b, f)) => (Some(b), Some(HeldLock::new(f))),
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
