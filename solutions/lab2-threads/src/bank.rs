//! Task 2.7 — transfers without deadlock.
//! Задание 2.7 — Переводы без взаимной блокировки.
//!
//! ## Why this works
//! A deadlock needs a cycle of threads, each holding a lock the next one wants. Here every
//! thread takes its two locks in the same global order, smallest id first, so a thread
//! holding account `k` only ever waits for an account with an id above `k`. Follow the
//! "waits for" arrows and the ids only grow: they can never come back to where they
//! started, so there is no cycle and no deadlock, with any number of threads and accounts.
//! The balance is checked and changed while both guards are alive, so "enough money?" and
//! "move it" form one step that no other transfer can split. A transfer to the same
//! account returns before locking anything: a `Mutex` is not re-entrant, and locking it a
//! second time on the same thread would wait for itself.

use crate::account::Account;

/// Task 2.7: moves `amount` from `from` to `to` under both locks, taken in id order;
/// `false` (and nothing moved) if `from` holds less than `amount`.
pub fn transfer(from: &Account, to: &Account, amount: i64) -> bool {
    if from.id() == to.id() {
        return true;
    }
    // The global order: the smaller id is always locked first, whichever way money flows.
    let (mut from_balance, mut to_balance) = if from.id() < to.id() {
        let f = from.lock();
        (f, to.lock())
    } else {
        let t = to.lock();
        (from.lock(), t)
    };
    if *from_balance < amount {
        return false;
    }
    *from_balance -= amount;
    *to_balance += amount;
    true
}
