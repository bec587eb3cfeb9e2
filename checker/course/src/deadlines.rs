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

use crate::outputs::StudentResult;
use crate::submission::{self, Entry, Files};
use anyhow::Context;
use jiff::Timestamp;
use model::LateStatus;
use model::course::{Course, Lab};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
                    late.note = format!(
                        "{SUBMITTED_CSV} gives {text:?}, not a date: lateness unknown, no penalty"
                    );
                }
                None => {
                    late.note = format!(
                        "a folder or an archive carries no date and {SUBMITTED_CSV} has no row for this student: \
                         lateness unknown, no penalty"
                    );
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
                    late.note = format!(
                        "no commit is dated at or before the due date {}: the {} commit{} after it {} not graded",
                        due.text,
                        commits.len(),
                        if commits.len() == 1 { "" } else { "s" },
                        if commits.len() == 1 { "is" } else { "are" },
                    );
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
    fn new(due: &Due, mode: Mode) -> Lateness {
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

    /// What the student reads in feedback.md.
    pub fn describe(&self) -> String {
        let what = match (&self.commit, &self.date) {
            (Some(c), Some(d)) => format!("Graded commit `{}`, committed {d}", short(c)),
            (None, Some(d)) => format!("Submitted {d} (the course's record)"),
            _ => "The submission's date is not known".to_owned(),
        };
        let ignored = match self.later_commits_ignored {
            0 => String::new(),
            1 => " 1 later commit was not graded.".to_owned(),
            n => format!(" {n} later commits were not graded."),
        };
        match self.status {
            LateStatus::OnTime => format!("{what}: on time (due {}).{ignored}", self.due),
            LateStatus::Late => format!(
                "{what}: {} day{} late (due {}): −{} % of the points earned ({} → {}).{ignored}",
                self.days_late,
                if self.days_late == 1 { "" } else { "s" },
                self.due,
                self.penalty_percent,
                self.points_before_penalty,
                self.points_before_penalty
                    - penalty_points(self.points_before_penalty, self.penalty_percent),
            ),
            LateStatus::TooLate => format!(
                "{what}: {} days late (due {}), past the last day late work is accepted: 0 points.{ignored}",
                self.days_late, self.due
            ),
            LateStatus::NoneBeforeDeadline => format!(
                "Due {}: {}. The lab is graded as not submitted.",
                self.due, self.note
            ),
            LateStatus::Unknown => format!("Due {}: {}.", self.due, self.note),
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
        if none_in_time && extra.message.starts_with("no student file") {
            let late = dated
                .late
                .values()
                .next()
                .map(|l| l.note.clone())
                .unwrap_or_default();
            extra.message = format!("nothing to grade: {late}");
            r.output = format!("Your submission could not be graded: {}\n", extra.message);
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
            l.message = format!("due {}: {}", late.due, late.note);
        }
        let taken = penalty_points(l.score, late.penalty_percent);
        if taken > 0 {
            l.score -= taken;
            lines.push(format!(
                "{}: {} day{} late, -{} % ({} → {} points)",
                l.lab,
                late.days_late,
                if late.days_late == 1 { "" } else { "s" },
                late.penalty_percent,
                late.points_before_penalty,
                l.score
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

/// Reads `submitted.csv`: a header row naming `student` and `submitted_at` (other columns
/// are ignored), one row per student. A cell that is not a date makes that student's
/// lateness unknown; a student named twice keeps the later date.
pub fn read_submitted(path: &Path) -> anyhow::Result<BTreeMap<String, Submitted>> {
    let rows = read_table(path, &["student", "submitted_at"], &[])?;
    let mut out: BTreeMap<String, Submitted> = BTreeMap::new();
    for row in rows {
        let (id, text) = (row[0].clone(), row[1].clone());
        if id.is_empty() {
            continue;
        }
        let at = text.parse::<Timestamp>().ok();
        let keep = match out.get(&id) {
            Some(Submitted { at: Some(old), .. }) => at.is_some_and(|a| a > *old),
            _ => true,
        };
        if keep {
            out.insert(id, Submitted { at, text });
        }
    }
    Ok(out)
}

/// Reads a CSV file with a header row and returns, per row, the cells of the `required`
/// then the `optional` columns (found by name, in any order, any case; an absent optional
/// column gives empty cells), trimmed. Cells are data: nothing is evaluated.
pub fn read_table(
    path: &Path,
    required: &[&str],
    optional: &[&str],
) -> anyhow::Result<Vec<Vec<String>>> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    anyhow::ensure!(
        meta.is_file() && meta.len() <= MAX_CSV_BYTES,
        "{} is not a file of at most {} MiB",
        path.display(),
        MAX_CSV_BYTES >> 20
    );
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .with_context(|| format!("{} has no readable header row", path.display()))?
        .clone();
    let find = |c: &&str| headers.iter().position(|h| h.eq_ignore_ascii_case(c));
    let index: Vec<Option<usize>> = required.iter().chain(optional).map(find).collect();
    anyhow::ensure!(
        index[..required.len()].iter().all(Option::is_some),
        "{}: the header row must name the columns {} (it has {:?}): fix the file's first line",
        path.display(),
        required.join(","),
        headers.iter().collect::<Vec<_>>()
    );
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record
            .with_context(|| format!("{}: row {} cannot be read as CSV", path.display(), n + 2))?;
        rows.push(
            index
                .iter()
                .map(|i| i.and_then(|i| record.get(i)).unwrap_or("").to_owned())
                .collect(),
        );
    }
    Ok(rows)
}

/// The path of a file the instructor keeps in the submissions folder, if it is there.
pub fn beside(submissions: &Path, name: &str) -> Option<PathBuf> {
    let p = submissions.join(name);
    p.is_file().then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deadlines(mode: Mode) -> Deadlines {
        Deadlines {
            due: BTreeMap::new(),
            mode,
            percent_per_day: 10,
            max_days: Some(3),
            submitted: BTreeMap::new(),
        }
    }

    fn due(text: &str) -> Due {
        Due {
            at: parse_date(text, "test").unwrap(),
            text: text.into(),
        }
    }

    #[test]
    fn a_started_day_counts_and_max_days_ends_it() {
        let d = deadlines(Mode::Penalty);
        let due = due("2027-03-01T23:59:00+03:00");
        for (at, status, days, percent) in [
            ("2027-03-01T23:59:00+03:00", "on_time", 0, 0),
            ("2027-03-01T20:59:00Z", "on_time", 0, 0),
            ("2027-03-01T21:00:00Z", "late", 1, 10),
            ("2027-03-02T23:59:00+03:00", "late", 1, 10),
            ("2027-03-03T00:00:00+03:00", "late", 2, 20),
            ("2027-03-04T23:59:00+03:00", "late", 3, 30),
            ("2027-03-05T00:00:00+03:00", "too_late", 4, 100),
        ] {
            let mut late = Lateness::new(&due, d.mode);
            d.assess(&mut late, &due, parse_date(at, "test").unwrap().as_second());
            assert_eq!(
                (late.status.as_str(), late.days_late, late.penalty_percent),
                (status, days, percent),
                "{at}"
            );
        }
    }

    /// git in `dir`, committing at `date` (author and committer), nothing configured.
    fn git(dir: &Path, date: &str, args: &[&str]) {
        crate::corpus::student_git(dir, Some(date), args).unwrap();
    }

    /// A bare repository whose commits write `measure.rs` = `v<n>` at each date, in order.
    fn repo(name: &str, dates: &[&str]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "course-deadlines-test-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let work = dir.join("work");
        std::fs::create_dir_all(work.join("labs/lab1-sync/src")).unwrap();
        git(&work, dates[0], &["init", "-q"]);
        for (n, date) in dates.iter().enumerate() {
            std::fs::write(work.join("labs/lab1-sync/src/measure.rs"), format!("v{n}")).unwrap();
            git(&work, date, &["add", "-A"]);
            git(&work, date, &["commit", "-qm", &format!("v{n}")]);
        }
        git(
            &dir,
            dates[0],
            &["clone", "-q", "--bare", "work", "alice.git"],
        );
        dir
    }

    #[test]
    fn a_git_submission_is_read_at_the_commit_the_mode_picks() {
        let root = crate::find_root(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let course = Course::load(&root).unwrap();
        let lab = course.lab("lab1").unwrap();
        let labs = vec![lab];
        let wanted = vec!["labs/lab1-sync/src/measure.rs".to_owned()];
        let first = repo(
            "modes",
            &[
                "2027-03-01T10:00:00+03:00",
                "2027-03-01T23:59:00+03:00",
                "2027-03-02T09:00:00+03:00",
                // Dated before its parent: the student's clock, or a rewritten date.
                "2027-03-01T12:00:00+03:00",
            ],
        );
        let entry = Entry {
            id: "alice".into(),
            path: first.join("alice.git"),
            problem: None,
        };
        let due = ["lab1=2027-03-01T23:59:00+03:00".to_owned()];
        let before = Deadlines::new(&course, &labs, &due, Some("before-deadline"), None).unwrap();
        let intake = before.intake(&entry, &labs, &wanted);
        let files = intake.files.unwrap();
        // The newest commit at or before the due date is the last one (dated back).
        assert_eq!(files.files[&wanted[0]], b"v3");
        let late = &intake.dated.late["lab1"];
        assert_eq!(
            (late.status.as_str(), late.later_commits_ignored),
            ("on_time", 0)
        );
        let git = intake.dated.git.as_ref().unwrap();
        assert_eq!(git.commits, 4);
        assert_eq!(git.dates_backwards.len(), 1, "{:?}", git.dates_backwards);

        // Without the back-dated commit: v1 is graded, v2 ignored.
        let _ = std::fs::remove_dir_all(&first);
        let dir = repo(
            "modes2",
            &[
                "2027-03-01T10:00:00+03:00",
                "2027-03-01T23:59:00+03:00",
                "2027-03-02T09:00:00+03:00",
            ],
        );
        let entry = Entry {
            path: dir.join("alice.git"),
            ..entry
        };
        let intake = before.intake(&entry, &labs, &wanted);
        assert_eq!(intake.files.unwrap().files[&wanted[0]], b"v1");
        let late = &intake.dated.late["lab1"];
        assert_eq!(
            (late.status.as_str(), late.later_commits_ignored),
            ("on_time", 1)
        );
        assert!(intake.dated.git.unwrap().dates_backwards.is_empty());
        // Penalty: v2, 9 h 1 min late = one started day.
        let penalty = Deadlines::new(&course, &labs, &due, Some("penalty"), None).unwrap();
        let intake = penalty.intake(&entry, &labs, &wanted);
        assert_eq!(intake.files.unwrap().files[&wanted[0]], b"v2");
        let late = &intake.dated.late["lab1"];
        assert_eq!(
            (late.status.as_str(), late.days_late, late.penalty_percent),
            ("late", 1, course.late.penalty_percent_per_day)
        );
        assert_eq!(late.date.as_deref(), Some("2027-03-02T09:00:00+03:00"));
        // Due before every commit: nothing is graded under before-deadline.
        let early = ["lab1=2027-02-01T00:00:00Z".to_owned()];
        let d = Deadlines::new(&course, &labs, &early, None, None).unwrap();
        let intake = d.intake(&entry, &labs, &wanted);
        assert!(intake.files.unwrap().files.is_empty());
        assert_eq!(
            intake.dated.late["lab1"].status,
            LateStatus::NoneBeforeDeadline
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_generated_class_is_late_where_its_list_says() {
        let root = crate::find_root(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let course = Course::load(&root).unwrap();
        let labs = vec![course.lab("lab1").unwrap()];
        let wanted = labs[0].student_paths();
        let out =
            std::env::temp_dir().join(format!("course-deadlines-class-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        let made = crate::corpus::write_class(&root, &out, 7).unwrap();
        let due = [format!("lab1={}", crate::corpus::CLASS_DUE)];
        let d = Deadlines::new(&course, &labs, &due, Some("penalty"), Some(&out)).unwrap();
        let entries = submission::discover(&out).unwrap();
        assert_eq!(entries.len(), 7, "submitted.csv is not a student");
        for e in &entries {
            let what = &made.iter().find(|(id, _)| *id == e.id).unwrap().1;
            let status = d
                .intake(e, &labs, &wanted)
                .dated
                .late
                .get("lab1")
                .map(|l| l.status.as_str())
                .unwrap_or_default();
            let expected = if what.contains("late:") {
                "late"
            } else if what.contains("date unknown") || what.starts_with("hostile") {
                "unknown"
            } else {
                "on_time"
            };
            assert_eq!(status, expected, "{}: {what}", e.id);
        }
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn dates_need_their_offset() {
        assert!(parse_date("2027-03-01T23:59:00", "x").is_err());
        assert!(parse_date("2027-03-01", "x").is_err());
        assert!(parse_date("=cmd|' /C calc'!A0", "x").is_err());
        assert_eq!(penalty_points(10, 10), 1);
        assert_eq!(penalty_points(3, 10), 0);
        assert_eq!(penalty_points(5, 10), 1);
        assert_eq!(penalty_points(7, 100), 7);
    }
}
