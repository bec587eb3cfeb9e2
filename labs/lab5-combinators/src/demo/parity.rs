//! The parity suite (not a student file): asyncio and this lab, scenario by scenario.
//!
//! Every scenario here is written twice: once in Python with asyncio itself
//! (`python/parity/parity.py`, standard library only, on a virtual clock) and once in Rust
//! on this crate's combinators (below, on tokio's paused clock). Both print the same
//! canonical event log (see [`super::scene`]), and the runner
//! (`cargo run -p lab5-solution --bin lab5-parity`, a step of `cargo selftest`) compares
//! them line by line on the reference solution. A scenario is either [`Parity::Same`] or
//! [`Parity::Differs`] with the reason; the runner fails if a log disagrees with what its
//! scenario claims, either way, and writes the chapter's appendix from the two logs, so the
//! book cannot drift from the code.
//!
//! The first 16 scenarios are the lab's own experiments ([`super::scenarios`]); the others
//! probe the corners: panics, cancellation from outside, zero and exact deadlines, timeouts
//! that do not cancel, the scheduler's order.

use super::scenarios::{self, abc, abc_b_fails, mark_wait, timed_out};
use super::scene::{Job, JobError, Record, Scene, panic_message, show, show_all};
use crate::as_completed::as_completed;
use crate::bounded::gather_bounded;
use crate::gather::{gather, gather_return_exceptions, gather_tasks, try_gather};
use crate::shield::shield;
use crate::timeouts::{as_completed_timeout, wait_timeout};
use crate::wait::{ReturnWhen, Tasks, wait};
use crate::wait_for::{wait_for, wait_for_task};
use futures::{FutureExt, StreamExt};
use kit::timeline::EventKind;
use std::panic::AssertUnwindSafe;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio::time::{sleep, timeout};

/// What a scenario claims about its two logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parity {
    /// asyncio and the lab print the same canonical log.
    Same,
    /// The logs differ, for this reason (shown in the chapter's appendix, next to both logs).
    Differs(&'static str),
}

/// One scenario of the parity suite.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// Its name, the same in `parity.py`.
    pub name: &'static str,
    /// The asyncio code it runs, in short.
    pub asyncio: &'static str,
    /// The Rust it runs, in short.
    pub rust: &'static str,
    /// Same log, or a difference and why.
    pub parity: Parity,
}

const fn same(name: &'static str, asyncio: &'static str, rust: &'static str) -> Case {
    Case {
        name,
        asyncio,
        rust,
        parity: Parity::Same,
    }
}

const fn differs(
    name: &'static str,
    asyncio: &'static str,
    rust: &'static str,
    why: &'static str,
) -> Case {
    Case {
        name,
        asyncio,
        rust,
        parity: Parity::Differs(why),
    }
}

/// The suite, in the order of the appendix.
pub const CASES: &[Case] = &[
    same("gather", "gather(a, b, c)", "gather(jobs)"),
    same(
        "gather_cancelled",
        "wait_for(gather(a, b, c), 1.5)",
        "timeout(1500 ms, gather(jobs))",
    ),
    same(
        "gather_error",
        "gather(a, b, c)  # b raises",
        "try_gather(jobs)",
    ),
    same(
        "gather_return_exceptions",
        "gather(a, b, c, return_exceptions=True)",
        "gather_return_exceptions(jobs)",
    ),
    same(
        "wait_for",
        "wait_for(fast, 3); wait_for(slow, 1)",
        "wait_for(job, 3000 ms); wait_for(job, 1000 ms)",
    ),
    same(
        "wait_for_task",
        "wait_for(create_task(slow), 1)",
        "wait_for_task(spawn(job), 1000 ms)",
    ),
    same(
        "wait_first_completed",
        "wait({a, b, c}, return_when=FIRST_COMPLETED)",
        "wait(tasks, FirstCompleted)",
    ),
    same(
        "wait_first_exception",
        "wait({a, b, c}, return_when=FIRST_EXCEPTION)",
        "wait(tasks, FirstException)",
    ),
    same(
        "wait_all_completed",
        "wait({a, b, c})",
        "wait(tasks, AllCompleted)",
    ),
    same(
        "as_completed",
        "for f in as_completed([a, b, c]): await f; sleep(1.5)",
        "as_completed(jobs) + a slow consumer",
    ),
    same(
        "shield",
        "wait_for(shield(save), 1)",
        "timeout(1000 ms, shield(job))",
    ),
    same(
        "shield_collect",
        "wait_for(shield(inner), 1); ...; await inner",
        "timeout(1000 ms, &mut shielded); ...; shielded.await",
    ),
    same(
        "bounded",
        "Semaphore(2) around each of 5 jobs, gather",
        "gather_bounded(jobs, 2)",
    ),
    same(
        "mirrors",
        "fetch_and_save(...): m1 fails, m2 wins",
        "fetch_and_save(...)",
    ),
    same(
        "mirrors_deadline",
        "fetch_and_save(..., deadline=2)",
        "fetch_and_save(..., 2000 ms)",
    ),
    same(
        "mirrors_give_up",
        "wait_for(fetch_and_save(...), 3)",
        "timeout(3000 ms, fetch_and_save(...))",
    ),
    same("gather_empty", "gather()", "gather(vec![])"),
    same(
        "gather_uneven",
        "gather(a 10 ms, b 7 s, c 1 ms, d 250 ms)",
        "gather(jobs)",
    ),
    same(
        "gather_tasks",
        "gather(ta, tb, tc)  # tasks",
        "gather_tasks(handles)",
    ),
    same(
        "gather_tasks_cancelled",
        "wait_for(gather(ta, tb, tc), 1.5)",
        "timeout(1500 ms, gather_tasks(handles))",
    ),
    same(
        "gather_tasks_child_cancelled",
        "tb.cancel() at 0.5; gather(ta, tb, tc)",
        "tb's abort_handle().abort() at 500 ms; gather_tasks(handles)",
    ),
    differs(
        "gather_join_handles_cancelled",
        "wait_for(gather(ta, tb, tc), 1.5)  # tasks",
        "timeout(1500 ms, gather(handles))  # the generic gather, given JoinHandles",
        "the generic gather cannot know that its futures are JoinHandles, and dropping a \
         JoinHandle detaches its task: a and c run on to the end. asyncio cancels the tasks \
         of a cancelled gather; so does gather_tasks, which takes the handles and aborts them \
         (scenario gather_tasks_cancelled). Give tasks to gather_tasks, futures to gather.",
    ),
    differs(
        "gather_panic",
        "gather(a, b, c)  # b does 1 / 0",
        "gather(jobs)  # b panics, inside the generic gather",
        "the generic gather keeps its children inside its own future (join_all), so b's panic \
         unwinds through it and drops a and c; asyncio raises b's exception and leaves a and c \
         running. try_gather, whose children are tasks, behaves as asyncio (scenario \
         gather_error_panic): use it, or gather_tasks, when a child may fail.",
    ),
    same(
        "gather_error_panic",
        "gather(a, b, c)  # b does 1 / 0",
        "try_gather(jobs)  # b panics",
    ),
    same(
        "gather_return_exceptions_panic",
        "gather(a, b, c, return_exceptions=True)  # b does 1 / 0",
        "gather_return_exceptions(jobs)  # b panics",
    ),
    same(
        "gather_return_exceptions_cancelled",
        "wait_for(gather(a, b, c, return_exceptions=True), 1.5)",
        "timeout(1500 ms, gather_return_exceptions(jobs))",
    ),
    same(
        "try_gather_cancelled",
        "wait_for(gather(a, b, c), 1.5)",
        "timeout(1500 ms, try_gather(jobs))",
    ),
    same(
        "bounded_cancelled",
        "wait_for(gather_bounded(a, b, c, d, limit=2), 1.5)",
        "timeout(1500 ms, gather_bounded(jobs, 2))",
    ),
    same(
        "wait_for_zero",
        "wait_for(ready, 0)",
        "wait_for(job, Duration::ZERO)",
    ),
    same(
        "wait_for_task_zero",
        "wait_for(done_task, 0); wait_for(running_task, 0)",
        "wait_for_task(handle, Duration::ZERO), twice",
    ),
    same(
        "wait_for_exact_deadline",
        "wait_for(tie, 1)  # tie sleeps 1 s",
        "wait_for(job 1000 ms, 1000 ms)",
    ),
    same(
        "wait_for_task_exact_deadline",
        "wait_for(create_task(tie), 1)",
        "wait_for_task(spawn(job 1000 ms), 1000 ms)",
    ),
    same(
        "wait_for_none",
        "wait_for(slow, None)",
        "wait_for(job, Duration::MAX)",
    ),
    differs(
        "wait_for_task_cancelled_by_other",
        "tb.cancel() at 0.5; wait_for(tb, 3)",
        "abort b at 500 ms; wait_for_task(handle, 3000 ms)",
        "asyncio's wait_for raises the task's CancelledError in the caller; wait_for_task \
         returns Result<T, TimeoutError>, which has no room for 'cancelled by someone else', \
         so it panics with that message, the nearest thing to an exception nobody catches. A \
         caller that expects third parties to abort the task awaits the JoinHandle itself \
         (timeout(d, &mut handle)) and reads JoinError::is_cancelled.",
    ),
    same(
        "wait_for_panic",
        "wait_for(b, 3)  # b does 1 / 0",
        "wait_for(job, 3000 ms)  # the job panics",
    ),
    same(
        "wait_for_task_panic",
        "wait_for(create_task(b), 3)  # b does 1 / 0",
        "wait_for_task(spawn(job), 3000 ms)  # panics",
    ),
    same(
        "wait_cancelled_by_other",
        "tb.cancel() at 0.5; wait({a, b, c})",
        "abort b at 500 ms; wait(tasks, AllCompleted)",
    ),
    same(
        "wait_first_exception_cancelled",
        "tb.cancel() at 0.5; wait(..., FIRST_EXCEPTION)",
        "abort b at 500 ms; wait(tasks, FirstException)",
    ),
    same(
        "wait_panicked",
        "wait(..., FIRST_EXCEPTION)  # b does 1 / 0",
        "wait(tasks, FirstException)  # b panics",
    ),
    differs(
        "wait_empty",
        "wait([])",
        "wait(vec![], AllCompleted)",
        "asyncio raises ValueError for an empty set; Rust has no exception to raise for it, and two \
         empty lists at once are the natural answer (the task asks for it).",
    ),
    same(
        "wait_timeout",
        "wait({a, b, c}, timeout=1.5)",
        "wait_timeout(tasks, AllCompleted, Some(1500 ms))",
    ),
    same(
        "wait_timeout_first_completed",
        "wait(..., FIRST_COMPLETED, timeout=0.5)",
        "wait_timeout(tasks, FirstCompleted, Some(500 ms))",
    ),
    same(
        "wait_timeout_none",
        "wait({a, b, c}, timeout=None)",
        "wait_timeout(tasks, AllCompleted, None)",
    ),
    same(
        "as_completed_timeout",
        "as_completed([a, b, c], timeout=1.5)",
        "as_completed_timeout(jobs, Some(1500 ms))",
    ),
    same(
        "as_completed_timeout_late",
        "as_completed(..., timeout=1.5), 2 s of work per result",
        "as_completed_timeout(jobs, Some(1500 ms)), a slow consumer",
    ),
    same(
        "as_completed_timeout_none",
        "as_completed([a, b, c], timeout=None)",
        "as_completed_timeout(jobs, None)",
    ),
    same(
        "as_completed_panic",
        "as_completed([a, b, c])  # b does 1 / 0; stop there",
        "as_completed(jobs)  # b panics; stop there",
    ),
    differs(
        "as_completed_dropped_early",
        "for f in as_completed([a, b, c]): await f; break",
        "as_completed(jobs): take one item, drop the stream",
        "dropping the stream drops its JoinSet, which aborts the tasks not yet yielded; asyncio \
         leaves them running, unobserved. Rust's rule, a dropped owner cancels, is kept on \
         purpose: nobody could ever collect those results. Keep the stream alive to let them run.",
    ),
    differs(
        "shield_waiter_cancelled",
        "waiter = create_task(shield(inner)); waiter.cancel(); await inner",
        "waiter = spawn(shield(job)); waiter.abort()",
        "the inner work finishes in both, but in Rust its result has one owner, the Shielded \
         future, and it died with the waiter task; asyncio's caller still holds `inner` and awaits \
         it again. To collect later, keep the shielded future (or the JoinHandle) in the task that \
         will collect it and lend it out (`&mut`).",
    ),
    same(
        "shield_panic",
        "await shield(b)  # b does 1 / 0",
        "shield(job).await  # the job panics",
    ),
    same(
        "sleep_zero",
        "gather(A, B), each: trace; sleep(0); x3",
        "gather of two futures, each: trace; yield_now(); x3",
    ),
    differs(
        "sleep_zero_tasks",
        "create_task(A), create_task(B), each: trace; sleep(0); x3",
        "spawn(A), spawn(B), each: trace; yield_now(); x3",
        "asyncio's ready queue is round-robin (A0 B0 A1 B1); tokio defers a task that yields to \
         after the next I/O and timer poll, and wakes the deferred tasks in its own order. No \
         program may rely on either order: use a channel or a Notify to order steps.",
    ),
    differs(
        "sleep_zero_tokio_sleep",
        "create_task(A), create_task(B), each: trace; sleep(0); x3",
        "spawn(A), spawn(B), each: trace; tokio::time::sleep(Duration::ZERO); x3",
        "tokio::time::sleep(Duration::ZERO) is already elapsed on a paused clock: it completes at \
         its first poll without yielding, so A runs its three steps in a row. The translation of \
         asyncio.sleep(0) is tokio::task::yield_now().",
    ),
    same(
        "create_task_start",
        "create_task(child); trace; sleep(0)",
        "spawn(child); trace; yield_now()",
    ),
    differs(
        "never_retrieved",
        "create_task(b)  # b raises, nobody awaits it",
        "spawn(job)  # the job fails, its handle is dropped",
        "asyncio logs 'Task exception was never retrieved' when a failed task nobody awaited is \
         destroyed; tokio says nothing: a dropped JoinHandle drops the task's Err with it. Rust \
         warns only at compile time, for a Result left unused (#[must_use]); a detached \
         task's Err is silent. Await or keep every handle, or log the error inside the task.",
    ),
];

/// The case called `name`.
pub fn find(name: &str) -> Option<&'static Case> {
    CASES.iter().find(|c| c.name == name)
}

/// The message every panicking job panics with (Python: `1 / 0`).
pub const BUG: &str = "division by zero";

/// Plays case `name` on a fresh current-thread runtime with a paused clock and returns its
/// canonical log. A panic that escapes the scenario is reported in the log's last line.
pub fn log_of(name: &str) -> String {
    let runtime = kit::runtime::paused();
    let name = name.to_owned();
    match std::panic::catch_unwind(AssertUnwindSafe(|| runtime.block_on(play(&name)))) {
        Ok(record) => record.log(),
        Err(payload) => format!(
            "(the scenario panicked: {})\n",
            panic_message(payload.as_ref())
        ),
    }
}

/// Plays case `name` in the current runtime (paused clock for exact times).
pub async fn play(name: &str) -> Record {
    if scenarios::find(name).is_some() {
        return scenarios::play(name).await;
    }
    scenarios::stage(async |s| script(name, s).await).await
}

async fn script(name: &str, s: &Scene) {
    match name {
        "gather_empty" => gather_empty(s).await,
        "gather_uneven" => gather_uneven(s).await,
        "gather_tasks" => gather_of_tasks(s).await,
        "gather_tasks_cancelled" => gather_tasks_cancelled(s).await,
        "gather_tasks_child_cancelled" => gather_tasks_child_cancelled(s).await,
        "gather_error_panic" => gather_error_panic(s).await,
        "gather_join_handles_cancelled" => gather_join_handles_cancelled(s).await,
        "gather_panic" => gather_panic(s).await,
        "gather_return_exceptions_panic" => gather_return_exceptions_panic(s).await,
        "gather_return_exceptions_cancelled" => gather_return_exceptions_cancelled(s).await,
        "try_gather_cancelled" => try_gather_cancelled(s).await,
        "bounded_cancelled" => bounded_cancelled(s).await,
        "wait_for_zero" => wait_for_zero(s).await,
        "wait_for_task_zero" => wait_for_task_zero(s).await,
        "wait_for_exact_deadline" => wait_for_exact_deadline(s).await,
        "wait_for_task_exact_deadline" => wait_for_task_exact_deadline(s).await,
        "wait_for_none" => wait_for_none(s).await,
        "wait_for_panic" => wait_for_panic(s).await,
        "wait_for_task_cancelled_by_other" => wait_for_task_cancelled_by_other(s).await,
        "wait_for_task_panic" => wait_for_task_panic(s).await,
        "wait_cancelled_by_other" => wait_cancelled_by_other(s, ReturnWhen::AllCompleted).await,
        "wait_first_exception_cancelled" => {
            wait_cancelled_by_other(s, ReturnWhen::FirstException).await
        }
        "wait_panicked" => wait_panicked(s).await,
        "wait_empty" => wait_empty(s).await,
        "wait_timeout" => wait_with_timeout(s, Some(1500), ReturnWhen::AllCompleted).await,
        "wait_timeout_first_completed" => {
            wait_with_timeout(s, Some(500), ReturnWhen::FirstCompleted).await
        }
        "wait_timeout_none" => wait_with_timeout(s, None, ReturnWhen::AllCompleted).await,
        "as_completed_timeout" => as_completed_with_timeout(s, Some(1500), 0).await,
        "as_completed_timeout_late" => as_completed_with_timeout(s, Some(1500), 2000).await,
        "as_completed_timeout_none" => as_completed_with_timeout(s, None, 0).await,
        "as_completed_panic" => as_completed_panic(s).await,
        "as_completed_dropped_early" => as_completed_dropped_early(s).await,
        "shield_waiter_cancelled" => shield_waiter_cancelled(s).await,
        "shield_panic" => shield_panic(s).await,
        "sleep_zero" => sleep_zero(s).await,
        "sleep_zero_tasks" => sleep_zero_tasks(s, false).await,
        "sleep_zero_tokio_sleep" => sleep_zero_tasks(s, true).await,
        "create_task_start" => create_task_start(s).await,
        "never_retrieved" => never_retrieved(s).await,
        other => panic!("the parity suite has no scenario {other:?}"),
    }
}

// ─── the stage ──────────────────────────────────────────────────────────────────────────

/// Records `cancelled` for `name` if dropped armed (the job was dropped while it slept).
struct CancelGuard {
    scene: Scene,
    name: String,
    armed: bool,
}

impl Drop for CancelGuard {
    fn drop(&mut self) {
        if self.armed {
            self.scene
                .timeline()
                .record(&self.name, EventKind::Cancelled);
        }
    }
}

/// A job with a bug: it sleeps `ms`, then panics with [`BUG`] (Python: `1 / 0`).
fn buggy(s: &Scene, name: &str, ms: u64) -> Job {
    let scene = s.clone();
    let name = name.to_owned();
    Box::pin(async move {
        let timeline = scene.timeline().clone();
        timeline.record(&name, EventKind::Start);
        timeline.record(&name, EventKind::Await(format!("sleep {ms} ms")));
        let mut guard = CancelGuard {
            scene: scene.clone(),
            name: name.clone(),
            armed: true,
        };
        sleep(Duration::from_millis(ms)).await;
        guard.armed = false;
        timeline.record(&name, EventKind::Resume);
        timeline.mark(&name, format!("panic({BUG})"));
        // A panic that does not go through the panic hook: the checks tell the panics they
        // feed in from the panics of the code under test by the hook's record.
        std::panic::resume_unwind(Box::new(BUG.to_owned()))
    })
}

/// One shared row for scenarios about the order of steps at the same instant.
fn trace(s: &Scene, text: &str) {
    s.timeline().mark("trace", text);
}

fn a_bug_c(s: &Scene) -> Vec<Job> {
    vec![
        s.job("a", 3000, 1),
        buggy(s, "b", 1000),
        s.job("c", 2000, 3),
    ]
}

fn spawn_abc(jobs: Vec<Job>) -> Tasks<&'static str, u32, JobError> {
    ["a", "b", "c"]
        .into_iter()
        .zip(jobs)
        .map(|(name, job)| (name, tokio::spawn(job)))
        .collect()
}

async fn watch(s: &Scene, ms: u64) {
    s.main_awaits(&format!("sleep {ms} ms"), sleep(Duration::from_millis(ms)))
        .await;
}

/// Aborts `task` after `ms`, as a third party would (`t.cancel()` from a timer).
fn abort_later<T>(task: &JoinHandle<T>, ms: u64) {
    let abort = task.abort_handle();
    tokio::spawn(async move {
        sleep(Duration::from_millis(ms)).await;
        abort.abort();
    });
}

/// Awaits `fut` as `main` (`what`), catching a panic: marks `show` of its output, or
/// `{call} raised panic(message)` if it panicked, as asyncio prints the exception it re-raised.
async fn main_awaits_catching<F: Future>(
    s: &Scene,
    what: &str,
    call: &str,
    fut: F,
    show: impl FnOnce(F::Output) -> String,
) {
    match s
        .main_awaits(what, AssertUnwindSafe(fut).catch_unwind())
        .await
    {
        Ok(out) => s.mark(show(out)),
        Err(payload) => s.mark(format!(
            "{call} raised panic({})",
            panic_message(payload.as_ref())
        )),
    }
}

// ─── gather ─────────────────────────────────────────────────────────────────────────────

async fn gather_empty(s: &Scene) {
    let out = s.main_awaits("gather()", gather(Vec::<Job>::new())).await;
    s.mark(format!("gather -> {}", show_all(&out)));
}

async fn gather_uneven(s: &Scene) {
    let jobs = s.jobs(&[("a", 10, 1), ("b", 7000, 2), ("c", 1, 3), ("d", 250, 4)]);
    let out = s.main_awaits("gather(a, b, c, d)", gather(jobs)).await;
    s.mark(format!("gather -> {}", show_all(&out)));
}

fn show_gathered_tasks(out: Result<Vec<Result<u32, JobError>>, tokio::task::JoinError>) -> String {
    match out {
        Ok(values) => format!("gather -> {}", show_all(&values)),
        Err(e) if e.is_cancelled() => "gather raised CancelledError".to_owned(),
        Err(e) => format!(
            "gather raised panic({})",
            panic_message(e.into_panic().as_ref())
        ),
    }
}

async fn gather_of_tasks(s: &Scene) {
    let tasks: Vec<_> = abc(s).into_iter().map(tokio::spawn).collect();
    let out = s
        .main_awaits("gather(ta, tb, tc)", gather_tasks(tasks))
        .await;
    s.mark(show_gathered_tasks(out));
}

async fn gather_tasks_cancelled(s: &Scene) {
    let tasks: Vec<_> = abc(s).into_iter().map(tokio::spawn).collect();
    let gathered = timeout(Duration::from_millis(1500), gather_tasks(tasks));
    let out = s
        .main_awaits("wait_for(gather(ta, tb, tc), 1500 ms)", gathered)
        .await;
    timed_out(s, out, show_gathered_tasks);
    watch(s, 3000).await;
}

async fn gather_tasks_child_cancelled(s: &Scene) {
    let tasks: Vec<_> = abc(s).into_iter().map(tokio::spawn).collect();
    abort_later(&tasks[1], 500);
    let out = s
        .main_awaits("gather(ta, tb, tc)", gather_tasks(tasks))
        .await;
    s.mark(show_gathered_tasks(out));
    watch(s, 3000).await;
}

async fn gather_error_panic(s: &Scene) {
    let gathered = try_gather(a_bug_c(s));
    main_awaits_catching(s, "gather(a, b, c)", "gather", gathered, |out| match out {
        Ok(out) => format!("gather -> {out:?}"),
        Err(e) => format!("gather raised error({e})"),
    })
    .await;
    watch(s, 3000).await;
}

async fn gather_join_handles_cancelled(s: &Scene) {
    let handles: Vec<_> = abc(s).into_iter().map(tokio::spawn).collect();
    let gathered = timeout(Duration::from_millis(1500), gather(handles));
    let out = s
        .main_awaits("wait_for(gather(ta, tb, tc), 1500 ms)", gathered)
        .await;
    timed_out(s, out, |v| format!("gather -> {} results", v.len()));
    watch(s, 3000).await;
}

async fn gather_panic(s: &Scene) {
    let gathered = gather(a_bug_c(s));
    main_awaits_catching(s, "gather(a, b, c)", "gather", gathered, |out| {
        format!("gather -> {}", show_all(&out))
    })
    .await;
    watch(s, 3000).await;
}

async fn gather_return_exceptions_panic(s: &Scene) {
    let what = "gather(a, b, c, return_exceptions=True)";
    let out = s
        .main_awaits(what, gather_return_exceptions(a_bug_c(s)))
        .await;
    s.mark(format!("gather -> {}", show_all(&out)));
}

async fn gather_return_exceptions_cancelled(s: &Scene) {
    let what = "wait_for(gather(a, b, c, return_exceptions=True), 1500 ms)";
    let gathered = timeout(
        Duration::from_millis(1500),
        gather_return_exceptions(abc_b_fails(s)),
    );
    let out = s.main_awaits(what, gathered).await;
    timed_out(s, out, |v| format!("gather -> {}", show_all(&v)));
    watch(s, 3000).await;
}

async fn try_gather_cancelled(s: &Scene) {
    let gathered = timeout(Duration::from_millis(1500), try_gather(abc(s)));
    let out = s
        .main_awaits("wait_for(gather(a, b, c), 1500 ms)", gathered)
        .await;
    timed_out(s, out, |v| format!("gather -> {v:?}"));
    watch(s, 3000).await;
}

async fn bounded_cancelled(s: &Scene) {
    let jobs = s.jobs(&[
        ("a", 3000, 1),
        ("b", 1000, 2),
        ("c", 1000, 3),
        ("d", 2000, 4),
    ]);
    let what = "wait_for(gather_bounded(a, b, c, d, limit=2), 1500 ms)";
    let gathered = timeout(Duration::from_millis(1500), gather_bounded(jobs, 2));
    let out = s.main_awaits(what, gathered).await;
    timed_out(s, out, |v| format!("gather -> {}", show_all(&v)));
    watch(s, 3000).await;
}

// ─── wait_for ───────────────────────────────────────────────────────────────────────────

fn show_waited<E: std::fmt::Display>(out: Result<Result<u32, JobError>, E>) -> String {
    match out {
        Ok(value) => format!("wait_for -> {}", show(&value)),
        Err(e) => format!("wait_for raised {e}"),
    }
}

async fn wait_for_zero(s: &Scene) {
    let waited = wait_for(s.job("ready", 0, 5), Duration::ZERO);
    let out = s.main_awaits("wait_for(ready, 0 ms)", waited).await;
    s.mark(show_waited(out));
}

async fn wait_for_task_zero(s: &Scene) {
    let done = tokio::spawn(s.job("done", 100, 5));
    let running = tokio::spawn(s.job("running", 1000, 6));
    watch(s, 200).await;
    for (name, task) in [("done", done), ("running", running)] {
        let waited = wait_for_task(task, Duration::ZERO);
        let out = s
            .main_awaits(&format!("wait_for({name}, 0 ms)"), waited)
            .await;
        s.mark(show_waited(out));
    }
    watch(s, 1000).await;
}

async fn wait_for_exact_deadline(s: &Scene) {
    let waited = wait_for(s.job("tie", 1000, 5), Duration::from_millis(1000));
    let out = s.main_awaits("wait_for(tie, 1000 ms)", waited).await;
    s.mark(show_waited(out));
}

async fn wait_for_task_exact_deadline(s: &Scene) {
    let task = tokio::spawn(s.job("tie", 1000, 5));
    let waited = wait_for_task(task, Duration::from_millis(1000));
    let out = s.main_awaits("wait_for(tie, 1000 ms)", waited).await;
    s.mark(show_waited(out));
    watch(s, 1000).await;
}

async fn wait_for_none(s: &Scene) {
    let waited = wait_for(s.job("slow", 5000, 5), Duration::MAX);
    let out = s.main_awaits("wait_for(slow, None)", waited).await;
    s.mark(show_waited(out));
}

async fn wait_for_task_cancelled_by_other(s: &Scene) {
    let task = tokio::spawn(s.job("b", 1000, 2));
    abort_later(&task, 500);
    let waited = wait_for_task(task, Duration::from_millis(3000));
    main_awaits_catching(s, "wait_for(b, 3000 ms)", "wait_for", waited, show_waited).await;
}

async fn wait_for_panic(s: &Scene) {
    let waited = wait_for(buggy(s, "b", 500), Duration::from_millis(3000));
    main_awaits_catching(s, "wait_for(b, 3000 ms)", "wait_for", waited, show_waited).await;
}

async fn wait_for_task_panic(s: &Scene) {
    let task = tokio::spawn(buggy(s, "b", 500));
    let waited = wait_for_task(task, Duration::from_millis(3000));
    main_awaits_catching(s, "wait_for(b, 3000 ms)", "wait_for", waited, show_waited).await;
}

// ─── wait ───────────────────────────────────────────────────────────────────────────────

fn mode(return_when: ReturnWhen) -> &'static str {
    match return_when {
        ReturnWhen::FirstCompleted => "FIRST_COMPLETED",
        ReturnWhen::FirstException => "FIRST_EXCEPTION",
        ReturnWhen::AllCompleted => "ALL_COMPLETED",
    }
}

async fn wait_cancelled_by_other(s: &Scene, return_when: ReturnWhen) {
    let tasks = spawn_abc(abc(s));
    abort_later(&tasks[1].1, 500);
    let what = format!("wait({{a, b, c}}, {})", mode(return_when));
    let (done, pending) = s.main_awaits(&what, wait(tasks, return_when)).await;
    mark_wait(s, done, pending);
}

async fn wait_panicked(s: &Scene) {
    let tasks = spawn_abc(a_bug_c(s));
    let what = "wait({a, b, c}, FIRST_EXCEPTION)";
    let (done, pending) = s
        .main_awaits(what, wait(tasks, ReturnWhen::FirstException))
        .await;
    mark_wait(s, done, pending);
    watch(s, 3000).await;
}

async fn wait_empty(s: &Scene) {
    let waited = wait(Tasks::new(), ReturnWhen::AllCompleted);
    let (done, pending) = s.main_awaits("wait({}, ALL_COMPLETED)", waited).await;
    mark_wait(s, done, pending);
}

async fn wait_with_timeout(s: &Scene, timeout_ms: Option<u64>, return_when: ReturnWhen) {
    let tasks = spawn_abc(abc(s));
    let shown = timeout_ms.map_or("None".to_owned(), |ms| format!("{ms} ms"));
    let what = format!("wait({{a, b, c}}, {}, timeout={shown})", mode(return_when));
    let limit = timeout_ms.map(Duration::from_millis);
    let (done, pending) = s
        .main_awaits(&what, wait_timeout(tasks, return_when, limit))
        .await;
    mark_wait(s, done, pending);
    watch(s, 3000).await;
}

// ─── as_completed ───────────────────────────────────────────────────────────────────────

async fn as_completed_with_timeout(s: &Scene, timeout_ms: Option<u64>, work_ms: u64) {
    let shown = timeout_ms.map_or("None".to_owned(), |ms| format!("{ms} ms"));
    s.mark(format!("as_completed(a, b, c, timeout={shown})"));
    let mut results = as_completed_timeout(abc(s), timeout_ms.map(Duration::from_millis));
    // asyncio's as_completed yields exactly one awaitable per input: three here.
    for _ in 0..3 {
        match s.main_awaits("next result", results.next()).await {
            Some(Ok(out)) => s.mark(format!("got {}", show(&out))),
            Some(Err(_)) => s.mark("raised TimeoutError"),
            None => s.mark("as_completed ended early"),
        }
        if work_ms > 0 {
            let what = format!("work {work_ms} ms");
            s.main_awaits(&what, sleep(Duration::from_millis(work_ms)))
                .await;
        }
    }
    if results.next().await.is_some() {
        s.mark("as_completed yielded more results than futures");
    } else {
        s.mark("as_completed ended");
    }
    watch(s, 3000).await;
}

async fn as_completed_panic(s: &Scene) {
    let mut results = as_completed(a_bug_c(s));
    for _ in 0..3 {
        let next = AssertUnwindSafe(results.next()).catch_unwind();
        match s.main_awaits("next result", next).await {
            Ok(Some(out)) => s.mark(format!("got {}", show(&out))),
            Ok(None) => s.mark("as_completed ended early"),
            Err(payload) => {
                s.mark(format!("raised panic({})", panic_message(payload.as_ref())));
                break;
            }
        }
    }
    drop(results);
    watch(s, 3000).await;
}

async fn as_completed_dropped_early(s: &Scene) {
    let mut results = as_completed(abc(s));
    if let Some(out) = s.main_awaits("next result", results.next()).await {
        s.mark(format!("got {}", show(&out)));
    }
    drop(results);
    watch(s, 3000).await;
}

// ─── shield ─────────────────────────────────────────────────────────────────────────────

async fn shield_waiter_cancelled(s: &Scene) {
    let shielded = shield(s.job("save", 2000, 7));
    let waiter = tokio::spawn(shielded);
    watch(s, 1000).await;
    waiter.abort();
    s.mark("cancelled the waiter");
    // The shielded future was moved into the waiter: there is nothing left to await.
    s.mark("nothing left to collect");
    watch(s, 1000).await;
}

async fn shield_panic(s: &Scene) {
    let shielded = shield(buggy(s, "b", 500));
    main_awaits_catching(s, "shield(b)", "shield", shielded, |out| {
        format!("shield -> {}", show(&out))
    })
    .await;
}

// ─── the scheduler ──────────────────────────────────────────────────────────────────────

async fn stepper(s: Scene, name: &'static str, tokio_sleep: bool) -> Result<u32, JobError> {
    for i in 0..3 {
        trace(&s, &format!("{name}{i}"));
        if tokio_sleep {
            sleep(Duration::ZERO).await;
        } else {
            tokio::task::yield_now().await;
        }
    }
    Ok(0)
}

async fn sleep_zero(s: &Scene) {
    let steps = vec![
        stepper(s.clone(), "A", false),
        stepper(s.clone(), "B", false),
    ];
    s.main_awaits("gather(A, B)", gather(steps)).await;
}

async fn sleep_zero_tasks(s: &Scene, tokio_sleep: bool) {
    let a = tokio::spawn(stepper(s.clone(), "A", tokio_sleep));
    let b = tokio::spawn(stepper(s.clone(), "B", tokio_sleep));
    s.main_awaits("gather(A, B)", async {
        let _ = a.await;
        let _ = b.await;
    })
    .await;
}

async fn create_task_start(s: &Scene) {
    let scene = s.clone();
    let task = tokio::spawn(async move { trace(&scene, "task runs") });
    trace(s, "spawned");
    tokio::task::yield_now().await;
    trace(s, "main after its first await");
    let _ = task.await;
}

async fn never_retrieved(s: &Scene) {
    drop(tokio::spawn(s.failing_job("b", 1000, "b failed")));
    watch(s, 2000).await;
}
