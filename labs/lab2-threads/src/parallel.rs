//! Task 2.3 — CPU-bound work on T threads.
//!
//! ## TODO
//! - `split(range, parts)`: cut `range` into exactly `parts` contiguous ranges, in order,
//!   whose lengths differ by at most one; the longer ones come first. `split(0..10, 3)` is
//!   `[0..4, 4..7, 7..10]`; `split(0..2, 3)` is `[0..1, 1..2, 2..2]`.
//! - `parallel_sum(range, threads, work)`: run `work` on each range of
//!   `split(range, threads)`, each on its own thread, all at the same time, and return the
//!   sum of what they return. With `work = count_primes` it counts the primes in `range`.
//!
//! ## Hint
//! `std::thread::scope` lets the threads borrow `work`: spawn one thread per chunk, keep
//! the handles, then join them and add up. `work` is `Fn + Sync`, so a `&work` can go to
//! every thread. For `split`: with `len = end - start`, every part gets `len / parts`
//! numbers and the first `len % parts` parts get one more.
//!
//! ## Caveat
//! The checks pass an instrumented `work` that records which thread runs each chunk and
//! waits until all chunks are running: computing the chunks one after another on the
//! calling thread gives the right number with no speedup, and fails. On 2 cores, 2 threads
//! can be at most 2× faster; 4 threads are no faster than 2 (the demo shows both).

use std::ops::Range;

/// Task 2.3: `parts` contiguous ranges covering `range`, in order, lengths within one of
/// each other, longer first. Panics if `parts` is 0.
pub fn split(range: Range<u64>, parts: usize) -> Vec<Range<u64>> {
    let _ = (range, parts);
    todo!("task 2.3: len / parts each, plus one for the first len % parts")
}

/// Task 2.3: the sum of `work(chunk)` over the chunks of `split(range, threads)`, each chunk
/// computed on its own thread, all at once. Panics if `threads` is 0.
pub fn parallel_sum<F>(range: Range<u64>, threads: usize, work: F) -> u64
where
    F: Fn(Range<u64>) -> u64 + Sync,
{
    let _ = (range, threads, work);
    todo!(
        "task 2.3: std::thread::scope, one thread per chunk of split(range, threads), join and add"
    )
}
