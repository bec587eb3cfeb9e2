//! Task 1.4 — download resources one after another with a blocking client.
//!
//! ## TODO
//! `download_all(urls)`: fetch every URL in order with [`kit::http::get`] and return one
//! result per URL, in the same order; a failed download is an `Err` in its place and the
//! next URLs are still fetched.
//!
//! ## Hint
//! `kit::http::get(url)` blocks this thread until the server answers. A plain `for` loop is
//! all this task needs: the point is to see what it costs.
//!
//! ## Caveat
//! The server answers each request after its latency, so N downloads take about
//! N × latency. The server counts how many requests it handles at once: here it must see
//! exactly one at a time.

use kit::http::HttpError;

/// Task 1.4: downloads every URL in order; one result per URL, errors kept in place.
pub fn download_all(urls: &[String]) -> Vec<Result<String, HttpError>> {
    let _ = urls;
    todo!("task 1.4: for each url, kit::http::get(url)")
}
