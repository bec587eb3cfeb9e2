//! Checks of Lab 1 — synchronous code (labs/lab1-sync).
//!
//! Contents, one module per task of course.toml:
//! - task_1_1  measure: wall vs CPU of a sleep, of a known amount of CPU work, and of a wait
//!   while another thread burns CPU (the thread's clock, not the process's)
//! - task_1_2  classify: exact verdicts for hand-made measurements, fractions of a ms included
//! - task_1_3  fib and count_primes: exact values; the demo's "Task 1.3" section (snapshot)
//! - task_1_4  sequential downloads: order, errors in place, one request at a time; the
//!   demo's "Task 1.4" section (snapshot)
//! - task_1_5  the report: rows, values, verdicts consistent, requests counted, a failed
//!   download counted as 0 bytes; the demo's "Task 1.5" section
//!
//! Each task snapshots only its own section of the demo, and the report's check compares
//! with your own fib and count_primes: a mistake in one task costs that task alone.
//!
//! Timing is never asserted tightly: a sleep of 30 ms takes *at least* 30 ms (the OS never
//! wakes a thread early), and a busy loop that ran until the thread's CPU clock advanced
//! 30 ms used *at least* 30 ms of CPU. Those bounds hold on any machine, however busy.

use crate::run_lab::RUN_LAB;
use checker::harness::{assert_downloads_in_place, assert_requests, existing_body};
use checker::kit::server::{SlowServer, body_of};
use checker::snapshot::DemoPart;
use checker::{check, lab1};
use model::tr;
use std::time::Duration;

#[path = "support/lab1.rs"]
mod shared;

mod task_1_1 {
    use super::*;
    use lab1::measure::measure;

    #[test]
    fn a_sleep_shows_as_wall_time_not_cpu_time() {
        check!(|| {
            let (value, m) = measure(|| {
                std::thread::sleep(Duration::from_millis(30));
                7
            });
            assert_eq!(
                value,
                7,
                "{}",
                tr!(
                    en: "measure must return what the closure returned",
                    ru: "measure должна вернуть то, что вернуло замыкание"
                )
            );
            assert!(
                m.wall >= Duration::from_millis(30),
                "{}",
                tr!(
                    en: "a 30 ms sleep measured {:?} of wall time",
                    ru: "сон на 30 мс дал {:?} астрономического времени",
                    m.wall
                )
            );
            assert!(
                m.cpu < Duration::from_millis(20),
                "{}",
                tr!(
                    en: "a sleeping thread uses almost no CPU, but {:?} was measured: is cpu read \
                         from the thread's CPU clock (kit::clock::thread_cpu_time), not the wall \
                         clock?",
                    ru: "спящий поток почти не тратит процессор, а измерено {:?}: читается ли cpu \
                         с часов процессорного времени потока (kit::clock::thread_cpu_time), а \
                         не с астрономических часов?",
                    m.cpu
                )
            );
        })
    }

    #[test]
    fn cpu_work_shows_as_cpu_time() {
        check!(|| {
            let ((), m) = measure(|| checker::kit::clock::burn_cpu(Duration::from_millis(30)));
            assert!(
                m.cpu >= Duration::from_millis(30),
                "{}",
                tr!(
                    en: "30 ms of CPU work measured {:?} of CPU",
                    ru: "30 мс работы процессора дали {:?} процессорного времени",
                    m.cpu
                )
            );
            assert!(
                m.wall + Duration::from_millis(2) >= m.cpu,
                "{}",
                tr!(
                    en: "one thread cannot use more CPU ({:?}) than wall time ({:?})",
                    ru: "один поток не может потратить процессорного времени ({:?}) больше, чем \
                         астрономического ({:?})",
                    m.cpu, m.wall
                )
            );
        })
    }

    /// Another thread of the process burns a known amount of CPU while the measured closure
    /// only waits for it: the process's CPU clock advances by that amount, this thread's by
    /// almost nothing. Certain on any machine: the closure returns only once the other thread
    /// has used its CPU (measured on its own thread clock), however long that takes.
    #[test]
    fn another_threads_cpu_is_not_counted() {
        check!(|| {
            let burn = Duration::from_millis(120);
            let ((), m) = measure(|| {
                std::thread::spawn(move || checker::kit::clock::burn_cpu(burn))
                    .join()
                    .unwrap_or_else(|e| {
                        panic!(
                            "{}: {e:?}",
                            tr!(
                                en: "the burner thread ends",
                                ru: "поток, нагружающий процессор, завершается"
                            )
                        )
                    });
            });
            assert!(
                m.wall >= burn,
                "{}",
                tr!(
                    en: "the closure waited for {burn:?} of another thread's CPU work but \
                         measured {:?} of                  wall time",
                    ru: "замыкание ждало, пока другой поток выполнит {burn:?} работы процессора, \
                         но измерено лишь {:?} астрономического времени",
                    m.wall
                )
            );
            assert!(
                m.cpu < burn / 2,
                "{}",
                tr!(
                    en: "while the measured closure only waited, another thread used {burn:?} of \
                         CPU, and                  measure reported cpu = {:?}: that is the \
                         whole process's CPU. Read this thread's                  clock \
                         (kit::clock::thread_cpu_time), not the process's (process_cpu_time)",
                    ru: "пока измеряемое замыкание только ждало, другой поток потратил {burn:?} \
                         процессорного времени, а measure вернула cpu = {:?}: это процессорное \
                         время всего процесса. Читайте часы этого потока \
                         (kit::clock::thread_cpu_time), а не процесса (process_cpu_time)",
                    m.cpu
                )
            );
        })
    }

    #[test]
    fn calls_the_closure_exactly_once() {
        check!(|| {
            let mut calls = 0;
            let _ = measure(|| calls += 1);
            assert_eq!(
                calls,
                1,
                "{}",
                tr!(
                    en: "measure must call f exactly once",
                    ru: "measure должна вызвать f ровно один раз"
                )
            );
        })
    }
}

mod task_1_2 {
    use super::*;
    use lab1::measure::{Measurement, Workload, classify};

    fn m(wall_ms: u64, cpu_ms: u64) -> Measurement {
        Measurement {
            wall: Duration::from_millis(wall_ms),
            cpu: Duration::from_millis(cpu_ms),
        }
    }

    #[test]
    fn busy_threads_are_cpu_bound() {
        check!(|| {
            assert_eq!(
                classify(&m(100, 97)),
                Workload::CpuBound,
                "{}",
                tr!(en: "CPU 97 ms in 100 ms", ru: "процессор 97 мс за 100 мс")
            );
            assert_eq!(
                classify(&m(2_000, 1_500)),
                Workload::CpuBound,
                "{}",
                tr!(en: "CPU 1.5 s in 2 s", ru: "процессор 1.5 с за 2 с")
            );
        })
    }

    #[test]
    fn waiting_threads_are_io_bound() {
        check!(|| {
            assert_eq!(
                classify(&m(1_000, 3)),
                Workload::IoBound,
                "{}",
                tr!(en: "CPU 3 ms in 1 s", ru: "процессор 3 мс за 1 с")
            );
            assert_eq!(
                classify(&m(100, 49)),
                Workload::IoBound,
                "{}",
                tr!(
                    en: "CPU 49 ms in 100 ms: below one half",
                    ru: "процессор 49 мс за 100 мс: меньше половины"
                )
            );
        })
    }

    /// Measurements shorter than a millisecond, or a fraction of one off a whole number:
    /// whole-millisecond arithmetic (`as_millis()`, integer division) flips these verdicts.
    #[test]
    fn fractions_of_a_millisecond_count() {
        check!(|| {
            let us = |wall: u64, cpu: u64| Measurement {
                wall: Duration::from_micros(wall),
                cpu: Duration::from_micros(cpu),
            };
            for (wall, cpu, expected) in [
                (5_100, 2_900, Workload::CpuBound),
                (2_900, 1_100, Workload::IoBound),
                (900, 600, Workload::CpuBound),
                (900, 100, Workload::IoBound),
                (1_000_001, 500_001, Workload::CpuBound),
            ] {
                assert_eq!(
                    classify(&us(wall, cpu)),
                    expected,
                    "{}",
                    tr!(
                        en: "CPU {cpu} µs in {wall} µs of wall time is a ratio of {:.3}: compute \
                             cpu / wall from the full Durations as f64 (as_secs_f64), not from \
                             whole milliseconds (as_millis) or an integer division",
                        ru: "процессор {cpu} мкс за {wall} мкс астрономического времени дают \
                             отношение {:.3}: вычисляйте cpu / wall по полным Duration как f64 \
                             (as_secs_f64), а не по целым миллисекундам (as_millis) и не \
                             целочисленным делением",
                        cpu as f64 / wall as f64
                    )
                );
            }
        })
    }

    #[test]
    fn the_threshold_and_zero_follow_the_doc() {
        check!(|| {
            assert_eq!(
                classify(&m(100, 50)),
                Workload::CpuBound,
                "{}",
                tr!(
                    en: "exactly one half is CPU-bound (>=)",
                    ru: "ровно половина — это CPU-bound (>=)"
                )
            );
            assert_eq!(
                classify(&m(0, 0)),
                Workload::CpuBound,
                "{}",
                tr!(
                    en: "a zero wall time counts as CPU-bound",
                    ru: "нулевое астрономическое время считается CPU-bound"
                )
            );
        })
    }
}

mod task_1_3 {
    use super::*;
    use lab1::workloads::{count_primes, fib, is_prime};

    #[test]
    fn fib_matches_the_sequence() {
        check!(|| {
            let first: Vec<u64> = (0..=12).map(fib).collect();
            assert_eq!(first, [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144]);
            assert_eq!(fib(30), 832_040);
        })
    }

    #[test]
    fn primes_are_found_by_trial_division() {
        check!(|| {
            let small: Vec<u64> = (0..30).filter(|&n| is_prime(n)).collect();
            assert_eq!(
                small,
                [2, 3, 5, 7, 11, 13, 17, 19, 23, 29],
                "{}",
                tr!(en: "0 and 1 are not prime; 2 is", ru: "0 и 1 не простые; 2 — простое")
            );
            assert!(
                is_prime(7_919) && !is_prime(7_917) && !is_prime(49),
                "{}",
                tr!(en: "squares of primes are not prime", ru: "квадраты простых чисел не простые")
            );
        })
    }

    #[test]
    fn count_primes_counts_strictly_below_the_limit() {
        check!(|| {
            assert_eq!(
                [0, 1, 2, 3, 4].map(count_primes),
                [0, 0, 0, 1, 2],
                "{}",
                tr!(en: "below 3 there is only 2", ru: "меньше 3 есть только 2")
            );
            assert_eq!(count_primes(100), 25);
            assert_eq!(count_primes(100_000), 9_592);
        })
    }

    #[test]
    fn the_demo_prints_both_values() {
        check!(|| DemoPart::new(RUN_LAB, "1.3").assert_matches())
    }
}

mod task_1_4 {
    use super::*;
    use lab1::download::download_all;

    #[test]
    fn downloads_every_resource_in_order() {
        check!(|| {
            let server = SlowServer::start(Duration::from_millis(20), 4).unwrap();
            let bodies: Vec<String> = download_all(&server.urls())
                .into_iter()
                .map(existing_body)
                .collect();
            let expected: Vec<String> = (0..4).map(body_of).collect();
            shared::assert_bodies_in_url_order(&bodies, &expected);
        })
    }

    #[test]
    fn one_request_at_a_time() {
        check!(|| {
            let server = SlowServer::start(Duration::from_millis(20), 5).unwrap();
            let _ = download_all(&server.urls());
            assert_requests(
                &server,
                5,
                1,
                &tr!(
                    en: "a sequential client sends the next request only after the previous \
                         answer",
                    ru: "последовательный клиент отправляет следующий запрос только после ответа \
                         на предыдущий"
                ),
            );
        })
    }

    #[test]
    fn a_failed_download_stays_in_its_place() {
        check!(|| {
            let server = SlowServer::start(Duration::ZERO, 2).unwrap();
            let urls = vec![server.url(0), server.url(7), server.url(1)];
            assert_downloads_in_place("", &download_all(&urls), &[Some(0), None, Some(1)]);
        })
    }

    #[test]
    fn the_demo_shows_one_request_at_a_time() {
        check!(|| DemoPart::new(RUN_LAB, "1.4").assert_matches())
    }
}

mod task_1_5 {
    use super::*;
    use lab1::download::download_all;
    use lab1::report::{ReportConfig, report};
    use lab1::workloads::{count_primes, fib};
    use shared::{
        assert_download_measured, assert_rows_named_for, assert_verdicts_are_classify, bytes_of,
        report_on, values_of,
    };

    #[test]
    fn rows_name_value_and_classify_each_workload() {
        check!(|| {
            let server = SlowServer::start(Duration::from_millis(40), 3).unwrap();
            let (config, rows) = report_on(&server, 24, 5_000);
            assert_rows_named_for(&rows, &config);
            // Compared with YOUR fib, count_primes and classify: the report is checked for its
            // glue; tasks 1.2 and 1.3 check the values themselves.
            let bytes: u64 = (0..3).map(|i| body_of(i).len() as u64).sum();
            assert_eq!(
                values_of(&rows),
                [fib(24), count_primes(5_000), bytes],
                "{}",
                tr!(
                    en: "values: fib(24), count_primes(5000), and the total bytes downloaded",
                    ru: "значения: fib(24), count_primes(5000) и общее число загруженных байт"
                )
            );
            assert_verdicts_are_classify(&rows);
            // Compared with what YOUR download_all asks of the server for the same URLs (a
            // mistake in task 1.4 is 1.4's): the report must call it once.
            let by_report = server.served();
            server.reset_counts();
            let _ = download_all(&config.urls);
            assert_eq!(
                by_report,
                server.served(),
                "{}",
                tr!(
                    en: "the report made {by_report} requests for 3 URLs where one download_all \
                         makes {}: call download_all exactly once, inside the measured closure \
                         (not once to measure and again for the value)",
                    ru: "отчёт сделал {by_report} запросов для 3 URL, а один вызов download_all \
                         делает {}: вызывайте download_all ровно один раз, внутри измеряемого \
                         замыкания (а не один раз для измерения и ещё раз ради значения)",
                    server.served()
                )
            );
            assert_download_measured(&rows, Duration::from_millis(40));
        })
    }

    #[test]
    fn a_failed_download_counts_zero_bytes() {
        check!(|| {
            let server = SlowServer::start(Duration::ZERO, 2).unwrap();
            let urls = vec![server.url(1), server.url(9), server.url(0)];
            let config = ReportConfig {
                fib_n: 10,
                primes_below: 10,
                urls,
            };
            let rows = report(&config);
            assert_eq!(
                rows.len(),
                3,
                "{}",
                tr!(
                    en: "three rows: fib, count_primes, download",
                    ru: "три строки: fib, count_primes, загрузка"
                )
            );
            assert_eq!(
                rows[2].workload,
                "download 3 resources",
                "{}",
                tr!(
                    en: "the row counts the URLs, failed ones included",
                    ru: "строка считает все URL, включая неудачные"
                )
            );
            let bytes = bytes_of(&config.urls);
            assert_eq!(
                rows[2].value,
                bytes,
                "{}",
                tr!(
                    en: "one of the three downloads fails: the value is the bytes of the others \
                         ({bytes}): a failed download counts 0 bytes and does not stop the \
                         report",
                    ru: "одна из трёх загрузок завершается ошибкой: значение — байты остальных \
                         ({bytes}): неудачная загрузка даёт 0 байт и не останавливает отчёт"
                )
            );
        })
    }

    #[test]
    fn the_demo_prints_the_report() {
        // Values are task 1.3's business and verdicts of short CPU workloads depend on the
        // machine's load: this snapshot holds the report's shape: rows, names, columns.
        check!(|| {
            DemoPart::new(RUN_LAB, "1.5")
                .filters(&[
                    (r"(\S)  \d+  \[time\]", "$1  [value]  [time]"),
                    (r"(\[ratio\]  )(CPU-bound|IO-bound)", "$1[verdict]"),
                ])
                .assert_matches()
        })
    }
}
