//! What a student reads: each task's text in results.json and the whole of feedback.md.

use super::{CheckGrade, LabGrade, StudentResult, TaskGrade};
use crate::i18n;
use crate::run::Verdict;
use crate::t;
use model::course::{Course, Lab, Task};
use model::{LabStatus, StudentStatus};
use std::fmt::Write as _;

/// Lines of a check's message kept in feedback.md (the rest is in results.json).
const FEEDBACK_MESSAGE_LINES: usize = 15;

/// One task's text in Gradescope's results.json (a test per task, so the lab's state is
/// repeated there: each test is read on its own).
pub(super) fn test_output(lab: &Lab, task: &Task, grade: &LabGrade, t: &TaskGrade) -> String {
    if t.verdict == Verdict::Pass {
        return Verdict::Pass.to_string();
    }
    match grade.status {
        LabStatus::Missing => format!(
            "{}\n",
            t!(
                "feedback-task-missing",
                file = lab.task_path(task).display().to_string()
            )
        ),
        LabStatus::CompileError => format!(
            "{}\n{}\n",
            t!("feedback-task-compile-error", dir = lab.dir),
            grade.message
        ),
        LabStatus::Graded if untouched(t) => format!(
            "{}\n",
            t!(
                "report-write-it",
                file = lab.task_path(task).display().to_string()
            )
        ),
        LabStatus::Graded => task_output(lab, task, t),
        other @ (LabStatus::Timeout | LabStatus::GraderError) => format!(
            "{}: {}\n{}",
            spoken(other.as_str()),
            grade.message,
            task_output(lab, task, t)
        ),
    }
}

/// A verdict or a status in words, in the run's language.
fn spoken(word: &str) -> String {
    i18n::spoken(i18n::lang(), word)
}

/// `true` for a task the student has not started: a check stopped at a `todo!()`, and every
/// other failure is its demo section printing "not implemented yet".
fn untouched(t: &TaskGrade) -> bool {
    crate::report::untouched_by(t.checks.iter().map(|c| c.verdict))
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
        let _ = writeln!(out, "✗ {} — {}", c.name, spoken(c.verdict.as_str()));
        let more = t!("feedback-run-check", task = task.id);
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
        let _ = writeln!(
            out,
            "{}",
            t!("report-also-failing", checks = names.join(", "))
        );
    }
    if !hidden.is_empty() {
        let _ = writeln!(
            out,
            "✗ {}",
            t!(
                "feedback-hidden-failing",
                count = hidden.len(),
                verdict = spoken(hidden[0].verdict.as_str())
            )
        );
    }
    let hint = task.hint_in(i18n::lang());
    if !shown.contains(hint) {
        let _ = writeln!(out, "{}", t!("report-hint", hint = hint));
    }
    let _ = writeln!(
        out,
        "{}",
        t!(
            "report-file",
            file = lab.task_path(task).display().to_string(),
            chapter = lab.chapter(),
            anchor = task.anchor
        )
    );
    out
}

/// The student's feedback, in Markdown.
pub fn feedback(course: &Course, r: &StudentResult) -> String {
    let e = &r.extra_data;
    let lang = i18n::lang();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n",
        t!("feedback-title", course = course.name, student = e.student)
    );
    if e.status == StudentStatus::Rejected {
        let _ = writeln!(out, "{}\n", t!("feedback-rejected", message = e.message));
        let _ = writeln!(out, "{}", t!("feedback-how-to-submit"));
        return out;
    }
    let _ = writeln!(
        out,
        "{}\n",
        t!(
            "feedback-total",
            earned = r.score.to_string(),
            points = r.max_score.to_string()
        )
    );
    let _ = writeln!(out, "{}\n|---|---|---|", t!("feedback-table-head"));
    for l in &e.labs {
        let _ = writeln!(
            out,
            "| {} | {}/{} | {} |",
            l.lab,
            l.score,
            l.max_score,
            spoken(l.status.as_str())
        );
    }
    let _ = writeln!(out, "\n{}", t!("feedback-hidden-checks"));
    for l in &e.labs {
        let Some(lab) = course.lab(&l.lab) else {
            continue;
        };
        let _ = writeln!(
            out,
            "\n## {} — {}/{}\n",
            lab.title_in(lang),
            l.score,
            l.max_score
        );
        if let Some(late) = &l.late {
            let _ = writeln!(out, "{}\n", late.describe());
        }
        if !l.skeleton_files.is_empty() {
            let _ = writeln!(
                out,
                "{}\n",
                t!(
                    "feedback-skeleton-used",
                    files = l.skeleton_files.join(", ")
                )
            );
        }
        if !l.flags.is_empty() {
            let list: Vec<String> = l.flags.iter().map(|f| format!("`{}`", f.short())).collect();
            let _ = writeln!(out, "{}\n", t!("feedback-flags", flags = list.join(", ")));
        }
        // A lab that could not be checked says so once, not once per task.
        match l.status {
            LabStatus::Graded => {}
            LabStatus::Missing
                if l.late
                    .as_ref()
                    .is_some_and(|late| late.status == model::LateStatus::NoneBeforeDeadline) => {}
            LabStatus::Missing => {
                let _ = writeln!(out, "{}\n", t!("feedback-lab-missing"));
            }
            LabStatus::CompileError => {
                let _ = writeln!(
                    out,
                    "{}\n\n```text\n{}\n```\n",
                    t!("feedback-compile-error", dir = lab.dir),
                    l.message.trim_end()
                );
            }
            other @ (LabStatus::Timeout | LabStatus::GraderError) => {
                let _ = writeln!(
                    out,
                    "{}: {}\n",
                    spoken(other.as_str()),
                    l.message.trim_end()
                );
            }
        }
        let graded = l.status == LabStatus::Graded;
        for (task, t) in lab.tasks.iter().zip(&l.tasks) {
            let (mark, note) = if t.verdict == Verdict::Pass {
                ("✓", String::new())
            } else if graded && untouched(t) {
                ("·", format!(" — {}", t!("feedback-not-implemented")))
            } else if graded {
                ("✗", format!(" — {}", spoken(t.verdict.as_str())))
            } else {
                ("✗", String::new())
            };
            let _ = writeln!(
                out,
                "- {mark} **{} {}** — {}/{}{note}",
                task.id,
                task.title_in(lang),
                t.score,
                t.max_score
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
                task.title_in(lang),
                spoken(t.verdict.as_str())
            );
            let _ = writeln!(out, "```text\n{}```", task_output(lab, task, t));
        }
    }
    out
}
