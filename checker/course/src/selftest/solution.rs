//! Steps 2 to 4: checks and tasks agree, the solution earns full marks (every run), the
//! skeleton earns zero and its demo runs.

use super::{Ledger, failing_checks, first_line, last_lines, run_with_deadline};
use crate::run::{self, LabOutcome, Options, Verdict};
use model::course::Lab;
use std::process::Command;
use std::time::{Duration, Instant};

/// 2. Checks and tasks agree both ways.
pub(super) fn agree(lab: &Lab, solved: &LabOutcome, ledger: &mut Ledger) {
    if solved.failure.is_some() {
        return; // reported by full_marks
    }
    ledger.expect(
        solved.orphan_checks.is_empty(),
        format!("{}: every check belongs to a task", lab.id),
        || {
            format!(
                "checks outside any `mod task_N_K` of a task in course.toml: {}",
                solved.orphan_checks.join(", ")
            )
        },
    );
    let empty: Vec<&str> = solved
        .tasks
        .iter()
        .filter(|t| t.checks.is_empty())
        .map(|t| t.id.as_str())
        .collect();
    ledger.expect(
        empty.is_empty(),
        format!("{}: every task has checks", lab.id),
        || format!("tasks with no check: {}", empty.join(", ")),
    );
}

/// 3. The solution earns full marks.
pub(super) fn full_marks(lab: &Lab, solved: &LabOutcome, ledger: &mut Ledger) {
    let what = format!(
        "{}: the solution earns {}/{}",
        lab.id,
        solved.points(),
        solved.points()
    );
    if let Some((verdict, message)) = &solved.failure {
        return ledger.fail(what, format!("{}:\n{message}", verdict.describe()));
    }
    let failing: Vec<String> = solved
        .tasks
        .iter()
        .flat_map(|t| &t.checks)
        .filter(|c| c.verdict != Verdict::Pass)
        .map(|c| format!("{} — {}\n{}", c.name, c.verdict.describe(), c.message))
        .collect();
    ledger.expect(
        failing.is_empty() && solved.earned() == solved.points(),
        what,
        || failing.join("\n"),
    );
}

/// 3b. With `--repeat N`: the solution's checks run N times in all (the build is reused), and
/// every run earns full marks. A check that fails once in N runs on a correct solution would
/// take points from a correct student: it is flaky, whatever the reason.
pub(super) fn full_marks_again(opts: &Options, lab: &Lab, repeat: u32, ledger: &mut Ledger) {
    let mut failures = Vec::new();
    for run in 2..=repeat {
        let again = run::check_lab(opts, lab);
        let failing: Vec<String> = match &again.failure {
            Some((verdict, message)) => {
                vec![format!("{}: {}", verdict.describe(), first_line(message))]
            }
            None => failing_checks(again.tasks.iter().flat_map(|t| &t.checks), (" — ", "")),
        };
        if !failing.is_empty() {
            failures.push(format!("run {run}: {}", failing.join("; ")));
        }
    }
    ledger.expect(
        failures.is_empty(),
        format!(
            "{}: the solution earns full marks in {} of {repeat} runs",
            lab.id,
            repeat as usize - failures.len()
        ),
        || failures.join("\n"),
    );
}

/// 4. The skeleton earns zero, nothing hangs, and its demo runs.
pub(super) fn skeleton(opts: &Options, lab: &Lab, ledger: &mut Ledger) {
    let built = match run::build(opts, lab) {
        Ok(b) => b,
        Err((verdict, message)) => {
            return ledger.fail(
                format!("{}: the skeleton compiles", lab.id),
                format!("{}:\n{message}", verdict.describe()),
            );
        }
    };
    ledger.ok(format!("{}: the skeleton compiles", lab.id));
    let outcome = run::score(lab, run::run_built(opts, lab, &built).unwrap_or_default());
    let hung: Vec<&str> = outcome
        .tasks
        .iter()
        .flat_map(|t| &t.checks)
        .filter(|c| {
            matches!(
                c.verdict,
                Verdict::TimedOut | Verdict::Crashed | Verdict::Signal | Verdict::GraderError
            )
        })
        .map(|c| c.name.as_str())
        .collect();
    ledger.expect(
        outcome.earned() == 0,
        format!("{}: the skeleton earns 0", lab.id),
        || {
            let passing: Vec<&str> = outcome
                .tasks
                .iter()
                .filter(|t| t.earned > 0)
                .map(|t| t.id.as_str())
                .collect();
            format!(
                "tasks passing without any student code: {}",
                passing.join(", ")
            )
        },
    );
    ledger.expect(
        hung.is_empty(),
        format!("{}: no skeleton check hangs or crashes", lab.id),
        || hung.join(", "),
    );
    let Some(run_lab) = built.run_lab else {
        return ledger.fail(
            format!("{}: the skeleton's demo runs", lab.id),
            "cargo built no run-lab binary",
        );
    };
    let t0 = Instant::now();
    let demo = run_with_deadline(
        // In English whatever the maintainer's locale: the notes are looked for by their words.
        Command::new(run_lab)
            .args([lab.id.as_str(), "--quick"])
            .env(model::lang::COURSE_LANG, "en"),
        Duration::from_secs(120),
    );
    let what = format!(
        "{}: the skeleton's demo exits 0 with not-implemented notes",
        lab.id
    );
    match demo {
        Ok((true, out)) if out.contains("not implemented yet") => {
            ledger.ok(format!("{what} ({:.1} s)", t0.elapsed().as_secs_f64()))
        }
        Ok((ok, out)) => ledger.fail(what, format!("exit ok: {ok}\n{}", last_lines(&out, 15))),
        Err(e) => ledger.fail(what, e),
    }
}
