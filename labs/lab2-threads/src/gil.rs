//! Task 2.4 — a GIL model: threads that take turns.
//!
//! ## TODO
//! `gil_sum(range, threads, chunk_len, work)`: the work of task 2.3, with a global
//! interpreter lock. Cut `range` into chunks of `chunk_len` numbers (the last may be
//! shorter): chunk 0 is `start..start + chunk_len`, chunk 1 the next, and so on. Start
//! `threads` threads; thread `t` takes chunks `t`, `t + threads`, `t + 2 × threads`, ... and
//! for each one locks [`GIL`], calls `work(chunk)` while holding it, and releases it before
//! the next chunk. Return the sum of every `work(chunk)`.
//!
//! ## Hint
//! This is what CPython does: a thread may run Python code only while it holds the GIL,
//! and it lets go every few milliseconds so another thread can take a turn. Keep the guard
//! in a named variable (`let _gil = GIL.lock()...;`) for exactly one chunk: a guard lives
//! until the end of its block. `lock()` returns an `Err` if a thread panicked while holding
//! the lock; the GIL guards no data, so `.unwrap_or_else(|e| e.into_inner())` is fine.
//! `(start..end).step_by(chunk_len as usize)` gives the chunk starts.
//!
//! ## Caveat
//! The guard must be alive while `work` runs. A lock taken and dropped before the call
//! (`drop(GIL.lock()...)`, or a `{ let _gil = GIL.lock()...; }` block that ends before
//! `work(chunk)`) protects nothing, and the threads run in parallel again. (`let _ =
//! GIL.lock();` would be the same mistake: `_` is not a variable and the guard drops at
//! once; the compiler refuses it, lint `let_underscore_lock`.) The checks call
//! `GIL.try_lock()` from inside `work`: it must fail, because your thread holds the GIL.
//! Expect no speedup at all from 2 threads: that is the point, measured.

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
    todo!("task 2.4: like parallel_sum, but lock GIL around each chunk's work")
}
