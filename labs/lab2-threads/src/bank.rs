//! Task 2.7 — transfers without deadlock.
//!
//! Write `transfer`: move money under both accounts' locks, from any thread, never deadlocking.
//!
//! Read `docs/src/lab2-threads.md#task-2-7`; check: `cargo course check 2.7`.
//!
//! Задание 2.7 — Переводы без взаимной блокировки.
//!
//! Читайте `docs/src/lab2-threads.md#task-2-7`
//! (в русской книге: `ru/lab2-threads.html#task-2-7`); проверка: `cargo course check 2.7`.

use crate::account::Account;

/// Task 2.7: moves `amount` from `from` to `to` under both locks, taken in id order;
/// `false` (and nothing moved) if `from` holds less than `amount`.
pub fn transfer(from: &Account, to: &Account, amount: i64) -> bool {
    let _ = (from, to, amount);
    todo!("task 2.7")
}
