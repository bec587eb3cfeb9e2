//! Task 2.5 — a channel pipeline: producer → workers → collector.
//!
//! ## TODO
//! `pipeline(jobs, workers, capacity, work)`:
//! - a **producer** thread pulls the jobs from the iterator one at a time and sends each
//!   into a `crossbeam::channel::bounded(capacity)` channel before pulling the next;
//! - `workers` **worker** threads receive jobs from that channel, call `work(job)` and send
//!   the result into a second channel; each worker stops when the job channel is closed
//!   (every sender gone) and empty;
//! - the calling thread is the **collector**: it receives results until every worker has
//!   finished, and returns them in the order they arrived.
//!
//! Every job is processed exactly once, and `pipeline` returns once all are done.
//!
//! ## Hint
//! `let (tx, rx) = crossbeam::channel::bounded(capacity);` A crossbeam `Receiver` can be
//! cloned (or shared by reference), so the workers can all receive from the same channel:
//! `for job in rx.iter() { ... }` ends when the channel is closed and empty. A channel is
//! closed when its last `Sender` is dropped: move the job sender into the producer (it
//! drops when the producer ends), and drop the collector's own copy of the result sender
//! after giving clones to the workers. `std::thread::scope` lets the threads borrow `work`.
//!
//! ## Caveat
//! The bound is the point: when the workers are slow, `send` blocks the producer once
//! `capacity` jobs are waiting, so it never runs more than `capacity + workers + 1` jobs
//! ahead of the finished ones (that is *backpressure*; the demo shows it and the checks
//! measure it). Collecting the jobs into a `Vec` first, or an unbounded channel, loses it.
//! A `Sender` left alive anywhere keeps the channel open, and the workers wait forever.

/// Task 2.5: runs every job through `workers` worker threads fed by a producer over a
/// bounded channel of `capacity`; returns the results in arrival order. Panics if
/// `workers` is 0.
pub fn pipeline<I, R, F>(jobs: I, workers: usize, capacity: usize, work: F) -> Vec<R>
where
    I: IntoIterator,
    I::IntoIter: Send,
    I::Item: Send,
    R: Send,
    F: Fn(I::Item) -> R + Sync,
{
    let _ = (jobs, workers, capacity, work);
    todo!(
        "task 2.5: a producer thread, `workers` worker threads, two channels; collect the results"
    )
}
