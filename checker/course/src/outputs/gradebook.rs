//! The class's files: grades.csv, summary.txt and summary.json.

use super::{StudentResult, csv_row, read_all, write_atomic};
use crate::t;
use model::course::{Course, Lab};
use model::{LabStatus, StudentStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Class summary.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    /// Students with a result.
    pub students: usize,
    /// Per lab: (lab, mean score, max score).
    pub lab_means: Vec<(String, f64, u32)>,
    /// Total score histogram: 10 buckets of 10 % (the last one includes 100 %).
    pub histogram: Vec<usize>,
    /// How many checks ended with each verdict.
    pub verdicts: BTreeMap<String, usize>,
    /// Rejected submissions: id → why.
    pub rejected: BTreeMap<String, String>,
    /// Students with a grader error (look at them).
    pub grader_errors: Vec<String>,
    /// Flagged submissions: id → `lab:kind` (read them; no point was taken).
    #[serde(default)]
    pub flagged: BTreeMap<String, Vec<String>>,
    /// Late or undated work: id → the gradebook's `late` cell (`lab2 +1d -10%`).
    #[serde(default)]
    pub late: BTreeMap<String, String>,
    /// Git submissions graded before their latest commit: id → `lab2: 2 later commits`.
    #[serde(default)]
    pub ignored_commits: BTreeMap<String, Vec<String>>,
}

/// A student's flags, `lab1:exit lab1:libtest-text`, sorted, each once; a git history whose
/// committer dates go backwards is `git:dates-backwards`.
pub fn flag_list(r: &StudentResult) -> Vec<String> {
    let mut all: Vec<String> = r
        .extra_data
        .labs
        .iter()
        .flat_map(|l| l.flags.iter().map(move |f| format!("{}:{}", l.lab, f.kind)))
        .collect();
    if r.extra_data
        .git
        .as_ref()
        .is_some_and(|g| !g.dates_backwards.is_empty())
    {
        all.push("git:dates-backwards".into());
    }
    all.sort();
    all.dedup();
    all
}

/// Writes grades.csv, summary.txt and summary.json from every student's results.json in
/// `out`, and the LMS exports (moodle.csv, canvas.csv; see [`crate::lms`]) with the
/// identities of `roster`; returns the summary's text.
pub fn write_gradebook(
    out: &Path,
    course: &Course,
    labs: &[&Lab],
    roster: Option<&Path>,
) -> anyhow::Result<(Summary, String)> {
    let all = read_all(out);
    let mut header = vec!["student".to_owned()];
    header.extend(labs.iter().map(|l| l.id.clone()));
    header.extend(["total", "max", "status", "flags"].map(str::to_owned));
    // `late` only when some lab had a due date: a run without deadlines keeps its shape.
    let dated = all
        .values()
        .any(|r| r.extra_data.labs.iter().any(|l| l.late.is_some()));
    if dated {
        header.push("late".into());
    }
    let mut csv = csv_row(&header);
    let max: u32 = labs.iter().map(|l| l.max_points()).sum();
    let mut sums = vec![0u64; labs.len()];
    let mut histogram = vec![0usize; 10];
    let mut verdicts = BTreeMap::new();
    let mut rejected = BTreeMap::new();
    let mut grader_errors = Vec::new();
    let mut flagged = BTreeMap::new();
    let mut late_list = BTreeMap::new();
    let mut ignored_commits = BTreeMap::new();
    for (id, r) in &all {
        let mut row = vec![id.clone()];
        let mut total = 0;
        for (i, lab) in labs.iter().enumerate() {
            let score = r
                .extra_data
                .labs
                .iter()
                .find(|l| l.lab == lab.id)
                .map_or(0, |l| l.score);
            sums[i] += u64::from(score);
            total += score;
            row.push(score.to_string());
        }
        row.extend([
            total.to_string(),
            max.to_string(),
            r.extra_data.status.to_string(),
            flag_list(r).join(" "),
        ]);
        if dated {
            row.push(crate::deadlines::late_cell(r));
        }
        csv.push_str(&csv_row(&row));
        let late = crate::deadlines::late_cell(r);
        if !late.is_empty() {
            late_list.insert(id.clone(), late);
        }
        let ignored: Vec<String> = r
            .extra_data
            .labs
            .iter()
            .filter_map(|l| {
                let n = l.late.as_ref()?.later_commits_ignored;
                (n > 0).then(|| {
                    format!(
                        "{}: {n} later commit{}",
                        l.lab,
                        if n == 1 { "" } else { "s" }
                    )
                })
            })
            .collect();
        if !ignored.is_empty() {
            ignored_commits.insert(id.clone(), ignored);
        }
        if !flag_list(r).is_empty() {
            flagged.insert(id.clone(), flag_list(r));
        }
        let bucket = (total * 10)
            .checked_div(max)
            .map_or(0, |b| b.min(9) as usize);
        histogram[bucket] += 1;
        for c in r
            .extra_data
            .labs
            .iter()
            .flat_map(|l| &l.tasks)
            .flat_map(|t| &t.checks)
        {
            *verdicts.entry(c.verdict.to_string()).or_insert(0) += 1;
        }
        for l in &r.extra_data.labs {
            if l.status != LabStatus::Graded {
                *verdicts.entry(format!("lab {}", l.status)).or_insert(0) += 1;
            }
        }
        match r.extra_data.status {
            StudentStatus::Rejected => {
                rejected.insert(id.clone(), r.extra_data.message.clone());
            }
            StudentStatus::GraderError => grader_errors.push(id.clone()),
            StudentStatus::Graded => {}
        }
    }
    let n = all.len().max(1) as f64;
    let summary = Summary {
        students: all.len(),
        lab_means: labs
            .iter()
            .zip(&sums)
            .map(|(l, s)| {
                (
                    l.id.clone(),
                    (*s as f64 / n * 10.0).round() / 10.0,
                    l.max_points(),
                )
            })
            .collect(),
        histogram,
        verdicts,
        rejected,
        grader_errors,
        flagged,
        late: late_list,
        ignored_commits,
    };
    let mut text = summary_text(course, &summary, max);
    text.push_str(&crate::lms::write_exports(out, &all, labs, roster)?);
    write_atomic(&out.join("grades.csv"), csv.as_bytes())?;
    write_atomic(&out.join("summary.txt"), text.as_bytes())?;
    write_atomic(
        &out.join("summary.json"),
        serde_json::to_string_pretty(&summary)?.as_bytes(),
    )?;
    Ok((summary, text))
}

fn summary_text(course: &Course, s: &Summary, max: u32) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        t!(
            "summary-students-graded",
            course = course.name,
            students = s.students
        )
    );
    let _ = writeln!(out, "\n{}", t!("summary-mean-per-lab"));
    for (lab, mean, max) in &s.lab_means {
        let _ = writeln!(out, "  {lab:<6} {mean:>5.1} / {max}");
    }
    let _ = writeln!(out, "\n{}", t!("summary-total-score", max = max));
    let widest = s.histogram.iter().copied().max().unwrap_or(0).max(1);
    for (i, count) in s.histogram.iter().enumerate() {
        let label = if i == 9 {
            "90–100 %".to_owned()
        } else {
            format!("{:>2}–{:<3}%", i * 10, i * 10 + 9)
        };
        let bar = "█".repeat((count * 40).div_ceil(widest));
        let _ = writeln!(out, "  {label:>9} {count:>4} {bar}");
    }
    let _ = writeln!(out, "\n{}", t!("summary-verdicts"));
    for (v, n) in &s.verdicts {
        let _ = writeln!(out, "  {v:<22} {n}");
    }
    if !s.rejected.is_empty() {
        let _ = writeln!(out, "\n{}", t!("summary-rejected"));
        for (id, why) in &s.rejected {
            let _ = writeln!(out, "  {id}: {why}");
        }
    }
    if !s.flagged.is_empty() {
        let _ = writeln!(out, "\n{}", t!("summary-flagged"));
        for (id, flags) in &s.flagged {
            let _ = writeln!(out, "  {id}: {}", flags.join(" "));
        }
    }
    if !s.late.is_empty() {
        let _ = writeln!(out, "\n{}", t!("summary-late"));
        for (id, late) in &s.late {
            let _ = writeln!(out, "  {id}: {late}");
        }
    }
    if !s.ignored_commits.is_empty() {
        let _ = writeln!(out, "\n{}", t!("summary-ignored-commits"));
        for (id, labs) in &s.ignored_commits {
            let _ = writeln!(out, "  {id}: {}", labs.join(", "));
        }
    }
    if !s.grader_errors.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            t!(
                "summary-grader-errors",
                students = s.grader_errors.join(", ")
            )
        );
    }
    out
}
