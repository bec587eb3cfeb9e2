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
    let _ = std::fs::remove_file("/tmp/hostile-git-ran");
    for trace in ["/tmp/hostile-wrapper.sh", "/tmp/hostile-wrapper-ran"] {
        let _ = std::fs::remove_file(trace);
    }
    let listed = course().arg("corpus").arg(&corpus).output().unwrap();
    assert_ok(&listed, "");
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
    assert!(cases.len() >= 30, "the corpus lists {} cases", cases.len());

    // Every lab a case is about is graded, in the same run.
    let labs_of: std::collections::BTreeMap<String, String> = course::corpus::load(&root())
        .unwrap()
        .into_iter()
        .map(|c| (c.name, c.lab))
        .collect();
    let mut labs: Vec<&str> = labs_of.values().map(String::as_str).collect();
    labs.sort();
    labs.dedup();
    let labs = labs.join(",");
    // `grade` already names lab1.
    let more: Vec<&str> = labs.split(',').filter(|l| *l != "lab1").collect();
    let more = more.join(",");
    let mut args = vec!["--jobs", "2"];
    if !more.is_empty() {
        args.extend(["--labs", more.as_str()]);
    }
    let run = grade(&corpus, &out, &args).output().unwrap();
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
    for (trace, what) in [
        (
            "/tmp/hostile-wrapper-ran",
            "a rustc-wrapper planted by a check ran",
        ),
        (
            "/tmp/hostile-build-script-ran",
            "a student's build script ran",
        ),
        ("/tmp/zip-slip-was-here.rs", "an archive wrote outside"),
    ] {
        assert!(!Path::new(trace).exists(), "{what}");
    }
    assert!(
        !Path::new("/tmp/hostile-git-ran").exists(),
        "a command of a student's git repository ran: {}",
        std::fs::read_to_string("/tmp/hostile-git-ran").unwrap_or_default()
    );

    let mut problems = Vec::new();
    for (name, expect, _) in &cases {
        let r = result(&out, name);
        let e = &r["extra_data"];
        let case_lab = labs_of.get(name).map_or("lab1", String::as_str);
        let lab = e["labs"]
            .as_array()
            .and_then(|l| l.iter().find(|l| l["lab"] == case_lab))
            .cloned()
            .unwrap_or_default();
        // The case's lab alone: the other labs were not submitted.
        let score = lab["score"].as_f64().unwrap_or(-1.0);
        let max = lab["max_score"].as_f64().unwrap_or(-1.0);
        let ok = match expect.as_str() {
            "rejected" => e["status"] == "rejected" && !e["message"].as_str().unwrap().is_empty(),
            "full" => score == max && max > 0.0,
            // Not a point, and not one check passed that the untouched skeleton does not
            // pass too: a forged pass never counts, even in a task that loses anyway.
            "zero" => {
                let passed = |lab: &serde_json::Value| -> Vec<String> {
                    lab["tasks"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .flat_map(|t| t["checks"].as_array().cloned().unwrap_or_default())
                        .filter(|c| c["verdict"] == "passed")
                        .map(|c| c["name"].as_str().unwrap_or_default().to_owned())
                        .collect()
                };
                let skeleton = result(&out, "skeleton");
                let untouched = skeleton["extra_data"]["labs"]
                    .as_array()
                    .and_then(|l| l.iter().find(|l| l["lab"] == case_lab))
                    .map(passed)
                    .unwrap_or_default();
                lab["status"] == "graded"
                    && score == 0.0
                    && passed(&lab).iter().all(|c| untouched.contains(c))
            }
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
                // `a|b`: either verdict is the sandbox holding (a fork bomb meets the
                // process cap or the memory cap first, whichever the machine reaches first).
                trigger.is_some_and(|t| verdict.split('|').any(|v| v == t)) && score == 8.0
            }
        };
        if !ok {
            problems.push(format!("{name}: expected {expect}, got:\n{}", verdicts(&r)));
        }
    }
    for (id, full) in [("solved", true), ("skeleton", false)] {
        let r = result(&out, id);
        let expected = if full {
            r["max_score"].as_f64()
        } else {
            Some(0.0)
        };
        if r["score"].as_f64() != expected {
            problems.push(format!(
                "{id}: expected {expected:?}, got:\n{}",
                verdicts(&r)
            ));
        }
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
        csv.starts_with(&format!("student,{},total,max,status,flags\n", labs)),
        "{csv}"
    );
    // Every cell is text in a spreadsheet: none starts a formula (ids such as +1+1, -x, @x).
    for line in csv.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula in grades.csv: {line}"
            );
        }
    }
    // The forgers are flagged for the instructor (libtest's words, an exit).
    let summary = std::fs::read_to_string(out.join("summary.txt")).unwrap();
    for forger in labs_of.keys().filter(|n| n.starts_with("forged-")) {
        assert!(
            summary
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{forger}:"))
                    && l.contains(":libtest-text")),
            "{forger} is not flagged:\n{summary}"
        );
    }
    // The limits in force are recorded with every result.
    let r = result(&out, "solved");
    let limits = &r["extra_data"]["limits"];
    assert_eq!(
        limits["limits"]["cpu_secs"].to_string(),
        TEST_CPU_SECS,
        "{limits}"
    );
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
