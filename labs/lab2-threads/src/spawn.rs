//! Task 2.1 — spawn and join; scoped threads.
//!
//! Write `spawn_all` and `scoped_map`: one thread per job, all at once, results in input order.
//!
//! Read `docs/src/lab2-threads.md#task-2-1`; check: `cargo course check 2.1`.
//!
//! Задание 2.1 — Запуск и ожидание потоков; потоки с областью видимости (scoped threads).
//!
//! Читайте `docs/src/lab2-threads.md#task-2-1`
//! (в русской книге: `ru/lab2-threads.html#task-2-1`); проверка: `cargo course check 2.1`.

/// Task 2.1: runs each job on its own thread, all at once; results in the order of `jobs`.
/// If a job panics, `spawn_all` panics too.
pub fn spawn_all<T, F>(jobs: Vec<F>) -> Vec<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _ = jobs;
    todo!("task 2.1")
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
    todo!("task 2.1")
}
