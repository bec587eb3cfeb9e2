//! Hidden checks of Lab 5 — the instructor's edition only.
//!
//! The same tasks as `checker/tests/lab5.rs`, with durations, counts, limits and deadlines
//! the students never see, ties at the same virtual instant, panics and cancellations in
//! other places: a solution tuned to the public scenarios (a hard-coded order, a timeout
//! that only works for 1500 ms) fails these; a correct one passes both.
//!
//! Mounted like Lab 1's (see `checker/hidden/lab1.rs`): a `[[test]] lab5_hidden` target,
//! built after the student's crate, never in the handout.
//!
//! Rules (same as the public checks): virtual time only (tokio's paused clock), exact
//! values, every legal interleaving accepted; each check belongs to one `mod task_N_K`.

use checker::{check, lab5};
use futures::{FutureExt, StreamExt};
use lab5::scene::{Job, JobError, Record, Scene, panic_message};
use lab5::wait::Tasks;
use model::tr;
use std::panic::AssertUnwindSafe;
use std::time::Duration;
use tokio::time::{sleep, timeout};

#[path = "../tests/support/lab5.rs"]
mod shared;
use shared::{experiment, now_ms, timed_experiment};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A job that sleeps `ms` then panics with `message` (no drop guard: only its start shows).
fn buggy(s: &Scene, name: &str, ms_: u64, message: &'static str) -> Job {
    let inner = s.job(name, ms_, 0);
    Box::pin(async move {
        let _ = inner.await;
        panic!("{message}");
    })
}

/// Each job spawned as a task, keyed by its place.
fn spawned(jobs: Vec<Job>) -> Tasks<usize, u32, JobError> {
    jobs.into_iter().map(tokio::spawn).enumerate().collect()
}

/// Jobs p and s finished at `p_ms` and `s_ms`; `why` starts the failure message.
fn assert_p_and_s_finished(r: &Record, (p_ms, s_ms): (u64, u64), why: &str) {
    assert_eq!(
        (r.finished("p"), r.finished("s")),
        (Some(p_ms), Some(s_ms)),
        "{why}: {}; {}",
        r.story("p"),
        r.story("s")
    );
}

/// Five jobs: p 700 → 10, q 70 → 20, r 7 → 30, s 1700 → 40, t 170 → 50.
fn pqrst(s: &Scene) -> Vec<Job> {
    s.jobs(&[
        ("p", 700, 10),
        ("q", 70, 20),
        ("r", 7, 30),
        ("s", 1700, 40),
        ("t", 170, 50),
    ])
}

mod task_5_1 {
    use super::*;
    use lab5::gather::{gather, gather_tasks};

    #[test]
    fn five_jobs_input_order_and_a_cancel_at_an_odd_time() {
        check!(|| {
            let ((out, at), _) = timed_experiment(|s| async move { gather(pqrst(&s)).await });
            assert_eq!(
                (out, at),
                (vec![Ok(10), Ok(20), Ok(30), Ok(40), Ok(50)], 1700),
                "{}",
                tr!(
                    en: "gather of 700, 70, 7, 1700, 170 ms: input order, done at 1700 ms",
                    ru: "gather по 700, 70, 7, 1700, 170 мс: порядок входа, готово в 1700 мс",
                )
            );
            let (_, r) =
                experiment(|s| async move { timeout(ms(333), gather(pqrst(&s))).await.is_err() });
            for (job, fate) in [("p", r.cancelled("p")), ("s", r.cancelled("s"))] {
                assert_eq!(
                    fate,
                    Some(333),
                    "{}",
                    tr!(
                        en: "the gather was dropped at 333 ms: {}",
                        ru: "gather выбросили в 333 мс: {}",
                        r.story(job),
                    )
                );
            }
            assert_eq!(r.finished("t"), Some(170), "{}", r.story("t"));
        })
    }

    #[test]
    fn a_gather_of_tasks_dropped_at_an_odd_time_aborts_the_rest() {
        check!(|| {
            let (_, r) = experiment(|s| async move {
                let tasks = pqrst(&s).into_iter().map(tokio::spawn).collect();
                timeout(ms(777), gather_tasks(tasks)).await.is_err()
            });
            assert_eq!(
                r.cancelled("s"),
                Some(777),
                "{}",
                tr!(
                    en: "gather_tasks dropped at 777 ms must abort the task still running: {}",
                    ru: "gather_tasks, выброшенная в 777 мс, должна прервать ещё работающую \
                         задачу: {}",
                    r.story("s"),
                )
            );
            assert_eq!(r.finished("p"), Some(700), "{}", r.story("p"));
        })
    }
}

mod task_5_2 {
    use super::*;
    use lab5::gather::{Raised, gather_return_exceptions, try_gather};

    #[test]
    fn an_early_error_among_five_and_a_late_panic() {
        check!(|| {
            let ((out, at), r) = timed_experiment(|s| async move {
                let jobs = vec![
                    s.job("p", 900, 1),
                    s.failing_job("q", 333, "q broke"),
                    buggy(&s, "z", 600, "late bug"),
                    s.job("s", 1200, 4),
                ];
                AssertUnwindSafe(try_gather(jobs)).catch_unwind().await.ok()
            });
            assert_eq!(
                (out, at),
                (Some(Err(JobError("q broke".to_owned()))), 333),
                "{}",
                tr!(
                    en: "q fails first, at 333 ms: its error then",
                    ru: "q падает первой, в 333 мс: тогда же её ошибка",
                )
            );
            assert_p_and_s_finished(
                &r,
                (900, 1200),
                &tr!(
                    en: "the siblings keep running after the first error",
                    ru: "соседи продолжают работать после первой ошибки",
                ),
            );
        })
    }

    #[test]
    fn two_errors_and_a_panic_each_in_its_slot() {
        check!(|| {
            let ((out, at), r) = timed_experiment(|s| async move {
                let jobs = vec![
                    s.failing_job("p", 50, "p broke"),
                    buggy(&s, "z", 20, "bad index"),
                    s.job("q", 400, 7),
                    s.failing_job("r", 400, "r broke"),
                ];
                gather_return_exceptions(jobs).await
            });
            assert_eq!(
                out,
                vec![
                    Err(Raised::Error(JobError("p broke".to_owned()))),
                    Err(Raised::Panic("bad index".to_owned())),
                    Ok(7),
                    Err(Raised::Error(JobError("r broke".to_owned()))),
                ],
                "{}",
                tr!(
                    en: "every outcome in its slot, the panic's message included",
                    ru: "каждый исход в своей ячейке, включая сообщение паники",
                )
            );
            assert_eq!(
                at,
                400,
                "{}",
                tr!(
                    en: "return_exceptions waits for all: 400 ms, not {at}",
                    ru: "return_exceptions ждёт всех: 400 мс, а не {at}",
                )
            );
            assert_eq!(r.finished("q"), Some(400), "{}", r.story("q"));
        })
    }
}

mod task_5_3 {
    use super::*;
    use lab5::wait_for::{TimeoutError, wait_for, wait_for_task};

    #[test]
    fn a_tie_at_250_ms_and_a_result_one_ms_earlier() {
        check!(|| {
            let ((tie, early), r) = experiment(|s| async move {
                let tie = wait_for(s.job("tie", 250, 1), ms(250)).await;
                let early = wait_for(s.job("early", 249, 2), ms(250)).await;
                (tie, early)
            });
            assert_eq!(
                tie,
                Err(TimeoutError),
                "{}",
                tr!(
                    en: "work of 250 ms within 250 ms has timed out (asyncio)",
                    ru: "работа на 250 мс в пределах 250 мс получила тайм-аут (asyncio)",
                )
            );
            assert_eq!(r.cancelled("tie"), Some(250), "{}", r.story("tie"));
            assert_eq!(
                early,
                Ok(Ok(2)),
                "{}",
                tr!(
                    en: "work of 249 ms within 250 ms gives its result",
                    ru: "работа на 249 мс в пределах 250 мс даёт свой результат",
                )
            );
        })
    }

    #[test]
    fn a_zero_timeout_on_a_task_and_a_panicking_task() {
        check!(|| {
            let ((zero, bug), r) = experiment(|s| async move {
                let running = tokio::spawn(s.job("running", 50, 1));
                sleep(ms(10)).await;
                let zero = wait_for_task(running, Duration::ZERO).await;
                let bug = tokio::spawn(buggy(&s, "z", 30, "task bug"));
                let bug = AssertUnwindSafe(wait_for_task(bug, ms(5000)))
                    .catch_unwind()
                    .await
                    .map_err(|p| (panic_message(p.as_ref()), now_ms(&s)));
                (zero, bug.map(|_| ()))
            });
            assert_eq!(
                zero,
                Err(TimeoutError),
                "{}",
                tr!(
                    en: "a zero timeout on a running task times out",
                    ru: "нулевой тайм-аут для работающей задачи истекает",
                )
            );
            assert_eq!(r.cancelled("running"), Some(10), "{}", r.story("running"));
            assert_eq!(
                bug,
                Err(("task bug".to_owned(), 40)),
                "{}",
                tr!(
                    en: "the task's own panic, re-raised at 40 ms",
                    ru: "собственная паника задачи, поднятая заново в 40 мс",
                )
            );
        })
    }
}

mod task_5_4 {
    use super::*;
    use lab5::wait::{ReturnWhen, Tasks, wait};

    #[test]
    fn first_completed_takes_every_task_that_finished_at_the_same_instant() {
        check!(|| {
            let ((done, pending, at), _) = experiment(|s| async move {
                let jobs = s.jobs(&[("w", 420, 1), ("x", 420, 2), ("y", 900, 3), ("z", 420, 4)]);
                let tasks = spawned(jobs);
                let (done, pending) = wait(tasks, ReturnWhen::FirstCompleted).await;
                let mut done: Vec<usize> = done.into_iter().map(|(i, _)| i).collect();
                done.sort();
                (done, pending.len(), now_ms(&s))
            });
            assert_eq!(
                (done, pending, at),
                (vec![0, 1, 3], 1, 420),
                "{}",
                tr!(
                    en: "three tasks finish together at 420 ms: all three are in done",
                    ru: "три задачи заканчиваются вместе в 420 мс: все три в done",
                )
            );
        })
    }

    #[test]
    fn a_task_aborted_by_someone_else_completes_a_first_completed_wait() {
        check!(|| {
            let ((outcome, at), r) = experiment(|s| async move {
                let tasks: Tasks<&str, u32, JobError> = vec![
                    ("x", tokio::spawn(s.job("x", 800, 1))),
                    ("y", tokio::spawn(s.job("y", 900, 2))),
                ];
                let abort = tasks[0].1.abort_handle();
                tokio::spawn(async move {
                    sleep(ms(130)).await;
                    abort.abort();
                });
                let waited = AssertUnwindSafe(wait(tasks, ReturnWhen::FirstCompleted))
                    .catch_unwind()
                    .await;
                let outcome = waited.map(|(done, _)| {
                    done.into_iter()
                        .map(|(n, o)| (n, o.is_err_and(|e| e.is_cancelled())))
                        .collect::<Vec<_>>()
                });
                (outcome.map_err(|p| panic_message(p.as_ref())), now_ms(&s))
            });
            assert_eq!(
                (outcome, at),
                (Ok(vec![("x", true)]), 130),
                "{}",
                tr!(
                    en: "x aborted by someone else at 130 ms is done (cancelled); wait returns \
                         then, no panic",
                    ru: "x, прерванная кем-то другим в 130 мс, завершена (отменена); wait \
                         возвращается тогда же, без паники",
                )
            );
            assert_eq!(r.finished("y"), Some(900), "{}", r.story("y"));
        })
    }
}

mod task_5_5 {
    use super::*;
    use lab5::as_completed::as_completed;

    #[test]
    fn five_jobs_and_a_slow_consumer() {
        check!(|| {
            let (got, r) = experiment(|s| async move {
                let mut stream = as_completed(pqrst(&s));
                let mut got = Vec::new();
                while let Some(out) = stream.next().await {
                    got.push((now_ms(&s), out));
                    sleep(ms(100)).await;
                }
                got
            });
            assert_eq!(
                got,
                [
                    (7, Ok(30)),
                    (107, Ok(20)),
                    (207, Ok(50)),
                    (700, Ok(10)),
                    (1700, Ok(40))
                ],
                "{}",
                tr!(
                    en: "completion order, each available as soon as both it and the consumer are \
                         ready",
                    ru: "порядок завершения, каждый доступен, как только готовы и он, и \
                         потребитель",
                )
            );
            assert_eq!(
                r.finished("q"),
                Some(70),
                "{}",
                tr!(
                    en: "q runs while the consumer works: {}",
                    ru: "q выполняется, пока работает потребитель: {}",
                    r.story("q"),
                )
            );
        })
    }
}

mod task_5_6 {
    use super::*;
    use lab5::shield::shield;

    #[test]
    fn two_timeouts_on_the_same_shielded_work_then_its_result() {
        check!(|| {
            let ((first, second, out), r) = experiment(|s| async move {
                let mut shielded = shield(s.job("save", 640, 9));
                let first = timeout(ms(100), &mut shielded).await.is_err();
                let second = timeout(ms(100), &mut shielded).await.is_err();
                let out = shielded.await;
                (first, second, (out, now_ms(&s)))
            });
            assert!(
                first && second,
                "{}",
                tr!(
                    en: "both 100 ms timeouts fire",
                    ru: "оба 100-миллисекундных тайм-аута срабатывают",
                )
            );
            assert_eq!(
                out,
                (Ok(9), 640),
                "{}",
                tr!(
                    en: "awaited later, the shielded work gives 9 at 640 ms",
                    ru: "если дождаться позже, защищённая работа даёт 9 в 640 мс",
                )
            );
            assert_eq!(r.cancelled("save"), None, "{}", r.story("save"));
        })
    }
}

mod task_5_7 {
    use super::*;
    use lab5::bounded::gather_bounded;

    #[test]
    fn limit_three_over_seven_uneven_jobs() {
        check!(|| {
            let ((out, at), r) = timed_experiment(|s| async move {
                let jobs = [
                    ("j0", 500),
                    ("j1", 50),
                    ("j2", 300),
                    ("j3", 20),
                    ("j4", 700),
                    ("j5", 10),
                    ("j6", 90),
                ]
                .iter()
                .enumerate()
                .map(|(i, (n, d))| s.job(n, *d, i as u32))
                .collect();
                gather_bounded(jobs, 3).await
            });
            assert_eq!(
                r.max_in_flight,
                3,
                "{}",
                tr!(
                    en: "limit 3: exactly 3 at most, {} seen",
                    ru: "лимит 3: не больше ровно 3, замечено {}",
                    r.max_in_flight,
                )
            );
            for (job, start) in [("j3", 50), ("j4", 70), ("j5", 300), ("j6", 310)] {
                assert_eq!(r.started(job), Some(start), "{job}: {}", r.story(job));
            }
            assert_eq!(
                (out, at),
                ((0..7).map(Ok).collect::<Vec<_>>(), 770),
                "{}",
                tr!(en: "input order, done at 770 ms", ru: "порядок входа, готово в 770 мс")
            );
        })
    }
}

mod task_5_8 {
    use super::*;
    use lab5::mirrors::fetch_and_save;

    #[test]
    fn four_mirrors_two_failures_then_a_winner() {
        check!(|| {
            let ((out, at), r) = timed_experiment(|s| async move {
                let mirrors = vec![
                    s.failing_job("m0", 40, "m0 down"),
                    s.job("m1", 900, 1),
                    s.failing_job("m2", 90, "m2 down"),
                    s.job("m3", 450, 3),
                ];
                let scene = s.clone();
                let out = fetch_and_save(mirrors, ms(600), move |v| scene.job("save", 25, v)).await;
                out.map_err(|e| e.to_string())
            });
            assert_eq!(
                (out, at),
                (Ok((3, Ok(3))), 475),
                "{}",
                tr!(
                    en: "m3 wins at 450 ms, then a 25 ms save",
                    ru: "m3 побеждает в 450 мс, затем сохранение на 25 мс",
                )
            );
            assert_eq!(r.cancelled("m1"), Some(450), "{}", r.story("m1"));
        })
    }
}

mod task_5_9 {
    use super::*;
    use lab5::timeouts::{as_completed_timeout, wait_timeout};
    use lab5::wait::ReturnWhen;

    #[test]
    fn wait_with_a_310_ms_timeout_over_five_tasks() {
        check!(|| {
            let ((done, pending, at), r) = experiment(|s| async move {
                let tasks = spawned(pqrst(&s));
                let (done, pending) =
                    wait_timeout(tasks, ReturnWhen::AllCompleted, Some(ms(310))).await;
                let mut done: Vec<usize> = done.into_iter().map(|(i, _)| i).collect();
                done.sort();
                let mut pending: Vec<usize> = pending.into_iter().map(|(i, _)| i).collect();
                pending.sort();
                (done, pending, now_ms(&s))
            });
            assert_eq!(
                (done, pending, at),
                (vec![1, 2, 4], vec![0, 3], 310),
                "{}",
                tr!(
                    en: "at 310 ms q, r, t are done, p and s pending",
                    ru: "в 310 мс q, r, t в done, p и s в pending",
                )
            );
            assert_eq!(
                r.finished("s"),
                Some(1700),
                "{}",
                tr!(en: "nothing is cancelled: {}", ru: "ничего не отменяется: {}", r.story("s"))
            );
        })
    }

    #[test]
    fn first_exception_with_a_timeout_returns_at_the_error_or_at_the_end() {
        check!(|| {
            // q fails at 70 ms: FIRST_EXCEPTION returns then, long before the 5000 ms timeout.
            let (at_error, _) = experiment(|s| async move {
                let mut jobs = pqrst(&s);
                jobs[1] = s.failing_job("q", 70, "q failed");
                let tasks = spawned(jobs);
                let (done, pending) =
                    wait_timeout(tasks, ReturnWhen::FirstException, Some(ms(5000))).await;
                let mut done: Vec<usize> = done.into_iter().map(|(i, _)| i).collect();
                done.sort();
                (done, pending.len(), now_ms(&s))
            });
            assert_eq!(
                at_error,
                (vec![1, 2], 3, 70),
                "{}",
                tr!(
                    en: "FIRST_EXCEPTION with a timeout: back when q fails at 70 ms, with r (7 \
                         ms) and q done",
                    ru: "FIRST_EXCEPTION с тайм-аутом: возврат, когда q падает в 70 мс, r (7 мс) \
                         и q в done",
                )
            );
            // No failure: it waits for every task (all done at 1700 ms, before the timeout).
            let (no_error, _) = experiment(|s| async move {
                let tasks = spawned(pqrst(&s));
                let (done, pending) =
                    wait_timeout(tasks, ReturnWhen::FirstException, Some(ms(5000))).await;
                (done.len(), pending.len(), now_ms(&s))
            });
            assert_eq!(
                no_error,
                (5, 0, 1700),
                "{}",
                tr!(
                    en: "FIRST_EXCEPTION with no failure waits like ALL_COMPLETED: every task \
                         done at 1700 ms",
                    ru: "FIRST_EXCEPTION без ошибок ждёт как ALL_COMPLETED: все задачи готовы в \
                         1700 мс",
                )
            );
        })
    }

    #[test]
    fn as_completed_within_a_long_timeout_never_times_out() {
        check!(|| {
            let (got, _) = experiment(|s| async move {
                let mut stream = as_completed_timeout(pqrst(&s), Some(ms(5000)));
                let mut got = Vec::new();
                while let Some(out) = stream.next().await {
                    got.push(out.ok().map(|o| o.ok()));
                }
                got
            });
            assert_eq!(
                got,
                [
                    Some(Some(30)),
                    Some(Some(20)),
                    Some(Some(50)),
                    Some(Some(10)),
                    Some(Some(40))
                ],
                "{}",
                tr!(
                    en: "every job ends before 5000 ms: five results in completion order, no \
                         TimeoutError",
                    ru: "каждая задача заканчивается до 5000 мс: пять результатов в порядке \
                         завершения, без TimeoutError",
                )
            );
        })
    }

    #[test]
    fn as_completed_with_a_400_ms_timeout_over_five_jobs() {
        check!(|| {
            let (got, r) = experiment(|s| async move {
                let mut stream = as_completed_timeout(pqrst(&s), Some(ms(400)));
                let mut got = Vec::new();
                while let Some(out) = stream.next().await {
                    got.push((now_ms(&s), out.ok().map(|o| o.ok())));
                }
                got
            });
            assert_eq!(
                got,
                [
                    (7, Some(Some(30))),
                    (70, Some(Some(20))),
                    (170, Some(Some(50))),
                    (400, None),
                    (400, None)
                ],
                "{}",
                tr!(
                    en: "three results, then two TimeoutErrors at 400 ms, then the end",
                    ru: "три результата, затем два TimeoutError в 400 мс, затем конец",
                )
            );
            assert_p_and_s_finished(
                &r,
                (700, 1700),
                &tr!(
                    en: "the timed-out tasks run on",
                    ru: "задачи, у которых вышло время, продолжают работать",
                ),
            );
        })
    }
}
