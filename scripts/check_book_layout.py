#!/usr/bin/env python3
"""Checks that nothing in the built course book is cut off, at 1280 px and at 390 px.

    python3 scripts/check_book_layout.py [ROOT]

ROOT is the workspace root (default: the folder above this script). The book must already
be built in ROOT/docs/book, its Russian edition in ROOT/docs/book/ru (scripts/check-book.sh
builds both first); the pages of both are checked. Standard library only,
plus headless Chromium (Debian's `chromium` package); without it the check is skipped with
a note, and exits 0.

Each page is copied with scripts/book-layout/probe.js injected, opened in headless Chromium
at each width with the sidebar in its default state, and the probe's findings are read back
from the dumped DOM. An error is a table, code block, picture or log pair that
- sticks out of the text column, at any width, or
- needs sideways scrolling at 1280 px (on a phone, 390 px, a box that scrolls inside
  itself is what is meant to happen).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

WIDTHS = (1280, 390)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def headless(chromium: str, profile: Path, width: int, height: int = 2400) -> list[str]:
    """The command line of a headless Chromium that loads a page at this window size (the
    page, and what to do with it, `--dump-dom` or `--screenshot=...`, come after)."""
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        "--virtual-time-budget=4000",
    ]


def dump_report(chromium: str, profile: Path, url: str, attribute: str, what: str, width: int, height: int = 2400):
    """The JSON that a script of the page at `url` wrote into the attribute `attribute` of an
    element, read from the page's DOM in headless Chromium; or an error message (a str)."""
    cmd = headless(chromium, profile, width, height) + ["--dump-dom", url]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "Chromium did not finish within 60 s"
    m = re.search(attribute + r'="([^"]*)"', out.stdout)
    if not m:
        return f"{what} did not report (Chromium exit {out.returncode}): {out.stderr.strip()[-300:]}"
    return json.loads(html.unescape(m.group(1)))


def probe(chromium: str, page: Path, width: int, profile: Path) -> list[str] | str:
    """The probe's findings for one page at one width, or an error message."""
    return dump_report(chromium, profile, page.as_uri(), "data-layout-report", "the probe", width)


def prepare(tool: str, first_page: str) -> tuple[Path, Path, str] | int:
    """The workspace root (argv[1], else the folder above this script), its built book
    docs/book and the Chromium to run; or the exit status when the check cannot run: 2 when
    the book's `first_page` is not built, 0 (skipped, with a note) without Chromium."""
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent.parent).resolve()
    book = root / "docs" / "book"
    if not (book / first_page).is_file():
        print(f"{tool}: no built book in {(book / first_page).parent}: run scripts/check-book.sh", file=sys.stderr)
        return 2
    chromium = find_chromium()
    if chromium is None:
        print(f"{tool}: skipped (no headless Chromium; `apt-get install chromium` to run it)")
        return 0
    return root, book, chromium


def main() -> int:
    ready = prepare("check-book-layout", "index.html")
    if isinstance(ready, int):
        return ready
    root, book, chromium = ready
    script = (root / "scripts" / "book-layout" / "probe.js").read_text()
    with tempfile.TemporaryDirectory(prefix="book-layout-") as tmp:
        copy = Path(tmp) / "book"
        shutil.copytree(book, copy)
        pages = []
        for page in sorted(copy.rglob("*.html")):
            rel = page.relative_to(copy).as_posix()
            if page.name in ("print.html", "toc.html", "404.html"):
                continue
            text = page.read_text()
            page.write_text(text.replace("</body>", f"<script>{script}</script></body>", 1))
            pages.append((rel, page))
        jobs = [(rel, page, w) for rel, page in pages for w in WIDTHS]

        def run(job):
            rel, page, width = job
            profile = Path(tmp) / f"profile-{width}-{abs(hash(rel))}"
            return rel, width, probe(chromium, page, width, profile)

        errors = 0
        with ThreadPoolExecutor(max_workers=2) as pool:
            for rel, width, found in pool.map(run, jobs):
                if isinstance(found, str):
                    print(f"ERROR {rel} at {width} px: {found}")
                    errors += 1
                    continue
                for problem in found:
                    print(f"ERROR {rel} at {width} px: {problem}")
                    errors += 1
    print(f"check-book-layout: {len(pages)} pages at {' and '.join(f'{w} px' for w in WIDTHS)}, {errors} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
