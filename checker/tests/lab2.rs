//! Checks of Lab 2 — threads (labs/lab2-threads).
//!
//! Contents, one module per task of course.toml:
//! - task_2_1  spawn_all and scoped_map: input order, one thread per job, all running at once
//! - task_2_2  MutexCounter and AtomicCounter: exact counts under stress (2–8 threads,
//!   random durations); the provided racy counter does lose updates under stress
//! - task_2_3  split (exact), parallel_sum = sequential, T distinct threads running at once
//! - task_2_4  gil_sum = sequential, work always runs holding the GIL, one chunk at a time
//! - task_2_5  pipeline: each job exactly once, termination, backpressure bound, workers
//! - task_2_6  pool_map and download_all: order, at most P threads, P at once, server counts
//! - task_2_7  transfer: no deadlock in opposite directions, totals kept, no overdraft
//!
//! Each task also snapshots its own section of the demo (`run-lab lab2 --quick --only 2.K`),
//! so a mistake in one task costs that task alone.
//!
//! What the checks rely on is structural, never a stopwatch: thread ids seen by an
//! instrumented closure, exact counts, the slow server's `max_in_flight`, and a [`Gate`]
//! that makes calls wait until N of them are running at the same time. A correct program
//! opens the gate at once; one that runs the calls one after another never does, and the
//! gate lets it through after a grace period so that the check can say what went wrong.
//! A deadlock or a pipeline that never closes hangs its check: the harness turns the hang
//! into a "timed out" verdict with the task's hint.

use crate::run_lab::RUN_LAB;
use checker::harness::{assert_downloads_in_place, assert_requests, existing_body};
use checker::snapshot::DemoPart;
use checker::{check, lab2};
use model::tr;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Condvar, Mutex};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

#[path = "support/lab2.rs"]
mod shared;
use shared::{GRACE, Gate, SlowItem, assert_money_kept, join_all, stress};

/// The thread ids an instrumented closure saw, in the order it saw them.
#[derive(Default)]
struct Threads(Mutex<Vec<ThreadId>>);

impl Threads {
    fn record(&self) {
        let id = std::thread::current().id();
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(id);
    }

    fn distinct(&self) -> HashSet<ThreadId> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .copied()
            .collect()
    }
}

/// A small deterministic generator for "random" sizes; the seed comes from the clock and is
/// printed in failure messages, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn from_clock() -> Rng {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.subsec_nanos() as u64);
        Rng(nanos | 1)
    }

    fn next(&mut self) -> u64 {
        // xorshift64
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The demo's part for task `task`, run alone (see [`DemoPart`]), with the lab's filters.
fn demo_part(task: &str) -> DemoPart<'_> {
    DemoPart::new(RUN_LAB, task).filters(&[
        (r"\b\d+ cores\b", "[n] cores"),
        // Printed only when other programs kept the cores busy during the run.
        (r"\n  \(busy machine:[^\n]*", ""),
    ])
}

mod task_2_1 {
    use super::*;
    use lab2::spawn::{scoped_map, spawn_all};

    #[test]
    fn spawn_all_returns_results_in_input_order() {
        check!(|| {
            // Later jobs finish first: the results must still come back in input order.
            let jobs: Vec<_> = (0..6u64)
                .map(|i| {
                    move || {
                        std::thread::sleep(Duration::from_millis(5 * (6 - i)));
                        i * i
                    }
                })
                .collect();
            assert_eq!(
                spawn_all(jobs),
                [0, 1, 4, 9, 16, 25],
                "{}",
                tr!(
                    en: "results must be in the order of the jobs, not the order the threads \
                         finished",
                    ru: "результаты должны идти в порядке работ, а не в порядке завершения \
                         потоков"
                )
            );
            let none: Vec<fn() -> u8> = Vec::new();
            assert!(
                spawn_all(none).is_empty(),
                "{}",
                tr!(en: "no jobs, no results", ru: "нет работ — нет результатов")
            );
        })
    }

    #[test]
    fn spawn_all_runs_every_job_on_its_own_thread_at_once() {
        check!(|| {
            for n in [1, 3, 8] {
                let gate = Gate::new(n);
                let threads = Arc::new(Threads::default());
                let jobs: Vec<_> = (0..n)
                    .map(|i| {
                        let (gate, threads) = (Arc::clone(&gate), Arc::clone(&threads));
                        move || {
                            threads.record();
                            gate.pass();
                            i
                        }
                    })
                    .collect();
                let results = spawn_all(jobs);
                assert_eq!(
                    results,
                    (0..n).collect::<Vec<_>>(),
                    "{}",
                    tr!(
                        en: "{n} jobs: results in input order",
                        ru: "{n} работ: результаты в порядке входных данных"
                    )
                );
                let seen = threads.distinct();
                assert_eq!(
                    seen.len(),
                    n,
                    "{}",
                    tr!(
                        en: "{n} jobs ran on {} different threads: each job needs its own \
                             thread::spawn",
                        ru: "{n} работ выполнились в {} разных потоках: каждой работе нужен \
                             свой thread::spawn",
                        seen.len()
                    )
                );
                assert!(
                    !seen.contains(&std::thread::current().id()),
                    "{}",
                    tr!(
                        en: "a job ran on the calling thread: spawn a new thread for every job",
                        ru: "работа выполнилась в вызывающем потоке: запускайте новый поток для \
                             каждой работы"
                    )
                );
                assert_eq!(
                    gate.max(),
                    n,
                    "{}",
                    tr!(
                        en: "only {} of the {n} jobs were ever running at the same time: spawn \
                             them all first, keep the JoinHandles, and join only after the loop",
                        ru: "одновременно выполнялись лишь {} из {n} работ: сначала запустите \
                             все, сохраните JoinHandle и вызывайте join только после цикла",
                        gate.max()
                    )
                );
            }
        })
    }

    #[test]
    fn scoped_map_borrows_and_keeps_order() {
        check!(|| {
            // A local Vec of Strings: not 'static, not copied into the threads.
            let words: Vec<String> = ["thread", "scope", "join", "spawn", "borrow"]
                .map(String::from)
                .to_vec();
            let gate = Gate::new(words.len());
            let threads = Threads::default();
            let lengths = scoped_map(&words, |w: &String| {
                threads.record();
                gate.pass();
                w.len()
            });
            assert_eq!(
                lengths,
                [6, 5, 4, 5, 6],
                "{}",
                tr!(
                    en: "one result per item, in the order of the items",
                    ru: "по одному результату на элемент, в порядке элементов"
                )
            );
            assert_eq!(
                threads.distinct().len(),
                words.len(),
                "{}",
                tr!(
                    en: "scoped_map ran {} items on {} threads: one scoped thread per item",
                    ru: "scoped_map обработала {} элементов в {} потоках: по одному потоку \
                         области (scoped thread) на элемент",
                    words.len(), threads.distinct().len()
                )
            );
            assert_eq!(
                gate.max(),
                words.len(),
                "{}",
                tr!(
                    en: "only {} items were ever being processed at once: spawn every scoped \
                         thread before joining any",
                    ru: "одновременно обрабатывалось лишь {} элементов: запустите все потоки \
                         области, прежде чем ждать (join) любой из них",
                    gate.max()
                )
            );
            let empty: [u8; 0] = [];
            assert!(
                scoped_map(&empty, |x| *x).is_empty(),
                "{}",
                tr!(en: "no items, no results", ru: "нет элементов — нет результатов")
            );
        })
    }

    /// A job that panics: `spawn_all` must panic too (as documented); never return normally
    /// with the result dropped, never hang.
    #[test]
    fn a_panicking_job_makes_spawn_all_panic() {
        check!(|| {
            for bad in [0usize, 2, 4] {
                let jobs: Vec<_> = (0..5usize)
                    .map(|i| {
                        move || {
                            if i == bad {
                                panic!(
                                    "{}",
                                    tr!(
                                        en: "job {i} fails on purpose",
                                        ru: "работа {i} намеренно завершается ошибкой"
                                    )
                                );
                            }
                            i
                        }
                    })
                    .collect();
                let outcome =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| spawn_all(jobs)));
                assert!(
                    outcome.is_err(),
                    "{}",
                    tr!(
                        en: "job {bad} of 5 panicked and spawn_all returned {:?}: a panic must \
                             not be dropped. Join every handle and re-raise a job's panic on the \
                             caller's thread (join().unwrap(), or \
                             std::panic::resume_unwind(payload))",
                        ru: "работа {bad} из 5 завершилась паникой, а spawn_all вернула {:?}: \
                             панику нельзя терять. Дождитесь (join) каждого дескриптора и \
                             повторите панику работы в вызывающем потоке (join().unwrap() или \
                             std::panic::resume_unwind(payload))",
                        outcome.as_ref().ok()
                    )
                );
            }
        })
    }

    #[test]
    fn a_panicking_item_makes_scoped_map_panic() {
        check!(|| {
            let items: Vec<u32> = (0..6).collect();
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                scoped_map(&items, |&x| {
                    if x == 3 {
                        panic!(
                            "{}",
                            tr!(
                                en: "item 3 fails on purpose",
                                ru: "элемент 3 намеренно завершается ошибкой"
                            )
                        );
                    }
                    x * 2
                })
            }));
            assert!(
                outcome.is_err(),
                "{}",
                tr!(
                    en: "the closure panicked on item 3 and scoped_map returned {:?}: a panic \
                         must not be dropped. Join every handle and re-raise the panic \
                         (join().unwrap(), or std::panic::resume_unwind(payload))",
                    ru: "замыкание завершилось паникой на элементе 3, а scoped_map вернула {:?}: \
                         панику нельзя терять. Дождитесь (join) каждого дескриптора и повторите \
                         панику (join().unwrap() или std::panic::resume_unwind(payload))",
                    outcome.as_ref().ok()
                )
            );
        })
    }

    #[test]
    fn the_demo_shows_the_jobs() {
        check!(|| demo_part("2.1").assert_matches())
    }
}

mod task_2_2 {
    use super::*;
    use lab2::counters::{AtomicCounter, MutexCounter};
    use lab2::race::{Counter, RacyCounter, hammer};

    /// Stresses fresh counters from 2, 3, 4 and 8 threads for random stretches of time and
    /// demands the exact count every time.
    fn exact_under_stress<C: Counter>(name: &str, new: impl Fn() -> C) {
        let mut rng = Rng::from_clock();
        let seed = rng.0;
        for threads in [2, 4, 8, 3, 8, 4] {
            let run_for = Duration::from_millis(60 + rng.below(60));
            let (calls, shown) = stress(&new(), threads, run_for);
            assert_eq!(
                shown,
                calls,
                "{}",
                tr!(
                    en: "{name}: {threads} threads called increment {calls} times, but the \
                         counter shows {shown}: {} increments lost (seed {seed}). Is \
                         read-add-write one indivisible step? A load then a store, or locking \
                         once to read and again to write, loses updates.",
                    ru: "{name}: {threads} потоков вызвали increment {calls} раз, а счётчик \
                         показывает {shown}: потеряно увеличений: {} (seed {seed}). Является ли \
                         чтение-сложение-запись одним неделимым шагом? Загрузка, а затем \
                         сохранение, или блокировка сначала для чтения, а потом снова для записи \
                         теряют обновления.",
                    calls.saturating_sub(shown)
                )
            );
        }
    }

    #[test]
    fn a_new_counter_counts_from_zero() {
        check!(|| {
            let (m, a) = (MutexCounter::new(), AtomicCounter::new());
            assert_eq!(
                (m.get(), a.get()),
                (0, 0),
                "{}",
                tr!(en: "a new counter is at 0", ru: "новый счётчик равен 0")
            );
            for _ in 0..5 {
                m.increment();
                a.increment();
            }
            assert_eq!(
                m.get(),
                5,
                "{}",
                tr!(
                    en: "MutexCounter: 5 increments on one thread",
                    ru: "MutexCounter: 5 увеличений в одном потоке"
                )
            );
            assert_eq!(
                a.get(),
                5,
                "{}",
                tr!(
                    en: "AtomicCounter: 5 increments on one thread",
                    ru: "AtomicCounter: 5 увеличений в одном потоке"
                )
            );
        })
    }

    #[test]
    fn mutex_counter_is_exact_under_stress() {
        check!(|| exact_under_stress("MutexCounter", MutexCounter::new))
    }

    #[test]
    fn atomic_counter_is_exact_under_stress() {
        check!(|| exact_under_stress("AtomicCounter", AtomicCounter::new))
    }

    /// Not your code: proof that the stress test above really makes threads collide. If the
    /// provided racy counter lost nothing, an exact count would prove nothing either.
    #[test]
    fn the_stress_test_catches_the_racy_counter() {
        check!(|| {
            let losing = (0..5)
                .filter(|_| hammer(&RacyCounter::new(), 4, 20_000).lost() > 0)
                .count();
            assert!(
                losing > 0,
                "{}",
                tr!(
                    en: "the racy counter lost no update in 5 runs: the stress test is too weak \
                         on this machine",
                    ru: "счётчик с гонкой не потерял ни одного обновления за 5 запусков: на этой \
                         машине нагрузочный тест слишком слаб"
                )
            );
        })
    }

    #[test]
    fn the_demo_shows_exact_counts() {
        check!(|| {
            demo_part("2.2")
                .sections(&["The race condition", "Task 2.2"])
                .filters(&[
                    (
                        r"counted \d+ — lost \d+ \(\d+\.\d %\)",
                        "counted [n] — lost [n] ([p] %)",
                    ),
                    (
                        r"lost in \d+ of (\d+) runs \(mean \d+\.\d % lost\)",
                        "lost in [k] of $1 runs (mean [p] % lost)",
                    ),
                ])
                .assert_matches()
        })
    }
}

mod task_2_3 {
    use super::*;
    use lab2::parallel::{parallel_sum, split};
    use lab2::workload::{count_primes, window};

    /// The chunks `split` must return, from a closed form rather than a walk: part `i`
    /// starts after `i` parts of `base` numbers, plus one for each longer part before it
    /// (the first `extra` parts are one longer).
    fn expected_chunks(range: Range<u64>, parts: usize) -> Vec<Range<u64>> {
        let (len, parts) = (range.end - range.start, parts as u64);
        let (base, extra) = (len / parts, len % parts);
        let start_of = |i: u64| range.start + i * base + i.min(extra);
        (0..parts).map(|i| start_of(i)..start_of(i + 1)).collect()
    }

    #[test]
    fn split_cuts_evenly_in_order() {
        check!(|| {
            assert_eq!(
                split(0..10, 3),
                [0..4, 4..7, 7..10],
                "{}",
                tr!(en: "10 numbers in 3 parts: 4, 3, 3", ru: "10 чисел на 3 части: 4, 3, 3")
            );
            assert_eq!(
                split(0..2, 3),
                [0..1, 1..2, 2..2],
                "{}",
                tr!(
                    en: "fewer numbers than parts: empty parts at the end",
                    ru: "чисел меньше, чем частей: пустые части в конце"
                )
            );
            assert_eq!(
                split(5..5, 2),
                [5..5, 5..5],
                "{}",
                tr!(en: "an empty range gives empty parts", ru: "пустой диапазон даёт пустые части")
            );
            assert_eq!(
                split(7..8, 1),
                vec![7..8],
                "{}",
                tr!(en: "one part is the whole range", ru: "одна часть — это весь диапазон")
            );
            let mut rng = Rng::from_clock();
            for _ in 0..50 {
                let start = rng.below(1_000_000);
                let range = start..start + rng.below(5_000);
                let parts = 1 + rng.below(9) as usize;
                assert_eq!(
                    split(range.clone(), parts),
                    expected_chunks(range.clone(), parts),
                    "{}",
                    tr!(
                        en: "split({range:?}, {parts}): {parts} contiguous parts covering the \
                             range, lengths within one of each other, longer first",
                        ru: "split({range:?}, {parts}): {parts} смежных частей, покрывающих \
                             диапазон, длины отличаются не больше чем на один, длинные впереди"
                    )
                );
            }
        })
    }

    #[test]
    fn parallel_sum_equals_the_sequential_count() {
        check!(|| {
            let range = window(3_000);
            let sequential = count_primes(range.clone());
            for threads in [1, 2, 3, 4, 7] {
                assert_eq!(
                    parallel_sum(range.clone(), threads, count_primes),
                    sequential,
                    "{}",
                    tr!(
                        en: "{threads} threads must count the same primes as one: do the chunks \
                             cover the range exactly once?",
                        ru: "{threads} потоков должны насчитать столько же простых чисел, сколько \
                             один: покрывают ли части диапазон ровно один раз?"
                    )
                );
            }
            assert_eq!(
                parallel_sum(0..100, 3, count_primes),
                25,
                "{}",
                tr!(en: "25 primes below 100", ru: "25 простых чисел меньше 100")
            );
            assert_eq!(
                parallel_sum(0..2, 4, |r| r.end - r.start),
                2,
                "{}",
                tr!(en: "more threads than numbers", ru: "потоков больше, чем чисел")
            );
        })
    }

    #[test]
    fn each_chunk_runs_on_its_own_thread_at_once() {
        check!(|| {
            for threads in [2, 3, 4] {
                let range = 1_000..2_000;
                let gate = Gate::new(threads);
                let seen = Threads::default();
                let chunks = Mutex::new(Vec::new());
                let total = parallel_sum(range.clone(), threads, |chunk: Range<u64>| {
                    seen.record();
                    chunks
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(chunk.clone());
                    gate.pass();
                    chunk.end - chunk.start
                });
                assert_eq!(
                    total,
                    1_000,
                    "{}",
                    tr!(
                        en: "the chunk lengths must add up to the range's length",
                        ru: "сумма длин частей должна равняться длине диапазона"
                    )
                );
                let mut chunks = chunks.into_inner().unwrap_or_else(|e| e.into_inner());
                chunks.sort_by_key(|c| c.start);
                assert_eq!(
                    chunks,
                    expected_chunks(range, threads),
                    "{}",
                    tr!(
                        en: "work must be called once per chunk of split(range, {threads})",
                        ru: "work должна вызываться один раз на каждую часть split(range, \
                             {threads})"
                    )
                );
                assert_eq!(
                    seen.distinct().len(),
                    threads,
                    "{}",
                    tr!(
                        en: "{threads} chunks ran on {} different threads: give each chunk its \
                             own thread",
                        ru: "{threads} частей выполнились в {} разных потоках: дайте каждой части \
                             свой поток",
                        seen.distinct().len()
                    )
                );
                assert_eq!(
                    gate.max(),
                    threads,
                    "{}",
                    tr!(
                        en: "only {} of the {threads} chunks were ever computed at the same time: \
                             the right sum, but no parallelism. Spawn every thread before \
                             joining any.",
                        ru: "одновременно вычислялись лишь {} из {threads} частей: сумма верна, \
                             но параллелизма нет. Запустите все потоки, прежде чем ждать (join) \
                             любой из них.",
                        gate.max()
                    )
                );
            }
        })
    }

    #[test]
    fn the_demo_prints_the_speedup_table() {
        check!(|| demo_part("2.3").assert_matches())
    }
}

mod task_2_4 {
    use super::*;
    use lab2::gil::{GIL, gil_sum};
    use lab2::workload::{count_primes, window};

    /// The GIL is one static for the whole test process: these checks take turns, so that
    /// one check's GIL is never mistaken for another's.
    static TURN: Mutex<()> = Mutex::new(());

    #[test]
    fn gil_sum_equals_the_sequential_count() {
        check!(|| {
            let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
            let range = window(2_000);
            let sequential = count_primes(range.clone());
            for (threads, chunk_len) in [(1, 100), (2, 100), (3, 7), (4, 333), (2, 5_000)] {
                assert_eq!(
                    gil_sum(range.clone(), threads, chunk_len, count_primes),
                    sequential,
                    "{}",
                    tr!(
                        en: "{threads} threads, chunks of {chunk_len}: the count must equal the \
                             sequential one. Are the chunks dealt round-robin, each exactly \
                             once, the last one shorter?",
                        ru: "{threads} потоков, части по {chunk_len}: результат должен совпасть с \
                             последовательным. Раздаются ли части по кругу (round-robin), каждая \
                             ровно один раз, последняя короче?"
                    )
                );
            }
            assert_eq!(
                gil_sum(0..100, 3, 10, count_primes),
                25,
                "{}",
                tr!(en: "25 primes below 100", ru: "25 простых чисел меньше 100")
            );
        })
    }

    #[test]
    fn work_runs_only_while_holding_the_gil() {
        check!(|| {
            let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
            for threads in [2, 3] {
                let range = 0..600;
                let chunk_len = 25;
                let inside = AtomicUsize::new(0);
                let most_inside = AtomicUsize::new(0);
                let gil_free = AtomicUsize::new(0);
                let seen = Threads::default();
                let owners = Mutex::new(Vec::new());
                let chunks = Mutex::new(Vec::new());
                let total = gil_sum(range.clone(), threads, chunk_len, |chunk: Range<u64>| {
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    most_inside.fetch_max(now, Ordering::SeqCst);
                    // Your thread holds the GIL right now, so nobody can take it.
                    if GIL.try_lock().is_ok() {
                        gil_free.fetch_add(1, Ordering::SeqCst);
                    }
                    seen.record();
                    owners
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((std::thread::current().id(), chunk.start));
                    chunks
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(chunk.clone());
                    // Long enough for another thread to try its luck.
                    std::thread::sleep(Duration::from_micros(300));
                    inside.fetch_sub(1, Ordering::SeqCst);
                    chunk.end - chunk.start
                });
                assert_eq!(
                    total,
                    600,
                    "{}",
                    tr!(
                        en: "the chunk lengths must add up to the range's length",
                        ru: "сумма длин частей должна равняться длине диапазона"
                    )
                );
                let free = gil_free.load(Ordering::SeqCst);
                assert_eq!(
                    free,
                    0,
                    "{}",
                    tr!(
                        en: "work ran {free} times while the GIL was free: lock GIL around each \
                             chunk's work and keep the guard alive until work returns (`let _gil \
                             = GIL.lock()...`): a guard dropped before the work protects nothing",
                        ru: "work выполнилась {free} раз, пока GIL был свободен: захватывайте GIL \
                             вокруг работы каждой части и держите guard живым, пока work не \
                             вернётся (`let _gil = GIL.lock()...`): guard, освобождённый до \
                             работы, ничего не защищает"
                    )
                );
                assert_eq!(
                    most_inside.load(Ordering::SeqCst),
                    1,
                    "{}",
                    tr!(
                        en: "{} chunks were computed at the same time: under a GIL, only one \
                             thread runs",
                        ru: "одновременно вычислялись {} частей: под GIL работает только один \
                             поток",
                        most_inside.load(Ordering::SeqCst)
                    )
                );
                let mut chunks = chunks.into_inner().unwrap_or_else(|e| e.into_inner());
                chunks.sort_by_key(|c| c.start);
                let expected: Vec<Range<u64>> = (0..24).map(|i| i * 25..(i + 1) * 25).collect();
                assert_eq!(
                    chunks,
                    expected,
                    "{}",
                    tr!(
                        en: "chunks of chunk_len numbers, each exactly once",
                        ru: "части по chunk_len чисел, каждая ровно один раз"
                    )
                );
                assert_eq!(
                    seen.distinct().len(),
                    threads,
                    "{}",
                    tr!(
                        en: "the chunks ran on {} threads instead of {threads}: deal chunk i to \
                             thread i % threads",
                        ru: "части выполнились в {} потоках вместо {threads}: отдавайте часть i \
                             потоку i % threads",
                        seen.distinct().len()
                    )
                );
                // Round-robin: the chunks one thread computed are i, i + threads, i + 2 threads...
                let owners = owners.into_inner().unwrap_or_else(|e| e.into_inner());
                let mut by_thread: std::collections::HashMap<ThreadId, Vec<u64>> =
                    Default::default();
                for (id, start) in owners {
                    by_thread.entry(id).or_default().push(start / chunk_len);
                }
                let mut residues = HashSet::new();
                for mut dealt in by_thread.into_values() {
                    dealt.sort_unstable();
                    let r = dealt[0] % threads as u64;
                    assert!(
                        dealt.iter().all(|i| i % threads as u64 == r) && residues.insert(r),
                        "{}",
                        tr!(
                            en: "with {threads} threads one thread computed chunks {dealt:?}: \
                                 deal chunk i to thread i % threads (thread t takes chunks t, t \
                                 + {threads}, t + {}, ...)",
                            ru: "при {threads} потоках один поток вычислил части {dealt:?}: \
                                 отдавайте часть i потоку i % threads (поток t берёт части t, t \
                                 + {threads}, t + {}, ...)",
                            2 * threads
                        )
                    );
                }
            }
            assert!(
                GIL.try_lock().is_ok(),
                "{}",
                tr!(
                    en: "the GIL is still locked after gil_sum returned",
                    ru: "GIL всё ещё захвачен после возврата из gil_sum"
                )
            );
        })
    }

    #[test]
    fn the_demo_prints_the_gil_table() {
        check!(|| demo_part("2.4").assert_matches())
    }
}

mod task_2_5 {
    use super::*;
    use lab2::pipeline::pipeline;

    #[test]
    fn every_job_is_processed_exactly_once() {
        check!(|| {
            for (n, workers, capacity) in [
                (0, 1, 1),
                (1, 1, 0),
                (17, 3, 2),
                (100, 4, 1),
                (50, 2, 0),
                (40, 1, 40),
            ] {
                let calls: Vec<AtomicUsize> = (0..n).map(|_| AtomicUsize::new(0)).collect();
                let mut results = pipeline(0..n as u64, workers, capacity, |j: u64| {
                    calls[j as usize].fetch_add(1, Ordering::SeqCst);
                    j * 3
                });
                let twice: Vec<usize> = (0..n)
                    .filter(|&j| calls[j].load(Ordering::SeqCst) > 1)
                    .collect();
                let never: Vec<usize> = (0..n)
                    .filter(|&j| calls[j].load(Ordering::SeqCst) == 0)
                    .collect();
                assert!(
                    twice.is_empty(),
                    "{}",
                    tr!(
                        en: "{n} jobs, {workers} workers: jobs {twice:?} were processed more than \
                             once",
                        ru: "{n} работ, {workers} рабочих: работы {twice:?} обработаны больше \
                             одного раза"
                    )
                );
                assert!(
                    never.is_empty(),
                    "{}",
                    tr!(
                        en: "{n} jobs, {workers} workers, capacity {capacity}: jobs {never:?} \
                             were never processed. Does the producer send every job, and does \
                             every worker drain the channel?",
                        ru: "{n} работ, {workers} рабочих, ёмкость {capacity}: работы \
                             {never:?} так и не обработаны. Отправляет ли производитель каждую \
                             работу и вычитывает ли канал каждый рабочий?"
                    )
                );
                results.sort_unstable();
                assert_eq!(
                    results,
                    (0..n as u64).map(|j| j * 3).collect::<Vec<_>>(),
                    "{}",
                    tr!(
                        en: "{n} jobs, {workers} workers: one result per job (results may come in \
                             any order)",
                        ru: "{n} работ, {workers} рабочих: по одному результату на работу (в \
                             любом порядке)"
                    )
                );
            }
        })
    }

    #[test]
    fn backpressure_bounds_the_producer() {
        check!(|| {
            for (workers, capacity) in [(2, 2), (1, 0), (3, 1)] {
                let pulled = AtomicUsize::new(0);
                let done = AtomicUsize::new(0);
                let most_ahead = AtomicUsize::new(0);
                let jobs = (0..30u64).inspect(|_| {
                    let p = pulled.fetch_add(1, Ordering::SeqCst) + 1;
                    let d = done.load(Ordering::SeqCst);
                    most_ahead.fetch_max(p.saturating_sub(d), Ordering::SeqCst);
                });
                let results = pipeline(jobs, workers, capacity, |j| {
                    std::thread::sleep(Duration::from_millis(2));
                    done.fetch_add(1, Ordering::SeqCst);
                    j
                });
                assert_eq!(
                    results.len(),
                    30,
                    "{}",
                    tr!(en: "30 jobs, 30 results", ru: "30 работ — 30 результатов")
                );
                let bound = capacity + workers + 1;
                let ahead = most_ahead.load(Ordering::SeqCst);
                assert!(
                    ahead <= bound,
                    "{}",
                    tr!(
                        en: "with capacity {capacity} and {workers} workers the producer pulled a \
                             job while {ahead} were unfinished, but at most {bound} fit \
                             (capacity + workers + 1 in its hand). Use \
                             crossbeam::channel::bounded(capacity), and pull each job only after \
                             sending the previous one (no collecting into a Vec first).",
                        ru: "при ёмкости {capacity} и {workers} рабочих производитель взял \
                             работу, когда незавершёнными были {ahead}, а поместиться может не \
                             больше {bound} (ёмкость + рабочие + 1 у него в руке). Используйте \
                             crossbeam::channel::bounded(capacity) и берите каждую работу \
                             только после отправки предыдущей (не собирайте их сначала в Vec)."
                    )
                );
            }
        })
    }

    #[test]
    fn workers_run_at_once_on_their_own_threads() {
        check!(|| {
            for workers in [1, 2, 4] {
                let gate = Gate::new(workers);
                let seen = Threads::default();
                let results = pipeline(0..12u64, workers, 1, |j| {
                    seen.record();
                    gate.pass();
                    j
                });
                assert_eq!(
                    results.len(),
                    12,
                    "{}",
                    tr!(en: "12 jobs, 12 results", ru: "12 работ — 12 результатов")
                );
                let threads = seen.distinct();
                assert!(
                    !threads.contains(&std::thread::current().id()),
                    "{}",
                    tr!(
                        en: "work ran on the calling thread: the caller only collects; the \
                             workers run the jobs",
                        ru: "work выполнилась в вызывающем потоке: вызывающий только собирает \
                             результаты, работы выполняют рабочие"
                    )
                );
                assert!(
                    threads.len() <= workers,
                    "{}",
                    tr!(
                        en: "jobs ran on {} different threads with {workers} workers: start \
                             exactly `workers` worker threads, each looping over the channel",
                        ru: "работы выполнялись в {} разных потоках при {workers} рабочих: \
                             запустите ровно `workers` рабочих потоков, каждый в цикле по каналу",
                        threads.len()
                    )
                );
                assert_eq!(
                    gate.max(),
                    workers,
                    "{}",
                    tr!(
                        en: "only {} of {workers} workers were ever busy at the same time: start \
                             them all before collecting, and let each take jobs from the shared \
                             channel",
                        ru: "одновременно были заняты лишь {} из {workers} рабочих: запустите \
                             всех до сбора результатов, и пусть каждый берёт работы из общего \
                             канала",
                        gate.max()
                    )
                );
            }
        })
    }

    #[test]
    fn the_demo_shows_backpressure() {
        check!(|| {
            demo_part("2.5")
                .filters(&[(r"at most \d+ jobs ahead", "at most [k] jobs ahead")])
                .assert_matches()
        })
    }
}

mod task_2_6 {
    use super::*;
    use checker::kit::server::{SlowServer, body_of};
    use lab2::pool::{download_all, pool_map};

    /// The message of a pool whose results are not in the order of its items.
    fn in_input_order(n: usize, p: usize) -> String {
        tr!(
            en: "{n} items on {p} threads: results in input order",
            ru: "{n} элементов в {p} потоках: результаты в порядке входных данных"
        )
    }

    #[test]
    fn pool_map_keeps_input_order() {
        check!(|| {
            let items: Vec<u64> = (0..20).collect();
            // Items finish out of order; results must not.
            let out = pool_map(&items, 4, |&i| {
                std::thread::sleep(Duration::from_millis((20 - i) % 5));
                i * i
            });
            assert_eq!(
                out,
                items.iter().map(|i| i * i).collect::<Vec<_>>(),
                "{}",
                tr!(
                    en: "results must be in the order of the items, whatever order they finished \
                         in",
                    ru: "результаты должны идти в порядке элементов, в каком бы порядке они ни \
                         завершались"
                )
            );
            let empty: [u64; 0] = [];
            assert!(
                pool_map(&empty, 3, |&i| i).is_empty(),
                "{}",
                tr!(en: "no items, no results", ru: "нет элементов — нет результатов")
            );
        })
    }

    #[test]
    fn at_most_p_threads_and_all_of_them_busy() {
        check!(|| {
            for (n, p) in [(12usize, 3usize), (5, 8), (8, 1), (9, 9)] {
                let busy = p.min(n);
                let gate = Gate::new(busy);
                let seen = Threads::default();
                let calls: Vec<AtomicUsize> = (0..n).map(|_| AtomicUsize::new(0)).collect();
                let items: Vec<usize> = (0..n).collect();
                let out = pool_map(&items, p, |&i| {
                    calls[i].fetch_add(1, Ordering::SeqCst);
                    seen.record();
                    gate.pass();
                    // Each item takes a while, as a download would: a worker that is
                    // started late still finds items left.
                    std::thread::sleep(Duration::from_millis(2));
                    i
                });
                assert_eq!(out, items, "{}", in_input_order(n, p));
                let wrong: Vec<usize> = (0..n)
                    .filter(|&i| calls[i].load(Ordering::SeqCst) != 1)
                    .collect();
                assert!(
                    wrong.is_empty(),
                    "{}",
                    tr!(
                        en: "{n} items on {p} threads: items {wrong:?} were not processed exactly \
                             once",
                        ru: "{n} элементов в {p} потоках: элементы {wrong:?} обработаны не ровно \
                             один раз"
                    )
                );
                let threads = seen.distinct().len();
                assert!(
                    threads <= p,
                    "{}",
                    tr!(
                        en: "{n} items ran on {threads} threads with a pool of {p}: start min(P, \
                             N) workers that each take item after item, not one thread per item",
                        ru: "{n} элементов выполнились в {threads} потоках при пуле из {p}: \
                             запустите min(P, N) рабочих, каждый из которых берёт элемент за \
                             элементом, а не по потоку на элемент"
                    )
                );
                assert_eq!(
                    gate.max(),
                    busy,
                    "{}",
                    tr!(
                        en: "only {} of the {busy} workers were ever busy at the same time: start \
                             every worker before waiting for any",
                        ru: "одновременно были заняты лишь {} из {busy} рабочих: запустите всех \
                             рабочих, прежде чем ждать любого из них",
                        gate.max()
                    )
                );
            }
        })
    }

    /// Uneven durations: item 0 takes "forever" — it returns only once every other item is
    /// done. With a shared queue the other workers take all the other items, so item 0 is
    /// released; with items dealt in advance (i % P, or contiguous blocks), some items wait
    /// behind item 0 on its own worker and never get done while it runs.
    #[test]
    fn a_slow_item_does_not_hold_up_the_others() {
        check!(|| {
            for (n, p) in [(10usize, 2usize), (12, 3), (7, 4), (9, 2)] {
                let slow = SlowItem::new(n);
                let items: Vec<usize> = (0..n).collect();
                let out = pool_map(&items, p, |&i| {
                    slow.work(i == 0);
                    i
                });
                assert_eq!(out, items, "{}", in_input_order(n, p));
                let held_up = slow.held_up();
                assert!(
                    held_up.is_none(),
                    "{}",
                    tr!(
                        en: "{n} items on {p} threads: while one worker was busy with a slow \
                             item, only {} of the other {} items got done: the rest were waiting \
                             for that same worker. Deal items from one shared queue (a shared \
                             AtomicUsize with fetch_add, or a channel) so that a free worker \
                             takes the next item, not a list fixed in advance",
                        ru: "{n} элементов в {p} потоках: пока один рабочий был занят медленным \
                             элементом, из остальных {1} элементов выполнено лишь {0}: остальные \
                             ждали того же рабочего. Раздавайте элементы из одной общей очереди \
                             (общий AtomicUsize с fetch_add или канал), чтобы свободный рабочий \
                             брал следующий элемент, а не заранее заданный список",
                        held_up.unwrap_or_default(), n - 1
                    )
                );
            }
        })
    }

    /// Many tiny items on 8 threads, round after round for a second of CPU time: every index
    /// must be handed out exactly once. A load then a store of the next index (instead of one
    /// fetch_add) lets two workers take the same item whenever one is interrupted between
    /// the two, or both run at once on two cores. Rounds are long (half a million items) so
    /// that the workers of a round really overlap, however the machine's load delays them.
    #[test]
    fn every_item_exactly_once_under_stress() {
        check!(|| {
            let n = 500_000;
            let items: Vec<usize> = (0..n).collect();
            let calls: Vec<AtomicUsize> = (0..n).map(|_| AtomicUsize::new(0)).collect();
            // Enough CPU time for hundreds of preemptions of the workers, whatever the load
            // (a busy machine gives them less of it per second: then the wall time grows, up
            // to a cap that still leaves them a large share of a second of CPU).
            let (started, cpu0) = (Instant::now(), checker::kit::clock::process_cpu_time());
            let enough = || {
                checker::kit::clock::process_cpu_time() - cpu0 >= Duration::from_secs(1)
                    || started.elapsed() >= Duration::from_secs(8)
            };
            let mut rounds = 0;
            while rounds < 2 || !enough() {
                rounds += 1;
                for c in &calls {
                    c.store(0, Ordering::Relaxed);
                }
                let out = pool_map(&items, 8, |&i| {
                    calls[i].fetch_add(1, Ordering::Relaxed);
                    i
                });
                let twice: Vec<usize> = (0..n)
                    .filter(|&i| calls[i].load(Ordering::Relaxed) > 1)
                    .take(5)
                    .collect();
                let never: Vec<usize> = (0..n)
                    .filter(|&i| calls[i].load(Ordering::Relaxed) == 0)
                    .take(5)
                    .collect();
                assert!(
                    twice.is_empty() && never.is_empty(),
                    "{}",
                    tr!(
                        en: "{n} items on 8 threads (round {rounds}): items {twice:?}... were \
                             processed twice and {never:?}... never. Taking the next index must \
                             be one indivisible step: fetch_add(1), not a load then a store",
                        ru: "{n} элементов в 8 потоках (раунд {rounds}): элементы {twice:?}... \
                             обработаны дважды, а {never:?}... — ни разу. Взятие следующего \
                             индекса должно быть одним неделимым шагом: fetch_add(1), а не \
                             загрузка, а затем сохранение"
                    )
                );
                assert_eq!(
                    out.len(),
                    n,
                    "{}",
                    tr!(en: "one result per item", ru: "по одному результату на элемент")
                );
            }
        })
    }

    #[test]
    fn downloads_never_exceed_p_in_flight() {
        check!(|| {
            let server = SlowServer::start(Duration::from_millis(30), 10).unwrap();
            for p in [1, 3, 4] {
                server.reset_counts();
                let bodies: Vec<String> = download_all(&server.urls(), p)
                    .into_iter()
                    .map(existing_body)
                    .collect();
                assert_eq!(
                    bodies,
                    (0..10).map(body_of).collect::<Vec<_>>(),
                    "{}",
                    tr!(
                        en: "pool of {p}: one body per URL, in the order of the URLs",
                        ru: "пул из {p}: по одному телу на URL, в порядке URL"
                    )
                );
                assert_requests(
                    &server,
                    10,
                    p,
                    &tr!(
                        en: "a pool of {p} threads never has more requests in flight than threads",
                        ru: "у пула из {p} потоков никогда не бывает одновременных запросов \
                             больше, чем потоков"
                    ),
                );
            }
        })
    }

    #[test]
    fn a_failed_download_stays_in_its_place() {
        check!(|| {
            let server = SlowServer::start(Duration::ZERO, 3).unwrap();
            let urls = vec![server.url(0), server.url(9), server.url(2)];
            let results = download_all(&urls, 2);
            assert_downloads_in_place("", &results, &[Some(0), None, Some(2)]);
        })
    }

    #[test]
    fn the_demo_compares_with_the_formula() {
        check!(|| {
            demo_part("2.6")
                .filters(&[
                    // How many requests overlapped depends on thread start-up under load; the
                    // checks above test the bound itself.
                    (r"(× \d+ = \[time\])  \d+", "$1  [n]"),
                ])
                .assert_matches()
        })
    }
}

mod task_2_7 {
    use super::*;
    use lab2::account::{Account, LockEvent, observe_locks};
    use lab2::bank::transfer;

    /// `pairs` threads send money a → b and `pairs` threads send it b → a, `rounds` times
    /// each, all started together. With the wrong lock order this deadlocks.
    fn opposite_directions(pairs: usize, rounds: u64) {
        let a = Account::new(1, 1_000_000);
        let b = Account::new(2, 1_000_000);
        let start = Barrier::new(2 * pairs);
        std::thread::scope(|s| {
            let mut handles = Vec::new();
            for _ in 0..pairs {
                handles.push(s.spawn(|| {
                    start.wait();
                    for i in 0..rounds {
                        transfer(&a, &b, (i % 3) as i64);
                    }
                }));
                handles.push(s.spawn(|| {
                    start.wait();
                    for i in 0..rounds {
                        transfer(&b, &a, (i % 5) as i64);
                    }
                }));
            }
            join_all(handles);
        });
        assert_eq!(
            a.balance() + b.balance(),
            2_000_000,
            "{}",
            tr!(
                en: "money was created or lost: {} + {} instead of 2000000 in all. Hold both \
                     locks while checking and moving",
                ru: "деньги появились или пропали: {} + {} вместо 2000000 в сумме. Держите обе \
                     блокировки, пока проверяете и переводите",
                a.balance(), b.balance()
            )
        );
    }

    #[test]
    fn opposite_transfers_never_deadlock() {
        check!(|| {
            opposite_directions(1, 200_000);
            opposite_directions(2, 50_000);
        })
    }

    #[test]
    fn many_threads_keep_the_total_and_never_overdraw() {
        check!(|| {
            let mut rng = Rng::from_clock();
            let seed = rng.0;
            // Ids not in creation order: the lock order must follow the ids, not positions.
            let accounts: Vec<Account> = [42, 7, 19, 3, 88, 23]
                .iter()
                .map(|&id| Account::new(id, 100))
                .collect();
            let plans: Vec<Vec<(usize, usize, i64)>> = (0..4)
                .map(|_| {
                    (0..20_000)
                        .map(|_| {
                            let from = rng.below(6) as usize;
                            let to = (from + 1 + rng.below(5) as usize) % 6;
                            (from, to, rng.below(60) as i64)
                        })
                        .collect()
                })
                .collect();
            let accounts = &accounts;
            std::thread::scope(|s| {
                let handles: Vec<_> = plans
                    .iter()
                    .map(|plan| {
                        s.spawn(move || {
                            for &(from, to, amount) in plan {
                                transfer(&accounts[from], &accounts[to], amount);
                            }
                        })
                    })
                    .collect();
                join_all(handles);
            });
            assert_money_kept(accounts, 600, &format!(" (seed {seed})"));
        })
    }

    /// Which account each `lock` of this thread asked for while holding which others: one
    /// `(held, wanted)` pair per lock taken while already holding a lock. Single-threaded, so
    /// an account that is locked is locked by this thread.
    fn lock_pairs(accounts: &Arc<Vec<Account>>, call: impl FnOnce()) -> Vec<(u64, u64)> {
        let pairs = Arc::new(Mutex::new(Vec::new()));
        let (recorded, view) = (Arc::clone(&pairs), Arc::clone(accounts));
        observe_locks(Some(Box::new(move |event| {
            if let LockEvent::Wanted(wanted) = event {
                for account in view.iter() {
                    if account.id() != wanted && account.is_locked() {
                        recorded
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push((account.id(), wanted));
                    }
                }
            }
        })));
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(call));
        observe_locks(None);
        if let Err(payload) = result {
            std::panic::resume_unwind(payload);
        }
        pairs.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Every pair of accounts must always be locked in the same order, whichever is `from`
    /// and whatever the balances: an order that depends on the direction or on a balance
    /// lets two transfers take the same two locks in opposite orders, the deadlock. Seen
    /// structurally, on one thread, so it never depends on luck.
    #[test]
    fn locks_are_always_taken_in_one_fixed_order() {
        check!(|| {
            let ids = [42u64, 7, 19, 3];
            let mut first: std::collections::HashMap<(u64, u64), (u64, u64, String)> =
                Default::default();
            // Balances in two opposite orders, so an order by balance shows as two orders.
            for balances in [[500i64, 40, 300, 10], [10, 300, 40, 500]] {
                let accounts: Arc<Vec<Account>> = Arc::new(
                    ids.iter()
                        .zip(balances)
                        .map(|(&id, b)| Account::new(id, b))
                        .collect(),
                );
                for i in 0..4 {
                    for j in 0..4 {
                        if i == j {
                            continue;
                        }
                        let call = tr!(
                            en: "transfer({}, {}, 5) with balances {:?}",
                            ru: "transfer({}, {}, 5) при балансах {:?}",
                            ids[i],
                            ids[j],
                            accounts.iter().map(Account::balance).collect::<Vec<_>>()
                        );
                        for (held, wanted) in lock_pairs(&accounts, || {
                            transfer(&accounts[i], &accounts[j], 5);
                        }) {
                            let key = (held.min(wanted), held.max(wanted));
                            let seen = first.entry(key).or_insert((held, wanted, call.clone()));
                            assert!(
                                (seen.0, seen.1) == (held, wanted),
                                "{}",
                                tr!(
                                    en: "{} locked account {} and then {}, but {call} locked \
                                         {held} and then {wanted}: two threads doing these at \
                                         once each hold one lock and wait forever for the other. \
                                         Lock every pair in one fixed order that depends on \
                                         nothing that changes (the smaller id first), whichever \
                                         is `from`",
                                    ru: "{} заблокировал счёт {}, а затем {}, но {call} \
                                         заблокировал {held}, а затем {wanted}: два потока, \
                                         выполняющие это одновременно, держат по одной \
                                         блокировке и вечно ждут друг друга. Блокируйте каждую \
                                         пару в одном фиксированном порядке, не зависящем от \
                                         того, что меняется (сначала меньший id), какой бы из \
                                         них ни был `from`",
                                    seen.2, seen.0, seen.1
                                )
                            );
                        }
                    }
                }
            }
        })
    }

    /// Two transfers spend all the money of the same account at once, and meet (inside
    /// `Account::lock`) right after their first lock call, so each one's first look at the
    /// balance happens before the other moves anything, whatever the scheduler does. Checked
    /// under both locks, only one can succeed; checked before taking them, both do.
    #[test]
    fn two_transfers_cannot_both_spend_the_same_money() {
        check!(|| {
            for from_id in [1u64, 9] {
                let accounts = Arc::new([
                    Account::new(from_id, 100),
                    Account::new(2, 0),
                    Account::new(3, 0),
                ]);
                let meeting = Arc::new(Meeting::new(Arc::clone(&accounts)));
                let results: Vec<bool> = std::thread::scope(|s| {
                    let handles: Vec<_> = [1usize, 2]
                        .into_iter()
                        .enumerate()
                        .map(|(me, to)| {
                            let (accounts, meeting) = (Arc::clone(&accounts), Arc::clone(&meeting));
                            s.spawn(move || {
                                let m = Arc::clone(&meeting);
                                observe_locks(Some(Box::new(move |event| m.event(me, event))));
                                let ok = transfer(&accounts[0], &accounts[to], 100);
                                observe_locks(None);
                                meeting.leave(me);
                                ok
                            })
                        })
                        .collect();
                    handles
                        .into_iter()
                        .map(|h| {
                            h.join()
                                .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
                        })
                        .collect()
                });
                let balances: Vec<i64> = accounts.iter().map(Account::balance).collect();
                assert!(
                    balances[0] >= 0 && results.iter().filter(|&&ok| ok).count() == 1,
                    "{}",
                    tr!(
                        en: "account {from_id} held 100 and two transfers of 100 each ran at \
                             once: they returned {results:?}, balances now {balances:?}. Both \
                             saw 100 before either moved it: check the balance while holding \
                             both locks, not before taking them",
                        ru: "на счёте {from_id} было 100, и одновременно выполнились два перевода \
                             по 100: они вернули {results:?}, балансы теперь {balances:?}. Оба \
                             увидели 100 до того, как любой из них перевёл деньги: проверяйте \
                             баланс, держа обе блокировки, а не до их захвата"
                    )
                );
                assert_money_kept(&accounts[..], 100, "");
            }
        })
    }

    /// Where each of two transfers is in its `lock` calls.
    #[derive(Default, Clone, Copy)]
    struct Progress {
        wanted: usize,
        first: Option<u64>,
        pending: Option<u64>,
        left: bool,
    }

    /// Makes two transfers meet at their second `lock` call (see
    /// [`two_transfers_cannot_both_spend_the_same_money`]). A transfer that still holds its
    /// first lock, with the other waiting for it, goes on at once (that is the correct
    /// program, and waiting would deadlock it); after [`GRACE`] everyone goes on.
    struct Meeting {
        accounts: Arc<[Account; 3]>,
        state: Mutex<[Progress; 2]>,
        changed: Condvar,
        deadline: Instant,
    }

    impl Meeting {
        fn new(accounts: Arc<[Account; 3]>) -> Meeting {
            Meeting {
                accounts,
                state: Mutex::new([Progress::default(); 2]),
                changed: Condvar::new(),
                deadline: Instant::now() + GRACE,
            }
        }

        fn event(&self, me: usize, event: LockEvent) {
            let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
            match event {
                LockEvent::Taken(_) => s[me].pending = None,
                LockEvent::Wanted(id) => {
                    s[me].wanted += 1;
                    s[me].pending = Some(id);
                    s[me].first.get_or_insert(id);
                }
            }
            self.changed.notify_all();
            if !matches!(event, LockEvent::Wanted(_)) || s[me].wanted != 2 {
                return;
            }
            let other = 1 - me;
            loop {
                let o = s[other];
                let mine = s[me]
                    .first
                    .and_then(|id| self.accounts.iter().find(|a| a.id() == id));
                let they_wait_for_me =
                    mine.is_some_and(|a| a.is_locked() && o.pending == s[me].first);
                if o.wanted >= 2 || o.left || they_wait_for_me || Instant::now() >= self.deadline {
                    return;
                }
                s = self
                    .changed
                    .wait_timeout(s, Duration::from_millis(1))
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
            }
        }

        fn leave(&self, me: usize) {
            self.state.lock().unwrap_or_else(|e| e.into_inner())[me].left = true;
            self.changed.notify_all();
        }
    }

    #[test]
    fn insufficient_funds_move_nothing() {
        check!(|| {
            let a = Account::new(5, 10);
            let b = Account::new(4, 0);
            assert!(
                !transfer(&a, &b, 11),
                "{}",
                tr!(
                    en: "10 in the account, 11 asked: the transfer must return false",
                    ru: "на счёте 10, запрошено 11: перевод должен вернуть false"
                )
            );
            assert_eq!(
                (a.balance(), b.balance()),
                (10, 0),
                "{}",
                tr!(
                    en: "a refused transfer moves nothing",
                    ru: "отклонённый перевод ничего не перемещает"
                )
            );
            assert!(
                transfer(&a, &b, 10),
                "{}",
                tr!(en: "exactly the balance may be sent", ru: "можно отправить ровно весь баланс")
            );
            assert_eq!((a.balance(), b.balance()), (0, 10));
            assert!(
                transfer(&b, &a, 0),
                "{}",
                tr!(en: "sending 0 is allowed", ru: "отправить 0 разрешено")
            );
            assert_eq!((a.balance(), b.balance()), (0, 10));
        })
    }

    #[test]
    fn a_transfer_to_the_same_account_changes_nothing() {
        check!(|| {
            let a = Account::new(1, 50);
            // Locking `a` twice on one thread would wait forever: this check would time out.
            assert!(
                transfer(&a, &a, 20),
                "{}",
                tr!(
                    en: "a transfer to the same account returns true",
                    ru: "перевод на тот же счёт возвращает true"
                )
            );
            assert_eq!(
                a.balance(),
                50,
                "{}",
                tr!(
                    en: "a transfer to the same account changes nothing",
                    ru: "перевод на тот же счёт ничего не меняет"
                )
            );
        })
    }

    #[test]
    fn the_demo_shows_the_deadlock_and_the_fix() {
        check!(|| demo_part("2.7").assert_matches())
    }
}
