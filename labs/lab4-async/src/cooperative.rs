//! Task 4.7 — cooperative scheduling: a long computation must yield.
//!
//! ## TODO
//! `cooperative_sum(n, every)`: return `0 + 1 + … + (n - 1)`, and give the thread back to
//! the scheduler after every `every` numbers, so that the other tasks on the same thread
//! (a ticker, every open connection) keep running while the sum is computed.
//!
//! ## Hint
//! `tokio::task::yield_now().await` returns control to the scheduler once: every task that
//! is ready runs, then yours continues. Python: `await asyncio.sleep(0)`.
//!
//! ## Caveat
//! A loop with no `.await` inside never gives the thread back, however long it runs: tasks
//! are not preempted like threads. Yielding on *every* number would work but spend more
//! time in the scheduler than in the sum; yield every `every` numbers.

/// Task 4.7: returns the sum `0 + 1 + … + (n - 1)`, yielding to the scheduler
/// (`tokio::task::yield_now().await`) after every `every` (>= 1) iterations, so that other
/// tasks on the same thread keep running during a long sum.
pub async fn cooperative_sum(n: u64, every: u64) -> u64 {
    let _ = (n, every);
    todo!("task 4.7: sum in a loop; every `every` numbers, tokio::task::yield_now().await")
}
