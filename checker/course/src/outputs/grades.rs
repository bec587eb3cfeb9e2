//! A student's result built from the outcomes of their labs: a lab's grade, a lab not
//! submitted, the whole result with Gradescope's tests.

use super::feedback::test_output;
use super::{CheckGrade, Extra, GsTest, LabGrade, StudentResult, TaskGrade};
use crate::run::{LabOutcome, Verdict};
use crate::sandbox::InForce;
use model::course::{Course, Lab};
use model::{LabStatus, StudentStatus};
use std::fmt::Write as _;

/// A lab's grade from its outcome.
pub fn lab_grade(lab: &Lab, outcome: &LabOutcome, skeleton_files: Vec<String>) -> LabGrade {
    let (status, message) = match &outcome.failure {
        None => (LabStatus::Graded, String::new()),
        Some((v, m)) => (LabStatus::of_failure(*v), m.clone()),
    };
    let tasks = lab
        .tasks
        .iter()
        .zip(&outcome.tasks)
        .map(|(t, o)| {
            let checks: Vec<CheckGrade> = o
                .checks
                .iter()
                .map(|c| CheckGrade {
                    name: c.name.clone(),
                    verdict: c.verdict,
                    message: c.message.clone(),
                })
                .collect();
            let verdict = status.task_verdict().unwrap_or_else(|| o.verdict());
            TaskGrade {
                id: t.id.clone(),
                score: o.earned,
                max_score: o.points,
                verdict,
                checks,
            }
        })
        .collect();
    let any_grader_error = outcome
        .tasks
        .iter()
        .flat_map(|t| &t.checks)
        .any(|c| c.verdict == Verdict::GraderError);
    LabGrade {
        lab: lab.id.clone(),
        status: if any_grader_error && status == LabStatus::Graded {
            LabStatus::GraderError
        } else {
            status
        },
        score: outcome.earned(),
        max_score: outcome.points(),
        message,
        skeleton_files,
        tasks,
        flags: Vec::new(),
        late: None,
    }
}

/// A lab that was not submitted at all.
pub fn missing_lab(lab: &Lab) -> LabGrade {
    LabGrade {
        lab: lab.id.clone(),
        status: LabStatus::Missing,
        score: 0,
        max_score: lab.max_points(),
        message: crate::t!("lab-not-found", dir = lab.dir),
        skeleton_files: Vec::new(),
        tasks: lab
            .tasks
            .iter()
            .map(|t| TaskGrade {
                id: t.id.clone(),
                score: 0,
                max_score: t.points,
                verdict: Verdict::Missing,
                checks: Vec::new(),
            })
            .collect(),
        flags: Vec::new(),
        late: None,
    }
}

/// Assembles a student's result (Gradescope tests: one per task of the graded labs).
pub fn student_result(
    course: &Course,
    student: &str,
    labs: Vec<LabGrade>,
    rejected: Option<String>,
    found_at: String,
    key: String,
    limits: Option<InForce>,
) -> StudentResult {
    let mut tests = Vec::new();
    for grade in &labs {
        let Some(lab) = course.lab(&grade.lab) else {
            continue;
        };
        for (task, t) in lab.tasks.iter().zip(&grade.tasks) {
            tests.push(GsTest {
                name: format!("{} {}", task.id, task.title),
                number: task.id.clone(),
                score: f64::from(t.score),
                max_score: f64::from(t.max_score),
                status: if t.score == t.max_score && t.max_score > 0 {
                    "passed"
                } else {
                    "failed"
                }
                .into(),
                output: test_output(lab, task, grade, t),
                visibility: "visible".into(),
            });
        }
    }
    let score: u32 = labs.iter().map(|l| l.score).sum();
    let max: u32 = labs.iter().map(|l| l.max_score).sum();
    let grader_error = labs.iter().any(|l| l.status == LabStatus::GraderError);
    let (status, message) = match rejected {
        Some(m) => (StudentStatus::Rejected, m),
        None if grader_error => (StudentStatus::GraderError, crate::t!("grader-error-part")),
        None => (StudentStatus::Graded, String::new()),
    };
    let mut output = String::new();
    if status == StudentStatus::Rejected {
        let _ = writeln!(
            output,
            "{}",
            crate::t!("rejected-output", message = message)
        );
    }
    for l in &labs {
        let _ = writeln!(
            output,
            "{}: {}/{} ({})",
            l.lab,
            l.score,
            l.max_score,
            crate::i18n::spoken(crate::i18n::lang(), l.status.as_str())
        );
    }
    StudentResult {
        score: f64::from(score),
        max_score: f64::from(max),
        output,
        visibility: "visible".into(),
        stdout_visibility: "hidden".into(),
        tests,
        extra_data: Extra {
            student: student.to_owned(),
            status,
            message,
            found_at,
            key,
            labs,
            limits,
            git: None,
        },
    }
}

impl LabGrade {
    /// The grade of a lab that was checked (or could not be), from its outcome;
    /// `skeleton_files` are its student files missing from the submission. See [`lab_grade`].
    pub fn of(lab: &Lab, outcome: &LabOutcome, skeleton_files: Vec<String>) -> LabGrade {
        lab_grade(lab, outcome, skeleton_files)
    }

    /// A lab none of whose files were submitted. See [`missing_lab`].
    pub fn missing(lab: &Lab) -> LabGrade {
        missing_lab(lab)
    }
}

impl StudentResult {
    /// The result of a submission whose files were taken and graded: `labs` are their
    /// grades, `found_at` where the workspace was found in the submission, `key` what the
    /// result is stored under, `limits` the limits in force.
    pub fn graded(
        course: &Course,
        student: &str,
        labs: Vec<LabGrade>,
        found_at: String,
        key: String,
        limits: Option<InForce>,
    ) -> StudentResult {
        student_result(course, student, labs, None, found_at, key, limits)
    }

    /// The result of a submission that could not be taken, and why: no lab graded.
    pub fn rejected(
        course: &Course,
        student: &str,
        why: String,
        key: String,
        limits: Option<InForce>,
    ) -> StudentResult {
        let (labs, found_at) = (Vec::new(), String::new());
        student_result(course, student, labs, Some(why), found_at, key, limits)
    }
}
