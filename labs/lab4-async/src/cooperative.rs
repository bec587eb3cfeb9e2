//! Task 4.7 — cooperative scheduling: a long computation must yield.
//!
//! Write `cooperative_sum`: a sum that gives the thread back every `every` numbers.
//!
//! Read `docs/src/lab4-async.md#task-4-7`; check: `cargo course check 4.7`.
//!
//! Задание 4.7 — Кооперативное планирование: yield.
//!
//! Читайте `docs/src/lab4-async.md#task-4-7`
//! (в русской книге: `ru/lab4-async.html#task-4-7`); проверка: `cargo course check 4.7`.

/// Task 4.7: returns the sum `0 + 1 + … + (n - 1)`, giving the thread back to the scheduler
/// after every `every` (>= 1) numbers, so that other tasks on the same thread keep running
/// during a long sum.
pub async fn cooperative_sum(n: u64, every: u64) -> u64 {
    let _ = (n, every);
    todo!("task 4.7")
}
