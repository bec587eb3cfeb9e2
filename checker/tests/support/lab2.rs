//! What Lab 2's public and hidden checks share: a [`Gate`] that makes calls wait for each
//! other, the structural evidence that they run at the same time, a [`SlowItem`] that
//! tells a shared queue of items from items dealt in advance, [`stress`], threads
//! hammering one counter, and what transfers between accounts must keep
//! ([`assert_money_kept`]).
//!
//! Included with `#[path]` by `checker/tests/lab2.rs` and `checker/hidden/lab2.rs`.

use checker::lab2::account::Account;
use checker::lab2::race::Counter;
use model::tr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long a [`Gate`] waits for the calls it expects before it lets them through anyway.
/// A correct program reaches the gate's count within microseconds; this only bounds how
/// long a sequential program is made to wait before its check fails.
pub const GRACE: Duration = Duration::from_secs(5);

/// Makes calls wait for each other: each [`pass`](Gate::pass) returns once `n` calls have
/// been inside at the same moment (or after [`GRACE`]). [`max`](Gate::max) tells the most
/// that were ever inside at once.
pub struct Gate {
    n: usize,
    /// (inside now, most inside at once)
    state: Mutex<(usize, usize)>,
    opened: Condvar,
    deadline: Instant,
}

impl Gate {
    pub fn new(n: usize) -> Arc<Gate> {
        Arc::new(Gate {
            n,
            state: Mutex::new((0, 0)),
            opened: Condvar::new(),
            deadline: Instant::now() + GRACE,
        })
    }

    pub fn pass(&self) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.0 += 1;
        s.1 = s.1.max(s.0);
        self.opened.notify_all();
        while s.1 < self.n {
            let now = Instant::now();
            if now >= self.deadline {
                break;
            }
            s = self
                .opened
                .wait_timeout(s, self.deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        s.0 -= 1;
    }

    pub fn max(&self) -> usize {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).1
    }
}

/// One of `n` items that takes "forever": it returns only once every other item is done (or
/// after [`GRACE`]). With a shared queue the other workers take all the other items, so it is
/// released; with items dealt in advance, some wait behind it on its own worker.
pub struct SlowItem {
    n: usize,
    done: AtomicUsize,
    released: AtomicBool,
}

impl SlowItem {
    pub fn new(n: usize) -> SlowItem {
        SlowItem {
            n,
            done: AtomicUsize::new(0),
            released: AtomicBool::new(true),
        }
    }

    /// The work of one item, `slow` for the slow one.
    pub fn work(&self, slow: bool) {
        if slow {
            let deadline = Instant::now() + GRACE;
            while self.done.load(Ordering::SeqCst) < self.n - 1 {
                if Instant::now() >= deadline {
                    self.released.store(false, Ordering::SeqCst);
                    break;
                }
                std::thread::sleep(Duration::from_micros(200));
            }
        }
        self.done.fetch_add(1, Ordering::SeqCst);
    }

    /// `None` if every other item got done while the slow one waited; else how many did
    /// before it gave up waiting (after [`GRACE`]).
    pub fn held_up(&self) -> Option<usize> {
        let others_done = self.done.load(Ordering::SeqCst).saturating_sub(1);
        (!self.released.load(Ordering::SeqCst)).then_some(others_done)
    }
}

/// `threads` threads call `increment` as fast as they can for `run_for`, each counting
/// its own calls; returns (calls, what the counter shows).
///
/// Time-bounded on purpose: on a busy machine a fixed number of increments can finish
/// inside one time slice, before any other thread runs, and then even a wrong counter
/// looks exact. Running every thread for tens of milliseconds guarantees that the
/// threads overlap: in parallel on several cores, or preempted in the middle of an
/// increment on one. Only the amount of work depends on time; the check is exact.
pub fn stress<C: Counter>(counter: &C, threads: usize, run_for: Duration) -> (u64, u64) {
    let stop = AtomicBool::new(false);
    let start = Barrier::new(threads + 1);
    let before = counter.get();
    let calls = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    start.wait();
                    let mut calls = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        counter.increment();
                        calls += 1;
                    }
                    calls
                })
            })
            .collect();
        start.wait();
        std::thread::sleep(run_for);
        stop.store(true, Ordering::Relaxed);
        let mut total = 0;
        for h in handles {
            // The thread's own panic (a todo!() in increment) with its own message.
            total += h
                .join()
                .unwrap_or_else(|payload| std::panic::resume_unwind(payload));
        }
        total
    });
    (calls, counter.get().saturating_sub(before))
}

/// Joins the threads and re-raises the first panic with its own payload, so that a
/// `todo!()` in `transfer` reads "not implemented", not "a scoped thread panicked".
pub fn join_all(handles: Vec<std::thread::ScopedJoinHandle<'_, ()>>) {
    for h in handles {
        if let Err(payload) = h.join() {
            std::panic::resume_unwind(payload);
        }
    }
}

/// Asserts that transfers among `accounts` kept the money: the balances add up to `total`,
/// and none is below zero. `context` ends the accounts' description (`" (seed 42)"`).
pub fn assert_money_kept(accounts: &[Account], total: i64, context: &str) {
    let balances: Vec<i64> = accounts.iter().map(Account::balance).collect();
    assert_eq!(
        balances.iter().sum::<i64>(),
        total,
        "{}",
        tr!(
            en: "{} accounts holding {total} in all now hold {balances:?}{context}: money was \
                 created or lost",
            ru: "{} счетов с общей суммой {total} теперь держат {balances:?}{context}: деньги \
                 появились или пропали",
            balances.len()
        )
    );
    assert!(
        balances.iter().all(|&b| b >= 0),
        "{}",
        tr!(
            en: "an account went below zero: {balances:?}{context}. Check the balance while \
                 holding both locks, not before taking them",
            ru: "баланс счёта ушёл ниже нуля: {balances:?}{context}. Проверяйте баланс, держа обе \
                 блокировки, а не до их захвата"
        )
    );
}
