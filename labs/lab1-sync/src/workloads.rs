//! Task 1.3 — two CPU-bound workloads from the course.
//!
//! ## TODO
//! - `fib(n)`: the n-th Fibonacci number, computed the naive recursive way.
//! - `count_primes(limit)`: how many primes are strictly below `limit`, by trial division.
//!
//! ## Hint
//! `fib(0) = 0`, `fib(1) = 1`, `fib(n) = fib(n - 1) + fib(n - 2)`. A number `n >= 2` is prime
//! when no `d` with `2 <= d` and `d * d <= n` divides it.
//!
//! ## Caveat
//! Do not make them fast (no memoisation, no sieve): they are here to keep a CPU busy for a
//! known amount of work. Labs 2 and 3 split them over threads and processes.

/// The n-th Fibonacci number by naive recursion (exponential time: that is the point).
pub fn fib(n: u32) -> u64 {
    let _ = n;
    todo!("task 1.3: fib(n) = fib(n - 1) + fib(n - 2)")
}

/// `true` if `n` is prime, by trial division up to the square root.
pub fn is_prime(n: u64) -> bool {
    let _ = n;
    todo!("task 1.3: try every d with d * d <= n")
}

/// How many primes are strictly below `limit`.
pub fn count_primes(limit: u64) -> u64 {
    let _ = limit;
    todo!("task 1.3: count the n below limit for which is_prime(n)")
}
