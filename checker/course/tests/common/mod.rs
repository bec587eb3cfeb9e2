//! What the grader's tests share: the workspace, one scratch folder, and a lock.
//!
//! Every test grades real submissions with the real `course` binary. They share one scratch
//! folder (`target/course-tests/scratch`): the dependencies are compiled there once (the
//! first run takes a few minutes, unless the self-test's fixtures compiled them already),
//! then every later run only rebuilds the student crates.
//! A grader's job folders cannot be used by two graders at once, so the tests take turns.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};

/// The course workspace.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// `target/course-tests/<name>`, emptied.
pub fn fresh(name: &str) -> PathBuf {
    let dir = root().join("target/course-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The scratch folder every grading test shares (kept between runs: it is the cache). Its
/// first job starts from the dependencies that `cargo selftest` compiled for the fixtures,
/// when there are some (`cargo selftest` runs these tests beside the fixtures): a copy
/// instead of a compilation. Built from the course's own sources, never a submission's.
pub fn scratch() -> PathBuf {
    let scratch = private().join("scratch");
    let _ = course::tree::seed_target(
        &root().join("target/selftest/target0"),
        &scratch.join("job0/target"),
        &root(),
    );
    scratch
}

/// Where the tests' grader scratch folders go: `target/course-tests`, unless the workspace
/// sits under a folder others can write to (a clone in /tmp), where the grader refuses a
/// scratch folder (cargo would read a `.cargo/config.toml` planted above it); then a folder
/// of this workspace's own under `~/.cache`.
pub fn private() -> PathBuf {
    use std::hash::{Hash, Hasher};
    use std::os::unix::fs::MetadataExt;
    let root = root();
    let open = root.ancestors().any(|a| {
        std::fs::metadata(a)
            .is_ok_and(|m| m.mode() & 0o022 != 0 || (m.uid() != 0 && m.uid() != nix_euid()))
    });
    if !open {
        return root.join("target/course-tests");
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    root.hash(&mut h);
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from);
    home.join(".cache/course-tests")
        .join(format!("{:016x}", h.finish()))
}

fn nix_euid() -> u32 {
    nix::unistd::geteuid().as_raw()
}

/// One grader at a time.
pub fn turn() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(|e| e.into_inner())
}

/// The course tool, built by cargo for these tests.
pub fn course() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_course"));
    // The tests read the English texts, whatever the machine's locale.
    c.current_dir(root())
        .env("CI", "true")
        .env(model::lang::COURSE_LANG, "en");
    c
}

/// What a command wrote, its stdout then its stderr.
pub fn all_output(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Runs `c`; panics with all it wrote unless it succeeded, else returns that.
pub fn run_ok(mut c: Command) -> String {
    let o = c.output().unwrap();
    let text = all_output(&o);
    assert!(o.status.success(), "{text}");
    text
}

/// Panics with `what` then the command's stderr unless it succeeded.
pub fn assert_ok(o: &Output, what: &str) {
    assert!(
        o.status.success(),
        "{what}{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The CPU seconds per check the grading tests allow.
pub const TEST_CPU_SECS: &str = "3";

/// `course grade SUBMISSIONS --out OUT --labs lab1 --scratch <shared>` with tight limits
/// (so the hostile cases end fast: 3 s of CPU catch a spinning loop long before the
/// 10-20 s deadlines even on a loaded machine; the heaviest check, Lab 2's stress of the
/// pool, burns about 1 s) and any `extra` arguments.
pub fn grade(submissions: &Path, out: &Path, extra: &[&str]) -> Command {
    grade_in(submissions, out, &scratch(), extra)
}

/// [`grade`] with a scratch folder of its own.
pub fn grade_in(submissions: &Path, out: &Path, scratch: &Path, extra: &[&str]) -> Command {
    let mut c = course();
    c.arg("grade")
        .arg(submissions)
        .arg("--out")
        .arg(out)
        .arg("--scratch")
        .arg(scratch)
        .args([
            "--labs",
            "lab1",
            "--plain",
            "--cpu-secs",
            TEST_CPU_SECS,
            "--memory-mib",
            "256",
        ])
        .args(extra);
    c
}

/// A student's results.json.
pub fn result(out: &Path, id: &str) -> serde_json::Value {
    let path = out.join("students").join(id).join("results.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// What must be identical between two gradings of the same submission: the score, the
/// status, and every check's verdict.
pub fn verdicts(r: &serde_json::Value) -> String {
    let e = &r["extra_data"];
    let mut s = format!("{} {} {}\n", e["student"], r["score"], e["status"]);
    for lab in e["labs"].as_array().into_iter().flatten() {
        s += &format!("  {} {} {}\n", lab["lab"], lab["score"], lab["status"]);
        for t in lab["tasks"].as_array().into_iter().flatten() {
            for c in t["checks"].as_array().into_iter().flatten() {
                s += &format!("    {} {}\n", c["name"], c["verdict"]);
            }
        }
    }
    s
}

/// Processes whose real uid is in the grader's uid ranges (64000 and up): any left after a
/// grader exits is a process it failed to kill.
pub fn sandbox_processes() -> Vec<String> {
    sandbox_processes_in(64_000..65_024)
}

/// Processes whose real uid is in `uids` (one grader's range).
pub fn sandbox_processes_in(uids: std::ops::Range<u32>) -> Vec<String> {
    let mut left = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(status) = std::fs::read_to_string(e.path().join("status")) else {
            continue;
        };
        let uid: u32 = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|u| u.parse().ok())
            .unwrap_or(0);
        if uids.contains(&uid) {
            let name = status.lines().next().unwrap_or_default().to_owned();
            left.push(format!(
                "pid {} uid {uid} {name}",
                e.file_name().to_string_lossy()
            ));
        }
    }
    left
}

/// `true` when the tests run as root (the full sandbox is only there then).
pub fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}
