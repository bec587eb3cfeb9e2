"""Lab 1 in Python: the course's sequential example.

A CPU-bound workload (naive Fibonacci, counting primes) and an IO-bound one (downloading
from a slow server, one request after another), each timed on the wall clock and on the
CPU clock of this thread, exactly as the Rust lab does.

    python3 sequential.py FIB_N PRIMES_BELOW URL [URL ...]

Prints one line per workload: name, wall seconds, CPU seconds, separated by tabs.
The Rust demo (cargo run -p lab1) runs this file and prints both side by side.
"""

import sys
import time
import urllib.request


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


def count_primes(limit):
    return sum(1 for n in range(limit) if is_prime(n))


def download_all(urls):
    bodies = []
    for url in urls:  # one after another: each call blocks until the answer arrives
        with urllib.request.urlopen(url) as response:
            bodies.append(response.read())
    return bodies


def measure(f):
    wall0, cpu0 = time.perf_counter(), time.thread_time()
    value = f()
    return value, time.perf_counter() - wall0, time.thread_time() - cpu0


def main():
    fib_n, primes_below, urls = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    workloads = [
        (f"fib({fib_n})", lambda: fib(fib_n)),
        (f"count_primes({primes_below})", lambda: count_primes(primes_below)),
        (f"download {len(urls)} resources", lambda: download_all(urls)),
    ]
    for name, work in workloads:
        _, wall, cpu = measure(work)
        print(f"{name}\t{wall:.6f}\t{cpu:.6f}", flush=True)


if __name__ == "__main__":
    main()
