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
    let listed = course().arg("corpus").arg(&corpus).output().unwrap();
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let cases: Vec<(String, String)> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter_map(|l| {
            let mut parts = l.split('\t');
            let name = parts.next()?.to_owned();
            let expect = parts.next()?.strip_prefix("expect ")?.to_owned();
            Some((name, expect))
        })
        .collect();
    assert!(cases.len() >= 17, "the corpus lists {} cases", cases.len());

    let run = grade(&corpus, &out, &["--jobs", "2"]).output().unwrap();
    let log = format!(
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.status.success(), "the grader failed:\n{log}");

    // No process of the sandbox outlives the grader (the fork bomb's children, the setsid
    // escapee, the check that ignored SIGTERM…).
    assert_eq!(
        sandbox_processes(),
        Vec::<String>::new(),
        "processes left behind"
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
    for (name, expect) in &cases {
        let r = result(&out, name);
        let e = &r["extra_data"];
        let score = r["score"].as_f64().unwrap();
        let lab = &e["labs"][0];
        let ok = match expect.as_str() {
            "rejected" => e["status"] == "rejected" && !e["message"].as_str().unwrap().is_empty(),
            "full" => score == 10.0,
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
    for (id, points) in [("solved", 10.0), ("skeleton", 0.0)] {
        let r = result(&out, id);
        if r["score"].as_f64() != Some(points) {
            problems.push(format!("{id}: expected {points}, got:\n{}", verdicts(&r)));
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
    assert!(csv.starts_with("student,lab1,total,max,status,flags\n"));
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
