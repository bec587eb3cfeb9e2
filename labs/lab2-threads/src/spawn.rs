//! Task 2.1 — spawn and join; scoped threads.
//!
//! ## TODO
//! - `spawn_all(jobs)`: run every closure of `jobs` on its own new thread, all at the same
//!   time, and return their results in the order of `jobs` (not the order they finish).
//! - `scoped_map(items, f)`: the same with borrowed data: one thread per item, each calling
//!   `f(&item)`, results in the order of `items`. `items` and `f` are borrowed, not moved,
//!   so the threads must be scoped.
//!
//! ## Hint
//! `std::thread::spawn(job)` returns a `JoinHandle`; `handle.join()` waits for the thread and
//! gives back its result (`Err` if it panicked). Spawn them all first, keep the handles in a
//! `Vec`, then join them in order. For borrowed data, `std::thread::scope(|s| ...)` gives
//! `s.spawn(...)`, whose closures may borrow anything that outlives the scope.
//!
//! ## Caveat
//! Joining each thread right after spawning it runs the jobs one after another: correct
//! results, no concurrency. The checks make every job wait until all of them are running,
//! so that mistake shows. `thread::spawn` needs `'static` closures: it cannot know the
//! thread ends before your local variables do. `scope` can: it joins its threads before
//! returning.

/// Task 2.1: runs each job on its own thread, all at once; results in the order of `jobs`.
/// If a job panics, `spawn_all` panics too.
pub fn spawn_all<T, F>(jobs: Vec<F>) -> Vec<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _ = jobs;
    todo!("task 2.1: spawn every job, keep the JoinHandles, then join them in order")
}

/// Task 2.1: calls `f(&item)` for every item, each on its own scoped thread, all at once;
/// results in the order of `items`.
pub fn scoped_map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let _ = (items, f);
    todo!("task 2.1: std::thread::scope, one s.spawn per item, then join in order")
}
