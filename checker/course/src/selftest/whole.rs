//! Step 1: the course is whole (files, chapter headings, Python mirror, fixtures), and
//! a lab's parity suite agrees with its Python.

use super::{Ledger, first_line, last_lines, run_with_deadline};
use crate::fixtures::{self, FULL};
use model::course::Lab;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Known-wrong fixtures every task needs (distinct mistakes the checks must catch).
const MIN_WRONG: usize = 3;
/// Correct alternatives (`verdict = "full"`) every task needs.
const MIN_FULL: usize = 1;

/// 1. Every file course.toml promises is there.
pub(super) fn whole(root: &Path, lab: &Lab, ledger: &mut Ledger) {
    let mut missing = Vec::new();
    for file in lab.student_files() {
        for side in [&lab.dir, &lab.solution] {
            let path = Path::new(side).join(file);
            if !root.join(&path).is_file() {
                missing.push(path.display().to_string());
            }
        }
    }
    let chapter = std::fs::read_to_string(root.join(lab.chapter())).unwrap_or_default();
    for task in &lab.tasks {
        if !chapter.contains(&format!("{{#{}}}", task.anchor)) {
            missing.push(format!(
                "{} heading {{#{}}} (task {})",
                lab.chapter(),
                task.anchor,
                task.id
            ));
        }
    }
    let python = root.join(&lab.dir).join("python");
    let has_python = std::fs::read_dir(&python).is_ok_and(|mut d| {
        d.any(|e| e.is_ok_and(|e| e.path().extension().is_some_and(|x| x == "py")))
    });
    if !has_python {
        missing.push(format!("{}/python/*.py (the Python mirror)", lab.dir));
    }
    match fixtures::load(root, lab) {
        Ok(list) => {
            // Every task: at least MIN_WRONG known-wrong variants (each a distinct mistake)
            // and MIN_FULL correct alternatives that must keep full marks.
            for task in &lab.tasks {
                let mine = list.iter().filter(|f| f.task == task.id);
                let full = mine.clone().filter(|f| f.correct_alternative()).count();
                let wrong = mine.count() - full;
                if wrong < MIN_WRONG {
                    missing.push(format!(
                        "{} more known-wrong fixture(s) for task {} in checker/fixtures/{}.toml \
                         (it has {wrong}, a task needs {MIN_WRONG})",
                        MIN_WRONG - wrong,
                        task.id,
                        lab.id
                    ));
                }
                if full < MIN_FULL {
                    missing.push(format!(
                        "a correct alternative (verdict = \"{FULL}\") for task {} in checker/fixtures/{}.toml",
                        task.id, lab.id
                    ));
                }
            }
        }
        Err(e) => missing.push(format!("{e:#}")),
    }
    ledger.expect(
        missing.is_empty(),
        format!(
            "{}: files, chapter headings, Python mirror and fixtures exist",
            lab.id
        ),
        || format!("missing:\n{}", missing.join("\n")),
    );
}

/// 1b. A lab with a parity suite (`<solution>/src/bin/<lab>-parity.rs`, today Lab 5): its
/// scenarios give, in Python and on the reference solution, the logs they claim (the same,
/// or a difference with its reason), and the chapter's generated appendix is the fresh
/// output. Without python3 the runner says so and this step is one note, not a failure.
pub(super) fn parity(root: &Path, lab: &Lab, ledger: &mut Ledger) {
    let bin = format!("{}-parity", lab.id);
    let source = root.join(&lab.solution).join(format!("src/bin/{bin}.rs"));
    if !source.is_file() {
        return;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest = root.join(&lab.solution).join("Cargo.toml");
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .args(["run", "-q", "--bin", &bin, "--manifest-path"]);
    cmd.arg(&manifest);
    let what = format!(
        "{}: parity suite (asyncio vs the reference), appendix current",
        lab.id
    );
    match run_with_deadline(&mut cmd, Duration::from_secs(600)) {
        Ok((_, out)) if out.lines().any(|l| l.starts_with("parity: skipped")) => {
            println!("  · note: {}", first_line(&out));
        }
        Ok((ok, out)) => {
            let summary = out.lines().next().unwrap_or("").to_owned();
            ledger.expect(ok, format!("{what}: {summary}"), || last_lines(&out, 60));
        }
        Err(e) => ledger.fail(what, e),
    }
}
