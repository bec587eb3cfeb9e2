"""Lab 3 in Python: fork, pipes, wait and exec with the os module.

Each function mirrors a task of the Rust lab, with the same system calls (Python's os module
is a thin layer over them): os.fork, os.pipe, os.waitpid, os.dup2, os.execvp, os._exit.
Then the costs: fork + waitpid, a thread start + join, running /bin/true, pipe throughput.

    python3 processes.py PIPE_BYTES ROUNDS

Prints a few lines showing each function at work (in Russian when the course speaks it), then one line per measurement:
name<TAB>value (microseconds, or GiB/s for the pipe). The Rust demo (cargo run -p lab3) runs
this file and prints both side by side.
"""

import os
import re
import select
import signal
import subprocess
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


def wait_child(pid):
    """Task 3.1: reap a child and say how it ended (this is also what removes the zombie)."""
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return f"Signaled({signal.Signals(os.WTERMSIG(status)).name})"
    return f"Exited({os.WEXITSTATUS(status)})"


def run_in_child(f):
    """Task 3.1: run f in a child; its return value is the exit code, a raise is 101."""
    pid = os.fork()
    if pid == 0:  # the child: run f, then end at once with os._exit (never return!)
        try:
            code = f()
        except BaseException:
            code = 101
        os._exit(code)
    return wait_child(pid)


def read_to_end(fd):
    chunks = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:  # end of file: every write end is closed, in every process
            return b"".join(chunks)
        chunks.append(chunk)


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def compute_in_child(f):
    """Task 3.2: the child computes and writes; the parent reads to EOF, then reaps."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)  # the child only writes
        try:
            write_all(w, f())
            code = 0
        except BaseException:
            code = 101
        os._exit(code)
    os.close(w)  # the parent only reads: without this, read_to_end never returns
    data = read_to_end(r)
    os.close(r)
    return data, wait_child(pid)


def increment_in_child(counter):
    """Task 3.3: the child increments its own copy; the parent's stays as it was."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        counter["value"] += 1
        write_all(w, f"{os.getpid()} {counter['value']}".encode())
        os._exit(0)
    os.close(w)
    child_pid, value = read_to_end(r).split()
    os.close(r)
    wait_child(pid)
    return int(child_pid), int(value)


def fan_out(inputs, processes, work):
    """Task 3.4: start every child first, then read the pipes in order."""
    size = -(-len(inputs) // processes)
    children = []
    for start in range(0, len(inputs), size):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            write_all(w, " ".join(str(work(x)) for x in inputs[start:start + size]).encode())
            os._exit(0)
        os.close(w)  # before the next fork, so no other child inherits it
        children.append((pid, r))
    results = []
    for pid, r in children:  # in child order: results in input order
        results.extend(int(x) for x in read_to_end(r).split())
        os.close(r)
        wait_child(pid)
    return results


def pipeline(commands):
    """Task 3.5: cmd1 | cmd2 | ... with pipe, dup2 and execvp."""
    out_r, out_w = os.pipe()
    pids, previous = [], None
    for i, argv in enumerate(commands):
        last = i == len(commands) - 1
        nxt = None if last else os.pipe()
        pid = os.fork()
        if pid == 0:
            if previous is not None:
                os.dup2(previous, 0)
            os.dup2(out_w if last else nxt[1], 1)
            for fd in [previous, out_r, out_w, *(nxt or [])]:
                if fd is not None:
                    os.close(fd)
            # CPython ignores SIGPIPE, and exec keeps an ignored signal ignored: restore it.
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            try:
                os.execvp(argv[0], argv)
            except OSError:
                os.write(2, f"python: {argv[0]}: command not found\n".encode())
                os._exit(127)
        pids.append(pid)
        if previous is not None:
            os.close(previous)
        previous = None
        if nxt:
            os.close(nxt[1])
            previous = nxt[0]
    os.close(out_w)
    output = read_to_end(out_r)
    os.close(out_r)
    return output, [wait_child(pid) for pid in pids]


def first_to_finish(jobs):
    """Task 3.6: the first pipe ready wins; kill the others, reap everyone."""
    running = []
    for job in jobs:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            write_all(w, job())
            os._exit(0)
        os.close(w)
        running.append((pid, r))
    poller = select.poll()
    for _, r in running:
        poller.register(r, select.POLLIN)
    ready_fd = poller.poll()[0][0]
    winner = next(i for i, (_, r) in enumerate(running) if r == ready_fd)
    output = read_to_end(ready_fd)
    for i, (pid, _) in enumerate(running):
        if i != winner:
            os.kill(pid, signal.SIGKILL)  # kill first, while the pid is surely ours...
    for pid, r in running:
        os.close(r)
        wait_child(pid)  # ...then reap every child
    return winner, output


def mean_us(rounds, one_round, batches=5):
    """The best of a few batches' means, as the Rust demo does: load only ever slows a batch."""
    per_batch = max(1, rounds // batches)
    best = float("inf")
    for _ in range(batches):
        t0 = time.perf_counter()
        for _ in range(per_batch):
            one_round()
        best = min(best, (time.perf_counter() - t0) / per_batch)
    return best * 1e6


def fork_and_wait():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def thread_start_join():
    t = threading.Thread(target=lambda: None)
    t.start()
    t.join()


def pipe_gib_per_s(total):
    r, w = os.pipe()
    chunk = b"Z" * 65536
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        left = total
        while left > 0:
            write_all(w, chunk[: min(left, len(chunk))])
            left -= len(chunk)
        os._exit(0)
    os.close(w)
    got = 0
    while True:
        data = os.read(r, 65536)
        if not data:
            break
        got += len(data)
    elapsed = time.perf_counter() - t0
    os.close(r)
    os.waitpid(pid, 0)
    return got / (1 << 30) / elapsed


def show(what, value):
    print(f"{what}: {value}", flush=True)


def main():
    pipe_bytes, rounds = int(sys.argv[1]), int(sys.argv[2])

    statuses = [
        run_in_child(lambda: 0),
        run_in_child(lambda: 3),
        run_in_child(lambda: 1 / 0),
        run_in_child(lambda: os.kill(os.getpid(), signal.SIGKILL)),
    ]
    ru = russian()
    show(
        "коды завершения (возвращает 0, возвращает 3, исключение, SIGKILL)"
        if ru
        else "exit statuses (returns 0, returns 3, raises, SIGKILL)",
        ", ".join(statuses),
    )
    data, status = compute_in_child(lambda: bytes(range(256)) * 4096)
    show(
        "1 MiB через канал" if ru else "1 MiB through a pipe",
        f"байт: {len(data)}, потомок {status}" if ru else f"{len(data)} bytes, child {status}",
    )
    counter = {"value": 41}
    child_pid, child_value = increment_in_child(counter)
    show(
        "изоляция" if ru else "isolation",
        f"потомок увидел {child_value}, у родителя по-прежнему {counter['value']}"
        if ru
        else f"the child saw {child_value}, the parent still has {counter['value']}",
    )
    show(
        "fan-out x*x на 3 процесса" if ru else "fan-out of x*x over 3 processes",
        fan_out(list(range(7)), 3, lambda x: x * x),
    )
    output, statuses = pipeline([["seq", "1", "1000"], ["grep", "7"], ["wc", "-l"]])
    show("seq 1 1000 | grep 7 | wc -l", f"{output.decode().strip()} {statuses}")
    output, statuses = pipeline([["yes"], ["head", "-n", "1"]])
    show("yes | head -n 1", f"{output.decode().strip()} {statuses}")
    winner, output = first_to_finish([lambda: (time.sleep(30), b"slow")[1], lambda: b"fast"])
    show(
        "первый завершившийся" if ru else "first to finish",
        f"работа {winner} ({output.decode()}), потомков не осталось"
        if ru
        else f"job {winner} ({output.decode()}), children left: none",
    )

    # Costs, forks first: forking once threads exist is what Python 3.12 warns about.
    print(f"fork_wait_us\t{mean_us(rounds, fork_and_wait):.3f}")
    print(f"thread_us\t{mean_us(rounds, thread_start_join):.3f}")
    true_us = mean_us(max(1, rounds // 2), lambda: subprocess.run(["/bin/true"], check=True))
    print(f"spawn_true_us\t{true_us:.3f}")
    print(f"pipe_gib_s\t{pipe_gib_per_s(pipe_bytes):.3f}", flush=True)


if __name__ == "__main__":
    main()
