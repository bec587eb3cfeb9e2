#!/usr/bin/env python3
"""Brings the Russian book's catalogue up to date with the English book, after a page changed.

    python3 scripts/update_catalogue.py [ROOT]

ROOT is the workspace root (default: the folder above this script). It needs mdbook with
mdbook-xgettext (cargo install mdbook-i18n-helpers --locked --version 0.4.0) and GNU
gettext's msgmerge and msgcat (apt-get install gettext). Standard library otherwise.

1. extracts the English book's messages (mdbook-xgettext) and merges them into
   docs/po/ru.po (`msgmerge --previous`): a new message comes in untranslated, a changed one
   fuzzy, with its earlier English beside it;
2. translates what needs no translator:
   - a message whose English differs from a translated one only in its numbers (what a new
     run of the benchmarks changes: `sequential 10.18 s` → `sequential 10.21 s`) gets that
     translation with the new numbers put in, each where the translation had the old one;
   - a message of numbers and units only (a table cell: `1.80×`, `957 s`) is its own
     translation;
   and drops the obsolete entries those translations came from;
3. lists what is left for a translator (new words), page by page, and exits 1 while
   anything is: translate those entries, drop their `#, fuzzy` line, and run
   scripts/check-book.sh.

After re-running the benchmarks, `scripts/rebenchmark` runs this as its last step.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_book_catalogue import Entry, _list, _unquote, fields_of, read_po  # noqa: E402

CATALOGUE = "docs/po/ru.po"
# A number as the book writes it: 10.18, 2026, 0,5 (the digits of a name like `lab2` count
# too: they are the same on both sides).
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# What may stand beside the numbers of a message that needs no translation.
# A Russian word right after a number: it agrees with the number.
WORD_AFTER = re.compile(r"\s+[А-Яа-яЁё]")
UNITS = re.compile(r"(?:GiB/s|MiB/s|KiB|MiB|GiB|µs|ns|ms|min|s|×|%)")


def skeleton(text: str) -> str:
    """The text with every number replaced by `#`: what a re-measured message keeps.

    >>> skeleton("sequential 10.18 s, at most 10 in flight")
    'sequential # s, at most # in flight'
    """
    return NUMBER.sub("#", text)


def is_data(text: str) -> bool:
    """Numbers and units only (`1.80×`, `957 s`, `≈ 1.00× ±10 %`, `1.93 / 3.01`).

    >>> [is_data(t) for t in ["1.80×", "957 s", "≈ 1.00× ±10 %", "1.93 / 3.01", "-9.8 %"]]
    [True, True, True, True, True]
    >>> [is_data(t) for t in ["pass", "**MISS**", "2 threads", "cores", "Linux 6.18"]]
    [False, False, False, False, False]
    """
    rest = UNITS.sub("", NUMBER.sub("", text))
    return bool(NUMBER.search(text)) and not any(c.isalpha() for c in rest)


def carry(old_id: str, old_str: str, new_id: str) -> str | None:
    """`old_str` (the translation of `old_id`) with `new_id`'s numbers put in, or None.

    Each number of the translation that is a number of the old English becomes the new
    English's number at the same place. When one old number became two different new ones,
    the places are told apart only if the translation lists the numbers in the English order.

    >>> carry("sequential 10.18 s (94× faster)", "последовательно 10.18 s (в 94 раза быстрее)",
    ...       "sequential 10.21 s (93× faster)")
    'последовательно 10.21 s (в 93 раза быстрее)'

    A Russian word after a number agrees with it (в 94 раза, в 95 раз): a number that
    changes its plural form before a word is left to the translator.

    >>> carry("(94× faster)", "(в 94 раза быстрее)", "(95× faster)") is None
    True
    >>> carry("1 s, then 1 s", "1 s, затем 1 s", "1 s, then 2 s")
    '1 s, затем 2 s'
    >>> carry("a 10 ms sleep", "сон 10 ms", "a 10 ms nap") is None   # other words
    True
    """
    if skeleton(old_id) != skeleton(new_id):
        return None
    old, new = NUMBER.findall(old_id), NUMBER.findall(new_id)
    mapping: dict[str, str] = {}
    ambiguous = False
    for a, b in zip(old, new):
        if mapping.setdefault(a, b) != b:
            ambiguous = True
    if ambiguous:
        if NUMBER.findall(old_str) != old:
            return None
        replacements = iter(new)
        replace = lambda m: next(replacements)  # noqa: E731
    else:
        # A number the translator wrote that the English has not (none today) stays as it is.
        replace = lambda m: mapping.get(m.group(0), m.group(0))  # noqa: E731
    agrees = True

    def put(m: re.Match) -> str:
        nonlocal agrees
        number = replace(m)
        if WORD_AFTER.match(old_str, m.end()) and plural_ru(number) != plural_ru(m.group(0)):
            agrees = False
        return number

    text = NUMBER.sub(put, old_str)
    return text if agrees else None


def plural_ru(number: str) -> str:
    """The Russian plural form a number asks of the word after it (1 балл, 2 балла, 5 баллов;
    a fraction: 1.5 балла).

    >>> [plural_ru(n) for n in ["1", "21", "11", "3", "14", "95", "1.80"]]
    ['one', 'one', 'many', 'few', 'many', 'many', 'other']
    """
    if not number.isdigit():
        return "other"
    n = int(number)
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


def quote(keyword: str, text: str) -> str:
    """`msgstr "…"` in PO syntax (msgmerge wraps it on its next pass)."""
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = body.split("\n")
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    if len(parts) <= 1:
        return f'{keyword} "{parts[0] if parts else ""}"'
    return f'{keyword} ""\n' + "\n".join(f'"{p}"' for p in parts)


def translate(po: Path, before: dict[str, Entry]) -> tuple[int, int, set[str]]:
    """Step 2 on the merged catalogue: (carried over, data, the old msgids used)."""
    by_skeleton: dict[str, list[Entry]] = {}
    for e in before.values():
        if e.msgstr and not e.fuzzy:
            by_skeleton.setdefault(skeleton(e.msgid), []).append(e)
    carried = data = 0
    used: set[str] = set()
    blocks = po.read_text(encoding="utf-8").split("\n\n")
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        if not lines or lines[0].startswith("#~") or not any(l.startswith("msgid ") for l in lines):
            continue
        fields = fields_of(lines)
        msgid = _unquote(fields["msgid"])
        fuzzy = any(l.startswith("#,") and "fuzzy" in l for l in lines)
        if not msgid or (_unquote(fields.get("msgstr", ['""'])) and not fuzzy):
            continue
        if is_data(msgid):
            text, data = msgid, data + 1
        else:
            # Every translated message of the same words: each must give the same text.
            sources = {e.msgid: carry(e.msgid, e.msgstr, msgid) for e in by_skeleton.get(skeleton(msgid), [])}
            texts = set(sources.values()) - {None}
            if len(texts) != 1:
                continue
            text, carried = texts.pop(), carried + 1
            used.update(k for k, v in sources.items() if v == text)
        head = []
        for line in lines:
            if line.startswith("msgid "):
                break
            if line.startswith("#|"):
                continue
            if line.startswith("#,"):
                flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
                if not flags:
                    continue
                line = "#, " + ", ".join(flags)
            head.append(line)
        start = next(k for k, l in enumerate(lines) if l.startswith("msgid "))
        end = next(k for k, l in enumerate(lines) if l.startswith("msgstr "))
        blocks[i] = "\n".join(head + lines[start:end] + [quote("msgstr", text)])
    # The obsolete entries (`#~`) whose translation was carried over, or that were numbers
    # alone, are done with.
    kept = []
    for block in blocks:
        lines = block.split("\n")
        if lines and all(l.startswith("#~") for l in lines if l):
            obsolete = [l.removeprefix("#~ ") for l in lines if not l.startswith("#~|")]
            fields = fields_of(obsolete)
            if "msgid" in fields and (_unquote(fields["msgid"]) in used or is_data(_unquote(fields["msgid"]))):
                continue
        kept.append(block)
    po.write_text("\n\n".join(kept), encoding="utf-8")
    return carried, data, used


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent
    po = root / CATALOGUE
    mdbook = os.environ.get("MDBOOK") or shutil.which("mdbook") or str(Path.home() / ".cargo/bin/mdbook")
    missing = [
        what
        for what, ok in [
            ("mdbook (cargo install mdbook --version 0.5.4)", Path(mdbook).exists() or shutil.which(mdbook)),
            (
                "mdbook-xgettext (cargo install mdbook-i18n-helpers --locked --version 0.4.0)",
                shutil.which("mdbook-xgettext") or (Path.home() / ".cargo/bin/mdbook-xgettext").exists(),
            ),
            ("msgmerge and msgcat (apt-get install gettext)", shutil.which("msgmerge") and shutil.which("msgcat")),
        ]
        if not ok
    ]
    if missing:
        print(f"update_catalogue: not found: {'; '.join(missing)}", file=sys.stderr)
        return 2
    env = dict(os.environ)
    env["PATH"] = f"{Path.home() / '.cargo/bin'}:{env.get('PATH', '')}"
    env["MDBOOK_OUTPUT"] = '{"xgettext": {"pot-file": "messages.pot", "granularity": 0}}'
    before = read_po(po)
    with tempfile.TemporaryDirectory() as tmp:
        extract = subprocess.run(
            [mdbook, "build", "-d", f"{tmp}/po", str(root / "docs")], env=env, capture_output=True, text=True
        )
        if extract.returncode != 0:
            print(f"update_catalogue: extracting the English book's messages failed:\n{extract.stderr}", file=sys.stderr)
            return 1
        pot = Path(tmp) / "po/messages.pot"
        merge = ["msgmerge", "--quiet", "--update", "--backup=none"]
        subprocess.run([*merge, "--previous", str(po), str(pot)], check=True)
        carried, data, _ = translate(po, before)
        # Written again by gettext, to wrap the new translations as msgmerge does.
        subprocess.run(["msgcat", "--output-file", str(po), str(po)], check=True)
        after, wanted = read_po(po), read_po(pot)
    left = [e for e in after.values() if e.msgid in wanted and (e.fuzzy or not e.msgstr)]
    print(
        f"update_catalogue: {CATALOGUE}: {carried} translation(s) carried over with new numbers, "
        f"{data} message(s) of numbers alone, {len(left)} left to translate"
    )
    if left:
        print(_list(f"Translate these in {CATALOGUE} (and drop their `#, fuzzy` line):", left))
        print("Then run scripts/check-book.sh.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
