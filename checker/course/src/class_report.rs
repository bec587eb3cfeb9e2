//! What the instructor reads after grading a class: `grades/report.html`, one page that
//! needs nothing else (no script, no external file; style inline, charts inline SVG).
//!
//! It is built from the students' `results.json` in the output folder (like the
//! gradebook), plus the similarity pairs and the written answers found in the submissions
//! (see [`crate::similarity`], [`crate::answers`]); every grading run writes it again:
//!
//! - a histogram of the totals, the pass rate of every task, the verdicts of the checks;
//! - the checks that failed most, each with its most common message (the class's common
//!   mistakes);
//! - rejected, grader-error and flagged students; late submissions, when results.json says
//!   so (see [`lateness`]);
//! - the similar pairs of task files, with their matching fragments side by side (also in
//!   `similarity.html` and `similarity.csv`);
//! - the written answers' pages; the table of every student.
//!
//! Everything a student controls (ids, messages, code) is escaped ([`crate::html::esc`]).

use crate::html::{Bar, STYLE, columns, cut, esc, first_line, hbars};
use crate::outputs::{LabGrade, StudentResult, flag_list, read_all, write_atomic};
use crate::similarity::{self, ClassFiles, Pair};
use crate::{answers, submission, t};
use model::course::{Course, Lab};
use model::{LabStatus, StudentStatus, Verdict};
use similar::similarity_section;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use students::{late_section, students};

mod similar;
mod students;

/// Rows of the "checks that failed most" table.
const MISTAKES: usize = 15;
/// Characters of a failure message shown.
const MESSAGE_CHARS: usize = 160;

/// How late a student handed in one lab, as the report shows it (`+1d -10%`, `date
/// unknown`; see [`crate::deadlines::Lateness::short`]), or `None` when on time or when the
/// lab has no due date.
pub fn lateness(lab: &LabGrade) -> Option<String> {
    lab.late.as_ref().and_then(|l| l.short_spoken())
}

/// What the page shows besides the students' results.
#[derive(Debug, Clone)]
pub struct Extras<'a> {
    /// Similar pairs, highest first.
    pub pairs: &'a [Pair],
    /// The threshold they passed.
    pub threshold: f64,
    /// Per task asking for a written answer: (task, answers found).
    pub answers: &'a [(String, usize)],
    /// A lab's lateness ([`lateness`]).
    pub late: fn(&LabGrade) -> Option<String>,
}

/// Every student's task files in `submissions` (as text, never run), for the similarity
/// and the answers; rejected submissions contribute nothing.
pub fn read_class(submissions: &Path, labs: &[&Lab]) -> anyhow::Result<ClassFiles> {
    let wanted: Vec<String> = labs.iter().flat_map(|l| l.student_paths()).collect();
    let mut class = ClassFiles::new();
    for e in submission::discover(submissions)? {
        if let Ok(files) = submission::read(&e, &wanted) {
            let texts = files
                .files
                .into_iter()
                .map(|(k, v)| (k, String::from_utf8_lossy(&v).into_owned()))
                .collect();
            class.insert(e.id, texts);
        }
    }
    Ok(class)
}

/// Writes everything about the class at once: `similarity.csv`, `answers/`,
/// `report.html`, `similarity.html`, then merges a filled `answers/scores.csv` into
/// `grades.csv` (last: its error, if any, leaves the rest written). `class` is empty when
/// the submissions are not at hand (one submission, Gradescope).
pub fn write_all(
    out: &Path,
    root: &Path,
    course: &Course,
    labs: &[&Lab],
    class: &ClassFiles,
    threshold: f64,
) -> anyhow::Result<PathBuf> {
    let pairs = similarity::compare(root, labs, class, threshold);
    similarity::write_csv(out, &pairs)?;
    let found = if class.is_empty() {
        Vec::new()
    } else {
        answers::write_pages(out, root, labs, class)?
    };
    let extras = Extras {
        pairs: &pairs,
        threshold,
        answers: &found,
        late: lateness,
    };
    let page = write(out, course, labs, &extras)?;
    answers::merge_into_gradebook(out, labs)?;
    Ok(page)
}

/// Writes `report.html` and `similarity.html` from the results in `out`.
pub fn write(out: &Path, course: &Course, labs: &[&Lab], x: &Extras) -> anyhow::Result<PathBuf> {
    let all = read_all(out);
    let page = out.join("report.html");
    write_atomic(&page, render(course, labs, &all, x).as_bytes())?;
    let alone = page_frame(
        &t!("class-similar-title", course = course.name),
        &similarity_section(x),
    );
    write_atomic(&out.join("similarity.html"), alone.as_bytes())?;
    Ok(page)
}

fn page_frame(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head>\n<body><main>\n{body}</main></body></html>\n",
        crate::i18n::lang().code(),
        esc(title)
    )
}

/// A lab's grade for a student, if graded.
pub(crate) fn lab_of<'a>(r: &'a StudentResult, lab: &str) -> Option<&'a LabGrade> {
    r.extra_data.labs.iter().find(|l| l.lab == lab)
}

/// The whole page.
pub fn render(
    course: &Course,
    labs: &[&Lab],
    all: &BTreeMap<String, StudentResult>,
    x: &Extras,
) -> String {
    let max: u32 = labs.iter().map(|l| l.max_points()).sum();
    let total = |r: &StudentResult| -> u32 {
        labs.iter()
            .filter_map(|l| lab_of(r, &l.id))
            .map(|g| g.score)
            .sum()
    };
    let mut b = String::new();
    let title = t!("class-title", course = course.name);
    let _ = writeln!(b, "<h1>{}</h1>", esc(&title));
    let mean = all.values().map(|r| f64::from(total(r))).sum::<f64>() / all.len().max(1) as f64;
    let lab_ids = labs.iter().map(|l| l.id.as_str()).collect::<Vec<_>>();
    let _ = writeln!(
        b,
        "<p>{}</p>",
        t!(
            "class-intro",
            students = all.len(),
            mean = format!("{mean:.1}"),
            max = max,
            labs = esc(&lab_ids.join(", "))
        )
    );

    // Totals.
    let mut buckets = [0usize; 10];
    for r in all.values() {
        let bucket = (total(r) * 10).checked_div(max).map_or(0, |v| v.min(9));
        buckets[bucket as usize] += 1;
    }
    let bars: Vec<Bar> = buckets
        .iter()
        .enumerate()
        .map(|(i, n)| Bar {
            label: if i == 9 {
                "90–100".into()
            } else {
                format!("{}–{}", i * 10, i * 10 + 9)
            },
            value: *n as f64,
            note: n.to_string(),
        })
        .collect();
    let _ = writeln!(
        b,
        "<h2 id=\"totals\">{}</h2>\n<p class=\"note\">{}</p>\n{}",
        t!("class-totals"),
        t!("class-totals-note", max = max),
        columns(&t!("class-totals-chart"), &bars)
    );

    // Pass rate per task, one chart per lab.
    let takers: Vec<&StudentResult> = all
        .values()
        .filter(|r| r.extra_data.status != StudentStatus::Rejected)
        .collect();
    let _ = writeln!(
        b,
        "<h2 id=\"tasks\">{}</h2>\n<p class=\"note\">{}</p>",
        t!("class-pass-rate"),
        t!("class-pass-rate-note", students = takers.len())
    );
    for lab in labs {
        let bars: Vec<Bar> = lab
            .tasks
            .iter()
            .map(|task| {
                let passed = takers
                    .iter()
                    .filter_map(|r| lab_of(r, &lab.id))
                    .filter_map(|g| g.tasks.iter().find(|t| t.id == task.id))
                    .filter(|t| t.max_score > 0 && t.score == t.max_score)
                    .count();
                let rate = passed as f64 / takers.len().max(1) as f64;
                Bar {
                    label: format!("{} {}", task.id, task.title_in(crate::i18n::lang())),
                    value: rate,
                    note: format!("{:.0} %", rate * 100.0),
                }
            })
            .collect();
        let _ = writeln!(
            b,
            "<h3>{}</h3>\n{}",
            esc(lab.title_in(crate::i18n::lang())),
            hbars(&t!("class-pass-rate-chart", lab = lab.id), &bars, 1.0)
        );
    }

    mistakes(&mut b, all);
    verdicts(&mut b, all);
    problems(&mut b, all);
    late_section(&mut b, labs, all, x);
    b.push_str(&similarity_section(x));
    answers_section(&mut b, x);
    students(&mut b, labs, all, x, max);
    page_frame(&title, &b)
}

/// The checks that failed most, with their most common message.
fn mistakes(b: &mut String, all: &BTreeMap<String, StudentResult>) {
    // check → (students, verdict → n, message → n)
    type Tally = (usize, BTreeMap<String, usize>, BTreeMap<String, usize>);
    let mut by_check: BTreeMap<String, Tally> = BTreeMap::new();
    for r in all.values() {
        for l in r
            .extra_data
            .labs
            .iter()
            .filter(|l| l.status == LabStatus::Graded)
        {
            for c in l.tasks.iter().flat_map(|t| &t.checks) {
                if matches!(c.verdict, Verdict::Pass | Verdict::NotImplemented) {
                    continue;
                }
                let e = by_check.entry(c.name.clone()).or_default();
                e.0 += 1;
                *e.1.entry(c.verdict.to_string()).or_default() += 1;
                *e.2.entry(first_line(&c.message, MESSAGE_CHARS))
                    .or_default() += 1;
            }
        }
    }
    let mut rows: Vec<_> = by_check.into_iter().collect();
    rows.sort_by(|x, y| y.1.0.cmp(&x.1.0).then_with(|| x.0.cmp(&y.0)));
    let _ = writeln!(
        b,
        "<h2 id=\"mistakes\">{}</h2>\n<p class=\"note\">{}</p>",
        t!("class-mistakes"),
        t!("class-mistakes-note")
    );
    if rows.is_empty() {
        let _ = writeln!(b, "<p>{}</p>", t!("class-no-mistakes"));
        return;
    }
    let _ = writeln!(
        b,
        "<div class=\"scroll\"><table><thead><tr>{}</tr></thead><tbody>",
        head(&[
            t!("class-col-check"),
            t!("class-col-students"),
            t!("class-col-verdict"),
            t!("class-col-message")
        ])
    );
    let most = |m: &BTreeMap<String, usize>| {
        m.iter()
            .max_by(|x, y| x.1.cmp(y.1).then_with(|| y.0.cmp(x.0)))
            .map(|(k, n)| (k.clone(), *n))
            .unwrap_or_default()
    };
    for (name, (n, verdicts, messages)) in rows.iter().take(MISTAKES) {
        let (v, _) = most(verdicts);
        let (m, times) = most(messages);
        let _ = writeln!(
            b,
            "<tr><td><code>{}</code></td><td class=\"n\">{n}</td><td>{}</td>\
             <td class=\"msg\">{} <span class=\"note\">({times}×)</span></td></tr>",
            esc(name),
            esc(&crate::i18n::spoken(crate::i18n::lang(), &v)),
            esc(&m)
        );
    }
    let _ = writeln!(b, "</tbody></table></div>");
}

/// How many checks ended with each verdict.
fn verdicts(b: &mut String, all: &BTreeMap<String, StudentResult>) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in all.values() {
        for l in &r.extra_data.labs {
            for c in l.tasks.iter().flat_map(|t| &t.checks) {
                *counts.entry(c.verdict.to_string()).or_default() += 1;
            }
            if l.status != LabStatus::Graded {
                *counts.entry(format!("lab {}", l.status)).or_default() += 1;
            }
        }
    }
    let max = counts.values().copied().max().unwrap_or(0) as f64;
    let bars: Vec<Bar> = counts
        .iter()
        .map(|(v, n)| Bar {
            label: spoken_count(v),
            value: *n as f64,
            note: n.to_string(),
        })
        .collect();
    let _ = writeln!(
        b,
        "<h2 id=\"verdicts\">{}</h2>\n<p class=\"note\">{}</p>\n{}",
        t!("class-verdicts"),
        t!("class-verdicts-note"),
        hbars(&t!("class-verdicts-chart"), &bars, max)
    );
}

/// Rejected, grader-error and flagged students.
fn problems(b: &mut String, all: &BTreeMap<String, StudentResult>) {
    let _ = writeln!(b, "<h2 id=\"problems\">{}</h2>", t!("class-problems"));
    let mut rows = String::new();
    for (id, r) in all {
        let flags = flag_list(r);
        let (what, why) = match r.extra_data.status {
            StudentStatus::Rejected => (t!("class-rejected"), r.extra_data.message.clone()),
            StudentStatus::GraderError => (t!("class-grader-error"), t!("class-grader-error-why")),
            _ if !flags.is_empty() => (
                t!("class-flagged"),
                t!("class-flagged-why", flags = flags.join(" ")),
            ),
            _ => continue,
        };
        let _ = writeln!(
            rows,
            "<tr><td>{}</td><td>{what}</td><td class=\"msg\">{}</td></tr>",
            esc(id),
            esc(&cut(&why, 300))
        );
    }
    if rows.is_empty() {
        let _ = writeln!(b, "<p>{}</p>", t!("class-no-problems"));
    } else {
        let _ = writeln!(
            b,
            "<div class=\"scroll\"><table><thead><tr>{}</tr></thead><tbody>\n{rows}</tbody></table></div>",
            head(&[
                t!("class-col-student"),
                t!("class-col-what"),
                t!("class-col-why")
            ])
        );
    }
}

/// Links to the written answers' pages.
fn answers_section(b: &mut String, x: &Extras) {
    if x.answers.is_empty() {
        return;
    }
    let _ = writeln!(
        b,
        "<h2 id=\"answers\">{}</h2>\n<p class=\"note\">{}</p><ul>",
        t!("class-answers"),
        t!("class-answers-note")
    );
    for (task, n) in x.answers {
        let _ = writeln!(
            b,
            "<li><a href=\"answers/{task}.md\">{}</a>: {}</li>",
            t!("class-answers-task", task = task),
            t!("class-answers-count", count = *n),
            task = esc(task)
        );
    }
    let _ = writeln!(b, "</ul>");
}

/// A table's header row: each cell escaped.
pub(crate) fn head(cells: &[String]) -> String {
    cells
        .iter()
        .map(|c| format!("<th>{}</th>", esc(c)))
        .collect()
}

/// A verdict word, or `lab <status>` (a lab not graded check by check), in words.
fn spoken_count(word: &str) -> String {
    let lang = crate::i18n::lang();
    match word.strip_prefix("lab ") {
        Some(status) => t!(
            "class-lab-status",
            status = crate::i18n::spoken(lang, status)
        ),
        None => crate::i18n::spoken(lang, word),
    }
}
