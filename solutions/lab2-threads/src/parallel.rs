//! Task 2.3 — CPU-bound work on T threads.
//! Задание 2.3 — Работа, ограниченная процессором (CPU-bound), на T потоках.
//!
//! ## Why this works
//! The chunks are disjoint and cover the range, so the partial counts add up to the
//! sequential count whatever order the threads run in. Each thread only reads its own
//! range and `work` (shared as `&F`, which is fine because `F: Sync`); nothing is written
//! to shared memory until the join hands each result back, so no lock is needed at all.
//! Every chunk is spawned before any is joined, so on 2 cores two chunks really compute at
//! the same instant: the wall time halves while the CPU time stays the same. Equal-length
//! chunks are equal work here because the demo's numbers sit around 10¹⁰, where every
//! number costs about the same to test.

use std::ops::Range;

/// Task 2.3: `parts` contiguous ranges covering `range`, in order, lengths within one of
/// each other, longer first. Panics if `parts` is 0.
pub fn split(range: Range<u64>, parts: usize) -> Vec<Range<u64>> {
    assert!(parts > 0, "split into 0 parts");
    let len = range.end.saturating_sub(range.start);
    let parts_u64 = parts as u64;
    let (base, extra) = (len / parts_u64, len % parts_u64);
    let mut start = range.start;
    (0..parts_u64)
        .map(|i| {
            let end = start + base + u64::from(i < extra);
            let chunk = start..end;
            start = end;
            chunk
        })
        .collect()
}

/// Task 2.3: the sum of `work(chunk)` over the chunks of `split(range, threads)`, each chunk
/// computed on its own thread, all at once. Panics if `threads` is 0.
pub fn parallel_sum<F>(range: Range<u64>, threads: usize, work: F) -> u64
where
    F: Fn(Range<u64>) -> u64 + Sync,
{
    let work = &work;
    std::thread::scope(|s| {
        let handles: Vec<_> = split(range, threads)
            .into_iter()
            .map(|chunk| s.spawn(move || work(chunk)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .sum()
    })
}
