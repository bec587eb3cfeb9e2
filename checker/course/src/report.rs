//! The student's report: one line per task, the reason and the next step for each failure.

use crate::run::{self, LabOutcome, TaskOutcome, Verdict};
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
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  {}/{} points",
        lab.title,
        outcome.earned(),
        outcome.points()
    );
    if let Some((verdict, message)) = &outcome.failure {
        match verdict {
            Verdict::CompileError => {
                let _ = writeln!(
                    out,
                    "  ✗ {} does not compile, so none of its tasks can be checked:",
                    lab.dir
                );
                let _ = writeln!(out, "{}", indent(message, 4));
                let _ = writeln!(
                    out,
                    "  Next: fix the first error above (`cargo build -p {}` shows them all).",
                    lab.id
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "  ✗ the checks of {} could not run (not your fault):",
                    lab.id
                );
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
        if verdict == Verdict::Pass {
            let _ = writeln!(
                out,
                "  ✓ {} {}  {}/{}",
                task.id, task.title, result.earned, result.points
            );
            continue;
        }
        if untouched(result) {
            let _ = writeln!(
                out,
                "  · {} {}  0/{} — not implemented yet: write it in {}",
                task.id,
                task.title,
                result.points,
                file.display()
            );
            continue;
        }
        let in_full = detail.all || detail.task.is_some() || !shown_in_full;
        let _ = writeln!(
            out,
            "  ✗ {} {}  {}/{} — {}",
            task.id,
            task.title,
            result.earned,
            result.points,
            verdict.describe()
        );
        if !in_full {
            collapsed = true;
            let _ = writeln!(
                out,
                "      details: cargo course check {} {}",
                lab.id, task.id
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
            let _ = writeln!(out, "      this task has no checks: tell your instructor");
            continue;
        };
        let _ = writeln!(out, "      ✗ {} ({})", first.name, first.verdict.describe());
        let message = run::student_message(&first.message);
        let message = if detail.all || detail.task.is_some() {
            message
        } else {
            run::truncate_lines(&message, COMPACT_MESSAGE_LINES, " (`--all` shows them)")
        };
        let _ = writeln!(out, "{}", indent(message.trim_end(), 8));
        if failing.len() > 1 {
            let others: Vec<&str> = failing[1..].iter().map(|c| c.name.as_str()).collect();
            let _ = writeln!(out, "      also failing: {}", others.join(", "));
        }
        // A timeout's message already carries the hint: say it once.
        if !first.message.contains(task.hint.as_str()) {
            let _ = writeln!(out, "      hint: {}", task.hint);
        }
        let _ = writeln!(
            out,
            "      file: {} · read {}#{}",
            file.display(),
            lab.chapter(),
            task.anchor
        );
    }
    if collapsed {
        let _ = writeln!(
            out,
            "  (the first failing task in full; `cargo course check {} TASK` for another, \
             `--all` for everything)",
            lab.id
        );
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
    let total = format!("Total: {earned}/{points} points.");
    let Some((lab, o)) = outcomes
        .iter()
        .find(|(_, o)| o.failure.is_some() || o.earned() < o.points())
    else {
        return format!("{total} Everything passes. Well done!");
    };
    if let Some((verdict, _)) = &o.failure {
        return if *verdict == Verdict::CompileError {
            format!(
                "{total} Next: make {} compile (the error is above).",
                lab.dir
            )
        } else {
            format!(
                "{total} {} could not be checked: run `cargo course check {}` again; if it \
                 repeats, show the message above to your instructor.",
                lab.id, lab.id
            )
        };
    }
    let next = lab
        .tasks
        .iter()
        .zip(&o.tasks)
        .find(|(_, r)| r.earned < r.points)
        .map(|(t, _)| t);
    match next {
        Some(t) => format!(
            "{total} Next: task {} in {} (`cargo course watch {}` re-checks on every save).",
            t.id,
            lab.task_path(t).display(),
            lab.id
        ),
        None => total,
    }
}
