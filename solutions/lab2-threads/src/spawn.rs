//! Task 2.1 — spawn and join; scoped threads.
//! Задание 2.1 — Запуск и ожидание потоков; потоки с областью видимости (scoped threads).
//!
//! ## Why this works
//! Every thread is spawned before any is joined, so all the jobs run at the same time; the
//! handles sit in a `Vec` in input order, and joining them in that order puts each result
//! in its slot whatever order the threads finished in (a join on a finished thread returns
//! at once). `thread::spawn` demands `'static` closures because the new thread may outlive
//! the caller's stack frame; `thread::scope` joins all its threads before it returns, so
//! its closures may borrow `items` and `f`. A panic in a job comes back as the `Err` of its
//! join; `resume_unwind` re-raises it with its original message on the caller's thread.

/// Task 2.1: runs each job on its own thread, all at once; results in the order of `jobs`.
/// If a job panics, `spawn_all` panics too.
pub fn spawn_all<T, F>(jobs: Vec<F>) -> Vec<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // Spawn them all first: joining inside this loop would wait for each job before
    // starting the next one.
    let handles: Vec<_> = jobs.into_iter().map(std::thread::spawn).collect();
    handles
        .into_iter()
        .map(|h| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
        .collect()
}

/// Task 2.1: calls `f(&item)` for every item, each on its own scoped thread, all at once;
/// results in the order of `items`.
pub fn scoped_map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let f = &f;
    std::thread::scope(|s| {
        // `move` moves the two references into each closure (`item` is a fresh `&T` each
        // time round); the data they point to is borrowed, not copied.
        let handles: Vec<_> = items.iter().map(|item| s.spawn(move || f(item))).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}
