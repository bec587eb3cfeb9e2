//! The course as data: `course.toml` at the workspace root, loaded into the structs below.
//!
//! One file describes every lab, every task, its points, its hint and the student files
//! it lives in. The demos read it to say where a missing task lives, the checker reads it
//! for deadlines and hints, the grader reads it to know which files a student owns, and the
//! self-test checks it against the code both ways.

use crate::lang::Lang;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// The whole course: a name and its labs, in teaching order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Course {
    /// Shown in reports and the gradebook.
    pub name: String,
    /// The language reports and checks speak when neither `--lang`, `COURSE_LANG` nor the
    /// locale names one (see [`crate::lang`]): `en` (the default) or `ru`.
    #[serde(default)]
    pub language: Lang,
    /// What late work costs (the grader's; see [`LatePolicy`]). Used only for labs with a
    /// [`Lab::due`] date.
    #[serde(default)]
    pub late: LatePolicy,
    /// The labs, in the order students meet them.
    #[serde(rename = "lab")]
    pub labs: Vec<Lab>,
}

/// The course's `[late]` table: how the grader treats work after a lab's due date.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LatePolicy {
    /// `before-deadline` (the default): a git submission is graded at its last commit at or
    /// before the due date, later commits are ignored. `penalty`: its latest commit is
    /// graded, with the penalty below for each day (or part of a day) after the due date.
    /// A folder or an archive has one version only: when `submitted.csv` dates it after the
    /// due date, the penalty applies under either mode.
    #[serde(default = "before_deadline")]
    pub mode: String,
    /// Percent of the lab's earned points taken per started day of lateness.
    #[serde(default)]
    pub penalty_percent_per_day: u32,
    /// Days of lateness after which the lab earns 0 (none: only the penalty's 100 % stops).
    #[serde(default)]
    pub max_days: Option<u32>,
}

fn before_deadline() -> String {
    "before-deadline".into()
}

impl Default for LatePolicy {
    fn default() -> LatePolicy {
        LatePolicy {
            mode: before_deadline(),
            penalty_percent_per_day: 0,
            max_days: None,
        }
    }
}

/// One lab: a student crate under `labs/`, its solution under `solutions/`, its checks in
/// `checker/tests/<id>.rs` and its chapter in `docs/src/<dir name>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lab {
    /// Short id, also the cargo package and the checker's feature and test name: `lab1`.
    pub id: String,
    /// Title for reports and the book.
    #[serde(deserialize_with = "text")]
    pub title: String,
    /// The title in Russian (the Russian book's chapter title). Required and not empty, as
    /// every title and hint is: a course.toml without one does not load.
    #[serde(deserialize_with = "text")]
    pub title_ru: String,
    /// The student's crate, relative to the workspace root: `labs/lab1-sync`.
    pub dir: String,
    /// The reference crate: `solutions/lab1-sync`.
    pub solution: String,
    /// Deadline for one check of this lab, unless a task sets its own.
    pub timeout_secs: u64,
    /// What the lab's task files may use without being flagged for the instructor (the
    /// grader's flags: `unsafe`, `libc`, `exit`, …); empty for most labs.
    #[serde(default)]
    pub may_use: Vec<String>,
    /// When the lab is due: an RFC 3339 date with its offset, `2027-03-01T23:59:00+03:00`.
    /// Read by the grader only (`grade --due` overrides it); none: no deadline.
    #[serde(default)]
    pub due: Option<String>,
    /// The tasks, in order.
    #[serde(rename = "task")]
    pub tasks: Vec<Task>,
}

/// One graded task: the unit of points. Its checks live in `mod task_<lab>_<n>` of the
/// lab's check file, so `task_1_3::counts_primes` belongs to task `1.3`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// `1.3`: lab number, dot, task number.
    pub id: String,
    /// A few words: "Count primes".
    #[serde(deserialize_with = "text")]
    pub title: String,
    /// The title in Russian: the Russian book's heading reads `Задание N.K — <title_ru>`.
    /// Required and not empty, as [`Task::hint_ru`] is: a course.toml missing one does not load.
    #[serde(deserialize_with = "text")]
    pub title_ru: String,
    /// The student file that holds the task, relative to the lab dir: `src/workloads.rs`.
    pub file: String,
    /// Points earned when every check of the task passes.
    pub points: u32,
    /// Shown when the task fails: the likely mistake and the next step.
    #[serde(deserialize_with = "text")]
    pub hint: String,
    /// The hint in Russian.
    #[serde(deserialize_with = "text")]
    pub hint_ru: String,
    /// Anchor of the task's section in the lab's chapter.
    pub anchor: String,
    /// Overrides the lab's deadline for this task's checks.
    #[serde(default)]
    pub timeout_secs: Option<u64>,
    /// A written answer the task asks for: the item of `file` (`AtomicCounter`) whose doc
    /// comment holds it. The grader collects it for the instructor to read and score by hand;
    /// no check reads it.
    #[serde(default)]
    pub answer: Option<String>,
}

/// A title or a hint: a text a student reads, so it may be neither missing (serde's own
/// "missing field") nor blank: every text has its English and its Russian, and no reader has
/// to fall back from one to the other.
fn text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    if text.trim().is_empty() {
        return Err(serde::de::Error::custom(
            "this text is empty: write it (every title and hint has its English and its Russian)",
        ));
    }
    Ok(text)
}

impl Course {
    /// The course this build was compiled with (`course.toml` is embedded at build time,
    /// so a lab binary copied elsewhere still knows its tasks).
    pub fn embedded() -> &'static Course {
        static COURSE: OnceLock<Course> = OnceLock::new();
        COURSE.get_or_init(|| {
            Course::parse(include_str!("../../../course.toml"))
                .unwrap_or_else(|e| panic!("course.toml (embedded) is invalid: {e}"))
        })
    }

    /// Parses a `course.toml` text.
    pub fn parse(text: &str) -> Result<Course, toml::de::Error> {
        toml::from_str(text)
    }

    /// Reads and parses `course.toml` from a workspace root.
    pub fn load(root: &Path) -> Result<Course, String> {
        let path = root.join("course.toml");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Course::parse(&text).map_err(|e| format!("{} is invalid: {e}", path.display()))
    }

    /// The lab with this id (`lab1`).
    pub fn lab(&self, id: &str) -> Option<&Lab> {
        self.labs.iter().find(|l| l.id == id)
    }

    /// The task with this id (`1.3`) and its lab.
    pub fn task(&self, id: &str) -> Option<(&Lab, &Task)> {
        self.labs
            .iter()
            .find_map(|lab| lab.tasks.iter().find(|t| t.id == id).map(|t| (lab, t)))
    }

    /// Total points of the course.
    pub fn max_points(&self) -> u32 {
        self.labs.iter().map(Lab::max_points).sum()
    }
}

impl Lab {
    /// The title in `lang`.
    pub fn title_in(&self, lang: Lang) -> &str {
        lang.pick(&self.title, &self.title_ru)
    }

    /// Total points of this lab.
    pub fn max_points(&self) -> u32 {
        self.tasks.iter().map(|t| t.points).sum()
    }

    /// The files a student owns in this lab (relative to the lab dir), each once, in task order.
    /// The grader copies exactly these from a submission and nothing else.
    pub fn student_files(&self) -> Vec<&str> {
        let mut files: Vec<&str> = Vec::new();
        for t in &self.tasks {
            if !files.contains(&t.file.as_str()) {
                files.push(&t.file);
            }
        }
        files
    }

    /// [`Lab::student_files`] from the workspace root: `labs/lab1-sync/src/measure.rs`.
    pub fn student_paths(&self) -> Vec<String> {
        self.student_files()
            .into_iter()
            .map(|f| format!("{}/{f}", self.dir))
            .collect()
    }

    /// The chapter's file in the book: `docs/src/lab1-sync.md` for `labs/lab1-sync`.
    pub fn chapter(&self) -> String {
        format!("docs/src/{}.md", self.dir_name())
    }

    /// The last component of `dir`: `lab1-sync`.
    pub fn dir_name(&self) -> &str {
        self.dir.rsplit('/').next().unwrap_or(&self.dir)
    }

    /// The task with this id.
    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }

    /// The student's file for a task, from the workspace root: `labs/lab1-sync/src/workloads.rs`.
    pub fn task_path(&self, task: &Task) -> PathBuf {
        Path::new(&self.dir).join(&task.file)
    }
}

/// An environment variable that shortens the deadline of some tasks' checks:
/// `LABS_DEADLINE_OVERRIDE="2.5=3,2.7=3"`. The self-test sets it for a known-wrong variant
/// that is expected to hang (a deadlock, a missing EOF): its checks would wait out their
/// whole deadline only to time out, as they do in 3 s.
pub const DEADLINE_OVERRIDE: &str = "LABS_DEADLINE_OVERRIDE";

/// The seconds `value` (of [`DEADLINE_OVERRIDE`]) gives task `id`, if any.
fn override_for(value: &str, id: &str) -> Option<u64> {
    value.split(',').find_map(|pair| {
        let (task, secs) = pair.split_once('=')?;
        (task.trim() == id).then(|| secs.trim().parse().ok())?
    })
}

impl Task {
    /// The title in `lang`.
    pub fn title_in(&self, lang: Lang) -> &str {
        lang.pick(&self.title, &self.title_ru)
    }

    /// The hint in `lang`.
    pub fn hint_in(&self, lang: Lang) -> &str {
        lang.pick(&self.hint, &self.hint_ru)
    }

    /// The deadline of one check of this task: course.toml's, unless [`DEADLINE_OVERRIDE`]
    /// names this task.
    pub fn timeout(&self, lab: &Lab) -> Duration {
        let secs = std::env::var(DEADLINE_OVERRIDE)
            .ok()
            .and_then(|v| override_for(&v, &self.id))
            .unwrap_or(self.timeout_secs.unwrap_or(lab.timeout_secs));
        Duration::from_secs(secs)
    }

    /// The module of the lab's check file that holds this task's checks: `task_1_3`.
    pub fn check_module(&self) -> String {
        format!("task_{}", self.id.replace('.', "_"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_override_names_its_tasks() {
        assert_eq!(override_for("2.5=3,2.7=4", "2.7"), Some(4));
        assert_eq!(override_for("2.5=3", "2.50"), None);
        assert_eq!(override_for("2.5=x", "2.5"), None);
        assert_eq!(override_for("", "2.5"), None);
    }

    #[test]
    fn the_embedded_course_is_consistent() {
        let course = Course::embedded();
        assert!(!course.labs.is_empty());
        for (n, lab) in course.labs.iter().enumerate() {
            assert_eq!(
                lab.id,
                format!("lab{}", n + 1),
                "labs are numbered in order"
            );
            assert!(!lab.tasks.is_empty(), "{} has no tasks", lab.id);
            for (k, task) in lab.tasks.iter().enumerate() {
                assert_eq!(
                    task.id,
                    format!("{}.{}", n + 1, k + 1),
                    "tasks are numbered in order"
                );
                assert!(task.points > 0, "task {} earns no points", task.id);
                assert!(
                    task.file.starts_with("src/"),
                    "task {} file {}",
                    task.id,
                    task.file
                );
            }
        }
    }

    #[test]
    fn a_missing_or_blank_russian_title_or_hint_is_refused() {
        let text = include_str!("../../../course.toml");
        for key in ["hint_ru", "title_ru"] {
            // The first task's line (a lab's title_ru comes first: skip past its table).
            let task = text.find("[[lab.task]]").unwrap();
            let start = task + text[task..].find(&format!("\n{key} = ")).unwrap() + 1;
            let end = start + text[start..].find('\n').unwrap();
            let without = format!("{}{}", &text[..start], &text[end + 1..]);
            let e = Course::parse(&without).unwrap_err().to_string();
            assert!(e.contains(&format!("missing field `{key}`")), "{e}");
            // Present but blank: refused too, naming the key.
            let line = &text[start..end];
            let blank = format!("{}{key} = \"  \"{}", &text[..start], &text[end..]);
            let e = Course::parse(&blank).unwrap_err().to_string();
            assert!(e.contains("is empty") && e.contains(key), "{line}: {e}");
        }
    }
}
