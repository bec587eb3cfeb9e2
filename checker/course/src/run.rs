//! Running one lab's checks: build once, then one process per check.
//!
//! Why a process per check, when `cargo test` runs them all in one? Because student code
//! in a concurrency course hangs, spins, aborts and exits. In its own process a check can
//! be killed at its deadline with everything it started (its process group), a call to
//! `process::exit(0)` or printed text cannot pass for success (a pass needs the harness's
//! seal, made with a secret this process alone was given, see `model::seal`),
//! and one check's leaked threads cannot slow the next. Starting a test binary costs about
//! a millisecond; a lab has a few dozen checks.
//!
//! Each lab's checks are built on their own (`--no-default-features --features labN`), so a
//! lab that does not compile costs that lab only.

mod build;
mod lab;
mod messages;
mod process;
#[cfg(test)]
mod tests;

pub use build::{Built, CargoOutput, PUBLIC_TESTS, artifact, build, cargo_test_no_run, has_hidden};
pub use lab::{check_lab, on_workers, run_all, run_built, score};
pub use messages::{
    HIDDEN_PREFIX, libtest_passed, report_name, student_message, task_of_check, truncate_lines,
};
pub use process::{list, run_list, run_one};

use model::course::{Course, Lab};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What is checked and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The workspace whose checks are built and run.
    pub root: PathBuf,
    /// Check `solutions/` instead of `labs/`.
    pub solutions: bool,
    /// Cargo's target dir (default: cargo's own choice, `<root>/target`).
    pub target_dir: Option<PathBuf>,
    /// Build with `--offline --locked` (the grader and the self-test do).
    pub offline: bool,
    /// Checks run at the same time.
    pub jobs: usize,
    /// Largest output kept per check (bytes); the rest is dropped.
    pub output_cap: usize,
    /// Extra environment for the check processes.
    pub env: Vec<(String, String)>,
    /// The grader's sandbox for this job (None for students and the self-test: checks run
    /// as the caller, with the caller's environment, and output past the cap is dropped).
    /// With it, builds and checks are confined (see `sandbox`), a check whose output passes
    /// the cap is killed, and a pass needs libtest's exact output, nothing else on stdout.
    pub sandbox: Option<crate::sandbox::Jail>,
    /// Kill a build that runs longer than this (None: no limit).
    pub build_timeout: Option<Duration>,
    /// How many tests the binary being run holds (from `--list`): with the sandbox, a pass
    /// must then report exactly that many minus one as "filtered out".
    pub listed: Option<usize>,
}

impl Options {
    /// Defaults for the workspace at `root`: labs/, the machine's cores, 256 KiB of output.
    pub fn new(root: &Path) -> Options {
        Options {
            root: root.to_path_buf(),
            solutions: false,
            target_dir: None,
            offline: false,
            jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            output_cap: 256 * 1024,
            env: Vec::new(),
            sandbox: None,
            build_timeout: None,
            listed: None,
        }
    }
}

pub use model::Verdict;

/// One check's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckOutcome {
    /// The test's name, `task_1_3::counts_primes`.
    pub name: String,
    /// What happened.
    pub verdict: Verdict,
    /// The failure message (empty on a pass).
    pub message: String,
    /// How long its process ran.
    pub seconds: f64,
}

/// One task's result: its points and its checks.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaskOutcome {
    /// `1.3`.
    pub id: String,
    /// From course.toml.
    pub title: String,
    /// Points earned: all or nothing.
    pub earned: u32,
    /// Points possible.
    pub points: u32,
    /// Its checks, in listing order.
    pub checks: Vec<CheckOutcome>,
}

impl TaskOutcome {
    /// Every task of `lab`, no check run yet, no point earned.
    pub fn unscored(lab: &Lab) -> Vec<TaskOutcome> {
        lab.tasks
            .iter()
            .map(|t| TaskOutcome {
                id: t.id.clone(),
                title: t.title.clone(),
                earned: 0,
                points: t.points,
                checks: Vec::new(),
            })
            .collect()
    }

    /// The verdict that best sums up the task: pass, or its first failing check's verdict.
    pub fn verdict(&self) -> Verdict {
        self.checks
            .iter()
            .map(|c| c.verdict)
            .find(|v| *v != Verdict::Pass)
            .unwrap_or(if self.checks.is_empty() {
                Verdict::GraderError
            } else {
                Verdict::Pass
            })
    }
}

/// One lab's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LabOutcome {
    /// `lab1`.
    pub lab: String,
    /// Its tasks, in course order.
    pub tasks: Vec<TaskOutcome>,
    /// Set when the lab could not be checked at all (compile error, grader error).
    pub failure: Option<(Verdict, String)>,
    /// Checks that belong to no task of course.toml (a course bug, reported by the self-test).
    pub orphan_checks: Vec<String>,
}

impl LabOutcome {
    /// Points earned.
    pub fn earned(&self) -> u32 {
        self.tasks.iter().map(|t| t.earned).sum()
    }

    /// Points possible.
    pub fn points(&self) -> u32 {
        self.tasks.iter().map(|t| t.points).sum()
    }

    /// A lab none of whose checks could run: every task at zero, with why.
    pub fn failed(lab: &Lab, verdict: Verdict, message: String) -> LabOutcome {
        LabOutcome {
            lab: lab.id.clone(),
            tasks: TaskOutcome::unscored(lab),
            failure: Some((verdict, message)),
            orphan_checks: Vec::new(),
        }
    }
}

/// The labs named in `ids` (all of them when empty; a lab named twice, once), or an error
/// naming the unknown one.
pub fn select<'c>(course: &'c Course, ids: &[String]) -> anyhow::Result<Vec<&'c Lab>> {
    if ids.is_empty() {
        return Ok(course.labs.iter().collect());
    }
    let mut seen = std::collections::BTreeSet::new();
    ids.iter()
        .filter(|id| seen.insert(id.as_str()))
        .map(|id| {
            course.lab(id).ok_or_else(|| {
                let known: Vec<&str> = course.labs.iter().map(|l| l.id.as_str()).collect();
                anyhow::anyhow!(crate::t!("error-no-lab", lab = id, labs = known.join(", ")))
            })
        })
        .collect()
}
