//! Written answers: some tasks ask a question answered in a doc comment of the task file
//! (course.toml's `answer` names the item: `AtomicCounter`). No check reads them; the
//! instructor does.
//!
//! ```text
//! grades/answers/2.2.md      every student's answer under their id (escaped: shown, never run)
//! grades/answers/scores.csv  student,task,points,comment — written once, empty points, for
//!                            the instructor to fill in; never overwritten
//! ```
//! The answer is read from the submitted file as plain text (never compiled or run): the
//! `///` lines right above the item, without the lines the skeleton already has there.
//!
//! When the grader runs again (students already graded are not graded again), a filled
//! `scores.csv` becomes columns `answers:2.2`, … of `grades.csv`. A line that cannot be
//! read (points that are not a number, such as a spreadsheet formula; a student or task
//! that the class does not have; the same student and task twice) stops the merge with an
//! error naming the file and the line: a score silently dropped would be a wrong grade.

use crate::outputs::{csv_row, write_atomic};
use crate::similarity::ClassFiles;
use anyhow::{Context, bail};
use model::course::{Lab, Task};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The tasks of `labs` that ask for a written answer, with their lab.
pub fn tasks<'a>(labs: &[&'a Lab]) -> Vec<(&'a Lab, &'a Task)> {
    labs.iter()
        .flat_map(|l| l.tasks.iter().map(move |t| (*l, t)))
        .filter(|(_, t)| t.answer.is_some())
        .collect()
}

/// The `///` lines right above the definition of `item` in `source` (attributes between
/// them skipped), without their `///`; `None` when `source` has no such item.
pub fn doc_of(source: &str, item: &str) -> Option<Vec<String>> {
    let lines: Vec<&str> = source.lines().collect();
    let at = lines.iter().position(|l| defines(l, item))?;
    let mut doc = Vec::new();
    for line in lines[..at].iter().rev() {
        let t = line.trim();
        if let Some(text) = t.strip_prefix("///") {
            doc.push(text.strip_prefix(' ').unwrap_or(text).trim_end().to_owned());
        } else if !t.starts_with("#[") {
            break;
        }
    }
    doc.reverse();
    Some(doc)
}

/// `true` for a line defining `item`: `pub struct AtomicCounter`, `pub fn run_on…<F>(`.
fn defines(line: &str, item: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with("//") {
        return false;
    }
    let words: Vec<&str> = t
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).any(|w| {
        [
            "struct", "fn", "enum", "trait", "type", "mod", "const", "static", "union",
        ]
        .contains(&w[0])
            && w[1] == item
    })
}

/// A student's answer: the item's doc comment without the skeleton's own lines, trimmed;
/// `None` when the file or the item is missing or nothing was written.
pub fn answer(student_file: Option<&str>, skeleton: &str, item: &str) -> Option<String> {
    let given: BTreeSet<String> = doc_of(skeleton, item)
        .unwrap_or_default()
        .into_iter()
        .map(|l| l.trim().to_owned())
        .collect();
    let own: Vec<String> = doc_of(student_file?, item)?
        .into_iter()
        .filter(|l| !given.contains(l.trim()) || l.trim().is_empty())
        .collect();
    let text = own.join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// Markdown that shows `s` as text: HTML's `& < >` as entities (quotes stay as they are),
/// markdown's emphasis, code, link, heading and table marks escaped with a backslash.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' | '\'' => out.push(c),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '!' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => crate::html::push_escaped(&mut out, c),
        }
    }
    out
}

/// Writes `answers/<task>.md` for every task asking for an answer, and `answers/scores.csv`
/// if there is none yet; returns the number of answers found per task.
pub fn write_pages(
    out: &Path,
    root: &Path,
    labs: &[&Lab],
    class: &ClassFiles,
) -> anyhow::Result<Vec<(String, usize)>> {
    let dir = out.join("answers");
    let mut counts = Vec::new();
    let mut template = csv_row(&["student", "task", "points", "comment"].map(String::from));
    for (lab, task) in tasks(labs) {
        let item = task.answer.as_deref().unwrap_or_default();
        let path = lab.task_path(task).to_string_lossy().into_owned();
        let skeleton = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
        let mut page = format!(
            "# {}\n\n{}\n",
            crate::t!(
                "answers-title",
                task = task.id,
                title = task.title_in(crate::i18n::lang())
            ),
            crate::t!("answers-intro", item = item, path = path)
        );
        let mut found = 0;
        for (id, files) in class {
            let text = answer(files.get(&path).map(String::as_str), &skeleton, item);
            let _ = writeln!(page, "\n## {}\n", md_escape(id));
            match text {
                Some(t) => {
                    found += 1;
                    for line in t.lines() {
                        let _ = writeln!(page, "> {}", md_escape(line));
                    }
                }
                None => {
                    let _ = writeln!(page, "*({})*", crate::t!("answers-none"));
                }
            }
            template.push_str(&csv_row(&[
                id.clone(),
                task.id.clone(),
                String::new(),
                String::new(),
            ]));
        }
        write_atomic(&dir.join(format!("{}.md", task.id)), page.as_bytes())?;
        counts.push((task.id.clone(), found));
    }
    let scores = dir.join("scores.csv");
    if !counts.is_empty() && !scores.exists() {
        write_atomic(&scores, template.as_bytes())?;
    }
    Ok(counts)
}

/// A cell as written: without the `'` that [`crate::outputs::csv_field`] puts before `=`,
/// `+`, `-`, `@`.
fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

/// The filled scores: (student, task) → points. Empty points are skipped; anything else
/// that is not a number ≥ 0, an unknown student or task, or a repeated line is an error
/// naming `path` and the line.
pub fn read_scores(
    path: &Path,
    students: &BTreeSet<String>,
    tasks: &[String],
) -> anyhow::Result<BTreeMap<(String, String), f64>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let header = reader
        .headers()
        .with_context(|| format!("{} has no header line", path.display()))?
        .clone();
    if header.iter().take(3).collect::<Vec<_>>() != ["student", "task", "points"] {
        bail!(
            "{} line 1: the header must start with student,task,points (found {:?}): keep the \
             template's first line",
            path.display(),
            header.iter().collect::<Vec<_>>().join(",")
        );
    }
    let mut scores = BTreeMap::new();
    for record in reader.records() {
        let record = record.with_context(|| format!("{} cannot be read", path.display()))?;
        let line = record.position().map_or(0, |p| p.line());
        let at = || format!("{} line {line}", path.display());
        let cell = |i: usize| unguard(record.get(i).unwrap_or("").trim()).to_owned();
        let (student, task, points) = (cell(0), cell(1), cell(2));
        if points.is_empty() {
            continue;
        }
        if !students.contains(&student) {
            bail!(
                "{}: no student {student:?} in this class (no students/{student}/results.json): \
                 fix the id or delete the line",
                at()
            );
        }
        if !tasks.contains(&task) {
            bail!(
                "{}: task {task:?} asks for no written answer (those that do: {}): fix the task \
                 or delete the line",
                at(),
                tasks.join(", ")
            );
        }
        let value: f64 = match points.parse() {
            Ok(v) if f64::is_finite(v) && v >= 0.0 => v,
            _ if points.starts_with('=') => bail!(
                "{}: points {points:?} is a formula, which the grader does not evaluate: write \
                 the number itself (export the sheet's values, not its formulas)",
                at()
            ),
            _ => bail!(
                "{}: points {points:?} is not a number ≥ 0: write a number such as 1 or 0.5, \
                 or leave it empty",
                at()
            ),
        };
        if scores
            .insert((student.clone(), task.clone()), value)
            .is_some()
        {
            bail!(
                "{}: a second score for {student} in task {task}: keep one line",
                at()
            );
        }
    }
    Ok(scores)
}

/// Adds a column `answers:<task>` per task to `grades.csv` from `answers/scores.csv`, when
/// the instructor has scored something there; returns the scores file merged, if any.
pub fn merge_into_gradebook(out: &Path, labs: &[&Lab]) -> anyhow::Result<Option<PathBuf>> {
    let path = out.join("answers/scores.csv");
    let tasks: Vec<String> = tasks(labs).iter().map(|(_, t)| t.id.clone()).collect();
    if tasks.is_empty() || !path.exists() {
        return Ok(None);
    }
    let gradebook = out.join("grades.csv");
    let mut reader = csv::Reader::from_path(&gradebook)
        .with_context(|| format!("cannot read {}", gradebook.display()))?;
    // Columns of an earlier merge are replaced, not repeated.
    let header = reader.headers()?.clone();
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| !header[i].starts_with("answers:"))
        .collect();
    let pick = |r: &csv::StringRecord| -> Vec<String> {
        keep.iter()
            .map(|&i| r.get(i).unwrap_or("").to_owned())
            .collect()
    };
    let mut rows: Vec<Vec<String>> = vec![pick(&header)];
    for r in reader.records() {
        rows.push(pick(&r?));
    }
    let students: BTreeSet<String> = rows[1..]
        .iter()
        .filter_map(|r| r.first().map(|s| unguard(s).to_owned()))
        .collect();
    let scores = read_scores(&path, &students, &tasks)?;
    if scores.is_empty() {
        // The template as written: nothing scored yet, the gradebook stays as it is.
        return Ok(None);
    }
    let mut csv = String::new();
    for (i, row) in rows.iter_mut().enumerate() {
        for task in &tasks {
            row.push(if i == 0 {
                format!("answers:{task}")
            } else {
                let id = unguard(&row[0]).to_owned();
                scores
                    .get(&(id, task.clone()))
                    .map(|p| p.to_string())
                    .unwrap_or_default()
            });
        }
        csv.push_str(&csv_row(row));
    }
    write_atomic(&gradebook, csv.as_bytes())?;
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_answer_item_is_in_its_skeleton_and_its_solution() {
        let (root, course) = crate::test_course();
        let labs: Vec<&Lab> = course.labs.iter().collect();
        let asked = tasks(&labs);
        assert!(asked.len() >= 2, "course.toml names no written answer");
        for (lab, task) in asked {
            let item = task.answer.as_deref().unwrap();
            for dir in [&lab.dir, &lab.solution] {
                let text = std::fs::read_to_string(root.join(dir).join(&task.file)).unwrap();
                let doc = doc_of(&text, item);
                assert!(
                    doc.is_some_and(|d| !d.is_empty()),
                    "task {}: no doc comment above `{item}` in {dir}/{}",
                    task.id,
                    task.file
                );
            }
            // The skeleton's own lines are not an answer; the solution's are.
            let skeleton = std::fs::read_to_string(root.join(lab.task_path(task))).unwrap();
            let solution =
                std::fs::read_to_string(root.join(&lab.solution).join(&task.file)).unwrap();
            assert_eq!(answer(Some(&skeleton), &skeleton, item), None);
            assert!(
                answer(Some(&solution), &skeleton, item).is_some(),
                "{}",
                task.id
            );
        }
    }

    #[test]
    fn an_answer_is_the_doc_comment_without_the_skeletons_lines() {
        let skeleton =
            "/// A counter.\n///\n/// TODO: explain here.\n#[derive(Debug)]\npub struct C;\n";
        let student = "/// A counter.\n///\n/// Because *loads* and `stores` <b>are</b> atomic.\n#[derive(Debug)]\npub struct C;\n";
        let a = answer(Some(student), skeleton, "C").unwrap();
        assert_eq!(a, "Because *loads* and `stores` <b>are</b> atomic.");
        assert_eq!(
            md_escape(&a),
            "Because \\*loads\\* and \\`stores\\` &lt;b&gt;are&lt;/b&gt; atomic."
        );
        assert_eq!(answer(None, skeleton, "C"), None);
        assert_eq!(answer(Some("pub struct D;"), skeleton, "C"), None);
        assert!(!defines("// pub struct C", "C") && defines("pub(crate) fn C<T>(", "C"));
    }
}
