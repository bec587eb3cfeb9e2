//! The class report: built from prepared results (no grading), it stays inert whatever the
//! students put in their ids, messages and code; it fits a phone's and a desktop's width in
//! a real browser (headless Chromium, skipped with a note when absent), with its charts
//! drawn; written answers and their scores reach the gradebook; similar files are paired.

mod common;

use common::*;
use course::answers;
use course::class_report::{self, Extras};
use course::outputs::{self, CheckGrade, LabGrade, StudentResult};
use course::similarity::ClassFiles;
use model::course::{Course, Lab};
use model::{LabStatus, Verdict};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const HOSTILE: &str = "</svg></code></pre><script>alert(\"x\")</script>'\"";

fn course_of() -> Course {
    Course::load(&root()).unwrap()
}

/// A graded lab where task `i` passes when `pass(i)`; failures say `message`.
fn lab_grade(lab: &Lab, pass: impl Fn(usize) -> bool, message: &str) -> LabGrade {
    let mut g = outputs::missing_lab(lab);
    g.status = LabStatus::Graded;
    g.message.clear();
    for (i, t) in g.tasks.iter_mut().enumerate() {
        let ok = pass(i);
        t.checks = vec![CheckGrade {
            name: format!("task_{}::first", t.id.replace('.', "_")),
            verdict: if ok {
                Verdict::Pass
            } else {
                Verdict::WrongAnswer
            },
            message: if ok { String::new() } else { message.into() },
        }];
        t.verdict = t.checks[0].verdict;
        t.score = if ok { t.max_score } else { 0 };
    }
    g.score = g.tasks.iter().map(|t| t.score).sum();
    g
}

/// A class of 14: full marks, mistakes with hostile messages, a rejected and a flagged
/// student, a grader error, and students whose ids are hostile.
fn class(course: &Course) -> Vec<StudentResult> {
    let labs: Vec<&Lab> = course.labs.iter().collect();
    let mut out = Vec::new();
    for n in 0..14usize {
        let id = match n {
            0 => "'\"><svg onload=alert(1)><script>x".to_owned(),
            1 => "a\"b'c&d<i>".to_owned(),
            _ => format!("student{n:02}"),
        };
        let grades: Vec<LabGrade> =
            labs.iter()
                .map(|l| {
                    let mut g = lab_grade(l, |i| (i * 7 + n * 3) % 10 < n.min(9), HOSTILE);
                    if n == 5 {
                        g.flags =
                            vec![serde_json::from_value(serde_json::json!({
                        "kind": "exit", "file": "src/x.rs", "lines": [3], "what": HOSTILE
                    }))
                    .unwrap()];
                    }
                    if n == 6 && l.id == "lab3" {
                        g.status = LabStatus::GraderError;
                    }
                    g
                })
                .collect();
        let rejected = (n == 4).then(|| format!("not a submission: {HOSTILE}"));
        out.push(outputs::student_result(
            course,
            &id,
            if n == 4 { Vec::new() } else { grades },
            rejected,
            String::new(),
            "key".into(),
            None,
        ));
    }
    out
}

/// Task files: the solution's task 2.3, a near copy pair (with hostile comments), the
/// skeleton; answers to task 2.2.
fn files(course: &Course) -> ClassFiles {
    let lab2 = course.lab("lab2").unwrap();
    let path = |f: &str| format!("{}/{f}", lab2.dir);
    let read = |p: &str| std::fs::read_to_string(root().join(p)).unwrap();
    let (a, b) = course::corpus::near_copy::pair();
    let spoil = |t: String| {
        t.replace(
            "let work = &work;",
            &format!("let work = &work; // {HOSTILE}"),
        )
    };
    let counters = read(&format!("{}/src/counters.rs", lab2.solution));
    let with_answer = counters.replace(
        "/// A counter whose increments are single atomic instructions.\n",
        &format!("/// A counter whose increments are single atomic instructions.\n///\n/// It is a race: {HOSTILE}\n"),
    );
    let mut class = ClassFiles::new();
    let mut put = |id: &str, parallel: String, counters: String| {
        class.insert(
            id.to_owned(),
            BTreeMap::from([
                (path("src/parallel.rs"), parallel),
                (path("src/counters.rs"), counters),
            ]),
        );
    };
    put(
        "student02",
        read(&format!("{}/src/parallel.rs", lab2.solution)),
        counters.clone(),
    );
    put(
        "'\"><svg onload=alert(1)><script>x",
        spoil(a),
        with_answer.clone(),
    );
    put("a\"b'c&d<i>", spoil(b), with_answer);
    put(
        "student03",
        read(&path("src/parallel.rs")),
        read(&path("src/counters.rs")),
    );
    class
}

/// Every tag of `html` with its attribute names.
fn tags(html: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let after = &rest[at + 1..];
        let end = after.find('>').expect("a tag is closed");
        let inner = after[..end].trim_start_matches('/').trim_end_matches('/');
        let mut parts = inner.split_whitespace();
        let name = parts.next().unwrap_or("").to_lowercase();
        // Attribute values are quoted and hold no space-separated `name=` of their own
        // (escaped), so every `x=` word here is an attribute.
        let attrs = inner
            .split('"')
            .step_by(2)
            .flat_map(|s| s.split_whitespace())
            .skip(1)
            .filter_map(|w| w.split('=').next())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        out.push((name, attrs));
        rest = &after[end + 1..];
    }
    out
}

/// The page is inert: known tags and attributes only, no script, no event handler.
fn assert_inert(page: &str) {
    const TAGS: &[&str] = &[
        "!doctype", "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3",
        "p", "code", "svg", "rect", "text", "line", "div", "table", "thead", "tbody", "tr", "th",
        "td", "span", "br", "ul", "li", "a", "details", "summary", "pre", "q",
    ];
    const ATTRS: &[&str] = &[
        "lang",
        "charset",
        "name",
        "content",
        "xmlns",
        "viewBox",
        "width",
        "height",
        "role",
        "aria-label",
        "class",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "text-anchor",
        "id",
        "href",
        "html",
    ];
    for (tag, attrs) in tags(page) {
        assert!(TAGS.contains(&tag.as_str()), "tag <{tag}> in the page");
        for a in attrs {
            assert!(
                ATTRS.contains(&a.as_str()),
                "attribute {a} of <{tag}> in the page"
            );
        }
    }
    assert!(
        !page.to_lowercase().contains("<script"),
        "a script in the page"
    );
    assert_eq!(page.matches("<svg").count(), page.matches("</svg>").count());
    for href in page.split("href=\"").skip(1) {
        assert!(
            href.starts_with("answers/"),
            "a link out of the folder: {href:.40}"
        );
    }
}

fn write_class(dir: &Path) -> (PathBuf, Course) {
    let course = course_of();
    let out = dir.join("grades");
    for r in class(&course) {
        outputs::write_student(&out, &course, &r).unwrap();
    }
    let labs: Vec<&Lab> = course.labs.iter().collect();
    outputs::write_gradebook(&out, &course, &labs, None).unwrap();
    class_report::write_all(&out, &root(), &course, &labs, &files(&course), 0.6).unwrap();
    (out, course)
}

#[test]
fn the_report_is_inert_whatever_the_students_wrote() {
    let dir = fresh("class-report-inert");
    let (out, course) = write_class(&dir);
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_inert(&page);
    assert_inert(&std::fs::read_to_string(out.join("similarity.html")).unwrap());
    // The hostile texts are there, as text.
    assert!(
        page.contains("&lt;/svg&gt;&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;"),
        "{page:.2000}"
    );
    assert!(page.contains("&#39;&quot;&gt;&lt;svg onload=alert(1)&gt;"));
    for section in [
        "Totals",
        "Pass rate per task",
        "The checks that failed most",
        "Verdicts",
        "Students to look at",
        "Similar task files",
        "Written answers",
        "Students",
    ] {
        assert!(
            page.contains(&format!("{section}</h2>")),
            "no section {section}"
        );
    }
    assert!(
        page.contains("2.2 Exact counters"),
        "a task's bar is labelled with id and title"
    );
    assert!(
        !page.contains("Late submissions"),
        "no lateness recorded, no section"
    );
    // In memory, ids may hold what a folder name cannot.
    let labs: Vec<&Lab> = course.labs.iter().collect();
    let mut all = BTreeMap::new();
    for mut r in class(&course) {
        r.extra_data.student = format!("{}{HOSTILE}", r.extra_data.student);
        all.insert(r.extra_data.student.clone(), r);
    }
    let late = |g: &LabGrade| (g.lab == "lab1").then(|| format!("2 days {HOSTILE}"));
    let x = Extras {
        pairs: &[],
        threshold: 0.6,
        answers: &[],
        late,
    };
    let page = class_report::render(&course, &labs, &all, &x);
    assert_inert(&page);
    assert!(page.contains("Late submissions</h2>") && page.contains("lab1: 2 days &lt;/svg&gt;"));
    // The answers' page shows the answer as text.
    let md = std::fs::read_to_string(out.join("answers/2.2.md")).unwrap();
    assert!(
        md.contains("It is a race: &lt;/svg&gt;") && !md.contains("<script"),
        "{md}"
    );
}

#[test]
fn near_copies_are_paired_and_the_skeleton_and_the_solution_are_not() {
    let dir = fresh("class-report-similar");
    let (out, _) = write_class(&dir);
    let csv = std::fs::read_to_string(out.join("similarity.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "student_a,student_b,lab,file,score");
    // The near copies (hostile ids, so quoted), their task 2.3 alike in full.
    assert!(
        lines.iter().any(|l| l.starts_with("\"'\"\"><svg")
            && l.contains("\"a\"\"b'c&d<i>\",lab2,labs/lab2-threads/src/parallel.rs,1.00")),
        "{csv}"
    );
    assert!(!csv.contains("student03"), "the skeleton is paired: {csv}");
    assert!(
        !csv.lines()
            .any(|l| l.contains("student02") && l.contains("parallel.rs")),
        "an independent solution is paired: {csv}"
    );
}

#[test]
fn scores_of_written_answers_reach_the_gradebook_or_stop_with_the_line() {
    let dir = fresh("class-report-answers");
    let (out, course) = write_class(&dir);
    let labs: Vec<&Lab> = course.labs.iter().collect();
    let scores = out.join("answers/scores.csv");
    let template = std::fs::read_to_string(&scores).unwrap();
    assert!(
        template.starts_with("student,task,points,comment\n"),
        "{template}"
    );
    assert!(template.contains("student02,2.2,,\n"), "{template}");
    // Nothing scored yet: the gradebook has no answers' column.
    answers::merge_into_gradebook(&out, &labs).unwrap();
    let book = std::fs::read_to_string(out.join("grades.csv")).unwrap();
    assert!(!book.contains("answers:"), "{book}");
    std::fs::write(
        &scores,
        "student,task,points,comment\nstudent02,2.2,1.5,clear\nstudent03,4.1,,\n",
    )
    .unwrap();
    outputs::write_gradebook(&out, &course, &labs, None).unwrap();
    answers::merge_into_gradebook(&out, &labs).unwrap();
    answers::merge_into_gradebook(&out, &labs).unwrap();
    let book = std::fs::read_to_string(out.join("grades.csv")).unwrap();
    let header = book.lines().next().unwrap();
    assert!(header.ends_with(",answers:2.2,answers:4.1"), "{header}");
    assert!(book.contains(",1.5,\n"), "{book}");
    for (bad, says) in [
        (
            "student02,2.2,=SUM(A1:A3),\n",
            "line 3: points \"=SUM(A1:A3)\" is a formula",
        ),
        ("nobody,2.2,1,\n", "line 3: no student \"nobody\""),
        (
            "student02,1.1,1,\n",
            "line 3: task \"1.1\" asks for no written answer",
        ),
        ("student02,2.2,1,\n", "line 3: a second score for student02"),
    ] {
        std::fs::write(
            &scores,
            format!("student,task,points,comment\nstudent02,2.2,1,\n{bad}"),
        )
        .unwrap();
        let err = format!(
            "{:#}",
            answers::merge_into_gradebook(&out, &labs).unwrap_err()
        );
        assert!(
            err.contains("answers/scores.csv") && err.contains(says),
            "{err}"
        );
    }
}

fn chromium() -> Option<String> {
    if let Ok(c) = std::env::var("CHROMIUM") {
        return Some(c);
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .find(|p| Path::new(p).exists())
    .map(str::to_owned)
}

fn chrome(chromium: &str, dir: &Path, width: u32, args: &[String], page: &Path) -> String {
    let out = Command::new("timeout")
        .arg("120")
        .arg(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--virtual-time-budget=4000",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.join(format!("profile-{width}")).display()
        ))
        .arg(format!("--window-size={width},3000"))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_report_fits_a_phone_and_a_desktop_in_a_real_browser() {
    let Some(chromium) = chromium() else {
        println!("skipped: no headless Chromium (`apt-get install chromium` to run this test)");
        return;
    };
    let dir = fresh("class-report-browser");
    let (out, _) = write_class(&dir);
    let page = out.join("report.html");
    let probe = std::fs::read_to_string(root().join("scripts/class-report/probe.js")).unwrap();
    let probed = dir.join("probed.html");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &probed,
        text.replace("</body>", &format!("<script>{probe}</script></body>")),
    )
    .unwrap();
    let mut problems = Vec::new();
    for width in [1280, 390] {
        let png = dir.join(format!("report-{width}.png"));
        chrome(
            &chromium,
            &dir,
            width,
            &[format!("--screenshot={}", png.display())],
            &page,
        );
        assert!(
            std::fs::metadata(&png).is_ok_and(|m| m.len() > 10_000),
            "no screenshot at {width} px: {}",
            png.display()
        );
        let dom = chrome(&chromium, &dir, width, &["--dump-dom".to_owned()], &probed);
        let found = dom
            .split("data-layout-report=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_else(|| panic!("the probe did not report at {width} px: {dom:.300}"))
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        let list: Vec<String> = serde_json::from_str(&found).unwrap();
        problems.extend(list.into_iter().map(|p| format!("{width} px: {p}")));
        println!("screenshot: {}", png.display());
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
