//! The handout is the student edition: no solutions, no hidden checks, no fixtures; it
//! builds offline and locked on its own, and its checks fail only on unsolved tasks.

mod common;

use common::*;
use std::path::Path;

fn check_lab1(edition: &Path, target: &Path) -> serde_json::Value {
    let json = edition.join("results.json");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_course"))
        .current_dir(edition)
        .args(["check", "lab1", "--json"])
        .arg(&json)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_NET_OFFLINE", "true")
        .env("LABS_PYTHON", "off")
        .output()
        .unwrap();
    let text = std::fs::read_to_string(&json).unwrap_or_else(|e| {
        panic!(
            "no results ({e}):\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    let all: serde_json::Value = serde_json::from_str(&text).unwrap();
    all[0].clone()
}

/// Task id → points earned; panics on a lab that could not be checked.
fn earned(lab: &serde_json::Value) -> Vec<(String, u64)> {
    assert!(
        lab["failure"].is_null(),
        "the handout's lab1 could not be checked: {}",
        lab["failure"]
    );
    lab["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_owned(),
                t["earned"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_handout_builds_and_fails_only_unsolved_tasks() {
    let _turn = turn();
    let dir = fresh("handout");
    let edition = dir.join("edition");
    let o = course().arg("handout").arg(&edition).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    for gone in [
        "solutions",
        "checker/hidden",
        "checker/fixtures",
        "checker/hostile",
        "checker/course/tests",
        "scripts/grade",
    ] {
        assert!(!edition.join(gone).exists(), "the handout holds {gone}");
    }
    assert!(edition.join(".github/workflows/check.yml").is_file());
    for (manifest, gone) in [
        ("Cargo.toml", "\"solutions/*\""),
        ("checker/Cargo.toml", "solutions-lab"),
        ("checker/Cargo.toml", "solutions ="),
        ("Cargo.lock", "-solution"),
    ] {
        let text = std::fs::read_to_string(edition.join(manifest)).unwrap();
        assert!(
            !text.contains(gone),
            "{manifest} still holds {gone}:\n{text}"
        );
    }

    // Built on its own, offline and locked, in a target dir seeded with the compiled
    // dependencies of the grader's tests (a copy: the crates are the same).
    let target = root().join("target/course-tests/handout-target");
    let seed = scratch().join("job0/target");
    if !target.exists() && seed.exists() {
        let _ = std::process::Command::new("cp")
            .args(["-a"])
            .arg(&seed)
            .arg(&target)
            .status();
    }
    let locked =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(&edition)
            .args(["metadata", "--locked", "--offline", "--format-version", "1"])
            .stdout(std::process::Stdio::null())
            .output()
            .unwrap();
    assert!(
        locked.status.success(),
        "the handout's Cargo.lock is not up to date: {}",
        String::from_utf8_lossy(&locked.stderr)
    );

    // Untouched: every task fails, none because of the handout itself.
    let skeleton = check_lab1(&edition, &target);
    assert!(
        earned(&skeleton).iter().all(|(_, e)| *e == 0),
        "{skeleton:#}"
    );
    for t in skeleton["tasks"].as_array().unwrap() {
        for c in t["checks"].as_array().unwrap() {
            let v = c["verdict"].as_str().unwrap();
            assert!(
                ["not_implemented", "snapshot_mismatch", "wrong_answer"].contains(&v),
                "{} failed with {v} on the untouched handout: {}",
                c["name"],
                c["message"]
            );
        }
    }

    // Task 1.3 solved (its file from the solution): task 1.3 passes, and only it.
    let src = root().join("solutions/lab1-sync/src");
    let dst = edition.join("labs/lab1-sync/src");
    std::fs::copy(src.join("workloads.rs"), dst.join("workloads.rs")).unwrap();
    let one = earned(&check_lab1(&edition, &target));
    let passing: Vec<&str> = one
        .iter()
        .filter(|(_, e)| *e > 0)
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(passing, ["1.3"], "{one:?}");

    // Everything solved: full marks.
    for f in ["measure.rs", "download.rs", "report.rs"] {
        std::fs::copy(src.join(f), dst.join(f)).unwrap();
    }
    let all = check_lab1(&edition, &target);
    let total: u64 = earned(&all).iter().map(|(_, e)| e).sum();
    assert_eq!(total, 10, "{all:#}");
}
