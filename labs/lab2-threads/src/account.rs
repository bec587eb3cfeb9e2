//! Bank accounts, provided (not a student file): the stage of the deadlock.
//!
//! Each [`Account`] keeps its balance behind its own `Mutex`, so two transfers between
//! four different accounts never wait for each other. A transfer must hold BOTH locks while
//! it moves the money (otherwise another thread could see the money in neither account, or
//! in both). Taking two locks is where deadlock lives: [`transfer_naive`] locks `from` and
//! then `to`, and two threads sending money in opposite directions can each hold one lock
//! and wait forever for the other's. Task 2.7 fixes that.

use std::sync::{Mutex, MutexGuard};

/// An account: a fixed id and a balance behind a lock.
#[derive(Debug)]
pub struct Account {
    id: u64,
    balance: Mutex<i64>,
}

impl Account {
    /// An account with this id and opening balance. Ids are unique within a bank: they are
    /// what a lock order can be built on.
    pub fn new(id: u64, balance: i64) -> Account {
        Account {
            id,
            balance: Mutex::new(balance),
        }
    }

    /// The account's id.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Locks the balance and returns the guard; the lock is released when the guard drops.
    /// Blocks while another thread holds it. Locking an account twice on the same thread
    /// without dropping the first guard never returns (it waits for itself).
    pub fn lock(&self) -> MutexGuard<'_, i64> {
        // A thread that panicked while holding the lock left a consistent i64 behind (every
        // update is one assignment), so a poisoned lock is still safe to use.
        self.balance.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The balance now (locks the account for a moment).
    pub fn balance(&self) -> i64 {
        *self.lock()
    }
}

/// The deadlock, on purpose: locks `from`, calls `between()` while holding it (a slow
/// audit, a log write...), then locks `to` and moves `amount`.
///
/// With thread 1 running `transfer_naive(a, b, ..)` and thread 2 `transfer_naive(b, a, ..)`,
/// thread 1 can hold `a` and wait for `b` while thread 2 holds `b` and waits for `a`:
/// neither lock is ever released. The demo passes a `between` that makes the two threads
/// meet (a barrier) once each holds its first lock, so the fatal interleaving is certain
/// instead of merely likely; it runs this behind a deadline, on threads it then abandons.
pub fn transfer_naive(from: &Account, to: &Account, amount: i64, between: impl FnOnce()) {
    let mut from_balance = from.lock();
    between();
    let mut to_balance = to.lock();
    *from_balance -= amount;
    *to_balance += amount;
}
