//! Step 5: every known-wrong fixture loses exactly its task, every correct alternative
//! keeps full marks; built in two scratch copies while the other one's checks run.

use super::{Ledger, Plan, failing_checks};
use crate::fixtures::{self, FULL, Fixture};
use crate::run::{self, LabOutcome, Options, Verdict};
use crate::tree;
use model::course::{DEADLINE_OVERRIDE, Lab};
use std::path::Path;
use std::time::Instant;

/// The deadline, in seconds, of the checks of a fixture expected to hang (only its own
/// task's checks: every other task keeps its deadline).
const FIXTURE_HANG_SECS: u64 = 2;

/// 5. Every fixture loses exactly its task.
pub(super) fn fixtures(
    root: &Path,
    lab: &Lab,
    plan: &Plan,
    ledger: &mut Ledger,
) -> anyhow::Result<()> {
    let filter = &plan.fixture_filter;
    let list: Vec<Fixture> = fixtures::load(root, lab)?
        .into_iter()
        .filter(|f| filter.is_empty() || filter.iter().any(|p| f.name.contains(p.as_str())))
        .collect();
    if list.is_empty() {
        return Ok(());
    }
    let scratch = Scratch::lock(root)?;
    let copies = scratch.copies();
    // The second copy starts from the first one's compiled dependencies (the same crates):
    // a copy of target0 once the first fixture is built there, not a second compilation.
    let (first, second) = (scratch.target(0), scratch.target(1));
    let seed_second = || {
        // Without a copy, the second build compiles the dependencies itself: slower, not wrong.
        let _ = tree::seed_target(&first, &second, root);
    };
    seed_second();
    // The builder sends each built fixture over a rendezvous channel: it can only start the
    // fixture after next in a copy once the checks in that copy are done.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Built>(0);
    std::thread::scope(|s| -> anyhow::Result<()> {
        let builder = s.spawn(|| -> anyhow::Result<()> {
            for (k, fixture) in list.iter().enumerate() {
                if k == 1 {
                    seed_second();
                }
                let mut opts = copies[k % 2].clone();
                // A variant that hangs times out just the same in 2 s as in 10-20 s.
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

/// Compiles the fixtures' dependencies in the first scratch copy (the first lab's untouched
/// skeleton), unless they are compiled already. The self-test does it first, while the tools'
/// tests build: their grading tests then start from a copy of them
/// (`checker/course/tests/common`, under cargo's lock on this build) instead of compiling the
/// same crates again.
pub(super) fn prepare(root: &Path, lab: &Lab) -> anyhow::Result<()> {
    let scratch = Scratch::lock(root)?;
    if scratch.target(0).join("debug").is_dir() {
        return Ok(());
    }
    let started = Instant::now();
    println!("\nCompiling the fixtures' dependencies once, for the labs and the tools' tests…");
    let opts = &scratch.copies()[0];
    tree::sync(root, &opts.root, &Default::default())?;
    // A skeleton compiles (step 2 of every lab says so); either way, the dependencies are
    // built.
    let _ = run::build(opts, lab);
    println!("  done in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// `target/selftest`: the two scratch copies of the workspace the fixtures are built in, each
/// with its own target dir, held by one self-test at a time.
///
/// Each fixture rewrites only its lab's files, so only that lab is rebuilt. While the checks
/// of one fixture run in one copy, the next fixture is built in the other: the build is CPU
/// work, the checks mostly wait (virtual time, one process at a time), so the two overlap
/// well on two cores.
struct Scratch {
    dir: std::path::PathBuf,
    /// Held while the self-test uses the copies.
    _lock: std::fs::File,
}

impl Scratch {
    /// Two self-tests at once would write their fixtures into the same scratch workspaces: the
    /// second waits for the first.
    fn lock(root: &Path) -> anyhow::Result<Scratch> {
        let dir = root.join("target/selftest");
        std::fs::create_dir_all(&dir)?;
        let lock = std::fs::File::create(dir.join(".lock"))?;
        if lock.try_lock().is_err() {
            println!(
                "  (another self-test is using {}: waiting for it)",
                dir.display()
            );
            lock.lock()?;
        }
        Ok(Scratch { dir, _lock: lock })
    }

    fn target(&self, k: usize) -> std::path::PathBuf {
        self.dir.join(format!("target{k}"))
    }

    /// How to build and check in each copy.
    fn copies(&self) -> Vec<Options> {
        (0..2)
            .map(|k| {
                let mut opts = Options::new(&self.dir.join(format!("workspace{k}")));
                opts.target_dir = Some(self.target(k));
                opts.offline = true;
                opts
            })
            .collect()
    }
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
            let why = failing_checks(&task.checks, (" (", ")"));
            problems.push(if correct_alternative {
                format!("{lost} {}: {}", task.id, why.join("; "))
            } else {
                format!("task {} {lost} {}", task.id, why.join("; "))
            });
        }
    }
    problems
}
