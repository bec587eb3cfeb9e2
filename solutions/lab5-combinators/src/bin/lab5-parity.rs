//! `cargo run -p lab5-solution --bin lab5-parity [-- --write]`: the Lab 5 parity suite.
//!
//! Runs every scenario of `labs/lab5-combinators/src/demo/parity.rs` on the reference solution
//! (tokio, paused clock) and `labs/lab5-combinators/python/parity/parity.py` with python3
//! (asyncio, virtual clock), compares the two canonical logs of each scenario, and renders
//! the chapter's appendix (`docs/generated/lab5-parity.md`, included by docs/src/lab5-combinators.md) from them.
//!
//! It fails (exit 1) when a scenario's logs disagree with what the scenario claims (the same
//! log, or a difference with its reason), when a scenario exists on one side only, or when
//! the committed appendix is not the fresh one (`--write` rewrites it). Without python3 it
//! says so in one line and exits 0: nothing can be compared.

use lab5_solution::parity::{CASES, Parity};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

const APPENDIX: &str = "docs/generated/lab5-parity.md";
const PYTHON: &str = "labs/lab5-combinators/python/parity/parity.py";

fn main() -> ExitCode {
    let write = std::env::args().any(|a| a == "--write");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    // The scenarios with a panicking job print nothing: their panics are the subject.
    std::panic::set_hook(Box::new(|_| {}));
    let rust: Vec<(&str, String)> = CASES
        .iter()
        .map(|c| (c.name, lab5_solution::parity::log_of(c.name)))
        .collect();
    let _ = std::panic::take_hook();
    let (version, python) = match run_python(&root) {
        Ok(ran) => ran,
        Err(why) => {
            println!("parity: skipped, {why}");
            return ExitCode::SUCCESS;
        }
    };
    let mut problems = Vec::new();
    for name in python.keys() {
        if !CASES.iter().any(|c| c.name == name) {
            problems.push(format!("{name}: in parity.py, not in parity.rs"));
        }
    }
    let mut same = 0;
    for (case, (_, rust_log)) in CASES.iter().zip(&rust) {
        let Some(python_log) = python.get(case.name) else {
            problems.push(format!("{}: in parity.rs, not in parity.py", case.name));
            continue;
        };
        let equal = rust_log == python_log;
        same += usize::from(equal);
        match (case.parity, equal) {
            (Parity::Same, false) => problems.push(format!(
                "{}: claimed the same, but the logs differ:\n{}",
                case.name,
                side_by_side(rust_log, python_log)
            )),
            (Parity::Differs(_), true) => problems.push(format!(
                "{}: claimed to differ, but both logs are equal: make it `same` and drop the reason",
                case.name
            )),
            _ => {}
        }
    }
    let appendix = render(&rust, &python);
    let path = root.join(APPENDIX);
    if write {
        if let Err(e) = std::fs::write(&path, &appendix) {
            problems.push(format!("cannot write {APPENDIX}: {e}"));
        }
    } else if std::fs::read_to_string(&path).ok().as_deref() != Some(appendix.as_str()) {
        problems.push(format!(
            "{APPENDIX} is not the fresh output: run `cargo run -p lab5-solution --bin lab5-parity -- --write` and commit it"
        ));
    }
    println!(
        "parity: {} scenarios, {same} with the same log in asyncio ({version}) and the reference, {} documented differences",
        CASES.len(),
        CASES.len() - same
    );
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        for p in &problems {
            println!("parity: ✗ {p}");
        }
        ExitCode::FAILURE
    }
}

/// Runs parity.py: the Python version, and each scenario's log by name.
fn run_python(root: &std::path::Path) -> Result<(String, BTreeMap<String, String>), String> {
    let version = Command::new("python3")
        .arg("-c")
        .arg("import platform; print(platform.python_version())")
        .output()
        .map_err(|e| format!("python3 cannot be started ({e})"))?;
    let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();
    let out = Command::new("python3")
        .arg(root.join(PYTHON))
        .output()
        .map_err(|e| format!("python3 cannot be started ({e})"))?;
    if !out.status.success() {
        return Err(format!(
            "parity.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let logs = kit::python::logs_by_name(&String::from_utf8_lossy(&out.stdout));
    Ok((version, logs.into_iter().collect()))
}

/// The two logs in two columns (as the demo shows them), without trailing blanks.
fn side_by_side(rust: &str, python: &str) -> String {
    let mut out = String::new();
    for line in lab5_solution::demo::side_by_side(rust, python) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn render(rust: &[(&str, String)], python: &BTreeMap<String, String>) -> String {
    let mut md = String::new();
    md.push_str(
        "<!-- Generated by `cargo run -p lab5-solution --bin lab5-parity -- --write`; \
         `cargo selftest lab5` fails if it is not the fresh output. Do not edit. -->\n\n",
    );
    let differ = CASES
        .iter()
        .filter(|c| matches!(c.parity, Parity::Differs(_)))
        .count();
    md.push_str(&format!(
        "{} scenarios, each run by CPython (3.11 to 3.13 print the same logs) and by the \
         reference solution: {} print the same canonical log, {differ} differ, each for the \
         reason given below.\n\n",
        CASES.len(),
        CASES.len() - differ
    ));
    md.push_str("| # | scenario | asyncio | Rust (this lab) | log |\n|---|---|---|---|---|\n");
    for (i, case) in CASES.iter().enumerate() {
        let verdict = match case.parity {
            Parity::Same => "same".to_owned(),
            Parity::Differs(_) => format!("[differs](#parity-{})", case.name.replace('_', "-")),
        };
        md.push_str(&format!(
            "| {} | `{}` | `{}` | `{}` | {verdict} |\n",
            i + 1,
            case.name,
            case.asyncio.replace('|', "\\|"),
            case.rust.replace('|', "\\|"),
        ));
    }
    for (case, (_, rust_log)) in CASES.iter().zip(rust) {
        let Parity::Differs(why) = case.parity else {
            continue;
        };
        let python_log = python.get(case.name).map_or("", String::as_str);
        md.push_str(&format!(
            "\n#### `{}` {{#parity-{}}}\n\n{why}\n\n```text\n{}```\n",
            case.name,
            case.name.replace('_', "-"),
            interleaved(rust_log, python_log)
        ));
    }
    md
}

/// The two logs in one column, narrow enough for the book: the lines the two share once,
/// each other line marked `R` (Rust only) or `P` (Python only), in the order of a longest
/// common subsequence (the logs are a few dozen lines: the quadratic table is nothing).
fn interleaved(rust: &str, python: &str) -> String {
    let a: Vec<&str> = rust.lines().collect();
    let b: Vec<&str> = python.lines().collect();
    // common[i][j]: the length of the longest common subsequence of a[i..] and b[j..].
    let mut common = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let mut out = String::from(
        "   R: Rust (tokio, paused clock) only, P: Python (asyncio, virtual clock) only\n",
    );
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push_str(&format!("   {}\n", a[i]));
            (i, j) = (i + 1, j + 1);
        } else if j == b.len() || (i < a.len() && common[i + 1][j] >= common[i][j + 1]) {
            out.push_str(&format!("R  {}\n", a[i]));
            i += 1;
        } else {
            out.push_str(&format!("P  {}\n", b[j]));
            j += 1;
        }
    }
    out
}
