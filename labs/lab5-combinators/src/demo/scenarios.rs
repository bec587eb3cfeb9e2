//! The experiments (not a student file): each combinator in a small scene, in virtual time.
//!
//! Every scenario builds its jobs with a [`Scene`], calls *your* combinator on them, and
//! marks in the caller's row (`main`) what the combinator returned and when. The demo prints
//! each scenario's timeline and log; the checks compare your log with the reference
//! solution's (snapshots `lab5_<name>`); `python/combinators.py` runs the same scenarios
//! with asyncio on a virtual clock and prints the same log format, line for line.
//!
//! The caller's timeouts inside scenarios use `tokio::time::timeout` (not your `wait_for`)
//! wherever the scenario is about another task, so that each task is judged on its own.

use super::scene::{Job, JobError, MAIN, Record, Scene, panic_message, show, show_all};
use crate::as_completed::as_completed;
use crate::bounded::gather_bounded;
use crate::gather::{gather, gather_return_exceptions, try_gather};
use crate::mirrors::fetch_and_save;
use crate::shield::shield;
use crate::wait::{Done, ReturnWhen, Tasks, wait};
use crate::wait_for::{wait_for, wait_for_task};
use futures::StreamExt;
use kit::timeline::EventKind;
use std::time::Duration;
use tokio::time::{sleep, timeout};

/// One experiment.
#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    /// Its name: the snapshot is `lab5_<name>`, the Python mirror knows it by this name.
    pub name: &'static str,
    /// The task whose code it runs.
    pub task: &'static str,
    /// What it shows, in one line.
    pub what: &'static str,
    /// The same in Russian.
    pub what_ru: &'static str,
    /// The asyncio code it mirrors (from python/combinators.py).
    pub asyncio: &'static str,
}

/// Every scenario, in the order of the tasks.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "gather",
        task: "5.1",
        what: "a (3 s), b (1 s), c (2 s) at once: results in input order, all done at 3 s",
        what_ru: "a (3 с), b (1 с), c (2 с) сразу: результаты в порядке входа, всё готово к 3 с",
        asyncio: "await asyncio.gather(a, b, c)",
    },
    Scenario {
        name: "gather_cancelled",
        task: "5.1",
        what: "the caller gives up on the gather at 1.5 s: the children still running are cancelled",
        what_ru: "вызывающий отказывается от gather в 1,5 с: ещё работающие дочерние задачи отменяются",
        asyncio: "await asyncio.wait_for(asyncio.gather(a, b, c), 1.5)",
    },
    Scenario {
        name: "gather_error",
        task: "5.2",
        what: "b fails at 1 s: the error reaches the caller at once, a and c keep running",
        what_ru: "b падает в 1 с: ошибка сразу доходит до вызывающего, a и c продолжают работать",
        asyncio: "await asyncio.gather(a, b, c)  # b raises",
    },
    Scenario {
        name: "gather_return_exceptions",
        task: "5.2",
        what: "b fails at 1 s: every outcome comes back at 3 s, the error in its place",
        what_ru: "b падает в 1 с: все исходы возвращаются в 3 с, ошибка — на своём месте",
        asyncio: "await asyncio.gather(a, b, c, return_exceptions=True)",
    },
    Scenario {
        name: "wait_for",
        task: "5.3",
        what: "fast (1 s) within 3 s: its result; then slow (3 s) within 1 s: cancelled at the timeout",
        what_ru: "fast (1 с) за 3 с: её результат; затем slow (3 с) за 1 с: отменена по тайм-ауту",
        asyncio: "await asyncio.wait_for(fast, 3); await asyncio.wait_for(slow, 1)",
    },
    Scenario {
        name: "wait_for_task",
        task: "5.3",
        what: "a spawned task (3 s) within 1 s: the task is cancelled at 1 s, it does not finish at 3 s",
        what_ru: "запущенная задача (3 с) за 1 с: задача отменяется в 1 с и не завершается в 3 с",
        asyncio: "task = asyncio.create_task(slow); await asyncio.wait_for(task, 1)",
    },
    Scenario {
        name: "wait_first_completed",
        task: "5.4",
        what: "tasks a (3 s), b (1 s), c (2 s): back at 1 s with b done, a and c still running",
        what_ru: "задачи a (3 с), b (1 с), c (2 с): возврат в 1 с, b готова, a и c ещё работают",
        asyncio: "done, pending = await asyncio.wait({a, b, c}, return_when=FIRST_COMPLETED)",
    },
    Scenario {
        name: "wait_first_exception",
        task: "5.4",
        what: "c (1 s) succeeds, b fails at 2 s: back at 2 s with b and c done, a still running",
        what_ru: "c (1 с) успешна, b падает в 2 с: возврат в 2 с, b и c готовы, a ещё работает",
        asyncio: "done, pending = await asyncio.wait({a, b, c}, return_when=FIRST_EXCEPTION)",
    },
    Scenario {
        name: "wait_all_completed",
        task: "5.4",
        what: "back at 3 s with every task done, the failed one included",
        what_ru: "возврат в 3 с, когда готовы все задачи, упавшая тоже",
        asyncio: "done, pending = await asyncio.wait({a, b, c}, return_when=ALL_COMPLETED)",
    },
    Scenario {
        name: "as_completed",
        task: "5.5",
        what: "results in completion order; the caller works 1.5 s on each, the others keep running",
        what_ru: "результаты в порядке завершения; вызывающий работает 1,5 с над каждым, остальные продолжают",
        asyncio: "for next in asyncio.as_completed([a, b, c]): got = await next; await work(1.5)",
    },
    Scenario {
        name: "shield",
        task: "5.6",
        what: "the caller gives up at 1 s on a shielded save (2 s): the save still finishes at 2 s",
        what_ru: "вызывающий отказывается в 1 с от защищённой записи (2 с): запись всё равно завершается в 2 с",
        asyncio: "await asyncio.wait_for(asyncio.shield(save), 1)",
    },
    Scenario {
        name: "shield_collect",
        task: "5.6",
        what: "the same, then the caller collects the save's result at 4 s",
        what_ru: "то же, а затем вызывающий забирает результат записи в 4 с",
        asyncio: "inner = ensure_future(save); wait_for(shield(inner), 1) ...; await inner",
    },
    Scenario {
        name: "bounded",
        task: "5.7",
        what: "five jobs, at most 2 at a time: each starts the moment a slot frees, all done at 4 s",
        what_ru: "пять работ, одновременно не больше 2: каждая стартует, как только освобождается место, всё готово к 4 с",
        asyncio: "sem = asyncio.Semaphore(2); await asyncio.gather(*(bounded(sem, j) for j in jobs))",
    },
    Scenario {
        name: "mirrors",
        task: "5.8",
        what: "m1 fails at 1 s, m2 answers at 2 s and wins, m0 is cancelled; then the save (1.5 s)",
        what_ru: "m1 падает в 1 с, m2 отвечает в 2 с и побеждает, m0 отменяется; затем запись (1,5 с)",
        asyncio: "await fetch_and_save([m0, m1, m2], deadline=2.5, save=save)",
    },
    Scenario {
        name: "mirrors_deadline",
        task: "5.8",
        what: "no mirror answers within 2 s: both still running are cancelled, nothing is saved",
        what_ru: "ни одно зеркало не ответило за 2 с: обе ещё работающие загрузки отменяются, ничего не записано",
        asyncio: "await fetch_and_save([m0, m1, m2], deadline=2, save=save)",
    },
    Scenario {
        name: "mirrors_give_up",
        task: "5.8",
        what: "the caller gives up at 3 s, during the save: the save is shielded and finishes at 3.5 s",
        what_ru: "вызывающий отказывается в 3 с, во время записи: запись защищена и завершается в 3,5 с",
        asyncio: "await asyncio.wait_for(fetch_and_save([m0, m1, m2], 2.5, save), 3)",
    },
];

impl Scenario {
    /// What it shows, in the current language (the demo's; snapshots keep [`Scenario::what`]).
    pub fn what_here(&self) -> &'static str {
        kit::lang::Lang::current().pick(self.what, self.what_ru)
    }
}

/// The scenario called `name`.
pub fn find(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name == name)
}

/// The scenarios of task `task` (`"5.4"`), in order.
pub fn of_task(task: &str) -> Vec<&'static Scenario> {
    SCENARIOS.iter().filter(|s| s.task == task).collect()
}

/// How long a scenario keeps the runtime going after the caller is done, so that every job
/// still running (siblings of a failed gather, a shielded save) reaches its end and says so.
/// Virtual time: waiting costs nothing.
pub const SETTLE: Duration = Duration::from_secs(60);

/// Runs scenario `name` in the current runtime (it must have a paused clock for the times to
/// be exact: `checker::harness::in_virtual_time`), lets every job settle, and returns what
/// was recorded.
///
/// # Panics
/// If there is no such scenario (or if the code under test panics).
pub async fn play(name: &str) -> Record {
    stage(async |s| script(name, s).await).await
}

/// Runs `script` on a fresh scene in the current runtime, between `main`'s start and finish,
/// lets every job settle, and returns what was recorded: how every scenario is played.
pub async fn stage(script: impl AsyncFnOnce(&Scene)) -> Record {
    let scene = Scene::new();
    scene.timeline().record(MAIN, EventKind::Start);
    script(&scene).await;
    scene.timeline().record(MAIN, EventKind::Finish);
    sleep(SETTLE).await;
    scene.freeze()
}

/// Runs scenario `name` on a fresh current-thread runtime with a paused clock.
pub fn play_virtual(name: &str) -> Record {
    kit::runtime::in_virtual_time(play(name))
}

/// What the demo and the snapshots show of a scenario: a title, the picture, the log.
pub fn report(scenario: &Scenario, record: &Record) -> String {
    format!(
        "{} (task {}): {}\nasyncio: {}\n\n{}\n{}",
        scenario.name,
        scenario.task,
        scenario.what,
        scenario.asyncio,
        record.render(60),
        record.log()
    )
}

async fn script(name: &str, s: &Scene) {
    match name {
        "gather" => gather_in_order(s).await,
        "gather_cancelled" => gather_cancelled(s).await,
        "gather_error" => gather_error(s).await,
        "gather_return_exceptions" => gather_errors_in_place(s).await,
        "wait_for" => wait_for_futures(s).await,
        "wait_for_task" => wait_for_a_task(s).await,
        "wait_first_completed" => wait_then_collect(s, ReturnWhen::FirstCompleted).await,
        "wait_first_exception" => wait_then_collect(s, ReturnWhen::FirstException).await,
        "wait_all_completed" => wait_then_collect(s, ReturnWhen::AllCompleted).await,
        "as_completed" => completion_order(s).await,
        "shield" => shield_give_up(s).await,
        "shield_collect" => shield_collect_later(s).await,
        "bounded" => bounded(s).await,
        "mirrors" => mirrors(s, MirrorPlan::Wins).await,
        "mirrors_deadline" => mirrors(s, MirrorPlan::Deadline).await,
        "mirrors_give_up" => mirrors(s, MirrorPlan::GiveUp).await,
        other => panic!("lab5 has no scenario {other:?}"),
    }
}

/// a (3 s) → 1, b (1 s) → 2, c (2 s) → 3: the jobs of most experiments (and of many checks).
pub fn abc(s: &Scene) -> Vec<Job> {
    s.jobs(&[("a", 3000, 1), ("b", 1000, 2), ("c", 2000, 3)])
}

/// a (3 s) → 1, b fails at 1 s, c (2 s) → 3.
pub fn abc_b_fails(s: &Scene) -> Vec<Job> {
    vec![
        s.job("a", 3000, 1),
        s.failing_job("b", 1000, "b failed"),
        s.job("c", 2000, 3),
    ]
}

async fn gather_in_order(s: &Scene) {
    let out = s.main_awaits("gather(a, b, c)", gather(abc(s))).await;
    s.mark(format!("gather -> {}", show_all(&out)));
}

async fn gather_cancelled(s: &Scene) {
    let gathered = timeout(Duration::from_millis(1500), gather(abc(s)));
    let out = s
        .main_awaits("wait_for(gather(a, b, c), 1500 ms)", gathered)
        .await;
    timed_out(s, out, |out| format!("wait_for -> {}", show_all(&out)));
}

async fn gather_error(s: &Scene) {
    match s
        .main_awaits("gather(a, b, c)", try_gather(abc_b_fails(s)))
        .await
    {
        // `{:?}` of a Vec<u32> is `[1, 2, 3]`, as Python prints a list.
        Ok(out) => s.mark(format!("gather -> {out:?}")),
        Err(e) => s.mark(format!("gather raised error({e})")),
    }
    // Nobody awaits a and c any more; do they still run? Watch for 3 s.
    s.main_awaits("sleep 3000 ms", sleep(Duration::from_millis(3000)))
        .await;
}

async fn gather_errors_in_place(s: &Scene) {
    let what = "gather(a, b, c, return_exceptions=True)";
    let out = s
        .main_awaits(what, gather_return_exceptions(abc_b_fails(s)))
        .await;
    s.mark(format!("gather -> {}", show_all(&out)));
}

async fn wait_for_futures(s: &Scene) {
    let fast = wait_for(s.job("fast", 1000, 1), Duration::from_millis(3000));
    match s.main_awaits("wait_for(fast, 3000 ms)", fast).await {
        Ok(out) => s.mark(format!("wait_for -> {}", show(&out))),
        Err(e) => s.mark(format!("wait_for raised {e}")),
    }
    let slow = wait_for(s.job("slow", 3000, 2), Duration::from_millis(1000));
    match s.main_awaits("wait_for(slow, 1000 ms)", slow).await {
        Ok(out) => s.mark(format!("wait_for -> {}", show(&out))),
        Err(e) => s.mark(format!("wait_for raised {e}")),
    }
}

async fn wait_for_a_task(s: &Scene) {
    let task = tokio::spawn(s.job("slow", 3000, 1));
    let waited = wait_for_task(task, Duration::from_millis(1000));
    match s.main_awaits("wait_for(slow, 1000 ms)", waited).await {
        Ok(out) => s.mark(format!("wait_for -> {}", show(&out))),
        Err(e) => s.mark(format!("wait_for raised {e}")),
    }
    // Does the task still run after the timeout? Watch until after it would have finished.
    s.main_awaits("sleep 3000 ms", sleep(Duration::from_millis(3000)))
        .await;
}

async fn wait_then_collect(s: &Scene, return_when: ReturnWhen) {
    let (jobs, mode) = match return_when {
        ReturnWhen::FirstCompleted => (abc(s), "FIRST_COMPLETED"),
        ReturnWhen::FirstException => (
            vec![
                s.job("a", 3000, 1),
                s.failing_job("b", 2000, "b failed"),
                s.job("c", 1000, 3),
            ],
            "FIRST_EXCEPTION",
        ),
        ReturnWhen::AllCompleted => (abc_b_fails(s), "ALL_COMPLETED"),
    };
    let tasks: Tasks<&str, u32, JobError> = ["a", "b", "c"]
        .into_iter()
        .zip(jobs)
        .map(|(name, job)| (name, tokio::spawn(job)))
        .collect();
    let what = format!("wait({{a, b, c}}, {mode})");
    let (done, pending) = s.main_awaits(&what, wait(tasks, return_when)).await;
    let pending = mark_wait(s, done, pending);
    if pending.is_empty() {
        return;
    }
    // The pending tasks were left running: collect them now.
    let names: Vec<&str> = pending.iter().map(|(n, _)| *n).collect();
    let what = format!("pending {}", names.join(", "));
    let collected = s
        .main_awaits(&what, async {
            let mut collected = Vec::new();
            for (name, handle) in pending {
                let out = match handle.await {
                    Ok(out) => show(&out),
                    // A `wait` that aborts its pending tasks (a mistake) ends here.
                    Err(e) if e.is_cancelled() => "cancelled".to_owned(),
                    Err(e) => std::panic::resume_unwind(e.into_panic()),
                };
                collected.push(format!("{name}={out}"));
            }
            collected
        })
        .await;
    s.mark(format!("collected [{}]", collected.join(", ")));
}

/// Marks what `wait` returned, `done [a=1, b=error(b failed)] pending [c]`: asyncio returns
/// sets, so the log lists each by name. Returns the pending tasks, in that order.
pub fn mark_wait<'n>(
    s: &Scene,
    mut done: Done<&'n str, u32, JobError>,
    mut pending: Tasks<&'n str, u32, JobError>,
) -> Tasks<&'n str, u32, JobError> {
    done.sort_by_key(|(name, _)| *name);
    pending.sort_by_key(|(name, _)| *name);
    let done: Vec<String> = done
        .into_iter()
        .map(|(n, out)| format!("{n}={}", show_joined(out)))
        .collect();
    let names: Vec<&str> = pending.iter().map(|(n, _)| *n).collect();
    s.mark(format!(
        "done [{}] pending [{}]",
        done.join(", "),
        names.join(", ")
    ));
    pending
}

/// Marks what the caller's timeout around some work gave: `show(output)` if the work was done
/// in time, else `wait_for raised TimeoutError`.
pub fn timed_out<T>(s: &Scene, out: Result<T, impl Sized>, show: impl FnOnce(T) -> String) {
    match out {
        Ok(value) => s.mark(show(value)),
        Err(_) => s.mark("wait_for raised TimeoutError"),
    }
}

/// A finished task's outcome as `wait` hands it back: `7`, `error(b failed)`, `cancelled`,
/// or `error(panic: ...)` (asyncio's `t.result()`, `t.exception()`, `t.cancelled()`).
pub fn show_joined<E: std::fmt::Display>(
    out: Result<Result<u32, E>, tokio::task::JoinError>,
) -> String {
    match out {
        Ok(result) => show(&result),
        Err(e) => match e.try_into_panic() {
            Ok(payload) => format!("error(panic: {})", panic_message(payload.as_ref())),
            Err(_cancelled) => "cancelled".to_owned(),
        },
    }
}

async fn completion_order(s: &Scene) {
    let mut results = as_completed(abc(s));
    // asyncio's as_completed yields exactly one awaitable per input: three here.
    for _ in 0..3 {
        match s.main_awaits("next result", results.next()).await {
            Some(out) => s.mark(format!("got {}", show(&out))),
            None => {
                s.mark("as_completed ended early");
                return;
            }
        }
        s.main_awaits("work 1500 ms", sleep(Duration::from_millis(1500)))
            .await;
    }
    if results.next().await.is_some() {
        s.mark("as_completed yielded more results than futures");
    } else {
        s.mark("as_completed ended");
    }
}

async fn shield_give_up(s: &Scene) {
    let shielded = timeout(Duration::from_millis(1000), shield(s.job("save", 2000, 7)));
    let out = s
        .main_awaits("wait_for(shield(save), 1000 ms)", shielded)
        .await;
    timed_out(s, out, |out| format!("wait_for -> {}", show(&out)));
    s.main_awaits("sleep 2000 ms", sleep(Duration::from_millis(2000)))
        .await;
}

async fn shield_collect_later(s: &Scene) {
    let mut inner = shield(s.job("save", 2000, 7));
    // `&mut inner`: the timeout drops only a borrow, so `inner` can still be awaited later.
    let waited = timeout(Duration::from_millis(1000), &mut inner);
    let out = s
        .main_awaits("wait_for(shield(save), 1000 ms)", waited)
        .await;
    timed_out(s, out, |out| format!("wait_for -> {}", show(&out)));
    s.main_awaits("sleep 3000 ms", sleep(Duration::from_millis(3000)))
        .await;
    let out = s.main_awaits("save", inner).await;
    s.mark(format!("collected {}", show(&out)));
}

async fn bounded(s: &Scene) {
    let jobs = s.jobs(&[
        ("a", 3000, 1),
        ("b", 1000, 2),
        ("c", 1000, 3),
        ("d", 2000, 4),
        ("e", 1000, 5),
    ]);
    let out = s
        .main_awaits(
            "gather_bounded(a, b, c, d, e, limit=2)",
            gather_bounded(jobs, 2),
        )
        .await;
    s.mark(format!("gather -> {}", show_all(&out)));
    s.mark(format!("max in flight {}", s.max_in_flight()));
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MirrorPlan {
    /// m1 fails, m2 wins, the save runs to the end.
    Wins,
    /// No mirror answers before the deadline.
    Deadline,
    /// m2 wins, and the caller gives up during the save.
    GiveUp,
}

async fn mirrors(s: &Scene, plan: MirrorPlan) {
    let (mirrors, deadline) = match plan {
        MirrorPlan::Wins | MirrorPlan::GiveUp => (
            vec![
                s.job("m0", 3000, 10),
                s.failing_job("m1", 1000, "m1 down"),
                s.job("m2", 2000, 12),
            ],
            2500,
        ),
        MirrorPlan::Deadline => (
            vec![
                s.job("m0", 3000, 10),
                s.failing_job("m1", 500, "m1 down"),
                s.job("m2", 4000, 12),
            ],
            2000,
        ),
    };
    let scene = s.clone();
    let save = move |answer: u32| scene.job("save", 1500, answer);
    let fetched = fetch_and_save(mirrors, Duration::from_millis(deadline), save);
    let what = format!("fetch_and_save(deadline {deadline} ms)");
    let show_fetched = |r: Result<
        (usize, Result<u32, JobError>),
        crate::mirrors::MirrorError<JobError>,
    >| match r {
        Ok((winner, saved)) => format!("fetch_and_save -> ({winner}, {})", show(&saved)),
        Err(e) => format!("fetch_and_save raised {e}"),
    };
    if plan == MirrorPlan::GiveUp {
        let what = format!("wait_for({what}, 3000 ms)");
        let out = s
            .main_awaits(&what, timeout(Duration::from_millis(3000), fetched))
            .await;
        timed_out(s, out, show_fetched);
        // The save was under way when the caller gave up: is it finished, or lost?
        s.main_awaits("sleep 1000 ms", sleep(Duration::from_millis(1000)))
            .await;
    } else {
        let r = s.main_awaits(&what, fetched).await;
        s.mark(show_fetched(r));
    }
}
