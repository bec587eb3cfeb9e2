//! What the grader writes: per student `results.json` (Gradescope's format) and
//! `feedback.md`; for the class `grades.csv`, `summary.txt` and `summary.json`.
//!
//! Layout of the output folder:
//! ```text
//! grades/
//!   grades.csv                 student, one column per lab, total, max, status, flags, late
//!   moodle.csv, canvas.csv     the same scores for an LMS's grade import (see `crate::lms`)
//!   summary.txt, summary.json  per-lab mean, score histogram, verdict counts, problems
//!   students/<id>/results.json Gradescope results (score, max_score, tests[...]) + extra_data
//!   students/<id>/feedback.md  what failed, the hint, the diff, for the student
//! ```
//! A student's `results.json` is written last, by rename: it exists only when the student
//! is completely graded. That is what a resumed run looks for.
//!
//! `results.json` holds nothing that varies between two runs on the same input (no times,
//! no dates): the same submission graded twice gives the same bytes, unless a check's own
//! failure message quotes a measured time.

mod csv;
mod feedback;
mod files;
mod gradebook;
mod grades;
#[cfg(test)]
mod tests;

pub use csv::{csv_field, csv_row, formula_safe};
pub use feedback::feedback;
pub use files::{merge, read_all, read_student, student_dir, write_atomic, write_student};
pub use gradebook::{Summary, flag_list, write_gradebook};
pub use grades::{lab_grade, missing_lab, student_result};

use crate::run::Verdict;
use crate::sandbox::InForce;
use model::{LabStatus, StudentStatus};
use serde::{Deserialize, Serialize};

/// A student's result: Gradescope's top level, and ours in `extra_data`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StudentResult {
    /// Points earned (all labs graded).
    pub score: f64,
    /// Points possible.
    pub max_score: f64,
    /// Text shown above the tests.
    pub output: String,
    /// Gradescope: the result is visible to the student.
    pub visibility: String,
    /// Gradescope: never show the grader's own stdout.
    pub stdout_visibility: String,
    /// One entry per task.
    pub tests: Vec<GsTest>,
    /// Everything else (Gradescope keeps it, shows none of it).
    pub extra_data: Extra,
}

/// One Gradescope test: one task.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GsTest {
    /// `1.3 CPU-bound workloads: Fibonacci and primes`.
    pub name: String,
    /// The task id.
    pub number: String,
    /// Points earned.
    pub score: f64,
    /// Points possible.
    pub max_score: f64,
    /// `passed` or `failed`.
    pub status: String,
    /// Why, with the hint; hidden checks are named but their messages are not shown.
    pub output: String,
    /// `visible`.
    pub visibility: String,
}

/// Our part of the result.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Extra {
    /// The student's id.
    pub student: String,
    /// `graded`, `rejected` (the submission could not be taken), `grader_error` (some part
    /// could not be graded: not the student's fault, look at it).
    pub status: StudentStatus,
    /// Why it was rejected, or what went wrong.
    pub message: String,
    /// Where the workspace was found in the submission.
    pub found_at: String,
    /// Fingerprint of the submission and of everything that decides the grade: a resumed
    /// run re-grades the student when it changed.
    pub key: String,
    /// Per lab.
    pub labs: Vec<LabGrade>,
    /// The limits in force while grading.
    pub limits: Option<InForce>,
    /// A git submission's history, when a lab has a due date (see `crate::deadlines`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git: Option<crate::deadlines::GitHistory>,
}

/// One lab's grade.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LabGrade {
    /// `lab1`.
    pub lab: String,
    /// `graded`, `missing` (no file of the lab submitted), `compile_error`, `timeout` (the
    /// build or the lab's time budget), `grader_error`.
    pub status: LabStatus,
    /// Points earned.
    pub score: u32,
    /// Points possible.
    pub max_score: u32,
    /// The compiler's errors, or what went wrong.
    pub message: String,
    /// Student files of this lab that were not in the submission (the skeleton was used).
    pub skeleton_files: Vec<String>,
    /// Per task.
    pub tasks: Vec<TaskGrade>,
    /// What the task files use that the lab does not need, for the instructor to read (see
    /// `flags`). Information, not a penalty: it changes no point.
    #[serde(default)]
    pub flags: Vec<crate::flags::Flag>,
    /// When the lab has a due date: what was graded, how late, the penalty taken (see
    /// `crate::deadlines`). `score` is after the penalty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late: Option<crate::deadlines::Lateness>,
}

/// One task's grade.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TaskGrade {
    /// `1.3`.
    pub id: String,
    /// Points earned.
    pub score: u32,
    /// Points possible.
    pub max_score: u32,
    /// The verdict of its first failing check, or `passed`; for a lab that could not be
    /// checked, the lab's status (`missing`, `compile_error`, `timeout`, `grader_error`).
    pub verdict: Verdict,
    /// Every check.
    pub checks: Vec<CheckGrade>,
}

/// One check's verdict.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CheckGrade {
    /// `task_1_3::fib_matches_the_sequence`, or `hidden::task_1_3::other_sizes`.
    pub name: String,
    /// passed, failed, not_implemented, panic, timeout, cpu_limit, memory, output_limit,
    /// signal, crashed, snapshot_mismatch, grader_error.
    pub verdict: Verdict,
    /// The failure message (not shown to students for hidden checks).
    pub message: String,
}
