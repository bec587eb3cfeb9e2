//! Task 2.3 — CPU-bound work on T threads.
//!
//! Write `split` and `parallel_sum`: cut a range into even chunks, one thread per chunk.
//!
//! Read `docs/src/lab2-threads.md#task-2-3`; check: `cargo course check 2.3`.
//!
//! Задание 2.3 — Работа, ограниченная процессором (CPU-bound), на T потоках.
//!
//! Читайте `docs/src/lab2-threads.md#task-2-3`
//! (в русской книге: `ru/lab2-threads.html#task-2-3`); проверка: `cargo course check 2.3`.

use std::ops::Range;

/// Task 2.3: `parts` contiguous ranges covering `range`, in order, lengths within one of
/// each other, longer first. Panics if `parts` is 0.
pub fn split(range: Range<u64>, parts: usize) -> Vec<Range<u64>> {
    let _ = (range, parts);
    todo!("task 2.3")
}

/// Task 2.3: the sum of `work(chunk)` over the chunks of `split(range, threads)`, each chunk
/// computed on its own thread, all at once. Panics if `threads` is 0.
pub fn parallel_sum<F>(range: Range<u64>, threads: usize, work: F) -> u64
where
    F: Fn(Range<u64>) -> u64 + Sync,
{
    let _ = (range, threads, work);
    todo!("task 2.3")
}
