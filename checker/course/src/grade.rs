//! The instructor's grader: `scripts/grade SUBMISSIONS --out grades/`.
//!
//! For each submission (see [`crate::submission`]): take the student's files, write them over
//! the grader's base copy of the course (the student edition plus hidden check targets, see
//! [`crate::handout::base_files`]), build each lab offline and locked with a time limit, run
//! every check confined (see [`crate::sandbox`]), score, and write the student's results
//! atomically (see [`crate::outputs`]).
//!
//! ## Cost: dependencies once, per-student only what is theirs
//! Each job owns a scratch workspace and a target dir under `<scratch>/job<k>/`; every job
//! shares one cargo *build dir* (`<scratch>/build`, cargo's `build.build-dir`), so tokio and
//! the other dependencies are compiled once for the whole class. A student's files are
//! written into the job's workspace by content ([`crate::tree::sync`]): only the changed lab
//! crate, the checker and the test binaries are rebuilt.
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

use crate::deadlines::{self, Deadlines};
use crate::lms;
use crate::outputs::{self, StudentResult};
use crate::run::{self, CheckOutcome, LabOutcome, Options, Verdict};
use crate::sandbox::{self, Jail, Limits, Sandbox};
use crate::submission::{self, Entry, Fnv};
use crate::{handout, tree};
use anyhow::Context;
use model::course::{Course, Lab};
use std::collections::{BTreeMap, VecDeque};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

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
    let labs = run::select(&course, &cfg.labs)?;
    let t0 = Instant::now();
    std::fs::create_dir_all(&cfg.out)
        .with_context(|| format!("cannot create {}", cfg.out.display()))?;
    let out = std::path::absolute(&cfg.out)?;
    let submissions = std::path::absolute(&cfg.submissions)?;
    let root_abs = std::path::absolute(&cfg.root)?;
    refuse_foreign_cargo_config(&root_abs)?;
    let scratch = safe_scratch(&std::path::absolute(&cfg.scratch)?, &root_abs)?;
    // The instructor's files beside the submissions: dates and identities, never graded.
    let beside = cfg.one.is_none().then_some(submissions.as_path());
    let deadlines = Deadlines::new(&course, &labs, &cfg.due, cfg.late_mode.as_deref(), beside)?;
    let roster = match &cfg.roster {
        Some(p) => Some(std::path::absolute(p)?),
        None => beside.and_then(|s| deadlines::beside(s, lms::ROSTER_CSV)),
    };
    std::fs::create_dir_all(&scratch)?;
    // Two graders in one scratch folder would write into each other's job workspaces.
    let _scratch_lock = lock_scratch(&scratch)?;

    // The entries to grade.
    let mut entries = match &cfg.one {
        Some(id) => vec![Entry {
            id: id.clone(),
            path: submissions.clone(),
            problem: None,
        }],
        None => submission::discover(&submissions)?,
    };
    if let Some(shard) = cfg.shard {
        entries.retain(|e| in_shard(&e.id, shard));
    }
    if !cfg.students.is_empty() {
        for s in &cfg.students {
            anyhow::ensure!(
                entries.iter().any(|e| &e.id == s),
                "no submission for student {s:?} (in this shard)"
            );
        }
        entries.retain(|e| cfg.students.contains(&e.id));
    }

    // Offline from here on: every crate a build for this machine needs must be in the cache.
    handout::ensure_offline_crates(&cfg.root)?;
    // The base copy every student's files are written over.
    let base_dir = scratch.join("base");
    let exclude = vec![out.clone(), submissions.clone(), scratch.clone()];
    let mut base = handout::base_files(&cfg.root, &exclude)?;
    base.insert(
        PathBuf::from("Cargo.lock"),
        std::fs::read(cfg.root.join("Cargo.lock"))?,
    );
    handout::write_tree(&base_dir, &base)?;
    handout::prune_lock(&base_dir)?;
    let hidden = handout::hidden_checks(&cfg.root);
    let wanted: Vec<String> = labs.iter().flat_map(|l| l.student_paths()).collect();
    let settings_key = {
        let mut h = Fnv::default();
        // What decides a grade: the manifests, the course, the labs' provided code, the
        // checks and snapshots. Not the docs, not the course tool itself.
        let decides = |p: &Path| {
            let s = p.to_string_lossy();
            !(s.starts_with("docs/")
                || s.starts_with("checker/course/")
                || s.starts_with("scripts/")
                || s.ends_with(".md"))
        };
        for (p, b) in base.iter().filter(|(p, _)| decides(p)) {
            h.write(p.to_string_lossy().as_bytes());
            h.write(b);
        }
        for (l, b) in &hidden {
            h.write(l.as_bytes());
            h.write(b);
        }
        h.write(format!("{:?}{:?}", cfg.labs, cfg.limits).as_bytes());
        if !deadlines.is_empty() {
            h.write(deadlines.key().as_bytes());
        }
        format!("{:016x}", h.0)
    };

    // What is already done.
    let mut todo = VecDeque::new();
    let mut skipped = Vec::new();
    for e in entries {
        let deadlines::Intake {
            files: intake,
            dated,
        } = deadlines.intake(&e, &labs, &wanted);
        let settings_key = if dated == deadlines::Dated::default() {
            settings_key.clone()
        } else {
            // What was picked and how late it is decides the grade too.
            let mut h = Fnv::default();
            h.write(serde_json::to_string(&dated).unwrap_or_default().as_bytes());
            format!("{settings_key}-{:016x}", h.0)
        };
        let key = match &intake {
            Ok(files) => format!("{settings_key}-{}", files.fingerprint()),
            Err(why) => {
                let mut h = Fnv::default();
                h.write(why.as_bytes());
                format!("{settings_key}-rejected-{:016x}", h.0)
            }
        };
        let done = outputs::read_student(&out, &e.id).is_some_and(|r| r.extra_data.key == key);
        if done && cfg.students.is_empty() {
            skipped.push(e.id.clone());
        } else {
            todo.push_back((e, intake, key, dated));
        }
    }

    let jobs = cfg.jobs.max(1).min(todo.len().max(1));
    let job_dirs: Vec<PathBuf> = (0..jobs).map(|k| scratch.join(format!("job{k}"))).collect();
    let sandbox = Sandbox::new(sandbox::Setup {
        limits: cfg.limits.clone(),
        slots: jobs * cfg.check_jobs.max(1),
        scratch: scratch.join("slots"),
        uid_base: cfg.uid_base,
        minimal: false,
    })?;
    let in_force = sandbox.in_force().clone();
    if !in_force.secrets_hidden {
        eprintln!(
            "warning: no allow-list view for builds and checks (it needs root and Linux mount \
             and pid namespaces): student code can read what this user can read, and builds \
             run as this user. results.json records which limits held (extra_data.limits)."
        );
    }

    let total = todo.len();
    let progress = Bar::new(cfg.progress, total, skipped.len());
    if !todo.is_empty() {
        warm_up(
            &sandbox,
            &job_dirs,
            &base_dir,
            &labs,
            &hidden,
            &cfg.limits,
            &progress,
        );
    }
    let queue = Mutex::new(todo);
    let graded = Mutex::new(Vec::new());
    let errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for job_dir in &job_dirs {
            let job = Job {
                dir: job_dir.clone(),
                jail: {
                    let _ = std::fs::create_dir_all(job_dir.join("ws"));
                    Jail::new(
                        sandbox.clone(),
                        &job_dir.join("ws"),
                        &job_dir.join("target"),
                    )
                },
                base_dir: base_dir.clone(),
                check_jobs: cfg.check_jobs.max(1),
                limits: cfg.limits.clone(),
            };
            let (queue, graded, errors, progress, course, labs, hidden, out, in_force) = (
                &queue, &graded, &errors, &progress, &course, &labs, &hidden, &out, &in_force,
            );
            s.spawn(move || {
                loop {
                    let Some((entry, intake, key, dated)) =
                        queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front()
                    else {
                        break;
                    };
                    let started = Instant::now();
                    progress.start(&entry.id);
                    let mut result = job.grade(course, labs, hidden, &entry, intake, key, in_force);
                    deadlines::apply(&mut result, &dated);
                    if let Err(e) = outputs::write_student(out, course, &result) {
                        errors
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(format!("{}: {e:#}", entry.id));
                    }
                    progress.done(&entry.id, &result, started.elapsed());
                    graded
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(entry.id.clone());
                }
            });
        }
    });
    progress.finish();
    drop(sandbox);
    let errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    anyhow::ensure!(
        errors.is_empty(),
        "cannot write results:\n{}",
        errors.join("\n")
    );
    let (summary, text) = outputs::write_gradebook(&out, &course, &labs, roster.as_deref())?;
    // The class's report; similarity and answers need the class's files (not with --one).
    let class = match &cfg.one {
        None => crate::class_report::read_class(&submissions, &labs)?,
        Some(_) => Default::default(),
    };
    let report = crate::class_report::write_all(
        &out,
        &cfg.root,
        &course,
        &labs,
        &class,
        cfg.similarity_threshold,
    )?;
    let mut graded = graded.into_inner().unwrap_or_else(|e| e.into_inner());
    graded.sort();
    let text = format!(
        "{text}\ngraded {} students in {:.0} s ({} already done); results in {}, the class \
         report in {}\n",
        graded.len(),
        t0.elapsed().as_secs_f64(),
        skipped.len(),
        out.display(),
        report.display()
    );
    Ok(Report {
        graded,
        skipped,
        grader_errors: !summary.grader_errors.is_empty(),
        summary: text,
    })
}

/// Compiles the dependencies once, in job 0's target dir (by building the untouched
/// skeleton of every lab), then gives every other job a copy of it. Cargo's artifact names
/// do not depend on where a workspace sits, so the jobs cannot share one target dir (they
/// would overwrite each other's lab crates), but a copy is as good as a build.
fn warm_up(
    sandbox: &std::sync::Arc<Sandbox>,
    job_dirs: &[PathBuf],
    base_dir: &Path,
    labs: &[&Lab],
    hidden: &BTreeMap<String, Vec<u8>>,
    limits: &Limits,
    progress: &Bar,
) {
    let first = &job_dirs[0];
    if !first.join("target").is_dir() {
        progress.note("compiling the dependencies once (the first run takes a few minutes)…");
        let job = Job {
            dir: first.clone(),
            jail: Jail::new(sandbox.clone(), &first.join("ws"), &first.join("target")),
            base_dir: base_dir.to_path_buf(),
            check_jobs: 1,
            limits: limits.clone(),
        };
        if tree::sync(base_dir, &first.join("ws"), &BTreeMap::new()).is_ok() {
            let opts = job.options();
            for lab in labs {
                let _ = std::fs::remove_dir_all(opts.root.join("checker/hidden"));
                if run::build(&opts, lab).is_ok()
                    && let Some(src) = hidden.get(&lab.id)
                {
                    let _ = job.build_hidden(&opts, lab, src);
                }
            }
        }
    }
    for dir in &job_dirs[1..] {
        let target = dir.join("target");
        if target.is_dir() || !first.join("target").is_dir() {
            continue;
        }
        let _ = std::fs::create_dir_all(dir);
        let copied = Command::new("cp")
            .args(["-a", "--reflink=auto"])
            .arg(first.join("target"))
            .arg(&target)
            .stdin(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !copied {
            // A job without a copy builds its dependencies itself: slower, not wrong.
            let _ = std::fs::remove_dir_all(&target);
        }
    }
}

/// The first existing folder above `path` (or `path` itself) that users other than us can
/// write to (group- or world-writable, sticky or not: anyone may create `.cargo` there).
fn writable_by_others(path: &Path) -> Option<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let me = nix::unistd::geteuid().as_raw();
    path.ancestors().find_map(|a| {
        let m = std::fs::metadata(a).ok()?;
        let foreign_owner = m.uid() != me && m.uid() != 0;
        (m.mode() & 0o022 != 0 || foreign_owner).then(|| a.to_path_buf())
    })
}

/// The scratch folder to use. Cargo reads `.cargo/config.toml` from every folder above the
/// one it runs in, so a scratch folder under a folder others can write to (a checkout in
/// /tmp) would let them configure the grader's own cargo (the builds of student code see
/// no such folder: their view holds none). The default scratch moves to
/// `~/.cache/course-grader/<workspace>`; a `--scratch` given there is refused.
fn safe_scratch(scratch: &Path, root: &Path) -> anyhow::Result<PathBuf> {
    let Some(open) = writable_by_others(scratch) else {
        return Ok(scratch.to_path_buf());
    };
    if scratch != root.join("target/grade") {
        anyhow::bail!(
            "the scratch folder {} is under {}, which other users can write to: cargo would \
             read a .cargo/config.toml planted there. Give --scratch a folder under a private \
             one (e.g. ~/.cache/course-grader)",
            scratch.display(),
            open.display()
        );
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .context("HOME is not set: give --scratch a private folder")?;
    let mut h = Fnv::default();
    h.write(root.to_string_lossy().as_bytes());
    let moved = home
        .join(".cache/course-grader")
        .join(format!("{:016x}", h.0));
    if let Some(open) = writable_by_others(&moved) {
        anyhow::bail!(
            "{} is under {}, which other users can write to, and so is {}: give --scratch a \
             private folder",
            scratch.display(),
            open.display(),
            moved.display()
        );
    }
    eprintln!(
        "note: {} is under {}, which other users can write to; the scratch folder is {} instead",
        scratch.display(),
        open.display(),
        moved.display()
    );
    Ok(moved)
}

/// Refuses to grade when a folder above the workspace holds a cargo configuration that
/// someone else owns: the cargo that built this grader has read it already.
fn refuse_foreign_cargo_config(root: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let me = nix::unistd::geteuid().as_raw();
    for a in root.ancestors() {
        for name in [".cargo/config.toml", ".cargo/config"] {
            let p = a.join(name);
            if let Ok(m) = std::fs::metadata(&p)
                && m.uid() != me
                && m.uid() != 0
            {
                anyhow::bail!(
                    "{} belongs to uid {}, not to you: cargo reads it for every build in {} \
                     (it may run any program as you). Remove it, or move the course elsewhere",
                    p.display(),
                    m.uid(),
                    root.display()
                );
            }
        }
    }
    Ok(())
}

/// Holds `<scratch>/.lock` for the whole run, or says who has it.
fn lock_scratch(scratch: &Path) -> anyhow::Result<std::fs::File> {
    use std::os::fd::AsRawFd;
    let path = scratch.join(".lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    // SAFETY: flock on a descriptor we own.
    let locked =
        unsafe { nix::libc::flock(file.as_raw_fd(), nix::libc::LOCK_EX | nix::libc::LOCK_NB) } == 0;
    anyhow::ensure!(
        locked,
        "another grader is using {}: wait for it, or give this one its own --scratch",
        scratch.display()
    );
    Ok(file)
}

/// One grading job: its scratch workspace and target dir, its view of the sandbox.
struct Job {
    dir: PathBuf,
    jail: Jail,
    base_dir: PathBuf,
    check_jobs: usize,
    limits: Limits,
}

impl Job {
    #[allow(clippy::too_many_arguments)]
    fn grade(
        &self,
        course: &Course,
        labs: &[&Lab],
        hidden: &BTreeMap<String, Vec<u8>>,
        entry: &Entry,
        intake: Result<submission::Files, String>,
        key: String,
        in_force: &sandbox::InForce,
    ) -> StudentResult {
        let files = match intake {
            Ok(f) if f.files.is_empty() => {
                let msg = "no student file was found (an empty submission?): expected files such as labs/lab1-sync/src/measure.rs".to_owned();
                return outputs::student_result(
                    course,
                    &entry.id,
                    Vec::new(),
                    Some(msg),
                    String::new(),
                    key,
                    Some(in_force.clone()),
                );
            }
            Ok(f) => f,
            Err(why) => {
                return outputs::student_result(
                    course,
                    &entry.id,
                    Vec::new(),
                    Some(why),
                    String::new(),
                    key,
                    Some(in_force.clone()),
                );
            }
        };
        let ws = self.dir.join("ws");
        // The student's files over the base; labs not submitted keep the skeleton (they
        // are not built at all, see below).
        let mut overlay = BTreeMap::new();
        for (path, bytes) in &files.files {
            overlay.insert(PathBuf::from(path), bytes.clone());
        }
        let mut grades = Vec::new();
        if let Err(e) = tree::sync(&self.base_dir, &ws, &overlay) {
            for lab in labs {
                let outcome = failed(
                    lab,
                    Verdict::GraderError,
                    format!("cannot prepare the workspace: {e:#}"),
                );
                grades.push(outputs::lab_grade(lab, &outcome, Vec::new()));
            }
        } else {
            for lab in labs {
                let mine = lab.student_paths();
                let present: Vec<&String> = mine
                    .iter()
                    .filter(|f| files.files.contains_key(*f))
                    .collect();
                if present.is_empty() {
                    grades.push(outputs::missing_lab(lab));
                    continue;
                }
                let skeleton: Vec<String> = mine
                    .iter()
                    .filter(|f| !files.files.contains_key(*f))
                    .cloned()
                    .collect();
                let outcome = self.grade_lab(lab, hidden.get(&lab.id));
                let mut grade = outputs::lab_grade(lab, &outcome, skeleton);
                grade.flags = crate::flags::scan(lab, &files.files, &self.base_dir);
                grades.push(grade);
            }
        }
        outputs::student_result(
            course,
            &entry.id,
            grades,
            None,
            files.root.clone(),
            key,
            Some(in_force.clone()),
        )
    }

    fn options(&self) -> Options {
        let mut opts = Options::new(&self.dir.join("ws"));
        opts.target_dir = Some(self.dir.join("target"));
        opts.offline = true;
        opts.jobs = self.check_jobs;
        opts.output_cap = self.limits.output_cap;
        opts.sandbox = Some(self.jail.clone());
        opts.build_timeout = Some(Duration::from_secs(self.limits.build_secs));
        opts
    }

    fn grade_lab(&self, lab: &Lab, hidden: Option<&Vec<u8>>) -> LabOutcome {
        let opts = self.options();
        let ws = &opts.root;
        // No hidden source in the workspace while student code compiles.
        let _ = std::fs::remove_dir_all(ws.join("checker/hidden"));
        let built = match run::build(&opts, lab) {
            Ok(b) => b,
            Err((verdict, message)) => return failed(lab, verdict, message),
        };
        let mut binaries = vec![(built.tests.clone(), false)];
        if let Some(source) = hidden {
            match self.build_hidden(&opts, lab, source) {
                Ok(bin) => binaries.push((bin, true)),
                Err((verdict, message)) => return failed(lab, verdict, message),
            }
        }
        let lab_deadline = Instant::now() + Duration::from_secs(self.limits.lab_secs);
        let mut outcomes = Vec::new();
        for (bin, is_hidden) in binaries {
            let names = match self.list(&opts, &bin) {
                Ok(n) => n,
                Err(message) => return failed(lab, Verdict::GraderError, message),
            };
            let mut opts = opts.clone();
            opts.listed = Some(names.len());
            let results = run_checks(&opts, lab, &bin, &names, lab_deadline);
            for mut o in results {
                if is_hidden {
                    o.name = format!("hidden::{}", o.name);
                }
                outcomes.push(o);
            }
        }
        sandbox::reap_strays();
        run::score(lab, outcomes)
    }

    /// Builds `labN_hidden` once the student's crate is built, then removes the source.
    fn build_hidden(
        &self,
        opts: &Options,
        lab: &Lab,
        source: &[u8],
    ) -> Result<PathBuf, (Verdict, String)> {
        let dir = opts.root.join("checker/hidden");
        let file = dir.join(format!("{}.rs", lab.id));
        let write = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, source));
        if let Err(e) = write {
            return Err((
                Verdict::GraderError,
                format!("cannot write the hidden checks: {e}"),
            ));
        }
        let target = format!("{}_hidden", lab.id);
        // The same build as the public checks' (run::cargo_test_no_run: deadline, confined),
        // as the one build that may write the hidden checks' artifacts.
        let output = run::cargo_test_no_run(opts, lab, &[target.as_str()], &lab.id, true);
        let _ = std::fs::remove_dir_all(&dir);
        let output = output?;
        let sb = self.jail.sandbox();
        // Whatever the build wrote, the hidden checks' binary and caches go out of reach of
        // every later student build and public check, even when the build failed halfway.
        if let Some(t) = &opts.target_dir {
            sb.protect_hidden(t, &target);
        }
        if !output.success {
            let errors: Vec<&str> = output
                .stderr
                .lines()
                .filter(|l| l.starts_with("error"))
                .take(20)
                .collect();
            return Err((
                Verdict::CompileError,
                format!(
                    "the grader's extra checks of {} do not compile against your code: did you change a \
                     public signature of a task file?\n{}",
                    lab.id,
                    errors.join("\n")
                ),
            ));
        }
        run::artifact(&output.stdout, &target, "test").ok_or_else(|| {
            (
                Verdict::GraderError,
                format!("cargo built no {target} binary"),
            )
        })
    }

    /// `--list`, sandboxed: a binary may run student code before main (`.init_array`).
    fn list(&self, opts: &Options, bin: &Path) -> Result<Vec<String>, String> {
        run::run_list(opts, bin, Duration::from_secs(30))
    }
}

/// Runs the checks on `opts.jobs` workers; past the lab's deadline, the rest are not run.
fn run_checks(
    opts: &Options,
    lab: &Lab,
    tests: &Path,
    names: &[String],
    lab_deadline: Instant,
) -> Vec<CheckOutcome> {
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<CheckOutcome>>> = Mutex::new(vec![None; names.len()]);
    std::thread::scope(|s| {
        for _ in 0..opts.jobs.max(1) {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap_or_else(|e| e.into_inner());
                        *n += 1;
                        *n - 1
                    };
                    let Some(name) = names.get(i) else { break };
                    let task = run::task_of_check(name).and_then(|id| lab.task(&id).cloned());
                    let deadline = task
                        .as_ref()
                        .map_or(Duration::from_secs(lab.timeout_secs), |t| t.timeout(lab))
                        + Duration::from_secs(
                            opts.sandbox
                                .as_ref()
                                .map_or(5, |j| j.sandbox().limits().kill_grace_secs),
                        );
                    let left = lab_deadline.saturating_duration_since(Instant::now());
                    let mut outcome = if left.is_zero() {
                        CheckOutcome {
                            name: name.clone(),
                            verdict: Verdict::TimedOut,
                            message:
                                "not run: the lab's time budget was used up by the checks before it"
                                    .into(),
                            seconds: 0.0,
                        }
                    } else {
                        run::run_one(opts, tests, name, deadline.min(left))
                    };
                    outcome.name = run::report_name(name);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(outcome);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

fn failed(lab: &Lab, verdict: Verdict, message: String) -> LabOutcome {
    LabOutcome {
        lab: lab.id.clone(),
        tasks: lab
            .tasks
            .iter()
            .map(|t| run::TaskOutcome {
                id: t.id.clone(),
                title: t.title.clone(),
                earned: 0,
                points: t.points,
                checks: Vec::new(),
            })
            .collect(),
        failure: Some((verdict, message)),
        orphan_checks: Vec::new(),
    }
}

/// Progress: an indicatif bar on a terminal, plain lines otherwise.
struct Bar {
    bar: Option<indicatif::ProgressBar>,
    mode: Progress,
    total: usize,
    done: Mutex<usize>,
}

impl Bar {
    fn new(mode: Progress, total: usize, skipped: usize) -> Bar {
        let tty =
            std::io::stderr().is_terminal() && std::env::var("CI").map_or(true, |v| v != "true");
        let bar = (mode == Progress::Auto && tty).then(|| {
            let b = indicatif::ProgressBar::new(total as u64);
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{elapsed_precise} [{bar:30}] {pos}/{len} {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            b.enable_steady_tick(Duration::from_millis(200));
            b
        });
        if mode != Progress::Quiet {
            let line = format!("grading {total} submissions ({skipped} already done)");
            match &bar {
                Some(b) => b.println(line),
                None => eprintln!("{line}"),
            }
        }
        Bar {
            bar,
            mode,
            total,
            done: Mutex::new(0),
        }
    }

    fn note(&self, line: &str) {
        match (&self.bar, self.mode) {
            (Some(b), _) => b.println(line),
            (None, Progress::Quiet) => {}
            (None, _) => eprintln!("{line}"),
        }
    }

    fn start(&self, id: &str) {
        if let Some(b) = &self.bar {
            b.set_message(format!("grading {id}"));
        }
    }

    fn done(&self, id: &str, r: &StudentResult, took: Duration) {
        let n = {
            let mut d = self.done.lock().unwrap_or_else(|e| e.into_inner());
            *d += 1;
            *d
        };
        let line = format!(
            "[{n}/{}] {id}: {}/{} {} ({:.1} s)",
            self.total,
            r.score,
            r.max_score,
            r.extra_data.status,
            took.as_secs_f64()
        );
        match (&self.bar, self.mode) {
            (Some(b), _) => {
                b.println(line);
                b.inc(1);
            }
            (None, Progress::Quiet) => {}
            (None, _) => eprintln!("{line}"),
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
