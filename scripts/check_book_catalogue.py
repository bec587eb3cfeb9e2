#!/usr/bin/env python3
"""Checks that the Russian edition's catalogue translates every message of the English book.

    python3 scripts/check_book_catalogue.py PO POT

PO is the catalogue (docs/po/ru.po), POT a fresh extraction of the English book's messages
(scripts/check-book.sh extracts it with mdbook-xgettext into a temporary folder). Standard
library only, plus `msgfmt` (GNU gettext) when it is installed.

What is an error:
- `msgfmt --check` rejects the catalogue (a syntax or format error);
- an entry is fuzzy (its English changed and `msgmerge` guessed the old translation) or has
  no translation;
- a message of the English book is not in the catalogue at all (a page changed and nobody
  merged the new text in yet).
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

UPDATE = "python3 scripts/update_catalogue.py"
SHOWN = 10  # entries listed per kind of problem


@dataclass
class Entry:
    msgid: str
    msgstr: str
    fuzzy: bool
    sources: list[str] = field(default_factory=list)  # "src/lab1-sync.md", from `#:` lines


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}


def _unquote(lines: list[str]) -> str:
    text = "".join(re.match(r'\s*"(.*)"\s*$', l).group(1) for l in lines)
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


_KEYWORD = re.compile(r'(msgid|msgstr|msgctxt|msgid_plural|msgstr\[\d+\])\s+(".*")\s*$')


def fields_of(lines: list[str]) -> dict[str, list[str]]:
    """The quoted lines of each keyword of one entry (`msgid`, `msgstr`, …), to be joined by
    `_unquote`. Comments (`#:`, `#,`, and `#|`, a fuzzy entry's earlier English) are not read."""
    parts: dict[str, list[str]] = {}
    key = None
    for line in lines:
        m = _KEYWORD.match(line)
        if m:
            key = m.group(1)
            parts[key] = [m.group(2)]
        elif key and line.startswith('"'):
            parts[key].append(line)
        else:
            key = None
    return parts


def read_po(path: Path) -> dict[str, Entry]:
    """The live (not obsolete) entries of a PO or POT file, by msgid; the header left out."""
    entries: dict[str, Entry] = {}
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        lines = block.strip().splitlines()
        if not lines or all(l.startswith("#~") or not l.startswith(("msg", '"')) for l in lines):
            continue
        sources = [s for l in lines if l.startswith("#:") for s in l[2:].split()]
        fuzzy = any(l.startswith("#,") and "fuzzy" in l for l in lines)
        parts = fields_of(lines)
        if "msgid" not in parts:
            continue
        msgid = _unquote(parts["msgid"])
        if msgid == "":
            continue
        msgstr = _unquote(parts.get("msgstr", parts.get("msgstr[0]", ['""'])))
        entries[msgid] = Entry(msgid, msgstr, fuzzy, [s.split(":")[0] for s in sources])
    return entries


def _where(entry: Entry) -> str:
    files = sorted({"docs/" + s for s in entry.sources}) or ["?"]
    text = " ".join(entry.msgid.split())
    return f"{', '.join(files)}: \"{text[:90]}{'…' if len(text) > 90 else ''}\""


def _entries(n: int) -> str:
    return f"{n} entry" if n == 1 else f"{n} entries"


def _list(title: str, entries: list[Entry]) -> str:
    lines = [title]
    lines += [f"    {_where(e)}" for e in entries[:SHOWN]]
    if len(entries) > SHOWN:
        lines.append(f"    … and {len(entries) - SHOWN} more")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    po_path, pot_path = Path(argv[0]), Path(argv[1])
    errors: list[str] = []
    # msgfmt adds GNU gettext's own syntax check; without it the entries are still checked
    # below (mdbook-gettext, which builds the Russian book, rejects a malformed file too).
    try:
        run = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_path)],
            capture_output=True,
            text=True,
        )
    except FileNotFoundError:
        print(
            "check_book_catalogue: msgfmt not found, its syntax check skipped "
            "(install GNU gettext for it: apt-get install gettext)"
        )
    else:
        stats = run.stderr.strip()
        print(f"check_book_catalogue: {po_path.name}: {stats.splitlines()[-1] if stats else 'no statistics'}")
        if run.returncode != 0:
            errors.append(f"msgfmt --check rejects {po_path}:\n{stats}")

    po, pot = read_po(po_path), read_po(pot_path)
    fuzzy = [e for e in po.values() if e.fuzzy]
    empty = [e for e in po.values() if not e.fuzzy and not e.msgstr]
    missing = [e for msgid, e in pot.items() if msgid not in po]
    if missing:
        errors.append(
            _list(
                f"{len(missing)} message{'' if len(missing) == 1 else 's'} of the English book not in {po_path} "
                "(a page changed since it was translated):",
                missing,
            )
        )
    if fuzzy:
        errors.append(_list(f"{_entries(len(fuzzy))} fuzzy in {po_path} (the English changed):", fuzzy))
    if empty:
        errors.append(_list(f"{_entries(len(empty))} untranslated in {po_path}:", empty))
    if errors:
        for e in errors:
            print(f"error: {e}")
        print(
            "check_book_catalogue: the Russian book is not complete. Next step: merge the English "
            f"book's messages into the catalogue,\n    {UPDATE}\n"
            f"then translate every new or fuzzy entry of {po_path} it lists (drop the `#, fuzzy` "
            "line once the translation is right) and run scripts/check-book.sh again."
        )
        return 1
    print(f"check_book_catalogue: every one of the {len(pot)} messages of the English book is translated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
