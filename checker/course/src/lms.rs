//! Gradebook exports for learning management systems, written beside `grades.csv`:
//!
//! - `moodle.csv`, for Moodle's *Grades → Import → CSV file*: one header row, one row per
//!   student: `Username`, `Email address`, `ID number`, `Full name`, then one column per lab
//!   (`Lab 1`, …). In *Identify user by*, map one identifier column to the matching user
//!   field; map each lab column to its grade item (or a new one).
//! - `canvas.csv`, for Canvas's *Grades → Import*: the columns of Canvas's own gradebook
//!   export, `Student`, `ID`, `SIS User ID`, `SIS Login ID`, `Section`, then one column per
//!   lab; the second row is `Points Possible` with each lab's points.
//!
//! A score is the lab's points after any late penalty; a lab that could not be graded
//! (`grader_error`) is left empty, so an import changes nothing there. Who a student is in the
//! LMS comes from the roster (`SUBMISSIONS/roster.csv` or `grade --roster FILE`):
//! `student,email,name,sis_id,section` and optionally `login` and `canvas_id`. Without a roster
//! row the submission's id is the Moodle username and the Canvas SIS Login ID, and
//! `summary.txt` says so. Every cell goes through [`crate::outputs::formula_safe`]: a roster
//! cell starting with `=` is text in the spreadsheet, never a formula.

use crate::deadlines::read_table;
use crate::outputs::{StudentResult, formula_safe};
use model::course::Lab;
use model::{LabStatus, StudentStatus};
use std::collections::BTreeMap;
use std::path::Path;

/// The roster's file name in the submissions folder.
pub const ROSTER_CSV: &str = "roster.csv";

/// One student's identity in the LMS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// Email address (Moodle can identify users by it).
    pub email: String,
    /// Full name, as the LMS shows it.
    pub name: String,
    /// The institution's id: Moodle's *ID number*, Canvas's *SIS User ID*.
    pub sis_id: String,
    /// Canvas's section.
    pub section: String,
    /// Moodle's username and Canvas's *SIS Login ID* (default: the submission's id).
    pub login: String,
    /// Canvas's own numeric user id (its export's `ID` column), if known.
    pub canvas_id: String,
}

/// Submission id → identity.
pub type Roster = BTreeMap<String, Person>;

/// Reads a roster: a header row naming at least `student`; `email`, `name`, `sis_id`,
/// `section`, `login` and `canvas_id` are read when present, other columns ignored.
pub fn read_roster(path: &Path) -> anyhow::Result<Roster> {
    let rows = read_table(
        path,
        &["student"],
        &["email", "name", "sis_id", "section", "login", "canvas_id"],
    )?;
    let mut roster = Roster::new();
    for row in rows {
        if row[0].is_empty() {
            continue;
        }
        roster.insert(
            row[0].clone(),
            Person {
                email: row[1].clone(),
                name: row[2].clone(),
                sis_id: row[3].clone(),
                section: row[4].clone(),
                login: row[5].clone(),
                canvas_id: row[6].clone(),
            },
        );
    }
    Ok(roster)
}

/// The column name of a lab in the LMS: its title up to the dash, `Lab 1`.
pub fn column(lab: &Lab) -> String {
    lab.title
        .split(" — ")
        .next()
        .unwrap_or(&lab.title)
        .trim()
        .to_owned()
}

/// One lab's cell: the score, or empty when the lab could not be graded.
fn score(r: &StudentResult, lab: &Lab) -> String {
    match r.extra_data.labs.iter().find(|l| l.lab == lab.id) {
        Some(l) if l.status == LabStatus::GraderError => String::new(),
        Some(l) => l.score.to_string(),
        None if r.extra_data.status == StudentStatus::Rejected => "0".into(),
        None => String::new(),
    }
}

/// A roster's field, or the student's id when the roster left it empty.
fn or_id(field: String, id: &str) -> String {
    if field.is_empty() {
        id.to_owned()
    } else {
        field
    }
}

fn csv_bytes(rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    for row in rows {
        w.write_record(row.iter().map(|c| formula_safe(c)))?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

/// `moodle.csv`'s rows, header first.
pub fn moodle(
    all: &BTreeMap<String, StudentResult>,
    labs: &[&Lab],
    roster: &Roster,
) -> Vec<Vec<String>> {
    let mut header: Vec<String> = ["Username", "Email address", "ID number", "Full name"]
        .map(str::to_owned)
        .to_vec();
    header.extend(labs.iter().map(|l| column(l)));
    let mut rows = vec![header];
    for (id, r) in all {
        let p = roster.get(id).cloned().unwrap_or_default();
        let login = or_id(p.login, id);
        let mut row = vec![login, p.email, p.sis_id, p.name];
        row.extend(labs.iter().map(|l| score(r, l)));
        rows.push(row);
    }
    rows
}

/// `canvas.csv`'s rows, header and `Points Possible` first.
pub fn canvas(
    all: &BTreeMap<String, StudentResult>,
    labs: &[&Lab],
    roster: &Roster,
) -> Vec<Vec<String>> {
    let mut header: Vec<String> = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
        .map(str::to_owned)
        .to_vec();
    header.extend(labs.iter().map(|l| column(l)));
    let mut points = vec!["Points Possible".to_owned()];
    points.extend(std::iter::repeat_n(String::new(), 4));
    points.extend(labs.iter().map(|l| l.max_points().to_string()));
    let mut rows = vec![header, points];
    for (id, r) in all {
        let p = roster.get(id).cloned().unwrap_or_default();
        let login = or_id(p.login, id);
        let name = or_id(p.name, id);
        let mut row = vec![name, p.canvas_id, p.sis_id, login, p.section];
        row.extend(labs.iter().map(|l| score(r, l)));
        rows.push(row);
    }
    rows
}

/// Writes `moodle.csv` and `canvas.csv` into `out` for every student of `all`, identified by
/// `roster` (the file, if any). Returns what `summary.txt` says about them.
pub fn write_exports(
    out: &Path,
    all: &BTreeMap<String, StudentResult>,
    labs: &[&Lab],
    roster_file: Option<&Path>,
) -> anyhow::Result<String> {
    let roster = match roster_file {
        Some(p) => read_roster(p)?,
        None => Roster::new(),
    };
    crate::outputs::write_atomic(
        &out.join("moodle.csv"),
        &csv_bytes(&moodle(all, labs, &roster))?,
    )?;
    crate::outputs::write_atomic(
        &out.join("canvas.csv"),
        &csv_bytes(&canvas(all, labs, &roster))?,
    )?;
    let unknown: Vec<&str> = all
        .keys()
        .filter(|id| !roster.contains_key(*id))
        .map(String::as_str)
        .collect();
    let absent: Vec<String> = roster
        .keys()
        .filter(|id| !all.contains_key(*id))
        .map(|id| format!("{id:?}"))
        .collect();
    let mut note = format!("\n{}\n", crate::t!("lms-exports"));
    match roster_file {
        None => note.push_str(&format!("  {}\n", crate::t!("lms-no-roster"))),
        Some(p) => {
            if !unknown.is_empty() {
                let (roster, students) = (p.display().to_string(), unknown.join(", "));
                note.push_str(&format!(
                    "  {}\n",
                    crate::t!("lms-not-in-roster", roster = roster, students = students)
                ));
            }
            if !absent.is_empty() {
                let students = absent.join(", ");
                note.push_str(&format!(
                    "  {}\n",
                    crate::t!("lms-absent", students = students)
                ));
            }
        }
    }
    Ok(note)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outputs::{LabGrade, student_result};
    use model::course::Course;

    fn graded(course: &Course, id: &str, score: u32, status: LabStatus) -> StudentResult {
        let lab = course.lab("lab1").unwrap();
        let mut grade = crate::outputs::missing_lab(lab);
        grade.status = status;
        grade.score = score;
        let grade: LabGrade = grade;
        student_result(
            course,
            id,
            vec![grade],
            None,
            String::new(),
            String::new(),
            None,
        )
    }

    #[test]
    fn exports_have_the_lms_columns_and_hostile_cells_stay_text() {
        let (_, course) = crate::test_course();
        let labs = vec![course.lab("lab1").unwrap()];
        let dir = std::env::temp_dir().join(format!("course-lms-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let roster = dir.join("roster.csv");
        std::fs::write(
            &roster,
            "\u{feff}Student,Email,Name,SIS_ID,Section,Canvas_ID,extra\n\
             alice,=1+1,\"Smith, Alice\",-S1,@A,42,x\n\
             ,no-id@example.com,,,,,\n",
        )
        .unwrap();
        let mut all = BTreeMap::new();
        all.insert(
            "alice".to_owned(),
            graded(&course, "alice", 7, LabStatus::Graded),
        );
        all.insert(
            "+bob".to_owned(),
            graded(&course, "+bob", 3, LabStatus::GraderError),
        );
        let note = write_exports(&dir, &all, &labs, Some(&roster)).unwrap();
        assert!(
            note.contains("not in the roster") && note.contains("+bob"),
            "{note}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("moodle.csv")).unwrap(),
            "Username,Email address,ID number,Full name,Lab 1\n\
             '+bob,,,,\n\
             alice,'=1+1,'-S1,\"Smith, Alice\",7\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("canvas.csv")).unwrap(),
            "Student,ID,SIS User ID,SIS Login ID,Section,Lab 1\n\
             Points Possible,,,,,10\n\
             '+bob,,,'+bob,,\n\
             \"Smith, Alice\",42,'-S1,alice,'@A,7\n"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_roster_without_a_student_column_is_refused_with_the_fix() {
        let dir = std::env::temp_dir().join(format!("course-lms-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let roster = dir.join("roster.csv");
        std::fs::write(&roster, "email,name\na@example.com,A\n").unwrap();
        let e = read_roster(&roster).unwrap_err().to_string();
        assert!(e.contains("roster.csv") && e.contains("student"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
