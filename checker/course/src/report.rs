//! The student's report: one line per task, the reason and the next step for each failure.

use crate::i18n;
use crate::run::{self, LabOutcome, TaskOutcome, Verdict};
use crate::t;
use model::course::Lab;
use std::fmt::Write;

/// How much of a lab's result a report shows.
#[derive(Debug, Clone, Default)]
pub struct Detail {
    /// Every failing task in full, with whole messages (`--all`).
    pub all: bool,
    /// Only this task, in full (`cargo course check lab2 2.3`).
    pub task: Option<String>,
}

/// Lines of a check's message shown in the compact report (`--all` shows them all).
const COMPACT_MESSAGE_LINES: usize = 12;

/// The report of one lab, as text. Compact by default: one line per task, except the first
/// task that fails for a reason other than "not implemented yet", which is shown in full
/// (its failing check, the message, the hint, where to read). `detail` widens it.
pub fn lab_report(lab: &Lab, outcome: &LabOutcome, detail: &Detail) -> String {
    let lang = i18n::lang();
    let describe = |v: Verdict| i18n::describe(lang, v);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  {}",
        lab.title_in(lang),
        t!(
            "report-points",
            earned = outcome.earned(),
            points = outcome.points()
        )
    );
    if let Some((verdict, message)) = &outcome.failure {
        match verdict {
            Verdict::CompileError => {
                let _ = writeln!(out, "  ✗ {}", t!("report-compile-error", dir = lab.dir));
                let _ = writeln!(out, "{}", indent(message, 4));
                let _ = writeln!(out, "  {}", t!("report-fix-first-error", lab = lab.id));
            }
            _ => {
                let _ = writeln!(out, "  ✗ {}", t!("report-could-not-run", lab = lab.id));
                let _ = writeln!(out, "{}", indent(message, 4));
            }
        }
        return out;
    }
    let mut shown_in_full = false;
    let mut collapsed = false;
    for (task, result) in lab.tasks.iter().zip(&outcome.tasks) {
        if detail.task.as_ref().is_some_and(|t| *t != task.id) {
            continue;
        }
        let verdict = result.verdict();
        let file = lab.task_path(task);
        let title = task.title_in(lang);
        if verdict == Verdict::Pass {
            let _ = writeln!(
                out,
                "  ✓ {} {title}  {}/{}",
                task.id, result.earned, result.points
            );
            continue;
        }
        if untouched(result) {
            let _ = writeln!(
                out,
                "  · {} {title}  0/{} — {}",
                task.id,
                result.points,
                t!("report-write-it", file = file.display().to_string())
            );
            continue;
        }
        let in_full = detail.all || detail.task.is_some() || !shown_in_full;
        let _ = writeln!(
            out,
            "  ✗ {} {title}  {}/{} — {}",
            task.id,
            result.earned,
            result.points,
            describe(verdict)
        );
        if !in_full {
            collapsed = true;
            let _ = writeln!(
                out,
                "      {}",
                t!("report-details", lab = lab.id, task = task.id)
            );
            continue;
        }
        shown_in_full = true;
        let failing: Vec<_> = result
            .checks
            .iter()
            .filter(|c| c.verdict != Verdict::Pass)
            .collect();
        let Some(first) = failing.first() else {
            let _ = writeln!(out, "      {}", t!("report-no-checks"));
            continue;
        };
        let _ = writeln!(out, "      ✗ {} ({})", first.name, describe(first.verdict));
        let message = run::student_message(&first.message);
        let message = if detail.all || detail.task.is_some() {
            message
        } else {
            run::truncate_lines(
                &message,
                COMPACT_MESSAGE_LINES,
                &t!("report-all-shows-them"),
            )
        };
        let _ = writeln!(out, "{}", indent(message.trim_end(), 8));
        if failing.len() > 1 {
            let others: Vec<&str> = failing[1..].iter().map(|c| c.name.as_str()).collect();
            let _ = writeln!(
                out,
                "      {}",
                t!("report-also-failing", checks = others.join(", "))
            );
        }
        // A timeout's message already carries the hint: say it once.
        let hint = task.hint_in(lang);
        if !first.message.contains(hint) {
            let _ = writeln!(out, "      {}", t!("report-hint", hint = hint));
        }
        let _ = writeln!(
            out,
            "      {}",
            t!(
                "report-file",
                file = file.display().to_string(),
                chapter = lab.chapter(),
                anchor = task.anchor
            )
        );
    }
    if collapsed {
        let _ = writeln!(out, "  {}", t!("report-collapsed", lab = lab.id));
    }
    out
}

/// A task none of whose failing checks got past a `todo!()`: the student has not started it.
/// Its demo section also differs from the reference then (it prints "not implemented yet"),
/// which says nothing more.
fn untouched(result: &TaskOutcome) -> bool {
    untouched_by(result.checks.iter().map(|c| c.verdict))
}

/// [`untouched`] from a task's checks' verdicts (the grader's feedback asks it too).
pub fn untouched_by(mut verdicts: impl Iterator<Item = Verdict> + Clone) -> bool {
    verdicts.clone().any(|v| v == Verdict::NotImplemented)
        && verdicts.all(|v| {
            matches!(
                v,
                Verdict::NotImplemented | Verdict::Pass | Verdict::SnapshotMismatch
            )
        })
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The closing line over several labs, with the next step: the first task that does not
/// pass (a lab that does not compile comes first: none of its tasks can pass until it does).
pub fn summary(outcomes: &[(&Lab, LabOutcome)]) -> String {
    let earned: u32 = outcomes.iter().map(|(_, o)| o.earned()).sum();
    let points: u32 = outcomes.iter().map(|(_, o)| o.points()).sum();
    let total = t!("summary-total", earned = earned, points = points);
    let Some((lab, o)) = outcomes
        .iter()
        .find(|(_, o)| o.failure.is_some() || o.earned() < o.points())
    else {
        return t!("summary-well-done", total = total);
    };
    if let Some((verdict, _)) = &o.failure {
        return if *verdict == Verdict::CompileError {
            t!("summary-make-it-compile", total = total, dir = lab.dir)
        } else {
            t!("summary-not-checked", total = total, lab = lab.id)
        };
    }
    let next = lab
        .tasks
        .iter()
        .zip(&o.tasks)
        .find(|(_, r)| r.earned < r.points)
        .map(|(t, _)| t);
    match next {
        Some(task) => t!(
            "summary-next-task",
            total = total,
            task = task.id,
            file = lab.task_path(task).display().to_string(),
            lab = lab.id
        ),
        None => total,
    }
}

#[cfg(test)]
mod tests;
