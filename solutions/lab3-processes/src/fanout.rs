//! Task 3.4 — fan-out / fan-in: split CPU-bound work over P child processes.
//! Задание 3.4 — Fan-out и fan-in по P процессам.
//!
//! ## Why this works
//! Two loops, never one. The first loop starts *every* child, each with its own pipe and its
//! own contiguous chunk of the input; the second collects. Starting child 2 only after
//! reading child 1 would run them one at a time, however many processes there are.
//!
//! ```text
//!   parent ──fork──► child 0: work(chunk 0) ──pipe 0──┐
//!          ──fork──► child 1: work(chunk 1) ──pipe 1──┤ parent reads pipe 0, then 1, ...
//!          ──fork──► child 2: work(chunk 2) ──pipe 2──┘ and appends: input order
//! ```
//!
//! The parent closes each write end right after the fork that hands it to its child: a
//! write end still open in the parent when it forks the next child would be inherited by
//! that child too, and the pipe would not reach end of file until *both* children exited.
//!
//! The children finish in any order; reading the pipes in child order (not in the order they
//! become readable) puts every part back in the slot of its chunk, so the result equals the
//! sequential `inputs.iter().map(work)`. A child finished early just waits in its pipe (its
//! few bytes fit in the pipe's 64 KiB) until the parent gets to it.

use crate::fork::wait_child;
use crate::sys;
use nix::errno::Errno;
use nix::unistd::{ForkResult, fork, pipe};
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
    sys::assert_single_threaded();
    let chunks = split(inputs.len(), processes);
    // Fan out: start every child before reading anything.
    let mut children = Vec::with_capacity(chunks.len());
    for chunk in &chunks {
        // reader: kept by the parent; writer: handed to this chunk's child.
        let (reader, writer) = pipe()?;
        // SAFETY: single-threaded process (asserted above): the child may compute and
        // allocate before it ends with `_exit`.
        match unsafe { fork() }? {
            ForkResult::Child => {
                drop(reader); // the child only writes. (Read ends of earlier pipes, inherited
                // from the parent, stay open in the child: harmless, only write ends delay EOF.)
                let bytes: Vec<u8> = inputs[chunk.clone()]
                    .iter()
                    .flat_map(|&x| work(x).to_le_bytes())
                    .collect();
                let code = if sys::write_all(&writer, &bytes).is_ok() {
                    0
                } else {
                    1
                };
                sys::exit_child(code)
            }
            ForkResult::Parent { child } => {
                // Close the parent's write end before the next fork, so that no other child
                // inherits it: this pipe's EOF then depends on this child only.
                drop(writer);
                children.push((child, reader, chunk.len()));
            }
        }
    }
    // Fan in: read the pipes in chunk order, so the parts land in input order.
    let mut results = Vec::with_capacity(inputs.len());
    let mut failed = false;
    for (child, reader, expected) in children {
        let bytes = sys::read_to_end(&reader);
        drop(reader);
        // Reap every child, even after a failure: no zombies.
        let status = wait_child(child)?;
        match bytes {
            Ok(bytes) if status.success() && bytes.len() == expected * 8 => results.extend(
                bytes
                    .chunks_exact(8)
                    .map(|b| u64::from_le_bytes(b.try_into().unwrap_or_default())),
            ),
            _ => failed = true,
        }
    }
    if failed {
        return Err(Errno::EIO);
    }
    Ok(results)
}
