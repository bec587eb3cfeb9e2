//! The Python side: the same experiments in CPython, standard library only.
//!
//! The scripts live in `bench/python/` and are embedded here (`include_str!`), so the report
//! binary runs them from anywhere. [`kit::python::run`] writes one to a temporary file (an
//! importable `__main__`, which `multiprocessing` needs) and runs it with `python3`; when
//! `python3` is missing, or `LABS_PYTHON=off`, it says why and the report prints that note in
//! place of Python's figures. Each script prints one JSON object as its last line.

use kit::python::PythonRun;
use serde_json::Value;
use std::time::Duration;

/// CPU-bound work on threads (`threading`) and processes (`multiprocessing`).
pub const CPU: &str = include_str!("../python/cpu.py");
/// 100 downloads: sequential, threads, a pool of 10, asyncio, asyncio with a semaphore.
pub const DOWNLOADS: &str = include_str!("../python/downloads.py");
/// 10,000 asyncio tasks sleeping 1 s.
pub const SLEEPERS: &str = include_str!("../python/sleepers.py");
/// fork + waitpid, thread start + join, /bin/true, pipe throughput.
pub const COSTS: &str = include_str!("../python/costs.py");

/// Runs a script and parses its last stdout line as JSON. `Err` holds why it did not run
/// (python3 missing, the script failed or overran `deadline`): a note for the report.
pub fn run_json(
    name: &str,
    source: &str,
    args: &[&str],
    deadline: Duration,
) -> Result<Value, String> {
    match kit::python::run(name, source, args, deadline) {
        PythonRun::Ran(out) => {
            let last = out
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            serde_json::from_str(last)
                .map_err(|e| format!("{name} printed no JSON on its last line ({e}): {last:?}"))
        }
        PythonRun::Skipped(why) => Err(why),
    }
}

/// `python3 --version`, or `None` when there is no python3 (or Python is switched off).
pub fn version() -> Option<String> {
    if std::env::var("LABS_PYTHON").is_ok_and(|v| v == "off") {
        return None;
    }
    let out = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    out.status.success().then_some(text)
}
