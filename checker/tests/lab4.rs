//! Checks of Lab 4 — async tasks on tokio (labs/lab4-async).
//!
//! Contents, one module per task of course.toml:
//! - task_4_1  the runtimes: flavour, worker count, where spawned tasks run, drivers enabled
//! - task_4_2  the 4 s / 3 s example: ends at virtual 4 s, prints in clock order, two tasks;
//!   the demo's `--trace FILE` is a Chrome trace of it
//! - task_4_3  sequentially = sum of the delays, concurrently = the largest, input order; a
//!   panicking job panics the caller (never a skipped result or a hang)
//! - task_4_4  100 downloads: one latency and 100 in flight; limit 10: ten latencies and 10
//!   in flight; errors in place; a real server never sees more than the limit; uneven
//!   latencies: a sliding window, not waves; a panicking download panics the caller
//! - task_4_5  nap leaves the thread free (real time, one thread) and moves tokio's clock;
//!   run_blocking runs off the loop: a ticker keeps ticking
//! - task_4_6  call_from_thread runs the future on the loop's thread; report_from_async
//!   works from async code (a nested runtime gets a clear verdict)
//! - task_4_7  cooperative_sum: exact sums; other tasks get turns while it runs; it yields
//!   n / every times
//! - task_4_8  ticks: one item per interval; consume: every item in order;
//!   with_session: open, body, close awaited
//!
//! Each task also snapshots its own section of the demo (`run-lab lab4 --quick --only 4.K`),
//! and the virtual-time tasks snapshot their exact timeline (`lab4_timeline_*`), so a
//! mistake in one task costs that task alone.
//!
//! Durations are asserted only in *virtual* time (tokio's paused clock: exact, and
//! instant in real time). The checks about blocking use real time on a one-thread runtime,
//! and assert only structure: a ticker that cannot tick while the thread is blocked, a
//! blocking call that waits until the ticker has ticked (with a long cap), a race between a
//! 30 ms task and a 3 s nap.

use crate::run_lab::RUN_LAB;
use checker::harness::{in_virtual_time, on_one_thread, panic_message};
use checker::kit::timeline::{EventKind, Timeline};
use checker::snapshot::DemoPart;
use checker::{check, lab4};
use lab4::support::{self, VirtualServer, said};
use model::tr;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;
use tokio::time::Instant;

#[path = "support/lab4.rs"]
mod shared;
use shared::{
    Fate, ask_the_loop_from_threads, assert_sliding_window, fate_of, ms, request_spans,
    sum_and_yields, timed_in_virtual_time,
};

/// The panic a check feeds into the student's code: its message names the job, so the
/// check can tell it apart from any other panic (a `todo!()` is passed on as it is).
const FED_PANIC: &str = "a job fed by the check panicked on purpose";

/// Runs `body`, which gives the student's code a job that panics with [`FED_PANIC`], under a
/// virtual-time cap of one hour. The panic must come out of the student's function, as the
/// task documents: not a dropped result (the function returns), not a hang (the cap fires
/// in virtual time, at once in real time). `function` names the function, `returned`
/// describes what it returned instead.
fn assert_panic_passed_on<T>(
    function: &str,
    body: impl Future<Output = T>,
    returned: impl FnOnce(T) -> String,
) {
    match fate_of(FED_PANIC, body) {
        Fate::PassedOn => {}
        Fate::Hung => panic!(
            "{}",
            tr!(
                en: "{function}: one of its jobs panicked, and {function} was still waiting an \
                     hour later (virtual time): the panic became a hang. A JoinHandle resolves to \
                     Err(JoinError) when its task panics: pass the panic on with \
                     std::panic::resume_unwind(e.into_panic()).",
                ru: "{function}: одна из её работ запаниковала, а {function} всё ещё ждала час \
                     спустя (виртуального времени): паника превратилась в зависание. JoinHandle \
                     разрешается в Err(JoinError), когда его задача паникует: передайте панику \
                     дальше с помощью std::panic::resume_unwind(e.into_panic()).",
            )
        ),
        Fate::Returned(value) => panic!(
            "{}",
            tr!(
                en: "{function}: one of its jobs panicked, yet {function} returned normally ({}). \
                     A panic must reach the caller, as asyncio.gather raises a job's exception: \
                     on Err(e) from a JoinHandle, std::panic::resume_unwind(e.into_panic()), \
                     never skip or drop the result.",
                ru: "{function}: одна из её работ запаниковала, но {function} вернулась как \
                     обычно ({}). Паника должна дойти до вызывающего, как asyncio.gather \
                     поднимает исключение работы: получив Err(e) от JoinHandle, вызовите \
                     std::panic::resume_unwind(e.into_panic()); никогда не пропускайте и не \
                     выбрасывайте результат.",
                returned(value),
            )
        ),
    }
}

/// When each task of `tl` first started, in ms: `(task, ms)` in first-appearance order.
fn starts(tl: &Timeline) -> Vec<(String, u128)> {
    tl.events()
        .into_iter()
        .filter(|e| e.kind == EventKind::Start)
        .map(|e| (e.task, ms(e.at)))
        .collect()
}

/// A timeline drawn by the demo, compared exactly (virtual time makes it identical on every
/// run and every machine), as a snapshot named `lab4_timeline_<name>`.
fn assert_timeline(name: &str, timelines: &[(&str, &Timeline)]) {
    let mut shown = String::new();
    for (title, tl) in timelines {
        shown.push_str(&format!(
            "{title}\n{}\n",
            tl.render(lab4::demo::scenarios::WIDTH)
        ));
    }
    let name = format!("lab4_timeline_{name}");
    checker::snapshot::assert_matches_exactly(&name, shown.trim_end());
}

mod task_4_1 {
    use super::*;
    use lab4::runtime::{run_on_current_thread, run_on_multi_thread};
    use tokio::runtime::{Handle, RuntimeFlavor};

    /// Inside a runtime: its flavour, its worker count, and the threads that ran 4 spawned
    /// tasks. Sleeps and binds a socket on the way, which needs both drivers.
    async fn probe() -> (RuntimeFlavor, usize, Vec<thread::ThreadId>) {
        let handle = Handle::current();
        tokio::time::sleep(Duration::from_millis(2)).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await;
        drop(listener);
        let handles: Vec<_> = (0..4)
            .map(|_| {
                tokio::spawn(async {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    thread::current().id()
                })
            })
            .collect();
        let mut ids = Vec::new();
        for h in handles {
            ids.push(h.await.unwrap_or_else(|e| resume_unwind(e.into_panic())));
        }
        (handle.runtime_flavor(), handle.metrics().num_workers(), ids)
    }

    /// Runs `f`; tokio's "timers are disabled" / "IO is disabled" panics become advice.
    fn with_drivers<T>(function: &str, f: impl FnOnce() -> T) -> T {
        match catch_unwind(AssertUnwindSafe(f)) {
            Ok(v) => v,
            Err(payload) => {
                let m = panic_message(&*payload);
                if m.contains("timers are disabled") || m.contains("IO is disabled") {
                    panic!(
                        "{}",
                        tr!(
                            en: "inside {function}, a sleep or a socket panicked: {m:?}. The \
                                 runtime has no timer or IO driver: call .enable_all() on the \
                                 builder before .build().",
                            ru: "внутри {function} сон или сокет запаниковали: {m:?}. У \
                                 исполняющей среды нет драйвера таймеров или ввода-вывода: \
                                 вызовите .enable_all() у построителя перед .build().",
                        )
                    );
                }
                resume_unwind(payload)
            }
        }
    }

    #[test]
    fn current_thread_runs_every_task_on_the_calling_thread() {
        check!(|| {
            let caller = thread::current().id();
            let (flavor, _, ids) =
                with_drivers("run_on_current_thread", || run_on_current_thread(probe()));
            assert_eq!(
                flavor,
                RuntimeFlavor::CurrentThread,
                "{}",
                tr!(
                    en: "run_on_current_thread built a {flavor:?} runtime: use \
                         Builder::new_current_thread()",
                    ru: "run_on_current_thread построила исполняющую среду {flavor:?}: \
                         используйте Builder::new_current_thread()",
                )
            );
            assert!(
                ids.iter().all(|id| *id == caller),
                "{}",
                tr!(
                    en: "on a current-thread runtime every task runs on the thread that called \
                         block_on, but some ran elsewhere: is it really new_current_thread()?",
                    ru: "в однопоточной исполняющей среде каждая задача выполняется в потоке, \
                         который вызвал block_on, но некоторые выполнились в другом месте: точно \
                         ли это new_current_thread()?",
                )
            );
            assert_eq!(
                run_on_current_thread(async { 6 * 7 }),
                42,
                "{}",
                tr!(en: "return the future's output", ru: "верните результат футуры")
            );
        })
    }

    #[test]
    fn multi_thread_runs_tasks_on_its_workers() {
        check!(|| {
            let caller = thread::current().id();
            let (flavor, workers, ids) =
                with_drivers("run_on_multi_thread", || run_on_multi_thread(3, probe()));
            assert_eq!(
                flavor,
                RuntimeFlavor::MultiThread,
                "{}",
                tr!(
                    en: "run_on_multi_thread built a {flavor:?} runtime: use \
                         Builder::new_multi_thread()",
                    ru: "run_on_multi_thread построила исполняющую среду {flavor:?}: используйте \
                         Builder::new_multi_thread()",
                )
            );
            assert_eq!(
                workers,
                3,
                "{}",
                tr!(
                    en: "run_on_multi_thread(3, ..) must have 3 worker threads: \
                         .worker_threads(workers)",
                    ru: "у run_on_multi_thread(3, ..) должно быть 3 рабочих потока: \
                         .worker_threads(workers)",
                )
            );
            assert!(
                ids.iter().all(|id| *id != caller),
                "{}",
                tr!(
                    en: "on a multi-threaded runtime spawned tasks run on the worker threads, \
                         never on the thread that called block_on",
                    ru: "в многопоточной исполняющей среде порождённые задачи выполняются в \
                         рабочих потоках и никогда в потоке, который вызвал block_on",
                )
            );
            assert_eq!(
                run_on_multi_thread(1, async { "out" }),
                "out",
                "{}",
                tr!(en: "return the future's output", ru: "верните результат футуры")
            );
        })
    }

    #[test]
    fn demo_section() {
        check!(|| DemoPart::new(RUN_LAB, "4.1").assert_matches())
    }
}

mod task_4_2 {
    use super::*;
    use lab4::tasks::hello_world;

    #[test]
    fn ends_at_four_seconds_with_the_prints_in_clock_order() {
        check!(|| {
            let (elapsed, said) = in_virtual_time(async {
                let tl = Timeline::new();
                let t0 = Instant::now();
                hello_world(tl.clone()).await;
                (t0.elapsed(), said(&tl))
            });
            let said: Vec<(u128, &str, &str)> = said
                .iter()
                .map(|(t, task, what)| (*t, task.as_str(), what.as_str()))
                .collect();
            assert!(
                elapsed != Duration::from_secs(7),
                "{}",
                tr!(
                    en: "hello_world took 7 s (virtual): the two tasks ran one after another. \
                         Spawn BOTH before awaiting the first handle.",
                    ru: "hello_world заняла 7 с (виртуальных): две задачи выполнились одна за \
                         другой. Породите ОБЕ, прежде чем ждать первый дескриптор.",
                )
            );
            assert_eq!(
                said,
                [
                    (0, "main", "started"),
                    (3000, "world", "world"),
                    (4000, "hello", "hello"),
                    (4000, "main", "finished"),
                ],
                "{}",
                tr!(
                    en: "what was said, (ms, task, what), in order: `started` at once, then the \
                         tasks in the order of the clock, then `finished` when both are done",
                    ru: "что было сказано, (мс, задача, что), по порядку: `started` сразу, затем \
                         задачи в порядке часов, затем `finished`, когда обе завершились",
                )
            );
            assert_eq!(
                elapsed,
                Duration::from_secs(4),
                "{}",
                tr!(
                    en: "4 s and 3 s at the same time take 4 s",
                    ru: "4 с и 3 с одновременно занимают 4 с",
                )
            );
        })
    }

    #[test]
    fn the_two_coroutines_run_as_two_tasks() {
        check!(|| {
            // One virtual second in, both say_after tasks must exist as tasks of the runtime.
            let alive = in_virtual_time(async {
                let tl = Timeline::new();
                let probe = async {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    tokio::runtime::Handle::current()
                        .metrics()
                        .num_alive_tasks()
                };
                tokio::join!(hello_world(tl), probe).1
            });
            assert_eq!(
                alive,
                2,
                "{}",
                tr!(
                    en: "after 1 s the runtime had {alive} task(s) alive, 2 expected: each \
                         say_after must be spawned with tokio::spawn (asyncio.create_task), not \
                         awaited inside main (that is one task) or one after the other",
                    ru: "через 1 с у исполняющей среды было живых задач: {alive}, а ожидалось 2: \
                         каждую say_after нужно породить через tokio::spawn \
                         (asyncio.create_task), а не ждать внутри main (это одна задача) или одну \
                         за другой",
                )
            );
        })
    }

    #[test]
    fn the_demo_writes_a_chrome_trace() {
        check!(|| {
            // Your hello_world first: the demo has nothing to trace without it.
            let _ = lab4::demo::scenarios::hello_world();
            let path = std::env::temp_dir().join(format!("lab4-trace-{}.json", std::process::id()));
            let file = path.to_string_lossy().into_owned();
            checker::snapshot::run_lab(
                RUN_LAB,
                &["lab4", "--quick", "--only", "4.2", "--trace", &file],
                Duration::from_secs(60),
            );
            let json = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                panic!(
                    "{}: {e:?}",
                    tr!(
                        en: "`--trace FILE` must write FILE",
                        ru: "`--trace FILE` должен записать FILE",
                    )
                )
            });
            let _ = std::fs::remove_file(&path);
            let processes = checker::kit::timeline::read_trace(&json).unwrap_or_else(|e| {
                panic!(
                    "{}",
                    tr!(
                        en: "the trace is not a Chrome trace: {e}",
                        ru: "трассировка не в формате Chrome trace: {e}",
                    )
                )
            });
            let tasks = ["main", "hello", "world"].map(String::from).to_vec();
            assert_eq!(
                processes,
                [("4.2 hello world (virtual time)".to_string(), tasks)],
                "{}",
                tr!(
                    en: "one process per timeline, one track per task",
                    ru: "один процесс на временную шкалу, одна дорожка на задачу",
                )
            );
        })
    }

    #[test]
    fn timeline() {
        check!(|| {
            let tl = lab4::demo::scenarios::hello_world();
            assert_timeline("4_2_hello_world", &[("hello_world (virtual time)", &tl)]);
        })
    }

    #[test]
    fn demo_section() {
        check!(|| DemoPart::new(RUN_LAB, "4.2").assert_matches())
    }
}

mod task_4_3 {
    use super::*;
    use lab4::concurrent::{concurrently, sequentially};

    fn jobs(
        tl: &Timeline,
        delays: &[(&'static str, u64)],
    ) -> Vec<impl Future<Output = &'static str> + Send + 'static> {
        delays
            .iter()
            .map(|(name, secs)| support::work(tl.clone(), name, Duration::from_secs(*secs)))
            .collect()
    }

    #[test]
    fn sequentially_takes_the_sum_of_the_delays() {
        check!(|| {
            let (elapsed, out, starts) = in_virtual_time(async {
                let tl = Timeline::new();
                let t0 = Instant::now();
                let out = sequentially(jobs(&tl, &[("a", 1), ("b", 2), ("c", 3)])).await;
                (t0.elapsed(), out, starts(&tl))
            });
            assert_eq!(
                out,
                ["a", "b", "c"],
                "{}",
                tr!(en: "the outputs, in input order", ru: "результаты в порядке входа")
            );
            let starts: Vec<(&str, u128)> =
                starts.iter().map(|(t, ms)| (t.as_str(), *ms)).collect();
            assert_eq!(
                starts,
                [("a", 0), ("b", 1000), ("c", 3000)],
                "{}",
                tr!(
                    en: "(job, ms it started): each job starts when the previous one has finished",
                    ru: "(работа, мс её начала): каждая работа начинается, когда закончилась \
                         предыдущая",
                )
            );
            assert_eq!(
                elapsed,
                Duration::from_secs(6),
                "{}",
                tr!(
                    en: "1 s + 2 s + 3 s one after another take 6 s",
                    ru: "1 с + 2 с + 3 с одно за другим занимают 6 с",
                )
            );
        })
    }

    #[test]
    fn concurrently_takes_the_largest_delay() {
        check!(|| {
            let (elapsed, out, starts) = in_virtual_time(async {
                let tl = Timeline::new();
                let t0 = Instant::now();
                let out = concurrently(jobs(&tl, &[("a", 3), ("b", 1), ("c", 2)])).await;
                (t0.elapsed(), out, starts(&tl))
            });
            assert!(
                elapsed != Duration::from_secs(6),
                "{}",
                tr!(
                    en: "concurrently took 6 s (virtual), the sum: the jobs ran one after \
                         another. Spawn them ALL first, then await the handles.",
                    ru: "concurrently заняла 6 с (виртуальных), сумму: работы выполнились одна \
                         за другой. Сначала породите их ВСЕ, затем ждите дескрипторы.",
                )
            );
            assert_eq!(
                out,
                ["a", "b", "c"],
                "{}",
                tr!(
                    en: "the outputs in INPUT order, like asyncio.gather (b finishes first, but \
                         comes second)",
                    ru: "результаты в порядке ВХОДА, как у asyncio.gather (b заканчивается \
                         первым, но идёт вторым)",
                )
            );
            assert!(
                starts.iter().all(|(_, ms)| *ms == 0),
                "{}",
                tr!(
                    en: "every job starts at 0 ms: {starts:?}",
                    ru: "каждая работа начинается в 0 мс: {starts:?}",
                )
            );
            assert_eq!(
                elapsed,
                Duration::from_secs(3),
                "{}",
                tr!(
                    en: "3 s, 1 s and 2 s at the same time take 3 s",
                    ru: "3 с, 1 с и 2 с одновременно занимают 3 с",
                )
            );
        })
    }

    #[test]
    fn a_panicking_future_panics_the_caller() {
        check!(|| {
            let jobs = || -> Vec<futures::future::BoxFuture<'static, u32>> {
                vec![
                    Box::pin(async {
                        tokio::time::sleep(Duration::from_secs(2)).await;
                        1
                    }),
                    Box::pin(async {
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        panic!("{FED_PANIC}: job b");
                    }),
                    Box::pin(async {
                        tokio::time::sleep(Duration::from_secs(3)).await;
                        3
                    }),
                ]
            };
            assert_panic_passed_on("concurrently", concurrently(jobs()), |v| format!("{v:?}"));
            assert_panic_passed_on("sequentially", sequentially(jobs()), |v| format!("{v:?}"));
        })
    }

    #[test]
    fn empty_and_single() {
        check!(|| {
            let (a, b) = in_virtual_time(async {
                (
                    sequentially(Vec::<std::future::Ready<u8>>::new()).await,
                    concurrently(vec![std::future::ready(5u8)]).await,
                )
            });
            assert!(
                a.is_empty(),
                "{}",
                tr!(en: "no futures, no outputs", ru: "нет футур, нет результатов")
            );
            assert_eq!(b, [5]);
        })
    }

    #[test]
    fn timeline() {
        check!(|| {
            let (seq, conc) = (
                lab4::demo::scenarios::sequential(),
                lab4::demo::scenarios::concurrent(),
            );
            assert_timeline(
                "4_3_sequential_vs_concurrent",
                &[
                    ("sequentially (virtual time)", &seq),
                    ("concurrently (virtual time)", &conc),
                ],
            );
        })
    }

    #[test]
    fn demo_section() {
        check!(|| DemoPart::new(RUN_LAB, "4.3").assert_matches())
    }
}

mod task_4_4 {
    use super::*;
    use checker::kit::server::{SlowServer, body_of};
    use lab4::downloads::{download_all, download_limited};

    fn bodies(results: Vec<Result<String, checker::kit::http::HttpError>>) -> Vec<String> {
        results
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|e| {
                    let why = tr!(
                        en: "every resource exists: no download may fail",
                        ru: "каждый ресурс существует: ни одна загрузка не должна завершиться \
                             ошибкой",
                    );
                    panic!("{why}: {e:?}")
                })
            })
            .collect()
    }

    /// One body per URL, in the order of the URLs: bodies `0..n`.
    fn assert_bodies_in_order(
        results: Vec<Result<String, checker::kit::http::HttpError>>,
        n: usize,
    ) {
        let expected: Vec<String> = (0..n).map(body_of).collect();
        assert_eq!(
            bodies(results),
            expected,
            "{}",
            tr!(
                en: "one body per URL, in the order of the URLs",
                ru: "по одному телу на URL, в порядке URL",
            )
        );
    }

    /// [`assert_bodies_in_order`] for the `n` URLs of `server`, each requested exactly once.
    fn assert_each_url_once(
        server: &VirtualServer,
        results: Vec<Result<String, checker::kit::http::HttpError>>,
        n: usize,
    ) {
        assert_bodies_in_order(results, n);
        assert_eq!(
            server.served(),
            n,
            "{}",
            tr!(
                en: "each URL is requested exactly once",
                ru: "каждый URL запрашивается ровно один раз",
            )
        );
    }

    #[test]
    fn a_hundred_downloads_take_one_latency() {
        check!(|| {
            let server = VirtualServer::new(Duration::from_millis(100));
            let (elapsed, results) =
                timed_in_virtual_time(download_all(server.urls(100), server.fetcher()));
            assert_each_url_once(&server, results, 100);
            assert_eq!(
                server.max_in_flight(),
                100,
                "{}",
                tr!(
                    en: "the server saw at most {} requests at once, 100 expected: spawn every \
                         download before awaiting any",
                    ru: "сервер видел не больше {} запросов одновременно, а ожидалось 100: \
                         породите все загрузки, прежде чем ждать хоть одну",
                    server.max_in_flight(),
                )
            );
            assert_eq!(
                ms(elapsed),
                100,
                "{}",
                tr!(
                    en: "100 downloads all at once take one latency (100 ms virtual)",
                    ru: "100 загрузок сразу занимают одну задержку (100 мс виртуальных)",
                )
            );
        })
    }

    #[test]
    fn a_limit_of_ten_takes_ten_latencies() {
        check!(|| {
            let server = VirtualServer::new(Duration::from_millis(100));
            let (elapsed, results) =
                timed_in_virtual_time(download_limited(server.urls(100), 10, server.fetcher()));
            assert!(
                server.max_in_flight() <= 10,
                "{}",
                tr!(
                    en: "the server saw {} requests at once with a limit of 10: is the permit \
                         held for the whole download? (`let _ = sem.acquire()` drops it at once; \
                         name it `_permit`)",
                    ru: "сервер видел {} запросов одновременно при лимите 10: удерживается ли \
                         разрешение всю загрузку? (`let _ = sem.acquire()` сразу его отпускает; \
                         назовите его `_permit`)",
                    server.max_in_flight(),
                )
            );
            assert_each_url_once(&server, results, 100);
            assert_eq!(
                server.max_in_flight(),
                10,
                "{}",
                tr!(
                    en: "with a limit of 10, 10 downloads should run at once, not {}",
                    ru: "при лимите 10 одновременно должны идти 10 загрузок, а не {}",
                    server.max_in_flight(),
                )
            );
            assert_eq!(
                ms(elapsed),
                1000,
                "{}",
                tr!(
                    en: "100 downloads, 10 at a time, take ten latencies (1000 ms virtual)",
                    ru: "100 загрузок по 10 за раз занимают десять задержек (1000 мс виртуальных)",
                )
            );
        })
    }

    #[test]
    fn other_limits() {
        check!(|| {
            for (n, limit, expected_ms) in [(7, 3, 300), (5, 1, 500), (4, 8, 100)] {
                let server = VirtualServer::new(Duration::from_millis(100));
                let (elapsed, results) = timed_in_virtual_time(download_limited(
                    server.urls(n),
                    limit,
                    server.fetcher(),
                ));
                assert_eq!(results.len(), n);
                assert!(
                    server.max_in_flight() <= limit,
                    "{}",
                    tr!(
                        en: "{n} downloads with a limit of {limit}: {} at once",
                        ru: "{n} загрузок при лимите {limit}: {} одновременно",
                        server.max_in_flight(),
                    )
                );
                assert_eq!(
                    ms(elapsed),
                    expected_ms,
                    "{}",
                    tr!(
                        en: "{n} downloads of 100 ms with a limit of {limit} take {expected_ms} \
                             ms",
                        ru: "{n} загрузок по 100 мс при лимите {limit} занимают {expected_ms} мс",
                    )
                );
            }
        })
    }

    #[test]
    fn the_next_download_starts_as_soon_as_one_ends() {
        check!(|| {
            // Uneven latencies tell a sliding window from waves: with a limit of 2, the slow
            // resource 0 (300 ms) must not hold up the others (100 ms each).
            for (n, limit, slow) in [(6, 2, 0), (7, 3, 4)] {
                let (tl, results) = in_virtual_time(async {
                    let tl = Timeline::new();
                    let server = VirtualServer::new(Duration::from_millis(100))
                        .slow(slow, Duration::from_millis(300))
                        .recorded_on(&tl);
                    let r = download_limited(server.urls(n), limit, server.fetcher()).await;
                    (tl, r)
                });
                assert_bodies_in_order(results, n);
                let spans = request_spans(&tl, n);
                assert!(
                    spans
                        .iter()
                        .all(|(a, b)| *a != u128::MAX && *b != u128::MAX),
                    "{}",
                    tr!(
                        en: "every URL must be requested once and answered: (start ms, end ms) \
                             per URL {spans:?}",
                        ru: "каждый URL должен быть запрошен один раз и получить ответ: (начало \
                             мс, конец мс) по URL {spans:?}",
                    )
                );
                assert_sliding_window(
                    &spans,
                    limit,
                    &tr!(
                        en: "{n} downloads with a limit of {limit}, URL {slow} slow (300 ms, the \
                             others 100 ms)",
                        ru: "{n} загрузок при лимите {limit}, URL {slow} медленный (300 мс, \
                             остальные 100 мс)",
                    ),
                    &tr!(
                        en: "A limit is a sliding window, not batches: the next download starts \
                             as soon as ANY one ends (one task per URL, each holding a semaphore \
                             permit while it downloads).",
                        ru: "Лимит — это скользящее окно, а не пачки: следующая загрузка \
                             начинается, как только закончится ЛЮБАЯ (одна задача на URL, каждая \
                             держит разрешение семафора, пока загружает).",
                    ),
                );
            }
        })
    }

    #[test]
    fn a_panicking_download_panics_the_caller() {
        check!(|| {
            let fetcher = || {
                let server = VirtualServer::new(Duration::from_millis(100));
                move |url: String| -> support::Download {
                    let fetch = server.fetcher();
                    if url.ends_with("/2") {
                        Box::pin(async {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            panic!("{FED_PANIC}: the download of resource 2");
                        })
                    } else {
                        fetch(url)
                    }
                }
            };
            let urls = VirtualServer::new(Duration::ZERO).urls(5);
            let shown = |v: Vec<Result<String, checker::kit::http::HttpError>>| {
                format!("{} results", v.len())
            };
            assert_panic_passed_on("download_all", download_all(urls.clone(), fetcher()), shown);
            assert_panic_passed_on(
                "download_limited",
                download_limited(urls, 2, fetcher()),
                shown,
            );
        })
    }

    #[test]
    fn failed_downloads_stay_in_their_place() {
        check!(|| {
            let server = VirtualServer::new(Duration::from_millis(10));
            let urls = vec![
                server.urls(1)[0].clone(),
                "virtual://nowhere".to_string(),
                server.urls(3)[2].clone(),
            ];
            let (all, limited) = in_virtual_time(async {
                (
                    download_all(urls.clone(), server.fetcher()).await,
                    download_limited(urls.clone(), 2, server.fetcher()).await,
                )
            });
            for (name, results) in [("download_all", all), ("download_limited", limited)] {
                assert_eq!(
                    results.len(),
                    3,
                    "{}",
                    tr!(
                        en: "{name}: one result per URL, errors included",
                        ru: "{name}: по одному результату на URL, ошибки тоже",
                    )
                );
                assert_eq!(
                    results[0].as_deref().ok(),
                    Some(body_of(0).as_str()),
                    "{name}"
                );
                assert!(
                    results[1].is_err(),
                    "{}",
                    tr!(
                        en: "{name}: a bad URL gives an Err in its place",
                        ru: "{name}: плохой URL даёт Err на своём месте",
                    )
                );
                assert_eq!(
                    results[2].as_deref().ok(),
                    Some(body_of(2).as_str()),
                    "{name}"
                );
            }
        })
    }

    #[test]
    fn a_real_server_never_sees_more_than_the_limit() {
        check!(|| {
            let server = SlowServer::start(Duration::from_millis(20), 12).unwrap();
            let fetch = |url: String| async move { checker::kit::http::fetch(&url).await };
            let all = on_one_thread(download_all(server.urls(), fetch));
            let expected: Vec<String> = (0..12).map(body_of).collect();
            assert_eq!(
                bodies(all),
                expected,
                "{}",
                tr!(
                    en: "real downloads: one body per URL, in order",
                    ru: "настоящие загрузки: по одному телу на URL, по порядку",
                )
            );
            server.reset_counts();
            let limited = on_one_thread(download_limited(server.urls(), 4, fetch));
            assert_eq!(
                bodies(limited),
                expected,
                "{}",
                tr!(
                    en: "real downloads with a limit: one body per URL, in order",
                    ru: "настоящие загрузки с лимитом: по одному телу на URL, по порядку",
                )
            );
            assert!(
                server.max_in_flight() <= 4,
                "{}",
                tr!(
                    en: "the real server saw {} requests at once with a limit of 4",
                    ru: "настоящий сервер видел {} запросов одновременно при лимите 4",
                    server.max_in_flight(),
                )
            );
        })
    }

    #[test]
    fn timeline() {
        check!(|| {
            let tl = lab4::demo::scenarios::downloads_in_waves();
            assert_timeline(
                "4_4_downloads_in_waves",
                &[("download_limited(3) of 9 (virtual time)", &tl)],
            );
        })
    }

    #[test]
    fn demo_section() {
        check!(|| DemoPart::new(RUN_LAB, "4.4").assert_matches())
    }
}

mod task_4_5 {
    use super::*;
    use lab4::blocking::{nap, run_blocking};

    #[test]
    fn nap_leaves_the_thread_to_other_tasks() {
        check!(|| {
            // Real time, one thread: a task that needs 30 ms races a nap of 3 s. If nap
            // blocks the thread, the task cannot even start until the nap is over.
            let first = on_one_thread(async {
                let (tx, rx) = tokio::sync::oneshot::channel();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(30)).await;
                    let _ = tx.send(());
                });
                tokio::select! {
                    biased;
                    _ = rx => "the other task",
                    _ = nap(Duration::from_secs(3)) => "nap",
                }
            });
            assert_eq!(
                first,
                "the other task",
                "{}",
                tr!(
                    en: "nap(3 s) ended before a 30 ms task on the same thread could run: nap \
                         blocked the thread (std::thread::sleep?). Await tokio::time::sleep(d) \
                         instead: asyncio.sleep, not time.sleep.",
                    ru: "nap(3 с) закончился раньше, чем смогла выполниться 30-миллисекундная \
                         задача в том же потоке: nap заблокировал поток (std::thread::sleep?). \
                         Вместо этого ждите tokio::time::sleep(d): asyncio.sleep, а не \
                         time.sleep.",
                )
            );
        })
    }

    #[test]
    fn nap_moves_tokios_clock() {
        check!(|| {
            let (elapsed, ()) = timed_in_virtual_time(nap(Duration::from_secs(2)));
            assert_eq!(
                elapsed,
                Duration::from_secs(2),
                "{}",
                tr!(
                    en: "nap(2 s) took {elapsed:?} on tokio's (paused) clock: a std sleep does \
                         not move tokio's clock, and a nap must really wait: \
                         tokio::time::sleep(d).await",
                    ru: "nap(2 с) занял {elapsed:?} по часам tokio (на паузе): сон из std не \
                         двигает часы tokio, а nap должен действительно ждать: \
                         tokio::time::sleep(d).await",
                )
            );
        })
    }

    #[test]
    fn run_blocking_keeps_the_loop_running() {
        check!(|| {
            // A ticker ticks every 2 ms on the loop's thread. The blocking function waits
            // until it has seen 3 ticks (giving up after 3 s): that only happens if it runs
            // on another thread while the loop keeps going.
            let loop_thread = thread::current().id();
            let (seen, ran_on, value) = on_one_thread(async {
                let ticks = Arc::new(AtomicUsize::new(0));
                let ticker = tokio::spawn({
                    let ticks = ticks.clone();
                    async move {
                        loop {
                            tokio::time::sleep(Duration::from_millis(2)).await;
                            ticks.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                });
                let (seen, ran_on) = run_blocking(move || {
                    let (start, t0) = (ticks.load(Ordering::SeqCst), std::time::Instant::now());
                    while ticks.load(Ordering::SeqCst) - start < 3
                        && t0.elapsed() < Duration::from_secs(3)
                    {
                        thread::sleep(Duration::from_millis(1));
                    }
                    (ticks.load(Ordering::SeqCst) - start, thread::current().id())
                })
                .await;
                ticker.abort();
                (seen, ran_on, run_blocking(|| 6 * 7).await)
            });
            assert!(
                ran_on != loop_thread && seen >= 3,
                "{}",
                tr!(
                    en: "the ticker ticked {seen} times in 3 s while the blocking function ran: \
                         it ran on the loop's own thread and froze it. Run it with \
                         tokio::task::spawn_blocking(f) (asyncio.to_thread).",
                    ru: "тикер тикнул {seen} раз за 3 с, пока работала блокирующая функция: она \
                         выполнялась в собственном потоке цикла событий и заморозила его. \
                         Запускайте её через tokio::task::spawn_blocking(f) (asyncio.to_thread).",
                )
            );
            assert_eq!(
                value,
                42,
                "{}",
                tr!(
                    en: "run_blocking returns what f returned",
                    ru: "run_blocking возвращает то, что вернула f",
                )
            );
        })
    }

    #[test]
    fn a_panic_in_the_blocking_function_reaches_the_caller() {
        check!(|| {
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                on_one_thread(run_blocking(|| -> u32 {
                    panic!("{FED_PANIC}: the blocking function")
                }))
            }));
            match outcome {
                Err(payload) if panic_message(&*payload).contains(FED_PANIC) => {}
                Err(payload) => resume_unwind(payload),
                Ok(v) => panic!(
                    "{}",
                    tr!(
                        en: "run_blocking(f) returned {v} although f panicked: pass the panic on \
                             (the JoinHandle of spawn_blocking gives Err(e): \
                             std::panic::resume_unwind(e.into_panic()))",
                        ru: "run_blocking(f) вернула {v}, хотя f запаниковала: передайте панику \
                             дальше (JoinHandle от spawn_blocking даёт Err(e): \
                             std::panic::resume_unwind(e.into_panic()))",
                    )
                ),
            }
        })
    }

    #[test]
    fn demo_section() {
        check!(|| DemoPart::new(RUN_LAB, "4.5").assert_matches())
    }
}

mod task_4_6 {
    use super::*;
    use lab4::bridge::{call_from_thread, report_from_async};

    #[test]
    fn call_from_thread_runs_the_future_on_the_loop() {
        check!(|| {
            let loop_thread = thread::current().id();
            let results = ask_the_loop_from_threads(
                (0..3u32)
                    .map(|i| async move {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        i * 10
                    })
                    .collect(),
            );
            let values: Vec<u32> = results.iter().map(|(v, _)| *v).collect();
            assert_eq!(
                values,
                [0, 10, 20],
                "{}",
                tr!(
                    en: "each thread gets its own future's output",
                    ru: "каждый поток получает результат своей футуры",
                )
            );
            assert!(
                results.iter().all(|(_, t)| *t == loop_thread),
                "{}",
                tr!(
                    en: "the futures ran on another thread than the event loop's: \
                         handle.block_on(fut) polls fut on the calling thread, and a new runtime \
                         is another loop. handle.spawn(fut) sends it to the loop; then block on \
                         the JoinHandle.",
                    ru: "футуры выполнились не в потоке цикла событий: handle.block_on(fut) \
                         опрашивает fut в вызывающем потоке, а новая исполняющая среда — это \
                         другой цикл. handle.spawn(fut) отправляет её в цикл; затем блокируйтесь \
                         на JoinHandle.",
                )
            );
        })
    }

    #[test]
    fn a_panicking_future_panics_the_calling_thread() {
        check!(|| {
            let outcome = on_one_thread(async {
                let handle = tokio::runtime::Handle::current();
                let caller = thread::spawn(move || {
                    call_from_thread(&handle, async {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        panic!("{FED_PANIC}: the future sent to the loop");
                    })
                });
                // Join without blocking the loop: the loop must run the future.
                tokio::task::spawn_blocking(move || caller.join())
                    .await
                    .unwrap_or_else(|e| resume_unwind(e.into_panic()))
            });
            match outcome {
                Err(payload) if panic_message(&*payload).contains(FED_PANIC) => {}
                Err(payload) => resume_unwind(payload),
                Ok(()) => unreachable!("the future cannot return"),
            }
        })
    }

    #[test]
    fn report_from_async_works_inside_the_loop() {
        check!(|| {
            let report = catch_unwind(AssertUnwindSafe(|| on_one_thread(report_from_async())));
            match report {
                Ok(report) => assert_eq!(report, "report: 42"),
                Err(payload) => {
                    let m = panic_message(&*payload);
                    if m.contains("from within a runtime") {
                        panic!(
                            "{}",
                            tr!(
                                en: "a runtime was started inside a runtime: report_from_async \
                                     called legacy_report on the event loop's own thread, where \
                                     it blocks (block_on) waiting for a task only that thread can \
                                     run, so tokio refused: {m:?}. Move the blocking call off the \
                                     loop: tokio::task::spawn_blocking(move || \
                                     legacy_report(&handle)).",
                                ru: "исполняющая среда запущена внутри исполняющей среды: \
                                     report_from_async вызвала legacy_report в собственном потоке \
                                     цикла событий, где та блокируется (block_on) в ожидании \
                                     задачи, которую может выполнить только этот поток, поэтому \
                                     tokio отказался: {m:?}. Вынесите блокирующий вызов из цикла: \
                                     tokio::task::spawn_blocking(move || legacy_report(&handle)).",
                            )
                        );
                    }
                    resume_unwind(payload)
                }
            }
        })
    }

    #[test]
    fn demo_section() {
        check!(|| DemoPart::new(RUN_LAB, "4.6").assert_matches())
    }
}

mod task_4_7 {
    use super::*;
    use lab4::cooperative::cooperative_sum;

    #[test]
    fn sums_exactly() {
        check!(|| {
            let sums = on_one_thread(async {
                [
                    cooperative_sum(0, 5).await,
                    cooperative_sum(10, 3).await,
                    cooperative_sum(10, 1).await,
                    cooperative_sum(1_000_000, 1_000).await,
                ]
            });
            assert_eq!(
                sums,
                [0, 45, 45, 499_999_500_000],
                "{}",
                tr!(en: "0 + 1 + … + (n - 1)", ru: "0 + 1 + … + (n - 1)")
            );
        })
    }

    #[test]
    fn other_tasks_get_turns_during_a_long_sum() {
        check!(|| {
            // A task that counts its turns, on the same thread. While the sum runs it can only
            // run when the sum yields: no yield, no turn at all.
            let (sum, turns) = on_one_thread(async {
                let turns = Arc::new(AtomicUsize::new(0));
                let other = tokio::spawn({
                    let turns = turns.clone();
                    async move {
                        loop {
                            tokio::task::yield_now().await;
                            turns.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                });
                let before = turns.load(Ordering::SeqCst);
                let sum = cooperative_sum(2_000_000, 1_000).await;
                let turns = turns.load(Ordering::SeqCst) - before;
                other.abort();
                (sum, turns)
            });
            assert_eq!(sum, 1_999_999_000_000);
            assert!(
                turns >= 5,
                "{}",
                tr!(
                    en: "another task on the same thread got {turns} turn(s) while \
                         cooperative_sum(2 000 000, every 1 000) ran: the loop never gave the \
                         thread back. Call tokio::task::yield_now().await every `every` numbers.",
                    ru: "другая задача в том же потоке получила ходов: {turns}, пока работала \
                         cooperative_sum(2 000 000, каждые 1 000): цикл ни разу не получил поток \
                         обратно. Вызывайте tokio::task::yield_now().await каждые `every` чисел.",
                )
            );
        })
    }

    #[test]
    fn yields_once_every_every_numbers() {
        check!(|| {
            for (n, every) in [(10_000u64, 100u64), (5_000, 1_000), (999, 1_000), (300, 7)] {
                let (sum, yields) = sum_and_yields(n, every);
                assert_eq!(
                    sum,
                    n * n.saturating_sub(1) / 2,
                    "{}",
                    tr!(en: "0 + 1 + … + ({n} - 1)", ru: "0 + 1 + … + ({n} - 1)")
                );
                let expected = n / every;
                assert!(
                    yields + 1 >= expected && yields <= expected + 1,
                    "{}",
                    tr!(
                        en: "cooperative_sum({n}, every {every}) yielded {yields} time(s), about \
                             {expected} expected: one tokio::task::yield_now().await every \
                             `every` numbers (too rarely starves the other tasks; at every number \
                             the loop spends its time switching)",
                        ru: "cooperative_sum({n}, каждые {every}) уступила управление {yields} \
                             раз(а), ожидалось около {expected}: один \
                             tokio::task::yield_now().await каждые `every` чисел (слишком редко — \
                             другие задачи голодают; на каждом числе цикл тратит время на \
                             переключения)",
                    )
                );
            }
        })
    }

    #[test]
    fn demo_section() {
        check!(|| DemoPart::new(RUN_LAB, "4.7").assert_matches())
    }
}

mod task_4_8 {
    use super::*;
    use futures::StreamExt;
    use lab4::streams::{consume, ticks, with_session};
    use lab4::support::Session;

    #[test]
    fn ticks_yields_one_item_per_interval() {
        check!(|| {
            let (items, end) = in_virtual_time(async {
                let t0 = Instant::now();
                let mut s = std::pin::pin!(ticks(3, Duration::from_millis(100)));
                let mut items = Vec::new();
                while let Some(x) = s.next().await {
                    items.push((ms(t0.elapsed()), x));
                }
                (items, ms(t0.elapsed()))
            });
            assert_eq!(
                items,
                [(100, 0), (200, 1), (300, 2)],
                "{}",
                tr!(
                    en: "(ms, item): wait `every` BEFORE each item, then yield 0, 1, 2",
                    ru: "(мс, элемент): ждите `every` ПЕРЕД каждым элементом, затем выдайте 0, 1, \
                         2",
                )
            );
            assert_eq!(
                end,
                300,
                "{}",
                tr!(
                    en: "the stream ends right after the last item",
                    ru: "поток данных заканчивается сразу после последнего элемента",
                )
            );
            let empty = in_virtual_time(async {
                ticks(0, Duration::from_secs(1)).collect::<Vec<_>>().await
            });
            assert!(
                empty.is_empty(),
                "{}",
                tr!(en: "ticks(0, ..) yields nothing", ru: "ticks(0, ..) ничего не выдаёт")
            );
        })
    }

    #[test]
    fn consume_reads_every_item_in_order() {
        check!(|| {
            let (a, b, c) = in_virtual_time(async {
                let slow = futures::stream::unfold(0u8, |i| async move {
                    if i == 3 {
                        return None;
                    }
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    Some((i * 2, i + 1))
                });
                (
                    consume(futures::stream::iter([3, 1, 2])).await,
                    consume(futures::stream::iter(Vec::<u8>::new())).await,
                    consume(slow).await,
                )
            });
            assert_eq!(
                a,
                [3, 1, 2],
                "{}",
                tr!(
                    en: "every item, in the stream's order",
                    ru: "каждый элемент, в порядке потока данных",
                )
            );
            assert!(
                b.is_empty(),
                "{}",
                tr!(
                    en: "an empty stream gives an empty Vec",
                    ru: "пустой поток данных даёт пустой Vec",
                )
            );
            assert_eq!(
                c,
                [0, 2, 4],
                "{}",
                tr!(
                    en: "a stream with waits: every item",
                    ru: "поток данных с ожиданиями: каждый элемент",
                )
            );
        })
    }

    #[test]
    fn with_session_awaits_the_close_after_the_body() {
        check!(|| {
            let (value, said) = in_virtual_time(async {
                let tl = Timeline::new();
                let value =
                    with_session(&tl, "db", async |s: &mut Session| s.query("q").await).await;
                (value, said(&tl))
            });
            let steps: Vec<(u128, &str)> = said.iter().map(|(t, _, w)| (*t, w.as_str())).collect();
            assert!(
                !steps.iter().any(|(_, w)| *w == "dropped without close"),
                "{}",
                tr!(
                    en: "the session was dropped without close(): Rust has no async Drop, await \
                         session.close() after the body. Steps: {steps:?}",
                    ru: "сессию выбросили без close(): в Rust нет асинхронного Drop, после тела \
                         дождитесь session.close(). Шаги: {steps:?}",
                )
            );
            assert_eq!(
                steps,
                [(10, "open"), (10, "query q"), (40, "closed")],
                "{}",
                tr!(
                    en: "(ms, step): open, the body's query, then the close awaited",
                    ru: "(мс, шаг): открытие, запрос тела, затем дождаться закрытия",
                )
            );
            assert_eq!(
                value,
                "q: ok",
                "{}",
                tr!(
                    en: "with_session returns the body's value",
                    ru: "with_session возвращает значение тела",
                )
            );
        })
    }

    #[test]
    fn timeline() {
        check!(|| {
            let ((stream, _), (session, _)) = (
                lab4::demo::scenarios::stream(),
                lab4::demo::scenarios::session(),
            );
            assert_timeline(
                "4_8_stream_and_session",
                &[
                    ("consume(ticks(4, 250 ms)) (virtual time)", &stream),
                    ("with_session(\"db\", two queries) (virtual time)", &session),
                ],
            );
        })
    }

    #[test]
    fn demo_section() {
        check!(|| DemoPart::new(RUN_LAB, "4.8").assert_matches())
    }
}
