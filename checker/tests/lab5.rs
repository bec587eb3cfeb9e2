//! Checks of Lab 5 — asyncio's combinators on tokio (labs/lab5-combinators).
//!
//! Contents, one module per task of course.toml:
//! - task_5_1  gather: input order, all at once, cancelling it cancels the children
//! - task_5_2  try_gather: first error at once, siblings keep running, cancellation;
//!   gather_return_exceptions: every outcome in place
//! - task_5_3  wait_for: result in time, cancelled at the timeout; wait_for_task aborts the task
//! - task_5_4  wait: FIRST_COMPLETED / FIRST_EXCEPTION / ALL_COMPLETED, pending left running
//! - task_5_5  as_completed: completion order, started at once, running while the consumer works
//! - task_5_6  shield: the work survives the caller's timeout, starts unawaited, result collected later
//! - task_5_7  gather_bounded: at most `limit` in flight (exact), the next starts when a slot frees
//! - task_5_8  fetch_and_save: first success wins, losers cancelled, deadline, shielded save
//! - task_5_9  wait_timeout / as_completed_timeout: back at the timeout, nothing cancelled
//!
//! Besides the lab's experiments, many checks run scenarios of the parity suite
//! (`lab5::parity`, the same scenarios asyncio runs in python/parity/parity.py): panicking
//! inputs, tasks cancelled by someone else, zero and exact deadlines, uneven durations.
//!
//! Everything runs under tokio's paused clock (`in_virtual_time`): a job that sleeps 3000 ms
//! finishes at exactly virtual 3000 ms, in microseconds. Jobs are built by the lab's `Scene`
//! (labs/lab5-combinators/src/demo/scene.rs): each records start / finish / cancelled (a drop
//! guard) with its virtual time, so a check sees *what your combinator did to the futures*,
//! not only what it returned.
//!
//! Each scenario of `scenarios.rs` is checked twice: direct assertions with messages that
//! name the likely mistake, then a snapshot `lab5_<scenario>` of its timeline and canonical
//! log, recorded from the reference solution (and equal, line for line, to what asyncio
//! prints: python/combinators.py). The canonical log orders simultaneous events by task, so
//! every correct program produces the same one. Each task also snapshots its own section of
//! the demo (`lab5_demo_task_5_K`), so a mistake in one task costs that task alone.

use crate::run_lab::RUN_LAB;
use checker::harness::in_virtual_time;
use checker::snapshot::DemoPart;
use checker::{check, lab5};
use futures::{Stream, StreamExt};
use lab5::scenarios::{self, abc, play};
use lab5::scene::{Job, JobError, Record, Scene};
use model::tr;
use std::time::Duration;
use tokio::time::sleep;

#[path = "support/lab5.rs"]
mod shared;
use shared::{experiment, now_ms, timed_experiment};

/// Runs scenario `name` on your code in virtual time.
fn scenario(name: &str) -> Record {
    in_virtual_time(play(name))
}

/// The scenario's timeline and canonical log must equal the reference's (snapshot
/// `lab5_<name>`). Exact: no filter, virtual times do not vary.
fn assert_same_log(name: &str, record: &Record) {
    let s = scenarios::find(name).unwrap_or_else(|| {
        panic!(
            "{}",
            tr!(en: "a scenario of scenarios.rs", ru: "сценарий из scenarios.rs")
        )
    });
    // Recorded from the reference solution; python/combinators.py prints the same log with
    // asyncio.
    let snapshot = format!("lab5_{name}");
    checker::snapshot::assert_matches_exactly(&snapshot, &scenarios::report(s, record));
}

/// The demo's part for task `task`, run alone (see [`DemoPart`]), with the lab's filter.
fn demo_part(task: &str) -> DemoPart<'_> {
    // A time right-aligned in a column: its padding depends on how many digits it has.
    DemoPart::new(RUN_LAB, task).filters(&[(r"(?m)^ +\[time\]", "  [time]")])
}

/// Runs scenario `name` of the parity suite (labs/lab5-combinators/src/demo/parity.rs) on your
/// code in virtual time: the same scenario asyncio runs in python/parity/parity.py.
fn case(name: &str) -> Record {
    in_virtual_time(lab5::parity::play(name))
}

/// Like [`case`], but a panic of your code becomes a failure that says where it came from.
fn case_without_panic(name: &str, what: &str) -> Record {
    let played = std::panic::catch_unwind(|| case(name));
    played.unwrap_or_else(|payload| {
        panic!(
            "{}",
            tr!(
                en: "{what} panicked: {:?}. asyncio accepts this input without raising; so must \
                     yours.",
                ru: "{what} запаниковала: {:?}. asyncio принимает такой вход без исключения; ваш \
                     код тоже должен.",
                lab5::scene::panic_message(payload.as_ref()),
            )
        )
    })
}

/// The marks of `main` that start with one of `prefixes`, with their times.
fn marks(r: &Record, prefixes: &[&str]) -> Vec<(u64, String)> {
    r.marks()
        .into_iter()
        .filter(|(_, m)| prefixes.iter().any(|p| m.starts_with(p)))
        .collect()
}

/// The mark of `main` that starts with `prefix` (what the combinator returned), with its time.
fn returned(r: &Record, prefix: &str) -> (u64, String) {
    r.mark(prefix).unwrap_or_else(|| {
        panic!(
            "{}",
            tr!(
                en: "the scenario marks what gather returned",
                ru: "сценарий отмечает, что вернула gather",
            )
        )
    })
}

/// a, b and c (see [`abc`]) all started at 0 ms.
const ABC_AT_ONCE: &[(&str, u64)] = &[("a", 0), ("b", 0), ("c", 0)];

/// Every item of `stream`, each with the virtual time (ms) it came at.
async fn timed<S: Stream + Unpin>(scene: &Scene, mut stream: S) -> Vec<(u64, S::Item)> {
    let mut got = Vec::new();
    while let Some(item) = stream.next().await {
        got.push((now_ms(scene), item));
    }
    got
}

/// An event of a job, as the checks look at it.
#[derive(Debug, Clone, Copy)]
enum Event {
    Started,
    Finished,
    Cancelled,
}
use Event::{Cancelled, Finished, Started};

impl Event {
    /// When `job` had this event in `r`, in virtual ms; `None` if it never did.
    fn of(self, r: &Record, job: &str) -> Option<u64> {
        match self {
            Started => r.started(job),
            Finished => r.finished(job),
            Cancelled => r.cancelled(job),
        }
    }
}

/// Each `(job, ms)` of `expected` had `event` at exactly `ms` virtual ms. A failure says
/// `why(job, ms, story)`, the story being all the job recorded.
#[track_caller]
fn assert_each_at(
    r: &Record,
    event: Event,
    expected: &[(&str, u64)],
    why: impl Fn(&str, u64, String) -> String,
) {
    for &(job, ms) in expected {
        assert_eq!(event.of(r, job), Some(ms), "{}", why(job, ms, r.story(job)));
    }
}

/// None of `jobs` ever had `event`. A failure says `why(job, story)`.
#[track_caller]
fn assert_never(r: &Record, event: Event, jobs: &[&str], why: impl Fn(&str, String) -> String) {
    for &job in jobs {
        assert_eq!(event.of(r, job), None, "{}", why(job, r.story(job)));
    }
}

/// The mark of `main` that starts with `prefix` is `text`, made at `ms` virtual ms; a failure
/// says `why`.
#[track_caller]
fn assert_mark(r: &Record, prefix: &str, (ms, text): (u64, &str), why: &str) {
    assert_eq!(r.mark(prefix), Some((ms, text.to_owned())), "{why}");
}

mod task_5_1 {
    use super::*;
    use futures::FutureExt;
    use lab5::gather::{gather, gather_tasks};

    #[test]
    fn results_in_input_order_all_at_once() {
        check!(|| {
            let r = scenario("gather");
            assert_each_at(&r, Started, ABC_AT_ONCE, |_, _, story| {
                tr!(
                    en: "every future must start at once, at 0 ms ({story}). Are you awaiting \
                         them one after another? A future does nothing until polled: poll them \
                         all together.",
                    ru: "каждая футура должна начаться сразу, в 0 мс ({story}). Вы ждёте их одну \
                         за другой? Футура ничего не делает, пока её не опрашивают: опрашивайте \
                         их все вместе.",
                )
            });
            let (at, result) = returned(&r, "gather ->");
            assert_eq!(
                result,
                "gather -> [1, 2, 3]",
                "{}",
                tr!(
                    en: "a finishes last, b first, but gather returns the results in INPUT order \
                         [a, b, c] = [1, 2, 3]. Did you collect them in completion order (a \
                         JoinSet, FuturesUnordered)?",
                    ru: "a заканчивается последней, b первой, но gather возвращает результаты в \
                         порядке ВХОДА [a, b, c] = [1, 2, 3]. Вы собирали их в порядке завершения \
                         (JoinSet, FuturesUnordered)?",
                )
            );
            assert_eq!(
                at,
                3000,
                "{}",
                tr!(
                    en: "concurrent jobs of 3 s, 1 s and 2 s take 3 s together, not {at} ms",
                    ru: "конкурентные задачи по 3 с, 1 с и 2 с вместе занимают 3 с, а не {at} мс",
                )
            );
            assert_same_log("gather", &r);
        })
    }

    #[test]
    fn cancelling_the_gather_cancels_its_children() {
        check!(|| {
            let r = scenario("gather_cancelled");
            assert_each_at(&r, Finished, &[("b", 1000)], |_, _, story| {
                tr!(
                    en: "b (1 s) finishes before the timeout: {story}",
                    ru: "b (1 с) заканчивается до тайм-аута: {story}",
                )
            });
            assert_each_at(&r, Cancelled, &[("a", 1500), ("c", 1500)], |_, _, story| {
                tr!(
                    en: "the caller gave up on the gather at 1500 ms, so its children still \
                         running must be cancelled then, as asyncio cancels the children of a \
                         cancelled gather; but {story}. Tasks from tokio::spawn outlive the \
                         gather: keep the futures inside the gather's own future (join_all), or \
                         in a JoinSet, which aborts them when dropped.",
                    ru: "вызывающий отказался от gather в 1500 мс, поэтому её ещё работающие \
                         дочерние задачи должны быть тогда же отменены, как asyncio отменяет \
                         детей отменённой gather; но {story}. Задачи из tokio::spawn переживают \
                         gather: держите футуры внутри собственной футуры gather (join_all) или в \
                         JoinSet, который прерывает их при выбрасывании.",
                )
            });
            assert_same_log("gather_cancelled", &r);
        })
    }

    #[test]
    fn nothing_to_gather_returns_at_once() {
        check!(|| {
            let (out, _) = experiment(|s| async move {
                let out = gather(Vec::<Job>::new()).await;
                (out.len(), now_ms(&s))
            });
            assert_eq!(
                out,
                (0, 0),
                "{}",
                tr!(
                    en: "gather of no futures returns an empty Vec at once",
                    ru: "gather без футур сразу возвращает пустой Vec",
                )
            );
        })
    }

    #[test]
    fn a_gather_of_tasks_keeps_input_order_with_uneven_durations() {
        check!(|| {
            let r = case("gather_tasks");
            assert_mark(
                &r,
                "gather ->",
                (3000, "gather -> [1, 2, 3]"),
                &tr!(
                    en: "gather_tasks of tasks a (3 s), b (1 s), c (2 s): Ok([1, 2, 3]) in input \
                         order at 3000 ms",
                    ru: "gather_tasks по задачам a (3 с), b (1 с), c (2 с): Ok([1, 2, 3]) в \
                         порядке входа в 3000 мс",
                ),
            );
            let ((out, at), _) = timed_experiment(|s| async move {
                let jobs = [("a", 10, 1), ("b", 7000, 2), ("c", 1, 3), ("d", 250, 4)];
                let tasks = jobs
                    .iter()
                    .map(|(n, ms, v)| tokio::spawn(s.job(n, *ms, *v)))
                    .collect();
                gather_tasks(tasks).await.map_err(|e| e.to_string())
            });
            assert_eq!(
                out,
                Ok(vec![Ok(1), Ok(2), Ok(3), Ok(4)]),
                "{}",
                tr!(
                    en: "tasks of 10 ms, 7 s, 1 ms and 250 ms: their outputs in input order",
                    ru: "задачи по 10 мс, 7 с, 1 мс и 250 мс: их результаты в порядке входа",
                )
            );
            assert_eq!(
                at,
                7000,
                "{}",
                tr!(
                    en: "the longest task takes 7000 ms; gather_tasks returned at {at} ms",
                    ru: "самая долгая задача занимает 7000 мс; gather_tasks вернулась в {at} мс",
                )
            );
        })
    }

    #[test]
    fn cancelling_a_gather_of_tasks_aborts_them() {
        check!(|| {
            let r = case("gather_tasks_cancelled");
            assert_eq!(r.finished("b"), Some(1000), "{}", r.story("b"));
            assert_each_at(&r, Cancelled, &[("a", 1500), ("c", 1500)], |_, _, story| {
                tr!(
                    en: "the caller gave up on gather_tasks at 1500 ms: the gather owns its tasks \
                         and asyncio cancels a cancelled gather's children, but {story}. Dropping \
                         a JoinHandle does not stop its task: keep each task's abort_handle() and \
                         abort them all from a guard's Drop.",
                    ru: "вызывающий отказался от gather_tasks в 1500 мс: gather владеет своими \
                         задачами, и asyncio отменяет детей отменённой gather, но {story}. \
                         Выбрасывание JoinHandle не останавливает его задачу: сохраните \
                         abort_handle() каждой задачи и прервите их все в Drop охранника.",
                )
            });
        })
    }

    #[test]
    fn a_panicking_task_is_an_error_at_once_not_a_panic() {
        check!(|| {
            let ((out, at), r) = experiment(|s| async move {
                let panicking: Job = Box::pin(async {
                    sleep(Duration::from_millis(700)).await;
                    panic!("bug in b")
                });
                let tasks = vec![
                    tokio::spawn(s.job("a", 2000, 1)),
                    tokio::spawn(panicking),
                    tokio::spawn(s.job("c", 900, 3)),
                ];
                let out = std::panic::AssertUnwindSafe(gather_tasks(tasks))
                    .catch_unwind()
                    .await;
                let out = match out {
                    Ok(Ok(_)) => "Ok".to_owned(),
                    Ok(Err(e)) if e.is_panic() => "Err(panicked)".to_owned(),
                    Ok(Err(_)) => "Err(cancelled)".to_owned(),
                    Err(_) => tr!(
                        en: "a panic of gather_tasks itself",
                        ru: "паника самой gather_tasks",
                    ),
                };
                (out, now_ms(&s))
            });
            assert_eq!(
                (out.as_str(), at),
                ("Err(panicked)", 700),
                "{}",
                tr!(
                    en: "task b panics at 700 ms: gather_tasks returns Err(its JoinError) then, \
                         at once (asyncio raises the first exception); it does not panic itself \
                         or wait for the others",
                    ru: "задача b паникует в 700 мс: gather_tasks тогда же, сразу, возвращает \
                         Err(её JoinError) (asyncio поднимает первое исключение); она не паникует \
                         сама и не ждёт остальных",
                )
            );
            assert_each_at(&r, Finished, &[("a", 2000), ("c", 900)], |_, _, story| {
                tr!(
                    en: "the other tasks keep running: {story}",
                    ru: "остальные задачи продолжают работать: {story}",
                )
            });
        })
    }

    #[test]
    fn a_task_cancelled_by_someone_else_is_an_error_at_once() {
        check!(|| {
            let r = case_without_panic("gather_tasks_child_cancelled", "gather_tasks");
            assert_mark(
                &r,
                "gather",
                (500, "gather raised CancelledError"),
                &tr!(
                    en: "task b is aborted by someone else at 500 ms: gather_tasks must return \
                         Err(its JoinError) then, as asyncio's gather raises CancelledError at \
                         once",
                    ru: "задачу b прерывает кто-то другой в 500 мс: gather_tasks должна тогда же \
                         вернуть Err(её JoinError), как gather в asyncio сразу поднимает \
                         CancelledError",
                ),
            );
            assert_each_at(&r, Finished, &[("a", 3000), ("c", 2000)], |_, _, story| {
                tr!(
                    en: "after that error the other tasks keep running, as after any first error: \
                         {story}",
                    ru: "после этой ошибки остальные задачи продолжают работать, как после любой \
                         первой ошибки: {story}",
                )
            });
        })
    }

    #[test]
    fn the_demo_shows_task_5_1() {
        check!(|| demo_part("5.1").assert_matches())
    }
}

mod task_5_2 {
    use super::*;
    use lab5::gather::try_gather;

    #[test]
    fn the_first_error_at_once_and_the_siblings_keep_running() {
        check!(|| {
            let r = scenario("gather_error");
            let (at, raised) = returned(&r, "gather");
            assert_eq!(
                raised,
                "gather raised error(b failed)",
                "{}",
                tr!(
                    en: "b fails: try_gather must return its error",
                    ru: "b завершается ошибкой: try_gather должна вернуть её ошибку",
                )
            );
            assert_eq!(
                at,
                1000,
                "{}",
                tr!(
                    en: "b fails at 1000 ms and asyncio's gather raises at once, but try_gather \
                         returned at {at} ms: did you wait for every future before looking at the \
                         errors?",
                    ru: "b завершается ошибкой в 1000 мс, и gather в asyncio сразу поднимает \
                         исключение, а try_gather вернулась в {at} мс: вы ждали все футуры, \
                         прежде чем смотреть на ошибки?",
                )
            );
            let siblings = [("a", 3000), ("c", 2000)];
            for (job, end) in siblings {
                assert_never(&r, Cancelled, &[job], |_, story| {
                    tr!(
                        en: "asyncio's gather does NOT cancel the siblings of a failed child, but \
                             {story}. That is what try_join_all (and a dropped JoinSet) do: spawn \
                             the children and let them go (JoinSet::detach_all) when you return \
                             the error.",
                        ru: "gather в asyncio НЕ отменяет соседей упавшей дочерней задачи, но \
                             {story}. Так делают try_join_all (и выброшенный JoinSet): породите \
                             дочерние задачи и отпустите их (JoinSet::detach_all), когда \
                             возвращаете ошибку.",
                    )
                });
                assert_each_at(&r, Finished, &[(job, end)], |job, end, story| {
                    tr!(
                        en: "{job} must keep running after the error and finish at {end} ms: \
                             {story}",
                        ru: "{job} должно продолжать работу после ошибки и закончиться в {end} \
                             мс: {story}",
                    )
                });
            }
            assert_same_log("gather_error", &r);
        })
    }

    #[test]
    fn all_succeed_in_input_order() {
        check!(|| {
            let ((out, at), r) = timed_experiment(|s| async move { try_gather(abc(&s)).await });
            assert_eq!(
                out,
                Ok(vec![1, 2, 3]),
                "{}",
                tr!(
                    en: "no future fails: Ok with the results in input order (a, b, c), not \
                         completion order",
                    ru: "ни одна футура не падает: Ok с результатами в порядке входа (a, b, c), а \
                         не в порядке завершения",
                )
            );
            assert_eq!(
                at,
                3000,
                "{}",
                tr!(
                    en: "try_gather of 3 s, 1 s and 2 s returns at 3000 ms, not {at} ms",
                    ru: "try_gather по 3 с, 1 с и 2 с возвращается в 3000 мс, а не в {at} мс",
                )
            );
            assert_each_at(&r, Started, ABC_AT_ONCE, |_, _, story| {
                tr!(
                    en: "{story}: all must start at once",
                    ru: "{story}: все должны начаться сразу",
                )
            });
        })
    }

    #[test]
    fn cancelling_try_gather_cancels_its_children() {
        check!(|| {
            let (out, r) = experiment(|s| async move {
                tokio::time::timeout(Duration::from_millis(1500), try_gather(abc(&s))).await
            });
            assert!(
                out.is_err(),
                "{}",
                tr!(
                    en: "the 1500 ms timeout elapses before the 3 s job",
                    ru: "тайм-аут 1500 мс истекает раньше 3-секундной задачи",
                )
            );
            assert_eq!(r.finished("b"), Some(1000), "{}", r.story("b"));
            assert_each_at(&r, Cancelled, &[("a", 1500), ("c", 1500)], |_, _, story| {
                tr!(
                    en: "the caller gave up on try_gather at 1500 ms: like asyncio, the children \
                         still running must be cancelled then, but {story}. Spawned tasks outlive \
                         their JoinHandles; a JoinSet aborts its tasks when it is dropped (detach \
                         only at the first error).",
                    ru: "вызывающий отказался от try_gather в 1500 мс: как в asyncio, ещё \
                         работающие дочерние задачи должны быть тогда же отменены, но {story}. \
                         Порождённые задачи переживают свои JoinHandle; JoinSet прерывает свои \
                         задачи при выбрасывании (отпускайте их только при первой ошибке).",
                )
            });
        })
    }

    #[test]
    fn return_exceptions_returns_every_outcome_in_place() {
        check!(|| {
            let r = scenario("gather_return_exceptions");
            let (at, result) = returned(&r, "gather");
            assert_eq!(
                result,
                "gather -> [1, error(b failed), 3]",
                "{}",
                tr!(
                    en: "return_exceptions=True: every outcome in input order, b's error in b's \
                         place",
                    ru: "return_exceptions=True: каждый исход в порядке входа, ошибка b на месте \
                         b",
                )
            );
            assert_eq!(
                at,
                3000,
                "{}",
                tr!(
                    en: "with return_exceptions, gather waits for every future (3000 ms), it does \
                         not stop at the first error; it returned at {at} ms",
                    ru: "с return_exceptions gather ждёт все футуры (3000 мс) и не \
                         останавливается на первой ошибке; она вернулась в {at} мс",
                )
            );
            assert_same_log("gather_return_exceptions", &r);
        })
    }

    #[test]
    fn a_panic_is_the_first_error_and_the_siblings_keep_running() {
        check!(|| {
            let r = case("gather_error_panic");
            assert_mark(
                &r,
                "gather",
                (1000, "gather raised panic(division by zero)"),
                &tr!(
                    en: "b panics at 1000 ms (a bug, Python's ZeroDivisionError): try_gather must \
                         re-raise that panic in the caller at once, as asyncio raises the first \
                         exception",
                    ru: "b паникует в 1000 мс (ошибка в коде, ZeroDivisionError в Python): \
                         try_gather должна сразу поднять эту панику заново в вызывающем, как \
                         asyncio поднимает первое исключение",
                ),
            );
            assert_each_at(&r, Finished, &[("a", 3000), ("c", 2000)], |_, _, story| {
                tr!(
                    en: "a panic is an error like any other: the siblings keep running, but \
                         {story}. Re-raising while the JoinSet is still yours unwinds through it \
                         and aborts them: detach them first.",
                    ru: "паника — такая же ошибка, как любая другая: соседи продолжают работать, \
                         но {story}. Повторная паника, пока JoinSet ещё ваш, раскручивает стек \
                         через него и прерывает их: сначала отпустите их.",
                )
            });
        })
    }

    #[test]
    fn return_exceptions_puts_a_panic_in_its_slot() {
        check!(|| {
            let r =
                case_without_panic("gather_return_exceptions_panic", "gather_return_exceptions");
            assert_mark(
                &r,
                "gather",
                (3000, "gather -> [1, error(panic: division by zero), 3]"),
                &tr!(
                    en: "b panics at 1000 ms: with return_exceptions its panic goes in b's slot, \
                         as Raised::Panic(message), and every other outcome comes back at 3000 ms",
                    ru: "b паникует в 1000 мс: с return_exceptions её паника попадает в ячейку b \
                         как Raised::Panic(message), а все остальные исходы возвращаются в 3000 \
                         мс",
                ),
            );
            assert_each_at(&r, Finished, &[("a", 3000), ("c", 2000)], |_, _, story| {
                tr!(
                    en: "a panicking sibling must not stop the others: {story}",
                    ru: "паникующий сосед не должен останавливать остальных: {story}",
                )
            });
        })
    }

    #[test]
    fn cancelling_return_exceptions_cancels_its_children() {
        check!(|| {
            let r = case("gather_return_exceptions_cancelled");
            assert_eq!(r.finished("b"), Some(1000), "{}", r.story("b"));
            assert_each_at(&r, Cancelled, &[("a", 1500), ("c", 1500)], |_, _, story| {
                tr!(
                    en: "the caller gave up on gather_return_exceptions at 1500 ms: the children \
                         still running must be cancelled then, but {story}. Spawned tasks outlive \
                         the gather; keep the futures inside it (join_all) or in a JoinSet.",
                    ru: "вызывающий отказался от gather_return_exceptions в 1500 мс: ещё \
                         работающие дочерние задачи должны быть тогда же отменены, но {story}. \
                         Порождённые задачи переживают gather; держите футуры внутри неё \
                         (join_all) или в JoinSet.",
                )
            });
        })
    }

    #[test]
    fn the_demo_shows_task_5_2() {
        check!(|| demo_part("5.2").assert_matches())
    }
}

mod task_5_3 {
    use super::*;
    use lab5::wait_for::wait_for_task;

    #[test]
    fn the_result_in_time_or_the_work_cancelled_at_the_timeout() {
        check!(|| {
            let r = scenario("wait_for");
            assert_mark(
                &r,
                "wait_for ->",
                (1000, "wait_for -> 1"),
                &tr!(
                    en: "fast (1 s) within 3 s: wait_for returns its result as soon as it is \
                         ready, at 1000 ms",
                    ru: "fast (1 с) в пределах 3 с: wait_for возвращает результат, как только он \
                         готов, в 1000 мс",
                ),
            );
            assert_mark(
                &r,
                "wait_for raised",
                (2000, "wait_for raised TimeoutError"),
                "slow (3 s) within 1 s, started at 1000 ms: Err(TimeoutError) at 2000 ms",
            );
            assert_each_at(&r, Cancelled, &[("slow", 2000)], |_, _, story| {
                tr!(
                    en: "on timeout the work must be cancelled at the timeout, but {story}. Did \
                         you spawn it, or keep it somewhere, so that it goes on in the \
                         background?",
                    ru: "при тайм-ауте работа должна быть отменена в момент тайм-аута, но \
                         {story}. Вы её породили или где-то сохранили, и она продолжается в фоне?",
                )
            });
            assert_same_log("wait_for", &r);
        })
    }

    #[test]
    fn a_spawned_task_is_cancelled_at_the_timeout() {
        check!(|| {
            let r = scenario("wait_for_task");
            assert_mark(
                &r,
                "wait_for",
                (1000, "wait_for raised TimeoutError"),
                &tr!(
                    en: "a 3 s task within 1 s: Err(TimeoutError) at 1000 ms",
                    ru: "задача на 3 с в пределах 1 с: Err(TimeoutError) в 1000 мс",
                ),
            );
            assert_never(&r, Finished, &["slow"], |_, story| {
                tr!(
                    en: "the task went on after the timeout ({story}): dropping a JoinHandle does \
                         not stop its task. Use timeout(d, &mut handle) and handle.abort() when \
                         time is up.",
                    ru: "задача продолжилась после тайм-аута ({story}): выбрасывание JoinHandle \
                         не останавливает его задачу. Используйте timeout(d, &mut handle) и \
                         handle.abort(), когда время вышло.",
                )
            });
            assert_each_at(&r, Cancelled, &[("slow", 1000)], |_, _, story| {
                tr!(
                    en: "the task must be cancelled at the timeout, 1000 ms: {story}",
                    ru: "задача должна быть отменена в момент тайм-аута, 1000 мс: {story}",
                )
            });
            assert_same_log("wait_for_task", &r);
        })
    }

    #[test]
    fn a_task_in_time_gives_its_result() {
        check!(|| {
            let ((out, at), r) = timed_experiment(|s| async move {
                let task = tokio::spawn(s.job("quick", 1000, 5));
                wait_for_task(task, Duration::from_millis(3000)).await
            });
            assert_eq!(
                out,
                Ok(Ok(5)),
                "{}",
                tr!(
                    en: "the task finishes in time: its output, {}",
                    ru: "задача укладывается во время: её результат, {}",
                    r.story("quick"),
                )
            );
            assert_eq!(
                at,
                1000,
                "{}",
                tr!(
                    en: "wait_for_task returns when the task finishes (1000 ms), not at {at} ms",
                    ru: "wait_for_task возвращается, когда задача заканчивается (1000 мс), а не в \
                         {at} мс",
                )
            );
        })
    }

    #[test]
    fn a_panic_inside_is_re_raised_not_turned_into_a_timeout() {
        check!(|| {
            for (name, what) in [
                ("wait_for_panic", "wait_for"),
                ("wait_for_task_panic", "wait_for_task"),
            ] {
                let r = case(name);
                assert_mark(
                    &r,
                    "wait_for",
                    (500, "wait_for raised panic(division by zero)"),
                    &tr!(
                        en: "{what}: the work panics at 500 ms, well within its 3 s: the panic \
                             must reach the caller then (re-raise it), not become a TimeoutError \
                             or a result",
                        ru: "{what}: работа паникует в 500 мс, задолго до своих 3 с: паника \
                             должна тогда же дойти до вызывающего (поднимите её заново), а не \
                             стать TimeoutError или результатом",
                    ),
                );
            }
        })
    }

    #[test]
    fn a_zero_timeout_and_a_tie_at_the_deadline_time_out() {
        check!(|| {
            let r = case("wait_for_zero");
            assert_mark(
                &r,
                "wait_for",
                (0, "wait_for raised TimeoutError"),
                &tr!(
                    en: "wait_for(fut, 0): asyncio raises TimeoutError without running the work, \
                         even work that would be ready at once; tokio's timeout polls the work \
                         first",
                    ru: "wait_for(fut, 0): asyncio поднимает TimeoutError, не запуская работу, \
                         даже ту, что была бы готова сразу; timeout из tokio сначала опрашивает \
                         работу",
                ),
            );
            assert_never(&r, Started, &["ready"], |_, story| {
                tr!(
                    en: "with a zero timeout the work never starts: {story}",
                    ru: "при нулевом тайм-ауте работа никогда не начинается: {story}",
                )
            });
            // Only for a future: with a spawned task, which of the two timers' wakers runs
            // first at the shared instant is the scheduler's choice, and a task that has
            // finished cannot be un-finished (its result then wins, as the caveat says).
            let r = case("wait_for_exact_deadline");
            assert_mark(
                &r,
                "wait_for",
                (1000, "wait_for raised TimeoutError"),
                &tr!(
                    en: "work of 1000 ms within 1000 ms: in asyncio the deadline wins the tie \
                         (its timer was set first); poll the deadline before the work (select! \
                         with biased;)",
                    ru: "работа на 1000 мс в пределах 1000 мс: в asyncio при ничьей побеждает \
                         срок (его таймер поставлен первым); опрашивайте срок раньше работы \
                         (select! с biased;)",
                ),
            );
            assert_eq!(r.cancelled("tie"), Some(1000), "{}", r.story("tie"));
        })
    }

    #[test]
    fn a_zero_timeout_on_a_task_gives_a_finished_result_and_cancels_the_rest() {
        check!(|| {
            let r = case("wait_for_task_zero");
            let got = marks(&r, &["wait_for"]);
            assert_eq!(
                got,
                [
                    (200, "wait_for -> 5".to_owned()),
                    (200, "wait_for raised TimeoutError".to_owned())
                ],
                "{}",
                tr!(
                    en: "wait_for(task, 0) at 200 ms: a task that finished at 100 ms gives its \
                         result, one still running times out at once",
                    ru: "wait_for(task, 0) в 200 мс: задача, закончившаяся в 100 мс, даёт свой \
                         результат, ещё работающая сразу получает тайм-аут",
                )
            );
            assert_eq!(r.cancelled("running"), Some(200), "{}", r.story("running"));
        })
    }

    #[test]
    fn the_demo_shows_task_5_3() {
        check!(|| demo_part("5.3").assert_matches())
    }
}

mod task_5_4 {
    use super::*;
    use lab5::wait::{ReturnWhen, Tasks, wait};

    fn no_cancellation(r: &Record) {
        assert_never(r, Cancelled, &["a", "b", "c"], |_, story| {
            tr!(
                en: "wait never cancels: the pending tasks go back to the caller still running, \
                     but {story}. select! and select_all drop (or you aborted) the losers.",
                ru: "wait никогда не отменяет: ожидающие задачи возвращаются вызывающему ещё \
                     работающими, но {story}. select! и select_all выбрасывают проигравших (или \
                     вы их прервали).",
            )
        });
    }

    #[test]
    fn first_completed_leaves_the_others_running() {
        check!(|| {
            let r = scenario("wait_first_completed");
            assert_mark(
                &r,
                "done",
                (1000, "done [b=2] pending [a, c]"),
                &tr!(
                    en: "FIRST_COMPLETED: wait returns at 1000 ms, when b (1 s) finishes, with b \
                         done and a, c pending",
                    ru: "FIRST_COMPLETED: wait возвращается в 1000 мс, когда заканчивается b (1 \
                         с), с b в done и a, c в pending",
                ),
            );
            no_cancellation(&r);
            assert_mark(
                &r,
                "collected",
                (3000, "collected [a=1, c=3]"),
                &tr!(
                    en: "the pending handles must still give a's and c's results when awaited \
                         later",
                    ru: "ожидающие дескрипторы должны ещё дать результаты a и c, если дождаться \
                         их позже",
                ),
            );
            assert_same_log("wait_first_completed", &r);
        })
    }

    #[test]
    fn first_exception_returns_at_the_first_error() {
        check!(|| {
            let r = scenario("wait_first_exception");
            assert_mark(
                &r,
                "done",
                (2000, "done [b=error(b failed), c=3] pending [a]"),
                &tr!(
                    en: "FIRST_EXCEPTION: c succeeds at 1000 ms (keep waiting), b fails at 2000 \
                         ms (return), with b and c done and a pending",
                    ru: "FIRST_EXCEPTION: c успешна в 1000 мс (ждём дальше), b падает в 2000 мс \
                         (возврат), b и c в done, a в pending",
                ),
            );
            no_cancellation(&r);
            assert_same_log("wait_first_exception", &r);
        })
    }

    #[test]
    fn all_completed_waits_for_every_task() {
        check!(|| {
            let r = scenario("wait_all_completed");
            assert_mark(
                &r,
                "done",
                (3000, "done [a=1, b=error(b failed), c=3] pending []"),
                &tr!(
                    en: "ALL_COMPLETED: wait returns at 3000 ms with every task done, b's error \
                         included",
                    ru: "ALL_COMPLETED: wait возвращается в 3000 мс, когда все задачи в done, \
                         включая ошибку b",
                ),
            );
            assert_same_log("wait_all_completed", &r);
        })
    }

    #[test]
    fn pending_tasks_can_be_waited_on_again() {
        check!(|| {
            let ((first, second), r) = experiment(|s| async move {
                let tasks: Tasks<usize, u32, JobError> =
                    abc(&s).into_iter().map(tokio::spawn).enumerate().collect();
                let (done, pending) = wait(tasks, ReturnWhen::FirstCompleted).await;
                let first = (now_ms(&s), done.len(), pending.len());
                let (mut done, pending) = wait(pending, ReturnWhen::AllCompleted).await;
                done.sort_by_key(|(i, _)| *i);
                (first, (now_ms(&s), done, pending.len()))
            });
            assert_eq!(
                first,
                (1000, 1, 2),
                "{}",
                tr!(
                    en: "first wait: back at 1000 ms with 1 done and 2 pending",
                    ru: "первое ожидание: возврат в 1000 мс, 1 в done и 2 в pending",
                )
            );
            let second = (
                second.0,
                second
                    .1
                    .into_iter()
                    .map(|(i, out)| (i, out.ok()))
                    .collect::<Vec<_>>(),
                second.2,
            );
            assert_eq!(
                second,
                (3000, vec![(0, Some(Ok(1))), (2, Some(Ok(3)))], 0),
                "{}",
                tr!(
                    en: "waiting again on the 2 pending tasks: back at 3000 ms with both done, \
                         labels kept",
                    ru: "повторное ожидание двух задач из pending: возврат в 3000 мс, обе в done, \
                         метки сохранены",
                )
            );
            for job in ["a", "b", "c"] {
                assert!(r.finished(job).is_some(), "{}", r.story(job));
            }
        })
    }

    #[test]
    fn no_tasks_returns_at_once() {
        check!(|| {
            let ((done, pending, at), _) = experiment(|s| async move {
                let (done, pending) =
                    wait(Tasks::<u8, u32, JobError>::new(), ReturnWhen::AllCompleted).await;
                (done.len(), pending.len(), now_ms(&s))
            });
            assert_eq!(
                (done, pending, at),
                (0, 0, 0),
                "{}",
                tr!(
                    en: "wait on no tasks returns two empty lists at once",
                    ru: "wait без задач сразу возвращает два пустых списка",
                )
            );
        })
    }

    #[test]
    fn a_task_cancelled_by_someone_else_is_done_not_a_panic() {
        check!(|| {
            let r = case_without_panic("wait_cancelled_by_other", "wait");
            assert_mark(
                &r,
                "done",
                (3000, "done [a=1, b=cancelled, c=3] pending []"),
                &tr!(
                    en: "b is aborted by someone else at 500 ms: asyncio's wait returns normally \
                         with b in done (t.cancelled()); put its Err(JoinError) in done, do not \
                         unwrap it",
                    ru: "задачу b прерывает кто-то другой в 500 мс: wait в asyncio возвращается \
                         как обычно, с b в done (t.cancelled()); положите её Err(JoinError) в \
                         done, не разворачивайте его",
                ),
            );
            let r = case_without_panic("wait_first_exception_cancelled", "wait");
            assert_mark(
                &r,
                "done",
                (3000, "done [a=1, b=cancelled, c=3] pending []"),
                &tr!(
                    en: "FIRST_EXCEPTION: a task cancelled by someone else is done but raised \
                         nothing, so wait goes on until a real error or the end (asyncio checks \
                         `not t.cancelled()`)",
                    ru: "FIRST_EXCEPTION: задача, отменённая кем-то другим, завершена, но ничего \
                         не подняла, поэтому wait продолжает ждать настоящей ошибки или конца \
                         (asyncio проверяет `not t.cancelled()`)",
                ),
            );
        })
    }

    #[test]
    fn a_panicked_task_is_an_exception_in_done() {
        check!(|| {
            let r = case_without_panic("wait_panicked", "wait");
            assert_mark(
                &r,
                "done",
                (
                    1000,
                    "done [b=error(panic: division by zero)] pending [a, c]",
                ),
                &tr!(
                    en: "b panics at 1000 ms: FIRST_EXCEPTION returns then, with b's JoinError in \
                         done (wait never raises) and a, c pending",
                    ru: "b паникует в 1000 мс: FIRST_EXCEPTION возвращается тогда же, с JoinError \
                         задачи b в done (wait никогда не паникует) и a, c в pending",
                ),
            );
            assert_each_at(&r, Finished, &[("a", 3000), ("c", 2000)], |_, _, story| {
                story
            });
        })
    }

    #[test]
    fn the_demo_shows_task_5_4() {
        check!(|| demo_part("5.4").assert_matches())
    }
}

mod task_5_5 {
    use super::*;
    use lab5::as_completed::as_completed;

    #[test]
    fn the_futures_run_while_the_consumer_works() {
        check!(|| {
            let r = scenario("as_completed");
            let got: Vec<(u64, String)> = r
                .marks()
                .into_iter()
                .filter(|(_, m)| m.starts_with("got"))
                .collect();
            let values: Vec<&str> = got.iter().map(|(_, m)| m.as_str()).collect();
            assert_eq!(
                values,
                ["got 2", "got 3", "got 1"],
                "{}",
                tr!(
                    en: "as_completed yields in completion order: b (1 s), c (2 s), a (3 s)",
                    ru: "as_completed выдаёт в порядке завершения: b (1 с), c (2 с), a (3 с)",
                )
            );
            assert_each_at(
                &r,
                Finished,
                &[("b", 1000), ("c", 2000), ("a", 3000)],
                |job, end, story| {
                    tr!(
                        en: "the consumer works 1500 ms on each result, and meanwhile the other \
                             futures must run on their own, as asyncio's tasks do: {job} should \
                             finish at {end} ms, but {story}. Futures inside a FuturesUnordered \
                             only run while the stream is polled: spawn them.",
                        ru: "потребитель работает над каждым результатом 1500 мс, а тем временем \
                             остальные футуры должны выполняться сами, как задачи asyncio: {job} \
                             должно закончиться в {end} мс, но {story}. Футуры внутри \
                             FuturesUnordered выполняются, только пока опрашивают поток данных: \
                             породите их.",
                    )
                },
            );
            assert_eq!(
                got.iter().map(|(t, _)| *t).collect::<Vec<_>>(),
                [1000, 2500, 4000],
                "{}",
                tr!(
                    en: "each result is ready when the consumer asks for it (1000, 2500, 4000 ms)",
                    ru: "каждый результат готов, когда потребитель его просит (1000, 2500, 4000 \
                         мс)",
                )
            );
            assert_mark(
                &r,
                "as_completed",
                (5500, "as_completed ended"),
                &tr!(
                    en: "after the last result the stream must end (None)",
                    ru: "после последнего результата поток данных должен закончиться (None)",
                ),
            );
            assert_same_log("as_completed", &r);
        })
    }

    #[test]
    fn completion_order_to_a_fast_consumer() {
        check!(|| {
            let (got, _) = experiment(|s| async move { timed(&s, as_completed(abc(&s))).await });
            assert_eq!(
                got,
                [(1000, Ok(2)), (2000, Ok(3)), (3000, Ok(1))],
                "{}",
                tr!(
                    en: "each result is yielded the moment its future finishes, in completion \
                         order",
                    ru: "каждый результат выдаётся в тот момент, когда его футура заканчивается, \
                         в порядке завершения",
                )
            );
        })
    }

    #[test]
    fn every_future_starts_when_as_completed_is_called() {
        check!(|| {
            let (_, r) = experiment(|s| async move {
                let stream = as_completed(abc(&s));
                // Nobody polls the stream for 500 ms: asyncio's tasks run anyway.
                sleep(Duration::from_millis(500)).await;
                drop(stream);
            });
            assert_each_at(&r, Started, ABC_AT_ONCE, |_, _, story| {
                tr!(
                    en: "as_completed must start every future when it is called (asyncio makes \
                         each a task at once), even before the stream is polled: {story}",
                    ru: "as_completed должна запускать каждую футуру в момент вызова (asyncio \
                         сразу делает из каждой задачу), даже до того, как поток данных начнут \
                         опрашивать: {story}",
                )
            });
        })
    }

    #[test]
    fn a_panic_comes_at_its_turn_and_the_others_run_on() {
        check!(|| {
            let r = case("as_completed_panic");
            assert_eq!(
                marks(&r, &["raised"]),
                [(1000, "raised panic(division by zero)".to_owned())],
                "{}",
                tr!(
                    en: "b panics at 1000 ms, first to finish: the stream must re-raise its panic \
                         when its turn comes (at 1000 ms), not skip it or turn it into a value",
                    ru: "b паникует в 1000 мс, первой: поток данных должен поднять её панику \
                         заново, когда дойдёт её очередь (в 1000 мс), а не пропустить её и не \
                         превратить в значение",
                )
            );
            assert_each_at(&r, Finished, &[("a", 3000), ("c", 2000)], |_, _, story| {
                tr!(
                    en: "after the panic, as in asyncio, the other tasks keep running: {story}. \
                         Re-raising while the JoinSet is inside the stream drops it: detach them \
                         first.",
                    ru: "после паники, как в asyncio, остальные задачи продолжают работать: \
                         {story}. Повторная паника, пока JoinSet внутри потока данных, \
                         выбрасывает его: сначала отпустите их.",
                )
            });
        })
    }

    #[test]
    fn uneven_durations_come_in_completion_order() {
        check!(|| {
            let (got, _) = experiment(|s| async move {
                let jobs = s.jobs(&[("a", 250, 1), ("b", 7000, 2), ("c", 1, 3), ("d", 10, 4)]);
                timed(&s, as_completed(jobs)).await
            });
            assert_eq!(
                got,
                [(1, Ok(3)), (10, Ok(4)), (250, Ok(1)), (7000, Ok(2))],
                "{}",
                tr!(
                    en: "jobs of 250 ms, 7 s, 1 ms and 10 ms: each result the moment it is ready",
                    ru: "задачи по 250 мс, 7 с, 1 мс и 10 мс: каждый результат в момент \
                         готовности",
                )
            );
        })
    }

    #[test]
    fn the_demo_shows_task_5_5() {
        check!(|| demo_part("5.5").assert_matches())
    }
}

mod task_5_6 {
    use super::*;
    use lab5::shield::shield;

    #[test]
    fn the_work_survives_the_callers_timeout() {
        check!(|| {
            let r = scenario("shield");
            assert_mark(
                &r,
                "wait_for",
                (1000, "wait_for raised TimeoutError"),
                &tr!(
                    en: "the caller's timeout still fires at 1000 ms: shield protects the work, \
                         not the wait",
                    ru: "тайм-аут вызывающего всё равно срабатывает в 1000 мс: shield защищает \
                         работу, а не ожидание",
                ),
            );
            assert_never(&r, Cancelled, &["save"], |_, story| {
                tr!(
                    en: "the caller's timeout dropped the shielded future, and the save was \
                         cancelled with it: {story}. A future dies with its owner; spawn the work \
                         so the runtime owns it.",
                    ru: "тайм-аут вызывающего выбросил защищённую футуру, и сохранение отменилось \
                         вместе с ней: {story}. Футура умирает вместе со своим владельцем; \
                         породите работу, чтобы ею владела исполняющая среда.",
                )
            });
            assert_each_at(&r, Finished, &[("save", 2000)], |_, _, story| {
                tr!(
                    en: "the save must finish at 2000 ms: {story}",
                    ru: "сохранение должно закончиться в 2000 мс: {story}",
                )
            });
            assert_same_log("shield", &r);
        })
    }

    #[test]
    fn the_result_can_be_collected_later() {
        check!(|| {
            let r = scenario("shield_collect");
            assert_each_at(&r, Finished, &[("save", 2000)], |_, _, story| {
                tr!(
                    en: "the save must run while the caller sleeps, and finish at 2000 ms, but \
                         {story}. Work that only progresses when the shielded future is polled is \
                         not running on its own: spawn it.",
                    ru: "сохранение должно идти, пока вызывающий спит, и закончиться в 2000 мс, \
                         но {story}. Работа, которая продвигается, только когда опрашивают \
                         защищённую футуру, не выполняется сама: породите её.",
                )
            });
            assert_mark(
                &r,
                "collected",
                (4000, "collected 7"),
                &tr!(
                    en: "awaiting the shielded future later gives the save's result",
                    ru: "если позже дождаться защищённой футуры, она даёт результат сохранения",
                ),
            );
            assert_same_log("shield_collect", &r);
        })
    }

    #[test]
    fn the_work_starts_even_if_never_awaited() {
        check!(|| {
            let (_, r) = experiment(|s| async move {
                drop(shield(s.job("save", 2000, 7)));
            });
            assert_eq!(
                (r.started("save"), r.finished("save")),
                (Some(0), Some(2000)),
                "{}",
                tr!(
                    en: "asyncio's shield schedules the work when it is called: dropped \
                         unawaited, the save must still start at 0 and finish at 2000 ms, but {}. \
                         Spawn in shield itself, not inside the future it returns.",
                    ru: "shield в asyncio планирует работу в момент вызова: даже если результат \
                         выброшен, не дождавшись, сохранение всё равно должно начаться в 0 и \
                         закончиться в 2000 мс, но {}. Порождайте в самой shield, а не внутри \
                         футуры, которую она возвращает.",
                    r.story("save"),
                )
            );
        })
    }

    #[test]
    fn a_panic_of_the_work_comes_back_as_a_panic() {
        check!(|| {
            let r = case("shield_panic");
            assert_mark(
                &r,
                "shield",
                (500, "shield raised panic(division by zero)"),
                &tr!(
                    en: "the shielded work panics at 500 ms: awaiting the shielded future must \
                         re-raise that panic then (resume_unwind with the JoinError's payload)",
                    ru: "защищённая работа паникует в 500 мс: ожидание защищённой футуры должно \
                         тогда же поднять эту панику заново (resume_unwind с полезной нагрузкой \
                         JoinError)",
                ),
            );
        })
    }

    #[test]
    fn the_demo_shows_task_5_6() {
        check!(|| demo_part("5.6").assert_matches())
    }
}

mod task_5_7 {
    use super::*;
    use lab5::bounded::gather_bounded;

    #[test]
    fn at_most_two_at_a_time_the_next_starts_when_a_slot_frees() {
        check!(|| {
            let r = scenario("bounded");
            assert_eq!(
                r.max_in_flight,
                2,
                "{}",
                tr!(
                    en: "with limit 2, at most 2 jobs may run at once and 2 should: {} ran at \
                         once. If more, is each permit held in a named variable while the future \
                         runs (`let _ = ...` drops it at once)?",
                    ru: "при лимите 2 одновременно могут и должны выполняться не больше 2 \
                         задач: одновременно выполнялось {}. Если больше — держится ли каждое \
                         разрешение в именованной переменной, пока выполняется футура (`let _ = \
                         ...` сразу его отпускает)?",
                    r.max_in_flight,
                )
            );
            assert_each_at(
                &r,
                Started,
                &[("a", 0), ("b", 0), ("c", 1000), ("d", 2000), ("e", 3000)],
                |job, start, story| {
                    tr!(
                        en: "{job} should start at {start} ms, the moment a slot frees and it is \
                             next in input order, but {story}. (buffered(limit) keeps a finished \
                             future's slot until the ones before it finish.)",
                        ru: "{job} должно начаться в {start} мс, в момент, когда освобождается \
                             место и оно следующее в порядке входа, но {story}. (buffered(limit) \
                             держит место закончившейся футуры, пока не закончатся стоящие перед \
                             ней.)",
                    )
                },
            );
            assert_mark(
                &r,
                "gather ->",
                (4000, "gather -> [1, 2, 3, 4, 5]"),
                &tr!(
                    en: "the results in input order, all done at 4000 ms",
                    ru: "результаты в порядке входа, всё готово в 4000 мс",
                ),
            );
            assert_same_log("bounded", &r);
        })
    }

    #[test]
    fn limit_one_runs_them_one_after_another() {
        check!(|| {
            let ((out, at), r) = timed_experiment(|s| async move {
                let jobs = s.jobs(&[("a", 1000, 1), ("b", 1000, 2), ("c", 1000, 3)]);
                gather_bounded(jobs, 1).await
            });
            assert_eq!(
                r.max_in_flight,
                1,
                "{}",
                tr!(
                    en: "limit 1: one job at a time, but {} ran at once",
                    ru: "лимит 1: по одной задаче за раз, но одновременно выполнялось {}",
                    r.max_in_flight,
                )
            );
            assert_eq!(
                (out, at),
                (vec![Ok(1), Ok(2), Ok(3)], 3000),
                "{}",
                tr!(
                    en: "three 1 s jobs one after another: 3000 ms",
                    ru: "три задачи по 1 с одна за другой: 3000 мс",
                )
            );
        })
    }

    #[test]
    fn a_limit_above_the_count_runs_them_all_at_once() {
        check!(|| {
            let ((out, at), r) =
                timed_experiment(|s| async move { gather_bounded(abc(&s), 10).await });
            assert_eq!(
                r.max_in_flight,
                3,
                "{}",
                tr!(
                    en: "limit 10 and 3 jobs: all 3 at once, but {} ran at once",
                    ru: "лимит 10 и 3 задачи: все 3 сразу, но одновременно выполнялось {}",
                    r.max_in_flight,
                )
            );
            assert_eq!(
                (out, at),
                (vec![Ok(1), Ok(2), Ok(3)], 3000),
                "{}",
                tr!(
                    en: "results in input order at 3000 ms",
                    ru: "результаты в порядке входа в 3000 мс",
                )
            );
        })
    }

    #[test]
    fn cancelling_it_cancels_the_running_and_never_starts_the_waiting() {
        check!(|| {
            let r = case("bounded_cancelled");
            assert_eq!(r.finished("b"), Some(1000), "{}", r.story("b"));
            assert_each_at(&r, Started, &[("c", 1000)], |_, _, story| {
                tr!(
                    en: "c takes b's slot at 1000 ms: {story}",
                    ru: "c занимает место b в 1000 мс: {story}",
                )
            });
            assert_each_at(&r, Cancelled, &[("a", 1500), ("c", 1500)], |_, _, story| {
                tr!(
                    en: "the caller gave up at 1500 ms: the futures running then must be \
                         cancelled, but {story}. Spawned tasks outlive the gather: keep the \
                         futures inside it.",
                    ru: "вызывающий отказался в 1500 мс: выполнявшиеся тогда футуры должны быть \
                         отменены, но {story}. Порождённые задачи переживают gather: держите \
                         футуры внутри неё.",
                )
            });
            assert_never(&r, Started, &["d"], |_, story| {
                tr!(
                    en: "d was still waiting for a slot when the caller gave up: it must never \
                         start, but {story}",
                    ru: "d ещё ждало места, когда вызывающий отказался: оно никогда не должно \
                         начаться, но {story}",
                )
            });
        })
    }

    #[test]
    fn uneven_durations_fill_each_slot_the_moment_it_frees() {
        check!(|| {
            let ((out, at), r) = timed_experiment(|s| async move {
                let jobs = s.jobs(&[
                    ("a", 7000, 1),
                    ("b", 10, 2),
                    ("c", 250, 3),
                    ("d", 1, 4),
                    ("e", 40, 5),
                ]);
                gather_bounded(jobs, 2).await
            });
            assert_each_at(
                &r,
                Started,
                &[("a", 0), ("b", 0), ("c", 10), ("d", 260), ("e", 261)],
                |job, start, story| {
                    tr!(
                        en: "limit 2, jobs of 7 s, 10 ms, 250 ms, 1 ms, 40 ms: {job} starts at \
                             {start} ms, when a slot frees, but {story}",
                        ru: "лимит 2, задачи по 7 с, 10 мс, 250 мс, 1 мс, 40 мс: {job} \
                             начинается в {start} мс, когда освобождается место, но {story}",
                    )
                },
            );
            assert_eq!(
                (out, at),
                (vec![Ok(1), Ok(2), Ok(3), Ok(4), Ok(5)], 7000),
                "{}",
                tr!(
                    en: "results in input order when the 7 s job ends",
                    ru: "результаты в порядке входа, когда заканчивается 7-секундная задача",
                )
            );
        })
    }

    #[test]
    fn the_demo_shows_task_5_7() {
        check!(|| demo_part("5.7").assert_matches())
    }
}

mod task_5_8 {
    use super::*;
    use lab5::mirrors::{MirrorError, fetch_and_save};

    #[test]
    fn the_first_success_wins_and_the_losers_are_cancelled() {
        check!(|| {
            let r = scenario("mirrors");
            assert_mark(
                &r,
                "fetch_and_save",
                (3500, "fetch_and_save -> (2, 12)"),
                &tr!(
                    en: "m1 fails at 1000 ms (skip it), m2 answers 12 at 2000 ms and wins, then \
                         the 1.5 s save: (2, 12) at 3500 ms. Did the failure of m1 end the race, \
                         or the deadline end the save?",
                    ru: "m1 падает в 1000 мс (пропустите его), m2 отвечает 12 в 2000 мс и \
                         побеждает, затем сохранение на 1,5 с: (2, 12) в 3500 мс. Не закончила ли \
                         ошибка m1 гонку, или срок — сохранение?",
                ),
            );
            assert_each_at(&r, Cancelled, &[("m0", 2000)], |_, _, story| {
                tr!(
                    en: "m0 must be cancelled as soon as m2 wins (2000 ms), its download is no \
                         use: {story}",
                    ru: "m0 должно быть отменено, как только побеждает m2 (2000 мс), его загрузка \
                         больше не нужна: {story}",
                )
            });
            assert_eq!(
                (r.started("save"), r.finished("save")),
                (Some(2000), Some(3500)),
                "{}",
                tr!(
                    en: "the save starts with m2's answer and takes 1500 ms: {}",
                    ru: "сохранение начинается с ответом m2 и занимает 1500 мс: {}",
                    r.story("save"),
                )
            );
            assert_same_log("mirrors", &r);
        })
    }

    #[test]
    fn at_the_deadline_every_mirror_is_cancelled() {
        check!(|| {
            let r = scenario("mirrors_deadline");
            assert_mark(
                &r,
                "fetch_and_save",
                (2000, "fetch_and_save raised TimeoutError"),
                &tr!(
                    en: "no mirror succeeds within the 2000 ms deadline: \
                         Err(MirrorError::Deadline) at 2000 ms",
                    ru: "ни одно зеркало не успевает к сроку 2000 мс: Err(MirrorError::Deadline) \
                         в 2000 мс",
                ),
            );
            assert_each_at(
                &r,
                Cancelled,
                &[("m0", 2000), ("m2", 2000)],
                |_, _, story| {
                    tr!(
                        en: "at the deadline the mirrors still running must be cancelled, but \
                             {story}. Forgotten spawned tasks keep downloading.",
                        ru: "к сроку ещё работающие зеркала должны быть отменены, но {story}. \
                             Забытые порождённые задачи продолжают загрузку.",
                    )
                },
            );
            assert_never(&r, Started, &["save"], |_, story| {
                tr!(
                    en: "nothing to save, but {story}",
                    ru: "сохранять нечего, но {story}",
                )
            });
            assert_same_log("mirrors_deadline", &r);
        })
    }

    #[test]
    fn the_save_survives_the_caller_giving_up() {
        check!(|| {
            let r = scenario("mirrors_give_up");
            assert_mark(
                &r,
                "wait_for",
                (3000, "wait_for raised TimeoutError"),
                &tr!(
                    en: "the caller gives up at 3000 ms, during the save",
                    ru: "вызывающий отказывается в 3000 мс, во время сохранения",
                ),
            );
            assert_never(&r, Cancelled, &["save"], |_, story| {
                tr!(
                    en: "the save must not be lost when the caller gives up, but {story}. Spawn \
                         it and await its handle: a dropped handle does not stop its task.",
                    ru: "сохранение не должно теряться, когда вызывающий отказывается, но \
                         {story}. Породите его и дождитесь его дескриптора: выброшенный \
                         дескриптор не останавливает свою задачу.",
                )
            });
            assert_eq!(r.finished("save"), Some(3500), "{}", r.story("save"));
            assert_eq!(r.cancelled("m0"), Some(2000), "{}", r.story("m0"));
            assert_same_log("mirrors_give_up", &r);
        })
    }

    #[test]
    fn when_every_mirror_fails_their_errors_come_back_in_mirror_order() {
        check!(|| {
            let ((out, at), r) = timed_experiment(|s| async move {
                let mirrors = vec![
                    s.failing_job("m0", 300, "m0 down"),
                    s.failing_job("m1", 100, "m1 down"),
                    s.failing_job("m2", 200, "m2 down"),
                ];
                let scene = s.clone();
                let save = move |v: u32| scene.job("save", 1000, v);
                fetch_and_save(mirrors, Duration::from_millis(5000), save).await
            });
            let errors = ["m0 down", "m1 down", "m2 down"]
                .map(|e| JobError(e.to_owned()))
                .to_vec();
            assert_eq!(
                out,
                Err(MirrorError::AllFailed(errors)),
                "{}",
                tr!(
                    en: "every mirror fails: AllFailed with the errors in mirror order (m0, m1, \
                         m2)",
                    ru: "все зеркала падают: AllFailed с ошибками в порядке зеркал (m0, m1, m2)",
                )
            );
            assert_eq!(
                at,
                300,
                "{}",
                tr!(
                    en: "the last mirror fails at 300 ms: there is nothing left to wait for",
                    ru: "последнее зеркало падает в 300 мс: ждать больше нечего",
                )
            );
            assert_never(
                &r,
                Started,
                &["save"],
                |_, story| tr!(en: "nothing to save: {story}", ru: "сохранять нечего: {story}"),
            );
        })
    }

    #[test]
    fn a_caller_giving_up_during_the_race_cancels_every_mirror() {
        check!(|| {
            let (out, r) = experiment(|s| async move {
                let mirrors = s.jobs(&[("m0", 3000, 10), ("m1", 7000, 11), ("m2", 2000, 12)]);
                let scene = s.clone();
                let save = move |v: u32| scene.job("save", 1000, v);
                let fetched = fetch_and_save(mirrors, Duration::from_millis(5000), save);
                tokio::time::timeout(Duration::from_millis(500), fetched)
                    .await
                    .is_err()
            });
            assert!(
                out,
                "{}",
                tr!(
                    en: "the caller gives up at 500 ms, before any mirror answers",
                    ru: "вызывающий отказывается в 500 мс, до ответа любого зеркала",
                )
            );
            assert_each_at(
                &r,
                Cancelled,
                &[("m0", 500), ("m1", 500), ("m2", 500)],
                |_, _, story| {
                    tr!(
                        en: "the caller gave up on fetch_and_save at 500 ms, during the race: the \
                             mirrors must be cancelled then, but {story}. Spawned tasks outlive a \
                             dropped future; a JoinSet aborts them when it is dropped.",
                        ru: "вызывающий отказался от fetch_and_save в 500 мс, во время гонки: \
                             зеркала должны быть тогда же отменены, но {story}. Порождённые \
                             задачи переживают выброшенную футуру; JoinSet прерывает их при \
                             выбрасывании.",
                    )
                },
            );
            assert_eq!(r.started("save"), None, "{}", r.story("save"));
        })
    }

    #[test]
    fn the_demo_shows_task_5_8() {
        // Only the virtual-time experiments are compared. The same program on real sockets,
        // which the demo prints last, is real time: on a busy machine its story can change
        // (m2's 150 ms answer against the caller's 350 ms), and the checks above already
        // hold every rule it shows.
        let real_sockets = r"(?s)\n  ▸ the same program on real sockets.*";
        check!(|| demo_part("5.8")
            .filters(&[(real_sockets, "")])
            .assert_matches())
    }
}

mod task_5_9 {
    use super::*;
    use lab5::timeouts::{as_completed_timeout, wait_timeout};
    use lab5::wait::{ReturnWhen, Tasks};

    #[test]
    fn wait_with_a_timeout_returns_what_is_done_and_cancels_nothing() {
        check!(|| {
            let r = case_without_panic("wait_timeout", "wait_timeout");
            assert_mark(
                &r,
                "done",
                (1500, "done [b=2] pending [a, c]"),
                &tr!(
                    en: "wait(ALL_COMPLETED, timeout=1500 ms) over a (3 s), b (1 s), c (2 s): \
                         back at the timeout, 1500 ms, with b done and a, c pending. Did the \
                         timeout drop the whole wait (and its done list), or wait past it?",
                    ru: "wait(ALL_COMPLETED, timeout=1500 мс) над a (3 с), b (1 с), c (2 с): \
                         возврат по тайм-ауту, в 1500 мс, b в done, a и c в pending. Не выбросил \
                         ли тайм-аут всё ожидание (вместе со списком done), или оно ждало дольше?",
                ),
            );
            assert_each_at(&r, Finished, &[("a", 3000), ("c", 2000)], |_, _, story| {
                tr!(
                    en: "a timeout of wait cancels nothing: the pending tasks run on, but {story}",
                    ru: "тайм-аут wait ничего не отменяет: ожидающие задачи продолжают работать, \
                         но {story}",
                )
            });
            let r = case_without_panic("wait_timeout_first_completed", "wait_timeout");
            assert_mark(
                &r,
                "done",
                (500, "done [] pending [a, b, c]"),
                &tr!(
                    en: "FIRST_COMPLETED with a 500 ms timeout: nothing is done by then, so wait \
                         returns at 500 ms with every task pending (a timeout is not an error)",
                    ru: "FIRST_COMPLETED с тайм-аутом 500 мс: к этому времени ничего не готово, \
                         поэтому wait возвращается в 500 мс со всеми задачами в pending (тайм-аут \
                         — не ошибка)",
                ),
            );
        })
    }

    #[test]
    fn wait_without_a_timeout_waits_as_long_as_it_takes() {
        check!(|| {
            let r = case_without_panic("wait_timeout_none", "wait_timeout");
            assert_mark(
                &r,
                "done",
                (3000, "done [a=1, b=2, c=3] pending []"),
                &tr!(
                    en: "timeout None: no deadline, ALL_COMPLETED returns at 3000 ms with every \
                         task done",
                    ru: "timeout None: срока нет, ALL_COMPLETED возвращается в 3000 мс, все \
                         задачи в done",
                ),
            );
            let ((sizes, at), _) = timed_experiment(|s| async move {
                let tasks: Tasks<usize, u32, JobError> = vec![s.job("x", 4000, 1)]
                    .into_iter()
                    .map(tokio::spawn)
                    .enumerate()
                    .collect();
                let (done, pending) = wait_timeout(
                    tasks,
                    ReturnWhen::FirstCompleted,
                    Some(Duration::from_millis(5000)),
                )
                .await;
                (done.len(), pending.len())
            });
            assert_eq!(
                (sizes, at),
                ((1, 0), 4000),
                "{}",
                tr!(
                    en: "a task of 4 s within a 5 s timeout: wait returns when it finishes, at \
                         4000 ms",
                    ru: "задача на 4 с при тайм-ауте 5 с: wait возвращается, когда она \
                         заканчивается, в 4000 мс",
                )
            );
        })
    }

    #[test]
    fn as_completed_with_a_timeout_raises_for_each_task_left_which_runs_on() {
        check!(|| {
            let r = case("as_completed_timeout");
            let got = marks(&r, &["got", "raised"]);
            assert_eq!(
                got,
                [
                    (1000, "got 2".to_owned()),
                    (1500, "raised TimeoutError".to_owned()),
                    (1500, "raised TimeoutError".to_owned()),
                ],
                "{}",
                tr!(
                    en: "timeout 1500 ms over a (3 s), b (1 s), c (2 s): b's result at 1000 ms, \
                         then one TimeoutError for each task not done at the deadline, at the \
                         deadline",
                    ru: "тайм-аут 1500 мс над a (3 с), b (1 с), c (2 с): результат b в 1000 мс, \
                         затем по одному TimeoutError на каждую задачу, не готовую к сроку, в \
                         момент срока",
                )
            );
            assert_mark(
                &r,
                "as_completed ended",
                (1500, "as_completed ended"),
                &tr!(
                    en: "after one item per task the stream must end",
                    ru: "после одного элемента на задачу поток данных должен закончиться",
                ),
            );
            assert_each_at(&r, Finished, &[("a", 3000), ("c", 2000)], |_, _, story| {
                tr!(
                    en: "asyncio's as_completed does not cancel the tasks that timed out: they \
                         run on, but {story}. JoinSet::detach_all lets them go.",
                    ru: "as_completed в asyncio не отменяет задачи, у которых вышло время: они \
                         продолжают работать, но {story}. JoinSet::detach_all отпускает их.",
                )
            });
        })
    }

    #[test]
    fn as_completed_with_a_timeout_judges_by_when_each_task_finished() {
        check!(|| {
            let r = case("as_completed_timeout_late");
            let got = marks(&r, &["got", "raised"]);
            assert_eq!(
                got,
                [
                    (1000, "got 2".to_owned()),
                    (3000, "raised TimeoutError".to_owned()),
                    (5000, "raised TimeoutError".to_owned()),
                ],
                "{}",
                tr!(
                    en: "the consumer works 2 s after each item: at 3000 ms c has finished, but \
                         at 2000 ms, after the 1500 ms deadline, so it counts as timed out \
                         (asyncio queued a TimeoutError for it at 1500 ms)",
                    ru: "потребитель работает 2 с после каждого элемента: к 3000 мс c \
                         закончилась, но в 2000 мс, после срока 1500 мс, поэтому считается \
                         просроченной (asyncio поставил для неё в очередь TimeoutError в 1500 мс)",
                )
            );
            let r = case("as_completed_timeout_none");
            let got: Vec<String> = r
                .marks()
                .into_iter()
                .map(|(_, m)| m)
                .filter(|m| m.starts_with("got"))
                .collect();
            assert_eq!(
                got,
                ["got 2", "got 3", "got 1"],
                "{}",
                tr!(
                    en: "timeout None: every result, in completion order",
                    ru: "timeout None: каждый результат, в порядке завершения",
                )
            );
        })
    }

    #[test]
    fn a_result_in_by_the_deadline_is_yielded_even_when_read_late() {
        check!(|| {
            let (got, _) = experiment(|s| async move {
                let stream = as_completed_timeout(abc(&s), Some(Duration::from_millis(1500)));
                // The consumer looks only at 2000 ms, after the deadline.
                sleep(Duration::from_millis(2000)).await;
                timed(&s, stream.map(Result::ok)).await
            });
            assert_eq!(
                got,
                [(2000, Some(Ok(2))), (2000, None), (2000, None)],
                "{}",
                tr!(
                    en: "b finished at 1000 ms, within the 1500 ms timeout: read at 2000 ms it is \
                         still a result (CPython 3.13's as_completed queued it at 1000 ms), then \
                         one TimeoutError for a and one for c. Judge each task by when it \
                         finished, not by when the consumer asks.",
                    ru: "b закончилась в 1000 мс, в пределах тайм-аута 1500 мс: прочитанная в \
                         2000 мс, она всё равно результат (as_completed из CPython 3.13 поставил \
                         его в очередь в 1000 мс), затем по одному TimeoutError для a и для c. \
                         Судите о каждой задаче по тому, когда она закончилась, а не когда \
                         спрашивает потребитель.",
                )
            );
        })
    }

    #[test]
    fn as_completed_with_a_timeout_starts_everything_at_once() {
        check!(|| {
            let (got, r) = experiment(|s| async move {
                let stream = as_completed_timeout(abc(&s), Some(Duration::from_millis(5000)));
                sleep(Duration::from_millis(500)).await;
                timed(&s, stream.map(Result::ok)).await
            });
            assert_each_at(&r, Started, ABC_AT_ONCE, |_, _, story| {
                tr!(
                    en: "every future starts when as_completed_timeout is called: {story}",
                    ru: "каждая футура начинается в момент вызова as_completed_timeout: {story}",
                )
            });
            assert_eq!(
                got,
                [
                    (1000, Some(Ok(2))),
                    (2000, Some(Ok(3))),
                    (3000, Some(Ok(1)))
                ],
                "{}",
                tr!(
                    en: "all three finish within 5 s: their results in completion order",
                    ru: "все три заканчиваются в пределах 5 с: их результаты в порядке завершения",
                )
            );
        })
    }
}
