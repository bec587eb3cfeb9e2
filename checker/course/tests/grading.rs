//! The grader's promises about a class: a killed run resumes with identical results,
//! `--student` re-grades one, `--shard K/N` + `merge` give the same gradebook, and the
//! Gradescope bundle grades the one submission it is given; two graders on one machine at
//! once give what each gives alone.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn class(dir: &Path, n: usize) -> PathBuf {
    let subs = dir.join("submissions");
    let made = course()
        .arg("corpus")
        .arg(&subs)
        .args(["--class", &n.to_string()])
        .output()
        .unwrap();
    assert_ok(&made, "");
    subs
}

/// The class of 6 every test here compares with, graded once by a run that nobody
/// interrupts (in `target/course-tests/class`): its submissions and its grades. The first
/// test to ask grades it; the others reuse it (the tests take turns: `turn()`).
fn graded_class() -> &'static (PathBuf, PathBuf) {
    static CLASS: std::sync::OnceLock<(PathBuf, PathBuf)> = std::sync::OnceLock::new();
    CLASS.get_or_init(|| {
        let dir = fresh("class");
        let subs = class(&dir, 6);
        let out = dir.join("grades");
        run_ok(grade(&subs, &out, &[]));
        assert_eq!(ids(&out).len(), 6);
        assert_eq!(sandbox_processes(), Vec::<String>::new());
        (subs, out)
    })
}

fn ids(out: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(out.join("students"))
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().join("results.json").exists())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn all_verdicts(out: &Path) -> String {
    // A spin ends at the CPU limit on a quiet machine and at the wall-clock deadline on a
    // loaded one (it gets too little CPU to reach its limit in time): either way the
    // sandbox stopped it, and the task lost its points. The two words are one fate here.
    ids(out)
        .iter()
        .map(|id| verdicts(&result(out, id)))
        .collect::<String>()
        .replace("\"cpu_limit\"", "\"cpu_limit|timeout\"")
        .replace("\"timeout\"", "\"cpu_limit|timeout\"")
}

#[test]
fn a_killed_run_resumes_with_identical_results_and_shards_merge() {
    let _turn = turn();
    // A run that nobody interrupts.
    let (subs, full) = graded_class();
    let dir = fresh("resume");
    // The class report comes with every run (tests/class_report.rs tests what it says).
    for file in ["report.html", "similarity.html", "similarity.csv"] {
        assert!(full.join(file).is_file(), "no {file} after grading");
    }

    // The same run, killed (SIGKILL: no chance to clean up) after its first student…
    let resumed = dir.join("resumed");
    let mut child = grade(subs, &resumed, &[]).spawn().unwrap();
    let t0 = Instant::now();
    while ids(&resumed).is_empty() && t0.elapsed() < Duration::from_secs(600) {
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let done_before = ids(&resumed).len();
    assert!(
        (1..6).contains(&done_before),
        "killed after {done_before} students"
    );
    // …leaves nothing running: each check dies with the grader (parent-death signal). Only
    // this grader's uids count: another grader on the machine (another clone's tests) has
    // a range of its own.
    let base = result(&resumed, &ids(&resumed)[0])["extra_data"]["limits"]["uid_base"]
        .as_u64()
        .map_or(64_000, |b| b as u32);
    let own = base..base + course::sandbox::UIDS_PER_GRADER;
    let t0 = Instant::now();
    while !sandbox_processes_in(own.clone()).is_empty() && t0.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        sandbox_processes_in(own),
        Vec::<String>::new(),
        "left by the killed grader"
    );

    // …and the same command finishes the job, grading only what was missing.
    let log = run_ok(grade(subs, &resumed, &[]));
    assert!(
        log.contains(&format!("({done_before} already done)")),
        "the resumed run re-graded finished students:\n{log}"
    );
    assert_eq!(all_verdicts(&resumed), all_verdicts(full));
    assert_eq!(
        std::fs::read_to_string(resumed.join("grades.csv")).unwrap(),
        std::fs::read_to_string(full.join("grades.csv")).unwrap()
    );

    // Re-grading one student is one flag, and grades that one only.
    let log = run_ok(grade(subs, &resumed, &["--student", "student01"]));
    assert!(log.contains("grading 1 submissions"), "{log}");
    assert_eq!(all_verdicts(&resumed), all_verdicts(full));

    // Two shards, merged, make the same gradebook.
    let (a, b) = (dir.join("shard1"), dir.join("shard2"));
    run_ok(grade(subs, &a, &["--shard", "1/2"]));
    run_ok(grade(subs, &b, &["--shard", "2/2"]));
    assert_eq!(
        ids(&a).len() + ids(&b).len(),
        6,
        "every student in exactly one shard"
    );
    let merged = dir.join("merged");
    run_ok({
        let mut c = course();
        c.arg("merge")
            .arg("--out")
            .arg(&merged)
            .arg(&a)
            .arg(&b)
            .args(["--labs", "lab1"]);
        c
    });
    assert_eq!(
        std::fs::read_to_string(merged.join("grades.csv")).unwrap(),
        std::fs::read_to_string(full.join("grades.csv")).unwrap()
    );
    assert_eq!(all_verdicts(&merged), all_verdicts(full));
}

#[test]
fn the_gradescope_bundle_grades_one_submission() {
    let _turn = turn();
    let dir = fresh("gradescope");
    let bundle = dir.join("autograder");
    run_ok({
        let mut c = course();
        c.arg("gradescope").arg(&bundle).args(["--labs", "lab1"]);
        c
    });
    for f in [
        "setup.sh",
        "run_autograder",
        "source/course.toml",
        "source/checker/hidden/lab1.rs",
    ] {
        assert!(bundle.join(f).exists(), "the bundle has no {f}");
    }
    assert!(
        !bundle.join("source/solutions").exists(),
        "the bundle holds the solutions"
    );
    let zip = std::fs::File::open(dir.join("autograder.zip")).unwrap();
    let zip = zip::ZipArchive::new(zip).unwrap();
    let names: Vec<String> = zip.file_names().flatten().map(|n| n.into_owned()).collect();
    assert!(names.iter().any(|n| n == "run_autograder"), "{names:?}");
    assert!(names.iter().any(|n| n == "setup.sh"));
    assert!(
        !names.iter().any(|n| n.contains("solutions/")),
        "the zip holds the solutions"
    );

    // Gradescope's layout, in a temporary folder: /autograder/{source,submission,results}.
    let ag = dir.join("ag");
    std::fs::create_dir_all(ag.join("submission/labs/lab1-sync/src")).unwrap();
    std::os::unix::fs::symlink(bundle.join("source"), ag.join("source")).unwrap();
    for f in ["measure.rs", "workloads.rs", "download.rs", "report.rs"] {
        std::fs::copy(
            root().join("solutions/lab1-sync/src").join(f),
            ag.join("submission/labs/lab1-sync/src").join(f),
        )
        .unwrap();
    }
    let o = std::process::Command::new(bundle.join("run_autograder"))
        .env("AUTOGRADER_ROOT", &ag)
        .env("COURSE_BIN", env!("CARGO_BIN_EXE_course"))
        .env("GRADE_SCRATCH", scratch())
        .output()
        .unwrap();
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ag.join("results/results.json")).unwrap())
            .unwrap_or_else(|e| {
                panic!(
                    "{e}\n{}{}",
                    String::from_utf8_lossy(&o.stdout),
                    String::from_utf8_lossy(&o.stderr)
                )
            });
    assert_eq!(r["score"], 10.0, "{}", verdicts(&r));
    assert_eq!(r["max_score"], 10.0);
    let tests = r["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 5, "one Gradescope test per task of Lab 1");
    for t in tests {
        for key in [
            "name",
            "score",
            "max_score",
            "status",
            "output",
            "visibility",
        ] {
            assert!(t.get(key).is_some(), "a test without {key}: {t}");
        }
        assert_eq!(t["status"], "passed");
    }
}

#[test]
fn two_graders_at_once_give_what_each_gives_alone() {
    let _turn = turn();
    // What the class gets from one grader alone on the machine.
    let (subs, alone) = graded_class();
    let expected = all_verdicts(alone);
    let dir = fresh("two-graders");

    // The second grader gets a scratch folder of its own, a copy of the first one's (so its
    // dependencies are compiled already, as on a machine that graded before).
    let scratch2 = private().join("scratch2");
    let _ = std::fs::remove_dir_all(&scratch2);
    let copied = std::process::Command::new("cp")
        .args(["-a", "--reflink=auto"])
        .arg(scratch())
        .arg(&scratch2)
        .status()
        .unwrap();
    assert!(copied.success());
    let (a, b) = (dir.join("a"), dir.join("b"));
    // Both at once: started together, each waited for on a thread of its own.
    let runs = std::thread::scope(|s| {
        let one = s.spawn(|| grade(subs, &a, &[]).output().unwrap());
        let two = s.spawn(|| grade_in(subs, &b, &scratch2, &[]).output().unwrap());
        (one.join().unwrap(), two.join().unwrap())
    });
    for (o, out) in [(&runs.0, &a), (&runs.1, &b)] {
        assert!(o.status.success(), "{}", all_output(o));
        assert_eq!(
            all_verdicts(out),
            expected,
            "{} differs from a run alone",
            out.display()
        );
    }
    // Each had uids of its own, and neither left a process behind.
    let base = |out: &Path| result(out, &ids(out)[0])["extra_data"]["limits"]["uid_base"].clone();
    if is_root() {
        assert_ne!(base(&a), base(&b), "two graders shared a uid range");
    }
    assert_eq!(sandbox_processes(), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(&scratch2);
}
