"""What a thread, a process and a program cost in CPython, and a pipe's throughput.

The report's Python side of Lab 3's cost table:
- fork_wait: os.fork(), the child os._exit(0), the parent os.waitpid();
- thread_spawn_join: threading.Thread(target=nothing).start() then .join();
- spawn_program: subprocess.run(["/bin/true"]);
- pipe_gib_per_s: the parent os.write()s 64 KiB at a time into an os.pipe(), a forked
  child reads and discards, from the first write to the child reaped.

    python3 costs.py ROUNDS PIPE_MIB

Each cost is the median of 9 batches (mean per round in a batch), as on the Rust side.
Last line: JSON, seconds per round and GiB/s.
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import time


def per_round(f, rounds):
    t0 = time.perf_counter()
    for _ in range(rounds):
        f()
    return (time.perf_counter() - t0) / rounds


def fork_wait():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def thread_spawn_join():
    t = threading.Thread(target=lambda: None)
    t.start()
    t.join()


def spawn_program():
    subprocess.run(["/bin/true"], check=True)


def pipe_throughput(mib):
    chunk = 64 * 1024
    buf = b"\x5a" * chunk
    r, w = os.pipe()
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(w)
        while os.read(r, chunk):
            pass
        os._exit(0)
    os.close(r)
    chunks = mib * 1024 * 1024 // chunk
    for _ in range(chunks):
        view = memoryview(buf)
        while view:
            view = view[os.write(w, view):]
    os.close(w)
    os.waitpid(pid, 0)
    return chunks * chunk / 2**30 / (time.perf_counter() - t0)


def main():
    rounds, mib = int(sys.argv[1]), int(sys.argv[2])
    batch = max(rounds // 9, 1)
    fork, thread, program = [], [], []
    for _ in range(9):
        fork.append(per_round(fork_wait, batch))
        thread.append(per_round(thread_spawn_join, batch))
        program.append(per_round(spawn_program, max(batch // 4, 1)))
    out = {
        "fork_wait": statistics.median(fork),
        "thread_spawn_join": statistics.median(thread),
        "spawn_program": statistics.median(program),
        "pipe_gib_per_s": statistics.median(pipe_throughput(mib) for _ in range(3)),
    }
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
