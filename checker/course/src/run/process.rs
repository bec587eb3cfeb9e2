//! One check in its own process: listing a test binary's checks, running one check to a
//! verdict.

use super::messages::{failure_message, libtest_passed};
use super::{CheckOutcome, Options, Verdict};
use model::marker;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

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
        None => supervise::run(&mut cmd, &spec, &mut supervise::Descendants::default()),
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
        None => supervise::run(&mut cmd, &spec, &mut supervise::Descendants::default()),
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
                "{}\n{}",
                crate::t!("check-output-limit", kib = cap / 1024),
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
            crate::t!("check-timed-out", secs = deadline.as_secs()),
        );
    };
    if let Some(slot) = &slot {
        if slot.oom_killed() || stderr.contains("memory allocation of") {
            return outcome(Verdict::MemoryLimit, crate::t!("check-memory-limit"));
        }
        if std::os::unix::process::ExitStatusExt::signal(&status) == Some(nix::libc::SIGXCPU) {
            return outcome(
                Verdict::CpuLimit,
                crate::t!("check-cpu-limit", secs = slot.cpu_secs()),
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
        return outcome(Verdict::Crashed, crate::t!("check-exited"));
    }
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        let name = nix::sys::signal::Signal::try_from(signal)
            .map_or(format!("signal {signal}"), |s| s.to_string());
        let why = match name.as_str() {
            "SIGABRT" => "abort",
            "SIGSEGV" | "SIGBUS" => "memory",
            "SIGKILL" => "kill",
            _ => "other",
        };
        return outcome(
            Verdict::Signal,
            format!(
                "{}\n{}",
                crate::t!("check-signal", signal = name, why = why),
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

pub(super) fn tail(text: &str, max: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(max)..].join("\n")
}
