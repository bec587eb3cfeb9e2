//! The grader's sandbox: what confines a student's check (and its build) on Linux.
//!
//! Student code in a concurrency course deadlocks, spins, forks without end and floods its
//! output, by accident or on purpose. Every check runs as its own process, and when the
//! grader runs as root (CI, a grading box) each one is confined like this, in this order,
//! between `fork` and `exec` (see [`Jail::confine_check`]):
//!
//! 1. **cgroups** (v1 or v2, when writable): the process joins its slot's `pids` group (a
//!    process limit that also finds every descendant, even one that called `setsid`) and
//!    `memory` group (a memory limit enforced by the kernel's OOM killer, counted per slot).
//! 2. **a network namespace** with only the loopback interface, brought up: the checks'
//!    local HTTP servers work, nothing else is reachable.
//! 3. **a mount namespace** in which the instructor's secrets are covered by empty,
//!    read-only tmpfs mounts: `solutions/`, `checker/hidden/`, the submissions, the output
//!    folder, and the other jobs' scratch folders.
//! 4. **rlimits**: CPU seconds (SIGXCPU, then SIGKILL), processes per uid, address space (a
//!    generous backstop only: threads reserve much more than they use), file size, no core.
//! 5. **an unprivileged uid** of its own per slot (`uid_base + slot`), no supplementary
//!    group (hidden checks get one group that can read their binary), no new privileges,
//!    and a parent-death signal so a killed grader leaves nothing behind.
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
    /// Secrets (solutions, hidden checks, other submissions) covered in a mount namespace.
    pub secrets_hidden: bool,
    /// The grader reaps orphans (PR_SET_CHILD_SUBREAPER), so `setsid` escapees are found.
    pub subreaper: bool,
    /// Builds ran with the secrets hidden too (mount namespace).
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
    mountns: bool,
    /// Paths hidden from every check and build (the instructor's secrets).
    secrets: Vec<PathBuf>,
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
    /// Paths to hide from student code (solutions, hidden checks, submissions, output).
    pub secrets: Vec<PathBuf>,
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
        let secrets: Vec<PathBuf> = setup
            .secrets
            .iter()
            .filter(|p| p.is_dir())
            .cloned()
            .collect();
        let mut sb = Sandbox {
            limits: setup.limits.clone(),
            uid_base,
            cgroups,
            netns: false,
            mountns: false,
            secrets,
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
                subreaper,
                build_secrets_hidden: false,
                stdin_null_clean_env_scratch: true,
            },
            _uid_lock: uid_lock,
        };
        if root {
            sb.netns = probe(|| unsafe_net_namespace().map(|_| ()));
            let hide = cstrings(std::slice::from_ref(&sb.scratch));
            sb.mountns = probe(|| unsafe_mount_namespace(&hide));
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
        sb.in_force.secrets_hidden = sb.mountns && !sb.secrets.is_empty();
        sb.in_force.build_secrets_hidden = sb.in_force.secrets_hidden;
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

    /// Makes `path` (a hidden check binary, or a folder of its build) readable only by root
    /// and the hidden group: a public check, running as a slot uid without that group,
    /// cannot read the hidden checks' parameters out of it.
    pub fn protect_hidden(&self, path: &Path) {
        use std::os::unix::fs::PermissionsExt;
        let Some(gid) = self.hidden_gid() else {
            return;
        };
        let _ = nix::unistd::chown(
            path,
            Some(nix::unistd::Uid::from_raw(0)),
            Some(nix::unistd::Gid::from_raw(gid)),
        );
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o750));
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

/// A new mount namespace with `hide` covered by empty read-only tmpfs mounts.
fn unsafe_mount_namespace(hide: &[CString]) -> Result<(), i32> {
    // SAFETY: plain system calls; every pointer is a valid NUL-terminated string prepared
    // before fork.
    unsafe {
        if libc::unshare(libc::CLONE_NEWNS) != 0 {
            return Err(*libc::__errno_location());
        }
        // Our mounts must not propagate back to the grader's namespace.
        if libc::mount(
            c"none".as_ptr(),
            c"/".as_ptr(),
            std::ptr::null(),
            libc::MS_REC | libc::MS_PRIVATE,
            std::ptr::null(),
        ) != 0
        {
            return Err(*libc::__errno_location());
        }
        for path in hide {
            if libc::mount(
                c"tmpfs".as_ptr(),
                path.as_ptr(),
                c"tmpfs".as_ptr(),
                libc::MS_RDONLY | libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                c"size=4k,mode=0555".as_ptr().cast(),
            ) != 0
            {
                return Err(*libc::__errno_location());
            }
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

/// One job's view of the sandbox: what it hides besides the common secrets (the other jobs'
/// scratch folders), used for that job's builds and checks.
#[derive(Debug, Clone)]
pub struct Jail {
    sandbox: Arc<Sandbox>,
    hide: Vec<PathBuf>,
    workspace: PathBuf,
    /// Extra environment of this job's builds (cargo's shared build dir).
    pub build_env: Vec<(String, String)>,
}

/// A running check's slot: its uid, cgroups and scratch folder. [`Slot::finish`] ends every
/// process it started.
#[derive(Debug)]
pub struct Slot {
    sandbox: Arc<Sandbox>,
    slot: usize,
    oom_before: u64,
    /// Processes that were still alive after the check's process ended and had to be killed.
    pub killed_after: usize,
    done: bool,
}

impl Jail {
    /// A job's view: `workspace` is its scratch workspace, `others` the folders of the
    /// other jobs (hidden from this job's student code).
    pub fn new(sandbox: Arc<Sandbox>, workspace: &Path, others: Vec<PathBuf>) -> Jail {
        let mut hide = sandbox.secrets.clone();
        hide.extend(others.into_iter().filter(|p| p.is_dir()));
        Jail {
            sandbox,
            hide,
            workspace: workspace.to_path_buf(),
            build_env: Vec::new(),
        }
    }

    /// The sandbox.
    pub fn sandbox(&self) -> &Arc<Sandbox> {
        &self.sandbox
    }

    /// Confines a build (`cargo`): a clean environment, a memory cgroup, the secrets hidden.
    /// Cargo itself stays root (it writes the shared target dir): what student code can do
    /// at build time is read files (`include_str!`), and the secrets are not there to read.
    pub fn confine_build(&self, cmd: &mut Command) {
        clean_env(
            cmd,
            &[
                "PATH",
                "HOME",
                "CARGO_HOME",
                "RUSTUP_HOME",
                "RUSTUP_TOOLCHAIN",
            ],
        );
        cmd.env("CARGO_TERM_COLOR", "never")
            .envs(self.build_env.iter().map(|(k, v)| (k, v)));
        let sb = &self.sandbox;
        let join: Vec<CString> = sb
            .cgroups
            .as_ref()
            .and_then(Cgroups::build_procs_file)
            .map(|p| cstrings(&[p]))
            .unwrap_or_default();
        let hide = if sb.mountns {
            cstrings(&self.hide)
        } else {
            Vec::new()
        };
        // SAFETY: the closure makes only async-signal-safe system calls on data prepared
        // before fork.
        unsafe {
            cmd.pre_exec(move || {
                join_cgroups(&join).map_err(std::io::Error::from_raw_os_error)?;
                if !hide.is_empty() {
                    unsafe_mount_namespace(&hide).map_err(std::io::Error::from_raw_os_error)?;
                }
                // A grader killed mid-build takes its cargo with it.
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
                Ok(())
            });
        }
    }

    /// Confines the process of one check (or of a `--list`) of binary `tests`; waits for a
    /// free slot. `extra_env` is set after the environment is cleared.
    pub fn confine_check(
        &self,
        cmd: &mut Command,
        tests: &Path,
        extra_env: &[(String, String)],
    ) -> Slot {
        let sb = &self.sandbox;
        let slot = sb.acquire();
        let dir = sb.slot_dir(slot);
        // An empty scratch folder per check: nothing left by the previous one.
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                let p = e.path();
                let _ = if p.is_dir() && !p.is_symlink() {
                    std::fs::remove_dir_all(&p)
                } else {
                    std::fs::remove_file(&p)
                };
            }
        }
        cmd.env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", &dir)
            .env("TMPDIR", &dir)
            .env("LANG", "C.UTF-8")
            .env("RUST_BACKTRACE", "0")
            .env("INSTA_UPDATE", "no")
            .env("INSTA_WORKSPACE_ROOT", &self.workspace)
            .env("LABS_PYTHON", "off")
            .env("CI", "true")
            .envs(extra_env.iter().map(|(k, v)| (k, v)));
        let hidden_binary = tests
            .file_name()
            .is_some_and(|n| n.to_string_lossy().contains("_hidden"));
        let uid = sb.slot_uid(slot);
        let groups: Vec<libc::gid_t> = match (hidden_binary, sb.hidden_gid()) {
            (true, Some(g)) => vec![g],
            _ => Vec::new(),
        };
        let join = sb
            .cgroups
            .as_ref()
            .map(|c| cstrings(&c.procs_files(slot)))
            .unwrap_or_default();
        let net = sb.netns;
        let hide = if sb.mountns {
            cstrings(&self.hide)
        } else {
            Vec::new()
        };
        let limits = sb.limits.clone();
        let as_bytes = sb.rlimit_as_mib() << 20;
        let parent = std::process::id() as libc::pid_t;
        let oom_before = sb.cgroups.as_ref().map_or(0, |c| c.oom_kills(slot));
        // SAFETY: the closure runs between fork and exec and makes only async-signal-safe
        // system calls on data prepared before fork (no allocation, no locks).
        unsafe {
            cmd.pre_exec(move || {
                let err = std::io::Error::from_raw_os_error;
                // First of all: die with the grader, even while still being set up (a new
                // network namespace can take a while to make).
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
                if libc::getppid() != parent {
                    return Err(err(libc::ESRCH));
                }
                join_cgroups(&join).map_err(err)?;
                if net {
                    unsafe_net_namespace().map_err(err)?;
                }
                if !hide.is_empty() {
                    unsafe_mount_namespace(&hide).map_err(err)?;
                }
                // CPU: SIGXCPU at the soft limit, SIGKILL one second later.
                set_limit(libc::RLIMIT_CPU, limits.cpu_secs, limits.cpu_secs + 1).map_err(err)?;
                set_limit(libc::RLIMIT_AS, as_bytes, as_bytes).map_err(err)?;
                set_limit(libc::RLIMIT_CORE, 0, 0).map_err(err)?;
                set_limit(
                    libc::RLIMIT_FSIZE,
                    limits.file_mib << 20,
                    limits.file_mib << 20,
                )
                .map_err(err)?;
                set_limit(libc::RLIMIT_NOFILE, 4096, 4096).map_err(err)?;
                if let Some(uid) = uid {
                    // Root is not bound by RLIMIT_NPROC: this only holds after the uid drop.
                    set_limit(libc::RLIMIT_NPROC, limits.max_procs, limits.max_procs)
                        .map_err(err)?;
                    if libc::setgroups(groups.len(), groups.as_ptr()) != 0
                        || libc::setresgid(uid, uid, uid) != 0
                        || libc::setresuid(uid, uid, uid) != 0
                    {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
                // After the uid change (which clears it): die with the grader.
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
                if libc::getppid() != parent {
                    return Err(err(libc::ESRCH));
                }
                Ok(())
            });
        }
        Slot {
            sandbox: sb.clone(),
            slot,
            oom_before,
            killed_after: 0,
            done: false,
        }
    }
}

/// Clears the environment the command would inherit, but keeps `keep` (cargo needs its
/// homes, PATH and rustup's toolchain choice) and what was set on the command itself.
fn clean_env(cmd: &mut Command, keep: &[&str]) {
    let explicit: Vec<(std::ffi::OsString, std::ffi::OsString)> = cmd
        .get_envs()
        .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned())))
        .collect();
    let kept: Vec<(String, String)> = keep
        .iter()
        .filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v)))
        .collect();
    cmd.env_clear().envs(kept).envs(explicit);
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
