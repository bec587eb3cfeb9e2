//! Tool figures (`report --tools`): how long the course's own commands take.
//!
//! Slow on purpose (a cold build of the whole workspace takes minutes), so opt-in. Each tool
//! runs as a child process from the workspace root, its output going to a log file beside
//! the report (`tools-*.log`), and is timed on the wall clock. A tool that fails to run is
//! reported as such, never as a time. Each row's evidence also says how much CPU the tool
//! used and how many cores that kept busy on average: a time that is the machine's CPU
//! (every core busy all along) is told apart from one spent waiting.
//!
//! - cold build: `cargo build --workspace --all-targets` into a fresh, empty
//!   `CARGO_TARGET_DIR` (dependencies fetched beforehand, so the network is not timed);
//! - warm re-check of one lab: `cargo course check lab1` once, then one task file touched
//!   (its modification time only, not its text), then timed again: the student's loop;
//! - the checker suite on the solutions: `cargo course check --solutions`, warm;
//! - grading: `scripts/grade --labs lab1` over a class of 30 from `scripts/gen-submissions`,
//!   after a warm-up run over 3 (a class hands in one lab at a time; Lab 1 is the lab the
//!   instructor guide quotes); then the same class on all five labs (the end of a term),
//!   and that time per submission.

use crate::report::{Row, Target, Unit};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Instant, SystemTime};

const SECTION: &str = "Tools (warm = dependencies and the lab already built once)";
const GRADE_NAME: &str = "`scripts/grade --labs lab1` over 30 submissions";

/// The workspace root: `bench/`'s parent.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("bench/ sits in the workspace root")
        .to_path_buf()
}

/// The cargo that ran us (`cargo run` sets `CARGO`), or the one on the PATH.
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// How one timed run of a tool went.
struct Ran {
    secs: f64,
    /// The exit code (`None`: killed by a signal, or could not start).
    code: Option<i32>,
    /// The CPU time of the tool and every descendant it waited for.
    cpu: Option<Cpu>,
}

/// CPU time in seconds, in user mode and in the kernel.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Cpu {
    user: f64,
    sys: f64,
}

impl Cpu {
    /// The CPU time of this process's children that have ended and been waited for (the
    /// kernel adds a child's own waited-for descendants to it when it is waited for).
    fn of_children() -> Option<Cpu> {
        use nix::sys::resource::{UsageWho, getrusage};
        let usage = getrusage(UsageWho::RUSAGE_CHILDREN).ok()?;
        let secs = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
        Some(Cpu {
            user: secs(usage.user_time()),
            sys: secs(usage.system_time()),
        })
    }

    /// What was used between `before` and `after`.
    fn since(before: Option<Cpu>, after: Option<Cpu>) -> Option<Cpu> {
        let (b, a) = (before?, after?);
        Some(Cpu {
            user: a.user - b.user,
            sys: a.sys - b.sys,
        })
    }

    /// `CPU 1,234 s (user 1,000 + sys 234): 1.85 of 2 cores busy on average` over `secs`
    /// of wall-clock time.
    fn describe(&self, secs: f64) -> String {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let total = self.user + self.sys;
        format!(
            "CPU {total:.0} s (user {:.0} + sys {:.0}): {:.2} of {cores} cores busy on average",
            self.user,
            self.sys,
            if secs > 0.0 { total / secs } else { 0.0 }
        )
    }
}

/// Runs `cmd` from the root with its output appended to `log`, and times it.
fn timed(cmd: Command, log: &Path) -> Ran {
    timed_in(cmd, log, &root())
}

/// [`timed`], from the folder `dir`.
fn timed_in(mut cmd: Command, log: &Path, dir: &Path) -> Ran {
    let out = File::options().create(true).append(true).open(log);
    let (stdout, stderr) = match out.and_then(|f| Ok((f.try_clone()?, f))) {
        Ok((a, b)) => (Stdio::from(a), Stdio::from(b)),
        Err(_) => (Stdio::null(), Stdio::null()),
    };
    cmd.current_dir(dir)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr);
    // The report runs one tool at a time: the children's CPU before and after is this one's.
    let cpu = Cpu::of_children();
    let t0 = Instant::now();
    let code = cmd.status().ok().and_then(|s| s.code());
    Ran {
        secs: t0.elapsed().as_secs_f64(),
        code,
        cpu: Cpu::since(cpu, Cpu::of_children()),
    }
}

/// A command for a tool, without the variables `cargo run` set for this binary: they
/// must not leak into the tools' own builds. The caller may set its own afterwards (the
/// cold build sets `CARGO_TARGET_DIR`).
fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    for var in [
        "CARGO_TARGET_DIR",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_MANIFEST_DIR",
        "CARGO_MANIFEST_PATH",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// The log's file name: the report names its own folder once, not in every row.
fn file_name(log: &Path) -> String {
    log.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| log.display().to_string())
}

fn cargo_cmd(args: &[&str]) -> Command {
    let mut cmd = command(cargo());
    cmd.args(args);
    cmd
}

/// A tool's row, not measured yet: what it is held to.
fn spec(id: &str, name: &str, target_secs: f64, source: &'static str, why: &'static str) -> Row {
    Row::new(
        SECTION,
        name,
        Unit::Seconds,
        None,
        Target::AtMost(target_secs),
        source,
    )
    .id(id)
    .if_missed(why)
}

/// `row` with the time of `ran` if the tool ran (exit code in `ran_ok`); otherwise it stays
/// not measured, and the evidence says why.
fn measured(row: Row, ran: &Ran, ran_ok: &[i32], log: &Path) -> Row {
    let ok = ran.code.is_some_and(|c| ran_ok.contains(&c));
    let evidence = match ran.code {
        // `course check` exits 1 when a check fails: on the untouched skeleton all do.
        Some(1) if ok => format!(
            "exit code 1 (the skeleton's checks fail, as they should); log: `{}` beside the report",
            file_name(log)
        ),
        Some(c) if ok => format!("exit code {c}; log: `{}` beside the report", file_name(log)),
        Some(c) => format!(
            "FAILED with exit code {c}: not a valid time; see `{}` beside the report",
            file_name(log)
        ),
        None => format!(
            "FAILED (killed, or could not start): see `{}` beside the report",
            file_name(log)
        ),
    };
    let evidence = match ran.cpu.filter(|_| ok) {
        Some(cpu) => format!("{evidence}; {}", cpu.describe(ran.secs)),
        None => evidence,
    };
    Row {
        rust: ok.then_some(ran.secs),
        ..row
    }
    .evidence(evidence)
}

/// Measures every tool figure; `say` reports progress.
pub fn measure(out_dir: &Path, cold_build: bool, say: &dyn Fn(&str)) -> Vec<Row> {
    let mut rows = Vec::new();
    let log = |name: &str| out_dir.join(format!("tools-{name}.log"));
    if cold_build {
        rows.push(cold(&log("cold-build"), say));
    }

    say("tools: warm re-check of lab1 after touching one file...");
    // Exit code 1 means "some checks failed": on the untouched skeleton they all do, and the
    // time is still the student's loop. 2 and above mean the tool itself failed.
    let _ = timed(cargo_cmd(&["course", "check", "lab1"]), &log("recheck"));
    if let Some(file) = lab1_task_file() {
        let _ = File::options()
            .append(true)
            .open(root().join(&file))
            .and_then(|f| f.set_modified(SystemTime::now()));
    }
    let ran = timed(cargo_cmd(&["course", "check", "lab1"]), &log("recheck"));
    rows.push(measured(
            spec(
                "tools.recheck_lab1",
                "warm `cargo course check lab1` after touching one file",
                5.0,
                "the course's quality bar: one lab re-checked in ≤ 5 s warm",
                "The touched file makes cargo rebuild lab1 and every test binary that links it, then the checks run one process each.",
            ),
            &ran,
            &[0, 1],
            &log("recheck"),
    ));

    say("tools: the checker suite on the solutions (warm)...");
    let _ = timed(
        cargo_cmd(&["course", "check", "--solutions"]),
        &log("solutions"),
    );
    let ran = timed(
        cargo_cmd(&["course", "check", "--solutions"]),
        &log("solutions"),
    );
    rows.push(measured(
            spec(
                "tools.check_solutions",
                "warm `cargo course check --solutions` (every lab)",
                30.0,
                "the course's quality bar: full checker suite on solutions ≤ 30 s warm",
                "The checks that need real time (the demos' snapshots, processes, real-time blocking checks) add up across five labs.",
            ),
            &ran,
            &[0],
            &log("solutions"),
    ));

    let grade = root().join("scripts/grade");
    if grade.exists() {
        say("tools: grading 30 submissions of Lab 1 (after a warm-up over 3)...");
        rows.extend(grading(&grade, out_dir, &log("grade")));
    } else {
        rows.push(
            Row::new(
                SECTION,
                GRADE_NAME,
                Unit::Seconds,
                None,
                Target::AtMost(360.0),
                "the course's quality bar: 30 submissions ≤ 6 min warm",
            )
            .id("tools.grade_30")
            .evidence("not measured: scripts/grade does not exist in this tree yet"),
        );
    }
    rows
}

/// The cold build: every crate of the workspace, every target, from an empty target dir.
fn cold(log: &Path, say: &dyn Fn(&str)) -> Row {
    say("tools: cold build of the whole workspace (minutes)...");
    let _ = timed(cargo_cmd(&["fetch"]), log);
    let scratch =
        std::env::temp_dir().join(format!("concurrency-labs-cold-{}", std::process::id()));
    let mut cmd = cargo_cmd(&["build", "--workspace", "--all-targets"]);
    cmd.env("CARGO_TARGET_DIR", &scratch);
    let ran = timed(cmd, log);
    let _ = std::fs::remove_dir_all(&scratch);
    measured(
        spec(
            "tools.cold_build",
            "cold `cargo build --workspace --all-targets`",
            105.0,
            "the course's quality bar: ≤ 1 min 45 s on 2 cores",
            "The course's own crates take most of it: each lab is compiled twice (skeleton and solution, each with the demo), Labs 1–4 at opt-level 1 so that the demos measure real speedups (Lab 5, in virtual time, unoptimised); the dependencies are already unoptimised (Cargo.toml's profile).",
        ),
        &ran,
        &[0],
        log,
    )
}

/// CI's whole run, `CI=true bash .ci/run` (format, lint, both books, `cargo selftest`), on a
/// fresh clone of the committed HEAD: no target dir, no grader scratch, nothing built. The
/// clone sits under `target/` (a folder only we can write to, so the grader's tests keep their
/// scratch folders inside the clone) and is removed afterwards. Uncommitted changes are not
/// in it: commit first.
pub fn ci(out_dir: &Path, say: &dyn Fn(&str)) -> Row {
    say("tools: CI's whole run on a fresh clone (half an hour)...");
    let log = out_dir.join("tools-ci.log");
    let clone = root()
        .join("target")
        .join(format!("bench-ci-clone-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&clone);
    let mut git = command("git");
    git.arg("clone").arg("--quiet").arg(root()).arg(&clone);
    let cloned = timed(git, &log);
    let row = spec(
        "tools.ci_run",
        "`CI=true bash .ci/run` on a fresh clone",
        1200.0,
        "the course's quality bar: CI ≤ 20 min on 2 cores",
        "Most of it is `cargo selftest`: each lab's fixtures are built and checked one by one, the grader's tests grade their classes in a sandbox; the two run side by side. When the evidence shows both cores busy nearly all along, the time is the CPU this proof needs (some 300 incremental builds and the checks they run) on this machine, and a slower or busier machine takes longer.",
    );
    if cloned.code != Some(0) {
        return row.evidence(format!(
            "not measured: `git clone` of the workspace failed; see `{}` beside the report",
            file_name(&log)
        ));
    }
    let mut cmd = command("bash");
    cmd.arg(".ci/run").env("CI", "true").current_dir(&clone);
    let ran = timed_in(cmd, &log, &clone);
    let _ = std::fs::remove_dir_all(&clone);
    measured(row, &ran, &[0], &log)
}

/// The student file of lab1's first task, from the root (`labs/lab1-sync/src/measure.rs`).
fn lab1_task_file() -> Option<PathBuf> {
    let course = kit::course::Course::load(&root()).ok()?;
    let lab = course.lab("lab1")?;
    let task = lab.tasks.first()?;
    Some(lab.task_path(task))
}

/// Writes `count` submissions (each a `labs/` with the student files only) into `dir`: a
/// realistic class mixes solved and untouched labs, so each student gets the reference
/// solution for some labs and the untouched skeleton for the others.
fn make_submissions(dir: &Path, count: usize) -> Result<(), String> {
    let root = root();
    let course = kit::course::Course::load(&root)?;
    for s in 0..count {
        let student = dir.join(format!("student-{s:02}"));
        for (l, lab) in course.labs.iter().enumerate() {
            let from = if (s + l) % 3 == 0 {
                &lab.dir
            } else {
                &lab.solution
            };
            for file in lab.student_files() {
                let src = root.join(from).join(file);
                let dst = student.join(&lab.dir).join(file);
                if let Some(parent) = dst.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
                }
                std::fs::copy(&src, &dst).map_err(|e| format!("{}: {e}", src.display()))?;
            }
        }
    }
    Ok(())
}

/// A class of `count` submissions in `dir`: the course's own generator when it exists
/// (`scripts/gen-submissions`: solved, untouched, known-wrong and hostile submissions, in
/// every format the grader takes), else [`make_submissions`].
fn generate(dir: &Path, count: usize, log: &Path) -> Result<(), String> {
    let script = root().join("scripts/gen-submissions");
    if !script.exists() {
        return make_submissions(dir, count);
    }
    let mut cmd = command(script);
    cmd.arg(dir).arg(count.to_string());
    match timed(cmd, log).code {
        Some(0) => Ok(()),
        other => Err(format!("scripts/gen-submissions ended with {other:?}")),
    }
}

/// The class graded on Lab 1, then on all five labs (and that per submission).
fn grading(grade: &Path, out_dir: &Path, log: &Path) -> Vec<Row> {
    let scratch =
        std::env::temp_dir().join(format!("concurrency-labs-grade-{}", std::process::id()));
    let (warm, class) = (scratch.join("warm-up"), scratch.join("class"));
    let made = generate(&warm, 3, log).and_then(|()| generate(&class, 30, log));
    let source = "the course's quality bar: 30 submissions ≤ 6 min warm on 2 cores";
    let name = GRADE_NAME;
    if let Err(e) = made {
        let _ = std::fs::remove_dir_all(&scratch);
        let row = Row::new(
            SECTION,
            name,
            Unit::Seconds,
            None,
            Target::AtMost(360.0),
            source,
        )
        .id("tools.grade_30")
        .evidence(format!("not measured: cannot write the submissions: {e}"));
        return vec![row];
    }
    let run = |subs: &Path, labs: &[&str], out: &Path| {
        let mut cmd = command(grade);
        cmd.arg(subs).args(labs).arg("--out").arg(out);
        timed(cmd, log)
    };
    let _ = run(&warm, &["--labs", "lab1"], &scratch.join("grades-warm-up"));
    let ran = run(&class, &["--labs", "lab1"], &scratch.join("grades"));
    let all = run(&class, &[], &scratch.join("grades-all"));
    let _ = std::fs::copy(
        scratch.join("grades/grades.csv"),
        out_dir.join("tools-grades.csv"),
    );
    let _ = std::fs::copy(
        scratch.join("grades/summary.txt"),
        out_dir.join("tools-grades-summary.txt"),
    );
    let _ = std::fs::remove_dir_all(&scratch);
    let why = "Each submission builds its own lab crates and runs every check in a sandboxed process; 2 cores grade 2 students at a time.";
    let per_submission = Ran {
        secs: all.secs / 30.0,
        code: all.code,
        cpu: all.cpu.map(|c| Cpu {
            user: c.user / 30.0,
            sys: c.sys / 30.0,
        }),
    };
    vec![
        measured(
            spec("tools.grade_30", name, 360.0, source, why),
            &ran,
            &[0],
            log,
        ),
        measured(
            spec(
                "tools.grade_30_all",
                "`scripts/grade` over the same 30 submissions, all five labs",
                900.0,
                "the course's quality bar: a class of 30 on all five labs ≤ 15 min on 2 cores",
                why,
            ),
            &all,
            &[0],
            log,
        ),
        measured(
            spec(
                "tools.grade_per_submission",
                "the same, per submission",
                30.0,
                "15 min over 30 submissions",
                why,
            ),
            &per_submission,
            &[0],
            log,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timed_tool_reports_the_cpu_its_process_tree_used() {
        let log = std::env::temp_dir().join(format!("bench-cpu-{}.log", std::process::id()));
        // A shell that counts in a child shell: the grandchild's CPU counts too.
        let mut cmd = Command::new("sh");
        cmd.args([
            "-c",
            "sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done'",
        ]);
        let ran = timed_in(cmd, &log, &std::env::temp_dir());
        let _ = std::fs::remove_file(&log);
        assert_eq!(ran.code, Some(0));
        let cpu = ran.cpu.expect("getrusage works on Linux");
        assert!(cpu.user + cpu.sys >= 0.05, "{cpu:?} over {} s", ran.secs);
    }

    #[test]
    fn the_cpu_says_how_many_cores_were_busy() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let cpu = Cpu {
            user: 1000.4,
            sys: 233.9,
        };
        assert_eq!(
            cpu.describe(667.0),
            format!("CPU 1234 s (user 1000 + sys 234): 1.85 of {cores} cores busy on average")
        );
    }
}
