//! Task 2.2 — exact counters: a Mutex, and an atomic read-modify-write.
//! Задание 2.2 — Точные счётчики: Mutex и атомарная операция «чтение-изменение-запись».
//!
//! ## Why this works
//! An increment is three steps: read, add one, write. It goes wrong when another thread
//! runs between the read and the write. The mutex makes the three steps one critical
//! section: a second thread blocks in `lock()` until the guard is dropped, so it reads the
//! value the first one wrote. `fetch_add` does the three steps as one indivisible hardware
//! instruction (`lock xadd` on x86, a load-linked/store-conditional loop on ARM): no thread
//! can observe or act in the middle. Both are exact under any interleaving; the atomic is
//! cheaper, because a contended mutex puts threads to sleep and wakes them up again.

use crate::race::Counter;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// A counter whose increments are serialised by a lock.
#[derive(Debug, Default)]
pub struct MutexCounter {
    value: Mutex<u64>,
}

impl MutexCounter {
    /// A counter at zero.
    pub fn new() -> MutexCounter {
        MutexCounter {
            value: Mutex::new(0),
        }
    }
}

impl Counter for MutexCounter {
    /// Task 2.2: adds one while holding the lock.
    fn increment(&self) {
        // The guard lives to the end of the statement: read, add and write all happen
        // while this thread holds the lock. A poisoned lock (a thread panicked while
        // holding it) still holds a valid u64, so we carry on with it.
        *self.value.lock().unwrap_or_else(|e| e.into_inner()) += 1;
    }

    /// Task 2.2: the value, read under the lock.
    fn get(&self) -> u64 {
        *self.value.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A counter whose increments are single atomic instructions.
///
/// **Why `RacyCounter` has a race condition but no data race.** A *data race* is two
/// threads accessing the same memory at the same time, at least one writing, with at least
/// one access not atomic: it is undefined behaviour, and safe Rust rules it out at compile
/// time (`&u64` cannot be written through; a `Cell` is not `Sync`). `RacyCounter` only uses
/// atomic loads and stores, so every access is well defined and no value is ever torn: no
/// data race. But the *program's* result depends on the interleaving: two threads can both
/// load 41 and both store 42, and one increment vanishes. That is a *race condition*, a
/// logic bug about the order of well-defined steps, and no compiler can rule it out. The
/// cure is to make read-add-write one indivisible step: `fetch_add` here, a lock held
/// across the whole increment in [`MutexCounter`].
#[derive(Debug, Default)]
pub struct AtomicCounter {
    value: AtomicU64,
}

impl AtomicCounter {
    /// A counter at zero.
    pub fn new() -> AtomicCounter {
        AtomicCounter {
            value: AtomicU64::new(0),
        }
    }
}

impl Counter for AtomicCounter {
    /// Task 2.2: adds one with `fetch_add`.
    fn increment(&self) {
        // Relaxed: the count itself is exact under any ordering; no other memory is
        // published through this counter, so no stronger ordering is needed.
        self.value.fetch_add(1, Ordering::Relaxed);
    }

    /// Task 2.2: the value.
    fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}
