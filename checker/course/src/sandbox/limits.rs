//! The limits the instructor asks for, and the record of which ones really held.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

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
