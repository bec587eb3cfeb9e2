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

/// `cargo course check lab2` on the untouched handout in Russian, asked for by `--lang ru`
/// (over an English locale) and by the locale alone: not one English sentence.
fn check_lab2_in_russian(edition: &Path, target: &Path) {
    for by_option in [true, false] {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_course"));
        c.current_dir(edition)
            .args(["check", "lab2"])
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_NET_OFFLINE", "true")
            .env("LABS_PYTHON", "off")
            .env_remove("COURSE_LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES");
        if by_option {
            c.args(["--lang", "ru"]).env("LANG", "C.UTF-8");
        } else {
            c.env("LANG", "ru_RU.UTF-8");
        }
        let text = all_output(&c.output().unwrap());
        let english = model::lang::latin_sentences(&text);
        assert!(
            english.is_empty() && text.contains("Дальше: задание 2.1"),
            "English in the Russian report (--lang ru: {by_option}):\n{}\n\nthe report:\n{text}",
            english.join("\n")
        );
    }
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
    assert_ok(&o, "");

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
    let _ = course::tree::seed_target(&scratch().join("job0/target"), &target, &edition);
    // For this machine's platform only, as a build needs: unfiltered, cargo metadata wants
    // every crate of every platform in the cache (a `cfg(any())` dependency of jiff's, that
    // no build ever compiles, included).
    let host = String::from_utf8(
        std::process::Command::new("rustc")
            .arg("-vV")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .lines()
    .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
    .expect("rustc -vV names the host");
    let locked =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(&edition)
            .args(["metadata", "--locked", "--offline", "--format-version", "1"])
            .args(["--filter-platform", &host])
            .stdout(std::process::Stdio::null())
            .output()
            .unwrap();
    assert_ok(&locked, "the handout's Cargo.lock is not up to date: ");

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
                ["not_implemented", "snapshot_mismatch", "failed"].contains(&v),
                "{} failed with {v} on the untouched handout: {}",
                c["name"],
                c["message"]
            );
        }
    }

    // The handout's README: every command of its "Start here" block runs as written, from
    // the handout's root, without a single warning; on untouched labs the demo exits 0 and
    // the checks fail, each way saying what to do next.
    let readme = std::fs::read_to_string(edition.join("README.md")).unwrap();
    let block = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the handout's README starts with a ```sh block of commands");
    let mut commands = 0;
    for line in block.lines() {
        let command = line.split('#').next().unwrap_or_default().trim();
        if command.is_empty() {
            continue;
        }
        commands += 1;
        let words: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(
            words[0], "cargo",
            "a README command that is not cargo: {command}"
        );
        let o =
            std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .current_dir(&edition)
                .args(&words[1..])
                .env("CARGO_TARGET_DIR", &target)
                .env("CARGO_NET_OFFLINE", "true")
                .env("LABS_PYTHON", "off")
                .env("COURSE_LANG", "en")
                .stdin(std::process::Stdio::null())
                .output()
                .unwrap();
        let stdout = String::from_utf8_lossy(&o.stdout);
        let stderr = String::from_utf8_lossy(&o.stderr);
        let warnings: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("warning"))
            .collect();
        assert!(
            warnings.is_empty(),
            "`{command}` in the handout warns:\n{}",
            warnings.join("\n")
        );
        match words[1] {
            "run" => assert!(o.status.success(), "`{command}` failed:\n{stderr}"),
            "course" => assert!(
                stdout.contains("Next: task"),
                "`{command}` names no next step:\n{stdout}{stderr}"
            ),
            // Every lab's results, though every lab fails: one failing lab hides no other.
            "test" => assert!(
                (1..=5).all(|n| stdout.contains(&format!("test lab{n}::task_{n}_1::")))
                    && stdout.contains("not implemented yet"),
                "`{command}` does not show every lab's results:\n{stdout}{stderr}"
            ),
            other => panic!("the test does not know what `cargo {other}` should do"),
        }
    }
    assert!(
        commands >= 3,
        "the handout's README names {commands} commands"
    );
    check_lab2_in_russian(&edition, &target);

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

/// Every file below `dir` (relative path → content), walked here, not by the course tool.
fn walk(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let kind = e.file_type().unwrap();
            if kind.is_dir() {
                stack.push(e.path());
            } else {
                let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
                out.push((rel, std::fs::read(e.path()).unwrap_or_default()));
            }
        }
    }
    out
}

/// The instructor's material: what must never reach a student, by where it lives.
fn secret(rel: &Path) -> bool {
    let s = rel.to_string_lossy();
    s.starts_with("solutions/")
        || s.starts_with("checker/hidden/")
        || s.starts_with("checker/fixtures/")
        || s.starts_with("checker/hostile/")
        || s.starts_with("docs/src/instructor")
}

#[test]
fn the_handout_holds_nothing_of_the_instructor() {
    let dir = fresh("handout-walk");
    let edition = dir.join("edition");
    let o = course().arg("handout").arg(&edition).output().unwrap();
    assert_ok(&o, "");
    let handout = walk(&edition);
    assert!(handout.len() > 50, "{} files", handout.len());

    // What the instructor's workspace holds: secret files, and every other file (public).
    let root = root();
    let mut secrets: Vec<(std::path::PathBuf, Vec<u8>)> = Vec::new();
    let mut public_lines = std::collections::HashSet::new();
    for rel in course::tree::files(&root).unwrap() {
        let bytes = std::fs::read(root.join(&rel)).unwrap();
        if secret(&rel) {
            secrets.push((rel, bytes));
        } else {
            for l in String::from_utf8_lossy(&bytes).lines() {
                public_lines.insert(l.trim().to_owned());
            }
        }
    }
    assert!(
        secrets
            .iter()
            .any(|(p, _)| p.starts_with("docs/src/instructor"))
    );
    // The student's task files: never the same as any secret file (a solved skeleton).
    let course = model::course::Course::load(&root).unwrap();
    let task_files: std::collections::HashSet<std::path::PathBuf> = course
        .labs
        .iter()
        .flat_map(|l| {
            l.student_files()
                .into_iter()
                .map(move |f| Path::new(&l.dir).join(f))
        })
        .collect();
    assert!(!task_files.is_empty());
    // A secret file's content, whole, and its lines found nowhere public (a solution's
    // body, a hidden check's assertion, a paragraph of the instructor's guide).
    let secret_files: Vec<&(std::path::PathBuf, Vec<u8>)> =
        secrets.iter().filter(|(_, b)| b.len() > 64).collect();
    let mut secret_lines: Vec<(String, &Path)> = Vec::new();
    for (p, b) in &secrets {
        for l in String::from_utf8_lossy(b).lines() {
            let l = l.trim();
            if l.len() >= 40 && !public_lines.contains(l) {
                secret_lines.push((l.to_owned(), p));
            }
        }
    }
    assert!(
        secret_lines.len() > 100,
        "{} secret lines",
        secret_lines.len()
    );

    let mut problems = Vec::new();
    let names: std::collections::HashSet<&std::path::PathBuf> =
        handout.iter().map(|(p, _)| p).collect();
    for (rel, bytes) in &handout {
        if secret(rel) {
            problems.push(format!("{} is the instructor's", rel.display()));
        }
        // The same bytes as a secret file: allowed only for a file the instructor's
        // workspace has, identical, at the same place (a lab's lib.rs), never a task file.
        let public_copy =
            !task_files.contains(rel) && std::fs::read(root.join(rel)).ok().as_ref() == Some(bytes);
        if let Some((p, _)) = secret_files.iter().find(|(_, b)| b == bytes)
            && !public_copy
        {
            problems.push(format!("{} is a copy of {}", rel.display(), p.display()));
        }
        let text = String::from_utf8_lossy(bytes);
        let lines: std::collections::HashSet<&str> = text.lines().map(str::trim).collect();
        for (line, from) in &secret_lines {
            if lines.contains(line.as_str()) {
                problems.push(format!(
                    "{} holds a line of {}: {line}",
                    rel.display(),
                    from.display()
                ));
                break;
            }
        }
        // Every link of a page leads to a page of the handout (none to a dropped chapter).
        if rel.extension().is_some_and(|e| e == "md") {
            let base = rel.parent().unwrap();
            for target in text.split("](").skip(1).filter_map(|t| t.split(')').next()) {
                let Some(p) = course::handout::link_target(base, target) else {
                    continue;
                };
                let exists = names.contains(&p) || edition.join(&p).is_dir();
                if !exists || p.to_string_lossy().contains("instructor") {
                    problems.push(format!(
                        "{} links to {target}, not in the handout",
                        rel.display()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
