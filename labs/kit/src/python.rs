//! Runs a lab's Python mirror, so that a demo can print Python and Rust side by side.
//!
//! Each lab keeps the course's own Python version of its experiment in `labs/<lab>/python/`.
//! Demos embed the script with `include_str!` (so the solution crate runs the same file)
//! and hand it to [`run`]. When `python3` is missing the demo says so and goes on; setting
//! `LABS_PYTHON=off` skips Python on purpose (the checker does, to keep output stable).

use crate::supervise;
use std::process::Command;
use std::time::Duration;

/// What became of a Python run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PythonRun {
    /// The script ran and exited 0; this is what it printed.
    Ran(String),
    /// The script did not run, or failed: why, in words for the demo's reader.
    Skipped(String),
}

/// Runs the Python source `source` (shown to the reader as `name`) with `args`, waiting at
/// most `deadline`. Python's stderr is passed through so a traceback stays visible.
pub fn run(name: &str, source: &str, args: &[&str], deadline: Duration) -> PythonRun {
    if std::env::var("LABS_PYTHON").is_ok_and(|v| v == "off") {
        return PythonRun::Skipped(crate::tr!(
            en: "Python skipped (LABS_PYTHON=off)",
            ru: "Python пропущен (LABS_PYTHON=off)"
        ));
    }
    // A real file, not `python3 -`: multiprocessing needs an importable __main__ module.
    let dir = std::env::temp_dir().join(format!("concurrency-labs-py-{}", std::process::id()));
    let path = dir.join(name);
    if let Err(e) = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, source)) {
        let path = path.display();
        return PythonRun::Skipped(crate::tr!(
            en: "Python skipped: cannot write {path}: {e}",
            ru: "Python пропущен: не удаётся записать {path}: {e}"
        ));
    }
    // One supervised run (kit::supervise): python3 and whatever it forks (multiprocessing
    // workers) are killed together at the deadline.
    let mut spec = supervise::Spec::capture(Some(deadline), 16 << 20);
    spec.stderr = supervise::Stream::Inherit;
    let finished = supervise::run(
        Command::new("python3").arg(&path).args(args),
        &spec,
        &mut supervise::Descendants::default(),
    );
    let finished = match finished {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let _ = std::fs::remove_dir_all(&dir);
            return PythonRun::Skipped(crate::tr!(
                en: "Python skipped: python3 is not installed",
                ru: "Python пропущен: python3 не установлен"
            ));
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            return PythonRun::Skipped(crate::tr!(
                en: "Python skipped: cannot start python3: {e}",
                ru: "Python пропущен: не удаётся запустить python3: {e}"
            ));
        }
    };
    let status = finished.status;
    let out = String::from_utf8_lossy(&finished.stdout).into_owned();
    let _ = std::fs::remove_dir_all(&dir);
    match status {
        Some(s) if s.success() => PythonRun::Ran(out),
        Some(s) => PythonRun::Skipped(crate::tr!(
            en: "Python run of {name} failed ({s})",
            ru: "запуск {name} в Python завершился ошибкой ({s})"
        )),
        None => {
            let secs = deadline.as_secs();
            PythonRun::Skipped(crate::tr!(
                en: "Python run of {name} took over {secs} s and was stopped",
                ru: "запуск {name} в Python шёл дольше {secs} с и был остановлен"
            ))
        }
    }
}

/// Splits what a mirror printed into its named logs: a line `== NAME` starts the log of
/// `NAME`, and every line up to the next such line belongs to it. Lines before the first
/// `== ` line belong to no log.
pub fn logs_by_name(out: &str) -> Vec<(String, String)> {
    let mut logs: Vec<(String, String)> = Vec::new();
    for line in out.lines() {
        if let Some(name) = line.strip_prefix("== ") {
            logs.push((name.trim().to_owned(), String::new()));
        } else if let Some((_, log)) = logs.last_mut() {
            log.push_str(line);
            log.push('\n');
        }
    }
    logs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_are_split_at_their_names() {
        let out = "preamble\n== first\na\nb\n== second \n== third\nc\n";
        assert_eq!(
            logs_by_name(out),
            [
                ("first".to_owned(), "a\nb\n".to_owned()),
                ("second".to_owned(), String::new()),
                ("third".to_owned(), "c\n".to_owned()),
            ]
        );
    }

    #[test]
    fn runs_a_script_or_says_why_not() {
        match run(
            "hello.py",
            "import sys\nprint('hi', sys.argv[1])\n",
            &["there"],
            Duration::from_secs(20),
        ) {
            PythonRun::Ran(out) => assert_eq!(out, "hi there\n"),
            PythonRun::Skipped(why) => assert!(why.contains("ython"), "{why}"),
        }
    }
}
