//! Task 2.4 — a GIL model: threads that take turns.
//! Задание 2.4 — Модель GIL.
//!
//! ## Why this works
//! The threads are real and the chunks are dealt to all of them, but every chunk's work
//! runs inside the one critical section of [`GIL`]: at any instant at most one thread
//! computes, the others sleep in `lock()`. The total CPU work is the same as with one
//! thread, and it is done one chunk at a time, so 2 threads take as long as 1 (a little
//! longer: each hand-over wakes a sleeping thread). That is CPython's situation for pure
//! Python code. The guard is a named variable that lives for exactly one chunk; dropping
//! it between chunks is what lets another thread take a turn, as CPython's eval loop
//! releases the GIL every switch interval (5 ms).

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
    assert!(
        threads > 0 && chunk_len > 0,
        "gil_sum needs threads > 0 and chunk_len > 0"
    );
    let (work, end) = (&work, range.end);
    // Thread t starts at chunk t and skips `threads` chunks each time: chunk i goes to
    // thread i % threads, so every thread gets a share and no two share a chunk.
    let stride = chunk_len.saturating_mul(threads as u64);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads as u64)
            .map(|t| {
                let first = range.start.saturating_add(t * chunk_len);
                s.spawn(move || {
                    let mut sum = 0;
                    let mut start = first;
                    while start < end {
                        let chunk = start..start.saturating_add(chunk_len).min(end);
                        sum += {
                            // Held for this chunk only: the guard drops at the end of
                            // this block, and another thread can take its turn.
                            let _gil = GIL.lock().unwrap_or_else(|e| e.into_inner());
                            work(chunk)
                        };
                        start = start.saturating_add(stride);
                    }
                    sum
                })
            })
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
