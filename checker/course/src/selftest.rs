//! `cargo selftest`: the maintainer's proof that the course is sound.
//!
//! First it runs the unit and integration tests of the tools themselves (`cargo test
//! --workspace --exclude checker`: the kit, the model, the course tool, the grader). Then, for every
//! lab, it proves, in this order:
//! 1. **the course is whole**: course.toml names files that exist in labs/ and solutions/,
//!    the chapter has a heading for every task, the lab has a Python mirror, and every task
//!    has at least three known-wrong fixtures and one correct alternative (`full`);
//! 2. **checks and tasks agree, both ways**: every check belongs to a task, every task has a
//!    check (hidden checks, `hidden::task_N_K::…`, map to tasks like public ones);
//! 3. **the solution earns full marks** (which also proves the snapshots current: they are
//!    compared, never rewritten);
//! 4. **the untouched skeleton earns zero, and nothing hangs**; its demo runs and exits 0;
//! 5. **every fixture loses exactly its task's points**, with the verdict it declares.
//!
//! It ends with one line `selftest: N passed, M failed`.

use crate::fixtures::{self, FULL, Fixture};
use crate::run::{self, LabOutcome, Options, Verdict};
use crate::tree;
use model::course::{Course, DEADLINE_OVERRIDE, Lab};
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
    if !plan.no_tool_tests {
        tool_tests(root, &mut ledger);
    }
    for lab in labs {
        println!("\n{} ({})", lab.title, lab.id);
        whole(root, lab, &mut ledger);
        parity(root, lab, &mut ledger);
        let mut opts = Options::new(root);
        opts.solutions = true;
        let solved = run::check_lab(&opts, lab);
        agree(lab, &solved, &mut ledger);
        full_marks(lab, &solved, &mut ledger);
        if plan.repeat > 1 {
            full_marks_again(&opts, lab, plan.repeat, &mut ledger);
        }
        opts.solutions = false;
        skeleton(&opts, lab, &mut ledger);
        if !plan.no_fixtures {
            fixtures(root, lab, plan, &mut ledger)?;
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

/// The tests of everything that is not a lab: kit, model, supervise, course tool, grader. (The checker's own
/// tests are the labs' checks: they are run lab by lab below, never all at once.)
fn tool_tests(root: &Path, ledger: &mut Ledger) {
    println!("\nThe tools' own tests (cargo test --workspace --exclude checker)");
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
            let what = format!("tools: {passed} unit and integration tests pass");
            ledger.expect(out.status.success(), what, || failures_of(&text));
        }
        Err(e) => ledger.fail(
            "tools: unit and integration tests",
            format!("cannot run cargo: {e}"),
        ),
    }
}

/// Known-wrong fixtures every task needs (distinct mistakes the checks must catch).
const MIN_WRONG: usize = 3;
/// Correct alternatives (`verdict = "full"`) every task needs.
const MIN_FULL: usize = 1;

/// 1. Every file course.toml promises is there.
fn whole(root: &Path, lab: &Lab, ledger: &mut Ledger) {
    let mut missing = Vec::new();
    for file in lab.student_files() {
        for side in [&lab.dir, &lab.solution] {
            let path = Path::new(side).join(file);
            if !root.join(&path).is_file() {
                missing.push(path.display().to_string());
            }
        }
    }
    let chapter = std::fs::read_to_string(root.join(lab.chapter())).unwrap_or_default();
    for task in &lab.tasks {
        if !chapter.contains(&format!("{{#{}}}", task.anchor)) {
            missing.push(format!(
                "{} heading {{#{}}} (task {})",
                lab.chapter(),
                task.anchor,
                task.id
            ));
        }
    }
    let python = root.join(&lab.dir).join("python");
    let has_python = std::fs::read_dir(&python).is_ok_and(|mut d| {
        d.any(|e| e.is_ok_and(|e| e.path().extension().is_some_and(|x| x == "py")))
    });
    if !has_python {
        missing.push(format!("{}/python/*.py (the Python mirror)", lab.dir));
    }
    match fixtures::load(root, lab) {
        Ok(list) => {
            // Every task: at least MIN_WRONG known-wrong variants (each a distinct mistake)
            // and MIN_FULL correct alternatives that must keep full marks.
            for task in &lab.tasks {
                let mine = list.iter().filter(|f| f.task == task.id);
                let full = mine.clone().filter(|f| f.correct_alternative()).count();
                let wrong = mine.count() - full;
                if wrong < MIN_WRONG {
                    missing.push(format!(
                        "{} more known-wrong fixture(s) for task {} in checker/fixtures/{}.toml \
                         (it has {wrong}, a task needs {MIN_WRONG})",
                        MIN_WRONG - wrong,
                        task.id,
                        lab.id
                    ));
                }
                if full < MIN_FULL {
                    missing.push(format!(
                        "a correct alternative (verdict = \"{FULL}\") for task {} in checker/fixtures/{}.toml",
                        task.id, lab.id
                    ));
                }
            }
        }
        Err(e) => missing.push(format!("{e:#}")),
    }
    ledger.expect(
        missing.is_empty(),
        format!(
            "{}: files, chapter headings, Python mirror and fixtures exist",
            lab.id
        ),
        || format!("missing:\n{}", missing.join("\n")),
    );
}

/// 1b. A lab with a parity suite (`<solution>/src/bin/<lab>-parity.rs`, today Lab 5): its
/// scenarios give, in Python and on the reference solution, the logs they claim (the same,
/// or a difference with its reason), and the chapter's generated appendix is the fresh
/// output. Without python3 the runner says so and this step is one note, not a failure.
fn parity(root: &Path, lab: &Lab, ledger: &mut Ledger) {
    let bin = format!("{}-parity", lab.id);
    let source = root.join(&lab.solution).join(format!("src/bin/{bin}.rs"));
    if !source.is_file() {
        return;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest = root.join(&lab.solution).join("Cargo.toml");
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .args(["run", "-q", "--bin", &bin, "--manifest-path"]);
    cmd.arg(&manifest);
    let what = format!(
        "{}: parity suite (asyncio vs the reference), appendix current",
        lab.id
    );
    match run_with_deadline(&mut cmd, Duration::from_secs(600)) {
        Ok((_, out)) if out.lines().any(|l| l.starts_with("parity: skipped")) => {
            println!("  · note: {}", first_line(&out));
        }
        Ok((ok, out)) => {
            let summary = out.lines().next().unwrap_or("").to_owned();
            ledger.expect(ok, format!("{what}: {summary}"), || last_lines(&out, 60));
        }
        Err(e) => ledger.fail(what, e),
    }
}

/// 2. Checks and tasks agree both ways.
fn agree(lab: &Lab, solved: &LabOutcome, ledger: &mut Ledger) {
    if solved.failure.is_some() {
        return; // reported by full_marks
    }
    ledger.expect(
        solved.orphan_checks.is_empty(),
        format!("{}: every check belongs to a task", lab.id),
        || {
            format!(
                "checks outside any `mod task_N_K` of a task in course.toml: {}",
                solved.orphan_checks.join(", ")
            )
        },
    );
    let empty: Vec<&str> = solved
        .tasks
        .iter()
        .filter(|t| t.checks.is_empty())
        .map(|t| t.id.as_str())
        .collect();
    ledger.expect(
        empty.is_empty(),
        format!("{}: every task has checks", lab.id),
        || format!("tasks with no check: {}", empty.join(", ")),
    );
}

/// 3. The solution earns full marks.
fn full_marks(lab: &Lab, solved: &LabOutcome, ledger: &mut Ledger) {
    let what = format!(
        "{}: the solution earns {}/{}",
        lab.id,
        solved.points(),
        solved.points()
    );
    if let Some((verdict, message)) = &solved.failure {
        return ledger.fail(what, format!("{}:\n{message}", verdict.describe()));
    }
    let failing: Vec<String> = solved
        .tasks
        .iter()
        .flat_map(|t| &t.checks)
        .filter(|c| c.verdict != Verdict::Pass)
        .map(|c| format!("{} — {}\n{}", c.name, c.verdict.describe(), c.message))
        .collect();
    ledger.expect(
        failing.is_empty() && solved.earned() == solved.points(),
        what,
        || failing.join("\n"),
    );
}

/// 3b. With `--repeat N`: the solution's checks run N times in all (the build is reused), and
/// every run earns full marks. A check that fails once in N runs on a correct solution would
/// take points from a correct student: it is flaky, whatever the reason.
fn full_marks_again(opts: &Options, lab: &Lab, repeat: u32, ledger: &mut Ledger) {
    let mut failures = Vec::new();
    for run in 2..=repeat {
        let again = run::check_lab(opts, lab);
        let failing: Vec<String> = match &again.failure {
            Some((verdict, message)) => {
                vec![format!("{}: {}", verdict.describe(), first_line(message))]
            }
            None => again
                .tasks
                .iter()
                .flat_map(|t| &t.checks)
                .filter(|c| c.verdict != Verdict::Pass)
                .map(|c| {
                    format!(
                        "{} — {}: {}",
                        c.name,
                        c.verdict.describe(),
                        first_line(&c.message)
                    )
                })
                .collect(),
        };
        if !failing.is_empty() {
            failures.push(format!("run {run}: {}", failing.join("; ")));
        }
    }
    ledger.expect(
        failures.is_empty(),
        format!(
            "{}: the solution earns full marks in {} of {repeat} runs",
            lab.id,
            repeat as usize - failures.len()
        ),
        || failures.join("\n"),
    );
}

/// 4. The skeleton earns zero, nothing hangs, and its demo runs.
fn skeleton(opts: &Options, lab: &Lab, ledger: &mut Ledger) {
    let built = match run::build(opts, lab) {
        Ok(b) => b,
        Err((verdict, message)) => {
            return ledger.fail(
                format!("{}: the skeleton compiles", lab.id),
                format!("{}:\n{message}", verdict.describe()),
            );
        }
    };
    ledger.ok(format!("{}: the skeleton compiles", lab.id));
    let outcome = run::score(lab, run::run_built(opts, lab, &built).unwrap_or_default());
    let hung: Vec<&str> = outcome
        .tasks
        .iter()
        .flat_map(|t| &t.checks)
        .filter(|c| {
            matches!(
                c.verdict,
                Verdict::TimedOut | Verdict::Crashed | Verdict::Signal | Verdict::GraderError
            )
        })
        .map(|c| c.name.as_str())
        .collect();
    ledger.expect(
        outcome.earned() == 0,
        format!("{}: the skeleton earns 0", lab.id),
        || {
            let passing: Vec<&str> = outcome
                .tasks
                .iter()
                .filter(|t| t.earned > 0)
                .map(|t| t.id.as_str())
                .collect();
            format!(
                "tasks passing without any student code: {}",
                passing.join(", ")
            )
        },
    );
    ledger.expect(
        hung.is_empty(),
        format!("{}: no skeleton check hangs or crashes", lab.id),
        || hung.join(", "),
    );
    let Some(run_lab) = built.run_lab else {
        return ledger.fail(
            format!("{}: the skeleton's demo runs", lab.id),
            "cargo built no run-lab binary",
        );
    };
    let t0 = Instant::now();
    let demo = run_with_deadline(
        Command::new(run_lab).args([lab.id.as_str(), "--quick"]),
        Duration::from_secs(120),
    );
    let what = format!(
        "{}: the skeleton's demo exits 0 with not-implemented notes",
        lab.id
    );
    match demo {
        Ok((true, out)) if out.contains("not implemented yet") => {
            ledger.ok(format!("{what} ({:.1} s)", t0.elapsed().as_secs_f64()))
        }
        Ok((ok, out)) => ledger.fail(what, format!("exit ok: {ok}\n{}", last_lines(&out, 15))),
        Err(e) => ledger.fail(what, e),
    }
}

/// The deadline, in seconds, of the checks of a fixture expected to hang.
const FIXTURE_HANG_SECS: u64 = 3;

/// 5. Every fixture loses exactly its task.
fn fixtures(root: &Path, lab: &Lab, plan: &Plan, ledger: &mut Ledger) -> anyhow::Result<()> {
    let filter = &plan.fixture_filter;
    let list: Vec<Fixture> = fixtures::load(root, lab)?
        .into_iter()
        .filter(|f| filter.is_empty() || filter.iter().any(|p| f.name.contains(p.as_str())))
        .collect();
    if list.is_empty() {
        return Ok(());
    }
    // Two scratch copies of the workspace, each with its own target dir, reused by every
    // fixture: each fixture rewrites only its lab's files, so only that lab is rebuilt. While
    // the checks of one fixture run in one copy, the next fixture is built in the other: the
    // build is CPU work, the checks mostly wait (virtual time, one process at a time), so the
    // two overlap well on two cores.
    let scratch = root.join("target/selftest");
    std::fs::create_dir_all(&scratch)?;
    // Two self-tests at once would write their fixtures into the same scratch workspaces:
    // the second waits for the first.
    let lock = std::fs::File::create(scratch.join(".lock"))?;
    if lock.try_lock().is_err() {
        println!(
            "  (another self-test is using {}: waiting for it)",
            scratch.display()
        );
        lock.lock()?;
    }
    let copies: Vec<Options> = (0..2)
        .map(|k| {
            let mut opts = Options::new(&scratch.join(format!("workspace{k}")));
            opts.target_dir = Some(scratch.join(format!("target{k}")));
            opts.offline = true;
            opts
        })
        .collect();
    // The second copy starts from the first one's compiled dependencies (the same crates).
    let (first, second) = (scratch.join("target0"), scratch.join("target1"));
    if first.exists() && !second.exists() {
        let _ = Command::new("cp")
            .arg("-a")
            .arg(&first)
            .arg(&second)
            .status();
    }
    // The builder sends each built fixture over a rendezvous channel: it can only start the
    // fixture after next in a copy once the checks in that copy are done.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Built>(0);
    std::thread::scope(|s| -> anyhow::Result<()> {
        let builder = s.spawn(|| -> anyhow::Result<()> {
            for (k, fixture) in list.iter().enumerate() {
                let mut opts = copies[k % 2].clone();
                // A variant that hangs times out just the same in 3 s as in 10-20 s.
                if fixture
                    .verdicts()
                    .unwrap_or_default()
                    .contains(&Verdict::TimedOut)
                {
                    let tasks: Vec<String> = std::iter::once(&fixture.task)
                        .chain(&fixture.also)
                        .map(|t| format!("{t}={FIXTURE_HANG_SECS}"))
                        .collect();
                    opts.env
                        .push((DEADLINE_OVERRIDE.to_owned(), tasks.join(",")));
                }
                let t0 = Instant::now();
                let build = match fixtures::overlay(root, lab, fixture) {
                    Ok(overlay) => {
                        tree::sync(root, &opts.root, &overlay)?;
                        Ok(run::build(&opts, lab))
                    }
                    Err(e) => Err(format!("{e:#}")),
                };
                let built = Built {
                    fixture: fixture.clone(),
                    opts,
                    build,
                    t0,
                };
                if tx.send(built).is_err() {
                    break;
                }
            }
            drop(tx);
            Ok(())
        });
        for Built {
            fixture,
            opts,
            build,
            t0,
        } in rx
        {
            let what = if fixture.correct_alternative() {
                format!(
                    "{}: fixture {} (a correct alternative for task {}) keeps full marks",
                    lab.id, fixture.name, fixture.task
                )
            } else {
                format!(
                    "{}: fixture {} loses task {} only ({})",
                    lab.id, fixture.name, fixture.task, fixture.verdict
                )
            };
            let built = match build {
                Err(e) => {
                    ledger.fail(what, e);
                    continue;
                }
                Ok(built) => built,
            };
            // Every run (one, or `--repeat N`) must judge the same: a stress check that
            // catches a race 19 times in 20 lets the 20th student through.
            let repeat = plan.repeat.max(1);
            let mut problems = Vec::new();
            let mut judged_right = 0;
            for run in 1..=repeat {
                let outcome = match &built {
                    Err((verdict, message)) => {
                        run::LabOutcome::failed(lab, *verdict, message.clone())
                    }
                    Ok(built) => match run::run_built(&opts, lab, built) {
                        Ok(outcomes) => run::score(lab, outcomes),
                        Err(message) => run::LabOutcome::failed(lab, Verdict::GraderError, message),
                    },
                };
                let wrong = judge(lab, &fixture, &outcome);
                if wrong.is_empty() {
                    judged_right += 1;
                } else if problems.is_empty() {
                    problems = wrong;
                    if repeat > 1 {
                        problems.insert(0, format!("run {run} of {repeat}:"));
                    }
                }
            }
            let what = if repeat > 1 {
                format!("{what}, {judged_right}/{repeat} runs")
            } else {
                what
            };
            let what = format!("{what} [{:.1} s]", t0.elapsed().as_secs_f64());
            ledger.expect(problems.is_empty(), what, || {
                format!(
                    "{}\nwhy this fixture exists: {}",
                    problems.join("\n"),
                    fixture.why
                )
            });
        }
        builder
            .join()
            .map_err(|_| anyhow::anyhow!("the fixture builder panicked"))?
    })
}

/// One fixture, built in one of the two scratch copies and waiting for its checks to run.
struct Built {
    fixture: Fixture,
    opts: Options,
    /// The build, or why the fixture could not even be applied.
    build: Result<Result<run::Built, (Verdict, String)>, String>,
    /// When its build started (a fixture's time is its build and its checks).
    t0: Instant,
}

/// What is wrong with a fixture's outcome (nothing, if it lost exactly its task as declared).
fn judge(lab: &Lab, fixture: &Fixture, outcome: &LabOutcome) -> Vec<String> {
    if let Some((verdict, message)) = &outcome.failure {
        return vec![format!(
            "the fixture could not be checked ({}):\n{message}",
            verdict.describe()
        )];
    }
    let mut problems = Vec::new();
    if lab.task(&fixture.task).is_none() {
        problems.push(format!(
            "task {} does not exist in {}",
            fixture.task, lab.id
        ));
    }
    // `full`: a correct alternative implementation of the task. Every task keeps its points:
    // a check that punishes a legal implementation is a defect.
    let correct_alternative = fixture.correct_alternative();
    for task in &outcome.tasks {
        if task.id == fixture.task && !correct_alternative {
            if task.earned != 0 {
                problems.push(format!(
                    "task {} still earns its points: no check catches this mistake",
                    task.id
                ));
            }
            // `timeout|fail`: any of these verdicts (a race may show either way: a deadlock
            // that strikes in the stress check times out, one that does not strike still
            // shows in the demo's section).
            let expected = fixture.verdicts().unwrap_or_else(|e| {
                problems.push(format!("{e}; or several joined by |, or {FULL} alone"));
                Vec::new()
            });
            let seen: Vec<Verdict> = task
                .checks
                .iter()
                .map(|c| c.verdict)
                .filter(|v| *v != Verdict::Pass)
                .collect();
            let shown = seen
                .iter()
                .any(|v| expected.iter().any(|e| Fixture::shows(*e, *v)));
            if task.earned == 0 && !shown {
                problems.push(format!(
                    "task {} failed with {:?}, expected {}",
                    task.id, seen, fixture.verdict
                ));
            }
        } else if fixture.also.contains(&task.id) {
            if task.earned != 0 {
                problems.push(format!(
                    "task {} was declared to fail too (`also`) but earns its points",
                    task.id
                ));
            }
        } else if task.earned != task.points {
            let lost = if correct_alternative {
                "a correct alternative lost the points of task"
            } else {
                "lost its points too:"
            };
            let why: Vec<String> = task
                .checks
                .iter()
                .filter(|c| c.verdict != Verdict::Pass)
                .map(|c| {
                    format!(
                        "{} ({}): {}",
                        c.name,
                        c.verdict.describe(),
                        first_line(&c.message)
                    )
                })
                .collect();
            problems.push(if correct_alternative {
                format!("{lost} {}: {}", task.id, why.join("; "))
            } else {
                format!("task {} {lost} {}", task.id, why.join("; "))
            });
        }
    }
    problems
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
    let finished = supervise::run(cmd.env("LABS_PYTHON", "off"), &spec, &mut supervise::Group)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_tool_test_shows_its_message_not_its_backtrace() {
        let run = "running 2 tests\ntest a ... ok\ntest b ... FAILED\n\nfailures:\n\n\
                   ---- b stdout ----\n\nthread 'b' panicked at x.rs:3:5:\nthe grade was 3, expected 0\n\
                   stack backtrace:\n   0: std::panicking::begin_panic\n             at /rustc/x.rs:1\n\n\
                   failures:\n    b\n\ntest result: FAILED. 1 passed; 1 failed\n\
                   error: test failed, to rerun pass `-p course --test grading`\n";
        let shown = failures_of(run);
        assert!(shown.contains("the grade was 3, expected 0"), "{shown}");
        assert!(shown.contains("--test grading"), "{shown}");
        assert!(!shown.contains("begin_panic"), "{shown}");
    }
}
