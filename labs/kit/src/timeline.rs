//! A recorder of task events, and two ways to look at them afterwards.
//!
//! Async code is hard to picture: which task ran when, who waited for what, which thread
//! ran it. A [`Timeline`] is a shared, append-only log of [`Event`]s that tasks write as
//! they go (`start`, `await <what>`, `resume`, `finish`, `cancelled`, or a free-form mark).
//! Events are recorded by hand ([`Timeline::record`], [`Timeline::mark`],
//! [`Timeline::awaiting`]) or automatically: [`Timeline::instrument`] wraps any future and
//! records its polls (start, await on `Pending`, resume, finish, cancelled on drop), and
//! [`Timeline::spawn`] spawns such a future as a tokio task.
//!
//! Afterwards it is shown three ways:
//!
//! - [`Timeline::log`]: one line per event, `"{at_ms:>6} ms  {task:<10} {kind}"`. Under
//!   tokio's paused clock the times are virtual, so the log is exact and the checks compare
//!   it with a snapshot.
//! - [`Timeline::render`]: a terminal picture, one row per task, time flowing right:
//!
//!   ```text
//!   main   █────────────────────────────────────────█✓
//!   a      █────────────────────────────────────────█✓
//!   b      █──────────────────────────────█✓
//!          ├─────────┼─────────┼─────────┼─────────┤
//!          0         1000      2000      3000      4000 ms
//!          █ running  ─ awaiting  ✓ finished  ✗ cancelled  ◆ mark
//!   ```
//! - [`Timeline::chrome_trace`]: Chrome trace-event JSON, which <https://ui.perfetto.dev>
//!   and `chrome://tracing` open: one track per task, a slice per running or awaiting span.
//!   [`chrome_trace_of`] puts several timelines (scenarios) in one file, one process each.
//!
//! Times come from [`tokio::time::Instant`]: virtual under a paused clock (tests, checks),
//! real otherwise. Create the timeline *inside* the runtime whose clock you want: outside
//! any runtime, tokio's `Instant` is the real clock.
//!
//! ```
//! use kit::timeline::{EventKind, Timeline};
//! use std::time::Duration;
//!
//! let rt = kit::runtime::paused(); // virtual time: the sleep below takes no real time
//! let log = rt.block_on(async {
//!     let tl = Timeline::new();
//!     tl.record("a", EventKind::Start);
//!     tl.awaiting("a", "sleep 2s", tokio::time::sleep(Duration::from_secs(2))).await;
//!     tl.record("a", EventKind::Finish);
//!     tl.log()
//! });
//! assert_eq!(
//!     log,
//!     "     0 ms  a          start\n     0 ms  a          await sleep 2s\n  \
//!      2000 ms  a          resume\n  2000 ms  a          finish\n"
//! );
//! ```

use serde_json::{Value, json};
use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

/// What happened to a task at one instant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// The task began running (its first poll).
    Start,
    /// The task is about to wait for something (named; empty when unknown, as recorded by
    /// [`Timeline::instrument`]): it gives the thread back.
    Await(String),
    /// The thing it waited for is ready: the task runs again.
    Resume,
    /// The task returned.
    Finish,
    /// The task was dropped (aborted, timed out, lost a `select!`) before it finished.
    Cancelled,
    /// A free-form point in time ("tick", "got 3", ...). Does not change the task's state.
    Mark(String),
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventKind::Start => f.write_str("start"),
            EventKind::Await(what) if what.is_empty() => f.write_str("await"),
            EventKind::Await(what) => write!(f, "await {what}"),
            EventKind::Resume => f.write_str("resume"),
            EventKind::Finish => f.write_str("finish"),
            EventKind::Cancelled => f.write_str("cancelled"),
            EventKind::Mark(mark) => f.write_str(mark),
        }
    }
}

/// One recorded event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Time since the timeline was created (virtual under a paused clock).
    pub at: Duration,
    /// The task's name, as given to [`Timeline::record`].
    pub task: String,
    /// What happened.
    pub kind: EventKind,
    /// The OS thread that recorded it: `"name#id"` (`"#id"` for an unnamed thread).
    /// All tokio workers are named `tokio-runtime-worker`; the id tells them apart.
    pub thread: String,
}

struct Inner {
    origin: tokio::time::Instant,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    events: Vec<Event>,
    /// Tasks whose last start/await/resume/finish event is an `Await`: they are waiting.
    waiting: HashSet<String>,
}

impl State {
    fn push(&mut self, event: Event) {
        match event.kind {
            EventKind::Await(_) => {
                self.waiting.insert(event.task.clone());
            }
            EventKind::Mark(_) => {}
            _ => {
                self.waiting.remove(&event.task);
            }
        }
        self.events.push(event);
    }
}

/// A shared event log for tasks. Cloning is cheap (an `Arc`): give each task its own clone.
#[derive(Clone)]
pub struct Timeline {
    inner: Arc<Inner>,
}

impl fmt::Debug for Timeline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timeline")
            .field("events", &self.events().len())
            .finish()
    }
}

impl Default for Timeline {
    fn default() -> Self {
        Self::new()
    }
}

/// The current thread as `"name#id"`.
fn thread_label() -> String {
    let current = std::thread::current();
    // `ThreadId::as_u64` is unstable; its Debug form is `ThreadId(7)`.
    let id = format!("{:?}", current.id());
    let id = id
        .strip_prefix("ThreadId(")
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(&id)
        .to_string();
    match current.name() {
        Some(name) => format!("{name}#{id}"),
        None => format!("#{id}"),
    }
}

impl Timeline {
    /// A new, empty timeline; `t = 0` is now (tokio's clock: virtual if paused).
    pub fn new() -> Timeline {
        Timeline {
            inner: Arc::new(Inner {
                origin: tokio::time::Instant::now(),
                state: Mutex::new(State::default()),
            }),
        }
    }

    /// Time elapsed since the timeline was created, on tokio's clock.
    pub fn elapsed(&self) -> Duration {
        tokio::time::Instant::now().saturating_duration_since(self.inner.origin)
    }

    /// The time of the latest event (zero if there is none): how long the recorded run took.
    /// Unlike [`elapsed`](Self::elapsed) it stays right after the runtime is gone (outside a
    /// runtime, tokio's clock is the real one again).
    pub fn end(&self) -> Duration {
        self.events().iter().map(|e| e.at).max().unwrap_or_default()
    }

    /// Records that `kind` happened to `task` now, on the current OS thread.
    pub fn record(&self, task: &str, kind: EventKind) {
        self.record_if(task, kind, |_| true);
    }

    /// Records `kind` unless `skip_when_waiting(waiting)` says no, `waiting` being whether the
    /// task's last start/await/resume/finish event is an `Await`. Checked under the lock, so
    /// [`awaiting`](Self::awaiting) and [`instrument`](Self::instrument) can be combined
    /// without recording the same await or resume twice.
    fn record_if(&self, task: &str, kind: EventKind, wanted: impl FnOnce(bool) -> bool) {
        let at = self.elapsed();
        // A panic elsewhere must not make the timeline unusable: ignore poisoning.
        let mut state = self.inner.state.lock().unwrap_or_else(|e| e.into_inner());
        if !wanted(state.waiting.contains(task)) {
            return;
        }
        state.push(Event {
            at,
            task: task.to_string(),
            kind,
            thread: thread_label(),
        });
    }

    /// Records a free-form mark for `task` (shorthand for `record(task, EventKind::Mark(..))`).
    pub fn mark(&self, task: &str, mark: impl Into<String>) {
        self.record(task, EventKind::Mark(mark.into()));
    }

    /// Awaits `fut`, recording `await <what>` before and `resume` after (the resume only if
    /// nothing recorded it already, e.g. an [`instrument`](Self::instrument)ed task).
    pub async fn awaiting<F: std::future::IntoFuture>(
        &self,
        task: &str,
        what: &str,
        fut: F,
    ) -> F::Output {
        self.record(task, EventKind::Await(what.to_string()));
        let out = fut.await;
        self.record_if(task, EventKind::Resume, |waiting| waiting);
        out
    }

    /// Wraps `fut` so that its life is recorded as `task` without touching its code:
    /// `start` at its first poll, `await` each time a poll returns `Pending` (unless an
    /// [`awaiting`](Self::awaiting) inside already named the wait), `resume` when it is
    /// polled again, `finish` when it returns, `cancelled` if it is dropped before that.
    ///
    /// What it records is the truth of the scheduler: a task that computes for 500 ms in one
    /// poll shows a 500 ms running span; a task that is woken but not yet polled is still
    /// awaiting.
    pub fn instrument<F: Future>(&self, task: &str, fut: F) -> Instrumented<F> {
        Instrumented {
            timeline: self.clone(),
            task: task.to_string(),
            fut: Box::pin(fut),
            started: false,
            done: false,
        }
    }

    /// `tokio::spawn` of the [`instrument`](Self::instrument)ed future: a task named `task`.
    /// Must be called inside a tokio runtime.
    pub fn spawn<F>(&self, task: &str, fut: F) -> tokio::task::JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        tokio::spawn(self.instrument(task, fut))
    }

    /// All events, in recording order.
    pub fn events(&self) -> Vec<Event> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .events
            .clone()
    }

    /// A copy of this timeline without its *idle polls*: a `resume` followed, at the very
    /// same instant, by an unnamed `await` (the one [`instrument`](Self::instrument) records)
    /// of a task that was waiting. Such a poll found nothing ready and waited again at once.
    ///
    /// Why: how often a waiting future is polled is the executor's business, not the
    /// program's. A spawned task is polled only when its own wake-up comes, but
    /// `futures::future::join_all` polls every future it holds whenever any one of them
    /// wakes: the same program, drawn with a running cell for every extra poll. Under
    /// virtual time such a poll takes no time at all; without it the picture shows what the
    /// program did, whichever legal way it was written. Real progress keeps its events: a
    /// poll that returned, named a new wait or recorded a mark is not idle.
    pub fn without_idle_polls(&self) -> Timeline {
        let events = self.events();
        let mut keep = vec![true; events.len()];
        // Tasks whose last kept start/await/resume/finish event is an await.
        let mut waiting: HashSet<&str> = HashSet::new();
        for (i, e) in events.iter().enumerate() {
            if !keep[i] {
                continue;
            }
            match &e.kind {
                EventKind::Resume if waiting.contains(e.task.as_str()) => {
                    // The task's next event, marks included (a mark is progress).
                    let next = events[i + 1..]
                        .iter()
                        .position(|n| n.task == e.task)
                        .map(|j| i + 1 + j);
                    match next {
                        Some(n)
                            if events[n].at == e.at
                                && events[n].kind == EventKind::Await(String::new()) =>
                        {
                            keep[i] = false;
                            keep[n] = false; // still waiting, as before this poll
                        }
                        _ => {
                            waiting.remove(e.task.as_str());
                        }
                    }
                }
                EventKind::Await(_) => {
                    waiting.insert(&e.task);
                }
                EventKind::Mark(_) => {}
                _ => {
                    waiting.remove(e.task.as_str());
                }
            }
        }
        let mut state = State::default();
        for (e, k) in events.into_iter().zip(keep) {
            if k {
                state.push(e);
            }
        }
        Timeline {
            inner: Arc::new(Inner {
                origin: self.inner.origin,
                state: Mutex::new(state),
            }),
        }
    }

    /// Task names in order of first appearance.
    pub fn tasks(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for e in self.events() {
            if !names.contains(&e.task) {
                names.push(e.task);
            }
        }
        names
    }

    /// One line per event: `"{at_ms:>6} ms  {task:<10} {kind}\n"`. Exact under virtual time.
    pub fn log(&self) -> String {
        self.events()
            .iter()
            .map(|e| format!("{:>6} ms  {:<10} {}\n", e.at.as_millis(), e.task, e.kind))
            .collect()
    }

    /// A terminal picture: one row per task (in first-appearance order), `width` columns of
    /// time flowing right, then a time axis and a legend.
    ///
    /// `█` running (at least one cell, even for an instant), `─` awaiting, `✓` finished,
    /// `✗` cancelled, `◆` a mark. Each row ends with a space and the last thing the task
    /// awaited is not repeated: the log has the details.
    pub fn render(&self, width: usize) -> String {
        let events = self.events();
        if events.is_empty() {
            return format!("{NO_EVENTS}\n");
        }
        let width = width.max(10);
        let end = events.iter().map(|e| e.at).max().unwrap_or_default();
        // All events at t = 0: draw everything in column 0.
        let end_ns = end.as_nanos().max(1);
        let col = |at: Duration| -> usize {
            let c = (at.as_nanos() * (width as u128 - 1) + end_ns / 2) / end_ns;
            (c as usize).min(width - 1)
        };
        let names = self.tasks();
        let label = names
            .iter()
            .map(|n| n.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(4, 16);
        let mut out = String::new();
        for name in &names {
            // One extra cell so a finish mark right after a running cell at the end fits.
            let mut cells = vec![' '; width + 1];
            let mut marks: Vec<usize> = Vec::new();
            // `Some((col, running))`: the current span began at `col`.
            let mut span: Option<(usize, bool)> = None;
            let fill = |cells: &mut Vec<char>, from: usize, to: usize, ch: char| {
                for cell in cells.iter_mut().take(to + 1).skip(from) {
                    // A running cell is never painted over by an awaiting one.
                    if !(ch == '─' && *cell == '█') {
                        *cell = ch;
                    }
                }
            };
            for e in events.iter().filter(|e| &e.task == name) {
                let c = col(e.at);
                // Close the current span at `c`.
                let close = |cells: &mut Vec<char>, span: Option<(usize, bool)>| match span {
                    Some((from, true)) => fill(cells, from, c, '█'),
                    Some((from, false)) if c > from => fill(cells, from, c - 1, '─'),
                    _ => {}
                };
                match &e.kind {
                    EventKind::Start | EventKind::Resume => {
                        if let Some((_, true)) = span {
                            continue; // already running
                        }
                        close(&mut cells, span);
                        span = Some((c, true));
                    }
                    EventKind::Await(_) => {
                        close(&mut cells, span);
                        // Waiting starts in the next cell: the running cell stays visible.
                        span = Some((c, false));
                    }
                    EventKind::Finish | EventKind::Cancelled => {
                        let was_running = matches!(span, Some((_, true)));
                        close(&mut cells, span);
                        span = None;
                        let at = if was_running { c + 1 } else { c };
                        cells[at] = if e.kind == EventKind::Finish {
                            '✓'
                        } else {
                            '✗'
                        };
                    }
                    EventKind::Mark(_) => marks.push(c),
                }
            }
            // A task still running or waiting when the recording stopped: draw to the end.
            match span {
                Some((from, true)) => fill(&mut cells, from, width - 1, '█'),
                Some((from, false)) => fill(&mut cells, from, width - 1, '─'),
                None => {}
            }
            for m in marks {
                cells[m] = '◆';
            }
            let row: String = cells.into_iter().collect();
            let shown: String = name.chars().take(label).collect();
            out.push_str(&format!("{shown:<label$} {}\n", row.trim_end()));
        }
        out.push_str(&axis(end, width, label));
        out.push_str(&format!("{:label$} {LEGEND}\n", ""));
        out
    }

    /// [`render`](Self::render) for a reader, in the current language: the legend in Russian
    /// under a Russian locale. (`render` itself stays English: the checks' snapshots hold it.)
    pub fn render_here(&self, width: usize) -> String {
        in_current_language(&self.render(width))
    }

    /// Chrome trace-event JSON (open it in <https://ui.perfetto.dev> or `chrome://tracing`).
    ///
    /// One process, one track (`tid`) per task in first-appearance order, named after the
    /// task. Running spans are complete events (`"ph": "X"`) named `run`, awaiting spans are
    /// complete events named `await <what>`, finish / cancelled / marks are instant events
    /// (`"ph": "i"`). Each event's `args.thread` is the OS thread that recorded it.
    pub fn chrome_trace(&self) -> String {
        chrome_trace_of(&[("tasks", self)])
    }

    /// This timeline's trace events, in process `pid`.
    fn trace_events(&self, pid: usize, process: &str) -> Vec<Value> {
        let events = self.events();
        let names = self.tasks();
        let us = |d: Duration| d.as_nanos() as f64 / 1000.0;
        let end = events.iter().map(|e| e.at).max().unwrap_or_default();
        let mut trace: Vec<Value> = vec![
            json!({ "name": "process_name", "ph": "M", "pid": pid, "tid": 0,
                    "args": { "name": process } }),
            json!({ "name": "process_sort_index", "ph": "M", "pid": pid, "tid": 0,
                    "args": { "sort_index": pid } }),
        ];
        for (i, name) in names.iter().enumerate() {
            let tid = i + 1;
            trace.push(json!({
                "name": "thread_name", "ph": "M", "pid": pid, "tid": tid,
                "args": { "name": name }
            }));
            trace.push(json!({
                "name": "thread_sort_index", "ph": "M", "pid": pid, "tid": tid,
                "args": { "sort_index": tid }
            }));
            // The open span: (start, name, category, thread).
            type Open = Option<(Duration, String, &'static str, String)>;
            let close = |trace: &mut Vec<Value>, open: &mut Open, at: Duration| {
                if let Some((from, what, cat, thread)) = open.take() {
                    trace.push(json!({
                        "name": what, "cat": cat, "ph": "X", "pid": pid, "tid": tid,
                        "ts": us(from), "dur": us(at.saturating_sub(from)),
                        "args": { "thread": thread }
                    }));
                }
            };
            let mut open: Open = None;
            for e in events.iter().filter(|e| &e.task == name) {
                match &e.kind {
                    EventKind::Start | EventKind::Resume => {
                        if matches!(open, Some((_, _, "run", _))) {
                            continue;
                        }
                        close(&mut trace, &mut open, e.at);
                        open = Some((e.at, "run".to_string(), "run", e.thread.clone()));
                    }
                    EventKind::Await(_) => {
                        close(&mut trace, &mut open, e.at);
                        open = Some((e.at, e.kind.to_string(), "await", e.thread.clone()));
                    }
                    EventKind::Finish | EventKind::Cancelled | EventKind::Mark(_) => {
                        if !matches!(e.kind, EventKind::Mark(_)) {
                            close(&mut trace, &mut open, e.at);
                        }
                        trace.push(json!({
                            "name": e.kind.to_string(), "cat": "mark", "ph": "i", "s": "t",
                            "pid": pid, "tid": tid, "ts": us(e.at),
                            "args": { "thread": e.thread }
                        }));
                    }
                }
            }
            close(&mut trace, &mut open, end);
        }
        trace
    }
}

/// One Chrome trace file holding several timelines, each as its own process named after its
/// scenario (in the given order), e.g. every experiment of a demo. Each timeline keeps its
/// own `t = 0`.
pub fn chrome_trace_of(scenarios: &[(&str, &Timeline)]) -> String {
    let mut trace = Vec::new();
    for (i, (name, timeline)) in scenarios.iter().enumerate() {
        trace.extend(timeline.trace_events(i + 1, name));
    }
    let doc = json!({ "traceEvents": trace, "displayTimeUnit": "ms" });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string())
}

/// Reads back a Chrome trace written by [`Timeline::chrome_trace`] or [`chrome_trace_of`]:
/// each process (scenario) with its tracks (tasks), in order, after checking that the text
/// is JSON with a `traceEvents` array whose events all have a `ph`, a `pid` and a `tid`. For
/// tests of programs that write traces (`--trace FILE`).
pub fn read_trace(json: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    let doc: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    let events = doc["traceEvents"]
        .as_array()
        .ok_or("no traceEvents array at the top level")?;
    let mut processes: Vec<(u64, String, Vec<String>)> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let (Some(ph), Some(pid), Some(_)) =
            (e["ph"].as_str(), e["pid"].as_u64(), e["tid"].as_u64())
        else {
            return Err(format!("event {i} lacks ph, pid or tid: {e}"));
        };
        let name = e["args"]["name"].as_str().unwrap_or_default().to_string();
        match (ph, e["name"].as_str()) {
            ("M", Some("process_name")) => processes.push((pid, name, Vec::new())),
            ("M", Some("thread_name")) => match processes.iter_mut().find(|p| p.0 == pid) {
                Some(p) => p.2.push(name),
                None => return Err(format!("event {i}: a track of unknown process {pid}")),
            },
            _ => {}
        }
    }
    Ok(processes.into_iter().map(|(_, n, t)| (n, t)).collect())
}

/// A future whose life is recorded on a [`Timeline`]: see [`Timeline::instrument`].
pub struct Instrumented<F> {
    timeline: Timeline,
    task: String,
    // Boxed so that `Instrumented` is `Unpin` and needs no unsafe pin projection.
    fut: Pin<Box<F>>,
    started: bool,
    done: bool,
}

impl<F> fmt::Debug for Instrumented<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Instrumented")
            .field("task", &self.task)
            .field("started", &self.started)
            .field("done", &self.done)
            .finish()
    }
}

impl<F: Future> Future for Instrumented<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        if !this.started {
            this.started = true;
            this.timeline.record(&this.task, EventKind::Start);
        } else {
            this.timeline
                .record_if(&this.task, EventKind::Resume, |waiting| waiting);
        }
        match this.fut.as_mut().poll(cx) {
            Poll::Ready(out) => {
                this.done = true;
                this.timeline.record(&this.task, EventKind::Finish);
                Poll::Ready(out)
            }
            Poll::Pending => {
                this.timeline
                    .record_if(&this.task, EventKind::Await(String::new()), |waiting| {
                        !waiting
                    });
                Poll::Pending
            }
        }
    }
}

impl<F> Drop for Instrumented<F> {
    fn drop(&mut self) {
        if self.started && !self.done {
            self.timeline.record(&self.task, EventKind::Cancelled);
        }
    }
}

/// The time axis under a render: ticks at a round step, labels under the ticks that fit.
fn axis(end: Duration, width: usize, label: usize) -> String {
    let end_ms = end.as_secs_f64() * 1000.0;
    // About one tick every 10 columns, at a step of 1, 2 or 5 × 10^k ms.
    let wanted = (end_ms / (width as f64 / 10.0)).max(1e-3);
    let magnitude = 10f64.powf(wanted.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= wanted)
        .unwrap_or(10.0 * magnitude);
    let span = end_ms.max(1e-9);
    let mut line: Vec<char> = vec!['─'; width];
    let mut labels: Vec<char> = vec![' '; width + 8];
    let mut t = 0.0;
    let mut next_free = 0;
    while t <= end_ms + 1e-9 {
        let c = ((t / span) * (width as f64 - 1.0)).round() as usize;
        let c = c.min(width - 1);
        line[c] = if c == 0 { '├' } else { '┼' };
        let text = if step < 1.0 {
            format!("{t:.1}")
        } else {
            format!("{t:.0}")
        };
        if c >= next_free && c + text.len() <= labels.len() {
            for (i, ch) in text.chars().enumerate() {
                labels[c + i] = ch;
            }
            next_free = c + text.len() + 1;
        }
        t += step;
    }
    // Label the end too, when it is not on a tick and its label fits.
    let last_tick = ((end_ms / step) + 1e-9).floor() * step;
    if end_ms - last_tick > step * 0.05 {
        let text = format!("{end_ms:.0}");
        let c = width - 1;
        if c >= next_free && c + text.len() <= labels.len() {
            for (i, ch) in text.chars().enumerate() {
                labels[c + i] = ch;
            }
        }
    }
    if end_ms <= 0.0 {
        line[0] = '├';
    } else if line[width - 1] != '├' {
        // The axis ends at the last event, on a tick or not.
        line[width - 1] = '┤';
    }
    let labels: String = labels.into_iter().collect();
    format!(
        "{:label$} {}\n{:label$} {} ms\n",
        "",
        line.into_iter().collect::<String>(),
        "",
        labels.trim_end()
    )
}

/// The legend under every picture [`Timeline::render`] draws, and what it draws of no events.
const LEGEND: &str = "█ running  ─ awaiting  ✓ finished  ✗ cancelled  ◆ mark";
const NO_EVENTS: &str = "(no events)";

/// A picture [`Timeline::render`] drew, in the current language (its legend translated).
pub fn in_current_language(picture: &str) -> String {
    match crate::lang::Lang::current() {
        crate::lang::Lang::En => picture.to_owned(),
        crate::lang::Lang::Ru => picture
            .replace(
                LEGEND,
                "█ выполняется  ─ ждёт  ✓ завершена  ✗ отменена  ◆ отметка",
            )
            .replace(NO_EVENTS, "(событий нет)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    use crate::runtime::paused;

    /// The course's example: a sleeps 4 s, b sleeps 3 s, main awaits both.
    fn four_three() -> Timeline {
        paused().block_on(async {
            let tl = Timeline::new();
            tl.record("main", EventKind::Start);
            let mut handles = Vec::new();
            for (name, secs) in [("a", 4), ("b", 3)] {
                let tl = tl.clone();
                handles.push(tokio::spawn(async move {
                    tl.record(name, EventKind::Start);
                    let what = format!("sleep {secs}s");
                    tl.awaiting(name, &what, tokio::time::sleep(Duration::from_secs(secs)))
                        .await;
                    tl.record(name, EventKind::Finish);
                }));
            }
            for h in handles {
                tl.awaiting("main", "join", h).await.unwrap();
            }
            tl.record("main", EventKind::Finish);
            tl
        })
    }

    #[test]
    fn log_is_exact_under_virtual_time() {
        let expected = "     0 ms  main       start
     0 ms  main       await join
     0 ms  a          start
     0 ms  a          await sleep 4s
     0 ms  b          start
     0 ms  b          await sleep 3s
  3000 ms  b          resume
  3000 ms  b          finish
  4000 ms  a          resume
  4000 ms  a          finish
  4000 ms  main       resume
  4000 ms  main       await join
  4000 ms  main       resume
  4000 ms  main       finish
";
        let tl = four_three();
        assert_eq!(tl.log(), expected);
        assert_eq!(tl.end(), Duration::from_secs(4));
    }

    #[test]
    fn render_is_exact_under_virtual_time() {
        let expected = "main █───────────────────────────────────────█✓
a    █───────────────────────────────────────█✓
b    █─────────────────────────────█✓
     ├─────────┼─────────┼─────────┼─────────┤
     0         1000      2000      3000      4000 ms
     █ running  ─ awaiting  ✓ finished  ✗ cancelled  ◆ mark
";
        let got = four_three().render(41);
        assert_eq!(got, expected, "\n{got}");
    }

    #[test]
    fn idle_polls_are_dropped_and_progress_kept() {
        // Three instrumented sleeps driven by join! (like join_all, it polls every one of
        // them each time any one wakes): the same picture as three spawned tasks.
        let (joined, spawned) = paused().block_on(async {
            let job = |tl: &Timeline, name: &'static str, ms: u64| {
                tl.instrument(name, tokio::time::sleep(Duration::from_millis(ms)))
            };
            let joined = Timeline::new();
            tokio::join!(
                job(&joined, "a", 300),
                job(&joined, "b", 100),
                job(&joined, "c", 200),
            );
            let spawned = Timeline::new();
            let handles = [("a", 300), ("b", 100), ("c", 200)]
                .map(|(name, ms)| tokio::spawn(job(&spawned, name, ms)));
            for h in handles {
                h.await.unwrap();
            }
            (joined, spawned)
        });
        assert_ne!(joined.log(), spawned.log(), "join! polls idle futures");
        assert_eq!(joined.without_idle_polls().log(), spawned.log());
        assert_eq!(spawned.without_idle_polls().log(), spawned.log());
        // A named wait after a resume at the same instant is progress: kept.
        let tl = paused().block_on(async {
            let tl = Timeline::new();
            tl.record("x", EventKind::Start);
            tl.awaiting("x", "one", tokio::time::sleep(Duration::from_millis(10)))
                .await;
            tl.awaiting("x", "two", tokio::time::sleep(Duration::from_millis(10)))
                .await;
            tl.record("x", EventKind::Finish);
            tl
        });
        assert_eq!(tl.without_idle_polls().log(), tl.log());
    }

    #[test]
    fn render_cancel_and_marks() {
        let tl = paused().block_on(async {
            let tl = Timeline::new();
            tl.record("ticker", EventKind::Start);
            for _ in 0..3 {
                tl.awaiting(
                    "ticker",
                    "tick",
                    tokio::time::sleep(Duration::from_millis(100)),
                )
                .await;
                tl.mark("ticker", "tick");
            }
            tl.record("ticker", EventKind::Await("tick".into()));
            tokio::time::sleep(Duration::from_millis(50)).await;
            tl.record("ticker", EventKind::Cancelled);
            tl
        });
        let expected = "ticker █─────────────◆─────────────◆─────────────◆──────✗
       ├─────────────┼─────────────┼─────────────┼──────┤
       0             100           200           300    350 ms
       █ running  ─ awaiting  ✓ finished  ✗ cancelled  ◆ mark
";
        let got = tl.render(50);
        assert_eq!(got, expected, "\n{got}");
        assert!(tl.log().ends_with("   350 ms  ticker     cancelled\n"));
    }

    #[test]
    fn empty_and_instant_timelines_render() {
        assert_eq!(Timeline::new().render(40), "(no events)\n");
        let tl = paused().block_on(async {
            let tl = Timeline::new();
            tl.record("x", EventKind::Start);
            tl.record("x", EventKind::Finish);
            tl
        });
        assert!(tl.render(20).starts_with("x    █✓\n"), "{}", tl.render(20));
    }

    #[test]
    fn instrument_records_polls_and_cancellation() {
        let tl = paused().block_on(async {
            let tl = Timeline::new();
            let a = tl.spawn("a", {
                let tl = tl.clone();
                async move {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    // A named wait inside an instrumented task is recorded once.
                    tl.awaiting("a", "sleep 1s", tokio::time::sleep(Duration::from_secs(1)))
                        .await;
                    7
                }
            });
            let b = tl.spawn("b", tokio::time::sleep(Duration::from_secs(10)));
            assert_eq!(a.await.unwrap(), 7);
            b.abort();
            let _ = b.await;
            tl
        });
        let expected = "     0 ms  a          start
     0 ms  a          await
     0 ms  b          start
     0 ms  b          await
  1000 ms  a          resume
  1000 ms  a          await sleep 1s
  2000 ms  a          resume
  2000 ms  a          finish
  2000 ms  b          cancelled
";
        assert_eq!(tl.log(), expected);
        let got = tl.render(21);
        let expected = "a    █─────────█─────────█✓
b    █───────────────────✗
     ├─────────┼─────────┤
     0         1000      2000 ms
     █ running  ─ awaiting  ✓ finished  ✗ cancelled  ◆ mark
";
        assert_eq!(got, expected, "\n{got}");
    }

    #[test]
    fn several_timelines_in_one_trace() {
        let (one, two) = (four_three(), four_three());
        let doc: Value =
            serde_json::from_str(&chrome_trace_of(&[("first", &one), ("second", &two)])).unwrap();
        let processes: Vec<(u64, &str)> = doc["traceEvents"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["name"] == "process_name")
            .map(|e| {
                (
                    e["pid"].as_u64().unwrap(),
                    e["args"]["name"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(processes, [(1, "first"), (2, "second")]);
        let read = read_trace(&chrome_trace_of(&[("first", &one), ("second", &two)])).unwrap();
        let tasks = vec!["main".to_string(), "a".into(), "b".into()];
        assert_eq!(
            read,
            [
                ("first".to_string(), tasks.clone()),
                ("second".into(), tasks)
            ]
        );
        assert!(read_trace("{").is_err());
        assert!(read_trace("{}").is_err());
    }

    #[test]
    fn records_the_thread() {
        let tl = Timeline::new();
        std::thread::Builder::new()
            .name("worker".into())
            .spawn({
                let tl = tl.clone();
                move || tl.record("t", EventKind::Start)
            })
            .unwrap()
            .join()
            .unwrap();
        let e = &tl.events()[0];
        assert!(e.thread.starts_with("worker#"), "{}", e.thread);
    }

    #[test]
    fn chrome_trace_is_valid_json_with_one_track_per_task() {
        let tl = four_three();
        let doc: Value = serde_json::from_str(&tl.chrome_trace()).unwrap();
        let events = doc["traceEvents"].as_array().unwrap();
        let names: Vec<&str> = events
            .iter()
            .filter(|e| e["name"] == "thread_name")
            .map(|e| e["args"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["main", "a", "b"]);
        // a: run [0,0], await sleep 4s [0,4000 ms], run [4000,4000], finish.
        let a: Vec<&Value> = events
            .iter()
            .filter(|e| e["tid"] == 2 && e["ph"] != "M")
            .collect();
        assert_eq!(a.len(), 4);
        assert_eq!(a[1]["name"], "await sleep 4s");
        assert_eq!(a[1]["dur"].as_f64().unwrap(), 4_000_000.0);
        assert_eq!(a[3]["ph"], "i");
        assert_eq!(a[3]["name"], "finish");
    }
}
