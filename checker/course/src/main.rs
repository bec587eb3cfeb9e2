//! `cargo course <command>`: the course tool. See `cargo course --help`.

use anyhow::Context;
use clap::{Parser, Subcommand};
use course::{report, run, selftest};
use kit::course::Course;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

#[derive(Parser)]
#[command(
    name = "cargo course",
    about = "Concurrency Labs: check your labs, and more.",
    version
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Check your labs and print a report per task (all labs when none is named).
    Check {
        /// Labs to check: lab1 lab2 ...
        labs: Vec<String>,
        /// Check the reference solutions instead of your code.
        #[arg(long)]
        solutions: bool,
        /// Write the results as JSON to this file as well.
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// Check a lab again each time one of its files changes (Ctrl-C to stop).
    Watch {
        /// The lab to watch: lab1, lab2 ...
        lab: String,
    },
    /// Prove the course sound: solutions earn full marks, skeletons zero, fixtures caught.
    Selftest {
        /// Labs to test (all when none is named).
        labs: Vec<String>,
        /// Skip the known-wrong fixtures (much faster).
        #[arg(long)]
        no_fixtures: bool,
        /// Only the fixtures whose name contains this.
        #[arg(long)]
        fixture: Option<String>,
        /// Skip the tools' own unit tests (kit, course tool, grader).
        #[arg(long)]
        no_tool_tests: bool,
    },
}

fn main() {
    let cli = Cli::parse();
    let code = match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            2
        }
    };
    std::process::exit(code);
}

fn dispatch(cli: Cli) -> anyhow::Result<i32> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let root = course::find_root(&cwd)?;
    match cli.command {
        Cmd::Check {
            labs,
            solutions,
            json,
        } => check(&root, &labs, solutions, json),
        Cmd::Watch { lab } => watch(&root, &lab),
        Cmd::Selftest {
            labs,
            no_fixtures,
            fixture,
            no_tool_tests,
        } => {
            let plan = selftest::Plan {
                labs,
                no_fixtures,
                fixture_filter: fixture,
                no_tool_tests,
            };
            Ok(if selftest::run(&root, &plan)? { 0 } else { 1 })
        }
    }
}

fn check(
    root: &std::path::Path,
    ids: &[String],
    solutions: bool,
    json: Option<PathBuf>,
) -> anyhow::Result<i32> {
    let course = Course::load(root).map_err(anyhow::Error::msg)?;
    let labs = run::select(&course, ids)?;
    let mut opts = run::Options::new(root);
    opts.solutions = solutions;
    let mut results = Vec::new();
    for lab in labs {
        eprintln!(
            "checking {} ({}) …",
            lab.id,
            if solutions { &lab.solution } else { &lab.dir }
        );
        let outcome = run::check_lab(&opts, lab);
        println!("{}", report::lab_report(lab, &outcome));
        results.push((lab, outcome));
    }
    println!("{}", report::summary(&results));
    if let Some(path) = json {
        let all: Vec<&run::LabOutcome> = results.iter().map(|(_, o)| o).collect();
        std::fs::write(&path, serde_json::to_string_pretty(&all)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let perfect = results
        .iter()
        .all(|(_, o)| o.failure.is_none() && o.earned() == o.points());
    Ok(if perfect { 0 } else { 1 })
}

/// Polls the lab's files twice a second: a handful of files needs no file-watching service.
fn watch(root: &std::path::Path, id: &str) -> anyhow::Result<i32> {
    let course = Course::load(root).map_err(anyhow::Error::msg)?;
    let lab = run::select(&course, &[id.to_owned()])?[0];
    let dir = root.join(&lab.dir);
    let stamp = || -> Vec<(PathBuf, SystemTime)> {
        let mut v: Vec<_> = course::tree::files(&dir)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| {
                std::fs::metadata(dir.join(&p))
                    .and_then(|m| m.modified())
                    .ok()
                    .map(|t| (p, t))
            })
            .collect();
        v.sort();
        v
    };
    let opts = run::Options::new(root);
    loop {
        let before = stamp();
        let outcome = run::check_lab(&opts, lab);
        println!("{}", report::lab_report(lab, &outcome));
        println!("{}", report::summary(&[(lab, outcome)]));
        println!(
            "\nwatching {} — save a file to check again, Ctrl-C to stop",
            lab.dir
        );
        while stamp() == before {
            std::thread::sleep(Duration::from_millis(500));
        }
        println!("\n{}\n", "─".repeat(72));
    }
}
