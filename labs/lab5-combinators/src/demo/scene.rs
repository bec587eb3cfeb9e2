//! The stage of every experiment (not a student file): jobs that say what happens to them.
//!
//! A combinator is judged by what it does to the futures it is given: when each one starts,
//! whether it finishes or is cancelled, and when. So the experiments never use bare futures.
//! They use [`Job`]s made by a [`Scene`]: a job records `start`, `await sleep N ms`,
//! `resume`, `finish` (and `error(...)` if it fails) into a shared [`Timeline`], and a
//! **drop guard** records `cancelled` if the job is dropped before it finishes. In Rust,
//! cancelling a future *is* dropping it, so the guard sees every cancellation, whoever did
//! it: a `timeout`, a `select!`, an aborted task, a dropped `JoinSet`.
//!
//! Under tokio's paused clock a job that sleeps 3000 ms finishes at exactly virtual 3000 ms,
//! in microseconds of real time, so the event log of an experiment is exact: the checks
//! compare it with the reference solution's, and the Python mirror (asyncio on a virtual
//! clock) prints the same log.
//!
//! ## The canonical log
//! Events that happen at the same virtual instant have no order of their own: two correct
//! programs (or tokio and asyncio) may record them in either order. [`Record::log`] lists
//! them by time, then by task name with `main` (the caller) last, keeping each task's own
//! events in the order it recorded them. That order is the same for every correct program.

use futures::future::BoxFuture;
use kit::timeline::{Event, EventKind, Timeline};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The name of the caller's row in every log: the code that calls the combinator.
pub const MAIN: &str = "main";

/// What a failing job returns (in the Python mirror: `raise JobError("b failed")`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobError(pub String);

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JobError {}

/// A job: a future that sleeps a virtual duration, then returns a number or a [`JobError`],
/// recording what happens to it. Boxed so that jobs of every kind fit in one `Vec`.
pub type Job = BoxFuture<'static, Result<u32, JobError>>;

/// How a job's outcome is written in logs: `7`, or `error(b failed)`.
pub fn show<E: fmt::Display>(outcome: &Result<u32, E>) -> String {
    match outcome {
        Ok(v) => v.to_string(),
        Err(e) => format!("error({e})"),
    }
}

/// A list of outcomes as the logs write it: `[1, error(b failed), 3]`.
pub fn show_all<E: fmt::Display>(outcomes: &[Result<u32, E>]) -> String {
    let items: Vec<String> = outcomes.iter().map(show).collect();
    format!("[{}]", items.join(", "))
}

/// The text of a panic's payload (`panic!("...")` carries a `&str` or a `String`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

/// How many jobs are running (started, not yet finished or cancelled), and the most ever.
#[derive(Debug, Default)]
struct Counts {
    running: AtomicUsize,
    max_running: AtomicUsize,
}

/// One experiment: a timeline, and the jobs that write into it. Cheap to clone.
///
/// Create it *inside* the runtime whose clock it should use (a paused one for exact times).
#[derive(Debug, Clone)]
pub struct Scene {
    timeline: Timeline,
    counts: Arc<Counts>,
}

impl Default for Scene {
    fn default() -> Self {
        Self::new()
    }
}

impl Scene {
    /// A new experiment; its `t = 0` is now on tokio's clock.
    pub fn new() -> Scene {
        Scene {
            timeline: Timeline::new(),
            counts: Arc::default(),
        }
    }

    /// The timeline the jobs write into.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// A job named `name` that sleeps `ms` virtual milliseconds and returns `Ok(value)`.
    pub fn job(&self, name: &str, ms: u64, value: u32) -> Job {
        self.sleeper(name, ms, Ok(value))
    }

    /// One [`job`](Scene::job) per `(name, ms, value)`, in that order.
    pub fn jobs(&self, specs: &[(&str, u64, u32)]) -> Vec<Job> {
        specs
            .iter()
            .map(|&(name, ms, value)| self.job(name, ms, value))
            .collect()
    }

    /// A job named `name` that sleeps `ms` virtual milliseconds and fails with `error`.
    pub fn failing_job(&self, name: &str, ms: u64, error: &str) -> Job {
        self.sleeper(name, ms, Err(JobError(error.to_owned())))
    }

    fn sleeper(&self, name: &str, ms: u64, outcome: Result<u32, JobError>) -> Job {
        let work = async move {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            outcome
        };
        Box::pin(self.watch(name, &format!("sleep {ms} ms"), work))
    }

    /// Wraps any fallible future so that it records what happens to it, as a job does:
    /// `start` and `await <what>` at its first poll, `resume`, `error(..)` if it fails and
    /// `finish` when it returns, or `cancelled` if it is dropped before that.
    pub fn watch<T, E, F>(
        &self,
        name: &str,
        what: &str,
        fut: F,
    ) -> impl Future<Output = Result<T, E>> + Send + use<T, E, F>
    where
        F: Future<Output = Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: fmt::Display + Send + 'static,
    {
        let scene = self.clone();
        let name = name.to_owned();
        let what = what.to_owned();
        // Nothing is recorded until the first poll: a future that is dropped before it ever
        // ran did not start, and was not cancelled either (asyncio agrees: a task cancelled
        // before its first step never runs a line of its coroutine).
        async move {
            let guard = Running::enter(&scene, &name);
            scene.timeline.record(&name, EventKind::Await(what));
            let out = fut.await;
            scene.timeline.record(&name, EventKind::Resume);
            if let Err(e) = &out {
                scene.timeline.mark(&name, format!("error({e})"));
            }
            guard.finish();
            out
        }
    }

    /// Records a mark in the caller's row (`main`).
    pub fn mark(&self, text: impl Into<String>) {
        self.timeline.mark(MAIN, text);
    }

    /// The caller awaits `fut`: records `await <what>` before and `resume` after, in `main`.
    pub async fn main_awaits<F: IntoFuture>(&self, what: &str, fut: F) -> F::Output {
        self.timeline.awaiting(MAIN, what, fut).await
    }

    /// Jobs running now: started, neither finished nor cancelled.
    pub fn in_flight(&self) -> usize {
        self.counts.running.load(Ordering::SeqCst)
    }

    /// The largest number of jobs that were running at the same moment.
    pub fn max_in_flight(&self) -> usize {
        self.counts.max_running.load(Ordering::SeqCst)
    }

    /// A copy of everything recorded so far. Events recorded later (say, by tasks dropped
    /// when the runtime shuts down) do not change it.
    pub fn freeze(&self) -> Record {
        Record {
            events: self.timeline.events(),
            max_in_flight: self.max_in_flight(),
        }
    }
}

/// The drop guard of a running job: counts it, and records `cancelled` if the job is
/// dropped before [`Running::finish`].
struct Running {
    scene: Scene,
    name: String,
    finished: bool,
}

impl Running {
    fn enter(scene: &Scene, name: &str) -> Running {
        scene.timeline.record(name, EventKind::Start);
        let now = scene.counts.running.fetch_add(1, Ordering::SeqCst) + 1;
        scene.counts.max_running.fetch_max(now, Ordering::SeqCst);
        Running {
            scene: scene.clone(),
            name: name.to_owned(),
            finished: false,
        }
    }

    fn finish(mut self) {
        self.finished = true;
        self.scene.timeline.record(&self.name, EventKind::Finish);
        // `self` drops here: the count goes down, and no `cancelled` is recorded.
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.scene.counts.running.fetch_sub(1, Ordering::SeqCst);
        if !self.finished {
            // The job's future is being dropped mid-way: that is what cancellation is in Rust.
            self.scene.timeline.record(&self.name, EventKind::Cancelled);
        }
    }
}

/// What an experiment recorded: its events and the most jobs that ran at once.
#[derive(Debug, Clone)]
pub struct Record {
    /// Every event, in the order it was recorded.
    pub events: Vec<Event>,
    /// The largest number of jobs running at the same moment.
    pub max_in_flight: usize,
}

/// Whole milliseconds since the start of the experiment.
fn ms(at: Duration) -> u64 {
    at.as_millis() as u64
}

impl Record {
    /// The events in canonical order (see the module doc): by time, then by task with
    /// `main` last; a task's own events keep their recorded order.
    pub fn canonical(&self) -> Vec<Event> {
        let mut events = self.events.clone();
        // A stable sort: events that compare equal keep the order they were recorded in.
        events.sort_by(|x, y| {
            (ms(x.at), x.task == MAIN, &x.task).cmp(&(ms(y.at), y.task == MAIN, &y.task))
        });
        events
    }

    /// The canonical log, one line per event: `"{at_ms:>6} ms  {task:<10} {kind}"`, the format
    /// of `kit::timeline::Timeline::log` (and of the Python mirror).
    pub fn log(&self) -> String {
        self.canonical()
            .iter()
            .map(|e| format!("{:>6} ms  {:<10} {}\n", ms(e.at), e.task, e.kind))
            .collect()
    }

    /// The log in recording order (`--raw` in the demo): events at the same instant appear
    /// in whatever order the scheduler ran them, which differs between correct programs.
    pub fn raw_log(&self) -> String {
        self.events
            .iter()
            .map(|e| format!("{:>6} ms  {:<10} {}\n", ms(e.at), e.task, e.kind))
            .collect()
    }

    /// The timeline drawn by `kit::timeline::Timeline::render`, `width` columns wide, with
    /// `main` on the first row and the other tasks in the order they first appear in the
    /// canonical log (so the picture, too, is the same for every correct program).
    pub fn render(&self, width: usize) -> String {
        self.replay().render(width)
    }

    /// Chrome trace-event JSON of the experiment (open it in <https://ui.perfetto.dev>).
    pub fn chrome_trace(&self) -> String {
        self.replay().chrome_trace()
    }

    /// A timeline holding the canonical events at their original times. `Timeline` has no
    /// way to insert an event at a given time, so the events are recorded again on a fresh
    /// paused clock that is moved forward to each event's time (`tokio::time::advance`).
    fn replay(&self) -> Timeline {
        let mut events = self.canonical();
        // The caller's first event happens at t = 0, when nothing else has happened yet:
        // recording it first puts `main` on the first row of the picture.
        if let Some(i) = events.iter().position(|e| e.task == MAIN)
            && ms(events[i].at) == 0
        {
            let first = events.remove(i);
            events.insert(0, first);
        }
        // A fresh thread: this may be called from inside a runtime, where starting another
        // one would panic.
        std::thread::scope(|s| {
            s.spawn(|| {
                let runtime = kit::runtime::paused();
                runtime.block_on(async {
                    let timeline = Timeline::new();
                    let t0 = tokio::time::Instant::now();
                    for e in events {
                        let now = tokio::time::Instant::now();
                        tokio::time::advance((t0 + e.at).saturating_duration_since(now)).await;
                        timeline.record(&e.task, e.kind);
                    }
                    timeline
                })
            })
            .join()
            .expect("replaying a timeline panicked")
        })
    }

    /// The time (ms) of `task`'s first event that reads `what` (`"start"`, `"finish"`,
    /// `"cancelled"`, `"error(b failed)"`, ...), if it has one.
    pub fn time_of(&self, task: &str, what: &str) -> Option<u64> {
        self.events
            .iter()
            .find(|e| e.task == task && e.kind.to_string() == what)
            .map(|e| ms(e.at))
    }

    /// When `task` started, if it did.
    pub fn started(&self, task: &str) -> Option<u64> {
        self.time_of(task, "start")
    }

    /// When `task` finished (returned), if it did.
    pub fn finished(&self, task: &str) -> Option<u64> {
        self.time_of(task, "finish")
    }

    /// When `task` was cancelled (dropped before it finished), if it was.
    pub fn cancelled(&self, task: &str) -> Option<u64> {
        self.time_of(task, "cancelled")
    }

    /// The caller's marks, with their times, in order.
    pub fn marks(&self) -> Vec<(u64, String)> {
        self.events
            .iter()
            .filter(|e| e.task == MAIN)
            .filter_map(|e| match &e.kind {
                EventKind::Mark(m) => Some((ms(e.at), m.clone())),
                _ => None,
            })
            .collect()
    }

    /// The caller's first mark that starts with `prefix`, with its time.
    pub fn mark(&self, prefix: &str) -> Option<(u64, String)> {
        self.marks()
            .into_iter()
            .find(|(_, m)| m.starts_with(prefix))
    }

    /// What happened to `task`, in words, for assertion messages: "started at 0 ms,
    /// cancelled at 1500 ms", "never started".
    pub fn story(&self, task: &str) -> String {
        let parts: Vec<String> = self
            .events
            .iter()
            .filter(|e| e.task == task)
            .filter(|e| !matches!(e.kind, EventKind::Await(_) | EventKind::Resume))
            .map(|e| {
                let (kind, at) = (story_word(&e.kind), ms(e.at));
                kit::tr!(en: "{kind} at {at} ms", ru: "{kind} в {at} мс")
            })
            .collect();
        if parts.is_empty() {
            kit::tr!(en: "{task} never started", ru: "{task} так и не запустилась")
        } else {
            format!("{task}: {}", parts.join(", "))
        }
    }
}

/// An event's kind in a [`Record::story`], in the student's language (a mark is the
/// scenario's own words, as the log prints it).
fn story_word(kind: &EventKind) -> String {
    match kind {
        EventKind::Start => kit::tr!(en: "start", ru: "старт"),
        EventKind::Finish => kit::tr!(en: "finish", ru: "завершение"),
        EventKind::Cancelled => kit::tr!(en: "cancelled", ru: "отмена"),
        other => other.to_string(),
    }
}
