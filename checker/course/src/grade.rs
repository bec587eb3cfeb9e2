//! The instructor's grader: `scripts/grade SUBMISSIONS --out grades/`.
//!
//! For each submission (see [`crate::submission`]): take the student's files, write them over
//! the grader's base copy of the course (the student edition plus hidden check targets, see
//! [`crate::handout::base_files`]), build each lab offline and locked with a time limit, run
//! every check confined (see [`crate::sandbox`]), score, and write the student's results
//! atomically (see [`crate::outputs`]).
//!
//! ## Cost: dependencies once, per-student only what is theirs
//! Each job owns a scratch workspace and a target dir under `<scratch>/job<k>/`. Tokio and
//! the other dependencies are compiled once, in job 0's target dir, and the other jobs start
//! from a copy of them ([`crate::tree::seed_target`]). A student's files are written into the job's
//! workspace by content ([`crate::tree::sync`]): only the changed lab crate, the checker and
//! the test binaries are rebuilt.
//!
//! ## Hidden checks, out of reach
//! A lab is built in two steps. First the public checks (`--test labs` with the lab's feature), with no hidden
//! source anywhere in the workspace: student code that tries `include_str!` on it fails to
//! compile. Then the hidden source is written, `--test labN_hidden` is built (the student's
//! crate is already built and is not compiled again), and the source is deleted. The hidden
//! binary is readable by root and one group only, which the sandbox gives to hidden checks
//! alone; the instructor's own copy is covered in every sandboxed process's mount namespace.
//!
//! ## Resumable, shardable
//! A student is done when `students/<id>/results.json` exists with the same key (the
//! submission's content, the course, the checks, the labs and limits): a killed run,
//! started again with the same command, grades only the others. `--student ID` re-grades
//! one. `--shard K/N` takes the students whose id hashes to K (of N), for a CI matrix; `merge`
//! combines the shards' output folders.
//!
//! ## A run
//! [`run`] prepares the class (`class::Class`: the folders, the base copy, the students to
//! grade, the sandbox), warms up the jobs' target dirs, grades each student on one of the
//! jobs (`job::Job`), and writes the class's outputs.

mod class;
mod job;
mod progress;
mod scratch;

use crate::sandbox::{self, Limits};
use crate::submission::Fnv;
use anyhow::Context;
use class::Class;
use model::course::Course;
use std::path::{Path, PathBuf};

/// How to show progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A bar on a terminal; plain lines when not a terminal or when CI=true.
    Auto,
    /// One line per student.
    Plain,
    /// Nothing.
    Quiet,
}

/// What to grade and how.
#[derive(Debug, Clone)]
pub struct Config {
    /// The instructor's workspace (with solutions and hidden checks).
    pub root: PathBuf,
    /// The submissions folder (or, with `one`, one submission).
    pub submissions: PathBuf,
    /// `submissions` is a single submission (Gradescope's /autograder/submission).
    pub one: Option<String>,
    /// The output folder.
    pub out: PathBuf,
    /// Students graded at the same time.
    pub jobs: usize,
    /// Checks of one student run at the same time.
    pub check_jobs: usize,
    /// `(k, n)`: grade only shard k of n (1-based).
    pub shard: Option<(usize, usize)>,
    /// Grade only these students (re-grading them even if done).
    pub students: Vec<String>,
    /// Labs to grade (all when empty).
    pub labs: Vec<String>,
    /// The sandbox's limits.
    pub limits: Limits,
    /// Scratch folder (workspaces, targets, the shared build dir).
    pub scratch: PathBuf,
    /// Progress display.
    pub progress: Progress,
    /// First uid of the sandbox's slots.
    pub uid_base: u32,
    /// Due dates given on the command line, `lab2=2027-03-01T23:59:00+03:00`: over
    /// course.toml's (see [`crate::deadlines`]).
    pub due: Vec<String>,
    /// Replaces the mode of course.toml's `[late]` policy: `before-deadline` or `penalty`.
    pub late_mode: Option<String>,
    /// The roster for the LMS exports (default: `SUBMISSIONS/roster.csv` if there is one).
    pub roster: Option<PathBuf>,
    /// Similar task files scoring at least this are reported (see [`crate::similarity`]).
    pub similarity_threshold: f64,
}

impl Config {
    /// Defaults: 2 jobs of 1 check each (2 cores), scratch in `<root>/target/grade`.
    pub fn new(root: &Path, submissions: &Path, out: &Path) -> Config {
        Config {
            root: root.to_path_buf(),
            submissions: submissions.to_path_buf(),
            one: None,
            out: out.to_path_buf(),
            jobs: 2,
            check_jobs: 1,
            shard: None,
            students: Vec::new(),
            labs: Vec::new(),
            limits: Limits::default(),
            scratch: root.join("target/grade"),
            progress: Progress::Auto,
            uid_base: sandbox::DEFAULT_UID_BASE,
            due: Vec::new(),
            late_mode: None,
            roster: None,
            similarity_threshold: crate::similarity::DEFAULT_THRESHOLD,
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Students graded in this run.
    pub graded: Vec<String>,
    /// Students skipped because already done.
    pub skipped: Vec<String>,
    /// The class summary (text).
    pub summary: String,
    /// Some student has a grader error.
    pub grader_errors: bool,
}

/// `K/N` → `(K, N)`.
pub fn parse_shard(s: &str) -> anyhow::Result<(usize, usize)> {
    let (k, n) = s.split_once('/').context("--shard takes K/N, e.g. 2/4")?;
    let (k, n): (usize, usize) = (k.trim().parse()?, n.trim().parse()?);
    anyhow::ensure!(
        n >= 1 && (1..=n).contains(&k),
        "--shard {k}/{n}: K must be between 1 and N"
    );
    Ok((k, n))
}

/// `true` if student `id` belongs to shard `k` of `n` (a hash, so adding a student never
/// moves the others).
pub fn in_shard(id: &str, (k, n): (usize, usize)) -> bool {
    let mut h = Fnv::default();
    h.write(id.as_bytes());
    (h.0 % n as u64) as usize == k - 1
}

/// Grades. See the module documentation.
pub fn run(cfg: &Config) -> anyhow::Result<Report> {
    let course = Course::load(&cfg.root).map_err(anyhow::Error::msg)?;
    let (class, todo) = Class::prepare(cfg, &course)?;
    if !todo.is_empty() {
        class.warm_up();
    }
    let graded = class.grade_all(todo);
    class.write_outputs(graded)
}
