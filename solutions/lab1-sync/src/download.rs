//! Task 1.4 — download resources one after another with a blocking client.
//! Задание 1.4 — Загрузка одного за другим.
//!
//! ## Why this works
//! `kit::http::get` does not return until the whole answer has arrived, so the loop never
//! has two requests out at once: N downloads cost N latencies, and the thread spends almost
//! all of that time asleep in the kernel, waiting for the socket. That idle time is what
//! threads (Lab 2) and tasks (Lab 4) will overlap.

use kit::http::HttpError;

/// Task 1.4: downloads every URL in order; one result per URL, errors kept in place.
pub fn download_all(urls: &[String]) -> Vec<Result<String, HttpError>> {
    urls.iter().map(|url| kit::http::get(url)).collect()
}
