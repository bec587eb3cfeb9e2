//! The demo runner: `cargo run -p labN` on a half-finished lab still runs to the end.
//!
//! Every lab's demo calls the student's tasks through [`Demo::task`]. A task still holding
//! its `todo!()` becomes a friendly note that names the file to edit and the chapter to read,
//! instead of a panic backtrace; a task that really panics is reported with its message and
//! location, and the demo goes on with the next experiment. [`Demo::task_within`] also
//! gives up on a task that does not finish in time (a deadlock, a missing EOF), so a demo
//! never hangs.

use crate::course::{Course, Lab, Task};
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once, mpsc};
use std::time::Duration;

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
                let message = info
                    .payload_as_str()
                    .unwrap_or("(a panic with a non-text payload)");
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
        println!("{}", lab.title);
        println!("{}", "=".repeat(lab.title.chars().count()));
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
        match outcome {
            Outcome::Done(v) => {
                self.done.push(task);
                return Some(v);
            }
            Outcome::NotImplemented => {
                println!(
                    "  ⏳ task {} ({}) is not implemented yet",
                    task.id, task.title
                );
                println!(
                    "     edit {} · read {}#{}",
                    path.display(),
                    self.lab.chapter(),
                    task.anchor
                );
            }
            Outcome::Panicked(message) => {
                println!("  ✗ task {} ({}) panicked: {message}", task.id, task.title);
                println!(
                    "     the demo goes on without it; `cargo course check {}` shows more",
                    self.lab.id
                );
            }
            Outcome::TimedOut(d) => {
                println!(
                    "  ✗ task {} ({}) did not finish within {} s: a deadlock, or a wait that never ends?",
                    task.id,
                    task.title,
                    d.as_secs_f64()
                );
                println!("     hint: {}", task.hint);
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
            println!("Every task of {id} ran. Check them: cargo course check {id}");
        } else {
            println!(
                "{} of {} tasks of {id} still need work ({}). Next: edit them, then run `cargo course check {id}`.",
                left.len(),
                self.lab.tasks.len(),
                left.join(", ")
            );
        }
    }
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
        return Outcome::Panicked(format!("could not start a thread for the task: {e}"));
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
        let outcome = run_within(Duration::from_millis(50), || {
            loop {
                std::thread::park();
            }
        });
        assert_eq!(outcome, Outcome::<()>::TimedOut(Duration::from_millis(50)));
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
