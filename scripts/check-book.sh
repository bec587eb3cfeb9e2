#!/usr/bin/env bash
# Builds the course book and fails on anything broken in it:
#   1. `mdbook build docs`: the book builds;
#   2. scripts/check_book_links.py: every internal link, anchor and image resolves, and
#      every task of course.toml has its `### Task N.K — <title> {#task-N-K}` heading;
#   3. `mdbook test docs`: every ```rust sample that claims to compile does (samples that
#      need the workspace's crates are marked ```rust,ignore);
#   4. scripts/check_book_layout.py: no table, code block or picture is cut off at 1280 px
#      or sticks out of its column at 390 px (headless Chromium; skipped with a note when
#      it is not installed);
#   5. scripts/book_figures.py: every measured figure of the book and the README is the one
#      in bench/results/benchmarks.json (`python3 scripts/book_figures.py --write` rewrites
#      them after the benchmarks are run again).
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

echo "check-book: checking the measured figures against bench/results/benchmarks.json"
python3 "$root/scripts/book_figures.py" "$root"

echo "check-book: building the book with $("$mdbook" --version)"
"$mdbook" build "$root/docs"

echo "check-book: checking links and task headings"
python3 "$root/scripts/check_book_links.py" "$@" "$root"

echo "check-book: compiling the book's Rust samples"
# mdbook test prints "ERROR One or more tests failed" but may still exit 0: check both.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
"$mdbook" test "$root/docs" >"$log" 2>&1 || status=$?
if [[ $status -ne 0 ]] || grep -q "ERROR" "$log"; then
    cat "$log"
    echo "check-book: a Rust sample in the book does not compile (mark samples that need the workspace's crates \`rust,ignore\`)" >&2
    exit 1
fi
echo "check-book: checking the layout at 1280 and 390 px"
python3 "$root/scripts/check_book_layout.py" "$root"
echo "check-book: ok"
