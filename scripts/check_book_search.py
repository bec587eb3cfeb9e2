#!/usr/bin/env python3
"""Checks that the built books' search finds Russian words, and English ones as before.

    python3 scripts/check_book_search.py [ROOT]

ROOT is the workspace root (default: the folder above this script). Both books must already
be built, ROOT/docs/book and ROOT/docs/book/ru, with their search indexes extended by
scripts/book_search_index.py (scripts/check-book.sh does all that first). Standard library
only, plus headless Chromium, as scripts/check_book_layout.py; without it the check is
skipped with a note, and exits 0.

Each query is typed into the search bar of a book's first page (a copy of the book with a
small script injected that opens the search, types the query and reports the results), and
the pages the results link to must include the expected ones. Two screenshots are saved
into ROOT/target/screenshots/ for a person to look at: the Russian Lab 2 chapter, and the
Russian book's results for «корутина».
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

sys.dont_write_bytecode = True  # no __pycache__ in scripts/ for the import below
from check_book_layout import dump_report, headless, prepare

# (book folder, query, pages its results must include)
QUERIES = [
    ("ru", "корутина", {"glossary.html", "lab5-combinators.html"}),
    ("ru", "Корутины", {"glossary.html", "lab5-combinators.html"}),
    ("ru", "гонка", {"lab2-threads.html"}),
    ("", "корутина", {"glossary.html"}),
    ("", "гонка", {"glossary.html"}),
    ("", "threads", {"lab2-threads.html"}),
]
# English words are still stemmed as mdBook does: both forms find the same sections.
SAME_RESULTS = [("", "threads", "thread")]

# Opens the search, types the query of the page's #type=... into it, and once the results
# are listed (the index loads on the first search) writes them into the page for --dump-dom.
TYPIST = """
(function () {
    const query = decodeURIComponent((location.hash.match(/type=([^&]*)/) || [])[1] || '');
    const bar = document.getElementById('mdbook-searchbar');
    document.getElementById('mdbook-search-toggle').click();
    bar.value = query;
    bar.dispatchEvent(new KeyboardEvent('keyup', { key: query.slice(-1) }));
    let waited = 0;
    (function report() {
        const links = document.querySelectorAll('#mdbook-searchresults li a');
        if (!links.length && waited++ < 40) {
            setTimeout(report, 50);
            return;
        }
        const found = Array.from(links, a => a.getAttribute('href'));
        document.body.setAttribute('data-search-report', JSON.stringify(found));
    })();
})();
"""


def results(chromium: str, page: Path, query: str, profile: Path) -> list[str] | str:
    """The hrefs of the results of typing `query` into `page`'s search, or an error message."""
    url = page.as_uri() + "#type=" + quote(query)
    return dump_report(chromium, profile, url, "data-search-report", "the search", 1280, 1000)


def page_of(href: str) -> str:
    """`concepts/gil.html` of a result's `concepts/gil.html?highlight=...#anchor` (the
    results of a book's first page link relative to the book's root)."""
    return re.split(r"[?#]", href)[0]


def screenshot(chromium: str, url: str, out: Path, profile: Path) -> str | None:
    cmd = headless(chromium, profile, 1280, 1000) + [f"--screenshot={out}", url]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    return None if out.is_file() else f"no screenshot {out} (Chromium exit {run.returncode})"


def main() -> int:
    ready = prepare("check-book-search", "index.html")
    if isinstance(ready, int):
        return ready
    root, book, chromium = ready
    shots = root / "target" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="book-search-") as tmp:
        copy = Path(tmp) / "book"
        shutil.copytree(book, copy)
        # Without its catalogue (the handout) there is no Russian book: English queries only.
        folders = [f for f in ("", "ru") if (copy / f / "index.html").is_file()]
        queries = [(f, q, want) for f, q, want in QUERIES if f in folders]
        for folder in folders:
            page = copy / folder / "index.html"
            page.write_text(page.read_text().replace("</body>", f"<script>{TYPIST}</script></body>", 1))
        jobs = [(folder, q) for folder, q, _ in queries]
        jobs += [(folder, q) for folder, a, b in SAME_RESULTS for q in (a, b)]
        jobs = list(dict.fromkeys(jobs))

        def run(job):
            folder, query = job
            profile = Path(tmp) / f"profile-{jobs.index(job)}"
            return job, results(chromium, copy / folder / "index.html", query, profile)

        with ThreadPoolExecutor(max_workers=2) as pool:
            found = dict(pool.map(run, jobs))
        errors = []
        for folder, query, want in queries:
            where = f"{folder or 'en'} «{query}»"
            got = found[(folder, query)]
            if isinstance(got, str):
                errors.append(f"{where}: {got}")
                continue
            pages = [page_of(h) for h in got]
            print(f"check-book-search: {where}: {len(got)} results on {', '.join(dict.fromkeys(pages)) or 'no page'}")
            missing = sorted(want - set(pages))
            if missing:
                errors.append(f"{where}: the results name no section of {', '.join(missing)}")
        for folder, a, b in SAME_RESULTS:
            if any(isinstance(found[(folder, q)], str) for q in (a, b)):
                errors += [f"{folder or 'en'} «{q}»: {found[(folder, q)]}" for q in (a, b)]
                continue
            sections = [[re.sub(r"\?[^#]*", "", h) for h in found[(folder, q)]] for q in (a, b)]
            if sections[0] != sections[1] or not sections[0]:
                errors.append(f"{folder or 'en'}: «{a}» and «{b}» give different results: the English stemmer is not used")
        problems = [] if "ru" not in folders else [
            screenshot(chromium, (book / "ru" / "lab2-threads.html").as_uri(), shots / "ru-lab2-threads.png", Path(tmp) / "shot-1"),
            screenshot(
                chromium,
                (copy / "ru" / "index.html").as_uri() + "#type=" + quote("корутина"),
                shots / "ru-search-korutina.png",
                Path(tmp) / "shot-2",
            ),
        ]
        errors += [p for p in problems if p]
    errors = list(dict.fromkeys(errors))
    for e in errors:
        print(f"ERROR {e}")
    saved = f"; screenshots in {shots}" if "ru" in folders else ""
    print(f"check-book-search: {len(jobs)} searches, {len(errors)} errors{saved}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
