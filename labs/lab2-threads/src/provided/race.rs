//! The race condition, provided (not a student file): a counter that loses updates.
//!
//! [`RacyCounter`] increments in two steps, a `load` and then a `store`, on an atomic
//! integer. Each step alone is atomic, so no byte is ever torn and the program has no
//! undefined behaviour; yet two threads can both load 41 and both store 42, and one
//! increment is lost. That is a *race condition*: the result depends on how the threads'
//! steps interleave. The gap between the two steps is widened on purpose (a short spin), so
//! the loss happens on every run, even on 2 cores — without it, a run on a quiet machine
//! can be lucky and hide the bug, which is exactly why races are dangerous.
//!
//! [`hammer`] is the experiment: `threads` threads, released together by a barrier so they
//! really overlap, each calling `increment` `per_thread` times. Task 2.2's counters
//! implement the same [`Counter`] trait and go through the same experiment.

use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};

/// A counter several threads can increment through a shared reference.
///
/// `Sync` is required because [`hammer`] hands `&self` to several threads at once: the
/// compiler refuses a counter whose shared reference is not safe to share (a `Cell<u64>`,
/// say). Safe to share does not mean correct, as [`RacyCounter`] shows.
pub trait Counter: Sync {
    /// Adds one.
    fn increment(&self);
    /// The current value.
    fn get(&self) -> u64;
}

/// How many times [`RacyCounter::increment`] spins between its load and its store. About 20
/// spins make a lost update certain on every run with 2 threads on 2 cores.
pub const WINDOW_SPINS: u32 = 20;

/// Loses updates: reads, waits a moment, writes back the value it read plus one.
#[derive(Debug, Default)]
pub struct RacyCounter {
    value: AtomicU64,
}

impl RacyCounter {
    /// A counter at zero.
    pub const fn new() -> RacyCounter {
        RacyCounter {
            value: AtomicU64::new(0),
        }
    }
}

impl Counter for RacyCounter {
    fn increment(&self) {
        // Step 1: read. Another thread may read the same value right now.
        let seen = self.value.load(Ordering::Relaxed);
        // The window: a real program would compute something here (a function call, a
        // format, a log line). Whatever another thread stores meanwhile is overwritten below.
        for _ in 0..WINDOW_SPINS {
            std::hint::spin_loop();
        }
        // Step 2: write what we read plus one, even if the value has moved on since.
        self.value.store(seen + 1, Ordering::Relaxed);
    }

    fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}

/// What one run of [`hammer`] observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// `threads × per_thread`: what an exact counter shows.
    pub expected: u64,
    /// What the counter shows.
    pub actual: u64,
}

impl Tally {
    /// Increments that vanished (0 for an exact counter).
    pub fn lost(&self) -> u64 {
        self.expected.saturating_sub(self.actual)
    }

    /// Lost increments as a percentage of the expected count.
    pub fn lost_percent(&self) -> f64 {
        if self.expected == 0 {
            0.0
        } else {
            100.0 * self.lost() as f64 / self.expected as f64
        }
    }
}

/// Runs `threads` threads that each call `counter.increment()` `per_thread` times, all
/// released at the same moment by a barrier, and returns what the counter shows after.
///
/// Scoped threads (`std::thread::scope`) may borrow `counter`: the scope joins every
/// thread before it returns, so the borrow cannot outlive the counter.
pub fn hammer<C: Counter>(counter: &C, threads: usize, per_thread: u64) -> Tally {
    let start = Barrier::new(threads);
    let before = counter.get();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                start.wait();
                for _ in 0..per_thread {
                    counter.increment();
                }
            });
        }
    });
    Tally {
        expected: threads as u64 * per_thread,
        actual: counter.get().saturating_sub(before),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_thread_loses_nothing() {
        let c = RacyCounter::new();
        assert_eq!(hammer(&c, 1, 1000).lost(), 0);
    }
}
