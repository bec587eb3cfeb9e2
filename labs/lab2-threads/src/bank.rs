//! Task 2.7 — transfers without deadlock.
//!
//! ## TODO
//! `transfer(from, to, amount)`: move `amount` (≥ 0) from `from` to `to`, holding both
//! accounts' locks while checking and moving, so no other thread ever sees the money in
//! neither account or in both. If `from` holds less than `amount`, move nothing and return
//! `false`; otherwise return `true`. A transfer from an account to itself moves nothing and
//! returns `true`. Any number of threads may call it at once, in any direction, without
//! ever deadlocking.
//!
//! ## Hint
//! Deadlock needs a cycle: thread 1 holds A and waits for B while thread 2 holds B and
//! waits for A. Break every cycle with a global lock order: always lock the account with
//! the smaller id first, whichever is `from`. `Account::lock()` returns a guard that derefs
//! to the balance (`*guard -= amount`); both guards must live until the move is done.
//!
//! ## Caveat
//! The demo runs `account::transfer_naive` (lock `from`, then `to`) on two threads in
//! opposite directions and shows them stuck. The checks do the same with your `transfer`,
//! tens of thousands of times: a wrong lock order hangs, and the check reports a timeout.
//! Locking the same account twice (`from` and `to` are the same) waits for itself forever.
//! Reading the balance under one lock and moving under another lets two transfers both
//! spend the same money.

use crate::account::Account;

/// Task 2.7: moves `amount` from `from` to `to` under both locks, taken in id order;
/// `false` (and nothing moved) if `from` holds less than `amount`.
pub fn transfer(from: &Account, to: &Account, amount: i64) -> bool {
    let _ = (from, to, amount);
    todo!("task 2.7: lock the smaller id first, check the balance, move the money")
}
