//! Task 3.4 — fan-out / fan-in: split CPU-bound work over P child processes.
//!
//! ## TODO
//! `fan_out(inputs, processes, work)`: one child per chunk of [`split`]`(inputs.len(),
//! processes)`, each with its own pipe. Child `i` computes `work(x)` for every `x` of its
//! chunk and writes the results (`u64`, little-endian, 8 bytes each) into its pipe. The
//! parent starts **every** child first, then reads the pipes in chunk order, reaps every
//! child, and returns all results in input order: exactly `inputs.iter().map(work)`.
//!
//! ## Hint
//! Two loops. The first: `pipe()`, `fork()`, the child computes, writes and exits, the
//! parent drops the write end and keeps `(pid, reader)`. The second: for each `(pid,
//! reader)` in order, [`sys::read_to_end`], decode 8 bytes at a time, `wait_child(pid)`.
//!
//! ## Caveat
//! Reading (or waiting for) child 0 before forking child 1 runs the children one at a time:
//! the checks' work waits until every child has started, so that version never finishes.
//! Drop each write end in the parent *before the next fork*, or the next child inherits it
//! and the pipe's end of file waits for both children. And read in chunk order, not in the
//! order children finish: results must land in input order.

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
    todo!("task 3.4: fork every child (one pipe each) first, then read the pipes in order")
}
