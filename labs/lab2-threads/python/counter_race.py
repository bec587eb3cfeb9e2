"""Lab 2 in Python: the shared-counter race (the course's example).

Several threads increment one global counter. Two versions of the increment:

- `counter += 1`: on CPython 3.11 this usually loses nothing. Not because it is atomic
  (it is a load, an add and a store: three bytecodes), but because the interpreter only
  switches threads at a few places (a jump back to the top of a loop, the start of a
  function call), and there is none between the load and the store.
- the same with a function call between reading and writing: the call is a switch point,
  another thread runs in the window, and updates are lost.

    python3 counter_race.py THREADS INCREMENTS_PER_THREAD TRIALS

Give each thread enough increments to run for several switch intervals
(`sys.getswitchinterval()`, 5 ms): a thread that finishes inside one is never asked to
let go, and even the version with a call loses nothing, by luck (the demo's sizes, in
src/demo/mod.rs, allow for it).

Prints one line per version: name (in Russian when the course speaks it), trials that lost updates, trials, mean % lost,
separated by tabs.
"""

import os
import re
import sys
import threading

counter = 0


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


def pause():
    """Does nothing, but calling it is a point where CPython may switch threads."""


def plain(n):
    global counter
    for _ in range(n):
        counter += 1


def with_call(n):
    global counter
    for _ in range(n):
        value = counter
        pause()
        counter = value + 1


def trial(increment, threads, n):
    global counter
    counter = 0
    workers = [threading.Thread(target=increment, args=(n,)) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return threads * n - counter


def main():
    threads, n, trials = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    expected = threads * n
    with_call_name = "чтение; вызов; запись" if russian() else "read; call; write"
    for name, increment in [("counter += 1", plain), (with_call_name, with_call)]:
        lost = [trial(increment, threads, n) for _ in range(trials)]
        losing = sum(1 for x in lost if x > 0)
        mean = 100.0 * sum(lost) / (trials * expected)
        print(f"{name}\t{losing}\t{trials}\t{mean:.3f}", flush=True)


if __name__ == "__main__":
    main()
