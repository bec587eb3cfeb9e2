//! The class being graded: what every student's grading shares, prepared once, and the
//! steps of a run (warm up, grade each student, write the class's outputs).

use super::job::Job;
use super::progress::Bar;
use super::scratch::{lock_scratch, refuse_foreign_cargo_config, safe_scratch};
use super::{Config, Report, in_shard};
use crate::deadlines::{self, Deadlines};
use crate::outputs::{self, StudentResult};
use crate::run::{self, Options};
use crate::sandbox::{self, InForce, Sandbox};
use crate::submission::{self, Entry, Fnv};
use crate::{handout, lms, tree};
use anyhow::Context;
use model::course::{Course, Lab};
use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One student to grade: the entry, the files taken from it (or why none could be), the
/// key their result is stored under, and what the due dates make of it.
pub(super) struct Student {
    /// The submission.
    pub(super) entry: Entry,
    /// The student files, or why the entry is rejected.
    pub(super) intake: Result<submission::Files, String>,
    /// The result's key (see [`crate::outputs::Extra::key`]).
    pub(super) key: String,
    /// Lateness and history.
    pub(super) dated: deadlines::Dated,
}

/// What every student's grading shares: the configuration, the course and the labs graded,
/// the output folder, the scratch folder (locked for this grader) with the base copy of the
/// workspace and one folder per job, the hidden checks' sources, the sandbox and the
/// progress display. Built once, by [`Class::prepare`].
pub(super) struct Class<'a> {
    cfg: &'a Config,
    course: &'a Course,
    labs: Vec<&'a Lab>,
    started: Instant,
    out: PathBuf,
    submissions: PathBuf,
    roster: Option<PathBuf>,
    base_dir: PathBuf,
    hidden: BTreeMap<String, Vec<u8>>,
    job_dirs: Vec<PathBuf>,
    sandbox: Arc<Sandbox>,
    in_force: InForce,
    progress: Bar,
    skipped: Vec<String>,
    /// `<scratch>/.lock`, held for the whole run: two graders in one scratch folder would
    /// write into each other's job workspaces.
    _scratch_lock: crate::sandbox::HeldLock,
}

/// What grading the students did: who was graded, whose results could not be written.
pub(super) struct Graded {
    ids: Vec<String>,
    write_errors: Vec<String>,
}

impl<'a> Class<'a> {
    /// Checks the folders, locks the scratch folder, writes the base copy, sorts the
    /// students into those to grade (returned, in order) and those already done, and starts
    /// the sandbox with a slot for every check that can run at once.
    pub(super) fn prepare(
        cfg: &'a Config,
        course: &'a Course,
    ) -> anyhow::Result<(Class<'a>, VecDeque<Student>)> {
        let labs = run::select(course, &cfg.labs)?;
        let started = Instant::now();
        std::fs::create_dir_all(&cfg.out)
            .with_context(|| format!("cannot create {}", cfg.out.display()))?;
        let out = std::path::absolute(&cfg.out)?;
        let submissions = std::path::absolute(&cfg.submissions)?;
        let root_abs = std::path::absolute(&cfg.root)?;
        refuse_foreign_cargo_config(&root_abs)?;
        let scratch = safe_scratch(&std::path::absolute(&cfg.scratch)?, &root_abs)?;
        // The instructor's files beside the submissions: dates and identities, never graded.
        let beside = cfg.one.is_none().then_some(submissions.as_path());
        let deadlines = Deadlines::new(course, &labs, &cfg.due, cfg.late_mode.as_deref(), beside)?;
        let roster = match &cfg.roster {
            Some(p) => Some(std::path::absolute(p)?),
            None => beside.and_then(|s| deadlines::beside(s, lms::ROSTER_CSV)),
        };
        std::fs::create_dir_all(&scratch)?;
        let _scratch_lock = lock_scratch(&scratch)?;
        let entries = entries(cfg, &submissions)?;

        // Offline from here on: every crate a build for this machine needs must be in the cache.
        handout::ensure_offline_crates(&cfg.root)?;
        let base_dir = scratch.join("base");
        let exclude = vec![out.clone(), submissions.clone(), scratch.clone()];
        let base = write_base(&cfg.root, &base_dir, &exclude)?;
        let hidden = handout::hidden_checks(&cfg.root);
        let settings_key = settings_key(cfg, &base, &hidden, &deadlines);
        let (todo, skipped) = sort_out(cfg, &out, entries, &deadlines, &labs, &settings_key);

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
            eprintln!("{}", crate::t!("grading-no-view"));
        }
        let progress = Bar::new(cfg.progress, todo.len(), skipped.len());
        let class = Class {
            cfg,
            course,
            labs,
            started,
            out,
            submissions,
            roster,
            base_dir,
            hidden,
            job_dirs,
            sandbox,
            in_force,
            progress,
            skipped,
            _scratch_lock,
        };
        Ok((class, todo))
    }

    /// What to grade and how.
    pub(super) fn config(&self) -> &Config {
        self.cfg
    }

    /// The course.
    pub(super) fn course(&self) -> &Course {
        self.course
    }

    /// The labs graded.
    pub(super) fn labs(&self) -> &[&'a Lab] {
        &self.labs
    }

    /// The base copy every student's files are written over.
    pub(super) fn base_dir(&self) -> &Path {
        &self.base_dir
    }

    /// The source of `lab`'s hidden checks, if it has any.
    pub(super) fn hidden(&self, lab: &Lab) -> Option<&Vec<u8>> {
        self.hidden.get(&lab.id)
    }

    /// The limits that hold, recorded in every result.
    pub(super) fn in_force(&self) -> &InForce {
        &self.in_force
    }

    /// How `job` builds and runs checks: in its own workspace and target dir, offline,
    /// confined by its jail, with the class's limits.
    pub(super) fn options(&self, job: &Job) -> Options {
        let limits = &self.cfg.limits;
        Options {
            target_dir: Some(job.target()),
            offline: true,
            jobs: self.cfg.check_jobs.max(1),
            output_cap: limits.output_cap,
            sandbox: Some(job.jail().clone()),
            build_timeout: Some(Duration::from_secs(limits.build_secs)),
            ..Options::new(&job.workspace())
        }
    }

    /// Compiles the dependencies once, in job 0's target dir (by building the untouched
    /// skeleton of every lab), then gives every other job a copy of its compiled
    /// dependencies ([`tree::seed_target`]). Cargo's artifact names do not depend on where a
    /// workspace sits, so the jobs cannot share one target dir (they would overwrite each
    /// other's lab crates), but a copy of the registry's crates is as good as a build.
    pub(super) fn warm_up(&self) {
        let first = &self.job_dirs[0];
        if !first.join("target").is_dir() {
            self.progress.note(&crate::t!("grading-dependencies"));
            let job = Job::new(&self.sandbox, first);
            if tree::sync(&self.base_dir, &job.workspace(), &BTreeMap::new()).is_ok() {
                let opts = self.options(&job);
                for lab in &self.labs {
                    let _ = std::fs::remove_dir_all(opts.root.join("checker/hidden"));
                    if run::build(&opts, lab).is_ok()
                        && let Some(src) = self.hidden(lab)
                    {
                        let _ = job.build_hidden(&opts, lab, src);
                    }
                }
            }
        }
        for dir in &self.job_dirs[1..] {
            // A job without a copy builds its dependencies itself: slower, not wrong.
            let _ = tree::seed_target(&first.join("target"), &dir.join("target"), &self.base_dir);
        }
    }

    /// Grades the students of `todo` on one thread per job, writing each student's results
    /// as soon as they are graded.
    pub(super) fn grade_all(&self, todo: VecDeque<Student>) -> Graded {
        let queue = Mutex::new(todo);
        let graded = Mutex::new(Vec::new());
        let errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
        let jobs: Vec<Job> = self
            .job_dirs
            .iter()
            .map(|dir| Job::new(&self.sandbox, dir))
            .collect();
        std::thread::scope(|s| {
            for job in &jobs {
                let (queue, graded, errors) = (&queue, &graded, &errors);
                s.spawn(move || {
                    while let Some(student) = lock(queue).pop_front() {
                        let id = &student.entry.id;
                        if let Err(e) = self.grade_one(job, &student) {
                            lock(errors).push(format!("{id}: {e:#}"));
                        }
                        lock(graded).push(id.clone());
                    }
                });
            }
        });
        self.progress.finish();
        Graded {
            ids: graded.into_inner().unwrap_or_else(|e| e.into_inner()),
            write_errors: errors.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Grades one student on `job` and writes their results.
    fn grade_one(&self, job: &Job, student: &Student) -> anyhow::Result<()> {
        let started = Instant::now();
        let id = &student.entry.id;
        self.progress.start(id);
        let mut result: StudentResult = job.grade(self, student);
        deadlines::apply(&mut result, &student.dated);
        let written = outputs::write_student(&self.out, self.course, &result);
        self.progress.done(id, &result, started.elapsed());
        written
    }

    /// Stops the sandbox, then writes the gradebook and the class's report.
    pub(super) fn write_outputs(self, graded: Graded) -> anyhow::Result<Report> {
        drop(self.sandbox);
        let errors = graded.write_errors;
        anyhow::ensure!(
            errors.is_empty(),
            "cannot write results:\n{}",
            errors.join("\n")
        );
        let (out, labs, cfg) = (&self.out, &self.labs, self.cfg);
        let (summary, text) =
            outputs::write_gradebook(out, self.course, labs, self.roster.as_deref())?;
        // The class's report; similarity and answers need the class's files (not with --one).
        let class = match &cfg.one {
            None => crate::class_report::read_class(&self.submissions, labs)?,
            Some(_) => Default::default(),
        };
        let report = crate::class_report::write_all(
            out,
            &cfg.root,
            self.course,
            labs,
            &class,
            cfg.similarity_threshold,
        )?;
        let mut graded = graded.ids;
        graded.sort();
        let text = format!(
            "{text}\n{}\n",
            crate::t!(
                "grading-done",
                students = graded.len(),
                secs = format!("{:.0}", self.started.elapsed().as_secs_f64()),
                skipped = self.skipped.len(),
                out = out.display().to_string(),
                report = report.display().to_string()
            )
        );
        Ok(Report {
            graded,
            skipped: self.skipped,
            grader_errors: !summary.grader_errors.is_empty(),
            summary: text,
        })
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The entries to grade: the submissions (or the one), of this shard, of the students named.
fn entries(cfg: &Config, submissions: &Path) -> anyhow::Result<Vec<Entry>> {
    let mut entries = match &cfg.one {
        Some(id) => vec![Entry {
            id: id.clone(),
            path: submissions.to_path_buf(),
            problem: None,
        }],
        None => submission::discover(submissions)?,
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
    Ok(entries)
}

/// Writes the base copy every student's files are written over (the grader's edition of
/// the workspace at `root`, with its Cargo.lock) into `dir`; returns its files.
fn write_base(
    root: &Path,
    dir: &Path,
    exclude: &[PathBuf],
) -> anyhow::Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut base = handout::base_files(root, exclude)?;
    base.insert(
        PathBuf::from("Cargo.lock"),
        std::fs::read(root.join("Cargo.lock"))?,
    );
    handout::write_tree(dir, &base)?;
    handout::prune_lock(dir)?;
    Ok(base)
}

/// The part of every result's key that is the same for the whole class: a fingerprint of
/// what decides a grade.
fn settings_key(
    cfg: &Config,
    base: &BTreeMap<PathBuf, Vec<u8>>,
    hidden: &BTreeMap<String, Vec<u8>>,
    deadlines: &Deadlines,
) -> String {
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
    for (l, b) in hidden {
        h.write(l.as_bytes());
        h.write(b);
    }
    h.write(format!("{:?}{:?}", cfg.labs, cfg.limits).as_bytes());
    if !deadlines.is_empty() {
        h.write(deadlines.key().as_bytes());
    }
    format!("{:016x}", h.0)
}

/// Takes every entry's files and keys it: the students to grade, in order, and the ids of
/// those whose results are already there with the same key (unless named with --student).
fn sort_out(
    cfg: &Config,
    out: &Path,
    entries: Vec<Entry>,
    deadlines: &Deadlines,
    labs: &[&Lab],
    settings_key: &str,
) -> (VecDeque<Student>, Vec<String>) {
    let wanted: Vec<String> = labs.iter().flat_map(|l| l.student_paths()).collect();
    let mut todo = VecDeque::new();
    let mut skipped = Vec::new();
    for entry in entries {
        let deadlines::Intake { files, dated } = deadlines.intake(&entry, labs, &wanted);
        let settings_key = if dated == deadlines::Dated::default() {
            settings_key.to_owned()
        } else {
            // What was picked and how late it is decides the grade too.
            let mut h = Fnv::default();
            h.write(serde_json::to_string(&dated).unwrap_or_default().as_bytes());
            format!("{settings_key}-{:016x}", h.0)
        };
        let key = match &files {
            Ok(files) => format!("{settings_key}-{}", files.fingerprint()),
            Err(why) => {
                let mut h = Fnv::default();
                h.write(why.as_bytes());
                format!("{settings_key}-rejected-{:016x}", h.0)
            }
        };
        let done = outputs::read_student(out, &entry.id).is_some_and(|r| r.extra_data.key == key);
        if done && cfg.students.is_empty() {
            skipped.push(entry.id.clone());
        } else {
            todo.push_back(Student {
                entry,
                intake: files,
                key,
                dated,
            });
        }
    }
    (todo, skipped)
}
