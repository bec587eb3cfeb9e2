//! Snapshots of demo output: what varies from run to run is replaced by a placeholder.
//!
//! The committed `.snap` files under `checker/tests/snapshots/` were recorded from the
//! reference solution; the student's output must match them after these filters. Students
//! never accept snapshots (`INSTA_UPDATE=no` in `.cargo/config.toml`): a mismatch shows a
//! diff of what the demo printed against what it should print.

use model::tr;
use std::process::Command;
use std::time::Duration;

/// insta settings with the course's filters: durations, ratios, speed-ups, ports, pids.
pub fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    for (pattern, replacement) in FILTERS {
        s.add_filter(pattern, *replacement);
    }
    s
}

/// The filters, in the order they apply. Placeholders hold no digits, so a later filter
/// never rewrites an earlier placeholder; tables are compared without their padding, since
/// the width of a column depends on the figures in it.
pub const FILTERS: &[(&str, &str)] = &[
    (r"\b127\.0\.0\.1:\d+", "[addr]"),
    (r"\bpid \d+", "pid [pid]"),
    (r"\b\d+(\.\d+)? ?(ns|µs|us|ms|s)\b", "[time]"),
    (r"\b\d+(\.\d+)?×", "[×]"),
    (r"\b\d+\.\d\d\b", "[ratio]"),
    (r"─{3,}", "───"),
    (r"([^ \n]) {2,}", "$1  "),
];

/// The section of a demo's output whose heading (`── … ──`) contains `heading`, heading
/// included, up to the next section. Each task snapshots its own section, so that a mistake
/// in one task changes the snapshot of that task only.
pub fn section(output: &str, heading: &str) -> String {
    let mut lines = output
        .lines()
        .skip_while(|l| !(l.starts_with("── ") && l.contains(heading)));
    let Some(first) = lines.next() else {
        return tr!(
            en: "(the demo printed no section headed {heading:?})",
            ru: "(демонстрация не вывела раздела с заголовком {heading:?})"
        );
    };
    let rest: Vec<&str> = lines.take_while(|l| !l.starts_with("── ")).collect();
    let body = rest.join("\n");
    format!("{first}\n{}", body.trim_end())
}

/// The `run-lab` binary built with the same features as this check.
///
/// `env!("CARGO_BIN_EXE_run-lab")` names `target/debug/run-lab`, one file that every build
/// of the checker overwrites: the labs/ and solutions/ builds, one lab or all. Two builds
/// at the same time (a watch and a test run) could make a check run the other variant's
/// demo. Cargo also keeps each variant's own copy, `target/debug/deps/run_lab-<hash>`, which
/// no other variant touches: this picks the one whose `--variant` matches ours (once per
/// process), and falls back to `bin` if none does.
pub fn run_lab_path(bin: &str) -> std::path::PathBuf {
    use std::sync::OnceLock;
    static FOUND: OnceLock<std::path::PathBuf> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let wanted = crate::variant();
            let fallback = std::path::PathBuf::from(bin);
            let deps = fallback
                .parent()
                .map(|d| d.join("deps"))
                .unwrap_or_default();
            let mut candidates: Vec<(std::time::SystemTime, std::path::PathBuf)> =
                std::fs::read_dir(&deps)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .filter(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        name.starts_with("run_lab-") && !name.contains('.')
                    })
                    .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
                    .collect();
            candidates.sort_by_key(|c| std::cmp::Reverse(c.0)); // newest first
            candidates
                .into_iter()
                .map(|(_, path)| path)
                .find(|path| {
                    Command::new(path)
                        .arg("--variant")
                        .output()
                        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == wanted)
                })
                .unwrap_or(fallback)
        })
        .clone()
}

/// Runs the checker's `run-lab` binary (pass `env!("CARGO_BIN_EXE_run-lab")`) with `args`,
/// Python switched off and in English, and returns what it printed. Panics with its stderr
/// if it fails or runs longer than `deadline`.
///
/// The snapshots are the demos' English output, so the demo always runs with
/// `COURSE_LANG=en`, whatever the student's language: a Russian-speaking student reads the
/// verdict and the diff in Russian, while the demo text they compare is English. (A Lab 3
/// scenario's report is data the check reads, in English too; the check's own message is
/// in the student's language.)
pub fn run_lab(bin: &str, args: &[&str], deadline: Duration) -> String {
    let bin = run_lab_path(bin);
    let output = assert_cmd::Command::from_std({
        let mut c = Command::new(&bin);
        c.args(args)
            .env("LABS_PYTHON", "off")
            .env(model::lang::COURSE_LANG, "en");
        c
    })
    .timeout(deadline)
    .output()
    .unwrap_or_else(|e| {
        let bin = bin.display();
        panic!(
            "{}",
            tr!(en: "cannot run {bin}: {e}", ru: "не удалось запустить {bin}: {e}")
        )
    });
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let (args, status) = (args.join(" "), output.status);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        status.success(),
        "{}",
        tr!(
            en: "`run-lab {args}` failed ({status}).\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
            ru: "`run-lab {args}` завершился с ошибкой ({status}).\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
        )
    );
    stdout
}

/// A task's part of its lab's demo, compared with its snapshot `labN_demo_task_N_K`.
///
/// The demo runs alone for the task, in quick mode with Python off (`run-lab labN --quick
/// --only N.K`): another task's hang cannot delay it, and a mistake in one task changes
/// that task's snapshot only. By default the part is the section headed `Task N.K`, the
/// demo has 60 s, and only [`FILTERS`] apply; the methods change that, e.g.
/// `DemoPart::new(RUN_LAB, "2.5").filters(&[(r"at most \d+", "at most [k]")]).assert_matches()`.
pub struct DemoPart<'a> {
    run_lab: &'a str,
    task: &'a str,
    /// The sections shown, in this order; `None`: all that the demo printed.
    headings: Option<Vec<String>>,
    filters: Vec<(&'a str, &'a str)>,
    deadline: Duration,
}

impl<'a> DemoPart<'a> {
    /// Task `task` (`"2.5"`) of the demo that `run_lab` runs (the checker's `run-lab`).
    pub fn new(run_lab: &'a str, task: &'a str) -> DemoPart<'a> {
        DemoPart {
            run_lab,
            task,
            headings: Some(vec![format!("Task {task}")]),
            filters: Vec::new(),
            deadline: Duration::from_secs(60),
        }
    }

    /// The sections whose headings contain these, one after the other, instead of `Task N.K`.
    pub fn sections(mut self, headings: &[&str]) -> Self {
        self.headings = Some(headings.iter().map(|h| h.to_string()).collect());
        self
    }

    /// All that the demo printed, not a section of it.
    pub fn whole(mut self) -> Self {
        self.headings = None;
        self
    }

    /// Filters applied after [`FILTERS`], in this order (added to those given before).
    pub fn filters(mut self, filters: &[(&'a str, &'a str)]) -> Self {
        self.filters.extend_from_slice(filters);
        self
    }

    /// How long the demo may run before the check fails (60 s by default).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Runs the demo and asserts that its part matches the snapshot (see [`assert_matches`]).
    pub fn assert_matches(self) {
        let lab = format!("lab{}", self.task.split('.').next().unwrap_or_default());
        let args = [lab.as_str(), "--quick", "--only", self.task];
        let out = run_lab(self.run_lab, &args, self.deadline);
        let shown = match &self.headings {
            Some(headings) => headings
                .iter()
                .map(|h| section(&out, h))
                .collect::<Vec<_>>()
                .join("\n"),
            None => out,
        };
        let name = format!("{lab}_demo_task_{}", self.task.replace('.', "_"));
        assert_matches(&name, &shown, &self.filters);
    }
}

/// Starts the message of a check whose demo output differs from its snapshot (the course
/// tool reads it to give the verdict "output differs"; shared with it).
pub use model::marker::OUTPUT_DIFFERS;

/// The folder of the committed expected outputs.
fn snapshot_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

/// Asserts that `actual` (a demo's output), once [`FILTERS`] and then `extra` are applied,
/// equals the committed snapshot `checker/tests/snapshots/<name>.snap`.
///
/// A mismatch fails with a message in the course's words: what was expected, what the
/// student's code printed, and a line diff. insta itself is used only to record a snapshot
/// (a maintainer's `INSTA_UPDATE=always`, or a snapshot that does not exist yet), so its
/// instructions for accepting snapshots never reach a student, who must never accept one.
pub fn assert_matches(name: &str, actual: &str, extra: &[(&str, &str)]) {
    compare(name, actual, FILTERS, extra);
}

/// Like [`assert_matches`], with no filter at all: for output that virtual time makes the
/// same on every run and every machine (timelines, event logs).
pub fn assert_matches_exactly(name: &str, actual: &str) {
    compare(name, actual, &[], &[]);
}

fn compare(name: &str, actual: &str, base: &[(&str, &str)], extra: &[(&str, &str)]) {
    let path = snapshot_dir().join(format!("{name}.snap"));
    let recording = std::env::var("INSTA_UPDATE").is_ok_and(|v| v == "always" || v == "new");
    if recording || !path.exists() {
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        for (pattern, replacement) in base.iter().chain(extra) {
            settings.add_filter(pattern, *replacement);
        }
        settings.bind(|| insta::assert_snapshot!(name, actual));
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        let path = path.display();
        panic!(
            "{}",
            tr!(
                en: "cannot read the expected output {path}: {e}",
                ru: "не удалось прочитать ожидаемый вывод {path}: {e}"
            )
        )
    });
    let expected = normalise(snap_body(&stored));
    let mut yours = actual.to_owned();
    for (pattern, replacement) in base.iter().chain(extra) {
        let re = regex::Regex::new(pattern).unwrap_or_else(|e| {
            panic!(
                "{}",
                tr!(
                    en: "bad snapshot filter {pattern:?}: {e}",
                    ru: "неверный фильтр снимка {pattern:?}: {e}"
                )
            )
        });
        yours = re.replace_all(&yours, *replacement).into_owned();
    }
    let yours = normalise(&yours);
    if yours == expected {
        return;
    }
    panic!("{}", mismatch_message(name, &expected, &yours));
}

/// The body of a `.snap` file: what follows its `---` header.
fn snap_body(stored: &str) -> &str {
    let mut rest = stored;
    if let Some(after) = rest.strip_prefix("---\n") {
        rest = after.split_once("\n---\n").map_or(after, |(_, body)| body);
    }
    rest
}

/// Line endings and trailing blank space do not count (as in insta).
fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n").trim_end().to_owned()
}

/// Lines of diff shown at most; a longer diff is cut with a count.
const MAX_DIFF_LINES: usize = 40;

/// "Your demo printed something else", with a line diff: `-` expected, `+` yours.
fn mismatch_message(name: &str, expected: &str, yours: &str) -> String {
    let diff = similar::TextDiff::from_lines(expected, yours);
    let mut lines = Vec::new();
    for group in diff.grouped_ops(2) {
        if !lines.is_empty() {
            lines.push("   …".to_owned());
        }
        for op in group {
            for change in diff.iter_changes(&op) {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                lines.push(format!(" {sign} {}", change.value().trim_end_matches('\n')));
            }
        }
    }
    let more = lines.len().saturating_sub(MAX_DIFF_LINES);
    lines.truncate(MAX_DIFF_LINES);
    if more > 0 {
        lines.push(tr!(
            en: "   … and {more} more lines of difference",
            ru: "   … и ещё строк с отличиями: {more}"
        ));
    }
    let diff = lines.join("\n");
    let text = tr!(
        en: "the demo printed something other than the expected output.\n\
             Lines marked - were expected, lines marked + are what your code printed \
             (times, ratios, ports and pids are masked as [time], [ratio], [addr], [pid]):\n\
             {diff}\n\
             Run the demo to see it whole. The expected output ({name}) is the reference \
             solution's: change your code, never the expected output.",
        ru: "демонстрация вывела не то, что ожидалось.\n\
             Строки с - ожидались, строки с + вывел ваш код \
             (время, отношения, порты и pid заменены на `[time]`, `[ratio]`, `[addr]`, `[pid]`):\n\
             {diff}\n\
             Запустите демонстрацию, чтобы увидеть вывод целиком. Ожидаемый вывод ({name}) \
             получен от эталонного решения: меняйте свой код, а не ожидаемый вывод."
    );
    format!("{OUTPUT_DIFFERS} {text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_runs_to_the_next_heading() {
        let out = "Title\n\n── Task 1.3: a ──\n  x\n\n── Task 1.4: b ──\n  y\n";
        assert_eq!(section(out, "Task 1.3"), "── Task 1.3: a ──\n  x");
        assert_eq!(section(out, "Task 1.4"), "── Task 1.4: b ──\n  y");
        assert!(!section(out, "Task 9").contains("──"));
    }

    #[test]
    fn a_mismatch_is_a_line_diff_in_the_course_words() {
        let stored =
            "---\nsource: checker/tests/lab1.rs\n---\n── Task 1.3: a ──\n  x = 1\n  y = 2\n";
        let expected = normalise(snap_body(stored));
        assert_eq!(expected, "── Task 1.3: a ──\n  x = 1\n  y = 2");
        let message = mismatch_message(
            "lab1_demo_task_1_3",
            &expected,
            "── Task 1.3: a ──\n  x = 7\n  y = 2",
        );
        assert!(message.contains(" -   x = 1\n +   x = 7"), "{message}");
        assert!(!message.contains("insta"), "{message}");
    }
}
