"""Lab 2 in Python: CPU-bound work with and without threads (the course's example).

Two CPU-bound workloads, each run twice: on one thread, then split over two threads.
Python threads are real OS threads, but CPython's global interpreter lock (GIL) lets only
one of them run Python bytecode at a time, so the second run is no faster.

    python3 cpu_threads.py FIB_N PRIMES_START PRIMES_LEN

Prints one line per workload: name (in Russian when the course speaks it), wall seconds on 1 thread, wall seconds on 2 threads,
separated by tabs. The Rust demo (cargo run -p lab2) runs this file and prints Python's
speedup beside Rust's, with and without the GIL model.
"""

import os
import re
import sys
import threading
import time


def russian():
    """True when the course speaks Russian, decided as the Rust demo decides: COURSE_LANG
    (`ru` or `en`), else the first non-empty of LC_ALL, LC_MESSAGES, LANG (`ru_RU.UTF-8`)."""
    code = lambda v: re.split(r"[_.@-]", v.strip())[0].lower()
    if code(os.environ.get("COURSE_LANG", "")) in ("ru", "en", "c", "posix"):
        return code(os.environ["COURSE_LANG"]) == "ru"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(var, "").strip():
            return code(os.environ[var]) == "ru"
    return False


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def is_prime(n):
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


def count_primes(start, end):
    return sum(1 for n in range(start, end) if is_prime(n))


def one_thread(jobs):
    """Runs every job on this thread, one after another."""
    return [job() for job in jobs]


def threads(jobs):
    """Runs each job on its own thread, all started before any is joined."""
    results = [None] * len(jobs)

    def run(i, job):
        results[i] = job()

    workers = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return results


def timed(f, jobs):
    t0 = time.perf_counter()
    value = f(jobs)
    return value, time.perf_counter() - t0


def main():
    fib_n, start, length = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    half = start + length // 2
    twice, primes = (
        (f"fib({fib_n}) дважды", f"простые среди {length} чисел")
        if russian()
        else (f"fib({fib_n}) twice", f"primes in {length} numbers")
    )
    workloads = [
        (twice, [lambda: fib(fib_n), lambda: fib(fib_n)]),
        (
            primes,
            [lambda: count_primes(start, half), lambda: count_primes(half, start + length)],
        ),
    ]
    for name, jobs in workloads:
        seq, wall1 = timed(one_thread, jobs)
        par, wall2 = timed(threads, jobs)
        assert seq == par, (seq, par)
        print(f"{name}\t{wall1:.6f}\t{wall2:.6f}", flush=True)


if __name__ == "__main__":
    main()
