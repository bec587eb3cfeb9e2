//! Hidden checks of Lab 4 — the instructor's edition only.
//!
//! The same tasks as `checker/tests/lab4.rs`, with other sizes, latencies and counts,
//! uneven durations and panicking jobs: a solution tuned to the public checks' numbers fails
//! here, a correct one passes both. Virtual time (tokio's paused clock) makes every duration
//! exact; no check bounds real time.
//!
//! Rules (same as the public checks): structural evidence only, exact values, every legal
//! interleaving accepted; each check belongs to one `mod task_N_K`.

use checker::harness::{in_virtual_time, on_one_thread};
use checker::kit::timeline::Timeline;
use checker::{check, lab4};
use lab4::support::{VirtualServer, body_of};
use model::tr;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

#[path = "../tests/support/lab4.rs"]
mod shared;
use shared::{
    Fate, ask_the_loop_from_threads, assert_sliding_window, fate_of, ms, request_spans,
    sum_and_yields, timed_in_virtual_time,
};

/// The panic the checks feed in: told apart from any other (a `todo!()` passes through).
const FED_PANIC: &str = "a job fed by the hidden check panicked on purpose";

/// `body` must panic with [`FED_PANIC`]: not return, not hang (a virtual hour's cap).
fn assert_panics<T>(function: &str, body: impl Future<Output = T>) {
    match fate_of(FED_PANIC, body) {
        Fate::PassedOn => {}
        Fate::Hung => panic!(
            "{}",
            tr!(
                en: "{function}: a job panicked and {function} never returned (a hang)",
                ru: "{function}: работа запаниковала, и {function} так и не вернулась \
                     (зависание)",
            )
        ),
        Fate::Returned(_) => panic!(
            "{}",
            tr!(
                en: "{function}: a job panicked and {function} returned normally",
                ru: "{function}: работа запаниковала, а {function} вернулась как обычно",
            )
        ),
    }
}

mod task_4_1 {
    use super::*;
    use lab4::runtime::{run_on_current_thread, run_on_multi_thread};

    #[test]
    fn other_worker_counts() {
        check!(|| {
            for workers in [1usize, 5] {
                let n = run_on_multi_thread(workers, async {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    tokio::runtime::Handle::current().metrics().num_workers()
                });
                assert_eq!(
                    n,
                    workers,
                    "{}",
                    tr!(
                        en: "run_on_multi_thread({workers}, ..) must have {workers} workers",
                        ru: "у run_on_multi_thread({workers}, ..) должно быть рабочих потоков: \
                             {workers}",
                    )
                );
            }
            let v = run_on_current_thread(async {
                tokio::spawn(async {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    9
                })
                .await
                .unwrap_or(0)
            });
            assert_eq!(
                v,
                9,
                "{}",
                tr!(
                    en: "a spawned task that sleeps, on the current-thread runtime",
                    ru: "порождённая задача, которая спит, в однопоточной исполняющей среде",
                )
            );
        })
    }
}

mod task_4_2 {
    use super::*;
    use lab4::tasks::hello_world;

    #[test]
    fn the_same_story_later_on_the_clock() {
        check!(|| {
            let said = in_virtual_time(async {
                tokio::time::sleep(Duration::from_secs(10)).await;
                let tl = Timeline::new();
                hello_world(tl.clone()).await;
                lab4::support::said(&tl)
            });
            let said: Vec<(u128, &str)> = said.iter().map(|(t, _, w)| (*t, w.as_str())).collect();
            assert_eq!(
                said,
                [
                    (0, "started"),
                    (3000, "world"),
                    (4000, "hello"),
                    (4000, "finished")
                ]
            );
        })
    }
}

mod task_4_3 {
    use super::*;
    use futures::future::BoxFuture;
    use lab4::concurrent::{concurrently, sequentially};

    fn uneven(n: u64) -> Vec<(u64, u64)> {
        // (value, delay ms): a reproducible shuffle of delays.
        (0..n).map(|i| (i, (i * 7_919) % 53 * 10 + 5)).collect()
    }

    #[test]
    fn twenty_uneven_jobs() {
        check!(|| {
            let jobs = uneven(20);
            let max = jobs.iter().map(|(_, d)| *d).max().unwrap_or(0);
            let sum: u64 = jobs.iter().map(|(_, d)| *d).sum();
            let make = || -> Vec<BoxFuture<'static, u64>> {
                jobs.iter()
                    .map(|&(v, d)| -> BoxFuture<'static, u64> {
                        Box::pin(async move {
                            tokio::time::sleep(Duration::from_millis(d)).await;
                            v
                        })
                    })
                    .collect()
            };
            let (ct, c) = timed_in_virtual_time(concurrently(make()));
            let (st, s) = timed_in_virtual_time(sequentially(make()));
            let expected: Vec<u64> = (0..20).collect();
            assert_eq!(
                c,
                expected,
                "{}",
                tr!(
                    en: "concurrently: outputs in input order",
                    ru: "concurrently: результаты в порядке входа",
                )
            );
            assert_eq!(
                s,
                expected,
                "{}",
                tr!(
                    en: "sequentially: outputs in input order",
                    ru: "sequentially: результаты в порядке входа",
                )
            );
            assert_eq!(
                ms(ct),
                u128::from(max),
                "{}",
                tr!(
                    en: "concurrently of 20 jobs ends with the longest one",
                    ru: "concurrently из 20 работ заканчивается вместе с самым долгим",
                )
            );
            assert_eq!(
                ms(st),
                u128::from(sum),
                "{}",
                tr!(
                    en: "sequentially of 20 jobs takes the sum",
                    ru: "sequentially из 20 работ занимает сумму",
                )
            );
        })
    }

    #[test]
    fn a_panic_first_or_last_reaches_the_caller() {
        check!(|| {
            for at in [0usize, 4] {
                let jobs: Vec<BoxFuture<'static, u64>> = (0..5u64)
                    .map(|i| -> BoxFuture<'static, u64> {
                        Box::pin(async move {
                            tokio::time::sleep(Duration::from_millis(10 * (5 - i))).await;
                            if i as usize == at {
                                panic!("{FED_PANIC}: job {i}");
                            }
                            i
                        })
                    })
                    .collect();
                assert_panics("concurrently", concurrently(jobs));
            }
        })
    }
}

mod task_4_4 {
    use super::*;
    use lab4::downloads::{download_all, download_limited};

    #[test]
    fn a_sliding_window_with_several_slow_downloads() {
        check!(|| {
            for (n, limit) in [(13usize, 4usize), (9, 1), (5, 5), (11, 3)] {
                let (tl, results) = in_virtual_time(async {
                    let tl = Timeline::new();
                    let server = VirtualServer::new(Duration::from_millis(40))
                        .slow(1, Duration::from_millis(370))
                        .slow(n - 2, Duration::from_millis(250))
                        .recorded_on(&tl);
                    let r = download_limited(server.urls(n), limit, server.fetcher()).await;
                    (tl, r)
                });
                let bodies: Vec<String> = results
                    .into_iter()
                    .map(|r| {
                        r.unwrap_or_else(|e| {
                            panic!(
                                "{}: {e:?}",
                                tr!(
                                    en: "no download fails",
                                    ru: "ни одна загрузка не завершается ошибкой",
                                )
                            )
                        })
                    })
                    .collect();
                assert_eq!(
                    bodies,
                    (0..n).map(body_of).collect::<Vec<_>>(),
                    "{}",
                    tr!(
                        en: "one body per URL, in URL order",
                        ru: "по одному телу на URL, в порядке URL",
                    )
                );
                let spans = request_spans(&tl, n);
                assert_sliding_window(
                    &spans,
                    limit,
                    &format!("{n} downloads, limit {limit}"),
                    &tr!(
                        en: "The next download starts as soon as any one ends.",
                        ru: "Следующая загрузка начинается, как только закончится любая.",
                    ),
                );
            }
        })
    }

    #[test]
    fn other_counts_all_at_once() {
        check!(|| {
            for n in [1usize, 37] {
                let server = VirtualServer::new(Duration::from_millis(70));
                let (elapsed, results) =
                    timed_in_virtual_time(download_all(server.urls(n), server.fetcher()));
                assert_eq!(results.len(), n);
                assert_eq!(
                    server.max_in_flight(),
                    n,
                    "{}",
                    tr!(
                        en: "all {n} downloads in flight at once",
                        ru: "все {n} загрузок идут одновременно",
                    )
                );
                assert_eq!(
                    ms(elapsed),
                    70,
                    "{}",
                    tr!(
                        en: "{n} downloads at once take one latency",
                        ru: "{n} загрузок сразу занимают одну задержку",
                    )
                );
            }
        })
    }

    #[test]
    fn a_panicking_download_with_a_limit_of_one() {
        check!(|| {
            let server = VirtualServer::new(Duration::from_millis(10));
            let fetch = move |url: String| -> lab4::support::Download {
                if url.ends_with("/3") {
                    Box::pin(async { panic!("{FED_PANIC}: download 3") })
                } else {
                    let f = server.fetcher();
                    f(url)
                }
            };
            let urls = VirtualServer::new(Duration::ZERO).urls(4);
            assert_panics(
                "download_limited",
                download_limited(urls.clone(), 1, fetch.clone()),
            );
            assert_panics("download_all", download_all(urls, fetch));
        })
    }
}

mod task_4_5 {
    use super::*;
    use lab4::blocking::{nap, run_blocking};

    #[test]
    fn other_naps_and_values() {
        check!(|| {
            let (elapsed, ()) = timed_in_virtual_time(async {
                nap(Duration::from_millis(1_500)).await;
                nap(Duration::ZERO).await;
            });
            assert_eq!(
                elapsed,
                Duration::from_millis(1_500),
                "{}",
                tr!(
                    en: "nap(1.5 s) then nap(0) take 1.5 s of tokio's clock",
                    ru: "nap(1,5 с), затем nap(0) занимают 1,5 с по часам tokio",
                )
            );
            let s = on_one_thread(run_blocking(|| "off the loop".to_string()));
            assert_eq!(s, "off the loop");
        })
    }
}

mod task_4_6 {
    use super::*;

    #[test]
    fn six_threads_ask_the_loop() {
        check!(|| {
            let loop_thread = std::thread::current().id();
            let results = ask_the_loop_from_threads(
                (0..6u64)
                    .map(|i| async move {
                        tokio::time::sleep(Duration::from_millis(3 * i)).await;
                        i * i
                    })
                    .collect(),
            );
            assert_eq!(
                results.iter().map(|(v, _)| *v).collect::<Vec<_>>(),
                [0, 1, 4, 9, 16, 25]
            );
            assert!(
                results.iter().all(|(_, t)| *t == loop_thread),
                "{}",
                tr!(
                    en: "every future runs on the loop's thread",
                    ru: "каждая футура выполняется в потоке цикла событий",
                )
            );
        })
    }
}

mod task_4_7 {
    use super::*;

    #[test]
    fn other_sizes_and_periods() {
        check!(|| {
            for (n, every) in [(12_345u64, 10u64), (1, 1), (64, 64), (100_000, 333)] {
                let (sum, yields) = sum_and_yields(n, every);
                assert_eq!(
                    sum,
                    n * (n - 1) / 2,
                    "{}",
                    tr!(en: "sum of 0..{n}", ru: "сумма 0..{n}")
                );
                let expected = n / every;
                assert!(
                    yields + 1 >= expected && yields <= expected + 1,
                    "{}",
                    tr!(
                        en: "cooperative_sum({n}, every {every}) yielded {yields} times, about \
                             {expected} expected",
                        ru: "cooperative_sum({n}, каждые {every}) уступила управление {yields} \
                             раз(а), ожидалось около {expected}",
                    )
                );
            }
        })
    }
}

mod task_4_8 {
    use super::*;
    use futures::StreamExt;
    use lab4::streams::{consume, ticks, with_session};
    use lab4::support::Session;

    #[test]
    fn other_counts_and_intervals() {
        check!(|| {
            let items = in_virtual_time(async {
                let t0 = Instant::now();
                let mut s = std::pin::pin!(ticks(5, Duration::from_millis(70)));
                let mut items = Vec::new();
                while let Some(x) = s.next().await {
                    items.push((ms(t0.elapsed()), x));
                }
                items
            });
            assert_eq!(items, [(70, 0), (140, 1), (210, 2), (280, 3), (350, 4)]);
            let got = in_virtual_time(consume(futures::stream::iter(0..1000u32)));
            assert_eq!(got, (0..1000).collect::<Vec<_>>());
        })
    }

    #[test]
    fn a_session_with_three_queries() {
        check!(|| {
            let (v, steps) = in_virtual_time(async {
                let tl = Timeline::new();
                let v = with_session(&tl, "x", async |s: &mut Session| {
                    let mut out = Vec::new();
                    for q in ["a", "b", "c"] {
                        out.push(s.query(q).await);
                    }
                    out
                })
                .await;
                (v, lab4::support::said(&tl))
            });
            assert_eq!(v, ["a: ok", "b: ok", "c: ok"]);
            let steps: Vec<(u128, &str)> = steps.iter().map(|(t, _, w)| (*t, w.as_str())).collect();
            assert_eq!(
                steps,
                [
                    (10, "open"),
                    (10, "query a"),
                    (30, "query b"),
                    (50, "query c"),
                    (80, "closed")
                ]
            );
        })
    }
}
