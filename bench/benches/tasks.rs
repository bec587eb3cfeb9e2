//! What a tokio task costs: spawn + await, on the two kinds of runtime.
//!
//! `cargo bench -p bench --bench tasks`. Each sample spawns `n` empty tasks and awaits them
//! all (throughput is per task). On a `current_thread` runtime the task runs on the calling
//! thread: spawning is pushing onto a local queue. On a `multi_thread` runtime (2 workers,
//! what `#[tokio::main]` gives on 2 cores) the task goes to a worker thread, which may have to
//! be woken up: a cross-thread hand-over each way. Compare with `spawn::thread_spawn_join`
//! (a whole OS thread): a task is a heap allocation and a queue entry.
//!
//! This file is its own benchmark binary: the multi-threaded runtime's workers never share a
//! process with the benchmarks that fork.

use divan::Bencher;
use divan::counter::ItemsCount;
use tokio::runtime::{Builder, Runtime};

fn main() {
    divan::main();
}

/// Spawns `n` empty tasks, then awaits each handle.
fn spawn_and_await(runtime: &Runtime, n: usize) {
    runtime.block_on(async {
        let handles: Vec<_> = (0..n).map(|_| tokio::spawn(async {})).collect();
        for handle in handles {
            handle.await.expect("an empty task cannot panic");
        }
    });
}

/// Times spawn + await of `n` tasks on the runtime `builder` makes.
fn bench_on(bencher: Bencher, n: usize, builder: &mut Builder) {
    let runtime = builder.enable_all().build().expect("runtime");
    bencher
        .counter(ItemsCount::new(n))
        .bench_local(|| spawn_and_await(&runtime, n));
}

#[divan::bench(args = [1, 100])]
fn current_thread(bencher: Bencher, n: usize) {
    bench_on(bencher, n, &mut Builder::new_current_thread());
}

#[divan::bench(args = [1, 100])]
fn multi_thread(bencher: Bencher, n: usize) {
    bench_on(bencher, n, Builder::new_multi_thread().worker_threads(2));
}
