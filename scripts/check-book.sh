#!/usr/bin/env bash
# Builds the course book, in English and in Russian, and fails on anything broken in it:
#   1. `mdbook build docs`: the English book builds, into docs/book;
#   2. scripts/check_book_catalogue.py: docs/po/ru.po translates every message of the English
#      book (a fresh extraction with mdbook-xgettext), none fuzzy, none missing;
#   3. the Russian book builds (mdbook-gettext with docs/po/ru.po), into docs/book/ru: one
#      site serves both, and each page's English / Русский links go to its twin;
#   4. scripts/book_search_index.py: both books' search indexes get the words mdBook's
#      English-only indexer leaves out (every Russian word);
#   5. scripts/check_book_links.py: in both books every internal link, anchor and image
#      resolves, every page has its twin in the other book, and every task of course.toml
#      has its heading: `### Task N.K — <title> {#task-N-K}`, in Russian `Задание N.K — ...`;
#   6. `mdbook test docs`: every ```rust sample that claims to compile does (samples that
#      need the workspace's crates are marked ```rust,ignore; the Russian book has the same
#      code, so it is not compiled twice);
#   7. scripts/check_book_layout.py: no table, code block or picture of either book is cut
#      off at 1280 px or sticks out of its column at 390 px (headless Chromium; skipped with a
#      note when it is not installed);
#   8. scripts/check_book_search.py: a search for Russian words finds the pages that hold
#      them, in both books, and English search still stems (headless Chromium, as 7);
#   9. scripts/book_figures.py (run first): every measured figure of the book and the README
#      is the one in bench/results/benchmarks.json (`python3 scripts/book_figures.py --write`
#      rewrites them after the benchmarks are run again).
#
#   scripts/check-book.sh            the check CI runs
#   scripts/check-book.sh --strict   chapters still stubs count as errors too
#   MDBOOK=/path/to/mdbook scripts/check-book.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mdbook="${MDBOOK:-}"
if [[ -z "$mdbook" ]]; then
    if command -v mdbook >/dev/null; then
        mdbook=mdbook
    elif [[ -x "$HOME/.cargo/bin/mdbook" ]]; then
        mdbook="$HOME/.cargo/bin/mdbook"
    else
        echo "check-book: mdbook not found. Install it: cargo install mdbook --version 0.5.4" >&2
        exit 2
    fi
fi
# The Russian book needs mdbook-gettext and mdbook-xgettext (mdbook runs them by name) and
# GNU gettext's msgfmt if installed (its syntax check). Without its catalogue (the handout has none) only English is built.
catalogue="$root/docs/po/ru.po"
if [[ -f "$catalogue" ]]; then
    if ! command -v mdbook-gettext >/dev/null && [[ -x "$HOME/.cargo/bin/mdbook-gettext" ]]; then
        export PATH="$HOME/.cargo/bin:$PATH"
    fi
    if ! command -v mdbook-gettext >/dev/null || ! command -v mdbook-xgettext >/dev/null; then
        echo "check-book: mdbook-gettext not found (it builds the Russian book). Install it: cargo install mdbook-i18n-helpers --locked --version 0.4.0" >&2
        exit 2
    fi
fi
book="$root/docs/book"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Each step says when it started (seconds since the start): where the time goes, in CI too.
step() { echo "check-book: $* (at ${SECONDS} s)"; }
step "checking the measured figures against bench/results/benchmarks.json"
python3 "$root/scripts/book_figures.py" "$root"

step "building the English book with $("$mdbook" --version)"
"$mdbook" build -d "$book" "$root/docs"

books=("$book")
if [[ -f "$catalogue" ]]; then
    step "checking that docs/po/ru.po translates every message of the English book"
    MDBOOK_OUTPUT='{"xgettext": {"pot-file": "messages.pot", "granularity": 0}}' \
        "$mdbook" build -d "$tmp/po" "$root/docs" >"$tmp/xgettext.log" 2>&1 \
        || { cat "$tmp/xgettext.log"; exit 1; }
    (cd "$root" && python3 scripts/check_book_catalogue.py docs/po/ru.po "$tmp/po/messages.pot")
    # The examples of the catalogue's updater (how it carries numbers over) hold.
    python3 -m doctest "$root/scripts/update_catalogue.py"

    step "building the Russian book into docs/book/ru"
    MDBOOK_BOOK__LANGUAGE=ru MDBOOK_PREPROCESSOR__GETTEXT='{"after": ["links"]}' \
        MDBOOK_OUTPUT__HTML__SITE_URL=/ru/ "$mdbook" build -d "$book/ru" "$root/docs"
    books+=("$book/ru")
else
    echo "check-book: no docs/po/ru.po, so no Russian book: the English one alone is checked"
fi

step "adding the words mdBook's index leaves out (Russian ones) to the search indexes"
python3 "$root/scripts/book_search_index.py" "${books[@]}"

step "checking links, twin pages and task headings"
python3 "$root/scripts/check_book_links.py" "$@" "$root"

step "compiling the book's Rust samples"
# mdbook test prints "ERROR One or more tests failed" but may still exit 0: check both.
log="$tmp/test.log"
status=0
"$mdbook" test "$root/docs" >"$log" 2>&1 || status=$?
if [[ $status -ne 0 ]] || grep -q "ERROR" "$log"; then
    cat "$log"
    echo "check-book: a Rust sample in the book does not compile (mark samples that need the workspace's crates \`rust,ignore\`)" >&2
    exit 1
fi
step "checking the layout at 1280 and 390 px"
python3 "$root/scripts/check_book_layout.py" "$root"
step "checking that search finds Russian words"
python3 "$root/scripts/check_book_search.py" "$root"
echo "check-book: ok (in ${SECONDS} s)"
