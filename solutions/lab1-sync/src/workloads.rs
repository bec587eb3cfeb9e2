//! Task 1.3 — two CPU-bound workloads from the course.
//! Задание 1.3 — Нагрузки, ограниченные процессором: числа Фибоначчи и простые числа.
//!
//! ## Why this works
//! Both are pure computation: no IO, no allocation in the loop, nothing to wait for. Naive
//! `fib` makes about 1.6^n calls, so each step of `n` costs 60 % more time, which makes it
//! easy to pick a size that runs for tens of milliseconds. Trial division up to √n is the
//! course's prime test; counting below a limit gives work that splits evenly into ranges
//! (Labs 2 and 3 do exactly that).

/// The n-th Fibonacci number by naive recursion (exponential time: that is the point).
pub fn fib(n: u32) -> u64 {
    if n < 2 {
        u64::from(n)
    } else {
        fib(n - 1) + fib(n - 2)
    }
}

/// `true` if `n` is prime, by trial division up to the square root.
pub fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    let mut d = 2;
    while d * d <= n {
        if n.is_multiple_of(d) {
            return false;
        }
        d += 1;
    }
    true
}

/// How many primes are strictly below `limit`.
pub fn count_primes(limit: u64) -> u64 {
    (0..limit).filter(|&n| is_prime(n)).count() as u64
}
