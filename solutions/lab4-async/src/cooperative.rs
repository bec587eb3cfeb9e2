//! Task 4.7 — cooperative scheduling: a long computation must yield.
//! Задание 4.7 — Кооперативное планирование: yield.
//!
//! ## Why this works
//! Threads are scheduled *preemptively*: the kernel interrupts a thread whenever its time
//! slice is up. Tasks are scheduled *cooperatively*: a task keeps its thread until it
//! returns `Pending`, and a loop with no `.await` never does. On a one-thread runtime every
//! other task (the ticker, every connection) waits until the loop ends.
//!
//! `tokio::task::yield_now().await` returns `Pending` once, putting the task at the back of
//! the queue: every task that was ready runs, then the loop continues. Yielding every
//! `every` iterations bounds how long the others wait, at the cost of one trip through the
//! scheduler per yield (a few hundred nanoseconds; yielding on every iteration would spend
//! more time scheduling than summing). Python: `await asyncio.sleep(0)`.
//!
//! For really heavy work, yielding only shares the one thread more fairly; moving the work
//! off the loop (`spawn_blocking`, task 4.5; or rayon) is the better fix.

/// Task 4.7: returns the sum `0 + 1 + … + (n - 1)`, yielding to the scheduler
/// (`tokio::task::yield_now().await`) after every `every` (>= 1) iterations, so that other
/// tasks on the same thread keep running during a long sum.
pub async fn cooperative_sum(n: u64, every: u64) -> u64 {
    let every = every.max(1);
    let mut sum = 0u64;
    // A countdown, not `i % every`: a division per number would cost more than the sum.
    let mut until_yield = every;
    for i in 0..n {
        sum = sum.wrapping_add(i);
        until_yield -= 1;
        if until_yield == 0 {
            until_yield = every;
            tokio::task::yield_now().await;
        }
    }
    sum
}
