#!/usr/bin/env python3
"""Checks that nothing in the built course book is cut off, at 1280 px and at 390 px.

    python3 scripts/check_book_layout.py [ROOT]

ROOT is the workspace root (default: the folder above this script). The book must already
be built in ROOT/docs/book (scripts/check-book.sh builds it first). Standard library only,
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


def probe(chromium: str, page: Path, width: int, profile: Path) -> list[str] | str:
    """The probe's findings for one page at one width, or an error message."""
    cmd = [
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
        f"--window-size={width},2400",
        "--virtual-time-budget=4000",
        "--dump-dom",
        page.as_uri(),
    ]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "Chromium did not finish within 60 s"
    m = re.search(r'data-layout-report="([^"]*)"', out.stdout)
    if not m:
        return f"the probe did not report (Chromium exit {out.returncode}): {out.stderr.strip()[-300:]}"
    return json.loads(html.unescape(m.group(1)))


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
    book = root / "docs" / "book"
    if not (book / "index.html").is_file():
        print(f"check-book-layout: no built book in {book}: run scripts/check-book.sh", file=sys.stderr)
        return 2
    chromium = find_chromium()
    if chromium is None:
        print("check-book-layout: skipped (no headless Chromium; `apt-get install chromium` to run it)")
        return 0
    script = (root / "scripts" / "book-layout" / "probe.js").read_text()
    with tempfile.TemporaryDirectory(prefix="book-layout-") as tmp:
        copy = Path(tmp) / "book"
        shutil.copytree(book, copy)
        pages = []
        for page in sorted(copy.rglob("*.html")):
            rel = page.relative_to(copy).as_posix()
            if rel in ("print.html", "toc.html", "404.html"):
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
