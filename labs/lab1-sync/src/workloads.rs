//! Task 1.3 — two CPU-bound workloads: Fibonacci and primes.
//!
//! Write `fib`, `is_prime` and `count_primes`, the slow, obvious way.
//!
//! Read `docs/src/lab1-sync.md#task-1-3`; check: `cargo course check 1.3`.
//!
//! Задание 1.3 — Нагрузки, ограниченные процессором: числа Фибоначчи и простые числа.
//!
//! Читайте `docs/src/lab1-sync.md#task-1-3`
//! (в русской книге: `ru/lab1-sync.html#task-1-3`); проверка: `cargo course check 1.3`.

/// The n-th Fibonacci number by naive recursion (exponential time: that is the point).
pub fn fib(n: u32) -> u64 {
    let _ = n;
    todo!("task 1.3")
}

/// `true` if `n` is prime, by trial division up to the square root.
pub fn is_prime(n: u64) -> bool {
    let _ = n;
    todo!("task 1.3")
}

/// How many primes are strictly below `limit`.
pub fn count_primes(limit: u64) -> u64 {
    let _ = limit;
    todo!("task 1.3")
}
