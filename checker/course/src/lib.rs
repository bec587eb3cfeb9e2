//! # course — the tool around the checks
//!
//! | module | what it does | who runs it |
//! |---|---|---|
//! | [`run`] | builds one lab's checks, runs every check in its own process with a deadline, and turns what happened into verdicts and points | everyone, through the others |
//! | [`report`] | prints a lab's result for a student: ✓/✗ per task, points, hint, diff | `cargo course check lab1` |
//! | [`tree`] | copies a workspace into a scratch folder, touching only what changed (so cargo rebuilds only that) | the self-test and the grader |
//! | [`fixtures`] | known-wrong variants of the solutions, each meant to lose one task | the self-test |
//! | [`selftest`] | proves the course sound: solutions full marks, skeletons zero, every fixture caught | `cargo selftest` |
//! | [`grade`] | grades a folder of submissions: sandboxed, resumable, sharded; [`submission`] reads them, [`sandbox`] confines them, [`outputs`] writes the gradebook | `scripts/grade` (`cargo course grade`) |
//! | [`deadlines`] | due dates and late work: which commit is graded, the penalty; [`lms`] writes the Moodle and Canvas imports | the grader |
//! | [`handout`] | the student edition of the workspace (and the grader's base copy) | `cargo course handout OUT/` |
//! | [`class_report`] | what the instructor reads after grading: report.html (charts, common mistakes, [`similarity`] of task files, [`answers`] to written questions) | every grading run, `cargo course report` |
//! | [`corpus`] | hostile and generated submissions for testing the grader | `cargo course corpus OUT/` |
//! | [`gradescope`] | a Gradescope autograder bundle | `cargo course gradescope OUT/` |
//!
//! It does not depend on the labs: it drives `cargo` to build them, so a lab that does not
//! compile is a verdict here, not a crash.

pub mod answers;
pub mod class_report;
pub mod corpus;
pub mod deadlines;
pub mod fixtures;
pub mod flags;
pub mod grade;
pub mod gradescope;
pub mod handout;
pub mod html;
pub mod i18n;
pub mod lms;
pub mod outputs;
pub mod report;
pub mod run;
pub mod sandbox;
pub mod seal;
pub mod selftest;
pub mod similarity;
pub mod submission;
pub mod tree;

use std::path::{Path, PathBuf};

/// The workspace root: the nearest folder at or above `start` holding `course.toml`.
pub fn find_root(start: &Path) -> anyhow::Result<PathBuf> {
    let mut dir = start.to_path_buf();
    loop {
        if dir.join("course.toml").is_file() && dir.join("Cargo.toml").is_file() {
            return Ok(dir);
        }
        if !dir.pop() {
            anyhow::bail!(t!("error-no-root", folder = start.display().to_string()));
        }
    }
}

/// For the unit tests: this workspace's root and its course.
#[cfg(test)]
pub(crate) fn test_course() -> (PathBuf, model::course::Course) {
    let root = find_root(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let course = model::course::Course::load(&root).unwrap();
    (root, course)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// A module that outgrows one sitting is split by what it does (see `class_report/`,
    /// `grade/`): every source file of the course tool stays under 500 lines.
    #[test]
    fn every_source_file_is_under_500_lines() {
        const MAX: usize = 500;
        fn walk(dir: &Path, long: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, long);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let lines = std::fs::read_to_string(&path).unwrap().lines().count();
                    if lines >= MAX {
                        long.push(format!("{} has {lines} lines", path.display()));
                    }
                }
            }
        }
        let mut long = Vec::new();
        walk(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut long,
        );
        assert!(
            long.is_empty(),
            "split these by what their parts do (under {MAX} lines each):\n{}",
            long.join("\n")
        );
    }
}
