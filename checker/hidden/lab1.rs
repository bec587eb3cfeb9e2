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

use checker::kit::server::{SlowServer, body_of};
use checker::{check, lab1};
use std::time::Duration;

mod task_1_1 {
    use super::*;
    use lab1::measure::measure;

    #[test]
    fn another_sleep_and_another_value() {
        check! {
            let (value, m) = measure(|| { std::thread::sleep(Duration::from_millis(45)); "forty-five" });
            assert_eq!(value, "forty-five", "measure must return what the closure returned");
            assert!(m.wall >= Duration::from_millis(45), "a 45 ms sleep measured {:?} of wall time", m.wall);
            assert!(m.cpu < m.wall, "a sleeping thread uses less CPU ({:?}) than wall time ({:?})", m.cpu, m.wall);
        }
    }
}

mod task_1_2 {
    use super::*;
    use lab1::measure::{Measurement, Workload, classify};

    #[test]
    fn other_ratios() {
        check! {
            let m = |w: u64, c: u64| Measurement { wall: Duration::from_millis(w), cpu: Duration::from_millis(c) };
            assert_eq!(classify(&m(3_000, 1_501)), Workload::CpuBound, "CPU 1.501 s in 3 s");
            assert_eq!(classify(&m(3_000, 1_499)), Workload::IoBound, "CPU 1.499 s in 3 s");
            assert_eq!(classify(&m(7, 7)), Workload::CpuBound, "CPU 7 ms in 7 ms");
        }
    }
}

mod task_1_3 {
    use super::*;
    use lab1::workloads::{count_primes, fib, is_prime};

    #[test]
    fn other_sizes() {
        check! {
            assert_eq!(fib(25), 75_025);
            assert_eq!(fib(20), 6_765);
            assert_eq!(count_primes(1_000), 168);
            assert_eq!(count_primes(50_000), 5_133);
            assert_eq!(count_primes(77_777), 7_645);
            assert!(is_prime(104_729) && !is_prime(104_731), "the 10000th prime is 104729");
        }
    }
}

mod task_1_4 {
    use super::*;
    use lab1::download::download_all;

    #[test]
    fn seven_resources_one_at_a_time() {
        check! {
            let server = SlowServer::start(Duration::from_millis(15), 7).unwrap();
            let urls: Vec<String> = [6, 2, 4, 0, 5, 1, 3].iter().map(|&i| server.url(i)).collect();
            let bodies: Vec<String> = download_all(&urls).into_iter().map(|r| r.expect("every resource exists")).collect();
            let expected: Vec<String> = [6, 2, 4, 0, 5, 1, 3].iter().map(|&i| body_of(i)).collect();
            assert_eq!(bodies, expected, "one body per URL, in the order of the URLs");
            assert_eq!(server.served(), 7);
            assert_eq!(server.max_in_flight(), 1, "one request at a time");
        }
    }
}

mod task_1_5 {
    use super::*;
    use lab1::measure::classify;
    use lab1::report::{ReportConfig, report};

    #[test]
    fn another_configuration() {
        check! {
            let server = SlowServer::start(Duration::from_millis(25), 2).unwrap();
            let config = ReportConfig { fib_n: 20, primes_below: 3_000, urls: server.urls() };
            let rows = report(&config);
            let names: Vec<&str> = rows.iter().map(|r| r.workload.as_str()).collect();
            assert_eq!(names, ["fib(20)", "count_primes(3000)", "download 2 resources"]);
            let bytes: u64 = (0..2).map(|i| body_of(i).len() as u64).sum();
            let values: Vec<u64> = rows.iter().map(|r| r.value).collect();
            assert_eq!(values, [6_765, 430, bytes]);
            for r in &rows {
                assert_eq!(r.verdict, classify(&r.measurement), "{}: the verdict must be classify(measurement)", r.workload);
            }
            assert_eq!(server.served(), 2, "each resource downloaded once");
        }
    }
}
