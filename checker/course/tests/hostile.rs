//! The grader survives the hostile corpus (checker/hostile/corpus.toml) in one run.
//!
//! Every case gets its expected verdict, the correct submissions next to them get full
//! marks, the untouched skeleton zero, every student has a complete result, and no process
//! of the sandbox is left when the grader exits.

mod common;

use common::*;

#[test]
fn the_grader_survives_the_hostile_corpus() {
    let _turn = turn();
    let dir = fresh("hostile");
    let corpus = dir.join("submissions");
    let out = dir.join("grades");
    let _ = std::fs::remove_file("/tmp/hostile-build-script-ran");
    for trace in ["/tmp/hostile-wrapper.sh", "/tmp/hostile-wrapper-ran"] {
        let _ = std::fs::remove_file(trace);
    }
    let listed = course().arg("corpus").arg(&corpus).output().unwrap();
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let cases: Vec<(String, String, String)> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter_map(|l| {
            let mut parts = l.split('\t');
            let name = parts.next()?.to_owned();
            let expect = parts.next()?.strip_prefix("expect ")?.to_owned();
            let lab = parts.nth(1)?.strip_prefix("lab ")?.to_owned();
            Some((name, expect, lab))
        })
        .collect();
    assert!(cases.len() >= 17, "the corpus lists {} cases", cases.len());
    // Every lab a case attacks is graded (lab 1 first); each case holds its own lab only.
    let mut labs: Vec<String> = cases.iter().map(|c| c.2.clone()).collect();
    labs.push("lab1".into());
    labs.sort();
    labs.dedup();

    let run = course()
        .arg("grade")
        .arg(&corpus)
        .arg("--out")
        .arg(&out)
        .arg("--scratch")
        .arg(scratch())
        .args(["--labs", &labs.join(","), "--plain", "--cpu-secs", "1"])
        .args(["--memory-mib", "256", "--jobs", "2"])
        .output()
        .unwrap();
    let log = format!(
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.status.success(), "the grader failed:\n{log}");

    // No process of the sandbox outlives the grader (the fork bomb's children, the setsid
    // escapee, the check that ignored SIGTERM…). Only this grader's uids: another grader on
    // the machine has its own range and its own processes.
    let uid_base = result(&out, "solved")["extra_data"]["limits"]["uid_base"].as_u64();
    if let Some(base) = uid_base {
        let base = base as u32;
        assert_eq!(
            sandbox_processes_in(base..base + 64),
            Vec::<String>::new(),
            "processes left behind"
        );
        // Nothing a check wrote outlives it outside the job (fill-tmp, plant-cargo-config):
        // the shared temporary folders hold nothing of a sandbox uid.
        assert_eq!(
            owned_by(&["/tmp", "/var/tmp", "/dev/shm"], base..base + 64),
            Vec::<String>::new(),
            "files left behind by checks"
        );
        // The hidden checks' artifacts are out of reach of student builds and public checks.
        for job in std::fs::read_dir(scratch()).unwrap().flatten() {
            let deps = job.path().join("target/debug/deps");
            for e in std::fs::read_dir(&deps).into_iter().flatten().flatten() {
                use std::os::unix::fs::MetadataExt;
                if !e.file_name().to_string_lossy().contains("_hidden-") {
                    continue;
                }
                let m = e.metadata().unwrap();
                assert!(
                    m.mode() & 0o007 == 0 && m.uid() == 0 && m.gid() == base,
                    "{} is readable outside the hidden group ({:o}, {}:{})",
                    e.path().display(),
                    m.mode(),
                    m.uid(),
                    m.gid()
                );
            }
        }
    }
    for planted in ["/tmp/.cargo", "/var/tmp/.cargo", "/dev/shm/.cargo"] {
        let p = Path::new(planted);
        assert!(
            !p.exists() || owned_by(&[planted], 64_000..65_024).is_empty(),
            "a check planted {planted}"
        );
    }
    assert!(
        !Path::new("/tmp/hostile-wrapper-ran").exists(),
        "a rustc-wrapper planted by a check ran"
    );
    assert!(
        !Path::new("/tmp/hostile-build-script-ran").exists(),
        "a student's build script ran"
    );
    assert!(
        !Path::new("/tmp/zip-slip-was-here.rs").exists(),
        "an archive wrote outside"
    );

    let mut problems = Vec::new();
    for (name, expect, lab_id) in &cases {
        let r = result(&out, name);
        let e = &r["extra_data"];
        let score = r["score"].as_f64().unwrap();
        let lab = e["labs"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|l| l["lab"] == lab_id.as_str())
            .cloned()
            .unwrap_or_default();
        let ok = match expect.as_str() {
            "rejected" => e["status"] == "rejected" && !e["message"].as_str().unwrap().is_empty(),
            "full" => lab["score"].as_f64().is_some() && lab["score"] == lab["max_score"],
            "compile_error" => lab["status"] == "compile_error" && score == 0.0,
            verdict => {
                let trigger = lab["tasks"][2]["checks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["name"] == "task_1_3::count_primes_counts_strictly_below_the_limit")
                    .map(|c| c["verdict"].as_str().unwrap().to_owned());
                // The full sandbox (root) gives every verdict; without it a memory bomb
                // ends as an allocation failure, still `memory`.
                trigger.as_deref() == Some(verdict) && score == 8.0
            }
        };
        if !ok {
            problems.push(format!("{name}: expected {expect}, got:\n{}", verdicts(&r)));
        }
    }
    let solved = result(&out, "solved");
    if solved["score"] != solved["max_score"] || solved["score"].as_f64() == Some(0.0) {
        problems.push(format!(
            "solved: expected full marks, got:\n{}",
            verdicts(&solved)
        ));
    }
    let skeleton = result(&out, "skeleton");
    if skeleton["score"].as_f64() != Some(0.0) {
        problems.push(format!(
            "skeleton: expected 0, got:\n{}",
            verdicts(&skeleton)
        ));
    }
    assert!(
        problems.is_empty(),
        "{}\n--- grader output ---\n{log}",
        problems.join("\n")
    );

    // The gradebook has every student, once.
    let csv = std::fs::read_to_string(out.join("grades.csv")).unwrap();
    assert_eq!(
        csv.lines().count(),
        cases.len() + 3,
        "header + every student:\n{csv}"
    );
    assert!(
        csv.starts_with(&format!("student,{},total,max,status\n", labs.join(","))),
        "{csv}"
    );
    // The limits in force are recorded with every result.
    let r = result(&out, "solved");
    let limits = &r["extra_data"]["limits"];
    assert_eq!(limits["limits"]["cpu_secs"], 1);
    if is_root() {
        assert_eq!(limits["own_uid"], true, "{limits}");
        assert_eq!(limits["rlimit_nproc"], true, "{limits}");
    }
}

use std::path::Path;

/// Files directly in `dirs` (or `dirs` themselves) whose owner is in `uids`.
fn owned_by(dirs: &[&str], uids: std::ops::Range<u32>) -> Vec<String> {
    use std::os::unix::fs::MetadataExt;
    let mut found = Vec::new();
    for d in dirs {
        let mut paths = vec![std::path::PathBuf::from(d)];
        paths.extend(
            std::fs::read_dir(d)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path()),
        );
        for p in paths {
            if let Ok(m) = std::fs::symlink_metadata(&p)
                && uids.contains(&m.uid())
            {
                found.push(format!("{} (uid {})", p.display(), m.uid()));
            }
        }
    }
    found
}
