//! The CPU-bound workload of Lab 2 (provided, not a student file): counting primes.
//!
//! It is Lab 1's workload (trial division up to √n, `kit::workload`). What changes is
//! *where* the numbers are: far from zero. Testing `n` costs up to √n divisions, so the
//! numbers `0..N` get slower and slower to test, and cutting `0..N` in two equal halves
//! would give the second thread far more work. Around 10¹⁰, √n barely changes across the
//! window and primes are spread evenly: equal-length chunks are equal amounts of work,
//! which is what a clean speedup table needs.

use std::ops::Range;

/// Where the demo's windows of numbers start: big enough that testing one prime costs
/// about 10⁵ divisions, small enough that `d * d` never overflows a `u64`.
pub const WINDOW_START: u64 = 10_000_000_000;

// Counting primes by trial division up to √n (Lab 1's test), from the course's kit.
pub use kit::workload::{count_primes, is_prime};

/// The window of `len` numbers starting at [`WINDOW_START`].
pub fn window(len: u64) -> Range<u64> {
    WINDOW_START..WINDOW_START + len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_small_primes() {
        assert_eq!(count_primes(0..100), 25);
        assert_eq!(count_primes(90..100), 1);
        assert!(is_prime(10_000_000_019));
    }
}
