//! `cargo course <command>`: the course tool. See `cargo course --help`.

use anyhow::Context;
use clap::{Parser, Subcommand};
use course::{grade, gradescope, handout, outputs, report, run, sandbox, selftest};
use model::course::Course;
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
    /// `cargo course check lab2` checks one lab; `cargo course check 2.3` (or `lab2 2.3`)
    /// shows one task in full.
    Check {
        /// Labs (lab1 lab2 ...) and/or one task (2.3) to check.
        labs: Vec<String>,
        /// Show one task in full (same as naming it: `cargo course check 2.3`).
        #[arg(long)]
        task: Option<String>,
        /// Show every failing task in full, with whole messages.
        #[arg(long)]
        all: bool,
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
        /// Only the fixtures whose name contains this (repeat for several).
        #[arg(long)]
        fixture: Vec<String>,
        /// Skip the tools' own unit tests (kit, model, supervise, course tool, grader).
        #[arg(long)]
        no_tool_tests: bool,
        /// Run the solution's checks and each fixture's checks this many times (one build
        /// each): a verdict that changes between runs is a flaky check.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        repeat: u32,
    },
    /// Grade a folder of submissions (one folder, git checkout, .zip or .tar.gz per
    /// student; the entry's name is the student's id). Instructors: `scripts/grade`.
    Grade(Box<GradeArgs>),
    /// Combine the output folders of `grade --shard K/N` runs into one gradebook.
    Merge {
        /// The combined output folder.
        #[arg(long)]
        out: PathBuf,
        /// The shards' output folders.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// Labs in the gradebook (all when none is named), comma-separated.
        #[arg(long, value_delimiter = ',')]
        labs: Vec<String>,
        /// The roster for moodle.csv and canvas.csv (`student,email,name,sis_id,section`).
        #[arg(long)]
        roster: Option<PathBuf>,
    },
    /// Write the class report again (report.html, similarity, answers/, the answers' scores
    /// in grades.csv) from a grading run's output folder, without grading anyone.
    Report {
        /// The grading run's output folder.
        #[arg(long)]
        out: PathBuf,
        /// The submissions folder (for similarity and written answers; without it the report
        /// has neither).
        submissions: Option<PathBuf>,
        /// Labs in the report (default: those the run graded), comma-separated.
        #[arg(long, value_delimiter = ',')]
        labs: Vec<String>,
        /// Report pairs of task files at least this similar, 0 to 1.
        #[arg(long, default_value_t = course::similarity::DEFAULT_THRESHOLD)]
        similarity_threshold: f64,
    },
    /// Write test submissions: the hostile corpus (checker/hostile/corpus.toml), or with
    /// --class N a class of N mixed submissions (solved, untouched, wrong, hostile, a near copy).
    Corpus {
        /// The folder to write them into.
        out: PathBuf,
        /// Write a class of this many mixed submissions instead of the corpus.
        #[arg(long)]
        class: Option<usize>,
    },
    /// Write the student edition (no solutions, no hidden checks) into a new folder.
    Handout {
        /// The folder to create.
        out: PathBuf,
    },
    /// Write a Gradescope autograder bundle (setup.sh, run_autograder, the course) and its zip.
    Gradescope {
        /// The folder to create (the zip is written beside it, as <folder>.zip).
        out: PathBuf,
        /// Labs to grade (all when none is named), comma-separated.
        #[arg(long, value_delimiter = ',')]
        labs: Vec<String>,
    },
}

#[derive(clap::Args)]
struct GradeArgs {
    /// The submissions folder (or one submission, with --one).
    submissions: PathBuf,
    /// The output folder: grades.csv, summary, students/<id>/{results.json,feedback.md}.
    #[arg(long)]
    out: PathBuf,
    /// Students graded at the same time (2 suits 2 cores).
    #[arg(long, default_value_t = 2)]
    jobs: usize,
    /// Checks of one student run at the same time.
    #[arg(long, default_value_t = 1)]
    check_jobs: usize,
    /// Grade only shard K of N (a deterministic 1/N of the students), e.g. 2/4.
    #[arg(long)]
    shard: Option<String>,
    /// Grade (again) only this student; repeat for several.
    #[arg(long = "student")]
    students: Vec<String>,
    /// Labs to grade (all when none is named), comma-separated: --labs lab1,lab2.
    #[arg(long, value_delimiter = ',')]
    labs: Vec<String>,
    /// SUBMISSIONS is a single submission, graded under this id (Gradescope).
    #[arg(long)]
    one: Option<String>,
    /// The course workspace (default: the one around the current folder).
    #[arg(long)]
    root: Option<PathBuf>,
    /// Scratch folder for workspaces and builds (default: <root>/target/grade).
    #[arg(long)]
    scratch: Option<PathBuf>,
    /// CPU seconds per check.
    #[arg(long)]
    cpu_secs: Option<u64>,
    /// Memory per check, MiB.
    #[arg(long)]
    memory_mib: Option<u64>,
    /// Processes and threads per check.
    #[arg(long)]
    max_procs: Option<u64>,
    /// Output kept per check stream, KiB (past it the check is killed).
    #[arg(long)]
    output_kib: Option<usize>,
    /// Wall-clock seconds added to a task's deadline before the check is killed.
    #[arg(long)]
    kill_grace_secs: Option<u64>,
    /// Wall-clock seconds for all the checks of one lab.
    #[arg(long)]
    lab_secs: Option<u64>,
    /// Wall-clock seconds for one lab's build.
    #[arg(long)]
    build_secs: Option<u64>,
    /// One line per student instead of a progress bar.
    #[arg(long)]
    plain: bool,
    /// No progress at all.
    #[arg(long)]
    quiet: bool,
    /// A lab's due date, over course.toml's: --due lab2=2027-03-01T23:59:00+03:00 (RFC 3339
    /// with its offset); repeat for several labs.
    #[arg(long = "due", value_name = "LAB=DATE")]
    due: Vec<String>,
    /// How late git work is graded, over course.toml's [late] mode: `before-deadline` (the
    /// last commit by the due date) or `penalty` (the latest commit, penalised).
    #[arg(long, value_name = "MODE")]
    late_mode: Option<String>,
    /// The roster for moodle.csv and canvas.csv (default: SUBMISSIONS/roster.csv if present):
    /// `student,email,name,sis_id,section[,login,canvas_id]`.
    #[arg(long, value_name = "FILE")]
    roster: Option<PathBuf>,
    /// Report pairs of task files at least this similar, 0 to 1 (see the instructor's guide).
    #[arg(long, default_value_t = course::similarity::DEFAULT_THRESHOLD)]
    similarity_threshold: f64,
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
                "--similarity-threshold takes a number from 0 to 1, e.g. 0.6"
            );
            anyhow::ensure!(
                out.join("students").is_dir(),
                "{} holds no students/ folder: name the output folder of a grading run",
                out.display()
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
            println!("wrote {}", page.display());
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
                "wrote the student edition ({n} files) to {}: no solutions, no hidden checks, \
                 with .github/workflows/check.yml",
                out.display()
            );
            Ok(0)
        }
        Cmd::Gradescope { out, labs } => {
            let zip = gradescope::write_bundle(&root, &out, &labs)?;
            println!(
                "wrote the Gradescope autograder to {} and {}: upload the zip as the autograder",
                out.display(),
                zip.display()
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
        "--similarity-threshold takes a number from 0 to 1, e.g. 0.6"
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
        _ => anyhow::bail!("name one task at most, e.g. `cargo course check lab2 2.3`"),
    };
    if let Some(t) = &task {
        let lab = course
            .labs
            .iter()
            .find(|l| l.task(t).is_some())
            .with_context(|| {
                format!("there is no task {t} in course.toml (tasks look like 2.3)")
            })?;
        if ids.is_empty() {
            ids.push(lab.id.clone());
        } else if ids.len() > 1 || ids[0] != lab.id {
            anyhow::bail!("task {t} belongs to {}: `cargo course check {t}`", lab.id);
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
            .with_context(|| format!("cannot write {}", path.display()))?;
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
    let what = format!(
        "checking {} ({}): building its checks, then running them one by one",
        lab.id,
        if solutions { &lab.solution } else { &lab.dir }
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
