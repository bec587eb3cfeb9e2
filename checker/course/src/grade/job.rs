//! One grading job: a scratch workspace and target dir of its own, where one student at a
//! time is built and checked.

use super::class::{Class, Student};
use crate::outputs::{LabGrade, StudentResult};
use crate::run::{self, CheckOutcome, LabOutcome, Options, Verdict};
use crate::sandbox::{self, Jail, Sandbox};
use crate::tree;
use model::course::Lab;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One grading job: its scratch workspace and target dir, its view of the sandbox.
pub(super) struct Job {
    dir: PathBuf,
    jail: Jail,
}

impl Job {
    /// The job whose folders are under `dir` (`ws/`, `target/`), confined by `sandbox`.
    pub(super) fn new(sandbox: &Arc<Sandbox>, dir: &Path) -> Job {
        let _ = std::fs::create_dir_all(dir.join("ws"));
        Job {
            dir: dir.to_path_buf(),
            jail: Jail::new(sandbox.clone(), &dir.join("ws"), &dir.join("target")),
        }
    }

    /// The job's scratch workspace.
    pub(super) fn workspace(&self) -> PathBuf {
        self.dir.join("ws")
    }

    /// The job's cargo target dir.
    pub(super) fn target(&self) -> PathBuf {
        self.dir.join("target")
    }

    /// The job's view of the sandbox.
    pub(super) fn jail(&self) -> &Jail {
        &self.jail
    }

    /// Grades one student: their files over the base copy, then every lab they submitted.
    pub(super) fn grade(&self, class: &Class, student: &Student) -> StudentResult {
        let (course, id, key) = (class.course(), &student.entry.id, &student.key);
        let limits = Some(class.in_force().clone());
        let files = match &student.intake {
            Ok(f) if f.files.is_empty() => {
                let msg = crate::t!("reject-empty");
                return StudentResult::rejected(course, id, msg, key.clone(), limits);
            }
            Ok(f) => f,
            Err(why) => {
                return StudentResult::rejected(course, id, why.clone(), key.clone(), limits);
            }
        };
        // The student's files over the base; labs not submitted keep the skeleton (they
        // are not built at all, see below).
        let mut overlay = BTreeMap::new();
        for (path, bytes) in &files.files {
            overlay.insert(PathBuf::from(path), bytes.clone());
        }
        let mut grades = Vec::new();
        if let Err(e) = tree::sync(class.base_dir(), &self.workspace(), &overlay) {
            for lab in class.labs() {
                let message = format!("cannot prepare the workspace: {e:#}");
                let outcome = LabOutcome::failed(lab, Verdict::GraderError, message);
                grades.push(LabGrade::of(lab, &outcome, Vec::new()));
            }
        } else {
            for lab in class.labs() {
                let mine = lab.student_paths();
                let present: Vec<&String> = mine
                    .iter()
                    .filter(|f| files.files.contains_key(*f))
                    .collect();
                if present.is_empty() {
                    grades.push(LabGrade::missing(lab));
                    continue;
                }
                let skeleton: Vec<String> = mine
                    .iter()
                    .filter(|f| !files.files.contains_key(*f))
                    .cloned()
                    .collect();
                let outcome = self.grade_lab(class, lab);
                let mut grade = LabGrade::of(lab, &outcome, skeleton);
                grade.flags = crate::flags::scan(lab, &files.files, class.base_dir());
                grades.push(grade);
            }
        }
        StudentResult::graded(course, id, grades, files.root.clone(), key.clone(), limits)
    }

    fn grade_lab(&self, class: &Class, lab: &Lab) -> LabOutcome {
        let opts = class.options(self);
        let ws = &opts.root;
        // No hidden source in the workspace while student code compiles.
        let _ = std::fs::remove_dir_all(ws.join("checker/hidden"));
        let built = match run::build(&opts, lab) {
            Ok(b) => b,
            Err((verdict, message)) => return LabOutcome::failed(lab, verdict, message),
        };
        let mut binaries = vec![(built.tests.clone(), false)];
        if let Some(source) = class.hidden(lab) {
            match self.build_hidden(&opts, lab, source) {
                Ok(bin) => binaries.push((bin, true)),
                Err((verdict, message)) => return LabOutcome::failed(lab, verdict, message),
            }
        }
        let lab_deadline = Instant::now() + Duration::from_secs(class.config().limits.lab_secs);
        let mut outcomes = Vec::new();
        for (bin, is_hidden) in binaries {
            let names = match self.list(&opts, &bin) {
                Ok(n) => n,
                Err(message) => return LabOutcome::failed(lab, Verdict::GraderError, message),
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
    pub(super) fn build_hidden(
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
    run::on_workers(opts.jobs, names.len(), |i| {
        let name = &names[i];
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
                message: crate::t!("check-not-run"),
                seconds: 0.0,
            }
        } else {
            run::run_one(opts, tests, name, deadline.min(left))
        };
        outcome.name = run::report_name(name);
        outcome
    })
}
