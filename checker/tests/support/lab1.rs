//! What Lab 1's public and hidden checks of the report (task 1.5) share: the expectations a
//! report is held to, each computed from the student's own tasks 1.1 to 1.4, so a mistake
//! in one of them costs that task alone.
//!
//! Included with `#[path]` by `checker/tests/lab1.rs` and `checker/hidden/lab1.rs`.

use checker::kit::server::SlowServer;
use checker::lab1::download::download_all;
use checker::lab1::measure::{classify, measure};
use checker::lab1::report::{ReportConfig, Row, report};
use model::tr;
use std::time::Duration;

/// YOUR report on `fib(fib_n)`, the primes below `primes_below` and every resource of
/// `server`, with the configuration it ran.
pub fn report_on(server: &SlowServer, fib_n: u32, primes_below: u64) -> (ReportConfig, Vec<Row>) {
    let config = ReportConfig {
        fib_n,
        primes_below,
        urls: server.urls(),
    };
    let rows = report(&config);
    (config, rows)
}

/// Bytes YOUR download_all (task 1.4) returns for `urls`, a failure counted as 0.
pub fn bytes_of(urls: &[String]) -> u64 {
    download_all(urls)
        .iter()
        .map(|r| r.as_ref().map_or(0, |body| body.len() as u64))
        .sum()
}

/// The rows' values, in order.
pub fn values_of(rows: &[Row]) -> Vec<u64> {
    rows.iter().map(|r| r.value).collect()
}

/// Asserts the bodies a download returned are `expected`, one per URL, in the URLs' order.
pub fn assert_bodies_in_url_order(bodies: &[String], expected: &[String]) {
    assert_eq!(
        bodies,
        expected,
        "{}",
        tr!(
            en: "one body per URL, in the order of the URLs",
            ru: "по одному телу на URL, в порядке URL"
        )
    );
}

/// Asserts the rows are the three workloads of `config`, in order and named as the task
/// says: `fib(N)`, `count_primes(L)`, `download K resources` (failed URLs counted).
pub fn assert_rows_named_for(rows: &[Row], config: &ReportConfig) {
    let names: Vec<&str> = rows.iter().map(|r| r.workload.as_str()).collect();
    let expected = [
        format!("fib({})", config.fib_n),
        format!("count_primes({})", config.primes_below),
        format!("download {} resources", config.urls.len()),
    ];
    assert_eq!(
        names,
        expected,
        "{}",
        tr!(
            en: "one row per workload, in this order",
            ru: "по одной строке на нагрузку, в этом порядке"
        )
    );
}

/// Asserts each row's verdict is YOUR classify (task 1.2) of its measurement.
pub fn assert_verdicts_are_classify(rows: &[Row]) {
    for r in rows {
        assert_eq!(
            r.verdict,
            classify(&r.measurement),
            "{}",
            tr!(
                en: "{}: the verdict must be classify(measurement)",
                ru: "{}: вердикт должен быть classify(measurement)",
                r.workload
            )
        );
    }
}

/// Asserts the download row (the third) took at least `latency`, one answer's latency of the
/// server. The report builds on measure (task 1.1) by design: this is asserted only when
/// YOUR measure times a plain sleep of `latency` right, so a broken measure costs 1.1 alone.
pub fn assert_download_measured(rows: &[Row], latency: Duration) {
    let (_, probe) = measure(|| std::thread::sleep(latency));
    let download = &rows[2];
    if probe.wall >= latency {
        assert!(
            download.measurement.wall >= latency,
            "{}",
            tr!(
                en: "downloading took only {:?}, less than one answer's latency: run download_all \
                     inside measure's closure",
                ru: "загрузка заняла лишь {:?}, меньше задержки одного ответа: запускайте \
                     download_all внутри замыкания measure",
                download.measurement.wall
            )
        );
    }
}
