//! Unit tests of the deadlines: the graded commit, lateness, the penalty.

use super::*;
use std::path::PathBuf;

fn deadlines(mode: Mode) -> Deadlines {
    Deadlines {
        due: BTreeMap::new(),
        mode,
        percent_per_day: 10,
        max_days: Some(3),
        submitted: BTreeMap::new(),
    }
}

fn due(text: &str) -> Due {
    Due {
        at: parse_date(text, "test").unwrap(),
        text: text.into(),
    }
}

#[test]
fn a_started_day_counts_and_max_days_ends_it() {
    let d = deadlines(Mode::Penalty);
    let due = due("2027-03-01T23:59:00+03:00");
    for (at, status, days, percent) in [
        ("2027-03-01T23:59:00+03:00", "on_time", 0, 0),
        ("2027-03-01T20:59:00Z", "on_time", 0, 0),
        ("2027-03-01T21:00:00Z", "late", 1, 10),
        ("2027-03-02T23:59:00+03:00", "late", 1, 10),
        ("2027-03-03T00:00:00+03:00", "late", 2, 20),
        ("2027-03-04T23:59:00+03:00", "late", 3, 30),
        ("2027-03-05T00:00:00+03:00", "too_late", 4, 100),
    ] {
        let mut late = Lateness::new(&due, d.mode);
        d.assess(&mut late, &due, parse_date(at, "test").unwrap().as_second());
        assert_eq!(
            (late.status.as_str(), late.days_late, late.penalty_percent),
            (status, days, percent),
            "{at}"
        );
    }
}

/// git in `dir`, committing at `date` (author and committer), nothing configured.
fn git(dir: &Path, date: &str, args: &[&str]) {
    crate::corpus::student_git(dir, Some(date), args).unwrap();
}

/// A bare repository whose commits write `measure.rs` = `v<n>` at each date, in order.
fn repo(name: &str, dates: &[&str]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "course-deadlines-test-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let work = dir.join("work");
    std::fs::create_dir_all(work.join("labs/lab1-sync/src")).unwrap();
    git(&work, dates[0], &["init", "-q"]);
    for (n, date) in dates.iter().enumerate() {
        std::fs::write(work.join("labs/lab1-sync/src/measure.rs"), format!("v{n}")).unwrap();
        git(&work, date, &["add", "-A"]);
        git(&work, date, &["commit", "-qm", &format!("v{n}")]);
    }
    git(
        &dir,
        dates[0],
        &["clone", "-q", "--bare", "work", "alice.git"],
    );
    dir
}

#[test]
fn a_git_submission_is_read_at_the_commit_the_mode_picks() {
    let (_, course) = crate::test_course();
    let lab = course.lab("lab1").unwrap();
    let labs = vec![lab];
    let wanted = vec!["labs/lab1-sync/src/measure.rs".to_owned()];
    let first = repo(
        "modes",
        &[
            "2027-03-01T10:00:00+03:00",
            "2027-03-01T23:59:00+03:00",
            "2027-03-02T09:00:00+03:00",
            // Dated before its parent: the student's clock, or a rewritten date.
            "2027-03-01T12:00:00+03:00",
        ],
    );
    let entry = Entry {
        id: "alice".into(),
        path: first.join("alice.git"),
        problem: None,
    };
    let due = ["lab1=2027-03-01T23:59:00+03:00".to_owned()];
    let before = Deadlines::new(&course, &labs, &due, Some("before-deadline"), None).unwrap();
    let intake = before.intake(&entry, &labs, &wanted);
    let files = intake.files.unwrap();
    // The newest commit at or before the due date is the last one (dated back).
    assert_eq!(files.files[&wanted[0]], b"v3");
    let late = &intake.dated.late["lab1"];
    assert_eq!(
        (late.status.as_str(), late.later_commits_ignored),
        ("on_time", 0)
    );
    let git = intake.dated.git.as_ref().unwrap();
    assert_eq!(git.commits, 4);
    assert_eq!(git.dates_backwards.len(), 1, "{:?}", git.dates_backwards);

    // Without the back-dated commit: v1 is graded, v2 ignored.
    let _ = std::fs::remove_dir_all(&first);
    let dir = repo(
        "modes2",
        &[
            "2027-03-01T10:00:00+03:00",
            "2027-03-01T23:59:00+03:00",
            "2027-03-02T09:00:00+03:00",
        ],
    );
    let entry = Entry {
        path: dir.join("alice.git"),
        ..entry
    };
    let intake = before.intake(&entry, &labs, &wanted);
    assert_eq!(intake.files.unwrap().files[&wanted[0]], b"v1");
    let late = &intake.dated.late["lab1"];
    assert_eq!(
        (late.status.as_str(), late.later_commits_ignored),
        ("on_time", 1)
    );
    assert!(intake.dated.git.unwrap().dates_backwards.is_empty());
    // Penalty: v2, 9 h 1 min late = one started day.
    let penalty = Deadlines::new(&course, &labs, &due, Some("penalty"), None).unwrap();
    let intake = penalty.intake(&entry, &labs, &wanted);
    assert_eq!(intake.files.unwrap().files[&wanted[0]], b"v2");
    let late = &intake.dated.late["lab1"];
    assert_eq!(
        (late.status.as_str(), late.days_late, late.penalty_percent),
        ("late", 1, course.late.penalty_percent_per_day)
    );
    assert_eq!(late.date.as_deref(), Some("2027-03-02T09:00:00+03:00"));
    // Due before every commit: nothing is graded under before-deadline.
    let early = ["lab1=2027-02-01T00:00:00Z".to_owned()];
    let d = Deadlines::new(&course, &labs, &early, None, None).unwrap();
    let intake = d.intake(&entry, &labs, &wanted);
    assert!(intake.files.unwrap().files.is_empty());
    assert_eq!(
        intake.dated.late["lab1"].status,
        LateStatus::NoneBeforeDeadline
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_generated_class_is_late_where_its_list_says() {
    let (root, course) = crate::test_course();
    let labs = vec![course.lab("lab1").unwrap()];
    let wanted = labs[0].student_paths();
    let out = std::env::temp_dir().join(format!("course-deadlines-class-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let made = crate::corpus::write_class(&root, &out, 7).unwrap();
    let due = [format!("lab1={}", crate::corpus::CLASS_DUE)];
    let d = Deadlines::new(&course, &labs, &due, Some("penalty"), Some(&out)).unwrap();
    let entries = submission::discover(&out).unwrap();
    assert_eq!(entries.len(), 7, "submitted.csv is not a student");
    for e in &entries {
        let what = &made.iter().find(|(id, _)| *id == e.id).unwrap().1;
        let status = d
            .intake(e, &labs, &wanted)
            .dated
            .late
            .get("lab1")
            .map(|l| l.status.as_str())
            .unwrap_or_default();
        let expected = if what.contains("late:") {
            "late"
        } else if what.contains("date unknown") || what.starts_with("hostile") {
            "unknown"
        } else {
            "on_time"
        };
        assert_eq!(status, expected, "{}: {what}", e.id);
    }
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn dates_need_their_offset() {
    assert!(parse_date("2027-03-01T23:59:00", "x").is_err());
    assert!(parse_date("2027-03-01", "x").is_err());
    assert!(parse_date("=cmd|' /C calc'!A0", "x").is_err());
    assert_eq!(penalty_points(10, 10), 1);
    assert_eq!(penalty_points(3, 10), 0);
    assert_eq!(penalty_points(5, 10), 1);
    assert_eq!(penalty_points(7, 100), 7);
}
