"""Why multiprocessing sidesteps the GIL: CPU-bound work on 2 threads vs 2 processes.

The workload counts primes by trial division in equal blocks of numbers, as the Rust demo
does. Two threads of one interpreter take turns holding its Global Interpreter Lock: only
one of them runs Python bytecode at any moment, so they are no faster than one. Two
processes each have an interpreter, and a GIL, of their own: they run on two cores at once.
The price is the one the Rust lab measures: a fork per worker, and results that must travel
through a pipe (multiprocessing pickles them).

    python3 gil_multiprocessing.py BASE BLOCKS BLOCK_LEN

Prints a few lines for a human (in Russian when the course speaks it), then name<TAB>value lines: the speedups of 2 threads and
of 2 processes over one thread.
"""

import multiprocessing
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


def is_prime(n):
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


def primes_in(block):
    start, length = block
    return sum(1 for n in range(start, start + length) if is_prime(n))


def sequential(blocks):
    return [primes_in(b) for b in blocks]


def two_threads(blocks):
    half = (len(blocks) + 1) // 2
    parts = [None, None]

    def worker(i, chunk):
        parts[i] = [primes_in(b) for b in chunk]

    threads = [
        threading.Thread(target=worker, args=(i, chunk))
        for i, chunk in enumerate([blocks[:half], blocks[half:]])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return parts[0] + parts[1]


def two_processes(blocks):
    # "fork", as in the Rust lab: each worker is a copy of this process. Contiguous chunks,
    # one per worker; map returns the results in input order.
    with multiprocessing.get_context("fork").Pool(2) as pool:
        return pool.map(primes_in, blocks, chunksize=(len(blocks) + 1) // 2)


def timed(f, blocks):
    """The faster of two runs, as the Rust demo does: other programs only slow a run down."""
    best = None
    for _ in range(2):
        t0 = time.perf_counter()
        result = f(blocks)
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    return result, best


def main():
    base, count, length = (int(a) for a in sys.argv[1:4])
    blocks = [(base + i * length, length) for i in range(count)]
    expected, t_seq = timed(sequential, blocks)
    # Processes before threads: a fork after threads have run is what Python 3.12 warns about.
    by_processes, t_proc = timed(two_processes, blocks)
    by_threads, t_thr = timed(two_threads, blocks)
    assert by_threads == expected and by_processes == expected
    if russian():
        print(f"блоков: {count}, по {length} чисел выше {base}: простых {sum(expected)}")
        print(f"один поток {t_seq:.2f} с, два потока {t_thr:.2f} с, два процесса {t_proc:.2f} с")
    else:
        print(f"{count} blocks of {length} numbers above {base}: {sum(expected)} primes")
        print(f"one thread {t_seq:.2f} s, two threads {t_thr:.2f} s, two processes {t_proc:.2f} s")
    print(f"fanout_threads_2\t{t_seq / t_thr:.3f}")
    print(f"fanout_processes_2\t{t_seq / t_proc:.3f}", flush=True)


if __name__ == "__main__":
    main()
