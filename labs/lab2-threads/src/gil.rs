//! Task 2.4 — a GIL model: threads that take turns.
//!
//! Write `gil_sum`: the work of task 2.3, each chunk computed while holding `GIL`.
//!
//! Read `docs/src/lab2-threads.md#task-2-4`; check: `cargo course check 2.4`.
//!
//! Задание 2.4 — Модель GIL.
//!
//! Читайте `docs/src/lab2-threads.md#task-2-4`
//! (в русской книге: `ru/lab2-threads.html#task-2-4`); проверка: `cargo course check 2.4`.

use std::ops::Range;
use std::sync::Mutex;

/// The global interpreter lock of the model: one for the whole process, like CPython's.
/// It guards no data (`()`): what it protects is the right to run.
pub static GIL: Mutex<()> = Mutex::new(());

/// Task 2.4: the sum of `work(chunk)` over the `chunk_len`-long chunks of `range`, dealt
/// round-robin to `threads` threads, each chunk computed while holding [`GIL`]. Panics if
/// `threads` or `chunk_len` is 0.
pub fn gil_sum<F>(range: Range<u64>, threads: usize, chunk_len: u64, work: F) -> u64
where
    F: Fn(Range<u64>) -> u64 + Sync,
{
    let _ = (range, threads, chunk_len, work);
    todo!("task 2.4")
}
