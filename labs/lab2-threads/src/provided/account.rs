//! Bank accounts, provided (not a student file): the stage of the deadlock.
//!
//! Each [`Account`] keeps its balance behind its own `Mutex`, so two transfers between
//! four different accounts never wait for each other. A transfer must hold BOTH locks while
//! it moves the money (otherwise another thread could see the money in neither account, or
//! in both). Taking two locks is where deadlock lives: [`transfer_naive`] locks `from` and
//! then `to`, and two threads sending money in opposite directions can each hold one lock
//! and wait forever for the other's. Task 2.7 fixes that.

use std::cell::RefCell;
use std::sync::{Mutex, MutexGuard};

/// What [`observe_locks`] installs.
type Observer = Box<dyn Fn(LockEvent)>;

thread_local! {
    /// The observer of this thread's `lock` calls (see [`observe_locks`]).
    static OBSERVER: RefCell<Option<Observer>> = const { RefCell::new(None) };
}

/// What [`Account::lock`] tells an observer: about to wait for account `id`, or holding it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockEvent {
    /// `lock` was called on account `id` and is about to wait for it.
    Wanted(u64),
    /// `lock` on account `id` returned: this thread holds it.
    Taken(u64),
}

/// For the checks, not for your code: calls `observer` on this thread at every
/// [`Account::lock`] (before waiting and once held), until `None` is installed. This is how
/// the checks see the order in which a transfer takes its locks, and make two transfers meet
/// at a chosen point so that a race is certain instead of merely possible.
#[doc(hidden)]
pub fn observe_locks(observer: Option<Observer>) {
    OBSERVER.with(|o| *o.borrow_mut() = observer);
}

fn notify(event: LockEvent) {
    OBSERVER.with(|o| {
        if let Some(observer) = o.borrow().as_ref() {
            observer(event);
        }
    });
}

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
        notify(LockEvent::Wanted(self.id));
        let guard = self.balance.lock().unwrap_or_else(|e| e.into_inner());
        notify(LockEvent::Taken(self.id));
        guard
    }

    /// For the checks: `true` while some thread holds this account's lock.
    #[doc(hidden)]
    pub fn is_locked(&self) -> bool {
        matches!(
            self.balance.try_lock(),
            Err(std::sync::TryLockError::WouldBlock)
        )
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
