"""Lab 5 in Python: asyncio's own gather, wait_for, wait, as_completed and shield.

The same scenarios as the Rust lab (labs/lab5-combinators/src/demo/scenarios.rs), with the
same jobs, printing the same event log, line for line:

    {at_ms:>6} ms  {task:<10} {event}

Each job records `start`, `await sleep N ms`, `resume`, `error(...)` if it fails, and
`finish`, or `cancelled` when asyncio throws CancelledError into it. The caller is `main`.

asyncio runs here on a *virtual clock*: an event loop whose time() only moves when the loop
has nothing to do but wait for the next timer, and then jumps straight to it (the same
trick as tokio's paused clock). Every scenario runs in microseconds and its times are exact.
asyncio's semantics do not depend on the clock: this is the real asyncio, only faster.

    python3 combinators.py [--raw] [SCENARIO ...]     (all of them by default)

Prints `== name`, then the scenario's log, for each. Events at the same instant are listed
by task name with `main` last (the order of simultaneous events is arbitrary, in tokio as
in asyncio); the Rust lab lists them the same way.
"""

import asyncio
import selectors
import sys

SETTLE = 60  # seconds the loop keeps going after the caller is done (virtual: free)


# ─── a virtual clock for asyncio ────────────────────────────────────────────────────────


class VirtualSelector(selectors.DefaultSelector):
    """Never sleeps: asks the OS what is ready *now*, and if nothing is, advances the
    virtual clock by the timeout the loop wanted to sleep (the time to its next timer)."""

    def __init__(self):
        super().__init__()
        self.now = 0.0

    def select(self, timeout=None):
        ready = super().select(0)
        if not ready:
            if timeout is None:
                raise RuntimeError("deadlock: no timer left and nothing ready")
            self.now += timeout
        return ready


class VirtualLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        self._virtual = VirtualSelector()
        super().__init__(self._virtual)

    def time(self):
        return self._virtual.now


# ─── the stage: jobs that record what happens to them ───────────────────────────────────


class JobError(Exception):
    pass


def show(x):
    return f"error({x})" if isinstance(x, BaseException) else str(x)


def show_all(xs):
    return "[" + ", ".join(show(x) for x in xs) + "]"


class Scene:
    def __init__(self):
        self.loop = asyncio.get_running_loop()
        self.events = []  # (at_ms, task, text), in the order they happen
        self.running = 0
        self.max_running = 0

    def record(self, task, text):
        self.events.append((round(self.loop.time() * 1000), task, text))

    def mark(self, text):
        self.record("main", text)

    async def job(self, name, ms, value=None, error=None):
        self.record(name, "start")
        self.running += 1
        self.max_running = max(self.max_running, self.running)
        self.record(name, f"await sleep {ms} ms")
        try:
            await asyncio.sleep(ms / 1000)
        except asyncio.CancelledError:
            self.record(name, "cancelled")
            self.running -= 1
            raise
        self.record(name, "resume")
        self.running -= 1
        if error is not None:
            self.record(name, f"error({error})")
            self.record(name, "finish")
            raise JobError(error)
        self.record(name, "finish")
        return value

    async def main_awaits(self, what, aw):
        self.record("main", f"await {what}")
        try:
            return await aw
        finally:
            self.record("main", "resume")

    def log(self, raw=False):
        # By time, then by task with main last; a task's own events keep their order
        # (sorted() is stable). --raw: in the order they happened.
        events = self.events if raw else sorted(self.events, key=lambda e: (e[0], e[1] == "main", e[1]))
        return "".join(f"{at:>6} ms  {task:<10} {text}\n" for at, task, text in events)


def abc(s):
    return [s.job("a", 3000, 1), s.job("b", 1000, 2), s.job("c", 2000, 3)]


def abc_b_fails(s):
    return [s.job("a", 3000, 1), s.job("b", 1000, error="b failed"), s.job("c", 2000, 3)]


# ─── the combinators the Rust lab builds (asyncio has most of them) ─────────────────────


async def gather_bounded(aws, limit):
    sem = asyncio.Semaphore(limit)

    async def bounded(aw):
        async with sem:
            return await aw

    return await asyncio.gather(*(bounded(aw) for aw in aws))


class AllFailed(Exception):
    def __str__(self):
        return "AllFailed([" + ", ".join(str(e) for e in self.args[0]) + "])"


async def fetch_and_save(mirrors, deadline, save):
    tasks = [asyncio.ensure_future(m) for m in mirrors]

    async def race():
        pending, errors = set(tasks), {}
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for t in sorted(done, key=tasks.index):
                if t.exception() is None:
                    return tasks.index(t), t.result()
                errors[tasks.index(t)] = t.exception()
        raise AllFailed([errors[i] for i in sorted(errors)])

    try:
        winner, answer = await asyncio.wait_for(race(), deadline)
    finally:
        for t in tasks:  # the race is over: the losers' downloads are no use
            t.cancel()
    return winner, await asyncio.shield(save(answer))


# ─── the scenarios ──────────────────────────────────────────────────────────────────────


async def gather(s):
    out = await s.main_awaits("gather(a, b, c)", asyncio.gather(*abc(s)))
    s.mark(f"gather -> {show_all(out)}")


async def gather_cancelled(s):
    try:
        out = await s.main_awaits(
            "wait_for(gather(a, b, c), 1500 ms)", asyncio.wait_for(asyncio.gather(*abc(s)), 1.5)
        )
        s.mark(f"wait_for -> {show_all(out)}")
    except TimeoutError:
        s.mark("wait_for raised TimeoutError")


async def gather_error(s):
    try:
        out = await s.main_awaits("gather(a, b, c)", asyncio.gather(*abc_b_fails(s)))
        s.mark(f"gather -> {show_all(out)}")
    except JobError as e:
        s.mark(f"gather raised error({e})")
    await s.main_awaits("sleep 3000 ms", asyncio.sleep(3))


async def gather_return_exceptions(s):
    out = await s.main_awaits(
        "gather(a, b, c, return_exceptions=True)",
        asyncio.gather(*abc_b_fails(s), return_exceptions=True),
    )
    s.mark(f"gather -> {show_all(out)}")


async def wait_for(s):
    for name, ms, value, timeout in [("fast", 1000, 1, 3000), ("slow", 3000, 2, 1000)]:
        try:
            out = await s.main_awaits(
                f"wait_for({name}, {timeout} ms)",
                asyncio.wait_for(s.job(name, ms, value), timeout / 1000),
            )
            s.mark(f"wait_for -> {show(out)}")
        except TimeoutError:
            s.mark("wait_for raised TimeoutError")


async def wait_for_task(s):
    task = asyncio.create_task(s.job("slow", 3000, 1))
    try:
        out = await s.main_awaits("wait_for(slow, 1000 ms)", asyncio.wait_for(task, 1))
        s.mark(f"wait_for -> {show(out)}")
    except TimeoutError:
        s.mark("wait_for raised TimeoutError")
    await s.main_awaits("sleep 3000 ms", asyncio.sleep(3))


async def wait_then_collect(s, mode):
    if mode == "FIRST_COMPLETED":
        jobs = abc(s)
    elif mode == "FIRST_EXCEPTION":
        jobs = [s.job("a", 3000, 1), s.job("b", 2000, error="b failed"), s.job("c", 1000, 3)]
    else:
        jobs = abc_b_fails(s)
    tasks = [asyncio.create_task(j, name=n) for n, j in zip("abc", jobs)]
    done, pending = await s.main_awaits(
        f"wait({{a, b, c}}, {mode})", asyncio.wait(tasks, return_when=getattr(asyncio, mode))
    )
    name = lambda t: t.get_name()  # noqa: E731
    outcome = lambda t: t.exception() or t.result()  # noqa: E731
    done_text = ", ".join(f"{name(t)}={show(outcome(t))}" for t in sorted(done, key=name))
    names = ", ".join(name(t) for t in sorted(pending, key=name))
    s.mark(f"done [{done_text}] pending [{names}]")
    if not pending:
        return

    async def collect():
        return [f"{name(t)}={show(await t)}" for t in sorted(pending, key=name)]

    collected = await s.main_awaits(f"pending {names}", collect())
    s.mark(f"collected [{', '.join(collected)}]")


async def as_completed(s):
    for next_result in asyncio.as_completed(abc(s)):
        out = await s.main_awaits("next result", next_result)
        s.mark(f"got {show(out)}")
        await s.main_awaits("work 1500 ms", asyncio.sleep(1.5))
    s.mark("as_completed ended")


async def shield(s):
    try:
        out = await s.main_awaits(
            "wait_for(shield(save), 1000 ms)", asyncio.wait_for(asyncio.shield(s.job("save", 2000, 7)), 1)
        )
        s.mark(f"wait_for -> {show(out)}")
    except TimeoutError:
        s.mark("wait_for raised TimeoutError")
    await s.main_awaits("sleep 2000 ms", asyncio.sleep(2))


async def shield_collect(s):
    inner = asyncio.ensure_future(s.job("save", 2000, 7))
    try:
        out = await s.main_awaits("wait_for(shield(save), 1000 ms)", asyncio.wait_for(asyncio.shield(inner), 1))
        s.mark(f"wait_for -> {show(out)}")
    except TimeoutError:
        s.mark("wait_for raised TimeoutError")
    await s.main_awaits("sleep 3000 ms", asyncio.sleep(3))
    out = await s.main_awaits("save", inner)
    s.mark(f"collected {show(out)}")


async def bounded(s):
    jobs = [
        s.job("a", 3000, 1),
        s.job("b", 1000, 2),
        s.job("c", 1000, 3),
        s.job("d", 2000, 4),
        s.job("e", 1000, 5),
    ]
    out = await s.main_awaits("gather_bounded(a, b, c, d, e, limit=2)", gather_bounded(jobs, 2))
    s.mark(f"gather -> {show_all(out)}")
    s.mark(f"max in flight {s.max_running}")


async def mirrors(s, plan="wins"):
    if plan == "deadline":
        ms = [s.job("m0", 3000, 10), s.job("m1", 500, error="m1 down"), s.job("m2", 4000, 12)]
        deadline = 2000
    else:
        ms = [s.job("m0", 3000, 10), s.job("m1", 1000, error="m1 down"), s.job("m2", 2000, 12)]
        deadline = 2500
    save = lambda answer: s.job("save", 1500, answer)  # noqa: E731
    fetched = fetch_and_save(ms, deadline / 1000, save)
    what = f"fetch_and_save(deadline {deadline} ms)"
    if plan == "give_up":
        try:
            winner, saved = await s.main_awaits(f"wait_for({what}, 3000 ms)", asyncio.wait_for(fetched, 3))
            s.mark(f"fetch_and_save -> ({winner}, {show(saved)})")
        except TimeoutError:
            s.mark("wait_for raised TimeoutError")
        await s.main_awaits("sleep 1000 ms", asyncio.sleep(1))
        return
    try:
        winner, saved = await s.main_awaits(what, fetched)
        s.mark(f"fetch_and_save -> ({winner}, {show(saved)})")
    except (TimeoutError, AllFailed) as e:
        s.mark(f"fetch_and_save raised {type(e).__name__ if isinstance(e, TimeoutError) else e}")


SCENARIOS = {
    "gather": gather,
    "gather_cancelled": gather_cancelled,
    "gather_error": gather_error,
    "gather_return_exceptions": gather_return_exceptions,
    "wait_for": wait_for,
    "wait_for_task": wait_for_task,
    "wait_first_completed": lambda s: wait_then_collect(s, "FIRST_COMPLETED"),
    "wait_first_exception": lambda s: wait_then_collect(s, "FIRST_EXCEPTION"),
    "wait_all_completed": lambda s: wait_then_collect(s, "ALL_COMPLETED"),
    "as_completed": as_completed,
    "shield": shield,
    "shield_collect": shield_collect,
    "bounded": bounded,
    "mirrors": mirrors,
    "mirrors_deadline": lambda s: mirrors(s, "deadline"),
    "mirrors_give_up": lambda s: mirrors(s, "give_up"),
}


async def play(name, raw=False):
    s = Scene()
    s.record("main", "start")
    await SCENARIOS[name](s)
    s.record("main", "finish")
    await asyncio.sleep(SETTLE)
    return s.log(raw)


def main():
    raw = "--raw" in sys.argv[1:]
    names = [a for a in sys.argv[1:] if a != "--raw"] or list(SCENARIOS)
    for name in names:
        loop = VirtualLoop()
        try:
            log = loop.run_until_complete(play(name, raw))
        finally:
            loop.close()
        print(f"== {name}")
        print(log, end="", flush=True)


if __name__ == "__main__":
    main()
