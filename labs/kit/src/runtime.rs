//! The course's two tokio runtimes, built in one place: a current-thread runtime with every
//! driver, its clock paused (virtual time) or real.
//!
//! With the clock paused, `sleep(3 s)` completes at virtual 3 s in microseconds of real time
//! and the order of events is exact: the experiments, the snapshots and the checks of Labs 4
//! and 5 all run on it. In real time, one thread is the event loop, as in an asyncio program.

use std::future::Future;

/// A current-thread runtime whose clock is paused (virtual time). Build one per experiment.
pub fn paused() -> tokio::runtime::Runtime {
    current_thread(true)
}

/// A current-thread runtime in real time: one thread, the event loop.
pub fn real_time() -> tokio::runtime::Runtime {
    current_thread(false)
}

fn current_thread(paused: bool) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(paused)
        .build()
        .expect("cannot build a tokio runtime")
}

/// Runs `fut` to completion in virtual time (see [`paused`]).
pub fn in_virtual_time<F: Future>(fut: F) -> F::Output {
    paused().block_on(fut)
}

/// Runs `fut` to completion on one thread in real time (see [`real_time`]).
pub fn on_one_thread<F: Future>(fut: F) -> F::Output {
    real_time().block_on(fut)
}
