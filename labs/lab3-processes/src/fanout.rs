//! Task 3.4 — fan-out and fan-in over P processes.
//!
//! Write `fan_out`: one child and one pipe per chunk, all at once, results in input order.
//!
//! Read `docs/src/lab3-processes.md#task-3-4`; check: `cargo course check 3.4`.
//!
//! Задание 3.4 — Fan-out и fan-in по P процессам.
//!
//! Читайте `docs/src/lab3-processes.md#task-3-4`
//! (в русской книге: `ru/lab3-processes.html#task-3-4`); проверка: `cargo course check 3.4`.

use crate::sys;
use nix::errno::Errno;
use std::ops::Range;

/// Splits `len` items into `parts` contiguous ranges, in order, whose sizes differ by at
/// most one; never more ranges than items, and none empty. Provided: use it as it is.
///
/// `split(10, 3)` is `[0..4, 4..7, 7..10]`; `split(2, 4)` is `[0..1, 1..2]`.
pub fn split(len: usize, parts: usize) -> Vec<Range<usize>> {
    let parts = parts.min(len).max(1);
    let (size, extra) = (len / parts, len % parts);
    let mut start = 0;
    (0..parts)
        .map(|i| {
            let end = start + size + usize::from(i < extra);
            let range = start..end;
            start = end;
            range
        })
        .filter(|r| !r.is_empty())
        .collect()
}

/// Task 3.4: computes `inputs.iter().map(work)` in `processes` child processes, one per
/// chunk of [`split`]`(inputs.len(), processes)`, all running at the same time; each child
/// sends its results back through its own pipe. Results come back in input order.
///
/// `processes == 0` is `Err(Errno::EINVAL)`; no input means no child and an empty result;
/// a child that fails (or sends a short answer) makes it `Err(Errno::EIO)`.
/// Call it from a single-threaded process only.
pub fn fan_out(
    inputs: &[u64],
    processes: usize,
    work: impl Fn(u64) -> u64,
) -> nix::Result<Vec<u64>> {
    if processes == 0 {
        return Err(Errno::EINVAL);
    }
    let _ = (inputs, work);
    sys::assert_single_threaded();
    todo!("task 3.4")
}
