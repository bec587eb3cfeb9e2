//! Hidden checks of Lab 1 — the instructor's edition only.
//!
//! The same tasks as `checker/tests/lab1.rs`, with sizes, latencies and counts the students
//! never see: a solution that hard-codes the public answers (`count_primes(100_000) == 9592`)
//! passes the public checks and fails these. A correct solution passes both.
//!
//! How they are mounted: the grader appends a `[[test]] name = "lab1_hidden"` target with
//! this path to its scratch copy of `checker/Cargo.toml` and builds it after the student's
//! crate is compiled (so student code cannot `include_str!` this file), then runs each check
//! sandboxed like a public one. The handout never contains this folder.
//!
//! Rules (same as the public checks): structural evidence only, exact values, no upper bound
//! on real time; each check belongs to one `mod task_N_K`.

use checker::harness::existing_body;
use checker::kit::server::{SlowServer, body_of};
use checker::{check, lab1};
use model::lang::Lang;
use model::tr;
use std::time::Duration;

#[path = "../tests/support/lab1.rs"]
mod shared;

mod task_1_1 {
    use super::*;
    use lab1::measure::measure;

    #[test]
    fn another_sleep_and_another_value() {
        check!(|| {
            let (value, m) = measure(|| {
                std::thread::sleep(Duration::from_millis(45));
                "forty-five"
            });
            assert_eq!(
                value,
                "forty-five",
                "{}",
                tr!(
                    en: "measure must return what the closure returned",
                    ru: "measure должна вернуть то, что вернуло замыкание"
                )
            );
            assert!(
                m.wall >= Duration::from_millis(45),
                "{}",
                tr!(
                    en: "a 45 ms sleep measured {:?} of wall time",
                    ru: "сон на 45 мс дал {:?} астрономического времени",
                    m.wall
                )
            );
            assert!(
                m.cpu < m.wall,
                "{}",
                tr!(
                    en: "a sleeping thread uses less CPU ({:?}) than wall time ({:?})",
                    ru: "спящий поток тратит процессорного времени ({:?}) меньше, чем \
                         астрономического ({:?})",
                    m.cpu, m.wall
                )
            );
        })
    }

    /// Own CPU work while two other threads burn more: only the caller's counts.
    #[test]
    fn own_work_counted_other_threads_not() {
        check!(|| {
            let own = Duration::from_millis(40);
            let others = Duration::from_millis(80);
            let ((), m) = measure(|| {
                let burners: Vec<_> = (0..2)
                    .map(|_| std::thread::spawn(move || checker::kit::clock::burn_cpu(others)))
                    .collect();
                checker::kit::clock::burn_cpu(own);
                for b in burners {
                    b.join().unwrap_or_else(|e| {
                        panic!(
                            "{}: {e:?}",
                            tr!(
                                en: "the burner thread ends",
                                ru: "поток, нагружающий процессор, завершается"
                            )
                        )
                    });
                }
            });
            assert!(
                m.cpu >= own,
                "{}",
                tr!(
                    en: "the closure itself used {own:?} of CPU but {:?} was measured",
                    ru: "само замыкание потратило {own:?} процессорного времени, а измерено {:?}",
                    m.cpu
                )
            );
            // Halfway between the calling thread's own CPU and the least any other reading
            // gives: the process's CPU is own + 2 × others, and the wall time of 200 ms of CPU
            // work on two cores is at least 100 ms. A threshold nearer either side would let
            // a wrong reading pass or fail with the machine's load.
            assert!(
                m.cpu < own + others / 2,
                "{}",
                tr!(
                    en: "the closure used {own:?} of CPU, two other threads {others:?} each, and \
                         {:?} was measured: only the calling thread's CPU counts",
                    ru: "замыкание потратило {own:?} процессорного времени, два других потока — \
                         по {others:?}, а измерено {:?}: считается только процессорное время \
                         вызывающего потока",
                    m.cpu
                )
            );
            assert!(
                m.wall >= others,
                "{}",
                tr!(
                    en: "the closure waited for {others:?} of CPU work: wall {:?}",
                    ru: "замыкание ждало {others:?} работы процессора: астрономическое время {:?}",
                    m.wall
                )
            );
        })
    }

    /// Fractions of a millisecond are kept: a Duration rounded to whole milliseconds loses
    /// half of a 2.5 ms sleep's last millisecond.
    #[test]
    fn sub_millisecond_precision() {
        check!(|| {
            let (_, m) = measure(|| std::thread::sleep(Duration::from_micros(2_500)));
            assert!(
                m.wall >= Duration::from_micros(2_500),
                "{}",
                tr!(
                    en: "a 2.5 ms sleep measured {:?} of wall time",
                    ru: "сон на 2.5 мс дал {:?} астрономического времени",
                    m.wall
                )
            );
            let (_, m) = measure(|| checker::kit::clock::burn_cpu(Duration::from_micros(2_500)));
            assert!(
                m.cpu >= Duration::from_micros(2_500),
                "{}",
                tr!(
                    en: "2.5 ms of CPU work measured {:?} of CPU",
                    ru: "2.5 мс работы процессора дали {:?} процессорного времени",
                    m.cpu
                )
            );
        })
    }

    #[test]
    fn a_panic_in_f_propagates() {
        check!(|| {
            let caught = std::panic::catch_unwind(|| {
                measure(|| -> u8 {
                    panic!("{}", tr!(en: "boom in f", ru: "f взрывается"))
                })
            });
            assert!(
                caught.is_err(),
                "{}",
                tr!(
                    en: "f panicked: measure must let the panic through, not invent a value",
                    ru: "f завершилась паникой: measure должна пропустить панику дальше, а не \
                         выдумывать значение"
                )
            );
        })
    }
}

mod task_1_2 {
    use super::*;
    use lab1::measure::Workload::{CpuBound, IoBound};
    use lab1::measure::{Measurement, Workload, classify};

    /// Asserts YOUR classify's verdict on each `(wall, cpu, verdict, what)`, the times in
    /// `unit`s (`Duration::from_millis`); `what` is in English and in Russian.
    fn assert_classified(unit: fn(u64) -> Duration, cases: &[(u64, u64, Workload, [&str; 2])]) {
        for &(wall, cpu, verdict, [en, ru]) in cases {
            let m = Measurement {
                wall: unit(wall),
                cpu: unit(cpu),
            };
            assert_eq!(classify(&m), verdict, "{}", Lang::current().pick(en, ru));
        }
    }

    #[test]
    fn other_ratios() {
        check!(|| {
            assert_classified(
                Duration::from_millis,
                &[
                    (
                        3_000,
                        1_501,
                        CpuBound,
                        ["CPU 1.501 s in 3 s", "процессор 1.501 с за 3 с"],
                    ),
                    (
                        3_000,
                        1_499,
                        IoBound,
                        ["CPU 1.499 s in 3 s", "процессор 1.499 с за 3 с"],
                    ),
                    (
                        7,
                        7,
                        CpuBound,
                        ["CPU 7 ms in 7 ms", "процессор 7 мс за 7 мс"],
                    ),
                ],
            );
        })
    }

    #[test]
    fn nanosecond_precision() {
        check!(|| {
            let half = [
                "CPU 500 ns in 1 µs: exactly one half",
                "процессор 500 нс за 1 мкс: ровно половина",
            ];
            let below = ["just below one half", "чуть меньше половины"];
            let cores = [
                "more CPU than wall (several cores)",
                "процессора больше, чем астрономического времени (несколько ядер)",
            ];
            assert_classified(
                Duration::from_nanos,
                &[
                    (1_000, 500, CpuBound, half),
                    (
                        1_000,
                        499,
                        IoBound,
                        ["CPU 499 ns in 1 µs", "процессор 499 нс за 1 мкс"],
                    ),
                    (
                        7_300_000,
                        3_700_000,
                        CpuBound,
                        ["CPU 3.7 ms in 7.3 ms", "процессор 3.7 мс за 7.3 мс"],
                    ),
                    (
                        3_999_999,
                        1_999_000,
                        IoBound,
                        [
                            "CPU 1.999 ms in 3.999999 ms",
                            "процессор 1.999 мс за 3.999999 мс",
                        ],
                    ),
                    (2_000_000_000, 999_999_999, IoBound, below),
                    (
                        1,
                        0,
                        IoBound,
                        ["no CPU at all in 1 ns", "совсем без процессора за 1 нс"],
                    ),
                    (1, 5, CpuBound, cores),
                ],
            );
        })
    }
}

mod task_1_3 {
    use super::*;
    use lab1::workloads::{count_primes, fib, is_prime};

    #[test]
    fn other_sizes() {
        check!(|| {
            assert_eq!(fib(25), 75_025);
            assert_eq!(fib(20), 6_765);
            assert_eq!(count_primes(1_000), 168);
            assert_eq!(count_primes(50_000), 5_133);
            assert_eq!(count_primes(77_777), 7_645);
            assert!(
                is_prime(104_729) && !is_prime(104_731),
                "{}",
                tr!(en: "the 10000th prime is 104729", ru: "10000-е простое число — 104729")
            );
            assert!(!is_prime(0) && !is_prime(1) && is_prime(2) && is_prime(3) && !is_prime(4));
            assert!(
                !is_prime(10_007 * 10_007) && !is_prime(2 * 65_537),
                "{}",
                tr!(en: "squares and even numbers", ru: "квадраты и чётные числа")
            );
            assert!(
                is_prime(1_000_000_007),
                "{}",
                tr!(en: "a large prime", ru: "большое простое число")
            );
            assert_eq!(
                [5, 6, 7, 8, 12, 13, 14].map(count_primes),
                [2, 3, 3, 4, 5, 5, 6]
            );
            assert_eq!((fib(1), fib(2), fib(35)), (1, 1, 9_227_465));
        })
    }
}

mod task_1_4 {
    use super::*;
    use lab1::download::download_all;

    #[test]
    fn seven_resources_one_at_a_time() {
        check!(|| {
            let server = SlowServer::start(Duration::from_millis(15), 7).unwrap();
            let urls: Vec<String> = [6, 2, 4, 0, 5, 1, 3]
                .iter()
                .map(|&i| server.url(i))
                .collect();
            let bodies: Vec<String> = download_all(&urls).into_iter().map(existing_body).collect();
            let expected: Vec<String> = [6, 2, 4, 0, 5, 1, 3].iter().map(|&i| body_of(i)).collect();
            shared::assert_bodies_in_url_order(&bodies, &expected);
            assert_eq!(server.served(), 7);
            assert_eq!(
                server.max_in_flight(),
                1,
                "{}",
                tr!(en: "one request at a time", ru: "по одному запросу за раз")
            );
        })
    }

    #[test]
    fn none_and_only_failures() {
        check!(|| {
            let server = SlowServer::start(Duration::from_millis(5), 1).unwrap();
            assert!(
                download_all(&[]).is_empty(),
                "{}",
                tr!(en: "no URLs, no results", ru: "нет URL — нет результатов")
            );
            let urls = vec![server.url(4), server.url(5), server.url(0), server.url(6)];
            let results = download_all(&urls);
            let ok: Vec<bool> = results.iter().map(Result::is_ok).collect();
            assert_eq!(
                ok,
                [false, false, true, false],
                "{}",
                tr!(
                    en: "one result per URL, errors in place",
                    ru: "по одному результату на URL, ошибки на своих местах"
                )
            );
            assert_eq!(
                server.max_in_flight(),
                1,
                "{}",
                tr!(en: "one request at a time", ru: "по одному запросу за раз")
            );
        })
    }
}

mod task_1_5 {
    use super::*;
    use lab1::report::{ReportConfig, report};
    use lab1::workloads::{count_primes, fib};
    use shared::{
        assert_download_measured, assert_rows_named_for, assert_verdicts_are_classify, bytes_of,
        report_on, values_of,
    };

    #[test]
    fn another_configuration() {
        check!(|| {
            let server = SlowServer::start(Duration::from_millis(25), 2).unwrap();
            let (config, rows) = report_on(&server, 20, 3_000);
            let by_report = server.served();
            assert_rows_named_for(&rows, &config);
            server.reset_counts();
            assert_eq!(
                values_of(&rows),
                [fib(20), count_primes(3_000), bytes_of(&config.urls)]
            );
            assert_eq!(
                by_report,
                server.served(),
                "{}",
                tr!(
                    en: "the report calls download_all once",
                    ru: "отчёт вызывает download_all один раз"
                )
            );
            assert_verdicts_are_classify(&rows);
            assert_download_measured(&rows, Duration::from_millis(25));
        })
    }

    #[test]
    fn failures_and_no_urls() {
        check!(|| {
            let server = SlowServer::start(Duration::ZERO, 3).unwrap();
            let config = ReportConfig {
                fib_n: 1,
                primes_below: 0,
                urls: vec![server.url(8), server.url(2), server.url(9)],
            };
            let rows = report(&config);
            assert_rows_named_for(&rows, &config);
            assert_eq!(
                values_of(&rows),
                [fib(1), count_primes(0), bytes_of(&config.urls)],
                "{}",
                tr!(en: "failed downloads count 0 bytes", ru: "неудачные загрузки дают 0 байт")
            );
            let config = ReportConfig {
                fib_n: 0,
                primes_below: 3,
                urls: Vec::new(),
            };
            assert_eq!(
                values_of(&report(&config)),
                [fib(0), count_primes(3), 0],
                "{}",
                tr!(en: "no bytes from no URLs", ru: "нет URL — нет байт")
            );
        })
    }
}
