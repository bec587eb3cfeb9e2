//! Task 2.5 — a channel pipeline: producer → workers → collector.
//! Задание 2.5 — Конвейер на каналах: производитель, рабочие потоки, сборщик.
//!
//! ## Why this works
//! Each job travels through exactly one `send` and one `recv`: a crossbeam channel hands
//! every message to exactly one receiver, so workers sharing the job channel never process
//! a job twice, and none is lost. The channels also close the pipeline down in order: the
//! producer owns the only job `Sender` and drops it when the iterator is exhausted; once the
//! queued jobs are taken, `rx.iter()` ends in every worker; each worker then drops its
//! result `Sender`; the collector dropped its own copy before receiving, so its loop ends
//! when the last worker is done. The bound gives backpressure: `send` blocks while
//! `capacity` jobs wait, so the producer pulls a new job only when a worker frees a place.

use crossbeam::channel;

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
    assert!(workers > 0, "a pipeline needs at least one worker");
    let jobs = jobs.into_iter();
    let (job_tx, job_rx) = channel::bounded(capacity);
    // The results side needs no bound: the collector does nothing but receive.
    let (result_tx, result_rx) = channel::unbounded();
    let work = &work;
    std::thread::scope(|s| {
        // The producer owns `job_tx`: when it returns, the job channel closes.
        s.spawn(move || {
            for job in jobs {
                // Blocks while the channel is full. Err only if every receiver is gone
                // (all workers panicked): then there is nobody left to produce for.
                if job_tx.send(job).is_err() {
                    break;
                }
            }
        });
        for _ in 0..workers {
            let (job_rx, result_tx) = (job_rx.clone(), result_tx.clone());
            s.spawn(move || {
                // Ends when the channel is closed AND empty: no job is left behind.
                for job in job_rx.iter() {
                    if result_tx.send(work(job)).is_err() {
                        break;
                    }
                }
            });
        }
        // Our copies would keep the channels open: without these drops the collector's
        // loop below would wait forever for a sender that is never going to send.
        drop((job_rx, result_tx));
        result_rx.iter().collect()
    })
}
