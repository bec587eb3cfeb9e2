//! Running one lab's checks: build once, then one process per check.
//!
//! Why a process per check, when `cargo test` runs them all in one? Because student code
//! in a concurrency course hangs, spins, aborts and exits. In its own process a check can
//! be killed at its deadline with everything it started (its process group), a call to
//! `process::exit(0)` or printed text cannot pass for success (a pass needs the harness's
//! seal, made with a secret this process alone was given, see `model::seal`),
//! and one check's leaked threads cannot slow the next. Starting a test binary costs about
//! a millisecond; a lab has a few dozen checks.
//!
//! Each lab's checks are built on their own (`--no-default-features --features labN`), so a
//! lab that does not compile costs that lab only.

use model::course::{Course, Lab, Task};
use model::marker;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use supervise;

/// What is checked and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The workspace whose checks are built and run.
    pub root: PathBuf,
    /// Check `solutions/` instead of `labs/`.
    pub solutions: bool,
    /// Cargo's target dir (default: cargo's own choice, `<root>/target`).
    pub target_dir: Option<PathBuf>,
    /// Build with `--offline --locked` (the grader and the self-test do).
    pub offline: bool,
    /// Checks run at the same time.
    pub jobs: usize,
    /// Largest output kept per check (bytes); the rest is dropped.
    pub output_cap: usize,
    /// Extra environment for the check processes.
    pub env: Vec<(String, String)>,
    /// The grader's sandbox for this job (None for students and the self-test: checks run
    /// as the caller, with the caller's environment, and output past the cap is dropped).
    /// With it, builds and checks are confined (see `sandbox`), a check whose output passes
    /// the cap is killed, and a pass needs libtest's exact output, nothing else on stdout.
    pub sandbox: Option<crate::sandbox::Jail>,
    /// Kill a build that runs longer than this (None: no limit).
    pub build_timeout: Option<Duration>,
    /// How many tests the binary being run holds (from `--list`): with the sandbox, a pass
    /// must then report exactly that many minus one as "filtered out".
    pub listed: Option<usize>,
}

impl Options {
    /// Defaults for the workspace at `root`: labs/, the machine's cores, 256 KiB of output.
    pub fn new(root: &Path) -> Options {
        Options {
            root: root.to_path_buf(),
            solutions: false,
            target_dir: None,
            offline: false,
            jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            output_cap: 256 * 1024,
            env: Vec::new(),
            sandbox: None,
            build_timeout: None,
            listed: None,
        }
    }
}

pub use model::Verdict;

/// One check's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckOutcome {
    /// The test's name, `task_1_3::counts_primes`.
    pub name: String,
    /// What happened.
    pub verdict: Verdict,
    /// The failure message (empty on a pass).
    pub message: String,
    /// How long its process ran.
    pub seconds: f64,
}

/// One task's result: its points and its checks.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaskOutcome {
    /// `1.3`.
    pub id: String,
    /// From course.toml.
    pub title: String,
    /// Points earned: all or nothing.
    pub earned: u32,
    /// Points possible.
    pub points: u32,
    /// Its checks, in listing order.
    pub checks: Vec<CheckOutcome>,
}

impl TaskOutcome {
    /// Every task of `lab`, no check run yet, no point earned.
    pub fn unscored(lab: &Lab) -> Vec<TaskOutcome> {
        lab.tasks
            .iter()
            .map(|t| TaskOutcome {
                id: t.id.clone(),
                title: t.title.clone(),
                earned: 0,
                points: t.points,
                checks: Vec::new(),
            })
            .collect()
    }

    /// The verdict that best sums up the task: pass, or its first failing check's verdict.
    pub fn verdict(&self) -> Verdict {
        self.checks
            .iter()
            .map(|c| c.verdict)
            .find(|v| *v != Verdict::Pass)
            .unwrap_or(if self.checks.is_empty() {
                Verdict::GraderError
            } else {
                Verdict::Pass
            })
    }
}

/// One lab's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LabOutcome {
    /// `lab1`.
    pub lab: String,
    /// Its tasks, in course order.
    pub tasks: Vec<TaskOutcome>,
    /// Set when the lab could not be checked at all (compile error, grader error).
    pub failure: Option<(Verdict, String)>,
    /// Checks that belong to no task of course.toml (a course bug, reported by the self-test).
    pub orphan_checks: Vec<String>,
}

impl LabOutcome {
    /// Points earned.
    pub fn earned(&self) -> u32 {
        self.tasks.iter().map(|t| t.earned).sum()
    }

    /// Points possible.
    pub fn points(&self) -> u32 {
        self.tasks.iter().map(|t| t.points).sum()
    }

    /// A lab none of whose checks could run: every task at zero, with why.
    pub fn failed(lab: &Lab, verdict: Verdict, message: String) -> LabOutcome {
        LabOutcome {
            lab: lab.id.clone(),
            tasks: TaskOutcome::unscored(lab),
            failure: Some((verdict, message)),
            orphan_checks: Vec::new(),
        }
    }
}

/// What a build produced: the lab's test binary and the `run-lab` binary beside it.
#[derive(Debug, Clone)]
pub struct Built {
    /// `target/debug/deps/labs-<hash>`: the public checks of the lab.
    pub tests: PathBuf,
    /// `target/debug/deps/lab1_hidden-<hash>`: the hidden checks, built in the instructor's
    /// workspace only (see [`has_hidden`]).
    pub hidden: Option<PathBuf>,
    /// `target/debug/run-lab`.
    pub run_lab: Option<PathBuf>,
}

/// The checker's test target of the public checks: every lab's, one module per lab, of
/// which a build compiles the labs it names in `--features`.
pub const PUBLIC_TESTS: &str = "labs";

/// A check's name in reports: `task_2_3::x` for the test `lab2::task_2_3::x` (the public
/// checks' binary holds a module per lab; a report is about one lab already).
pub fn report_name(test: &str) -> String {
    match test.split_once("::") {
        Some((first, rest)) if first.starts_with("lab") && rest.starts_with("task_") => {
            rest.to_owned()
        }
        _ => test.to_owned(),
    }
}

/// The prefix of a hidden check's name in a report, as the grader names them.
pub const HIDDEN_PREFIX: &str = "hidden::";

/// `true` in the instructor's workspace when `lab` has hidden checks: the source
/// `checker/hidden/<lab>.rs` is there and the checker has the `hidden` feature. The student
/// edition has neither, and the grader removes the source while student code compiles (it
/// builds the hidden checks itself, in a second step).
pub fn has_hidden(root: &Path, lab: &Lab) -> bool {
    let source = root.join("checker/hidden").join(format!("{}.rs", lab.id));
    let manifest = std::fs::read_to_string(root.join("checker/Cargo.toml")).unwrap_or_default();
    let feature = manifest.lines().any(|l| {
        let l = l.trim_start();
        l.strip_prefix("hidden")
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    });
    source.is_file() && feature
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Builds the checks of `lab`. `Err((verdict, message))` when it does not compile.
pub fn build(opts: &Options, lab: &Lab) -> Result<Built, (Verdict, String)> {
    let hidden = has_hidden(&opts.root, lab);
    let hidden_target = format!("{}_hidden", lab.id);
    let mut features = lab.id.clone();
    if opts.solutions {
        features.push_str(",solutions");
    }
    if hidden {
        features.push_str(",hidden");
    }
    let mut targets = vec![PUBLIC_TESTS];
    if hidden {
        targets.push(hidden_target.as_str());
    }
    let output = cargo_test_no_run(opts, lab, &targets, &features, false)?;
    if !output.success {
        return Err(compile_failure(lab, &output.stderr));
    }
    let hidden_tests = artifact(&output.stdout, &hidden_target, "test");
    if hidden && hidden_tests.is_none() {
        return Err((
            Verdict::GraderError,
            format!("cargo built no {hidden_target} binary:\n{}", output.stderr),
        ));
    }
    match artifact(&output.stdout, PUBLIC_TESTS, "test") {
        Some(tests) => Ok(Built {
            tests,
            hidden: hidden_tests.filter(|_| hidden),
            run_lab: artifact(&output.stdout, "run-lab", "bin"),
        }),
        None => Err((
            Verdict::GraderError,
            format!(
                "cargo built no test binary for {}:\n{}",
                lab.id, output.stderr
            ),
        )),
    }
}

/// What `cargo test --no-run` said.
#[derive(Debug)]
pub struct CargoOutput {
    /// It exited 0.
    pub success: bool,
    /// Its JSON messages.
    pub stdout: String,
    /// Its rendered diagnostics.
    pub stderr: String,
}

/// `cargo test --package checker --test <target>… --no-run` with `features`, in `opts.root`,
/// killed at `opts.build_timeout`. With `opts.sandbox` it runs confined like a check (see
/// `sandbox::Jail::build`): `hidden` builds may read the hidden checks' artifacts, no
/// other build can. `Err` when cargo could not run or ran out of time.
pub fn cargo_test_no_run(
    opts: &Options,
    lab: &Lab,
    targets: &[&str],
    features: &str,
    hidden: bool,
) -> Result<CargoOutput, (Verdict, String)> {
    let mut cmd = Command::new(cargo());
    cmd.current_dir(&opts.root)
        .args([
            "test",
            "--package",
            "checker",
            "--no-default-features",
            "--features",
            features,
        ])
        .args(targets.iter().flat_map(|t| ["--test", t]))
        .args([
            "--no-run",
            "--message-format=json-render-diagnostics",
            "--color=never",
        ]);
    if opts.offline {
        cmd.args(["--offline", "--locked"]);
    }
    if let Some(dir) = &opts.target_dir {
        cmd.env("CARGO_TARGET_DIR", dir);
    }
    // Cargo's output is not the student's to flood: a generous cap, never a kill.
    let spec = supervise::Spec::capture(opts.build_timeout, 64 << 20);
    let finished = match &opts.sandbox {
        Some(jail) => supervise::run(&mut cmd, &spec, &mut jail.build(hidden)),
        None => supervise::run(&mut cmd, &spec, &mut supervise::Group),
    }
    .map_err(|e| {
        (
            Verdict::GraderError,
            format!(
                "cannot run `{}`: {e}. Is cargo installed and on PATH?",
                cargo()
            ),
        )
    })?;
    let Some(status) = finished.status else {
        return Err((
            Verdict::TimedOut,
            format!(
                "the build of {} did not finish within {} s and was stopped: does your code make \
                 the compiler loop (a huge constant, a recursive macro, include_bytes! of a large file)?",
                lab.id,
                opts.build_timeout.unwrap_or_default().as_secs()
            ),
        ));
    };
    Ok(CargoOutput {
        success: status.success(),
        stdout: String::from_utf8_lossy(&finished.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&finished.stderr).into_owned(),
    })
}

/// The executable cargo reported for target `name` of kind `kind` (`test`, `bin`).
pub fn artifact(cargo_stdout: &str, name: &str, kind: &str) -> Option<PathBuf> {
    cargo_stdout.lines().find_map(|line| {
        let msg = serde_json::from_str::<serde_json::Value>(line).ok()?;
        let kinds = msg["target"]["kind"].as_array()?;
        (msg["reason"] == "compiler-artifact"
            && msg["target"]["name"] == name
            && kinds.iter().any(|k| k == kind))
        .then(|| msg["executable"].as_str().map(PathBuf::from))
        .flatten()
    })
}

/// Keeps the compiler's errors (not its warnings) from cargo's stderr, and decides whose
/// fault it is: an error in the lab's files is a compile error, anything else ours.
fn compile_failure(lab: &Lab, stderr: &str) -> (Verdict, String) {
    let mut kept = Vec::new();
    let mut in_error = false;
    for line in stderr.lines() {
        if line.starts_with("error") {
            in_error = !line.starts_with("error: could not compile");
        } else if line.starts_with("warning") {
            in_error = false;
        }
        if in_error {
            kept.push(line);
        }
    }
    let text = if kept.is_empty() {
        stderr.trim().to_owned()
    } else {
        kept.join("\n")
    };
    let text = truncate_lines(&text, 60, "");
    let lab_dir = format!("{}/", lab.dir);
    let theirs = text.contains(&lab_dir) || text.contains("error[E");
    if theirs {
        (Verdict::CompileError, text)
    } else {
        (Verdict::GraderError, text)
    }
}

/// The names of the checks in a test binary (`--list`), in its order.
pub fn list(tests: &Path) -> Result<Vec<String>, String> {
    run_list(
        &Options::new(Path::new(".")),
        tests,
        Duration::from_secs(60),
    )
}

/// [`list`], run like a check: confined by `opts.sandbox` (a test binary may run student
/// code before `main`) and killed with everything it started at `deadline`.
pub fn run_list(opts: &Options, tests: &Path, deadline: Duration) -> Result<Vec<String>, String> {
    let mut cmd = Command::new(tests);
    cmd.args(["--list", "--format", "terse"]);
    if opts.sandbox.is_some() {
        cmd.current_dir(&opts.root);
    }
    let mut spec = supervise::Spec::capture(Some(deadline), 4 << 20);
    spec.stderr = supervise::Stream::Null;
    let finished = match &opts.sandbox {
        Some(jail) => supervise::run(&mut cmd, &spec, &mut jail.check(tests, &opts.env)),
        None => supervise::run(&mut cmd, &spec, &mut supervise::Group),
    }
    .map_err(|e| format!("cannot run {}: {e}", tests.display()))?;
    let out = String::from_utf8_lossy(&finished.stdout).into_owned();
    match finished.status {
        Some(s) if s.success() => Ok(out
            .lines()
            .filter_map(|l| l.strip_suffix(": test"))
            .map(str::to_owned)
            .collect()),
        Some(s) => Err(format!("{} --list failed ({s})", tests.display())),
        None => Err(format!(
            "{} --list did not finish within {} s",
            tests.display(),
            deadline.as_secs()
        )),
    }
}

/// The task a check belongs to: `task_1_3::x` → `1.3`.
pub fn task_of_check(name: &str) -> Option<String> {
    let module = name.split("::").find(|s| s.starts_with("task_"))?;
    Some(module.trim_start_matches("task_").replace('_', "."))
}

/// Runs one check in its own process group; kills the group at `deadline`.
///
/// With `opts.sandbox` the process is confined (uid, cgroups, namespaces, rlimits, clean
/// environment), killed as soon as its output passes `opts.output_cap`, everything it left
/// is killed when it ends, and the limits it hit become verdicts of their own.
pub fn run_one(opts: &Options, tests: &Path, name: &str, deadline: Duration) -> CheckOutcome {
    let t0 = Instant::now();
    let mut cmd = Command::new(tests);
    cmd.args(["--exact", name, "--test-threads", "1"])
        .current_dir(&opts.root)
        .env("RUST_BACKTRACE", "0")
        // Students never accept snapshots: a mismatch must fail, and write no .snap.new.
        .env("INSTA_UPDATE", "no")
        .env("LABS_PYTHON", "off")
        .envs(opts.env.iter().map(|(k, v)| (k, v)));
    let outcome = |verdict, message: String| CheckOutcome {
        name: name.to_owned(),
        verdict,
        message,
        seconds: t0.elapsed().as_secs_f64(),
    };
    // A pass needs the harness's seal, made with this process's own secret (see model::seal).
    let seal = match crate::seal::Seal::new() {
        Ok(seal) => seal,
        Err(e) => {
            return outcome(
                Verdict::GraderError,
                format!("cannot make the check's secret: {e}"),
            );
        }
    };
    // The read end becomes descriptor 3 of the check (inherited through the sandbox's
    // relay and init, which close it); the sandbox rebuilds the environment, so the
    // variable naming the descriptor goes in with the check's own.
    seal.pass_to(&mut cmd);
    let mut env = opts.env.clone();
    env.push((
        model::seal::SECRET_FD_ENV.to_owned(),
        crate::seal::TARGET_FD.to_string(),
    ));
    let cap = opts.output_cap;
    let mut spec = supervise::Spec::capture(Some(deadline), cap);
    // With the sandbox a flood ends the check at once; a student's own run keeps going.
    spec.kill_past_cap = opts.sandbox.is_some();
    let mut slot = opts.sandbox.as_ref().map(|jail| jail.check(tests, &env));
    let finished = match &mut slot {
        Some(slot) => supervise::run(&mut cmd, &spec, slot),
        None => supervise::run(&mut cmd, &spec, &mut supervise::Group),
    };
    let finished = match finished {
        Ok(f) => f,
        Err(e) => {
            return outcome(
                Verdict::GraderError,
                format!("cannot start {}: {e}", tests.display()),
            );
        }
    };
    let status = finished.status;
    let stdout = String::from_utf8_lossy(&finished.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&finished.stderr).into_owned();
    if spec.kill_past_cap && finished.over_cap {
        return outcome(
            Verdict::OutputLimit,
            format!(
                "killed: the check printed more than {} KiB. Does your code print in a loop, or \
                 write a huge line?\n{}",
                cap / 1024,
                tail(
                    &String::from_utf8_lossy(&stdout.as_bytes()[..stdout.len().min(2048)]),
                    10
                )
            ),
        );
    }
    let Some(status) = status else {
        return outcome(
            Verdict::TimedOut,
            format!(
                "killed after {} s. Something waits forever or loops: a lock never released, a join on \
                 a thread that never ends, a read with no EOF?",
                deadline.as_secs()
            ),
        );
    };
    if let Some(slot) = &slot {
        if slot.oom_killed() || stderr.contains("memory allocation of") {
            return outcome(
                Verdict::MemoryLimit,
                "killed: the check used more memory than allowed. Does your code keep allocating \
                 (a growing Vec or String in a loop)?"
                    .to_owned(),
            );
        }
        if std::os::unix::process::ExitStatusExt::signal(&status) == Some(nix::libc::SIGXCPU) {
            return outcome(
                Verdict::CpuLimit,
                format!(
                    "killed: the check used more than {} s of CPU time. Does your code spin in a loop \
                     that never ends?",
                    slot.cpu_secs()
                ),
            );
        }
    }
    if status.success() {
        let passed = if slot.is_some() {
            libtest_passed(&stdout, name, opts.listed.map(|n| n.saturating_sub(1)))
        } else {
            stdout.contains("test result: ok. 1 passed")
        };
        if passed && seal.sealed(&stderr, name) {
            return outcome(Verdict::Pass, String::new());
        }
        return outcome(
            Verdict::Crashed,
            "the check's process exited before the check finished: does your code call std::process::exit?"
                .to_owned(),
        );
    }
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        let name = nix::sys::signal::Signal::try_from(signal)
            .map_or(format!("signal {signal}"), |s| s.to_string());
        let hint = match name.as_str() {
            "SIGABRT" => " (std::process::abort, or a panic while panicking)",
            "SIGSEGV" | "SIGBUS" => " (memory misuse in unsafe code, or a stack overflow)",
            "SIGKILL" => " (killed: out of memory, or a limit)",
            _ => "",
        };
        return outcome(
            Verdict::Signal,
            format!(
                "the check's process was killed by {name}{hint}.\n{}",
                tail(&stderr, 20)
            ),
        );
    }
    let message = failure_message(&stdout, name);
    // The harness's markers first; then insta's own words for a snapshot it compared.
    let verdict = if let Some(verdict) = marker::verdict_of(&message) {
        verdict
    } else if message.contains("Snapshot Summary") || message.contains("snapshot assertion") {
        Verdict::SnapshotMismatch
    } else if message.is_empty() && !stderr.is_empty() {
        return outcome(Verdict::Crashed, tail(&stderr, 20));
    } else {
        Verdict::WrongAnswer
    };
    outcome(verdict, message)
}

/// `true` when `stdout` is exactly what libtest prints for one passing test `name`, and
/// nothing else. A passing check's own output is captured by libtest and never printed, so
/// any other byte on stdout was written around libtest (a forged "test result: ok" line
/// followed by `exit(0)`, for instance) and the check does not count as passed.
pub fn libtest_passed(stdout: &str, name: &str, filtered: Option<usize>) -> bool {
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    let [running, result, summary] = lines.as_slice() else {
        return false;
    };
    let Some(rest) =
        summary.strip_prefix("test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; ")
    else {
        return false;
    };
    let tail_ok = rest
        .split_once(" filtered out; finished in ")
        .is_some_and(|(n, t)| {
            n.parse::<usize>()
                .is_ok_and(|n| filtered.is_none_or(|f| f == n))
                && t.strip_suffix('s')
                    .is_some_and(|t| t.parse::<f64>().is_ok())
        });
    *running == "running 1 test" && *result == format!("test {name} ... ok") && tail_ok
}

/// The part of libtest's output that explains a failure: the captured output of the check.
fn failure_message(stdout: &str, name: &str) -> String {
    let start_marker = format!("---- {name} stdout ----");
    let body = match stdout.find(&start_marker) {
        Some(i) => &stdout[i + start_marker.len()..],
        None => stdout,
    };
    let body = body.split("\nfailures:\n").next().unwrap_or(body);
    let lines: Vec<&str> = body
        .lines()
        .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE=1`"))
        .filter(|l| !l.starts_with("thread '") || !l.contains("checker/src/harness.rs"))
        .collect();
    truncate_lines(lines.join("\n").trim(), 80, "")
}

/// The first `max` lines of `text`, then one line saying how many more there were, with
/// `more` after it (where to read them).
pub fn truncate_lines(text: &str, max: usize, more: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= max {
        return text.to_owned();
    }
    format!(
        "{}\n… {} more lines{more}",
        lines[..max].join("\n"),
        lines.len() - max
    )
}

/// A check's failure message as a student reads it: without libtest's "thread '…' panicked
/// at checker/tests/lab2.rs:289:13:" lines, which name the check's own line, not theirs.
pub fn student_message(message: &str) -> String {
    message
        .lines()
        .filter(|l| !(l.starts_with("thread '") && l.contains("' panicked at ")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn tail(text: &str, max: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(max)..].join("\n")
}

/// Builds and runs every check of `lab`, and scores it.
pub fn check_lab(opts: &Options, lab: &Lab) -> LabOutcome {
    let built = match build(opts, lab) {
        Ok(b) => b,
        Err((verdict, message)) => return LabOutcome::failed(lab, verdict, message),
    };
    match run_built(opts, lab, &built) {
        Ok(outcomes) => score(lab, outcomes),
        Err(message) => LabOutcome::failed(lab, Verdict::GraderError, message),
    }
}

/// Runs every check of a build: the public ones, then the hidden ones (if built), whose
/// names get [`HIDDEN_PREFIX`] as in the grader's reports.
pub fn run_built(opts: &Options, lab: &Lab, built: &Built) -> Result<Vec<CheckOutcome>, String> {
    let names = list(&built.tests)?;
    let mut outcomes = run_all(opts, lab, &built.tests, &names);
    if let Some(hidden) = &built.hidden {
        let names = list(hidden)?;
        outcomes.extend(run_all(opts, lab, hidden, &names).into_iter().map(|mut o| {
            o.name = format!("{HIDDEN_PREFIX}{}", o.name);
            o
        }));
    }
    Ok(outcomes)
}

/// Runs the named checks of `lab` on `opts.jobs` workers; results in the order of `names`.
pub fn run_all(opts: &Options, lab: &Lab, tests: &Path, names: &[String]) -> Vec<CheckOutcome> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<CheckOutcome>>> = Mutex::new(vec![None; names.len()]);
    std::thread::scope(|s| {
        for _ in 0..opts.jobs.max(1) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(name) = names.get(i) else { break };
                    // The harness inside the check enforces the task's deadline and explains a
                    // hang; the kill here is the backstop for a process that cannot even do that.
                    let deadline = task_for(lab, name)
                        .map_or(Duration::from_secs(lab.timeout_secs), |t| t.timeout(lab))
                        + Duration::from_secs(5);
                    let mut outcome = run_one(opts, tests, name, deadline);
                    outcome.name = report_name(name);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(outcome);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

fn task_for<'a>(lab: &'a Lab, check: &str) -> Option<&'a Task> {
    task_of_check(check).and_then(|id| lab.task(&id))
}

/// Groups check outcomes by task and gives each task its points (all checks pass) or none.
pub fn score(lab: &Lab, outcomes: Vec<CheckOutcome>) -> LabOutcome {
    let mut tasks = TaskOutcome::unscored(lab);
    let mut orphan_checks = Vec::new();
    for outcome in outcomes {
        match task_of_check(&outcome.name).and_then(|id| tasks.iter_mut().find(|t| t.id == id)) {
            Some(task) => task.checks.push(outcome),
            None => orphan_checks.push(outcome.name),
        }
    }
    for task in &mut tasks {
        let all_pass =
            !task.checks.is_empty() && task.checks.iter().all(|c| c.verdict == Verdict::Pass);
        task.earned = if all_pass { task.points } else { 0 };
    }
    LabOutcome {
        lab: lab.id.clone(),
        tasks,
        failure: None,
        orphan_checks,
    }
}

/// The labs named in `ids` (all of them when empty; a lab named twice, once), or an error
/// naming the unknown one.
pub fn select<'c>(course: &'c Course, ids: &[String]) -> anyhow::Result<Vec<&'c Lab>> {
    if ids.is_empty() {
        return Ok(course.labs.iter().collect());
    }
    let mut seen = std::collections::BTreeSet::new();
    ids.iter()
        .filter(|id| seen.insert(id.as_str()))
        .map(|id| {
            course.lab(id).ok_or_else(|| {
                let known: Vec<&str> = course.labs.iter().map(|l| l.id.as_str()).collect();
                anyhow::anyhow!(
                    "there is no lab {id:?} in course.toml; the labs are {}",
                    known.join(", ")
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_names_a_check_without_its_lab_module() {
        assert_eq!(report_name("lab2::task_2_3::x"), "task_2_3::x");
        assert_eq!(report_name("task_1_3::fib"), "task_1_3::fib");
        assert_eq!(report_name("helpers::x"), "helpers::x");
    }

    #[test]
    fn checks_map_to_tasks_by_module() {
        assert_eq!(
            task_of_check("task_1_3::counts_primes").as_deref(),
            Some("1.3")
        );
        assert_eq!(task_of_check("task_2_10::x").as_deref(), Some("2.10"));
        assert_eq!(task_of_check("helpers::x"), None);
        assert_eq!(
            task_of_check("hidden::task_1_3::other_sizes").as_deref(),
            Some("1.3")
        );
    }

    #[test]
    fn a_pass_is_exactly_what_libtest_prints() {
        let real = "\nrunning 1 test\ntest task_1_3::fib ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; \
                    0 measured; 13 filtered out; finished in 0.00s\n\n";
        assert!(libtest_passed(real, "task_1_3::fib", None));
        assert!(libtest_passed(real, "task_1_3::fib", Some(13)));
        assert!(
            !libtest_passed(real, "task_1_3::fib", Some(0)),
            "a forger's filtered-out count"
        );
        assert!(!libtest_passed(real, "task_1_3::other", None));
        let forged = "\nrunning 1 test\ntest task_1_3::fib ... test result: ok. 1 passed\n";
        assert!(!libtest_passed(forged, "task_1_3::fib", None));
        let extra = real.replace("... ok", "... spam\nok");
        assert!(!libtest_passed(&extra, "task_1_3::fib", None));
    }

    #[test]
    fn a_lab_named_twice_is_graded_once() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let course = Course::load(&root).unwrap();
        let ids: Vec<String> = ["lab1", "lab1", "lab2"].map(str::to_owned).to_vec();
        let labs: Vec<&str> = select(&course, &ids)
            .unwrap()
            .iter()
            .map(|l| l.id.as_str())
            .collect();
        assert_eq!(labs, ["lab1", "lab2"]);
    }

    /// Runs a shell script as if it were a check's test binary (`$2` is the check's name).
    fn fake_check(tag: &str, script: &str) -> CheckOutcome {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("course-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let binary = dir.join("check");
        std::fs::write(&binary, format!("#!/bin/sh\n{script}")).unwrap();
        std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
        let opts = Options::new(&dir);
        let o = run_one(&opts, &binary, "task_1_3::fib", Duration::from_secs(10));
        let _ = std::fs::remove_dir_all(&dir);
        o
    }

    #[test]
    fn printing_a_pass_and_exiting_0_is_not_a_pass() {
        // A "test binary" that prints exactly what libtest prints for a pass, a made-up seal
        // line, and exits 0: everything code under test can do by printing.
        let o = fake_check(
            "forge",
            &format!(
                "printf '\\nrunning 1 test\\ntest %s ... ok\\n\\ntest result: ok. 1 passed; \
                 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\\n\\n' \"$2\"\n\
                 echo '{} 0123456789abcdef0123456789abcdef' >&2\nexit 0\n",
                model::seal::PASS_MARK
            ),
        );
        assert_eq!(o.verdict, Verdict::Crashed, "{o:?}");
    }

    #[test]
    fn a_signal_is_seen_where_it_strikes_not_read_from_a_message() {
        let o = fake_check("abort", "echo 'about to abort' >&2\nkill -ABRT $$\n");
        assert_eq!(o.verdict, Verdict::Signal, "{o:?}");
        assert!(o.message.contains("SIGABRT"), "{o:?}");
        // The words alone, from a process that exits: a crash, not a signal.
        let o = fake_check(
            "words",
            "echo \"the check's process was killed by SIGKILL\" >&2\nexit 101\n",
        );
        assert_eq!(o.verdict, Verdict::Crashed, "{o:?}");
    }

    #[test]
    fn the_failure_message_is_the_check_section() {
        let out = "running 1 test\ntest task_1_1::a ... FAILED\n\nfailures:\n\n---- task_1_1::a stdout ----\n\
                   thread 'check 1.1' panicked at checker/tests/lab1.rs:3:5:\nassertion failed\n\
                   note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\
                   failures:\n    task_1_1::a\n\ntest result: FAILED. 0 passed; 1 failed";
        assert_eq!(
            failure_message(out, "task_1_1::a"),
            "thread 'check 1.1' panicked at checker/tests/lab1.rs:3:5:\nassertion failed"
        );
    }
}
