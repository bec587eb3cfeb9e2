//! The command line of `cargo course`: its commands and their arguments.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "cargo course",
    about = "Concurrency Labs: check your labs, and more.",
    version
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Cmd,
    /// The language of reports and feedback: `en` or `ru` (by default `COURSE_LANG`, then
    /// the locale: LC_ALL, LC_MESSAGES, LANG; then course.toml's `language`).
    #[arg(long, global = true, value_name = "en|ru")]
    pub lang: Option<model::lang::Lang>,
}

#[derive(Subcommand)]
pub enum Cmd {
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
pub struct GradeArgs {
    /// The submissions folder (or one submission, with --one).
    pub submissions: PathBuf,
    /// The output folder: grades.csv, summary, students/<id>/{results.json,feedback.md}.
    #[arg(long)]
    pub out: PathBuf,
    /// Students graded at the same time (2 suits 2 cores).
    #[arg(long, default_value_t = 2)]
    pub jobs: usize,
    /// Checks of one student run at the same time.
    #[arg(long, default_value_t = 1)]
    pub check_jobs: usize,
    /// Grade only shard K of N (a deterministic 1/N of the students), e.g. 2/4.
    #[arg(long)]
    pub shard: Option<String>,
    /// Grade (again) only this student; repeat for several.
    #[arg(long = "student")]
    pub students: Vec<String>,
    /// Labs to grade (all when none is named), comma-separated: --labs lab1,lab2.
    #[arg(long, value_delimiter = ',')]
    pub labs: Vec<String>,
    /// SUBMISSIONS is a single submission, graded under this id (Gradescope).
    #[arg(long)]
    pub one: Option<String>,
    /// The course workspace (default: the one around the current folder).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Scratch folder for workspaces and builds (default: <root>/target/grade).
    #[arg(long)]
    pub scratch: Option<PathBuf>,
    /// CPU seconds per check.
    #[arg(long)]
    pub cpu_secs: Option<u64>,
    /// Memory per check, MiB.
    #[arg(long)]
    pub memory_mib: Option<u64>,
    /// Processes and threads per check.
    #[arg(long)]
    pub max_procs: Option<u64>,
    /// Output kept per check stream, KiB (past it the check is killed).
    #[arg(long)]
    pub output_kib: Option<usize>,
    /// Wall-clock seconds added to a task's deadline before the check is killed.
    #[arg(long)]
    pub kill_grace_secs: Option<u64>,
    /// Wall-clock seconds for all the checks of one lab.
    #[arg(long)]
    pub lab_secs: Option<u64>,
    /// Wall-clock seconds for one lab's build.
    #[arg(long)]
    pub build_secs: Option<u64>,
    /// One line per student instead of a progress bar.
    #[arg(long)]
    pub plain: bool,
    /// No progress at all.
    #[arg(long)]
    pub quiet: bool,
    /// A lab's due date, over course.toml's: --due lab2=2027-03-01T23:59:00+03:00 (RFC 3339
    /// with its offset); repeat for several labs.
    #[arg(long = "due", value_name = "LAB=DATE")]
    pub due: Vec<String>,
    /// How late git work is graded, over course.toml's [late] mode: `before-deadline` (the
    /// last commit by the due date) or `penalty` (the latest commit, penalised).
    #[arg(long, value_name = "MODE")]
    pub late_mode: Option<String>,
    /// The roster for moodle.csv and canvas.csv (default: SUBMISSIONS/roster.csv if present):
    /// `student,email,name,sis_id,section[,login,canvas_id]`.
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// Report pairs of task files at least this similar, 0 to 1 (see the instructor's guide).
    #[arg(long, default_value_t = course::similarity::DEFAULT_THRESHOLD)]
    pub similarity_threshold: f64,
}
