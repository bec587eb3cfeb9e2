//! One shared counter, incremented by 1 thread alone and by 2 threads at once.
//!
//! `cargo bench -p bench --bench contention`. Each sample starts `threads` scoped threads,
//! releases them together with a barrier, and lets each make [`PER_THREAD`] increments of
//! the same counter; throughput is per increment. With 2 threads on 2 cores the cache line
//! holding the counter bounces between the cores on every increment.
//! - `mutex`: lock, add, unlock (Lab 2's `MutexCounter`). A thread that finds the lock taken
//!   spins briefly, then sleeps in the kernel (futex) until the holder wakes it.
//! - `atomic`: one `fetch_add` instruction (`lock xadd`, Lab 2's `AtomicCounter`): no lock to
//!   wait for, only the cache line to fetch.
//!
//! Why not divan's own `threads = [1, 2]`: it times each thread's sample separately, and a
//! sample of a few thousand 2 ns increments ends before the second thread has even woken up
//! from the start barrier, so the threads barely overlap and no contention shows. Here each
//! thread runs for milliseconds, so the overlap is nearly total; the thread start (about
//! 50 µs) is under 1 % of a sample.

use divan::Bencher;
use divan::counter::ItemsCount;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Barrier, Mutex};

/// Increments per thread per sample.
const PER_THREAD: u64 = 200_000;

fn main() {
    divan::main();
}

/// Runs `threads` threads that each call `increment` [`PER_THREAD`] times, started together.
fn hammer(threads: usize, increment: &(impl Fn() + Sync)) {
    let start = Barrier::new(threads);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                start.wait();
                for _ in 0..PER_THREAD {
                    increment();
                }
            });
        }
    });
}

#[divan::bench(args = [1, 2], sample_count = 50)]
fn mutex(bencher: Bencher, threads: usize) {
    let counter = Mutex::new(0_u64);
    bencher
        .counter(ItemsCount::new(threads as u64 * PER_THREAD))
        .bench_local(|| {
            hammer(threads, &|| {
                *counter.lock().unwrap_or_else(|e| e.into_inner()) += 1;
            })
        });
    divan::black_box(counter);
}

#[divan::bench(args = [1, 2], sample_count = 50)]
fn atomic(bencher: Bencher, threads: usize) {
    let counter = AtomicU64::new(0);
    bencher
        .counter(ItemsCount::new(threads as u64 * PER_THREAD))
        .bench_local(|| {
            hammer(threads, &|| {
                // Relaxed is enough for a counter read only after the threads are joined.
                counter.fetch_add(1, Ordering::Relaxed);
            })
        });
    divan::black_box(counter);
}
