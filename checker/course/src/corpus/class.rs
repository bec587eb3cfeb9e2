//! `--class N`: a class of mixed submissions, with a history across a due date and the
//! `submitted.csv` an LMS would export.

use super::archive::{write_folder, write_tar_gz, write_zip};
use super::{Files, all_labs, load, near_copy, write_case};
use crate::fixtures;
use anyhow::Context;
use model::course::Course;
use std::path::Path;

/// Writes a class of `n` mixed submissions into `out`; returns (id, what it is).
pub fn write_class(root: &Path, out: &Path, n: usize) -> anyhow::Result<Vec<(String, String)>> {
    let course = Course::load(root).map_err(anyhow::Error::msg)?;
    std::fs::create_dir_all(out)?;
    let solved = all_labs(root, &course, true)?;
    let skeleton = all_labs(root, &course, false)?;
    let hostile = load(root)?;
    let lab1 = course.lab("lab1").context("no lab1")?;
    let wrong = fixtures::load(root, lab1)?;
    let mut made = Vec::new();
    let mut next_hostile = 0;
    for i in 0..n {
        let id = format!("student{:02}", i + 1);
        // Per ten students: four solved (a folder, a .zip, a .tar.gz, a git checkout), one
        // untouched, two with a classic mistake, three hostile or broken (or a near copy).
        let what = match i % 10 {
            0 => {
                write_folder(&out.join(&id), &solved)?;
                "solved (folder)".to_owned()
            }
            1 => {
                write_zip(&out.join(format!("{id}.zip")), "workspace/", &solved)?;
                "solved (.zip)".to_owned()
            }
            2 => {
                write_folder(&out.join(&id), &skeleton)?;
                "untouched skeleton".to_owned()
            }
            5 => {
                let entries: Vec<(Vec<u8>, Vec<u8>)> = solved
                    .iter()
                    .map(|(k, v)| (k.as_bytes().to_vec(), v.clone()))
                    .collect();
                write_tar_gz(&out.join(format!("{id}.tar.gz")), &entries)?;
                "solved (.tar.gz)".to_owned()
            }
            6 => late_history(&out.join(&id), &solved, &skeleton, (i / 10) % 2 == 0)?,
            8 | 9 if i < 10 => near_copy::write(out, &id, i == 9, &solved)?,
            3 | 7 if !wrong.is_empty() => {
                let f = &wrong[(i / 5) % wrong.len()];
                let mut files = solved.clone();
                for (k, v) in fixtures::overlay(root, lab1, f)? {
                    files.insert(k.to_string_lossy().into_owned(), v);
                }
                write_folder(&out.join(&id), &files)?;
                format!("known mistake: {} (task {})", f.name, f.task)
            }
            _ => {
                let mut case = hostile[next_hostile % hostile.len()].clone();
                next_hostile += 1;
                let what = format!("hostile: {} (expect {})", case.name, case.expect);
                case.name = id.clone();
                write_case(root, &course, &case, out)?;
                what
            }
        };
        made.push((id, what));
    }
    write_submitted(out, &mut made)?;
    let list: String = made.iter().map(|(id, w)| format!("{id}\t{w}\n")).collect();
    std::fs::write(out.join(".class.tsv"), list)?;
    Ok(made)
}

/// The due date the class is written for: `grade --due lab1=…` with it grades the class's
/// late work (course.toml gives no due date).
pub const CLASS_DUE: &str = "2027-03-01T23:59:00+03:00";

/// A git checkout of the solved labs in two commits: first with Lab 1's report still the
/// skeleton's, on the day of [`CLASS_DUE`]; then the finished report, the next day when
/// `late` (so `--due lab1=CLASS_DUE` grades the first commit, or the second with a day's
/// penalty), else an hour before the due date. The working tree is the last commit.
fn late_history(
    dir: &Path,
    solved: &Files,
    skeleton: &Files,
    late: bool,
) -> anyhow::Result<String> {
    const REPORT: &str = "labs/lab1-sync/src/report.rs";
    let mut first = solved.clone();
    if let Some(untouched) = skeleton.get(REPORT) {
        first.insert(REPORT.to_owned(), untouched.clone());
    }
    write_folder(dir, &first)?;
    let finished = if late {
        "2027-03-02T18:00:00+03:00"
    } else {
        "2027-03-01T22:59:00+03:00"
    };
    git_checkout_at(dir, "2027-03-01T12:00:00+03:00", true)?;
    write_folder(dir, solved)?;
    git_checkout_at(dir, finished, false)?;
    Ok(if late {
        format!("solved (git checkout); late: lab1's last commit {finished}, after {CLASS_DUE}")
    } else {
        "solved (git checkout); on time: every commit before the due date".to_owned()
    })
}

/// Commits everything in `dir` (a new repository when `init`), dated `date`.
fn git_checkout_at(dir: &Path, date: &str, init: bool) -> anyhow::Result<()> {
    if init {
        student_git(dir, Some(date), &["init", "-q"])?;
    }
    student_git(dir, Some(date), &["add", "-A"])?;
    student_git(dir, Some(date), &["commit", "-qm", "my labs"])?;
    Ok(())
}

/// Runs `git ARGS` in `dir` as a student's machine would, and returns what it printed: a
/// fixed identity, branch `main`, no hook, none of this machine's git configuration, and the
/// commit dated `date` (RFC 3339 or git's `@seconds +zone`) when given. For generated
/// submissions and for tests that build repositories.
pub fn student_git(dir: &Path, date: Option<&str>, args: &[&str]) -> anyhow::Result<String> {
    let mut cmd = std::process::Command::new("git");
    cmd.args([
        "-c",
        "user.name=student",
        "-c",
        "user.email=student@example.com",
    ])
    .args([
        "-c",
        "init.defaultBranch=main",
        "-c",
        "core.hooksPath=/dev/null",
    ])
    .args(args)
    .current_dir(dir)
    .env("GIT_CONFIG_NOSYSTEM", "1")
    .env("GIT_CONFIG_GLOBAL", "/dev/null");
    if let Some(date) = date {
        cmd.env("GIT_COMMITTER_DATE", date)
            .env("GIT_AUTHOR_DATE", date);
    }
    let out = cmd
        .output()
        .with_context(|| format!("cannot run git in {}", dir.display()))?;
    anyhow::ensure!(
        out.status.success(),
        "git {} failed in {}: {}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Writes the class's `submitted.csv` (what an LMS records) for its folders and archives:
/// every `.tar.gz` a day late, the untouched skeletons without a row (lateness unknown), the
/// others on time; and says so in each one's description.
fn write_submitted(out: &Path, made: &mut [(String, String)]) -> anyhow::Result<()> {
    let mut csv = String::from("student,submitted_at\n");
    for (id, what) in made.iter_mut() {
        if what.contains("git") || what.starts_with("hostile") {
            continue;
        }
        if what.starts_with("untouched") {
            what.push_str("; date unknown: no row in submitted.csv");
        } else if what.contains(".tar.gz") {
            csv.push_str(&format!("{id},2027-03-02T09:30:00+03:00\n"));
            what.push_str("; late: submitted.csv says 2027-03-02T09:30:00+03:00 (1 day)");
        } else {
            csv.push_str(&format!("{id},2027-03-01T20:00:00+03:00\n"));
        }
    }
    std::fs::write(out.join(crate::deadlines::SUBMITTED_CSV), csv)?;
    Ok(())
}
