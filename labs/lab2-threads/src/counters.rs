//! Task 2.2 — exact counters: a Mutex, and an atomic read-modify-write.
//!
//! ## TODO
//! - `MutexCounter`: `increment` locks the mutex and adds one while holding it; `get` reads
//!   the value under the lock.
//! - `AtomicCounter`: `increment` adds one with a single atomic read-modify-write
//!   (`fetch_add`); `get` loads the value.
//! - In the doc comment of `AtomicCounter`, explain in a few sentences why the demo's
//!   `RacyCounter` (src/race.rs) has a *race condition* but no *data race*.
//!
//! ## Hint
//! Both counters must make "read, add one, write" one indivisible step. A `MutexGuard`
//! derefs to the value: `*guard += 1`. `AtomicU64::fetch_add(1, Ordering::Relaxed)` is one
//! instruction (`lock xadd` on x86) that no other thread can cut in two.
//!
//! ## Caveat
//! Taking the lock once to read and again to write is as racy as `RacyCounter`: another
//! thread can run between the two critical sections. So is an atomic `load` followed by a
//! `store`. The checks hammer your counters from 2 to 8 threads and demand exact counts.
//! `Relaxed` is enough for a counter (nobody reads other memory based on its value); it
//! does not make `fetch_add` any less atomic.

use crate::race::Counter;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;

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
        let _ = &self.value;
        todo!("task 2.2: lock, add one through the guard")
    }

    /// Task 2.2: the value, read under the lock.
    fn get(&self) -> u64 {
        todo!("task 2.2: lock and read")
    }
}

/// A counter whose increments are single atomic instructions.
///
/// TODO (task 2.2): explain here why `RacyCounter` has a race condition but no data race.
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
        let _ = &self.value;
        todo!("task 2.2: one fetch_add")
    }

    /// Task 2.2: the value.
    fn get(&self) -> u64 {
        todo!("task 2.2: load")
    }
}
