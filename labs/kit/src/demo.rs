//! The demo runner: `cargo run -p labN` on a half-finished lab still runs to the end.
//!
//! Every lab's demo calls the student's tasks through [`Demo::task`]. A task still holding
//! its `todo!()` becomes a friendly note that names the file to edit and the chapter to read,
//! instead of a panic backtrace; a task that really panics is reported with its message and
//! location, and the demo goes on with the next experiment. [`Demo::task_within`] also
//! gives up on a task that does not finish in time (a deadlock, a missing EOF), so a demo
//! never hangs.
//!
//! Every demo also reads its command line here, with one parser ([`Flags`], [`main`],
//! [`parse`]): `--quick` and `--only` mean the same in every lab, each lab adds its own
//! flags ([`LabFlags`]), `--help` lists them all and an unknown flag is an error.

use crate::course::{Course, Lab, Task};
use crate::lang::Lang;
use crate::server::SlowServer;
/// The parser's crate, for the labs' `#[derive(clap::Args)]` (`use kit::demo::clap;`).
pub use clap;
use clap::{CommandFactory, FromArgMatches};
use std::cell::{Cell, RefCell};
use std::ffi::OsString;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once, mpsc};
use std::time::Duration;

/// A demo's command line: the flags every lab's demo takes, then the lab's own (`E`).
#[derive(Debug, Clone, clap::Parser)]
#[command(disable_version_flag = true, disable_help_subcommand = true)]
pub struct Flags<E: clap::Args> {
    /// Small sizes, and only the output that is the same from run to run (what the checks'
    /// snapshots run)
    #[arg(long)]
    pub quick: bool,
    /// Only these sections (comma-separated or repeated); the introduction, Python's side
    /// and the closing summary are then left out
    #[arg(long, value_name = "SECTION", value_delimiter = ',')]
    pub only: Vec<String>,
    /// The lab's own flags.
    #[command(flatten)]
    pub lab: E,
}

impl<E: clap::Args> Flags<E> {
    /// `true` when the whole demo runs (no `--only`).
    pub fn everything(&self) -> bool {
        self.only.is_empty()
    }

    /// `true` if section `section` (`"2.3"`, `"python"`) is to run.
    pub fn wants(&self, section: &str) -> bool {
        self.everything() || self.only.iter().any(|s| s == section)
    }

    /// `true` if any of `sections` is to run (one part of a demo that shows several tasks).
    pub fn wants_any(&self, sections: &[&str]) -> bool {
        sections.iter().any(|s| self.wants(s))
    }
}

/// A lab's own demo flags (a `clap::Args` struct, empty if it has none), and what its
/// `--help` says about the lab.
pub trait LabFlags: clap::Args {
    /// The lab's id in course.toml (`"lab2"`): the program's name in `--help`.
    const LAB: &'static str;
    /// The values `--only` takes in this lab, for `--help`.
    const SECTIONS: &'static str;
    /// [`SECTIONS`](Self::SECTIONS) in Russian, where its words need translating ("to" is
    /// always a dash).
    const SECTIONS_RU: &'static str = "";

    /// The help of the lab's own flags in Russian: each flag's id (the field's name) and its
    /// text. None by default.
    fn help_ru() -> &'static [(&'static str, &'static str)] {
        &[]
    }
}

/// A lab's title in the current language (course.toml has every title in both).
pub fn lab_title(lab: &Lab) -> &str {
    lab.title_in(Lang::current())
}

/// A task's title in the current language.
pub fn task_title(task: &Task) -> &str {
    task.title_in(Lang::current())
}

/// A task's hint in the current language.
pub fn task_hint(task: &Task) -> &str {
    task.hint_in(Lang::current())
}

/// The command-line parser of lab `E::LAB`'s demo, in the current language.
fn command<E: LabFlags>() -> clap::Command {
    let title = Course::embedded().lab(E::LAB).map_or(E::LAB, lab_title);
    let sections = match Lang::current() {
        Lang::En => E::SECTIONS.to_owned(),
        Lang::Ru if !E::SECTIONS_RU.is_empty() => E::SECTIONS_RU.to_owned(),
        Lang::Ru => E::SECTIONS.replace(" to ", "–"),
    };
    let command = Flags::<E>::command()
        .name(E::LAB)
        .about(crate::tr!(
            en: "The demo of {title}: your tasks, run and measured.",
            ru: "Демонстрация: {title}. Ваши задания, запущенные и измеренные."
        ))
        .after_help(crate::tr!(
            en: "Sections for --only: {sections}",
            ru: "Разделы для --only: {sections}"
        ));
    match Lang::current() {
        Lang::En => command,
        Lang::Ru => in_russian(command, E::help_ru()),
    }
}

/// `command` with its help in Russian: the headings, the `--help` flag, the common flags'
/// help and the lab's own (`lab`: a flag's id and its help). clap's own error messages stay
/// English.
fn in_russian(command: clap::Command, lab: &[(&str, &'static str)]) -> clap::Command {
    let mut command = command
        .disable_help_flag(true)
        .arg(
            clap::Arg::new("help")
                .long("help")
                .short('h')
                .action(clap::ArgAction::Help)
                .help("Показать эту справку"),
        )
        .help_template("{about-with-newline}\nИспользование: {usage}\n\n{all-args}{after-help}")
        .mut_arg("quick", |a| {
            a.help(
                "Маленькие размеры и только тот вывод, что одинаков от запуска к запуску \
                 (его снимают снимки проверок)",
            )
        })
        .mut_arg("only", |a| {
            a.help(
                "Только эти разделы (через запятую или флаг повторно); введение, \
                 часть Python и итоговая сводка тогда не выводятся",
            )
            .value_name("РАЗДЕЛ")
        });
    for &(id, help) in lab {
        command = command.mut_arg(id, |a| a.help(help));
    }
    let ids: Vec<String> = command
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        command = command.mut_arg(id, |a| a.help_heading("Параметры"));
    }
    command
}

/// Reads a demo's arguments (without the program's name). On `--help` prints the help and
/// exits 0; on a wrong argument prints what is wrong and exits 2.
pub fn parse<E: LabFlags>(args: impl IntoIterator<Item = impl Into<OsString>>) -> Flags<E> {
    let argv = std::iter::once(OsString::from(E::LAB)).chain(args.into_iter().map(Into::into));
    command::<E>()
        .try_get_matches_from(argv)
        .and_then(|matches| Flags::<E>::from_arg_matches(&matches))
        .unwrap_or_else(|e| e.exit())
}

/// A demo's `main`: reads this process's command line and runs the demo with it.
pub fn main<E: LabFlags>(run: impl FnOnce(Flags<E>)) {
    run(parse(std::env::args_os().skip(1)));
}

/// Starts the slow local HTTP server of a demo's section, or says why it cannot
/// (`None`: the section has nothing to run).
pub fn slow_server(latency: Duration, resources: usize) -> Option<SlowServer> {
    SlowServer::start(latency, resources)
        .inspect_err(|e| {
            crate::say!(
                en: "  cannot start the local HTTP server: {e}. Is loopback (127.0.0.1) available?",
                ru: "  не удаётся запустить локальный HTTP-сервер: {e}. Доступен ли loopback (127.0.0.1)?"
            );
        })
        .ok()
}

/// The timings a course Python script prints, one workload a line:
/// `name<TAB>seconds<TAB>seconds` (wall and CPU, or 1 thread and 2 threads), in order.
/// Other lines (a header, a warning) are skipped.
pub fn python_timings(out: &str) -> Vec<(&str, Duration, Duration)> {
    let seconds = |s: &str| Duration::try_from_secs_f64(s.parse().ok()?).ok();
    out.lines()
        .filter_map(|line| {
            let mut cells = line.split('\t');
            let (name, a, b) = (cells.next()?, cells.next()?, cells.next()?);
            if cells.next().is_some() {
                return None;
            }
            Some((name, seconds(a)?, seconds(b)?))
        })
        .collect()
}

/// What happened when a task was run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<T> {
    /// The task returned a value.
    Done(T),
    /// The task reached a `todo!()` (or `unimplemented!()`): the student has not written it yet.
    NotImplemented,
    /// The task panicked: the message and where.
    Panicked(String),
    /// The task did not finish within its deadline.
    TimedOut(Duration),
}

thread_local! {
    /// Set while this thread runs inside [`catch`]; its panics are recorded, not printed.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    /// The first panic this thread had inside [`catch`].
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}
/// How many [`catch`] calls are running, on any thread.
static ACTIVE: AtomicUsize = AtomicUsize::new(0);
/// The first panic of a thread that a caught task spawned (a task may panic on its threads).
static SPAWNED: Mutex<Option<String>> = Mutex::new(None);

/// `true` if a panic message is the one `todo!()` or `unimplemented!()` produce.
pub fn is_not_implemented(message: &str) -> bool {
    message.starts_with("not yet implemented") || message.starts_with("not implemented")
}

/// Installs, once, the panic hook that [`catch`] relies on. Panics outside any `catch`
/// still go to the previous hook and print as usual.
fn install_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let describe = || {
                let message = info.payload_as_str().map_or_else(
                    || {
                        crate::tr!(
                            en: "(a panic with a non-text payload)",
                            ru: "(паника с нетекстовым содержимым)"
                        )
                    },
                    str::to_owned,
                );
                let place = info
                    .location()
                    .map(|l| format!(" at {}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                format!("{message}{place}")
            };
            if CATCHING.with(Cell::get) {
                CAUGHT.with(|c| {
                    c.borrow_mut().get_or_insert_with(describe);
                });
            } else if ACTIVE.load(Ordering::SeqCst) > 0 {
                let mut slot = SPAWNED.lock().unwrap_or_else(|e| e.into_inner());
                slot.get_or_insert_with(describe);
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, catching a panic anywhere in it (on this thread or on threads it spawns)
/// without printing it. Returns the value, or the panic message ("msg at file:line").
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    ACTIVE.fetch_add(1, Ordering::SeqCst);
    *SPAWNED.lock().unwrap_or_else(|e| e.into_inner()) = None;
    CATCHING.with(|c| c.set(true));
    CAUGHT.with(|c| c.borrow_mut().take()); // the first panic of THIS task counts
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(false));
    let spawned = SPAWNED.lock().unwrap_or_else(|e| e.into_inner()).clone();
    ACTIVE.fetch_sub(1, Ordering::SeqCst);
    match result {
        // The task returned, but a thread it spawned hit a todo!() (and the task ignored
        // the join error): the value cannot be trusted, so report the missing piece.
        Ok(_) if spawned.as_deref().is_some_and(is_not_implemented) => {
            Err(spawned.unwrap_or_default())
        }
        Ok(value) => Ok(value),
        Err(_) => {
            let own = CAUGHT.with(|c| c.borrow_mut().take());
            // A task that unwraps the join of a thread that hit todo!() panics with
            // "called unwrap on an Err": the spawned thread's message is the useful one.
            match (own, spawned) {
                (Some(own), _) if is_not_implemented(&own) => Err(own),
                (_, Some(s)) if is_not_implemented(&s) => Err(s),
                (Some(own), _) => Err(own),
                (None, Some(s)) => Err(s),
                (None, None) => Err("panicked".to_owned()),
            }
        }
    }
}

/// A running demo: prints a lab's narration and keeps track of unfinished tasks.
#[derive(Debug)]
pub struct Demo {
    lab: &'static Lab,
    /// Tasks that ran to the end at least once.
    done: Vec<&'static Task>,
}

impl Demo {
    /// Starts the demo of lab `lab_id` (`"lab1"`) and prints its title.
    pub fn start(lab_id: &str) -> Demo {
        let lab = Course::embedded()
            .lab(lab_id)
            .unwrap_or_else(|| panic!("course.toml has no lab {lab_id:?}"));
        let title = lab_title(lab);
        println!("{title}");
        println!("{}", "=".repeat(title.chars().count()));
        Demo {
            lab,
            done: Vec::new(),
        }
    }

    /// The lab this demo belongs to.
    pub fn lab(&self) -> &'static Lab {
        self.lab
    }

    /// Prints a section heading.
    pub fn section(&self, title: &str) {
        println!("\n── {title} ──");
    }

    fn lookup(&self, task_id: &str) -> &'static Task {
        self.lab
            .task(task_id)
            .unwrap_or_else(|| panic!("{} has no task {task_id:?} in course.toml", self.lab.id))
    }

    /// Runs task `task_id` (`"1.3"`); `None` if it is not implemented yet or panicked, after
    /// printing a note that says so and what to do next.
    pub fn task<T>(&mut self, task_id: &str, f: impl FnOnce() -> T) -> Option<T> {
        let outcome = match catch(f) {
            Ok(v) => Outcome::Done(v),
            Err(m) if is_not_implemented(&m) => Outcome::NotImplemented,
            Err(m) => Outcome::Panicked(m),
        };
        self.settle(task_id, outcome)
    }

    /// Like [`task`](Self::task), but gives up after `deadline` (the task runs on its own
    /// thread, which is abandoned if it hangs: a demo must never hang).
    pub fn task_within<T: Send + 'static>(
        &mut self,
        task_id: &str,
        deadline: Duration,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        let outcome = run_within(deadline, f);
        self.settle(task_id, outcome)
    }

    fn settle<T>(&mut self, task_id: &str, outcome: Outcome<T>) -> Option<T> {
        let task = self.lookup(task_id);
        let path = self.lab.task_path(task);
        let path = path.display();
        let (id, title, lab) = (&task.id, task_title(task), &self.lab.id);
        match outcome {
            Outcome::Done(v) => {
                self.done.push(task);
                return Some(v);
            }
            Outcome::NotImplemented => {
                let (chapter, anchor) = (self.lab.chapter(), &task.anchor);
                let page = self.lab.dir_name();
                crate::say!(
                    en: "  ⏳ task {id} ({title}) is not implemented yet\n     edit {path} · read {chapter}#{anchor}",
                    ru: "  ⏳ задание {id} ({title}) ещё не написано\n     правьте {path} · читайте {chapter}#{anchor} (в русской книге: ru/{page}.html#{anchor})"
                );
            }
            Outcome::Panicked(message) => {
                crate::say!(
                    en: "  ✗ task {id} ({title}) panicked: {message}\n     the demo goes on without it; `cargo course check {lab}` shows more",
                    ru: "  ✗ задание {id} ({title}) запаниковало: {message}\n     демонстрация продолжается без него; подробности покажет `cargo course check {lab}`"
                );
            }
            Outcome::TimedOut(d) => {
                let (secs, hint) = (d.as_secs_f64(), task_hint(task));
                crate::say!(
                    en: "  ✗ task {id} ({title}) did not finish within {secs} s: a deadlock, or a wait that never ends?\n     hint: {hint}",
                    ru: "  ✗ задание {id} ({title}) не завершилось за {secs} с: взаимная блокировка или ожидание, которое никогда не кончится?\n     подсказка: {hint}"
                );
            }
        }
        None
    }

    /// Prints the closing summary: what is left to do and the command that checks it.
    /// A task counts as left to do until it has run to the end (one that was never reached,
    /// because an earlier task it needs is missing, counts too).
    pub fn finish(self) {
        println!();
        let left: Vec<&str> = self
            .lab
            .tasks
            .iter()
            .filter(|t| !self.done.iter().any(|d| d.id == t.id))
            .map(|t| t.id.as_str())
            .collect();
        let id = &self.lab.id;
        if left.is_empty() {
            crate::say!(
                en: "Every task of {id} ran. Check them: cargo course check {id}",
                ru: "Все задания {id} выполнены. Проверьте их: `cargo course check {id}`"
            );
        } else {
            let (n, all, which) = (left.len(), self.lab.tasks.len(), left.join(", "));
            crate::say!(
                en: "{n} of {all} tasks of {id} still need work ({which}). Next: edit them, then run `cargo course check {id}`.",
                ru: "Заданий {id}, которые ещё ждут работы: {n} из {all} ({which}). Дальше: допишите их и запустите `cargo course check {id}`."
            );
        }
    }
}

/// Runs a demo's binary `bin` with `args` in Russian (`COURSE_LANG=ru`) and panics, naming the
/// lines, if any line of what it printed is an English sentence
/// ([`latin_sentences`](crate::lang::latin_sentences)): the test each lab's solution runs to
/// prove its demo speaks Russian from its first line to its last.
pub fn assert_speaks_russian(bin: &str, args: &[&str]) {
    assert_speaks_russian_beside(bin, args, |_| false);
}

/// [`assert_speaks_russian`] for a demo that also prints a program's own trace, which stays as
/// the program writes it in any language (Lab 5's event logs, compared line for line with
/// asyncio's): `is_trace` tells those lines.
pub fn assert_speaks_russian_beside(bin: &str, args: &[&str], is_trace: impl Fn(&str) -> bool) {
    let output = std::process::Command::new(bin)
        .args(args)
        .env(crate::lang::COURSE_LANG, "ru")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {bin}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{bin} {} failed ({}):\n{stdout}{}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let mut english = crate::lang::latin_sentences(&stdout);
    english.retain(|line| !is_trace(line));
    assert!(
        english.is_empty(),
        "{bin} {} printed English under COURSE_LANG=ru:\n{}",
        args.join(" "),
        english.join("\n")
    );
}

/// Runs `f` on its own thread and waits at most `deadline` for it.
pub fn run_within<T: Send + 'static>(
    deadline: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Outcome<T> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("demo-task".into())
        .spawn(move || {
            let _ = tx.send(catch(f));
        });
    if let Err(e) = spawned {
        return Outcome::Panicked(crate::tr!(
            en: "could not start a thread for the task: {e}",
            ru: "не удалось запустить поток для задания: {e}"
        ));
    }
    match rx.recv_timeout(deadline) {
        Ok(Ok(v)) => Outcome::Done(v),
        Ok(Err(m)) if is_not_implemented(&m) => Outcome::NotImplemented,
        Ok(Err(m)) => Outcome::Panicked(m),
        Err(_) => Outcome::TimedOut(deadline),
    }
}

#[cfg(test)]
#[allow(clippy::todo)] // these tests are about todo!() itself
mod tests {
    use super::*;

    /// `catch` is meant for one task at a time (a demo runs tasks in turn); libtest runs
    /// tests in parallel, so these tests take turns.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

    #[test]
    fn todo_is_not_implemented_and_a_panic_keeps_its_message() {
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let r: Result<(), String> = catch(|| todo!());
        assert!(is_not_implemented(&r.unwrap_err()));
        let r: Result<(), String> = catch(|| panic!("boom {}", 7));
        let m = r.unwrap_err();
        assert!(m.starts_with("boom 7 at "), "{m}");
        assert_eq!(catch(|| 5), Ok(5));
    }

    #[test]
    fn a_hang_times_out() {
        // run_within calls catch too, which clears the record of a spawned thread's panic.
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let outcome = run_within(Duration::from_millis(50), || {
            loop {
                std::thread::park();
            }
        });
        assert_eq!(outcome, Outcome::<()>::TimedOut(Duration::from_millis(50)));
    }

    /// A lab's flags, as a lab defines them.
    #[derive(Debug, Clone, clap::Args)]
    struct Lab9 {
        /// How many rounds
        #[arg(long)]
        rounds: Option<u32>,
    }

    impl LabFlags for Lab9 {
        const LAB: &'static str = "lab9";
        const SECTIONS: &'static str = "9.1, 9.2, python";
    }

    fn try_parse(args: &[&str]) -> Result<Flags<Lab9>, clap::Error> {
        let argv = std::iter::once("lab9").chain(args.iter().copied());
        command::<Lab9>()
            .try_get_matches_from(argv)
            .and_then(|m| Flags::<Lab9>::from_arg_matches(&m))
    }

    #[test]
    fn every_flag_has_one_rule() {
        let f = try_parse(&[]).unwrap();
        assert!(!f.quick && f.everything() && f.wants("9.1") && f.lab.rounds.is_none());
        let f = try_parse(&["--quick", "--only", "9.1,python", "--rounds=3"]).unwrap();
        assert!(f.quick && !f.everything());
        assert!(f.wants("9.1") && f.wants("python") && !f.wants("9.2"));
        assert!(f.wants_any(&["9.2", "9.1"]) && !f.wants_any(&["9.2"]));
        assert_eq!(f.lab.rounds, Some(3));
        let f = try_parse(&["--only=9.2", "--only", "9.1"]).unwrap();
        assert_eq!(f.only, ["9.2", "9.1"]);
    }

    #[test]
    fn a_wrong_flag_is_an_error_and_help_lists_the_sections() {
        let e = try_parse(&["--qiuck"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::UnknownArgument);
        assert!(e.to_string().contains("--qiuck"), "{e}");
        let e = try_parse(&["--rounds", "many"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::ValueValidation);
        let help = try_parse(&["--help"]).unwrap_err().to_string();
        for part in [
            "--quick",
            "--only <SECTION>",
            "--rounds <ROUNDS>",
            "9.1, 9.2, python",
        ] {
            assert!(help.contains(part), "{part} is not in:\n{help}");
        }
    }

    #[test]
    fn python_timings_skip_what_is_not_a_timing() {
        let out = "fib(30)\t0.5\t0.25\nwarning: slow\na\tb\tc\nx\t1\t2\t3\nsleep\t2\t0\n";
        let secs = Duration::from_secs_f64;
        assert_eq!(
            python_timings(out),
            [
                ("fib(30)", secs(0.5), secs(0.25)),
                ("sleep", secs(2.0), secs(0.0))
            ]
        );
    }

    #[test]
    fn a_todo_on_a_spawned_thread_is_seen() {
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let r = catch(|| {
            std::thread::spawn(|| -> u32 { todo!() })
                .join()
                .unwrap_or(0)
        });
        assert!(is_not_implemented(&r.unwrap_err()));
    }
}
