//! `cargo selftest`: the maintainer's proof that the course is sound.
//!
//! It runs the unit and integration tests of the tools themselves (`cargo test --workspace
//! --exclude checker`: the kit, the model, the course tool, the grader) on a thread of their
//! own, beside the labs, and reports them after the last lab. For every lab, it proves, in
//! this order:
//! 1. **the course is whole**: course.toml names files that exist in labs/ and solutions/,
//!    the chapter has a heading for every task, the lab has a Python mirror, and every task
//!    has at least three known-wrong fixtures and one correct alternative (`full`); every
//!    check the chapter's "How it is checked" paragraphs name exists (a test function of the
//!    lab's checks, or a snapshot);
//! 2. **checks and tasks agree, both ways**: every check belongs to a task, every task has a
//!    check (hidden checks, `hidden::task_N_K::…`, map to tasks like public ones);
//! 3. **the solution earns full marks** (which also proves the snapshots current: they are
//!    compared, never rewritten);
//! 4. **the untouched skeleton earns zero, and nothing hangs**; its demo runs and exits 0;
//! 5. **every fixture loses exactly its task's points**, with the verdict it declares.
//!
//! It ends with one line `selftest: N passed, M failed`.

mod chapter_checks;
mod fixture_runs;
mod solution;
#[cfg(test)]
mod tests;
mod whole;

use crate::run::{self, Options};
use model::course::Course;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What the self-test should cover.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Labs to test (all when empty).
    pub labs: Vec<String>,
    /// Skip the fixtures (the slowest part).
    pub no_fixtures: bool,
    /// Run only the fixtures whose name contains one of these (all when empty).
    pub fixture_filter: Vec<String>,
    /// Skip the tools' own tests (kit, model, supervise, course).
    pub no_tool_tests: bool,
    /// How many times the solution's checks and each fixture's checks run (one build each);
    /// 0 counts as 1. Every run must give the same verdict: a check that does not is flaky.
    pub repeat: u32,
}

/// Counts results and prints each as it comes.
#[derive(Debug, Default)]
struct Ledger {
    passed: usize,
    failed: Vec<String>,
}

impl Ledger {
    fn ok(&mut self, what: impl AsRef<str>) {
        println!("  ✓ {}", what.as_ref());
        self.passed += 1;
    }

    fn fail(&mut self, what: impl AsRef<str>, why: impl AsRef<str>) {
        let why = why
            .as_ref()
            .lines()
            .map(|l| format!("      {l}"))
            .collect::<Vec<_>>()
            .join("\n");
        println!("  ✗ {}\n{why}", what.as_ref());
        self.failed.push(what.as_ref().to_owned());
    }

    fn expect(&mut self, ok: bool, what: impl AsRef<str>, why: impl FnOnce() -> String) {
        if ok {
            self.ok(what)
        } else {
            self.fail(what, why())
        }
    }
}

/// Runs the self-test; `Ok(true)` when everything passed.
pub fn run(root: &Path, plan: &Plan) -> anyhow::Result<bool> {
    let course = Course::load(root).map_err(anyhow::Error::msg)?;
    let labs = run::select(&course, &plan.labs)?;
    let t0 = Instant::now();
    let mut ledger = Ledger::default();
    stray_snapshots(root, &mut ledger);
    // The tools' tests and the labs' proofs share nothing but the machine: the tools' tests
    // (graders confined to their own scratch folders under target/course-tests) run on a
    // thread beside the labs (scratch copies under target/selftest). Both spend most of their
    // time waiting on checks, so together they take little more than the longer of the two.
    // Cargo's lock on target/ only makes their builds take turns.
    let tools = (!plan.no_tool_tests).then(|| {
        println!(
            "\nThe tools' own tests (cargo test --workspace --exclude checker) run beside the \
             labs; their result comes after the last lab."
        );
        let root = root.to_path_buf();
        std::thread::spawn(move || tool_tests(&root))
    });
    // The fixtures' dependencies, compiled while the tools' tests compile theirs: the tools'
    // grading tests start from a copy of them (taken under cargo's lock, so after this build).
    if !plan.no_fixtures
        && let Some(first) = labs.first()
    {
        fixture_runs::prepare(root, first)?;
    }
    for lab in labs {
        let started = Instant::now();
        println!("\n{} ({})", lab.title, lab.id);
        whole::whole(root, lab, &mut ledger);
        chapter_checks::chapter_checks(root, lab, &mut ledger);
        whole::parity(root, lab, &mut ledger);
        let mut opts = Options::new(root);
        opts.solutions = true;
        let solved = run::check_lab(&opts, lab);
        solution::agree(lab, &solved, &mut ledger);
        solution::full_marks(lab, &solved, &mut ledger);
        if plan.repeat > 1 {
            solution::full_marks_again(&opts, lab, plan.repeat, &mut ledger);
        }
        opts.solutions = false;
        solution::skeleton(&opts, lab, &mut ledger);
        if !plan.no_fixtures {
            fixture_runs::fixtures(root, lab, plan, &mut ledger)?;
        }
        // Where the self-test's time goes, lab by lab (CI's budget is the sum).
        println!("  {} took {:.0} s", lab.id, started.elapsed().as_secs_f64());
    }
    if let Some(tools) = tools {
        println!("\nThe tools' own tests");
        match tools.join() {
            Ok(ToolTests { ok, what, why }) => ledger.expect(ok, what, || why),
            Err(_) => ledger.fail(
                "tools: unit and integration tests",
                "the thread running them panicked",
            ),
        }
    }
    println!("\nselftest took {:.0} s", t0.elapsed().as_secs_f64());
    if !ledger.failed.is_empty() {
        println!("failed:");
        for f in &ledger.failed {
            println!("  - {f}");
        }
    }
    println!(
        "selftest: {} passed, {} failed",
        ledger.passed,
        ledger.failed.len()
    );
    Ok(ledger.failed.is_empty())
}

fn stray_snapshots(root: &Path, ledger: &mut Ledger) {
    let dir = root.join("checker/tests/snapshots");
    let stray: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".snap.new") || n.ends_with(".pending-snap"))
                .collect()
        })
        .unwrap_or_default();
    ledger.expect(
        stray.is_empty(),
        "no unreviewed snapshots in checker/tests/snapshots",
        || format!("review and delete: {}", stray.join(", ")),
    );
}

/// How the tools' own tests went: the ledger's line and, on failure, why.
struct ToolTests {
    ok: bool,
    what: String,
    why: String,
}

/// The tests of everything that is not a lab: kit, model, supervise, course tool, grader. (The
/// checker's own tests are the labs' checks: they are run lab by lab, never all at once.)
fn tool_tests(root: &Path) -> ToolTests {
    let started = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(root)
        .args([
            "test",
            "--workspace",
            "--exclude",
            "checker",
            // Every test binary runs, even after one fails: a failure must not hide others.
            "--no-fail-fast",
            "--color=never",
        ])
        .env("LABS_PYTHON", "off")
        // The tools' tests read their English texts (and ask for Russian where they test it).
        .env(model::lang::COURSE_LANG, "en")
        .stdin(Stdio::null())
        .output();
    match output {
        Ok(out) => {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let passed: usize = text
                .lines()
                .filter_map(|l| l.strip_prefix("test result: "))
                .filter_map(|l| {
                    l.split(". ")
                        .nth(1)?
                        .split(' ')
                        .next()?
                        .parse::<usize>()
                        .ok()
                })
                .sum();
            ToolTests {
                ok: out.status.success(),
                what: format!(
                    "tools: {passed} unit and integration tests pass [{:.0} s]",
                    started.elapsed().as_secs_f64()
                ),
                why: if out.status.success() {
                    String::new()
                } else {
                    failures_of(&text)
                },
            }
        }
        Err(e) => ToolTests {
            ok: false,
            what: "tools: unit and integration tests".to_owned(),
            why: format!("cannot run cargo: {e}"),
        },
    }
}

/// The checks of `checks` that did not pass, a line each: the name, the verdict in words
/// between `open` and `close`, a colon and the message's first line.
fn failing_checks<'a>(
    checks: impl IntoIterator<Item = &'a run::CheckOutcome>,
    (open, close): (&str, &str),
) -> Vec<String> {
    checks
        .into_iter()
        .filter(|c| c.verdict != run::Verdict::Pass)
        .map(|c| {
            format!(
                "{}{open}{}{close}: {}",
                c.name,
                c.verdict.describe(),
                first_line(&c.message)
            )
        })
        .collect()
}

fn first_line(s: &str) -> &str {
    s.lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with("thread '"))
        .unwrap_or("")
}

/// What a failing `cargo test` run has to say: each failed test's own output (its assertion
/// message, without the backtrace), the binaries that failed and any compile error, instead
/// of the run's last lines (which are backtrace frames and summaries).
fn failures_of(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_block = false;
    let mut block_lines = 0;
    for line in text.lines() {
        if line.starts_with("---- ") && line.ends_with(" stdout ----") {
            in_block = true;
            block_lines = 0;
            out.push(line.to_owned());
            continue;
        }
        if in_block {
            let frame = line.starts_with("stack backtrace:")
                || line.trim_start().starts_with("at ")
                || line
                    .trim_start()
                    .split_once(": ")
                    .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()));
            if line == "failures:" || line.starts_with("---- ") {
                in_block = false;
            } else if !frame && block_lines < 30 {
                out.push(format!("  {line}"));
                block_lines += 1;
                continue;
            } else {
                continue;
            }
        }
        if line.starts_with("error") || line.contains("test result: FAILED") {
            out.push(line.to_owned());
        }
    }
    if out.is_empty() {
        last_lines(text, 40)
    } else {
        out.join("\n")
    }
}

fn last_lines(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Runs a command with stdout captured and a deadline (the one supervised-process layer,
/// `supervise`: the command's whole process group goes at the deadline);
/// `(exited 0, stdout)`.
fn run_with_deadline(cmd: &mut Command, deadline: Duration) -> Result<(bool, String), String> {
    use supervise::{self, Spec, Stream};
    let mut spec = Spec::capture(Some(deadline), 16 << 20);
    spec.stderr = Stream::Null;
    let finished = supervise::run(
        cmd.env("LABS_PYTHON", "off"),
        &spec,
        &mut supervise::Descendants::default(),
    )
    .map_err(|e| format!("cannot start: {e}"))?;
    match finished.status {
        Some(status) => Ok((
            status.success(),
            String::from_utf8_lossy(&finished.stdout).into_owned(),
        )),
        None => Err(format!(
            "still running after {} s: killed",
            deadline.as_secs()
        )),
    }
}
