#!/usr/bin/env python3
"""Adds the words mdBook's search index leaves out (Russian ones, any non-Latin word) to it.

    python3 scripts/book_search_index.py BOOK_DIR...

BOOK_DIR is a built book (docs/book, docs/book/ru); its searchindex-*.js is rewritten in
place. Standard library only; running it twice changes nothing the second time.

mdBook builds its index with elasticlunr-rs's English pipeline, whose trimmer keeps only
ASCII letters and digits: a Cyrillic word becomes an empty token, so no Russian word can be
found. This reads each indexed section's stored text (title, body, breadcrumbs), splits it
into Unicode words, lowercases them and folds ё into е, and adds every word that holds a
non-ASCII letter to the section's entries, with the weight elasticlunr gives a word (the
square root of its count in the field). Latin words are left as mdBook indexed them
(stemmed the English way), so English search finds exactly what it found before. The field
lengths need no change: the empty tokens were already counted.

docs/search-unicode.js does the same to a query word in the browser (trim, ё -> е) and cuts a
Russian word to its stem; the search's prefix expansion then finds its other forms.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

PREFIX = "window.search = Object.assign(window.search, JSON.parse('"
SUFFIX = "'));"
MAX_WORD_LENGTH = 80  # bytes, as mdBook's tokenizer
WORD = re.compile(r"\w+")  # Unicode letters, digits and _


def words(text: str) -> list[str]:
    """The words of a text that mdBook's index cannot hold: those with a non-ASCII letter."""
    found = []
    for w in WORD.findall(text.lower().replace("ё", "е")):
        if any(c.isalpha() and not c.isascii() for c in w) and len(w.encode()) <= MAX_WORD_LENGTH:
            found.append(w)
    return found


def add_token(root: dict, token: str, doc_ref: str, tf: float) -> bool:
    node = root
    for c in token:
        node = node.setdefault(c, {"docs": {}, "df": 0})
    if doc_ref in node["docs"]:
        return False
    node["docs"][doc_ref] = {"tf": tf}
    node["df"] += 1
    return True


def extend(data: dict) -> int:
    """Adds the missing words to a parsed search index; returns how many entries it added."""
    index = data["index"]
    added = 0
    for doc_ref, doc in index["documentStore"]["docs"].items():
        for field in index["fields"]:
            counts = Counter(words(doc.get(field) or ""))
            root = index["index"][field]["root"]
            for token, n in counts.items():
                added += add_token(root, token, doc_ref, math.sqrt(n))
    return added


def load(text: str) -> dict:
    if not (text.startswith(PREFIX) and text.rstrip().endswith(SUFFIX)):
        raise ValueError("not the searchindex.js mdBook 0.5 writes")
    quoted = text[len(PREFIX) : text.rstrip().rindex(SUFFIX)]
    # mdBook escapes the JSON for a '...' string: \ as \\ and ' as \'.
    return json.loads(re.sub(r"\\(.)", r"\1", quoted, flags=re.S))


def dump(data: dict) -> str:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return PREFIX + raw.replace("\\", "\\\\").replace("'", "\\'") + SUFFIX


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: book_search_index.py BOOK_DIR...", file=sys.stderr)
        return 2
    for book in map(Path, argv):
        files = sorted(book.glob("searchindex*.js"))
        if len(files) != 1:
            print(f"book_search_index: want one searchindex*.js in {book}, found {len(files)}", file=sys.stderr)
            return 1
        data = load(files[0].read_text(encoding="utf-8"))
        added = extend(data)
        files[0].write_text(dump(data), encoding="utf-8")
        print(f"book_search_index: {files[0]}: {added} entries of non-Latin words added")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
