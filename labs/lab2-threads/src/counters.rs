//! Task 2.2 — exact counters: a Mutex, and an atomic read-modify-write.
//!
//! Write `MutexCounter` and `AtomicCounter`, and answer in `AtomicCounter`'s doc comment.
//!
//! Read `docs/src/lab2-threads.md#task-2-2`; check: `cargo course check 2.2`.
//!
//! Задание 2.2 — Точные счётчики: Mutex и атомарная операция «чтение-изменение-запись».
//!
//! Читайте `docs/src/lab2-threads.md#task-2-2`
//! (в русской книге: `ru/lab2-threads.html#task-2-2`); проверка: `cargo course check 2.2`.

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
        todo!("task 2.2")
    }

    /// Task 2.2: the value, read under the lock.
    fn get(&self) -> u64 {
        todo!("task 2.2")
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
        todo!("task 2.2")
    }

    /// Task 2.2: the value.
    fn get(&self) -> u64 {
        todo!("task 2.2")
    }
}
