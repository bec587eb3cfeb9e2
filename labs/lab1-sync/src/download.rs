//! Task 1.4 — download one after another.
//!
//! Write `download_all`: fetch every URL in order with the blocking client, one result each.
//!
//! Read `docs/src/lab1-sync.md#task-1-4`; check: `cargo course check 1.4`.
//!
//! Задание 1.4 — Загрузка одного за другим.
//!
//! Читайте `docs/src/lab1-sync.md#task-1-4`
//! (в русской книге: `ru/lab1-sync.html#task-1-4`); проверка: `cargo course check 1.4`.

use kit::http::HttpError;

/// Task 1.4: downloads every URL in order; one result per URL, errors kept in place.
pub fn download_all(urls: &[String]) -> Vec<Result<String, HttpError>> {
    let _ = urls;
    todo!("task 1.4")
}
