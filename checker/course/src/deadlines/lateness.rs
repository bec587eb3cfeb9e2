//! One lab's lateness: what `results.json` records, the gradebook's and the feedback's
//! words for it, and the penalty applied to a graded result.

use super::{Dated, Due, Mode, short};
use crate::outputs::StudentResult;
use crate::t;
use model::LateStatus;
use serde::{Deserialize, Serialize};

/// One lab's lateness, in `results.json` (`extra_data.labs[].late`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Lateness {
    /// The due date, as given.
    pub due: String,
    /// `before-deadline` or `penalty`.
    pub mode: String,
    /// Where the date comes from: `git` (the graded commit's committer date),
    /// `submitted.csv`, or `none`.
    pub source: String,
    /// The commit graded (git submissions).
    #[serde(default)]
    pub commit: Option<String>,
    /// The date judged: the graded commit's committer date, or submitted.csv's.
    #[serde(default)]
    pub date: Option<String>,
    /// Commits after the graded one on HEAD's first-parent history (not graded).
    #[serde(default)]
    pub later_commits_ignored: usize,
    /// `on_time`, `late`, `too_late` (past max_days: 0 points), `unknown` (no date: no
    /// penalty), `none_before_deadline` (no commit at or before the due date: not graded).
    pub status: LateStatus,
    /// Seconds after the due date.
    #[serde(default)]
    pub seconds_late: i64,
    /// Days late, each started day counted.
    #[serde(default)]
    pub days_late: u32,
    /// Percent of the earned points taken.
    #[serde(default)]
    pub penalty_percent: u32,
    /// Points earned before the penalty.
    #[serde(default)]
    pub points_before_penalty: u32,
    /// Anything else to say.
    #[serde(default)]
    pub note: String,
}

impl Lateness {
    pub(super) fn new(due: &Due, mode: Mode) -> Lateness {
        Lateness {
            due: due.text.clone(),
            mode: mode.name().into(),
            source: "none".into(),
            commit: None,
            date: None,
            later_commits_ignored: 0,
            status: LateStatus::Unknown,
            seconds_late: 0,
            days_late: 0,
            penalty_percent: 0,
            points_before_penalty: 0,
            note: String::new(),
        }
    }

    /// The gradebook's short form, `lab2 +1d -10%`; `None` when there is nothing to say
    /// (on time).
    pub fn cell(&self, lab: &str) -> Option<String> {
        self.short().map(|s| format!("{lab} {s}"))
    }

    /// How late, in a few words (`+1d -10%`, `date unknown`); `None` when on time.
    pub fn short(&self) -> Option<String> {
        match self.status {
            LateStatus::Late => Some(format!("+{}d -{}%", self.days_late, self.penalty_percent)),
            LateStatus::TooLate => Some(format!("+{}d too late", self.days_late)),
            LateStatus::NoneBeforeDeadline => Some("no commit by the due date".to_owned()),
            LateStatus::Unknown => Some("date unknown".to_owned()),
            LateStatus::OnTime => None,
        }
    }

    /// [`Lateness::short`] in the run's language, for the class report (the gradebook keeps
    /// the short form itself).
    pub fn short_spoken(&self) -> Option<String> {
        let (days, percent) = (self.days_late, self.penalty_percent);
        match self.status {
            LateStatus::Late => Some(t!("late-short-late", days = days, percent = percent)),
            LateStatus::TooLate => Some(t!("late-short-too-late", days = days)),
            LateStatus::NoneBeforeDeadline => Some(t!("late-short-no-commit")),
            LateStatus::Unknown => Some(t!("late-short-unknown")),
            LateStatus::OnTime => None,
        }
    }

    /// What the student reads in feedback.md.
    pub fn describe(&self) -> String {
        let what = match (&self.commit, &self.date) {
            (Some(c), Some(d)) => t!("late-graded-commit", commit = short(c), date = d),
            (None, Some(d)) => t!("late-submitted", date = d),
            _ => t!("late-date-unknown"),
        };
        let ignored = match self.later_commits_ignored {
            0 => String::new(),
            n => format!(" {}", t!("late-ignored", count = n)),
        };
        let (due, days) = (&self.due, self.days_late);
        match self.status {
            LateStatus::OnTime => t!("late-on-time", what = what, due = due, ignored = ignored),
            LateStatus::Late => t!(
                "late-late",
                what = what,
                days = days,
                due = due,
                percent = self.penalty_percent,
                before = self.points_before_penalty,
                after = self.points_before_penalty
                    - penalty_points(self.points_before_penalty, self.penalty_percent),
                ignored = ignored
            ),
            LateStatus::TooLate => t!(
                "late-too-late",
                what = what,
                days = days,
                due = due,
                ignored = ignored
            ),
            LateStatus::NoneBeforeDeadline => t!("late-none-before", due = due, note = self.note),
            LateStatus::Unknown => t!("late-unknown", due = due, note = self.note),
        }
    }
}

/// Points a penalty of `percent` takes from `earned` (rounded to the nearest point, halves
/// up).
pub fn penalty_points(earned: u32, percent: u32) -> u32 {
    ((u64::from(earned) * u64::from(percent.min(100)) + 50) / 100) as u32
}

/// Applies a submission's dates to its graded result: each lab's lateness recorded, its
/// penalty taken, a lab with no commit by its due date explained, the total and Gradescope's
/// text updated.
pub fn apply(r: &mut StudentResult, dated: &Dated) {
    let extra = &mut r.extra_data;
    extra.git = dated.git.clone();
    if extra.status == model::StudentStatus::Rejected {
        // Nothing found because no commit was in time: say that, not "an empty submission".
        let none_in_time = !dated.late.is_empty()
            && dated
                .late
                .values()
                .all(|l| l.status == LateStatus::NoneBeforeDeadline);
        if none_in_time && extra.message == t!("reject-empty") {
            let late = dated
                .late
                .values()
                .next()
                .map(|l| l.note.clone())
                .unwrap_or_default();
            extra.message = t!("late-nothing-to-grade", note = late);
            r.output = format!("{}\n", t!("rejected-output", message = extra.message));
        }
        return;
    }
    let mut lines = Vec::new();
    for l in &mut extra.labs {
        let Some(late) = dated.late.get(&l.lab) else {
            continue;
        };
        let mut late = late.clone();
        late.points_before_penalty = l.score;
        if late.status == LateStatus::NoneBeforeDeadline && l.status == model::LabStatus::Missing {
            l.message = t!("late-due", due = late.due, note = late.note);
        }
        let taken = penalty_points(l.score, late.penalty_percent);
        if taken > 0 {
            l.score -= taken;
            lines.push(t!(
                "late-penalty",
                lab = l.lab,
                days = late.days_late,
                percent = late.penalty_percent,
                before = late.points_before_penalty,
                after = l.score
            ));
        }
        l.late = Some(late);
    }
    r.score = f64::from(extra.labs.iter().map(|l| l.score).sum::<u32>());
    for line in lines {
        r.output.push_str(&line);
        r.output.push('\n');
    }
}

/// A student's lateness for the gradebook: `lab2 +1d -10%; lab4 date unknown`.
pub fn late_cell(r: &StudentResult) -> String {
    r.extra_data
        .labs
        .iter()
        .filter_map(|l| l.late.as_ref().and_then(|late| late.cell(&l.lab)))
        .collect::<Vec<_>>()
        .join("; ")
}
