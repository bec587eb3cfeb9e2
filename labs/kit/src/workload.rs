//! The course's CPU-bound workload: counting primes by trial division.
//!
//! Slow on purpose: testing `n` costs up to √n divisions and never waits for anything, so
//! it keeps a core busy for as long as a demo needs. A demo that measures threads or
//! processes counts primes in equal windows of numbers far from zero, where every window
//! costs about the same.

use std::ops::Range;

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

/// How many primes lie in `range` (start included, end excluded).
pub fn count_primes(range: Range<u64>) -> u64 {
    range.filter(|&n| is_prime(n)).count() as u64
}
