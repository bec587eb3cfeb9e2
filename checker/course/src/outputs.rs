//! What the grader writes: per student `results.json` (Gradescope's format) and
//! `feedback.md`; for the class `grades.csv`, `summary.txt` and `summary.json`.
//!
//! Layout of the output folder:
//! ```text
//! grades/
//!   grades.csv                 student, one column per lab, total, max, status, flags, late
//!   moodle.csv, canvas.csv     the same scores for an LMS's grade import (see `crate::lms`)
//!   summary.txt, summary.json  per-lab mean, score histogram, verdict counts, problems
//!   students/<id>/results.json Gradescope results (score, max_score, tests[...]) + extra_data
//!   students/<id>/feedback.md  what failed, the hint, the diff, for the student
//! ```
//! A student's `results.json` is written last, by rename: it exists only when the student
//! is completely graded. That is what a resumed run looks for.
//!
//! `results.json` holds nothing that varies between two runs on the same input (no times,
//! no dates): the same submission graded twice gives the same bytes, unless a check's own
//! failure message quotes a measured time.

use crate::run::{LabOutcome, Verdict};
use crate::sandbox::InForce;
use anyhow::Context;
use model::course::{Course, Lab, Task};
use model::{LabStatus, StudentStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A student's result: Gradescope's top level, and ours in `extra_data`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StudentResult {
    /// Points earned (all labs graded).
    pub score: f64,
    /// Points possible.
    pub max_score: f64,
    /// Text shown above the tests.
    pub output: String,
    /// Gradescope: the result is visible to the student.
    pub visibility: String,
    /// Gradescope: never show the grader's own stdout.
    pub stdout_visibility: String,
    /// One entry per task.
    pub tests: Vec<GsTest>,
    /// Everything else (Gradescope keeps it, shows none of it).
    pub extra_data: Extra,
}

/// One Gradescope test: one task.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GsTest {
    /// `1.3 CPU-bound workloads: Fibonacci and primes`.
    pub name: String,
    /// The task id.
    pub number: String,
    /// Points earned.
    pub score: f64,
    /// Points possible.
    pub max_score: f64,
    /// `passed` or `failed`.
    pub status: String,
    /// Why, with the hint; hidden checks are named but their messages are not shown.
    pub output: String,
    /// `visible`.
    pub visibility: String,
}

/// Our part of the result.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Extra {
    /// The student's id.
    pub student: String,
    /// `graded`, `rejected` (the submission could not be taken), `grader_error` (some part
    /// could not be graded: not the student's fault, look at it).
    pub status: StudentStatus,
    /// Why it was rejected, or what went wrong.
    pub message: String,
    /// Where the workspace was found in the submission.
    pub found_at: String,
    /// Fingerprint of the submission and of everything that decides the grade: a resumed
    /// run re-grades the student when it changed.
    pub key: String,
    /// Per lab.
    pub labs: Vec<LabGrade>,
    /// The limits in force while grading.
    pub limits: Option<InForce>,
    /// A git submission's history, when a lab has a due date (see `crate::deadlines`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git: Option<crate::deadlines::GitHistory>,
}

/// One lab's grade.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LabGrade {
    /// `lab1`.
    pub lab: String,
    /// `graded`, `missing` (no file of the lab submitted), `compile_error`, `timeout` (the
    /// build or the lab's time budget), `grader_error`.
    pub status: LabStatus,
    /// Points earned.
    pub score: u32,
    /// Points possible.
    pub max_score: u32,
    /// The compiler's errors, or what went wrong.
    pub message: String,
    /// Student files of this lab that were not in the submission (the skeleton was used).
    pub skeleton_files: Vec<String>,
    /// Per task.
    pub tasks: Vec<TaskGrade>,
    /// What the task files use that the lab does not need, for the instructor to read (see
    /// `flags`). Information, not a penalty: it changes no point.
    #[serde(default)]
    pub flags: Vec<crate::flags::Flag>,
    /// When the lab has a due date: what was graded, how late, the penalty taken (see
    /// `crate::deadlines`). `score` is after the penalty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late: Option<crate::deadlines::Lateness>,
}

/// One task's grade.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TaskGrade {
    /// `1.3`.
    pub id: String,
    /// Points earned.
    pub score: u32,
    /// Points possible.
    pub max_score: u32,
    /// The verdict of its first failing check, or `passed`; for a lab that could not be
    /// checked, the lab's status (`missing`, `compile_error`, `timeout`, `grader_error`).
    pub verdict: Verdict,
    /// Every check.
    pub checks: Vec<CheckGrade>,
}

/// One check's verdict.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CheckGrade {
    /// `task_1_3::fib_matches_the_sequence`, or `hidden::task_1_3::other_sizes`.
    pub name: String,
    /// passed, failed, not_implemented, panic, timeout, cpu_limit, memory, output_limit,
    /// signal, crashed, snapshot_mismatch, grader_error.
    pub verdict: Verdict,
    /// The failure message (not shown to students for hidden checks).
    pub message: String,
}

/// A lab's grade from its outcome.
pub fn lab_grade(lab: &Lab, outcome: &LabOutcome, skeleton_files: Vec<String>) -> LabGrade {
    let (status, message) = match &outcome.failure {
        None => (LabStatus::Graded, String::new()),
        Some((v, m)) => (LabStatus::of_failure(*v), m.clone()),
    };
    let tasks = lab
        .tasks
        .iter()
        .zip(&outcome.tasks)
        .map(|(t, o)| {
            let checks: Vec<CheckGrade> = o
                .checks
                .iter()
                .map(|c| CheckGrade {
                    name: c.name.clone(),
                    verdict: c.verdict,
                    message: c.message.clone(),
                })
                .collect();
            let verdict = status.task_verdict().unwrap_or_else(|| o.verdict());
            TaskGrade {
                id: t.id.clone(),
                score: o.earned,
                max_score: o.points,
                verdict,
                checks,
            }
        })
        .collect();
    let any_grader_error = outcome
        .tasks
        .iter()
        .flat_map(|t| &t.checks)
        .any(|c| c.verdict == Verdict::GraderError);
    LabGrade {
        lab: lab.id.clone(),
        status: if any_grader_error && status == LabStatus::Graded {
            LabStatus::GraderError
        } else {
            status
        },
        score: outcome.earned(),
        max_score: outcome.points(),
        message,
        skeleton_files,
        tasks,
        flags: Vec::new(),
        late: None,
    }
}

/// A lab that was not submitted at all.
pub fn missing_lab(lab: &Lab) -> LabGrade {
    LabGrade {
        lab: lab.id.clone(),
        status: LabStatus::Missing,
        score: 0,
        max_score: lab.max_points(),
        message: format!("no file of {} was found in the submission", lab.dir),
        skeleton_files: Vec::new(),
        tasks: lab
            .tasks
            .iter()
            .map(|t| TaskGrade {
                id: t.id.clone(),
                score: 0,
                max_score: t.points,
                verdict: Verdict::Missing,
                checks: Vec::new(),
            })
            .collect(),
        flags: Vec::new(),
        late: None,
    }
}

/// Assembles a student's result (Gradescope tests: one per task of the graded labs).
pub fn student_result(
    course: &Course,
    student: &str,
    labs: Vec<LabGrade>,
    rejected: Option<String>,
    found_at: String,
    key: String,
    limits: Option<InForce>,
) -> StudentResult {
    let mut tests = Vec::new();
    for grade in &labs {
        let Some(lab) = course.lab(&grade.lab) else {
            continue;
        };
        for (task, t) in lab.tasks.iter().zip(&grade.tasks) {
            tests.push(GsTest {
                name: format!("{} {}", task.id, task.title),
                number: task.id.clone(),
                score: f64::from(t.score),
                max_score: f64::from(t.max_score),
                status: if t.score == t.max_score && t.max_score > 0 {
                    "passed"
                } else {
                    "failed"
                }
                .into(),
                output: test_output(lab, task, grade, t),
                visibility: "visible".into(),
            });
        }
    }
    let score: u32 = labs.iter().map(|l| l.score).sum();
    let max: u32 = labs.iter().map(|l| l.max_score).sum();
    let grader_error = labs.iter().any(|l| l.status == LabStatus::GraderError);
    let (status, message) = match rejected {
        Some(m) => (StudentStatus::Rejected, m),
        None if grader_error => (
            StudentStatus::GraderError,
            "part of this submission could not be graded (not the student's fault): see the labs marked grader_error".to_owned(),
        ),
        None => (StudentStatus::Graded, String::new()),
    };
    let mut output = String::new();
    if status == StudentStatus::Rejected {
        let _ = writeln!(output, "Your submission could not be graded: {message}");
    }
    for l in &labs {
        let _ = writeln!(
            output,
            "{}: {}/{} ({})",
            l.lab,
            l.score,
            l.max_score,
            l.status.spoken()
        );
    }
    StudentResult {
        score: f64::from(score),
        max_score: f64::from(max),
        output,
        visibility: "visible".into(),
        stdout_visibility: "hidden".into(),
        tests,
        extra_data: Extra {
            student: student.to_owned(),
            status,
            message,
            found_at,
            key,
            labs,
            limits,
            git: None,
        },
    }
}

/// Lines of a check's message kept in feedback.md (the rest is in results.json).
const FEEDBACK_MESSAGE_LINES: usize = 15;

/// One task's text in Gradescope's results.json (a test per task, so the lab's state is
/// repeated there: each test is read on its own).
fn test_output(lab: &Lab, task: &Task, grade: &LabGrade, t: &TaskGrade) -> String {
    if t.verdict == Verdict::Pass {
        return Verdict::Pass.to_string();
    }
    match grade.status {
        LabStatus::Missing => format!(
            "not submitted: {} was not in your submission\n",
            lab.task_path(task).display()
        ),
        LabStatus::CompileError => {
            format!("{} does not compile:\n{}\n", lab.dir, grade.message)
        }
        LabStatus::Graded if untouched(t) => format!(
            "not implemented yet: write it in {}\n",
            lab.task_path(task).display()
        ),
        LabStatus::Graded => task_output(lab, task, t),
        other @ (LabStatus::Timeout | LabStatus::GraderError) => format!(
            "{}: {}\n{}",
            other.spoken(),
            grade.message,
            task_output(lab, task, t)
        ),
    }
}

/// `true` for a task the student has not started: a check stopped at a `todo!()`, and every
/// other failure is its demo section printing "not implemented yet".
fn untouched(t: &TaskGrade) -> bool {
    t.checks
        .iter()
        .any(|c| c.verdict == Verdict::NotImplemented)
        && t.checks.iter().all(|c| {
            matches!(
                c.verdict,
                Verdict::Pass | Verdict::NotImplemented | Verdict::SnapshotMismatch
            )
        })
}

/// What the student reads about one failing task of a lab that was graded: its first
/// failing check in full (the message cut to [`FEEDBACK_MESSAGE_LINES`]), the other failing
/// checks by name, the hidden ones by count, the hint once, and where to read.
fn task_output(lab: &Lab, task: &Task, t: &TaskGrade) -> String {
    let mut out = String::new();
    let failing: Vec<&CheckGrade> = t
        .checks
        .iter()
        .filter(|c| c.verdict != Verdict::Pass)
        .collect();
    let (hidden, public): (Vec<&CheckGrade>, Vec<&CheckGrade>) =
        failing.iter().partition(|c| c.name.starts_with("hidden::"));
    let mut shown = String::new();
    if let Some(c) = public.first() {
        let _ = writeln!(out, "✗ {} — {}", c.name, c.verdict.spoken());
        let more = format!(": run `cargo course check {}` on your code", task.id);
        let message = crate::run::student_message(&c.message);
        let _ = writeln!(
            out,
            "{}",
            crate::run::truncate_lines(&message, FEEDBACK_MESSAGE_LINES, &more)
        );
        shown = c.message.clone();
    }
    if public.len() > 1 {
        let names: Vec<&str> = public[1..].iter().map(|c| c.name.as_str()).collect();
        let _ = writeln!(out, "also failing: {}", names.join(", "));
    }
    if !hidden.is_empty() {
        let _ = writeln!(
            out,
            "✗ {} hidden check{} (the same task with other sizes) — {}",
            hidden.len(),
            if hidden.len() == 1 { "" } else { "s" },
            hidden[0].verdict.spoken()
        );
    }
    if !shown.contains(task.hint.as_str()) {
        let _ = writeln!(out, "hint: {}", task.hint);
    }
    let _ = writeln!(
        out,
        "file: {} · read {}#{}",
        lab.task_path(task).display(),
        lab.chapter(),
        task.anchor
    );
    out
}

/// The student's feedback, in Markdown.
pub fn feedback(course: &Course, r: &StudentResult) -> String {
    let e = &r.extra_data;
    let mut out = String::new();
    let _ = writeln!(out, "# {} — feedback for {}\n", course.name, e.student);
    if e.status == StudentStatus::Rejected {
        let _ = writeln!(
            out,
            "**Your submission could not be graded:** {}\n",
            e.message
        );
        let _ = writeln!(
            out,
            "Submit a folder, a `.zip` or a `.tar.gz` of your workspace (or of its `labs/` folder), \
             with plain files only: no symbolic links, no `target/` folder needed."
        );
        return out;
    }
    let _ = writeln!(out, "**Total: {}/{}**\n", r.score, r.max_score);
    let _ = writeln!(out, "| lab | points | status |\n|---|---|---|");
    for l in &e.labs {
        let _ = writeln!(
            out,
            "| {} | {}/{} | {} |",
            l.lab,
            l.score,
            l.max_score,
            l.status.spoken()
        );
    }
    let _ = writeln!(
        out,
        "\nThe grade uses the public checks you have and hidden checks of the same tasks with \
         other sizes: a task earns its points when all of them pass."
    );
    for l in &e.labs {
        let Some(lab) = course.lab(&l.lab) else {
            continue;
        };
        let _ = writeln!(out, "\n## {} — {}/{}\n", lab.title, l.score, l.max_score);
        if let Some(late) = &l.late {
            let _ = writeln!(out, "{}\n", late.describe());
        }
        if !l.skeleton_files.is_empty() {
            let _ = writeln!(
                out,
                "Not in your submission (the untouched skeleton was used): {}\n",
                l.skeleton_files.join(", ")
            );
        }
        if !l.flags.is_empty() {
            let list: Vec<String> = l.flags.iter().map(|f| format!("`{}`", f.short())).collect();
            let _ = writeln!(
                out,
                "Noted for your instructor to read (no point is taken for it): {}\n",
                list.join(", ")
            );
        }
        // A lab that could not be checked says so once, not once per task.
        match l.status {
            LabStatus::Graded => {}
            LabStatus::Missing
                if l.late
                    .as_ref()
                    .is_some_and(|late| late.status == model::LateStatus::NoneBeforeDeadline) => {}
            LabStatus::Missing => {
                let _ = writeln!(
                    out,
                    "Not submitted: none of this lab's task files were in your submission.\n"
                );
            }
            LabStatus::CompileError => {
                let _ = writeln!(
                    out,
                    "{} does not compile, so none of its tasks could be checked:\n\n```text\n{}\n```\n",
                    lab.dir,
                    l.message.trim_end()
                );
            }
            other @ (LabStatus::Timeout | LabStatus::GraderError) => {
                let _ = writeln!(out, "{}: {}\n", other.spoken(), l.message.trim_end());
            }
        }
        let graded = l.status == LabStatus::Graded;
        for (task, t) in lab.tasks.iter().zip(&l.tasks) {
            let (mark, note) = if t.verdict == Verdict::Pass {
                ("✓", String::new())
            } else if graded && untouched(t) {
                ("·", " — not implemented yet".to_owned())
            } else if graded {
                ("✗", format!(" — {}", t.verdict.spoken()))
            } else {
                ("✗", String::new())
            };
            let _ = writeln!(
                out,
                "- {mark} **{} {}** — {}/{}{note}",
                task.id, task.title, t.score, t.max_score
            );
        }
        if !graded {
            continue;
        }
        for (task, t) in lab.tasks.iter().zip(&l.tasks) {
            if t.verdict == Verdict::Pass || untouched(t) {
                continue;
            }
            let _ = writeln!(
                out,
                "\n### {} {} — {}\n",
                task.id,
                task.title,
                t.verdict.spoken()
            );
            let _ = writeln!(out, "```text\n{}```", task_output(lab, task, t));
        }
    }
    out
}

/// Writes `content` to `path` atomically (a temporary file in the same folder, renamed).
pub fn write_atomic(path: &Path, content: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().context("no parent folder")?;
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        f.write_all(content)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path).with_context(|| format!("cannot rename to {}", path.display()))?;
    Ok(())
}

/// The folder of one student's results.
pub fn student_dir(out: &Path, id: &str) -> PathBuf {
    out.join("students").join(id)
}

/// Writes one student's feedback then results (results last: it marks the student done).
pub fn write_student(out: &Path, course: &Course, r: &StudentResult) -> anyhow::Result<()> {
    let dir = student_dir(out, &r.extra_data.student);
    write_atomic(&dir.join("feedback.md"), feedback(course, r).as_bytes())?;
    write_atomic(
        &dir.join("results.json"),
        serde_json::to_string_pretty(r)?.as_bytes(),
    )?;
    Ok(())
}

/// A finished student's result, if there is one.
pub fn read_student(out: &Path, id: &str) -> Option<StudentResult> {
    let text = std::fs::read_to_string(student_dir(out, id).join("results.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// Every finished student's result, by id.
pub fn read_all(out: &Path) -> BTreeMap<String, StudentResult> {
    let mut all = BTreeMap::new();
    if let Ok(dir) = std::fs::read_dir(out.join("students")) {
        for e in dir.flatten() {
            let id = e.file_name().to_string_lossy().into_owned();
            if let Some(r) = read_student(out, &id) {
                all.insert(id, r);
            }
        }
    }
    all
}

/// Class summary.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    /// Students with a result.
    pub students: usize,
    /// Per lab: (lab, mean score, max score).
    pub lab_means: Vec<(String, f64, u32)>,
    /// Total score histogram: 10 buckets of 10 % (the last one includes 100 %).
    pub histogram: Vec<usize>,
    /// How many checks ended with each verdict.
    pub verdicts: BTreeMap<String, usize>,
    /// Rejected submissions: id → why.
    pub rejected: BTreeMap<String, String>,
    /// Students with a grader error (look at them).
    pub grader_errors: Vec<String>,
    /// Flagged submissions: id → `lab:kind` (read them; no point was taken).
    #[serde(default)]
    pub flagged: BTreeMap<String, Vec<String>>,
    /// Late or undated work: id → the gradebook's `late` cell (`lab2 +1d -10%`).
    #[serde(default)]
    pub late: BTreeMap<String, String>,
    /// Git submissions graded before their latest commit: id → `lab2: 2 later commits`.
    #[serde(default)]
    pub ignored_commits: BTreeMap<String, Vec<String>>,
}

/// A student's flags, `lab1:exit lab1:libtest-text`, sorted, each once; a git history whose
/// committer dates go backwards is `git:dates-backwards`.
pub fn flag_list(r: &StudentResult) -> Vec<String> {
    let mut all: Vec<String> = r
        .extra_data
        .labs
        .iter()
        .flat_map(|l| l.flags.iter().map(move |f| format!("{}:{}", l.lab, f.kind)))
        .collect();
    if r.extra_data
        .git
        .as_ref()
        .is_some_and(|g| !g.dates_backwards.is_empty())
    {
        all.push("git:dates-backwards".into());
    }
    all.sort();
    all.dedup();
    all
}

/// Writes grades.csv, summary.txt and summary.json from every student's results.json in
/// `out`, and the LMS exports (moodle.csv, canvas.csv; see [`crate::lms`]) with the
/// identities of `roster`; returns the summary's text.
pub fn write_gradebook(
    out: &Path,
    course: &Course,
    labs: &[&Lab],
    roster: Option<&Path>,
) -> anyhow::Result<(Summary, String)> {
    let all = read_all(out);
    let mut header = vec!["student".to_owned()];
    header.extend(labs.iter().map(|l| l.id.clone()));
    header.extend(["total", "max", "status", "flags"].map(str::to_owned));
    // `late` only when some lab had a due date: a run without deadlines keeps its shape.
    let dated = all
        .values()
        .any(|r| r.extra_data.labs.iter().any(|l| l.late.is_some()));
    if dated {
        header.push("late".into());
    }
    let mut csv = csv_row(&header);
    let max: u32 = labs.iter().map(|l| l.max_points()).sum();
    let mut sums = vec![0u64; labs.len()];
    let mut histogram = vec![0usize; 10];
    let mut verdicts = BTreeMap::new();
    let mut rejected = BTreeMap::new();
    let mut grader_errors = Vec::new();
    let mut flagged = BTreeMap::new();
    let mut late_list = BTreeMap::new();
    let mut ignored_commits = BTreeMap::new();
    for (id, r) in &all {
        let mut row = vec![id.clone()];
        let mut total = 0;
        for (i, lab) in labs.iter().enumerate() {
            let score = r
                .extra_data
                .labs
                .iter()
                .find(|l| l.lab == lab.id)
                .map_or(0, |l| l.score);
            sums[i] += u64::from(score);
            total += score;
            row.push(score.to_string());
        }
        row.extend([
            total.to_string(),
            max.to_string(),
            r.extra_data.status.to_string(),
            flag_list(r).join(" "),
        ]);
        if dated {
            row.push(crate::deadlines::late_cell(r));
        }
        csv.push_str(&csv_row(&row));
        let late = crate::deadlines::late_cell(r);
        if !late.is_empty() {
            late_list.insert(id.clone(), late);
        }
        let ignored: Vec<String> = r
            .extra_data
            .labs
            .iter()
            .filter_map(|l| {
                let n = l.late.as_ref()?.later_commits_ignored;
                (n > 0).then(|| {
                    format!(
                        "{}: {n} later commit{}",
                        l.lab,
                        if n == 1 { "" } else { "s" }
                    )
                })
            })
            .collect();
        if !ignored.is_empty() {
            ignored_commits.insert(id.clone(), ignored);
        }
        if !flag_list(r).is_empty() {
            flagged.insert(id.clone(), flag_list(r));
        }
        let bucket = (total * 10)
            .checked_div(max)
            .map_or(0, |b| b.min(9) as usize);
        histogram[bucket] += 1;
        for c in r
            .extra_data
            .labs
            .iter()
            .flat_map(|l| &l.tasks)
            .flat_map(|t| &t.checks)
        {
            *verdicts.entry(c.verdict.to_string()).or_insert(0) += 1;
        }
        for l in &r.extra_data.labs {
            if l.status != LabStatus::Graded {
                *verdicts.entry(format!("lab {}", l.status)).or_insert(0) += 1;
            }
        }
        match r.extra_data.status {
            StudentStatus::Rejected => {
                rejected.insert(id.clone(), r.extra_data.message.clone());
            }
            StudentStatus::GraderError => grader_errors.push(id.clone()),
            StudentStatus::Graded => {}
        }
    }
    let n = all.len().max(1) as f64;
    let summary = Summary {
        students: all.len(),
        lab_means: labs
            .iter()
            .zip(&sums)
            .map(|(l, s)| {
                (
                    l.id.clone(),
                    (*s as f64 / n * 10.0).round() / 10.0,
                    l.max_points(),
                )
            })
            .collect(),
        histogram,
        verdicts,
        rejected,
        grader_errors,
        flagged,
        late: late_list,
        ignored_commits,
    };
    let mut text = summary_text(course, &summary, max);
    text.push_str(&crate::lms::write_exports(out, &all, labs, roster)?);
    write_atomic(&out.join("grades.csv"), csv.as_bytes())?;
    write_atomic(&out.join("summary.txt"), text.as_bytes())?;
    write_atomic(
        &out.join("summary.json"),
        serde_json::to_string_pretty(&summary)?.as_bytes(),
    )?;
    Ok((summary, text))
}

/// A cell a spreadsheet shows as text: one starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading `'` (the OWASP convention against CSV injection). The
/// quoting is [`csv_field`]'s, or the `csv` crate's.
pub fn formula_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// One line of CSV (RFC 4180), every cell through [`csv_field`].
pub fn csv_row(cells: &[String]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
    format!("{}\n", cells.join(","))
}

/// A CSV cell that a spreadsheet shows as text, never runs: a cell starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return would be read as a formula (CSV injection), so it
/// gets a leading `'` (the OWASP convention); a cell holding a comma, a quote, a line break
/// or edge spaces is quoted, its quotes doubled.
pub fn csv_field(s: &str) -> String {
    let s = formula_safe(s);
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn summary_text(course: &Course, s: &Summary, max: u32) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {} students graded", course.name, s.students);
    let _ = writeln!(out, "\nmean per lab:");
    for (lab, mean, max) in &s.lab_means {
        let _ = writeln!(out, "  {lab:<6} {mean:>5.1} / {max}");
    }
    let _ = writeln!(out, "\ntotal score (out of {max}):");
    let widest = s.histogram.iter().copied().max().unwrap_or(0).max(1);
    for (i, count) in s.histogram.iter().enumerate() {
        let label = if i == 9 {
            "90–100 %".to_owned()
        } else {
            format!("{:>2}–{:<3}%", i * 10, i * 10 + 9)
        };
        let bar = "█".repeat((count * 40).div_ceil(widest));
        let _ = writeln!(out, "  {label:>9} {count:>4} {bar}");
    }
    let _ = writeln!(out, "\nverdicts of the checks:");
    for (v, n) in &s.verdicts {
        let _ = writeln!(out, "  {v:<22} {n}");
    }
    if !s.rejected.is_empty() {
        let _ = writeln!(out, "\nrejected submissions:");
        for (id, why) in &s.rejected {
            let _ = writeln!(out, "  {id}: {why}");
        }
    }
    if !s.flagged.is_empty() {
        let _ = writeln!(
            out,
            "\nflagged for reading (the task files use what the lab does not need: information, \
             not a penalty; details in students/<id>/results.json):"
        );
        for (id, flags) in &s.flagged {
            let _ = writeln!(out, "  {id}: {}", flags.join(" "));
        }
    }
    if !s.late.is_empty() {
        let _ = writeln!(
            out,
            "\nlate submissions, and those without a date (+started days late, the penalty taken; \
             details in students/<id>/results.json, labs[].late):"
        );
        for (id, late) in &s.late {
            let _ = writeln!(out, "  {id}: {late}");
        }
    }
    if !s.ignored_commits.is_empty() {
        let _ = writeln!(
            out,
            "\ngraded at the last commit by the due date (later commits ignored):"
        );
        for (id, labs) in &s.ignored_commits {
            let _ = writeln!(out, "  {id}: {}", labs.join(", "));
        }
    }
    if !s.grader_errors.is_empty() {
        let _ = writeln!(
            out,
            "\nGRADER ERRORS (not the students' fault; fix and re-grade with --student ID): {}",
            s.grader_errors.join(", ")
        );
    }
    out
}

/// Copies every student folder of `shards` into `out` (a student may appear in one shard
/// only, or identically in several), then writes the gradebook.
pub fn merge(
    out: &Path,
    shards: &[PathBuf],
    course: &Course,
    labs: &[&Lab],
    roster: Option<&Path>,
) -> anyhow::Result<(Summary, String)> {
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    for shard in shards {
        for (id, r) in read_all(shard) {
            if let Some(first) = seen.get(&id) {
                let earlier = read_student(first, &id);
                if earlier.as_ref() != Some(&r) {
                    anyhow::bail!(
                        "student {id} has different results in {} and {}: re-grade them in one shard",
                        first.display(),
                        shard.display()
                    );
                }
                continue;
            }
            let from = student_dir(shard, &id);
            for file in ["feedback.md", "results.json"] {
                let bytes = std::fs::read(from.join(file))
                    .with_context(|| format!("cannot read {}", from.join(file).display()))?;
                write_atomic(&student_dir(out, &id).join(file), &bytes)?;
            }
            seen.insert(id, shard.clone());
        }
    }
    write_gradebook(out, course, labs, roster)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, verdict: Verdict, message: &str) -> CheckGrade {
        CheckGrade {
            name: name.to_owned(),
            verdict,
            message: message.to_owned(),
        }
    }

    #[test]
    fn feedback_is_one_line_per_untouched_task_and_one_section_per_mistake() {
        let course =
            Course::load(&crate::find_root(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap())
                .unwrap();
        let lab = course.lab("lab2").unwrap();
        let tasks: Vec<TaskGrade> = lab
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let checks = if i == 1 {
                    // A real mistake in 2.2, with a long message.
                    let long = (0..40)
                        .map(|n| format!("line {n}"))
                        .collect::<Vec<_>>()
                        .join("\n");
                    vec![
                        check("task_2_2::exact", Verdict::WrongAnswer, &long),
                        check("hidden::task_2_2::other", Verdict::WrongAnswer, "x"),
                    ]
                } else {
                    vec![
                        check(
                            "task_x::a",
                            Verdict::NotImplemented,
                            "[not implemented] todo!() reached",
                        ),
                        check("task_x::demo", Verdict::SnapshotMismatch, "differs"),
                    ]
                };
                TaskGrade {
                    id: t.id.clone(),
                    score: 0,
                    max_score: t.points,
                    verdict: checks[0].verdict,
                    checks,
                }
            })
            .collect();
        let grade = LabGrade {
            lab: "lab2".into(),
            status: LabStatus::Graded,
            score: 0,
            max_score: lab.tasks.iter().map(|t| t.points).sum(),
            message: String::new(),
            skeleton_files: Vec::new(),
            tasks,
            flags: Vec::new(),
            late: None,
        };
        let r = student_result(
            &course,
            "alice",
            vec![grade],
            None,
            String::new(),
            String::new(),
            None,
        );
        let text = feedback(&course, &r);
        assert_eq!(text.matches("### ").count(), 1, "{text}");
        assert!(text.contains("not implemented yet"), "{text}");
        assert!(
            text.contains("line 14") && !text.contains("line 15\n"),
            "{text}"
        );
        assert!(text.contains("1 hidden check"), "{text}");
        assert!(
            text.lines().count() <= 45,
            "{} lines:\n{text}",
            text.lines().count()
        );
    }

    /// The words of every check in `lab` (a `LabOutcome` or a `LabGrade` as JSON), sorted.
    fn words_of(lab: &serde_json::Value) -> Vec<String> {
        let mut words: Vec<String> = lab["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["checks"].as_array().unwrap())
            .map(|c| c["verdict"].as_str().unwrap().to_owned())
            .collect();
        words.sort();
        words
    }

    #[test]
    fn a_verdict_is_one_word_in_the_report_the_results_and_the_gradebook() {
        let root = crate::find_root(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let course = Course::load(&root).unwrap();
        let lab = course.lab("lab1").unwrap();
        // One check of every verdict a check can get, spread over the lab's tasks.
        let verdicts: Vec<Verdict> = Verdict::ALL
            .iter()
            .copied()
            .filter(|v| *v != Verdict::Missing)
            .collect();
        let checks = verdicts
            .iter()
            .enumerate()
            .map(|(i, v)| crate::run::CheckOutcome {
                name: format!(
                    "task_{}::check_{i}",
                    lab.tasks[i % lab.tasks.len()].id.replace('.', "_")
                ),
                verdict: *v,
                message: v.describe().to_owned(),
                seconds: 0.0,
            })
            .collect();
        let outcome = crate::run::score(lab, checks);
        let mut expected: Vec<String> = verdicts.iter().map(|v| v.to_string()).collect();
        expected.sort();
        // `cargo course check --json` writes the outcome as it is.
        let report = serde_json::to_value(&outcome).unwrap();
        assert_eq!(words_of(&report), expected, "--json");
        // The grader's results.json.
        let r = student_result(
            &course,
            "alice",
            vec![lab_grade(lab, &outcome, Vec::new())],
            None,
            String::new(),
            String::new(),
            None,
        );
        let results = serde_json::to_value(&r).unwrap();
        let graded = &results["extra_data"]["labs"][0];
        assert_eq!(words_of(graded), expected, "results.json");
        for (t, o) in graded["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .zip(&outcome.tasks)
        {
            assert_eq!(t["verdict"], o.verdict().as_str(), "task {}", o.id);
        }
        // grades.csv (the student's status) and summary.json (the verdict counts).
        let out = std::env::temp_dir().join(format!("course-words-{}", std::process::id()));
        write_student(&out, &course, &r).unwrap();
        let (summary, _) = write_gradebook(&out, &course, &[lab], None).unwrap();
        let csv = std::fs::read_to_string(out.join("grades.csv")).unwrap();
        let _ = std::fs::remove_dir_all(&out);
        let counted: Vec<&String> = summary
            .verdicts
            .keys()
            .filter(|k| !k.starts_with("lab "))
            .collect();
        assert_eq!(counted, expected.iter().collect::<Vec<_>>(), "summary");
        // A grader error in one check marks the lab, and the student, for a look.
        let lab_word = format!("lab {}", LabStatus::GraderError);
        assert!(summary.verdicts.contains_key(&lab_word), "{summary:?}");
        let row: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
        assert_eq!(row[4], r.extra_data.status.as_str(), "grades.csv: {csv}");
        assert_eq!(r.extra_data.status, StudentStatus::GraderError);
        // A lab that could not be checked: one word for the lab, its tasks and --json.
        for failure in [
            Verdict::CompileError,
            Verdict::TimedOut,
            Verdict::GraderError,
        ] {
            let failed = crate::run::LabOutcome::failed(lab, failure, "why".into());
            let report = serde_json::to_value(&failed).unwrap();
            let grade = serde_json::to_value(lab_grade(lab, &failed, Vec::new())).unwrap();
            assert_eq!(report["failure"][0], failure.as_str());
            assert_eq!(grade["status"], failure.as_str());
            for t in grade["tasks"].as_array().unwrap() {
                assert_eq!(t["verdict"], failure.as_str());
            }
        }
    }

    #[test]
    fn csv_cells_are_text_never_formulas() {
        // Every id the grader accepts (letters, digits, . _ @ + -) and worse.
        for (cell, written) in [
            ("alice", "alice"),
            ("+1+1", "'+1+1"),
            ("=cmd", "'=cmd"),
            ("-x", "'-x"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("a,b", "\"a,b\""),
            ("a\"b", "\"a\"\"b\""),
            ("=1,\"2\"", "\"'=1,\"\"2\"\"\""),
            ("a+b", "a+b"),
            ("10", "10"),
        ] {
            assert_eq!(csv_field(cell), written, "{cell:?}");
        }
        assert_eq!(
            csv_row(&["+1+1".into(), "3".into(), "graded".into()]),
            "'+1+1,3,graded\n"
        );
    }
}
