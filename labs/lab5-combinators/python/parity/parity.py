"""The parity suite of Lab 5, asyncio's side: every scenario once in Python, here.

Each scenario is also written once in Rust, on the lab's combinators
(labs/lab5-combinators/src/demo/parity.rs), and the two canonical event logs are compared
line for line by the runner (`cargo run -p lab5-solution --bin lab5-parity`, also a step of
`cargo selftest`). The chapter's appendix (docs/src/lab5-parity.md) is generated from that
comparison: every difference that remains is listed there with its reason.

Standard library only. The clock is virtual (combinators.VirtualLoop): the loop jumps to its
next timer instead of sleeping, so every run is instant and its times exact.

    python3 parity.py [SCENARIO ...]      prints `== name` and the log of each (all by default)
    python3 parity.py --list              the names, one a line

The first 16 scenarios are the lab's experiments (python/combinators.py,
src/demo/scenarios.rs).
"""

import asyncio
import os
import sys
import warnings

# A coroutine cancelled before its first step (wait_for(coro, 0), a job still waiting for a
# semaphore) is "never awaited": expected here, and Rust drops such a future silently too.
warnings.filterwarnings("ignore", message="coroutine .* was never awaited")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import combinators  # noqa: E402
from combinators import SETTLE, JobError, Scene, VirtualLoop, abc, abc_b_fails  # noqa: E402

BUG = "division by zero"  # what `1 / 0` raises; the Rust jobs panic with the same message


def show(x):
    """An outcome as both logs write it: 7, error(b failed), error(panic: ...), cancelled."""
    if isinstance(x, asyncio.CancelledError):
        return "cancelled"
    if isinstance(x, JobError):
        return f"error({x})"
    if isinstance(x, BaseException):
        return f"error(panic: {x})"
    return str(x)


def show_all(xs):
    return "[" + ", ".join(show(x) for x in xs) + "]"


def outcome(t):
    if t.cancelled():
        return asyncio.CancelledError()
    return t.exception() or t.result()


class ParityScene(Scene):
    async def buggy(self, name, ms):
        """A job with a bug: it sleeps, then raises ZeroDivisionError (a panic in Rust)."""
        self.record(name, "start")
        self.record(name, f"await sleep {ms} ms")
        try:
            await asyncio.sleep(ms / 1000)
        except asyncio.CancelledError:
            self.record(name, "cancelled")
            raise
        self.record(name, "resume")
        self.record(name, f"panic({BUG})")
        return 1 / 0

    def trace(self, text):
        """One shared row for scenarios about the order of steps at the same instant."""
        self.record("trace", text)


def tasks_abc(s, jobs=None):
    jobs = jobs or abc(s)
    return [asyncio.create_task(j, name=n) for n, j in zip("abc", jobs)]


def a_bug_c(s):
    return [s.job("a", 3000, 1), s.buggy("b", 1000), s.job("c", 2000, 3)]


async def watch(s, ms):
    await s.main_awaits(f"sleep {ms} ms", asyncio.sleep(ms / 1000))


async def cancel_later(task, ms):
    await asyncio.sleep(ms / 1000)
    task.cancel()


def report_wait(s, done, pending):
    name = lambda t: t.get_name()  # noqa: E731
    done_text = ", ".join(f"{name(t)}={show(outcome(t))}" for t in sorted(done, key=name))
    names = ", ".join(name(t) for t in sorted(pending, key=name))
    s.mark(f"done [{done_text}] pending [{names}]")


# ─── gather ─────────────────────────────────────────────────────────────────────────────


async def gather_empty(s):
    out = await s.main_awaits("gather()", asyncio.gather())
    s.mark(f"gather -> {show_all(out)}")


async def gather_tasks(s):
    out = await s.main_awaits("gather(ta, tb, tc)", asyncio.gather(*tasks_abc(s)))
    s.mark(f"gather -> {show_all(out)}")


async def gather_tasks_cancelled(s):
    gathered = asyncio.gather(*tasks_abc(s))
    try:
        await s.main_awaits("wait_for(gather(ta, tb, tc), 1500 ms)", asyncio.wait_for(gathered, 1.5))
    except TimeoutError:
        s.mark("wait_for raised TimeoutError")
    await watch(s, 3000)


async def gather_tasks_child_cancelled(s):
    ta, tb, tc = tasks_abc(s)
    asyncio.get_running_loop().call_later(0.5, tb.cancel)
    try:
        out = await s.main_awaits("gather(ta, tb, tc)", asyncio.gather(ta, tb, tc))
        s.mark(f"gather -> {show_all(out)}")
    except asyncio.CancelledError:
        s.mark("gather raised CancelledError")
    await watch(s, 3000)


async def gather_error_panic(s):
    try:
        out = await s.main_awaits("gather(a, b, c)", asyncio.gather(*a_bug_c(s)))
        s.mark(f"gather -> {show_all(out)}")
    except ZeroDivisionError as e:
        s.mark(f"gather raised panic({e})")
    await watch(s, 3000)


async def gather_return_exceptions_panic(s):
    out = await s.main_awaits(
        "gather(a, b, c, return_exceptions=True)", asyncio.gather(*a_bug_c(s), return_exceptions=True)
    )
    s.mark(f"gather -> {show_all(out)}")


async def gather_return_exceptions_cancelled(s):
    gathered = asyncio.gather(*abc_b_fails(s), return_exceptions=True)
    try:
        await s.main_awaits(
            "wait_for(gather(a, b, c, return_exceptions=True), 1500 ms)", asyncio.wait_for(gathered, 1.5)
        )
    except TimeoutError:
        s.mark("wait_for raised TimeoutError")
    await watch(s, 3000)


async def try_gather_cancelled(s):
    try:
        await s.main_awaits("wait_for(gather(a, b, c), 1500 ms)", asyncio.wait_for(asyncio.gather(*abc(s)), 1.5))
    except TimeoutError:
        s.mark("wait_for raised TimeoutError")
    await watch(s, 3000)


async def gather_uneven(s):
    jobs = [s.job("a", 10, 1), s.job("b", 7000, 2), s.job("c", 1, 3), s.job("d", 250, 4)]
    out = await s.main_awaits("gather(a, b, c, d)", asyncio.gather(*jobs))
    s.mark(f"gather -> {show_all(out)}")


async def bounded_cancelled(s):
    jobs = [s.job(n, ms, v) for n, ms, v in [("a", 3000, 1), ("b", 1000, 2), ("c", 1000, 3), ("d", 2000, 4)]]
    try:
        await s.main_awaits(
            "wait_for(gather_bounded(a, b, c, d, limit=2), 1500 ms)",
            asyncio.wait_for(combinators.gather_bounded(jobs, 2), 1.5),
        )
    except TimeoutError:
        s.mark("wait_for raised TimeoutError")
    await watch(s, 3000)


# ─── wait_for ───────────────────────────────────────────────────────────────────────────


async def wait_for_zero(s):
    try:
        out = await s.main_awaits("wait_for(ready, 0 ms)", asyncio.wait_for(s.job("ready", 0, 5), 0))
        s.mark(f"wait_for -> {show(out)}")
    except TimeoutError:
        s.mark("wait_for raised TimeoutError")


async def wait_for_task_zero(s):
    done = asyncio.create_task(s.job("done", 100, 5))
    running = asyncio.create_task(s.job("running", 1000, 6))
    await watch(s, 200)
    for name, task in [("done", done), ("running", running)]:
        try:
            out = await s.main_awaits(f"wait_for({name}, 0 ms)", asyncio.wait_for(task, 0))
            s.mark(f"wait_for -> {show(out)}")
        except TimeoutError:
            s.mark("wait_for raised TimeoutError")
    await watch(s, 1000)


async def wait_for_exact_deadline(s):
    try:
        out = await s.main_awaits("wait_for(tie, 1000 ms)", asyncio.wait_for(s.job("tie", 1000, 5), 1))
        s.mark(f"wait_for -> {show(out)}")
    except TimeoutError:
        s.mark("wait_for raised TimeoutError")


async def wait_for_task_exact_deadline(s):
    task = asyncio.create_task(s.job("tie", 1000, 5))
    try:
        out = await s.main_awaits("wait_for(tie, 1000 ms)", asyncio.wait_for(task, 1))
        s.mark(f"wait_for -> {show(out)}")
    except TimeoutError:
        s.mark("wait_for raised TimeoutError")
    await watch(s, 1000)


async def wait_for_none(s):
    out = await s.main_awaits("wait_for(slow, None)", asyncio.wait_for(s.job("slow", 5000, 5), None))
    s.mark(f"wait_for -> {show(out)}")


async def wait_for_task_cancelled_by_other(s):
    task = asyncio.create_task(s.job("b", 1000, 2))
    asyncio.get_running_loop().call_later(0.5, task.cancel)
    try:
        out = await s.main_awaits("wait_for(b, 3000 ms)", asyncio.wait_for(task, 3))
        s.mark(f"wait_for -> {show(out)}")
    except asyncio.CancelledError:
        s.mark("wait_for raised CancelledError")


async def wait_for_panic(s):
    try:
        out = await s.main_awaits("wait_for(b, 3000 ms)", asyncio.wait_for(s.buggy("b", 500), 3))
        s.mark(f"wait_for -> {show(out)}")
    except ZeroDivisionError as e:
        s.mark(f"wait_for raised panic({e})")


async def wait_for_task_panic(s):
    task = asyncio.create_task(s.buggy("b", 500))
    try:
        out = await s.main_awaits("wait_for(b, 3000 ms)", asyncio.wait_for(task, 3))
        s.mark(f"wait_for -> {show(out)}")
    except ZeroDivisionError as e:
        s.mark(f"wait_for raised panic({e})")


# ─── wait ───────────────────────────────────────────────────────────────────────────────


async def wait_cancelled_by_other(s):
    tasks = tasks_abc(s)
    asyncio.get_running_loop().call_later(0.5, tasks[1].cancel)
    done, pending = await s.main_awaits("wait({a, b, c}, ALL_COMPLETED)", asyncio.wait(tasks))
    report_wait(s, done, pending)


async def wait_first_exception_cancelled(s):
    tasks = tasks_abc(s)
    asyncio.get_running_loop().call_later(0.5, tasks[1].cancel)
    done, pending = await s.main_awaits(
        "wait({a, b, c}, FIRST_EXCEPTION)", asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    )
    report_wait(s, done, pending)


async def wait_panicked(s):
    tasks = tasks_abc(s, a_bug_c(s))
    done, pending = await s.main_awaits(
        "wait({a, b, c}, FIRST_EXCEPTION)", asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    )
    report_wait(s, done, pending)
    await watch(s, 3000)


async def wait_empty(s):
    try:
        done, pending = await s.main_awaits("wait({}, ALL_COMPLETED)", asyncio.wait([]))
        report_wait(s, done, pending)
    except ValueError:
        s.mark("wait raised ValueError")


async def wait_timeout(s, timeout_ms, mode):
    tasks = tasks_abc(s)
    timeout = None if timeout_ms is None else timeout_ms / 1000
    shown = "None" if timeout_ms is None else f"{timeout_ms} ms"
    done, pending = await s.main_awaits(
        f"wait({{a, b, c}}, {mode}, timeout={shown})",
        asyncio.wait(tasks, timeout=timeout, return_when=getattr(asyncio, mode)),
    )
    report_wait(s, done, pending)
    await watch(s, 3000)


# ─── as_completed ───────────────────────────────────────────────────────────────────────


async def as_completed_timeout(s, timeout_ms, work_ms):
    timeout = None if timeout_ms is None else timeout_ms / 1000
    shown = "None" if timeout_ms is None else f"{timeout_ms} ms"
    s.mark(f"as_completed(a, b, c, timeout={shown})")
    for next_result in asyncio.as_completed(abc(s), timeout=timeout):
        try:
            out = await s.main_awaits("next result", next_result)
            s.mark(f"got {show(out)}")
        except TimeoutError:
            s.mark("raised TimeoutError")
        if work_ms:
            await s.main_awaits(f"work {work_ms} ms", asyncio.sleep(work_ms / 1000))
    s.mark("as_completed ended")
    await watch(s, 3000)


async def as_completed_panic(s):
    for next_result in asyncio.as_completed(a_bug_c(s)):
        try:
            out = await s.main_awaits("next result", next_result)
            s.mark(f"got {show(out)}")
        except ZeroDivisionError as e:
            s.mark(f"raised panic({e})")
            break
    await watch(s, 3000)


async def as_completed_dropped_early(s):
    for next_result in asyncio.as_completed(abc(s)):
        out = await s.main_awaits("next result", next_result)
        s.mark(f"got {show(out)}")
        break
    await watch(s, 3000)


# ─── shield ─────────────────────────────────────────────────────────────────────────────


async def shield_waiter_cancelled(s):
    inner = asyncio.ensure_future(s.job("save", 2000, 7))

    async def waiter():
        return await asyncio.shield(inner)

    w = asyncio.create_task(waiter())
    await watch(s, 1000)
    w.cancel()
    s.mark("cancelled the waiter")
    out = await s.main_awaits("save", inner)
    s.mark(f"collected {show(out)}")


async def shield_panic(s):
    try:
        out = await s.main_awaits("shield(b)", asyncio.shield(s.buggy("b", 500)))
        s.mark(f"shield -> {show(out)}")
    except ZeroDivisionError as e:
        s.mark(f"shield raised panic({e})")


# ─── the scheduler ──────────────────────────────────────────────────────────────────────


async def sleep_zero(s):
    async def stepper(name):
        for i in range(3):
            s.trace(f"{name}{i}")
            await asyncio.sleep(0)

    await s.main_awaits("gather(A, B)", asyncio.gather(stepper("A"), stepper("B")))


async def sleep_zero_tasks(s):
    async def stepper(name):
        for i in range(3):
            s.trace(f"{name}{i}")
            await asyncio.sleep(0)

    a = asyncio.create_task(stepper("A"))
    b = asyncio.create_task(stepper("B"))

    async def both():
        await a
        await b

    await s.main_awaits("gather(A, B)", both())


async def create_task_start(s):
    async def child():
        s.trace("task runs")

    task = asyncio.create_task(child())
    s.trace("spawned")
    await asyncio.sleep(0)
    s.trace("main after its first await")
    await task


async def never_retrieved(s):
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, ctx: s.mark(f"loop: {ctx['message']}: {ctx['exception']}"))
    asyncio.create_task(s.job("b", 1000, error="b failed"))
    await watch(s, 2000)


NEW = {
    "gather_empty": gather_empty,
    "gather_uneven": gather_uneven,
    "gather_tasks": gather_tasks,
    "gather_tasks_cancelled": gather_tasks_cancelled,
    "gather_tasks_child_cancelled": gather_tasks_child_cancelled,
    "gather_error_panic": gather_error_panic,
    "gather_join_handles_cancelled": gather_tasks_cancelled,  # the same asyncio: its Rust differs
    "gather_panic": gather_error_panic,  # the same asyncio: its Rust differs
    "gather_return_exceptions_panic": gather_return_exceptions_panic,
    "gather_return_exceptions_cancelled": gather_return_exceptions_cancelled,
    "try_gather_cancelled": try_gather_cancelled,
    "bounded_cancelled": bounded_cancelled,
    "wait_for_zero": wait_for_zero,
    "wait_for_task_zero": wait_for_task_zero,
    "wait_for_exact_deadline": wait_for_exact_deadline,
    "wait_for_task_exact_deadline": wait_for_task_exact_deadline,
    "wait_for_none": wait_for_none,
    "wait_for_task_cancelled_by_other": wait_for_task_cancelled_by_other,
    "wait_for_panic": wait_for_panic,
    "wait_for_task_panic": wait_for_task_panic,
    "wait_cancelled_by_other": wait_cancelled_by_other,
    "wait_first_exception_cancelled": wait_first_exception_cancelled,
    "wait_panicked": wait_panicked,
    "wait_empty": wait_empty,
    "wait_timeout": lambda s: wait_timeout(s, 1500, "ALL_COMPLETED"),
    "wait_timeout_first_completed": lambda s: wait_timeout(s, 500, "FIRST_COMPLETED"),
    "wait_timeout_none": lambda s: wait_timeout(s, None, "ALL_COMPLETED"),
    "as_completed_timeout": lambda s: as_completed_timeout(s, 1500, 0),
    "as_completed_timeout_late": lambda s: as_completed_timeout(s, 1500, 2000),
    "as_completed_timeout_none": lambda s: as_completed_timeout(s, None, 0),
    "as_completed_panic": as_completed_panic,
    "as_completed_dropped_early": as_completed_dropped_early,
    "shield_waiter_cancelled": shield_waiter_cancelled,
    "shield_panic": shield_panic,
    "sleep_zero": sleep_zero,
    "sleep_zero_tasks": sleep_zero_tasks,
    "sleep_zero_tokio_sleep": sleep_zero_tasks,  # the same asyncio code: its Rust differs
    "create_task_start": create_task_start,
    "never_retrieved": never_retrieved,
}

SCENARIOS = {**combinators.SCENARIOS, **NEW}


async def play(name):
    s = ParityScene()
    s.record("main", "start")
    await SCENARIOS[name](s)
    s.record("main", "finish")
    await asyncio.sleep(SETTLE)
    return s.log()


def main():
    args = sys.argv[1:]
    if args == ["--list"]:
        print("\n".join(SCENARIOS))
        return
    for name in args or list(SCENARIOS):
        loop = VirtualLoop()
        try:
            log = loop.run_until_complete(play(name))
        finally:
            loop.close()
        print(f"== {name}")
        print(log, end="", flush=True)


if __name__ == "__main__":
    main()
