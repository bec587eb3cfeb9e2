//! Deadlines and late work: which version of a submission is graded, and what lateness costs.
//!
//! A lab is due at the date of its `due` in `course.toml` (RFC 3339 with its offset,
//! `2027-03-01T23:59:00+03:00`), or of `grade --due lab2=…`, which overrides it. A lab
//! without one has no deadline. The course's `[late]` table is the policy
//! ([`model::course::LatePolicy`]); `grade --late-mode` overrides its mode.
//!
//! - A **git submission** (a bare repository, or a checkout's `.git`) is read from its
//!   commits, along HEAD's first parents ([`crate::submission::history`]). Mode
//!   `before-deadline`: each lab's files come from the last commit whose committer date is at
//!   or before that lab's due date; later commits are ignored. Mode `penalty`: from the latest
//!   commit, late by its committer date. Committer dates are written by the student's
//!   machine: a history whose dates go backwards along first parents is flagged
//!   (`git:dates-backwards`, no point taken).
//! - A **folder or archive** carries no date we can trust: `SUBMISSIONS/submitted.csv`
//!   (`student,submitted_at`, exported from the LMS) dates it, and a late one is penalised
//!   under either mode (there is no earlier version to grade). Without a row the lateness is
//!   `unknown` and no penalty applies.
//!
//! The penalty takes `penalty_percent_per_day` of the lab's earned points per started day
//! (rounded to the nearest point); past `max_days` the lab earns 0.

mod lateness;
mod tables;
#[cfg(test)]
mod tests;

pub use lateness::{Lateness, apply, late_cell, penalty_points};
pub use tables::{beside, read_submitted, read_table};

use crate::submission::{self, Entry, Files};
use anyhow::Context;
use jiff::Timestamp;
use model::LateStatus;
use model::course::{Course, Lab};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The file of submission dates, in the submissions folder.
pub const SUBMITTED_CSV: &str = "submitted.csv";
/// Largest `submitted.csv` (or roster) read.
pub const MAX_CSV_BYTES: u64 = 8 << 20;
/// Seconds in a day of lateness.
const DAY: i64 = 86_400;

/// How a late git submission is graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The last commit at or before the due date; later ones are ignored.
    BeforeDeadline,
    /// The latest commit, with the penalty.
    Penalty,
}

impl Mode {
    /// `before-deadline` or `penalty` → the mode.
    pub fn parse(s: &str) -> anyhow::Result<Mode> {
        match s.trim() {
            "before-deadline" => Ok(Mode::BeforeDeadline),
            "penalty" => Ok(Mode::Penalty),
            other => anyhow::bail!(
                "the late mode {other:?} is unknown: use \"before-deadline\" or \"penalty\""
            ),
        }
    }

    /// The mode's name in course.toml and results.json.
    pub fn name(self) -> &'static str {
        match self {
            Mode::BeforeDeadline => "before-deadline",
            Mode::Penalty => "penalty",
        }
    }
}

/// One lab's due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// The instant.
    pub at: Timestamp,
    /// As the instructor wrote it (with its offset).
    pub text: String,
}

/// A date of `submitted.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    /// The instant, when the cell is a valid date.
    pub at: Option<Timestamp>,
    /// The cell as written.
    pub text: String,
}

/// The deadlines of one grading run.
#[derive(Debug, Clone)]
pub struct Deadlines {
    /// Lab id → due date (labs without one are absent).
    pub due: BTreeMap<String, Due>,
    /// The mode.
    pub mode: Mode,
    /// Percent of the earned points per started day late.
    pub percent_per_day: u32,
    /// Past this many days late, the lab earns 0.
    pub max_days: Option<u32>,
    /// Student id → the date `submitted.csv` gives.
    pub submitted: BTreeMap<String, Submitted>,
}

/// Parses an RFC 3339 date with its offset; `what` names it in the message.
pub fn parse_date(text: &str, what: &str) -> anyhow::Result<Timestamp> {
    text.trim().parse::<Timestamp>().map_err(|e| {
        anyhow::anyhow!(
            "{what}: {text:?} is not an RFC 3339 date with its offset \
             (write it as 2027-03-01T23:59:00+03:00 or 2027-03-01T20:59:00Z): {e}"
        )
    })
}

impl Deadlines {
    /// The deadlines of `labs`: course.toml's `due` dates, then `overrides` (`lab2=DATE`)
    /// over them; the course's `[late]` policy, its mode replaced by `mode` if given;
    /// `submissions/submitted.csv` if there is one.
    pub fn new(
        course: &Course,
        labs: &[&Lab],
        overrides: &[String],
        mode: Option<&str>,
        submissions: Option<&Path>,
    ) -> anyhow::Result<Deadlines> {
        let mut due = BTreeMap::new();
        for lab in labs {
            if let Some(text) = &lab.due {
                let what = format!("course.toml, the due date of {}", lab.id);
                due.insert(
                    lab.id.clone(),
                    Due {
                        at: parse_date(text, &what)?,
                        text: text.trim().to_owned(),
                    },
                );
            }
        }
        for o in overrides {
            let (lab, text) = o.split_once('=').with_context(|| {
                format!(
                    "--due {o:?}: write it as LAB=DATE, e.g. --due lab2=2027-03-01T23:59:00+03:00"
                )
            })?;
            let lab = lab.trim();
            anyhow::ensure!(
                course.lab(lab).is_some(),
                "--due {o:?}: there is no lab {lab:?} in course.toml"
            );
            let at = parse_date(text, &format!("--due {lab}"))?;
            if labs.iter().any(|l| l.id == lab) {
                due.insert(
                    lab.to_owned(),
                    Due {
                        at,
                        text: text.trim().to_owned(),
                    },
                );
            }
        }
        let policy = &course.late;
        let mode = Mode::parse(mode.unwrap_or(&policy.mode))
            .context("course.toml [late] mode, or --late-mode")?;
        anyhow::ensure!(
            policy.penalty_percent_per_day <= 100,
            "course.toml [late] penalty_percent_per_day is {}: at most 100",
            policy.penalty_percent_per_day
        );
        let submitted = match submissions.map(|s| s.join(SUBMITTED_CSV)) {
            Some(p) if p.is_file() => read_submitted(&p)?,
            _ => BTreeMap::new(),
        };
        Ok(Deadlines {
            due,
            mode,
            percent_per_day: policy.penalty_percent_per_day,
            max_days: policy.max_days,
            submitted,
        })
    }

    /// `true` when no graded lab has a due date: submissions are read as they always were.
    pub fn is_empty(&self) -> bool {
        self.due.is_empty()
    }

    /// Everything about the deadlines that decides a grade, for the resume key.
    pub fn key(&self) -> String {
        let due: Vec<String> = self
            .due
            .iter()
            .map(|(l, d)| format!("{l}={}", d.at))
            .collect();
        format!(
            "{} {} {}% {:?}",
            due.join(","),
            self.mode.name(),
            self.percent_per_day,
            self.max_days
        )
    }

    /// Reads one entry: its files and, per lab with a due date, its lateness. Without any
    /// due date this is [`submission::read`] and nothing more.
    pub fn intake(&self, entry: &Entry, labs: &[&Lab], wanted: &[String]) -> Intake {
        if self.is_empty() {
            return Intake {
                files: submission::read(entry, wanted),
                dated: Dated::default(),
            };
        }
        if let Some(git) = submission::git_dir(entry) {
            match submission::history(&git) {
                Ok(commits) => return self.intake_git(&git, &commits, labs, wanted),
                // A bare repository is nothing but its commits; a checkout still has files.
                Err(why) if git == entry.path => {
                    return Intake {
                        files: Err(why),
                        dated: Dated::default(),
                    };
                }
                Err(_) => {}
            }
        }
        let files = submission::read(entry, wanted);
        let mut dated = Dated::default();
        let row = self.submitted.get(&entry.id);
        for (lab, due) in &self.due {
            let mut late = Lateness::new(due, self.mode);
            match row {
                Some(Submitted { at: Some(at), text }) => {
                    late.source = SUBMITTED_CSV.into();
                    late.date = Some(text.clone());
                    self.assess(&mut late, due, at.as_second());
                }
                Some(Submitted { at: None, text }) => {
                    late.note = crate::t!(
                        "late-not-a-date",
                        file = SUBMITTED_CSV,
                        text = format!("{text:?}")
                    );
                }
                None => {
                    late.note = crate::t!("late-no-date", file = SUBMITTED_CSV);
                }
            }
            dated.late.insert(lab.clone(), late);
        }
        Intake { files, dated }
    }

    /// A git submission: each lab's files from the commit the mode picks.
    fn intake_git(
        &self,
        git: &Path,
        commits: &[submission::Commit],
        labs: &[&Lab],
        wanted: &[String],
    ) -> Intake {
        let mut dated = Dated {
            git: Some(GitHistory {
                head: commits[0].id.clone(),
                commits: commits.len(),
                dates_backwards: backwards(commits),
            }),
            ..Dated::default()
        };
        let mut picks: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for lab in labs {
            let mine: Vec<String> = wanted
                .iter()
                .filter(|w| w.starts_with(&format!("{}/", lab.dir)))
                .cloned()
                .collect();
            let Some(due) = self.due.get(&lab.id) else {
                picks.entry(commits[0].id.clone()).or_default().extend(mine);
                continue;
            };
            let mut late = Lateness::new(due, self.mode);
            late.source = "git".into();
            let pick = match self.mode {
                Mode::Penalty => Some(0),
                Mode::BeforeDeadline => commits.iter().position(|c| c.time <= due.at.as_second()),
            };
            match pick {
                Some(i) => {
                    let c = &commits[i];
                    late.commit = Some(c.id.clone());
                    late.date = Some(c.date.clone());
                    late.later_commits_ignored = i;
                    self.assess(&mut late, due, c.time);
                    picks.entry(c.id.clone()).or_default().extend(mine);
                }
                None => {
                    late.status = LateStatus::NoneBeforeDeadline;
                    late.later_commits_ignored = commits.len();
                    late.note = crate::t!("late-no-commit", due = due.text, count = commits.len());
                }
            }
            dated.late.insert(lab.id.clone(), late);
        }
        let picks: Vec<(String, Vec<String>)> = picks.into_iter().collect();
        Intake {
            files: submission::read_commits(git, &picks),
            dated,
        }
    }

    /// Sets the lateness of a submission dated `at` (seconds since the epoch).
    fn assess(&self, late: &mut Lateness, due: &Due, at: i64) {
        let seconds = at.saturating_sub(due.at.as_second());
        if seconds <= 0 {
            late.status = LateStatus::OnTime;
            return;
        }
        late.seconds_late = seconds;
        late.days_late = u32::try_from((seconds + DAY - 1) / DAY).unwrap_or(u32::MAX);
        if self.max_days.is_some_and(|m| late.days_late > m) {
            late.status = LateStatus::TooLate;
            late.penalty_percent = 100;
        } else {
            late.status = LateStatus::Late;
            late.penalty_percent = late.days_late.saturating_mul(self.percent_per_day).min(100);
        }
    }
}

/// The commits whose committer date is older than their first parent's (`id` short).
fn backwards(commits: &[submission::Commit]) -> Vec<String> {
    commits
        .windows(2)
        .filter(|w| w[0].time < w[1].time)
        .map(|w| {
            format!(
                "{} ({}) is dated before its parent {} ({})",
                short(&w[0].id),
                w[0].date,
                short(&w[1].id),
                w[1].date
            )
        })
        .collect()
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

/// What intake gives for one entry.
#[derive(Debug)]
pub struct Intake {
    /// The student files, or why the entry is rejected.
    pub files: Result<Files, String>,
    /// Lateness and history.
    pub dated: Dated,
}

/// One submission's dates: per lab its lateness, and its git history if it has one.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Dated {
    /// Lab id → lateness (labs with a due date only).
    pub late: BTreeMap<String, Lateness>,
    /// The history read (git submissions, when a lab has a due date).
    pub git: Option<GitHistory>,
}

/// A git submission's history, as far as deadlines go.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GitHistory {
    /// HEAD's commit.
    pub head: String,
    /// Commits read along first parents.
    pub commits: usize,
    /// Commits dated before their parent: committer dates are set by the student's machine,
    /// so the instructor reads these (a flag, no point taken).
    #[serde(default)]
    pub dates_backwards: Vec<String>,
}
