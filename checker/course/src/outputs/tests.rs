use super::*;
use model::course::Course;
use model::lang::Lang;

fn check(name: &str, verdict: Verdict, message: &str) -> CheckGrade {
    CheckGrade {
        name: name.to_owned(),
        verdict,
        message: message.to_owned(),
    }
}

/// A student's result for Lab 2: a real mistake in 2.2 (a long message, a hidden check
/// failing too), every other task untouched.
fn lab2_with_one_mistake(course: &Course) -> StudentResult {
    let lab = course.lab("lab2").unwrap();
    let tasks: Vec<TaskGrade> = lab
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let checks = if i == 1 {
                // A real mistake in 2.2, with a long message.
                let long = (0..40)
                    .map(|n| format!("line {n}"))
                    .collect::<Vec<_>>()
                    .join("\n");
                vec![
                    check("task_2_2::exact", Verdict::WrongAnswer, &long),
                    check("hidden::task_2_2::other", Verdict::WrongAnswer, "x"),
                ]
            } else {
                vec![
                    check(
                        "task_x::a",
                        Verdict::NotImplemented,
                        "[not implemented] todo!() reached",
                    ),
                    check("task_x::demo", Verdict::SnapshotMismatch, "differs"),
                ]
            };
            TaskGrade {
                id: t.id.clone(),
                score: 0,
                max_score: t.points,
                verdict: checks[0].verdict,
                checks,
            }
        })
        .collect();
    let grade = LabGrade {
        lab: "lab2".into(),
        status: LabStatus::Graded,
        score: 0,
        max_score: lab.tasks.iter().map(|t| t.points).sum(),
        message: String::new(),
        skeleton_files: Vec::new(),
        tasks,
        flags: Vec::new(),
        late: None,
    };
    student_result(
        course,
        "alice",
        vec![grade],
        None,
        String::new(),
        String::new(),
        None,
    )
}

#[test]
fn feedback_is_one_line_per_untouched_task_and_one_section_per_mistake() {
    let (_, course) = crate::test_course();
    let r = lab2_with_one_mistake(&course);
    let text = crate::i18n::in_lang(Lang::En, || feedback(&course, &r));
    assert_eq!(text.matches("### ").count(), 1, "{text}");
    assert!(text.contains("not implemented yet"), "{text}");
    assert!(
        text.contains("line 14") && !text.contains("line 15\n"),
        "{text}"
    );
    assert!(text.contains("1 hidden check"), "{text}");
    assert!(
        text.lines().count() <= 45,
        "{} lines:\n{text}",
        text.lines().count()
    );
}

/// [`lab2_with_one_mistake`], handed in 2 days late with the penalty taken.
fn lab2_late(course: &Course) -> StudentResult {
    let mut r = lab2_with_one_mistake(course);
    r.extra_data.labs[0].late = Some(
        serde_json::from_value(serde_json::json!({
            "due": "2027-03-01T23:59:00+03:00", "mode": "penalty", "source": "git",
            "commit": "0123456789abcdef", "date": "2027-03-03T10:00:00+03:00",
            "later_commits_ignored": 2, "status": "late", "days_late": 2,
            "penalty_percent": 20, "points_before_penalty": 5,
        }))
        .unwrap(),
    );
    r
}

#[test]
fn feedback_in_russian_has_no_english_sentence() {
    let (_, course) = crate::test_course();
    let r = lab2_late(&course);
    let text = crate::i18n::in_lang(Lang::Ru, || feedback(&course, &r));
    crate::i18n::assert_russian("feedback.md", &text);
    assert!(text.contains("1 скрытая проверка"), "{text}");
    assert!(
        text.contains(&course.task("2.2").unwrap().1.hint_ru),
        "{text}"
    );
}

/// The text a reader sees in an HTML page: no style sheet, no tags.
fn visible(html: &str) -> String {
    let body = html.split("</style>").last().unwrap_or(html);
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[test]
fn the_class_report_in_russian_has_no_english_sentence() {
    let (_, course) = crate::test_course();
    let lab = course.lab("lab2").unwrap();
    let all: std::collections::BTreeMap<String, StudentResult> =
        [("alice".to_owned(), lab2_late(&course))].into();
    let extras = crate::class_report::Extras {
        pairs: &[],
        threshold: 0.6,
        answers: &[("2.2".to_owned(), 1)],
        late: crate::class_report::lateness,
    };
    let page = crate::i18n::in_lang(Lang::Ru, || {
        crate::class_report::render(&course, &[lab], &all, &extras)
    });
    crate::i18n::assert_russian("report.html", &visible(&page));
    assert!(page.contains("<html lang=\"ru\">"), "{page}");
}

/// The words of every check in `lab` (a `LabOutcome` or a `LabGrade` as JSON), sorted.
fn words_of(lab: &serde_json::Value) -> Vec<String> {
    let mut words: Vec<String> = lab["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["checks"].as_array().unwrap())
        .map(|c| c["verdict"].as_str().unwrap().to_owned())
        .collect();
    words.sort();
    words
}

#[test]
fn a_verdict_is_one_word_in_the_report_the_results_and_the_gradebook() {
    let (_, course) = crate::test_course();
    let lab = course.lab("lab1").unwrap();
    // One check of every verdict a check can get, spread over the lab's tasks.
    let verdicts: Vec<Verdict> = Verdict::ALL
        .iter()
        .copied()
        .filter(|v| *v != Verdict::Missing)
        .collect();
    let checks = verdicts
        .iter()
        .enumerate()
        .map(|(i, v)| crate::run::CheckOutcome {
            name: format!(
                "task_{}::check_{i}",
                lab.tasks[i % lab.tasks.len()].id.replace('.', "_")
            ),
            verdict: *v,
            message: v.describe().to_owned(),
            seconds: 0.0,
        })
        .collect();
    let outcome = crate::run::score(lab, checks);
    let mut expected: Vec<String> = verdicts.iter().map(|v| v.to_string()).collect();
    expected.sort();
    // `cargo course check --json` writes the outcome as it is.
    let report = serde_json::to_value(&outcome).unwrap();
    assert_eq!(words_of(&report), expected, "--json");
    // The grader's results.json.
    let r = student_result(
        &course,
        "alice",
        vec![lab_grade(lab, &outcome, Vec::new())],
        None,
        String::new(),
        String::new(),
        None,
    );
    let results = serde_json::to_value(&r).unwrap();
    let graded = &results["extra_data"]["labs"][0];
    assert_eq!(words_of(graded), expected, "results.json");
    for (t, o) in graded["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&outcome.tasks)
    {
        assert_eq!(t["verdict"], o.verdict().as_str(), "task {}", o.id);
    }
    // grades.csv (the student's status) and summary.json (the verdict counts).
    let out = std::env::temp_dir().join(format!("course-verdict-words-{}", std::process::id()));
    write_student(&out, &course, &r).unwrap();
    let (summary, _) = write_gradebook(&out, &course, &[lab], None).unwrap();
    let csv = std::fs::read_to_string(out.join("grades.csv")).unwrap();
    let _ = std::fs::remove_dir_all(&out);
    let counted: Vec<&String> = summary
        .verdicts
        .keys()
        .filter(|k| !k.starts_with("lab "))
        .collect();
    assert_eq!(counted, expected.iter().collect::<Vec<_>>(), "summary");
    // A grader error in one check marks the lab, and the student, for a look.
    let lab_word = format!("lab {}", LabStatus::GraderError);
    assert!(summary.verdicts.contains_key(&lab_word), "{summary:?}");
    let row: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(row[4], r.extra_data.status.as_str(), "grades.csv: {csv}");
    assert_eq!(r.extra_data.status, StudentStatus::GraderError);
    // A lab that could not be checked: one word for the lab, its tasks and --json.
    for failure in [
        Verdict::CompileError,
        Verdict::TimedOut,
        Verdict::GraderError,
    ] {
        let failed = crate::run::LabOutcome::failed(lab, failure, "why".into());
        let report = serde_json::to_value(&failed).unwrap();
        let grade = serde_json::to_value(lab_grade(lab, &failed, Vec::new())).unwrap();
        assert_eq!(report["failure"][0], failure.as_str());
        assert_eq!(grade["status"], failure.as_str());
        for t in grade["tasks"].as_array().unwrap() {
            assert_eq!(t["verdict"], failure.as_str());
        }
    }
}

#[test]
fn csv_cells_are_text_never_formulas() {
    // Every id the grader accepts (letters, digits, . _ @ + -) and worse.
    for (cell, written) in [
        ("alice", "alice"),
        ("+1+1", "'+1+1"),
        ("=cmd", "'=cmd"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""),
        ("a,b", "\"a,b\""),
        ("a\"b", "\"a\"\"b\""),
        ("=1,\"2\"", "\"'=1,\"\"2\"\"\""),
        ("a+b", "a+b"),
        ("10", "10"),
    ] {
        assert_eq!(csv_field(cell), written, "{cell:?}");
    }
    assert_eq!(
        csv_row(&["+1+1".into(), "3".into(), "graded".into()]),
        "'+1+1,3,graded\n"
    );
}
