"""CPU-bound work on threads and on processes, in CPython (standard library only).

The benchmark report's Python side of "CPU speedup vs threads and processes": the same
workload as the Rust side (count the primes in a window of numbers starting at 10**10, by
trial division), timed sequentially, on T threads (threading) and on P processes
(multiprocessing, fork), T and P in 1, 2, 4.

    python3 cpu.py LEN BLOCKS REPS

Threads split the window in T contiguous chunks (Lab 2's parallel_sum). Processes get
BLOCKS equal blocks, BLOCKS/P per worker (Lab 3's fan_out); the pool is created inside the
timing, as fan_out's forks are. Each time is the fastest of REPS runs (median beside it),
the configurations taking turns within a run, as on the Rust side. The last line printed is a JSON object of seconds.
"""

import json
import multiprocessing
import statistics
import sys
import threading
import time

WINDOW_START = 10_000_000_000


def is_prime(n):
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


def count_primes(span):
    start, end = span
    return sum(1 for n in range(start, end) if is_prime(n))


def split(start, end, parts):
    """parts contiguous spans covering [start, end), lengths within one of each other."""
    base, extra = divmod(end - start, parts)
    spans = []
    for i in range(parts):
        stop = start + base + (1 if i < extra else 0)
        spans.append((start, stop))
        start = stop
    return spans


def on_threads(span, threads):
    parts = [0] * threads

    def work(i, chunk):
        parts[i] = count_primes(chunk)

    workers = [
        threading.Thread(target=work, args=(i, chunk))
        for i, chunk in enumerate(split(span[0], span[1], threads))
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(parts)


def on_processes(blocks, processes):
    chunksize = -(-len(blocks) // processes)
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return pool.map(count_primes, blocks, chunksize=chunksize)


def main():
    length, nblocks, reps = (int(a) for a in sys.argv[1:4])
    span = (WINDOW_START, WINDOW_START + length)
    size = length // nblocks
    blocks = [(WINDOW_START + b * size, WINDOW_START + (b + 1) * size) for b in range(nblocks)]
    samples = {}

    def timed(name, f, *args):
        t0 = time.perf_counter()
        value = f(*args)
        samples.setdefault(name, []).append(time.perf_counter() - t0)
        return value

    expected = count_primes(span)
    expected_blocks = [count_primes(b) for b in blocks]
    for _ in range(reps):
        # Processes first: forking while other threads run is what Python 3.12 warns about.
        assert timed("blocks_sequential", lambda: [count_primes(b) for b in blocks]) == expected_blocks
        for p in (1, 2, 4):
            assert timed(f"processes_{p}", on_processes, blocks, p) == expected_blocks
        assert timed("sequential", count_primes, span) == expected
        for t in (1, 2, 4):
            assert timed(f"threads_{t}", on_threads, span, t) == expected
    # The fastest run of each (other programs can only slow a run down), median beside it.
    out = {name: min(values) for name, values in samples.items()}
    out.update({f"median_{name}": statistics.median(values) for name, values in samples.items()})
    out["primes"] = expected
    out["python"] = sys.version.split()[0]
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
