"""N asyncio tasks sleeping at once, in CPython: the report's Python side of Lab 4's
"10,000 concurrent tasks sleeping 1 s".

    python3 sleepers.py N SECONDS

Times asyncio.gather of N asyncio.sleep(SECONDS) inside one event loop (the loop's start is
not timed, as the Rust side builds its runtime before timing). Last line: JSON, seconds.
"""

import asyncio
import json
import sys
import time


async def main(n, seconds):
    t0 = time.perf_counter()
    await asyncio.gather(*(asyncio.sleep(seconds) for _ in range(n)))
    return time.perf_counter() - t0


if __name__ == "__main__":
    n, seconds = int(sys.argv[1]), float(sys.argv[2])
    wall = asyncio.run(main(n, seconds))
    print(json.dumps({"asyncio": wall, "n": n}), flush=True)
