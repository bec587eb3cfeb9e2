//! What a student reads: each task's text in results.json and the whole of feedback.md.

use super::{CheckGrade, LabGrade, StudentResult, TaskGrade};
use crate::run::Verdict;
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
