#!/usr/bin/env python3
"""Checks that nothing in the built course book is cut off, at 1280 px and at 390 px.

    python3 scripts/check_book_layout.py [ROOT]

ROOT is the workspace root (default: the folder above this script). The book must already
be built in ROOT/docs/book, its Russian edition in ROOT/docs/book/ru (scripts/check-book.sh
builds both first); the pages of both are checked. Standard library only,
plus headless Chromium (Debian's `chromium` package); without it the check is skipped with
a note, and exits 0.

Each page is copied with scripts/book-layout/probe.js injected, opened in headless Chromium
at each width with the sidebar in its default state (a fresh browser context per page: no
state carried from one page to the next), and the probe's findings are read back from the
page. One Chromium serves every page, driven over its DevTools pipe: a browser started per
page cost a second and a half of CPU each, 108 times. An error is a table, code block, picture or log pair that
- sticks out of the text column, at any width, or
- needs sideways scrolling at 1280 px (on a phone, 390 px, a box that scrolls inside
  itself is what is meant to happen).
"""

from __future__ import annotations

import html
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
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


class DevTools:
    """One headless Chromium, driven over its DevTools pipe (`--remote-debugging-pipe`: it
    reads commands on descriptor 3 and answers on descriptor 4, JSON messages ended by a NUL
    byte). Standard library only."""

    def __init__(self, chromium: str, profile: Path):
        commands_r, commands_w = os.pipe()
        answers_r, answers_w = os.pipe()

        def descriptors_3_and_4():
            # Copies first: a pipe's own number may be 3 or 4.
            a, b = os.dup(commands_r), os.dup(answers_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        cmd = [c for c in headless(chromium, profile, WIDTHS[0]) if not c.startswith("--virtual-time")]
        self.proc = subprocess.Popen(
            cmd + ["--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=descriptors_3_and_4,
            close_fds=False,
        )
        os.close(commands_r)
        os.close(answers_w)
        self.w, self.r = commands_w, answers_r
        self.buf = b""
        self.next_id = 0

    def call(self, method: str, params: dict | None = None, session: str | None = None, secs: float = 60) -> dict:
        """Sends one command and returns its result (events on the way are dropped)."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.w, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + secs
        while True:
            while b"\0" not in self.buf:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.r], [], [], left)[0]:
                    raise TimeoutError(f"Chromium did not answer {method} within {secs:.0f} s")
                chunk = os.read(self.r, 1 << 16)
                if not chunk:
                    raise EOFError(f"Chromium closed its DevTools pipe (exit {self.proc.poll()})")
                self.buf += chunk
            raw, self.buf = self.buf.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error'].get('message')}")
                return answer.get("result", {})

    def report(self, url: str, attribute: str, width: int, height: int = 2400, secs: float = 60):
        """What a script of the page at `url` wrote into `attribute` of <body>, as JSON, the
        page opened at this window size in a fresh browser context; or an error message (a
        str)."""
        context = self.call("Target.createBrowserContext")["browserContextId"]
        try:
            target = self.call("Target.createTarget", {"url": "about:blank", "browserContextId": context})["targetId"]
            session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            self.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                session,
            )
            self.call("Page.navigate", {"url": url}, session)
            expression = f"document.body && document.body.getAttribute({json.dumps(attribute)})"
            deadline = time.monotonic() + secs
            while time.monotonic() < deadline:
                found = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
                value = found.get("result", {}).get("value")
                if isinstance(value, str):
                    return json.loads(value)
                time.sleep(0.05)
            return f"the page did not report within {secs:.0f} s"
        except (TimeoutError, RuntimeError) as e:
            return str(e)
        finally:
            try:
                self.call("Target.disposeBrowserContext", {"browserContextId": context}, secs=10)
            except (TimeoutError, RuntimeError, EOFError):
                pass

    def close(self):
        self.proc.kill()
        self.proc.wait()
        os.close(self.w)
        os.close(self.r)


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

        errors = 0
        browser = DevTools(chromium, Path(tmp) / "profile")
        try:
            for width in WIDTHS:
                for rel, page in pages:
                    found = browser.report(page.as_uri(), "data-layout-report", width)
                    if isinstance(found, str):
                        print(f"ERROR {rel} at {width} px: {found}")
                        errors += 1
                        continue
                    for problem in found:
                        print(f"ERROR {rel} at {width} px: {problem}")
                        errors += 1
        finally:
            browser.close()
    print(f"check-book-layout: {len(pages)} pages at {' and '.join(f'{w} px' for w in WIDTHS)}, {errors} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
