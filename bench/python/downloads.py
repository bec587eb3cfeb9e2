"""100 downloads from the slow server, in CPython (standard library only).

The benchmark report's Python side of "100 downloads": the same server (the Rust report
starts kit's SlowServer on loopback and passes its address), the same five ways:

- sequential: urllib.request, one after another;
- threads_100: one threading.Thread per URL;
- pool_10: concurrent.futures.ThreadPoolExecutor(max_workers=10);
- async: one asyncio task per URL (HTTP/1.1 by hand over asyncio.open_connection:
  the standard library has no async HTTP client);
- async_limited_10: the same behind asyncio.Semaphore(10).

    python3 downloads.py BASE_URL N

BASE_URL ends with "/resource/"; resource i's body is "resource i: the quick brown fox...".
The last line printed is a JSON object: for each way, its wall time and how many bodies
were right.
"""

import asyncio
import concurrent.futures
import json
import sys
import threading
import time
import urllib.parse
import urllib.request


def body_of(i):
    return f"resource {i}: the quick brown fox jumps over the lazy dog\n"


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def sequential(urls):
    return [get(u) for u in urls]


def threads(urls):
    bodies = [None] * len(urls)

    def work(i, url):
        try:
            bodies[i] = get(url)
        except OSError as e:
            bodies[i] = e

    workers = [threading.Thread(target=work, args=(i, u)) for i, u in enumerate(urls)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return bodies


def pool_10(urls):
    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        return list(pool.map(get, urls))


async def fetch(url):
    parts = urllib.parse.urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(
        f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n".encode()
    )
    await writer.drain()
    raw = await reader.read()  # to EOF: the server closes after its answer
    writer.close()
    await writer.wait_closed()
    head, _, body = raw.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise OSError(f"GET {url}: {head[:40]!r}")
    return body.decode()


async def all_at_once(urls):
    return await asyncio.gather(*(fetch(u) for u in urls), return_exceptions=True)


async def limited(urls, limit):
    sem = asyncio.Semaphore(limit)

    async def one(url):
        async with sem:
            return await fetch(url)

    return await asyncio.gather(*(one(u) for u in urls), return_exceptions=True)


def main():
    base, n = sys.argv[1], int(sys.argv[2])
    urls = [f"{base}{i}" for i in range(n)]
    get(urls[0])  # warm-up: the first connection is not any one mode's cost
    ways = [
        ("sequential", lambda: sequential(urls)),
        ("threads_100", lambda: threads(urls)),
        ("pool_10", lambda: pool_10(urls)),
        ("async", lambda: asyncio.run(all_at_once(urls))),
        ("async_limited_10", lambda: asyncio.run(limited(urls, 10))),
    ]
    out = {}
    for name, f in ways:
        t0 = time.perf_counter()
        bodies = f()
        wall = time.perf_counter() - t0
        ok = sum(1 for i, b in enumerate(bodies) if b == body_of(i))
        out[name] = {"wall": wall, "ok": ok}
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
