#!/usr/bin/env python3
"""Checks the built course book for broken internal links, anchors and images.

    python3 scripts/check_book_links.py [--strict] [ROOT]

ROOT is the workspace root (default: the folder above this script). The book must already
be built in ROOT/docs/book, and its Russian edition in ROOT/docs/book/ru (scripts/check-book.sh
builds both first; without the Russian one only the English book is checked). Standard
library only.

What is an error:
- an `href` or `src` in a generated page that points to a file of the book that does not
  exist (a chapter renamed, an image not committed);
- a `#fragment` that names no `id` in the target page (a heading renamed, a typo in
  `{#task-N-K}`);
- a task of course.toml whose anchor is not the id of a heading in its lab's chapter
  (`docs/src/<lab dir name>.md` must hold `### Task N.K — <title> {#task-N-K}`);
- in the Russian book, a task heading that does not read `Задание N.K — <title_ru>`: the task's
  `title_ru` in course.toml, or while a task has none, docs/po/ru.po's translation of the
  English heading;
- a page of one book that the other lacks (the language switcher links each page to its twin).

A chapter that is still a stub (a title and nothing else) cannot hold anchors yet: anchors
into it, and its tasks' headings, are reported as warnings until it is written. With
`--strict` they are errors too.

External links (http:, https:, mailto:, ...) are not followed: the check runs offline.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

sys.dont_write_bytecode = True  # no __pycache__ in scripts/ for the import below
from check_book_catalogue import read_po

# Pages whose links are not checked (they are still link targets): 404.html uses absolute
# links from the site's root (site-url), which only make sense once deployed; index.html is a
# copy of the first chapter and print.html of every chapter, checked as the chapters.
SKIP_PAGES = {"404.html", "index.html", "print.html"}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "ftp", "data", "javascript", "tel"}
RUSSIAN = "ru"  # the Russian book's folder inside the English one


@dataclass
class Link:
    attr: str  # href or src
    url: str
    line: int


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    heading_ids: dict[str, str] = field(default_factory=dict)  # id -> heading text
    links: list[Link] = field(default_factory=list)


class PageParser(HTMLParser):
    """Collects every id (and name) of a page, its headings' texts, and its links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._heading: str | None = None  # id of the heading being read
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v for k, v in attrs if v is not None}
        for key in ("id", "name"):
            if key in a and (key == "id" or tag == "a"):
                self.page.ids.add(a[key])
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"} and "id" in a:
            self._heading, self._text = a["id"], []
        line = self.getpos()[0]
        if "href" in a and tag in {"a", "link", "area"}:
            self.page.links.append(Link("href", a["href"], line))
        if "src" in a and tag in {"img", "script", "iframe", "source", "embed"}:
            self.page.links.append(Link("src", a["src"], line))

    def handle_endtag(self, tag: str) -> None:
        if self._heading is not None and tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.page.heading_ids[self._heading] = " ".join("".join(self._text).split())
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._text.append(data)


def parse(path: Path) -> Page:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


def is_stub(source: Path) -> bool:
    """A chapter still to be written: missing, or nothing but its title line."""
    if not source.is_file():
        return True
    lines = [l for l in source.read_text(encoding="utf-8").splitlines() if l.strip()]
    return len(lines) <= 1


class Report:
    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, msg: str) -> None:
        if msg not in self.errors:  # mdbook 0.5 writes each image twice (inline and zoomed)
            self.errors.append(msg)

    def stub(self, msg: str) -> None:
        if self.strict:
            self.error(msg)
        else:
            self.warnings.append(msg)


def check_links(book: Path, src: Path, pages: dict[str, Page], report: Report, label: str = "") -> int:
    checked = 0
    stub_anchors: dict[str, set[str]] = {}  # target page -> anchors not checkable yet
    for name, page in sorted(pages.items()):
        if name in SKIP_PAGES:
            continue
        here = PurePosixPath(name).parent
        for link in page.links:
            parts = urlsplit(link.url)
            if parts.scheme.lower() in EXTERNAL_SCHEMES or link.url.startswith("//"):
                continue
            if parts.scheme:  # some other scheme: not ours to judge
                continue
            checked += 1
            where = f"{label}{name}:{link.line}: {link.attr}=\"{link.url}\""
            target_name = name if not parts.path else _normalise(here / unquote(parts.path))
            if target_name is None:
                report.error(f"{where}: points outside the book")
                continue
            target = book / target_name
            if target.is_dir():
                target_name = str(PurePosixPath(target_name) / "index.html")
                target = book / target_name
            if not target.is_file():
                report.error(f"{where}: no such file {target_name} in the book")
                continue
            fragment = unquote(parts.fragment)
            if not fragment or not target_name.endswith(".html"):
                continue
            target_page = pages.get(target_name)
            if target_page is None or fragment in target_page.ids:
                continue
            msg = f"{where}: {target_name} has no id \"{fragment}\""
            source = src / (target_name[: -len(".html")] + ".md")
            if is_stub(source) and not report.strict:
                stub_anchors.setdefault(target_name, set()).add(fragment)
            else:
                report.error(msg)
    for target_name, anchors in sorted(stub_anchors.items()):
        report.warnings.append(
            f"{label}{target_name} is still a stub: links to {', '.join('#' + a for a in sorted(anchors))} "
            "will be checked once it is written"
        )
    return checked


def _normalise(path: PurePosixPath) -> str | None:
    parts: list[str] = []
    for p in path.parts:
        if p in ("", "."):
            continue
        if p == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(p)
    return "/".join(parts)


def load_course(text: str) -> dict:
    """course.toml as a dict: with tomllib (Python 3.11+), else a reader for the one-line
    `key = "string"` entries under `[[lab]]` and `[[lab.task]]` that this check needs."""
    try:
        import tomllib
    except ImportError:
        pass
    else:
        return tomllib.loads(text)
    labs: list[dict] = []
    table: dict | None = None
    for line in text.splitlines():
        line = line.strip()
        if line == "[[lab]]":
            table = {"task": []}
            labs.append(table)
        elif line == "[[lab.task]]" and labs:
            table = {}
            labs[-1]["task"].append(table)
        elif line.startswith("["):
            table = None
        elif table is not None:
            m = re.match(r'^(\w+)\s*=\s*"((?:[^"\\]|\\.)*)"', line)
            if m:
                table[m.group(1)] = m.group(2).replace('\\"', '"').replace("\\\\", "\\")
    return {"lab": labs}


def check_tasks(
    root: Path, src: Path, pages: dict[str, Page], report: Report, russian: RussianHeadings | None = None
) -> int:
    """Every task of course.toml has its heading, with its anchor, in its lab's chapter: in
    the English book (`russian` None), or in the Russian one."""
    course = load_course((root / "course.toml").read_text(encoding="utf-8"))
    label = f"{RUSSIAN}/" if russian else ""
    count = 0
    for lab in course.get("lab", []):
        chapter = lab["dir"].rstrip("/").rsplit("/", 1)[-1]
        page = pages.get(chapter + ".html")
        tasks = lab.get("task", [])
        count += len(tasks)
        if page is None:
            report.error(
                f"{lab['id']}: chapter {label}{chapter}.html was not built (is docs/src/{chapter}.md in SUMMARY.md?)"
            )
            continue
        if is_stub(src / (chapter + ".md")):
            if not russian:
                report.stub(
                    f"{lab['id']}: docs/src/{chapter}.md is still a stub; its {len(tasks)} task headings "
                    f"(`### Task N.K — <title> {{#task-N-K}}`) will be checked once it is written"
                )
            continue
        for task in tasks:
            anchor, tid = task["anchor"], task["id"]
            text = page.heading_ids.get(anchor)
            if russian:
                russian.check(task, chapter, text, report)
                continue
            want = f"`### Task {tid} — {task['title']} {{#{anchor}}}`"
            if text is None:
                report.error(f"task {tid}: no heading with id \"{anchor}\" in docs/src/{chapter}.md: add {want}")
            elif f"Task {tid}" not in text:
                report.error(f"task {tid}: the heading with id \"{anchor}\" reads \"{text}\": want {want}")
            elif text != f"Task {tid} — {task['title']}":
                report.warnings.append(
                    f"task {tid}: the heading reads \"{text}\" but course.toml's title is \"{task['title']}\""
                )
    return count


class RussianHeadings:
    """What a task's heading must read in the Russian book: `Задание N.K — <title_ru>`, with
    course.toml's `title_ru` of the task, or while the task has none, the catalogue's
    translation of the English heading (`Task N.K — <title>`)."""

    def __init__(self, english: dict[str, Page], po: Path) -> None:
        self.english = english
        self.po = f"docs/po/{po.name}"
        self.catalogue = {m: e.msgstr for m, e in read_po(po).items() if e.msgstr and not e.fuzzy}

    def check(self, task: dict, chapter: str, text: str | None, report: Report) -> None:
        anchor, tid = task["anchor"], task["id"]
        prefix = f"Задание {tid} — "
        where = f"task {tid}: {RUSSIAN}/{chapter}.html"
        if "title_ru" in task:
            want, source = prefix + task["title_ru"], "course.toml's title_ru"
        else:
            page = self.english.get(chapter + ".html")
            english = page.heading_ids.get(anchor) if page else None
            english = english or f"Task {tid} — {task['title']}"
            want, source = self.catalogue.get(english), f"{self.po}'s translation of \"{english}\""
            if want is None:
                report.error(f"{where}: {self.po} has no translation of the heading \"{english}\"")
                return
            if not want.startswith(prefix):
                report.error(f"{where}: {self.po} translates \"{english}\" as \"{want}\": want \"{prefix}...\"")
                return
        if text is None:
            report.error(f"{where}: no heading with id \"{anchor}\" (want \"{want}\", from {source})")
        elif text != want:
            report.error(
                f"{where}: the heading with id \"{anchor}\" reads \"{text}\": want \"{want}\" ({source}); "
                f"the heading is the translation of `### Task {tid} — ...` in docs/po/ru.po"
            )


def check_orphans(src: Path, report: Report) -> None:
    """Markdown files that SUMMARY.md does not list are never built: say so."""
    summary = (src / "SUMMARY.md").read_text(encoding="utf-8")
    for md in sorted(src.rglob("*.md")):
        rel = md.relative_to(src).as_posix()
        if rel != "SUMMARY.md" and f"({rel})" not in summary and f"(./{rel})" not in summary:
            report.warnings.append(f"docs/src/{rel} is not in SUMMARY.md, so it is not in the book")


def parse_book(book: Path, skip: str | None = None) -> dict[str, Page]:
    """The book's pages by their path in it; pages under the folder `skip` left out."""
    pages = {}
    for p in book.rglob("*.html"):
        name = p.relative_to(book).as_posix()
        if skip is None or not name.startswith(skip + "/"):
            pages[name] = parse(p)
    return pages


def check_twins(english: dict[str, Page], russian: dict[str, Page], report: Report) -> None:
    """Each page's language link goes to the same page of the other book: it must exist."""
    for name in sorted(set(english) ^ set(russian)):
        if name in english:
            report.error(f"{name} has no Russian twin {RUSSIAN}/{name}")
        else:
            report.error(f"{RUSSIAN}/{name} has no English twin {name}")


def main(argv: list[str]) -> int:
    strict = "--strict" in argv
    args = [a for a in argv if not a.startswith("--")]
    root = Path(args[0]) if args else Path(__file__).resolve().parent.parent
    book, src = root / "docs" / "book", root / "docs" / "src"
    if not (book / "index.html").is_file():
        print(f"check_book_links: {book} is not built: run `mdbook build docs` first", file=sys.stderr)
        return 2
    pages = parse_book(book, skip=RUSSIAN)
    report = Report(strict)
    links = check_links(book, src, pages, report)
    tasks = check_tasks(root, src, pages, report)
    check_orphans(src, report)
    summary = f"{len(pages)} pages, {links} internal links, {tasks} tasks of course.toml"
    ru_book = book / RUSSIAN
    if (ru_book / "index.html").is_file():
        ru_pages = parse_book(ru_book)
        ru_links = check_links(ru_book, src, ru_pages, report, label=f"{RUSSIAN}/")
        headings = RussianHeadings(pages, root / "docs" / "po" / "ru.po")
        check_tasks(root, src, ru_pages, report, russian=headings)
        check_twins(pages, ru_pages, report)
        summary += f"; in Russian {len(ru_pages)} pages, {ru_links} internal links, {tasks} task headings"
    elif (root / "docs" / "po" / "ru.po").is_file():
        report.warnings.append(f"no Russian book in {ru_book}: only the English one was checked")
    for w in report.warnings:
        print(f"warning: {w}")
    for e in report.errors:
        print(f"error: {e}")
    print(f"check_book_links: {summary}: {len(report.errors)} error(s), {len(report.warnings)} warning(s)")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
