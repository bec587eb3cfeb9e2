//! Deadlines and LMS exports, on real submissions graded by the real grader: git histories
//! with commits on both sides of a due date (committer dates set with GIT_COMMITTER_DATE),
//! folders dated by `submitted.csv`, a history whose dates go backwards, and a hostile
//! roster. Lab 1 only, as every grading test.

mod common;

use common::*;
use std::path::{Path, PathBuf};

const DUE: &str = "lab1=2027-03-01T23:59:00+03:00";
const FILES: [&str; 4] = ["measure.rs", "workloads.rs", "download.rs", "report.rs"];

/// git in `dir` with the commit dated `date`, nothing of this machine's configuration read.
fn git(dir: &Path, date: &str, args: &[&str]) -> String {
    course::corpus::student_git(dir, Some(date), args).unwrap()
}

/// Writes the solution's copy of `files` (Lab 1's student files) into the workspace `ws`.
fn solved(ws: &Path, files: &[&str]) {
    let dir = ws.join("labs/lab1-sync/src");
    std::fs::create_dir_all(&dir).unwrap();
    for f in files {
        std::fs::copy(root().join("solutions/lab1-sync/src").join(f), dir.join(f)).unwrap();
    }
}

/// A repository in `dir` with one commit per `(date, files)`, each adding the solution's
/// copy of those files; returns the commit ids in order.
fn history(dir: &Path, commits: &[(&str, &[&str])]) -> Vec<String> {
    std::fs::create_dir_all(dir).unwrap();
    git(dir, commits[0].0, &["init", "-q"]);
    let mut ids = Vec::new();
    for (date, files) in commits {
        solved(dir, files);
        git(dir, date, &["add", "-A"]);
        git(dir, date, &["commit", "-qm", "work"]);
        ids.push(git(dir, date, &["rev-parse", "HEAD"]));
    }
    ids
}

fn lab1(r: &serde_json::Value) -> serde_json::Value {
    r["extra_data"]["labs"][0].clone()
}

/// A lab of 10 points, late by `days` started days: `percent` off, `score` left.
fn late_by(lab: &serde_json::Value, days: u64, percent: u64, score: u64) {
    let late = &lab["late"];
    assert_eq!(late["status"], "late", "{lab:#}");
    assert_eq!(late["days_late"], days);
    assert_eq!(late["penalty_percent"], percent);
    assert_eq!(late["points_before_penalty"], 10);
    assert_eq!(lab["score"], score, "{lab:#}");
}

fn read(p: PathBuf) -> String {
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn late_work_is_graded_at_the_right_commit_with_the_right_penalty_and_exported() {
    let _turn = turn();
    let dir = fresh("deadlines");
    let subs = dir.join("submissions");
    std::fs::create_dir_all(&subs).unwrap();

    // alice: measure.rs on time, the rest a day and a half late (a bare repository).
    let alice = history(
        &dir.join("alice-work"),
        &[
            ("2027-03-01T10:00:00+03:00", &FILES[..1]),
            ("2027-03-02T12:00:00+03:00", &FILES),
        ],
    );
    git(
        &dir,
        "2027-03-03T00:00:00Z",
        &[
            "clone",
            "-q",
            "--bare",
            "alice-work",
            "submissions/alice.git",
        ],
    );
    // carol: a checkout whose last commit is dated before its parent (on time by its own
    // date), with uncommitted work that does not compile: only commits are graded.
    let carol = subs.join("carol");
    history(
        &carol,
        &[
            ("2027-03-01T12:00:00Z", &FILES[..1]),
            ("2027-02-20T12:00:00Z", &FILES),
        ],
    );
    std::fs::write(
        carol.join("labs/lab1-sync/src/measure.rs"),
        "not rust at all",
    )
    .unwrap();
    // bob and dave: folders, dated by submitted.csv (bob 1 day 10 h late, dave's cell is no
    // date); the instructor's files sit beside them, and are not students.
    solved(&subs.join("bob"), &FILES);
    solved(&subs.join("dave"), &FILES);
    std::fs::write(
        subs.join("submitted.csv"),
        "student,submitted_at,comment\n\
         bob,2027-03-03T10:00:00+03:00,late\n\
         dave,=1+1,\n\
         \"=cmd|' /C calc'!A0\",2027-03-01T00:00:00Z,\n",
    )
    .unwrap();
    std::fs::write(
        subs.join("roster.csv"),
        "student,email,name,sis_id,section,login\n\
         alice,+1@example.com,\"=HYPERLINK(\"\"http://example.com\"\",\"\"x\"\")\",@SUM(1),-A,\n\
         bob,bob@example.com,\"Bob, \"\"The Man\"\"\",S2,B,bob.login\n\
         \"=cmd|' /C calc'!A0\",x@example.com,Evil,S9,C,\n",
    )
    .unwrap();

    // Before-deadline (course.toml's mode), the due date given on the command line.
    let out = dir.join("out");
    let log = run_ok(grade(&subs, &out, &["--due", DUE]));
    let students: Vec<String> = {
        let mut v: Vec<String> = std::fs::read_dir(out.join("students"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(students, ["alice", "bob", "carol", "dave"], "{log}");

    // alice: graded at her on-time commit; the later one ignored, so the skeleton of the
    // files she committed late.
    let a = lab1(&result(&out, "alice"));
    let late = &a["late"];
    assert_eq!(late["commit"], alice[0].as_str(), "{a:#}");
    assert_eq!(late["date"], "2027-03-01T10:00:00+03:00");
    assert_eq!(late["status"], "on_time");
    assert_eq!(late["later_commits_ignored"], 1);
    assert_eq!(late["source"], "git");
    assert_eq!(a["skeleton_files"].as_array().unwrap().len(), 3, "{a:#}");
    let alice_score = a["score"].as_u64().unwrap();
    assert!(alice_score < 10, "{a:#}");
    // carol: HEAD (its date is before the due date), not the working tree; flagged.
    let c = result(&out, "carol");
    assert_eq!(lab1(&c)["score"], 10, "{c:#}");
    assert_eq!(lab1(&c)["late"]["status"], "on_time");
    assert_eq!(
        c["extra_data"]["git"]["dates_backwards"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "{c:#}"
    );
    // bob: 2 started days late, 20 % of 10 points.
    let b = lab1(&result(&out, "bob"));
    assert_eq!(b["late"]["source"], "submitted.csv");
    late_by(&b, 2, 20, 8);
    assert_eq!(result(&out, "bob")["score"], 8.0);
    // dave: the cell is no date: unknown, no penalty.
    let d = lab1(&result(&out, "dave"));
    assert_eq!(d["late"]["status"], "unknown");
    assert_eq!(d["score"], 10);

    // The gradebook: a late column, the flag, the summary's lists.
    let csv = read(out.join("grades.csv"));
    assert_eq!(
        csv,
        format!(
            "student,lab1,total,max,status,flags,late\n\
             alice,{alice_score},{alice_score},10,graded,,\n\
             bob,8,8,10,graded,,lab1 +2d -20%\n\
             carol,10,10,10,graded,git:dates-backwards,\n\
             dave,10,10,10,graded,,lab1 date unknown\n"
        )
    );
    let summary = read(out.join("summary.txt"));
    for line in [
        "late submissions",
        "  bob: lab1 +2d -20%",
        "  dave: lab1 date unknown",
        "  alice: lab1: 1 later commit",
        "  carol: git:dates-backwards",
        "not in the roster",
    ] {
        assert!(summary.contains(line), "{line:?} missing:\n{summary}");
    }
    // Feedback: which commit, and the penalty.
    let fa = read(out.join("students/alice/feedback.md"));
    assert!(
        fa.contains(&format!("Graded commit `{}`", &alice[0][..12]))
            && fa.contains("1 later commit was not graded"),
        "{fa}"
    );
    let fb = read(out.join("students/bob/feedback.md"));
    assert!(
        fb.contains("2 days late") && fb.contains("−20 %") && fb.contains("(10 → 8)"),
        "{fb}"
    );

    // The LMS exports, exactly: roster cells that look like formulas stay text.
    assert_eq!(
        read(out.join("moodle.csv")),
        format!(
            "Username,Email address,ID number,Full name,Lab 1\n\
             alice,'+1@example.com,'@SUM(1),\"'=HYPERLINK(\"\"http://example.com\"\",\"\"x\"\")\",{alice_score}\n\
             bob.login,bob@example.com,S2,\"Bob, \"\"The Man\"\"\",8\n\
             carol,,,,10\n\
             dave,,,,10\n"
        )
    );
    assert_eq!(
        read(out.join("canvas.csv")),
        format!(
            "Student,ID,SIS User ID,SIS Login ID,Section,Lab 1\n\
             Points Possible,,,,,10\n\
             \"'=HYPERLINK(\"\"http://example.com\"\",\"\"x\"\")\",,'@SUM(1),alice,'-A,{alice_score}\n\
             \"Bob, \"\"The Man\"\"\",,S2,bob.login,B,8\n\
             carol,,,carol,,10\n\
             dave,,,dave,,10\n"
        )
    );

    // Penalty mode: alice's latest commit, 12 h 1 min late = one started day, 10 %.
    let out = dir.join("out-penalty");
    run_ok(grade(
        &subs,
        &out,
        &["--due", DUE, "--late-mode", "penalty", "--student", "alice"],
    ));
    let a = lab1(&result(&out, "alice"));
    assert_eq!(a["late"]["commit"], alice[1].as_str(), "{a:#}");
    assert_eq!(a["late"]["mode"], "penalty");
    late_by(&a, 1, 10, 9);
    assert!(read(out.join("grades.csv")).contains("alice,9,9,10,graded,,lab1 +1d -10%\n"));
}
