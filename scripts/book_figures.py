#!/usr/bin/env python3
"""Checks every measured figure of the book and the README against the benchmark results.

    python3 scripts/book_figures.py [ROOT]            check (what scripts/check-book.sh runs)
    python3 scripts/book_figures.py --write [ROOT]    rewrite every marked figure from the results
    python3 scripts/book_figures.py --list [ROOT]     every figure name, its value and its meaning

ROOT is the workspace root (default: the folder above this script). Standard library only.

The one source of measured figures is `bench/results/benchmarks.json`, written by
`cargo run -p bench --release -- report --tools --micro --book` (which also writes
`docs/src/benchmarks.md` from the same run). Everywhere else, in `docs/src/**/*.md` and
`README.md`, a measured figure is written inside a marker that names it:

    a fork + waitpid costs <span data-figure="fork_wait">193 µs</span> here

The text inside the marker is a number and a unit (`×`, `s`, `ms`, `µs`, `ns`, `GiB/s`, `%`,
`min`, or none for a count). Its rounding is the one written: `193 µs` must be the measured
value rounded to whole microseconds, `0.2 ms` to tenths of a millisecond, `1.99×` to
hundredths. `--write` rewrites every marker's number from the results file, keeping the
unit and the number of decimals written.

What is an error:
- a marked figure that disagrees with the results file (the message names the page and
  line, the figure, the written and the measured value, and the command that rewrites it);
- a marker whose name is not in FIGURES below, or whose text is not a number and a unit;
- a measured-looking number outside any marker and outside code: a time in µs or ns, or a
  ratio with two decimals followed by `×` (write it through a marker, or without a number);
- `docs/src/benchmarks.md` not written by the same run as the results file (its headline
  figures and date must be the file's).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

RESULTS = "bench/results/benchmarks.json"
WRITE_COMMAND = "python3 scripts/book_figures.py --write"
MEASURE_COMMAND = "cargo run -p bench --release -- report --tools --micro --book"


@dataclass
class Figure:
    meaning: str
    kind: str  # "ratio", "seconds", "gib_per_s", "percent", "count"
    where: str  # where in the results file, for the error message
    value: Callable[[dict], float]


def row(rid: str, column: str = "rust") -> Callable[[dict], float]:
    def get(d: dict) -> float:
        for r in d["rows"]:
            if r.get("id") == rid:
                return float(r[column])
        raise KeyError(f"no row {rid!r}")

    return get


def raw(*path: str) -> Callable[[dict], float]:
    def get(d: dict) -> float:
        v = d["raw"]
        for p in path:
            v = v[p]
        return float(v)

    return get


def ratio(a: Callable[[dict], float], b: Callable[[dict], float]) -> Callable[[dict], float]:
    return lambda d: a(d) / b(d)


def fig_row(meaning: str, kind: str, rid: str, column: str = "rust") -> Figure:
    return Figure(meaning, kind, f"rows[id={rid}].{column}", row(rid, column))


def fig_raw(meaning: str, kind: str, *path: str) -> Figure:
    return Figure(meaning, kind, "raw." + ".".join(path), raw(*path))


# Every figure the pages may quote, by name. What each one measures is in bench/src
# (experiments.rs: the experiments; main.rs: the rows built from them).
FIGURES: dict[str, Figure] = {
    # CPU-bound work: primes counted near 10^10; speedup = sequential time / time on N workers,
    # each time the fastest of 5 runs (Lab 2 parallel_sum, gil_sum; Lab 3 fan_out).
    "speedup_threads_2": fig_row("CPU-bound speedup, 2 threads, Rust", "ratio", "cpu.threads_2"),
    "speedup_threads_4": fig_row("CPU-bound speedup, 4 threads, Rust", "ratio", "cpu.threads_4"),
    "speedup_processes_2": fig_row("CPU-bound speedup, 2 processes, Rust", "ratio", "cpu.processes_2"),
    "speedup_processes_4": fig_row("CPU-bound speedup, 4 processes, Rust", "ratio", "cpu.processes_4"),
    "speedup_gil_2": fig_row("CPU-bound speedup, 2 threads under the GIL model, Rust", "ratio", "cpu.gil_2"),
    "speedup_gil_4": fig_row("CPU-bound speedup, 4 threads under the GIL model, Rust", "ratio", "cpu.gil_4"),
    "python_speedup_threads_2": fig_row("CPU-bound speedup, 2 threads, Python", "ratio", "cpu.threads_2", "python"),
    "python_speedup_processes_2": fig_row("CPU-bound speedup, 2 processes, Python", "ratio", "cpu.processes_2", "python"),
    "python_speedup_processes_4": fig_row("CPU-bound speedup, 4 processes, Python", "ratio", "cpu.processes_4", "python"),
    "cpu_per_wall_threads_2": fig_raw("CPU time / wall time, 2 threads, Rust", "ratio", "cpu-threads", "cpu_per_wall_threads_2"),
    "cpu_per_wall_gil_2": fig_raw("CPU time / wall time, 2 threads under the GIL model, Rust", "ratio", "cpu-threads", "cpu_per_wall_gil_2"),
    "cpu_time_threads_1": fig_raw("CPU-bound work on 1 thread, wall time, Rust", "seconds", "cpu-threads", "threads_1"),
    "cpu_time_threads_2": fig_raw("CPU-bound work on 2 threads, wall time, Rust", "seconds", "cpu-threads", "threads_2"),
    "cpu_time_gil_2": fig_raw("CPU-bound work on 2 threads under the GIL model, wall time, Rust", "seconds", "cpu-threads", "gil_2"),
    # 100 downloads of 100 ms from the slow server on loopback, one run each.
    "downloads_sequential": fig_row("100 downloads, sequential, Rust", "seconds", "io.sequential"),
    "downloads_threads_100": fig_row("100 downloads on 100 threads, Rust", "seconds", "io.threads_100"),
    "downloads_pool_10": fig_row("100 downloads on a pool of 10 threads, Rust", "seconds", "io.pool_10"),
    "downloads_async": fig_row("100 downloads as 100 tokio tasks, Rust", "seconds", "io.async"),
    "downloads_async_limited_10": fig_row("100 downloads as tokio tasks, at most 10 in flight, Rust", "seconds", "io.async_limited_10"),
    "python_downloads_sequential": fig_row("100 downloads, sequential, Python", "seconds", "io.sequential", "python"),
    "python_downloads_threads_100": fig_row("100 downloads on 100 threads, Python", "seconds", "io.threads_100", "python"),
    "python_downloads_async": fig_row("100 downloads, asyncio, all at once, Python", "seconds", "io.async", "python"),
    "python_downloads_async_limited_10": fig_row("100 downloads, asyncio, Semaphore(10), Python", "seconds", "io.async_limited_10", "python"),
    "downloads_async_over_sequential": Figure(
        "100 downloads: sequential time / all-at-once tokio time",
        "ratio",
        "rows[id=io.sequential].rust / rows[id=io.async].rust",
        ratio(row("io.sequential"), row("io.async")),
    ),
    # 10,000 tasks sleeping 1 s at once (Lab 4 concurrently).
    "sleepers_multi_thread": fig_row("10,000 tokio tasks sleeping 1 s, multi_thread runtime", "seconds", "io.sleepers_multi_thread"),
    "sleepers_current_thread": fig_row("10,000 tokio tasks sleeping 1 s, current_thread runtime", "seconds", "io.sleepers_current_thread"),
    "python_sleepers": fig_row("10,000 asyncio tasks sleeping 1 s", "seconds", "io.sleepers_multi_thread", "python"),
    # Costs (Lab 3 cost functions): each the median of 9 batches.
    "fork_wait": fig_row("fork + waitpid, Rust", "seconds", "costs.fork_wait"),
    "thread_spawn_join": fig_row("thread spawn + join, Rust", "seconds", "costs.thread_spawn_join"),
    "spawn_program": fig_row("run /bin/true (spawn + wait), Rust", "seconds", "costs.spawn_program"),
    "fork_over_thread": fig_row("fork + waitpid / thread spawn + join, Rust", "ratio", "costs.fork_over_thread"),
    "pipe_throughput": fig_row("pipe throughput, 64 KiB writes, Rust", "gib_per_s", "costs.pipe_throughput"),
    "python_fork_wait": fig_row("os.fork + waitpid, Python", "seconds", "costs.fork_wait", "python"),
    "python_thread_spawn_join": fig_row("thread start + join, Python", "seconds", "costs.thread_spawn_join", "python"),
    "python_spawn_program": fig_row("subprocess.run(/bin/true), Python", "seconds", "costs.spawn_program", "python"),
    "python_fork_over_thread": fig_row("fork + waitpid / thread start + join, Python", "ratio", "costs.fork_over_thread", "python"),
    "python_pipe_throughput": fig_row("pipe throughput, Python", "gib_per_s", "costs.pipe_throughput", "python"),
    # Lab 2's racy counter: 2 threads x 100,000 increments, 50 runs.
    "race_losing_runs": fig_raw("racy counter: runs that lost updates", "count", "race", "losing"),
    "race_trials": fig_raw("racy counter: runs", "count", "race", "trials"),
    "race_lost_percent": fig_raw("racy counter: median share of increments lost", "percent", "race", "median_lost_percent"),
    # The course's tools.
    "cold_build": fig_row("cold cargo build --workspace --all-targets", "seconds", "tools.cold_build"),
    "recheck_lab1": fig_row("warm cargo course check lab1 after touching one file", "seconds", "tools.recheck_lab1"),
    "check_solutions": fig_row("warm cargo course check --solutions", "seconds", "tools.check_solutions"),
    "grade_30": fig_row("scripts/grade --labs lab1 over 30 submissions", "seconds", "tools.grade_30"),
    "ci_run": fig_row("CI=true bash .ci/run on a fresh clone", "seconds", "tools.ci_run"),
    "grade_30_per_submission": Figure(
        "scripts/grade --labs lab1 over 30 submissions, per submission",
        "seconds",
        "rows[id=tools.grade_30].rust / 30",
        lambda d: row("tools.grade_30")(d) / 30,
    ),
}

# Units a marker may be written in, per kind: unit -> how many base units one of it is.
UNITS: dict[str, dict[str, float]] = {
    "ratio": {"×": 1.0, "": 1.0},
    "seconds": {"s": 1.0, "ms": 1e-3, "µs": 1e-6, "ns": 1e-9, "min": 60.0},
    "gib_per_s": {"GiB/s": 1.0},
    "percent": {"%": 1.0},
    "count": {"": 1.0},
}

MARKER = re.compile(r'<span data-figure="([^"]*)">([^<]*)</span>')
# "193 µs", "1.99×", "2.49 GiB/s", "50", "50.0 %", "2 min 07 s".
VALUE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(×|GiB/s|min|ms|µs|ns|s|%|)\s*(?:(\d\d)\s*s)?\s*$")
# Measured-looking numbers outside markers: a time in µs/ns, or a two-decimal ratio.
UNMARKED = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s?(?:µs|ns)\b|(?<![\w.])\d+\.\d\d×")


@dataclass
class Written:
    number: float
    decimals: int
    unit: str
    seconds_part: int | None  # "2 min 07 s": 7


def parse(text: str) -> Written | None:
    m = VALUE.match(text.replace("\u202f", " ").replace("\u00a0", " "))
    if not m:
        return None
    num, unit, secs = m.group(1), m.group(2), m.group(3)
    if secs is not None and unit != "min":
        return None
    num = num.replace(",", ".")
    decimals = len(num.split(".")[1]) if "." in num else 0
    return Written(float(num), decimals, unit, int(secs) if secs is not None else None)


def render(measured: float, w: Written, kind: str) -> str:
    """The measured value written the way `w` is: same unit, same decimals."""
    if w.unit == "min":
        total = round(measured)
        if w.seconds_part is not None:
            return f"{total // 60} min {total % 60:02d} s"
        return f"{measured / 60:.{w.decimals}f} min"
    scaled = measured / UNITS[kind][w.unit]
    number = f"{scaled:.{w.decimals}f}"
    if w.unit == "":
        return number
    if w.unit == "×":
        return number + "×"
    return f"{number} {w.unit}"


def canonical(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " ")).strip()


def pages(root: Path) -> list[Path]:
    out = sorted((root / "docs/src").rglob("*.md"))
    out.append(root / "README.md")
    return [p for p in out if p.name != "benchmarks.md" or p.parent != root / "docs/src"]


def strip_code(line: str) -> str:
    return re.sub(r"`[^`]*`", "", line)


def check_page(path: Path, rel: str, results: dict, write: bool, errors: list[str]) -> str:
    text = path.read_text(encoding="utf-8")
    out_lines = []
    fenced = False
    for n, line in enumerate(text.split("\n"), start=1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            out_lines.append(line)
            continue

        def replace(m: re.Match) -> str:
            name, written_text = m.group(1), m.group(2)
            fig = FIGURES.get(name)
            if fig is None:
                errors.append(
                    f"{rel}:{n}: no figure named {name!r} (scripts/book_figures.py --list names them all)"
                )
                return m.group(0)
            w = parse(written_text)
            if w is None or w.unit not in UNITS[fig.kind]:
                units = ", ".join(repr(u) for u in UNITS[fig.kind])
                errors.append(
                    f"{rel}:{n}: figure {name} ({fig.meaning}): {written_text!r} is not a number "
                    f"in one of the units {units}"
                )
                return m.group(0)
            try:
                measured = fig.value(results)
            except (KeyError, TypeError, ValueError):
                errors.append(
                    f"{rel}:{n}: figure {name} ({fig.meaning}) needs {fig.where}, which {RESULTS} "
                    f"does not hold (a partial run?): measure it with {MEASURE_COMMAND}"
                )
                return m.group(0)
            expected = render(measured, w, fig.kind)
            if canonical(expected) == canonical(written_text):
                return m.group(0)
            if write:
                return f'<span data-figure="{name}">{expected}</span>'
            errors.append(
                f"{rel}:{n}: figure {name} ({fig.meaning}) is written {written_text!r}, "
                f"but {RESULTS} measured {expected!r} ({fig.where} = {measured:.6g}). "
                f"Rewrite the page's figures from the results: {WRITE_COMMAND}"
            )
            return m.group(0)

        new = MARKER.sub(replace, line)
        out_lines.append(new)
        if not fenced:
            rest = MARKER.sub("", strip_code(line))
            rest = re.sub(r"<!--.*?-->", "", rest)
            for u in UNMARKED.finditer(rest):
                errors.append(
                    f"{rel}:{n}: {u.group(0)!r} looks like a measured figure outside a marker: "
                    f'write it as <span data-figure="NAME">{u.group(0)}</span> (names: '
                    f"python3 scripts/book_figures.py --list), or without a number"
                )
    return "\n".join(out_lines)


def check_benchmarks_page(root: Path, results: dict, errors: list[str]) -> None:
    """docs/src/benchmarks.md is written by the bench report with the results file: same run."""
    page = (root / "docs/src/benchmarks.md").read_text(encoding="utf-8")
    rel = "docs/src/benchmarks.md"
    date = results["machine"]["date"]
    if f"Measured on {date}." not in page:
        errors.append(
            f"{rel}: not from the run in {RESULTS} (measured on {date}): "
            f"write both with `{MEASURE_COMMAND}`"
        )
    for h in results["headlines"]:
        if f"- {h}" not in page:
            errors.append(
                f"{rel}: the headline {h!r} of {RESULTS} is not on the page: "
                f"write both with `{MEASURE_COMMAND}`"
            )


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    flags = {a for a in argv if a.startswith("--")}
    unknown = flags - {"--write", "--list"}
    if unknown:
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(args[0]) if args else Path(__file__).resolve().parent.parent
    if not (root / RESULTS).is_file():
        # The student edition has no benchmarks: its figures are the instructor's copy's.
        print(f"book_figures: no {RESULTS} here (the student edition): figures not checked")
        return 0
    results = json.loads((root / RESULTS).read_text(encoding="utf-8"))
    if "--list" in flags:
        for name, fig in FIGURES.items():
            print(f"{name:36} {fig.value(results):<12.6g} {fig.meaning}  [{fig.where}]")
        return 0
    write = "--write" in flags
    errors: list[str] = []
    marked = 0
    for path in pages(root):
        rel = path.relative_to(root).as_posix()
        old = path.read_text(encoding="utf-8")
        marked += len(MARKER.findall(old))
        new = check_page(path, rel, results, write, errors)
        if write and new != old:
            path.write_text(new, encoding="utf-8")
            print(f"book_figures: rewrote {rel}")
    check_benchmarks_page(root, results, errors)
    for e in errors:
        print(f"book_figures: {e}", file=sys.stderr)
    if errors:
        print(
            f"book_figures: {len(errors)} error(s). The figures come from {RESULTS}; "
            f"after re-running the benchmarks ({MEASURE_COMMAND}), run {WRITE_COMMAND}.",
            file=sys.stderr,
        )
        return 1
    print(f"book_figures: {marked} marked figures agree with {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
