//! Building a lab's checks: `cargo test --no-run`, confined and with a deadline, and what
//! it produced or why it failed.

use super::{Options, Verdict, truncate_lines};
use model::course::Lab;
use std::path::{Path, PathBuf};
use std::process::Command;

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
            crate::t!("check-no-cargo", cargo = cargo(), error = e.to_string()),
        )
    })?;
    let Some(status) = finished.status else {
        return Err((
            Verdict::TimedOut,
            crate::t!(
                "check-build-timed-out",
                lab = lab.id,
                secs = opts.build_timeout.unwrap_or_default().as_secs()
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
