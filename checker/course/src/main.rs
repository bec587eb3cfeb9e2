//! `cargo course <command>`: the course tool. See `cargo course --help`.

mod cli;

use anyhow::Context;
use clap::Parser;
use cli::{Cli, Cmd, GradeArgs};
use course::{grade, gradescope, handout, outputs, report, run, sandbox, selftest, t};
use model::course::Course;
use model::lang::{COURSE_LANG, Lang};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

fn main() {
    let cli = Cli::parse();
    let lang = language(&cli);
    // Said once for this process and every process it starts (cargo, the checks, the demos):
    // they all read COURSE_LANG (model::lang). No other thread runs yet.
    // SAFETY: the process is single-threaded here, so nothing reads the environment meanwhile.
    unsafe { std::env::set_var(COURSE_LANG, lang.code()) };
    let code = match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", t!("error", message = format!("{e:#}")));
            2
        }
    };
    std::process::exit(code);
}

/// The language of this run: `--lang`, else the environment's (`COURSE_LANG`, the locale),
/// else the `language` of the course at hand (the grader's `--root`, or the workspace
/// around the current folder), else English. The grader follows the same rule: an
/// instructor grading in a Russian locale gets Russian feedback; `--lang` says otherwise.
fn language(cli: &Cli) -> Lang {
    if let Some(lang) = cli.lang.or_else(Lang::from_env) {
        return lang;
    }
    let root = match &cli.command {
        Cmd::Grade(a) if a.root.is_some() => a.root.clone(),
        _ => std::env::current_dir()
            .ok()
            .and_then(|cwd| course::find_root(&cwd).ok()),
    };
    root.and_then(|r| Course::load(&r).ok())
        .map_or(Lang::En, |c| c.language)
}

fn dispatch(cli: Cli) -> anyhow::Result<i32> {
    let cwd = std::env::current_dir().with_context(|| t!("error-current-folder"))?;
    if let Cmd::Grade(args) = cli.command {
        return grade_cmd(&cwd, args);
    }
    let root = course::find_root(&cwd)?;
    match cli.command {
        Cmd::Grade(_) => unreachable!("handled above"),
        Cmd::Merge {
            out,
            shards,
            labs,
            roster,
        } => {
            let course = Course::load(&root).map_err(anyhow::Error::msg)?;
            let labs = run::select(&course, &labs)?;
            let (summary, text) = outputs::merge(&out, &shards, &course, &labs, roster.as_deref())?;
            println!("{text}");
            Ok(if summary.grader_errors.is_empty() {
                0
            } else {
                1
            })
        }
        Cmd::Report {
            out,
            submissions,
            labs,
            similarity_threshold,
        } => {
            anyhow::ensure!(
                (0.0..=1.0).contains(&similarity_threshold),
                t!("error-threshold")
            );
            anyhow::ensure!(
                out.join("students").is_dir(),
                t!("error-not-a-run", folder = out.display().to_string())
            );
            let course = Course::load(&root).map_err(anyhow::Error::msg)?;
            // By default the labs the run graded, as its gradebook has them.
            let labs = if labs.is_empty() {
                let graded: std::collections::BTreeSet<String> = outputs::read_all(&out)
                    .values()
                    .flat_map(|r| r.extra_data.labs.iter().map(|l| l.lab.clone()))
                    .collect();
                course
                    .labs
                    .iter()
                    .filter(|l| graded.contains(&l.id))
                    .map(|l| l.id.clone())
                    .collect()
            } else {
                labs
            };
            let labs = run::select(&course, &labs)?;
            // The LMS exports are written again too, with the class's roster.csv if any.
            let roster = submissions
                .as_deref()
                .and_then(|s| course::deadlines::beside(s, course::lms::ROSTER_CSV));
            outputs::write_gradebook(&out, &course, &labs, roster.as_deref())?;
            let class = match &submissions {
                Some(s) => course::class_report::read_class(s, &labs)?,
                None => Default::default(),
            };
            let page = course::class_report::write_all(
                &out,
                &root,
                &course,
                &labs,
                &class,
                similarity_threshold,
            )?;
            println!("{}", t!("wrote", path = page.display().to_string()));
            Ok(0)
        }
        Cmd::Corpus { out, class } => {
            match class {
                Some(n) => {
                    for (id, what) in course::corpus::write_class(&root, &out, n)? {
                        println!("{id}\t{what}");
                    }
                }
                None => {
                    for case in course::corpus::write_corpus(&root, &out)? {
                        println!(
                            "{}\texpect {}\t{}\tlab {}",
                            case.name, case.expect, case.why, case.lab
                        );
                    }
                }
            }
            Ok(0)
        }
        Cmd::Handout { out } => {
            let n = handout::write_handout(&root, &out)?;
            println!(
                "{}",
                t!(
                    "wrote-handout",
                    files = n,
                    folder = out.display().to_string()
                )
            );
            Ok(0)
        }
        Cmd::Gradescope { out, labs } => {
            let zip = gradescope::write_bundle(&root, &out, &labs)?;
            println!(
                "{}",
                t!(
                    "wrote-gradescope",
                    folder = out.display().to_string(),
                    zip = zip.display().to_string()
                )
            );
            Ok(0)
        }
        Cmd::Check {
            labs,
            task,
            all,
            solutions,
            json,
        } => check(&root, &labs, task, all, solutions, json),
        Cmd::Watch { lab } => watch(&root, &lab),
        Cmd::Selftest {
            labs,
            no_fixtures,
            fixture,
            no_tool_tests,
            repeat,
        } => {
            let plan = selftest::Plan {
                labs,
                no_fixtures,
                fixture_filter: fixture,
                no_tool_tests,
                repeat,
            };
            Ok(if selftest::run(&root, &plan)? { 0 } else { 1 })
        }
    }
}

fn grade_cmd(cwd: &std::path::Path, a: Box<GradeArgs>) -> anyhow::Result<i32> {
    let root = match &a.root {
        Some(r) => std::path::absolute(r)?,
        None => course::find_root(cwd)?,
    };
    let mut cfg = grade::Config::new(&root, &a.submissions, &a.out);
    cfg.jobs = a.jobs;
    cfg.check_jobs = a.check_jobs;
    cfg.shard = a.shard.as_deref().map(grade::parse_shard).transpose()?;
    cfg.students = a.students;
    cfg.labs = a.labs;
    cfg.one = a.one;
    if let Some(s) = a.scratch {
        cfg.scratch = s;
    }
    let d = sandbox::Limits::default();
    cfg.limits = sandbox::Limits {
        cpu_secs: a.cpu_secs.unwrap_or(d.cpu_secs),
        memory_mib: a.memory_mib.unwrap_or(d.memory_mib),
        max_procs: a.max_procs.unwrap_or(d.max_procs),
        output_cap: a.output_kib.map_or(d.output_cap, |k| k * 1024),
        kill_grace_secs: a.kill_grace_secs.unwrap_or(d.kill_grace_secs),
        lab_secs: a.lab_secs.unwrap_or(d.lab_secs),
        build_secs: a.build_secs.unwrap_or(d.build_secs),
        ..d
    };
    cfg.due = a.due;
    cfg.late_mode = a.late_mode;
    cfg.roster = a.roster;
    cfg.progress = if a.quiet {
        grade::Progress::Quiet
    } else if a.plain {
        grade::Progress::Plain
    } else {
        grade::Progress::Auto
    };
    anyhow::ensure!(
        (0.0..=1.0).contains(&a.similarity_threshold),
        t!("error-threshold")
    );
    cfg.similarity_threshold = a.similarity_threshold;
    let report = grade::run(&cfg)?;
    println!("{}", report.summary);
    Ok(if report.grader_errors { 1 } else { 0 })
}

fn check(
    root: &std::path::Path,
    args: &[String],
    task: Option<String>,
    all: bool,
    solutions: bool,
    json: Option<PathBuf>,
) -> anyhow::Result<i32> {
    let course = Course::load(root).map_err(anyhow::Error::msg)?;
    // `2.3` among the arguments names a task: its lab is checked and the task shown in full.
    let (tasks, mut ids): (Vec<String>, Vec<String>) = args
        .iter()
        .cloned()
        .partition(|a| a.chars().next().is_some_and(|c| c.is_ascii_digit()));
    let task = match (task, tasks.as_slice()) {
        (Some(t), []) => Some(t),
        (None, [t]) => Some(t.clone()),
        (None, []) => None,
        _ => anyhow::bail!(t!("error-one-task")),
    };
    if let Some(t) = &task {
        let lab = course
            .labs
            .iter()
            .find(|l| l.task(t).is_some())
            .with_context(|| t!("error-no-task", task = t))?;
        if ids.is_empty() {
            ids.push(lab.id.clone());
        } else if ids.len() > 1 || ids[0] != lab.id {
            anyhow::bail!(t!("error-task-elsewhere", task = t, lab = lab.id));
        }
    }
    let labs = run::select(&course, &ids)?;
    let mut opts = run::Options::new(root);
    opts.solutions = solutions;
    let detail = report::Detail { all, task };
    let mut results = Vec::new();
    for lab in labs {
        let outcome = with_spinner(lab, solutions, || run::check_lab(&opts, lab));
        println!("{}", report::lab_report(lab, &outcome, &detail));
        results.push((lab, outcome));
    }
    println!("{}", report::summary(&results));
    if let Some(path) = json {
        let all: Vec<&run::LabOutcome> = results.iter().map(|(_, o)| o).collect();
        std::fs::write(&path, serde_json::to_string_pretty(&all)?)
            .with_context(|| t!("error-write", path = path.display().to_string()))?;
    }
    let perfect = results
        .iter()
        .all(|(_, o)| o.failure.is_none() && o.earned() == o.points());
    Ok(if perfect { 0 } else { 1 })
}

/// Runs `work` (building and running one lab's checks) under a spinner on a terminal, or
/// after one line saying what is being checked otherwise: the first build of a lab takes a
/// minute or two, and silence reads as a hang.
fn with_spinner<T>(lab: &model::course::Lab, solutions: bool, work: impl FnOnce() -> T) -> T {
    use std::io::IsTerminal;
    let what = t!(
        "checking",
        lab = lab.id,
        dir = if solutions { &lab.solution } else { &lab.dir }
    );
    if !std::io::stderr().is_terminal() {
        eprintln!("{what} …");
        return work();
    }
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    spinner.set_message(what);
    spinner.enable_steady_tick(Duration::from_millis(120));
    let result = work();
    spinner.finish_and_clear();
    result
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
        let outcome = with_spinner(lab, false, || run::check_lab(&opts, lab));
        println!(
            "{}",
            report::lab_report(lab, &outcome, &report::Detail::default())
        );
        println!("{}", report::summary(&[(lab, outcome)]));
        println!("\n{}", t!("watching", dir = lab.dir));
        while stamp() == before {
            std::thread::sleep(Duration::from_millis(500));
        }
        println!("\n{}\n", "─".repeat(72));
    }
}
