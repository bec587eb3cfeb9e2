"""Lab 4 in Python: asyncio, the event loop the Rust lab rebuilds on tokio.

The same experiments as the Rust demo, standard library only:
  - the course's example: two tasks of 4 s and 3 s take 4 s (create_task, await);
  - the same three coroutines awaited one after another, then with gather;
  - N downloads from the slow server: all at once, at most LIMIT at once (Semaphore), and
    with to_thread (blocking urllib calls in the default thread pool); sequentially in full
    mode. The async client is a raw HTTP/1.1 GET over asyncio.open_connection;
  - many tasks sleeping at once;
  - blocking the loop: a ticker while time.sleep runs inline, then through to_thread;
  - run_coroutine_threadsafe from a plain thread;
  - an async generator read with `async for`, and an `async with` context manager.

    python3 asyncio_lab.py MODE BASE_URL N LIMIT SLEEPERS SLEEP_EACH BLOCK

MODE is quick, normal or full (full runs the 4 s / 3 s example at full length, and the
sequential downloads). Prints `key<TAB>label<TAB>value` lines (value in seconds, or a count
of ticks) and `say<TAB>text` lines, in Russian when the course speaks it. The Rust demo (cargo run -p lab4) runs this file and
prints both side by side.
"""

import asyncio
import os
import re
import sys
import threading
import time
import urllib.parse
import urllib.request


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


def out(*cells):
    print("\t".join(str(c) for c in cells), flush=True)


def say(text):
    out("say", text)


# ── the course's example ────────────────────────────────────────────────────────────
async def say_after(delay, what, t0, log):
    await asyncio.sleep(delay)
    log.append(f"{time.perf_counter() - t0:6.2f} s  {what}")


async def hello_world(scale):
    t0, log = time.perf_counter(), []
    task1 = asyncio.create_task(say_after(4 * scale, "hello", t0, log))
    task2 = asyncio.create_task(say_after(3 * scale, "world", t0, log))
    log.append(f"{time.perf_counter() - t0:6.2f} s  started")
    await task1
    await task2
    log.append(f"{time.perf_counter() - t0:6.2f} s  finished")
    return time.perf_counter() - t0, log


# ── sequential awaits vs gather ─────────────────────────────────────────────────────
async def job(name, delay):
    await asyncio.sleep(delay)
    return name


async def sequentially(scale):
    t0 = time.perf_counter()
    results = [await job(n, d * scale) for n, d in (("a", 1), ("b", 2), ("c", 3))]
    return time.perf_counter() - t0, results


async def concurrently(scale):
    t0 = time.perf_counter()
    results = await asyncio.gather(*(job(n, d * scale) for n, d in (("a", 3), ("b", 1), ("c", 2))))
    return time.perf_counter() - t0, results


# ── downloads ───────────────────────────────────────────────────────────────────────
async def fetch(url):
    """A minimal HTTP/1.1 GET on asyncio's streams (no aiohttp in the standard library)."""
    u = urllib.parse.urlsplit(url)
    reader, writer = await asyncio.open_connection(u.hostname, u.port)
    writer.write(f"GET {u.path} HTTP/1.1\r\nHost: {u.netloc}\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    response = await reader.read()  # until the server closes: Connection: close
    writer.close()
    await writer.wait_closed()
    head, _, body = response.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"GET {url}: {head.splitlines()[0]!r}")
    return body.decode()


async def download_all(urls):
    return await asyncio.gather(*(fetch(u) for u in urls))


async def download_limited(urls, limit):
    sem = asyncio.Semaphore(limit)

    async def one(url):
        async with sem:  # at most `limit` inside at once
            return await fetch(url)

    return await asyncio.gather(*(one(u) for u in urls))


def get(url):
    with urllib.request.urlopen(url) as response:
        return response.read().decode()


async def download_to_thread(urls):
    # to_thread uses the loop's default ThreadPoolExecutor: min(32, cores + 4) threads.
    return await asyncio.gather(*(asyncio.to_thread(get, u) for u in urls))


async def timed(coro):
    t0 = time.perf_counter()
    value = await coro
    return time.perf_counter() - t0, value


# ── many sleepers ───────────────────────────────────────────────────────────────────
async def sleepers(n, each):
    t0 = time.perf_counter()
    await asyncio.gather(*(asyncio.sleep(each) for _ in range(n)))
    return time.perf_counter() - t0


# ── blocking the loop ───────────────────────────────────────────────────────────────
async def ticks_during_block(block, off_the_loop):
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    t = asyncio.create_task(ticker())
    await asyncio.sleep(0.12)
    before = ticks
    if off_the_loop:
        await asyncio.to_thread(time.sleep, block)  # the fix: another thread blocks
    else:
        time.sleep(block)  # the bug: the loop's own thread blocks
    during = ticks - before
    t.cancel()
    return during


# ── run_coroutine_threadsafe ────────────────────────────────────────────────────────
async def bridge():
    loop = asyncio.get_running_loop()
    loop_thread = threading.current_thread().name
    answer = {}

    async def compute():
        await asyncio.sleep(0.01)
        return 6 * 7, threading.current_thread().name

    def plain_thread():
        future = asyncio.run_coroutine_threadsafe(compute(), loop)
        answer["value"] = future.result()  # blocks this thread, not the loop

    th = threading.Thread(target=plain_thread, name="plain-thread")
    th.start()
    await asyncio.to_thread(th.join)  # wait without blocking the loop
    value, ran_on = answer["value"]
    return value, ran_on == loop_thread


# ── async generator and async with ──────────────────────────────────────────────────
async def ticks(count, every):
    for i in range(count):
        await asyncio.sleep(every)
        yield i


class Session:
    def __init__(self, log):
        self.log = log

    async def __aenter__(self):
        await asyncio.sleep(0.01)
        self.log.append("open")
        return self

    async def query(self, q):
        self.log.append(f"query {q}")
        await asyncio.sleep(0.02)
        return f"{q}: ok"

    async def __aexit__(self, *exc):
        await asyncio.sleep(0.01)  # Python awaits the cleanup for you
        self.log.append("closed")


async def streams():
    items = [i async for i in ticks(4, 0.025)]
    log = []
    async with Session(log) as s:
        answers = [await s.query("select 1"), await s.query("select 2")]
    return items, answers, log


async def main():
    mode, base, n, limit, n_sleepers, each, block = sys.argv[1:8]
    n, limit, n_sleepers = int(n), int(limit), int(n_sleepers)
    each, block = float(each), float(block)
    scale = 1.0 if mode == "full" else 0.1
    ru = russian()

    elapsed, log = await hello_world(scale)
    for line in log:
        say(f"  {line}")
    out("example", f"пример 4 с / 3 с (×{scale:g})" if ru else f"4 s / 3 s example (×{scale:g})", f"{elapsed:.6f}")

    seq, _ = await sequentially(scale)
    label = f"await 1, 2, 3 с по очереди (×{scale:g})" if ru else f"awaits of 1, 2, 3 s one by one (×{scale:g})"
    out("sequential_awaits", label, f"{seq:.6f}")
    conc, results = await concurrently(scale)
    out("gather", f"gather 3, 1, 2 с (×{scale:g}) → {results}" if ru else f"gather of 3, 1, 2 s (×{scale:g}) → {results}", f"{conc:.6f}")

    urls = [f"{base}{i}" for i in range(n)]
    if mode == "full":
        t0 = time.perf_counter()
        for u in urls:
            get(u)
        label = f"{n} загрузок одна за другой (urllib)" if ru else f"{n} downloads, one after another (urllib)"
        out("sequential", label, f"{time.perf_counter() - t0:.6f}")
    t, _ = await timed(download_to_thread(urls))
    out("threads", f"{n} загрузок через to_thread (пул потоков)" if ru else f"{n} downloads with to_thread (thread pool)", f"{t:.6f}")
    t, bodies = await timed(download_all(urls))
    assert len(bodies) == n
    out("async", f"{n} загрузок сразу (gather)" if ru else f"{n} downloads at once (gather)", f"{t:.6f}")
    t, _ = await timed(download_limited(urls, limit))
    out("limited", f"{n} загрузок, Semaphore({limit})" if ru else f"{n} downloads, Semaphore({limit})", f"{t:.6f}")

    t = await sleepers(n_sleepers, each)
    out("sleepers", f"{n_sleepers} задач спят по {each:g} с" if ru else f"{n_sleepers} tasks sleeping {each:g} s", f"{t:.6f}")

    label = f"тики за time.sleep({block:g}) в цикле событий" if ru else f"ticks during time.sleep({block:g}) on the loop"
    out("blocked_ticks", label, await ticks_during_block(block, False))
    label = f"тики за to_thread(time.sleep, {block:g})" if ru else f"ticks during to_thread(time.sleep, {block:g})"
    out("free_ticks", label, await ticks_during_block(block, True))

    value, on_loop = await bridge()
    if ru:
        say(f"  `run_coroutine_threadsafe` из обычного потока: {value}, выполнилась в потоке цикла: {on_loop}")
    else:
        say(f"  run_coroutine_threadsafe from a plain thread: {value}, ran on the loop's thread: {on_loop}")
    items, answers, log = await streams()
    if ru:
        say(f"  `async for` по асинхронному генератору: `{items}`; `async with`: `{answers}`, `{log}`")
    else:
        say(f"  async for over an async generator: {items}; async with: {answers}, {log}")


if __name__ == "__main__":
    asyncio.run(main())
