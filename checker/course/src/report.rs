//! The student's report: one line per task, the reason and the next step for each failure.

use crate::run::{LabOutcome, TaskOutcome, Verdict};
use kit::course::Lab;
use std::fmt::Write;

/// The report of one lab, as text.
pub fn lab_report(lab: &Lab, outcome: &LabOutcome) -> String {
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
    for (task, result) in lab.tasks.iter().zip(&outcome.tasks) {
        let mark = if result.earned == result.points && result.points > 0 {
            "✓"
        } else {
            "✗"
        };
        let verdict = result.verdict();
        let status = if verdict == Verdict::Pass {
            String::new()
        } else {
            format!("  — {}", verdict.describe())
        };
        let _ = writeln!(
            out,
            "  {mark} {} {}  {}/{}{status}",
            task.id, task.title, result.earned, result.points
        );
        if verdict == Verdict::Pass {
            continue;
        }
        let file = lab.task_path(task);
        if verdict == Verdict::NotImplemented && all_not_implemented(result) {
            let _ = writeln!(
                out,
                "      write it in {} · read {}#{}",
                file.display(),
                lab.chapter(),
                task.anchor
            );
            continue;
        }
        let failing: Vec<_> = result
            .checks
            .iter()
            .filter(|c| c.verdict != Verdict::Pass)
            .collect();
        if let Some(first) = failing.first() {
            let _ = writeln!(out, "      ✗ {} ({})", first.name, first.verdict.describe());
            let _ = writeln!(out, "{}", indent(&first.message, 8));
            if failing.len() > 1 {
                let others: Vec<&str> = failing[1..].iter().map(|c| c.name.as_str()).collect();
                let _ = writeln!(out, "      also failing: {}", others.join(", "));
            }
        } else {
            let _ = writeln!(out, "      this task has no checks: tell your instructor");
        }
        let _ = writeln!(out, "      hint: {}", task.hint);
        let _ = writeln!(
            out,
            "      file: {} · read {}#{}",
            file.display(),
            lab.chapter(),
            task.anchor
        );
    }
    out
}

fn all_not_implemented(result: &TaskOutcome) -> bool {
    result
        .checks
        .iter()
        .all(|c| matches!(c.verdict, Verdict::NotImplemented | Verdict::Pass))
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The closing line over several labs, with the next step.
pub fn summary(outcomes: &[(&Lab, LabOutcome)]) -> String {
    let earned: u32 = outcomes.iter().map(|(_, o)| o.earned()).sum();
    let points: u32 = outcomes.iter().map(|(_, o)| o.points()).sum();
    let next = outcomes.iter().find(|(_, o)| o.earned() < o.points());
    match next {
        None => format!("Total: {earned}/{points} points. Everything passes. Well done!"),
        Some((lab, o)) => {
            let task = lab
                .tasks
                .iter()
                .zip(&o.tasks)
                .find(|(_, r)| r.earned < r.points)
                .map(|(t, _)| t);
            match task {
                Some(t) => format!(
                    "Total: {earned}/{points} points. Next: task {} in {} (re-check with `cargo course check {}`, or keep `cargo course watch {}` running).",
                    t.id,
                    lab.task_path(t).display(),
                    lab.id,
                    lab.id
                ),
                None => format!(
                    "Total: {earned}/{points} points. Next: make {} compile.",
                    lab.dir
                ),
            }
        }
    }
}
