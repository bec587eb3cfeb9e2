//! Step 1c: every check a chapter's "How it is checked" paragraphs name exists, as a test
//! function of the lab's checks or as a committed snapshot.
//!
//! A section starts at a line beginning `**How it is checked**` and runs to the next heading
//! or the next paragraph that opens in bold (`**Caveat.**`). In it, a check name is
//! - a backticked snake_case name that opens a list item, or follows such a name after
//!   `, `, `; ` or ` and ` (`` - `a_check`, `another_check`: what they prove``): the
//!   prose around the names also holds backticked functions and variables, which are not
//!   checks;
//! - a backticked `*.snap` file name anywhere in the section (a path keeps its file name);
//! - a backticked snake_case name right after the word "snapshot" (`` snapshot
//!   `lab3_demo_task_3_1` ``), the file name without its `.snap`.

use super::Ledger;
use model::course::Lab;
use std::collections::BTreeSet;
use std::path::Path;

/// The line that opens a section.
const SECTION: &str = "**How it is checked**";
/// The committed snapshots, from the workspace root.
const SNAPSHOTS: &str = "checker/tests/snapshots";

/// A check a chapter names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Named {
    /// The line (from 1) that names it.
    pub(super) line: usize,
    /// A test function's name, or a snapshot's file name (`….snap`).
    pub(super) name: String,
}

/// The checks named in the "How it is checked" sections of a chapter's `text`.
pub(super) fn named_checks(text: &str) -> Vec<Named> {
    let mut found = Vec::new();
    let mut in_section = false;
    let mut after_blank = true;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with(SECTION) {
            in_section = true;
        } else if line.starts_with('#') || (after_blank && line.starts_with("**")) {
            in_section = false;
        }
        after_blank = line.trim().is_empty();
        if !in_section {
            continue;
        }
        let mut name = |name: String| found.push(Named { line: n + 1, name });
        let spans = backticked(line);
        for (k, span) in spans.iter().enumerate() {
            if span.text.ends_with(".snap") {
                let file = span.text.rsplit('/').next().unwrap_or(span.text);
                name(file.to_owned());
            } else if snake_case(span.text)
                && line[..span.start]
                    .trim_end()
                    .to_ascii_lowercase()
                    .ends_with("snapshot")
            {
                name(format!("{}.snap", span.text));
            } else if k == 0 && leads_item(&line[..span.start]) {
                for check in leading_names(line, &spans) {
                    name(check.to_owned());
                }
            }
        }
    }
    found
}

/// A backticked span of a line: its text, and the byte range of its backticks.
struct Span<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

fn backticked(line: &str) -> Vec<Span<'_>> {
    let mut spans = Vec::new();
    let mut rest = 0;
    while let Some(open) = line[rest..].find('`').map(|i| rest + i) {
        let Some(close) = line[open + 1..].find('`').map(|i| open + 1 + i) else {
            break;
        };
        spans.push(Span {
            start: open,
            end: close + 1,
            text: &line[open + 1..close],
        });
        rest = close + 1;
    }
    spans
}

/// `true` if `before` (the text before a line's first backtick) opens a list item.
fn leads_item(before: &str) -> bool {
    matches!(before.trim_start(), "- " | "* ")
}

/// The snake_case names that open a list item, joined by `, `, `; ` or ` and `.
fn leading_names<'a>(line: &str, spans: &[Span<'a>]) -> Vec<&'a str> {
    let mut names = Vec::new();
    for (k, span) in spans.iter().enumerate() {
        if !snake_case(span.text) {
            break;
        }
        if k > 0 {
            let between = &line[spans[k - 1].end..span.start];
            if !matches!(between, ", " | "; " | " and " | ", and ") {
                break;
            }
        }
        names.push(span.text);
    }
    names
}

/// A Rust function's name as the checks write them: lower case, digits and underscores,
/// starting with a letter.
fn snake_case(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The names of the functions (`fn NAME`) in Rust `source`.
pub(super) fn functions(source: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = source;
    while let Some(i) = rest.find("fn ") {
        let word_start = i == 0 || !rest[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        rest = &rest[i + 3..];
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if word_start && !name.is_empty() {
            names.insert(name);
        }
    }
    names
}

/// The files whose functions are the lab's checks.
fn check_files(lab: &Lab) -> [String; 3] {
    [
        format!("checker/tests/{}.rs", lab.id),
        format!("checker/hidden/{}.rs", lab.id),
        format!("checker/tests/support/{}.rs", lab.id),
    ]
}

/// The checks `lab`'s chapter names, and of those the ones that exist nowhere, each as
/// `chapter:line: `name`: where it was looked for`.
pub(super) fn unknown_checks(root: &Path, lab: &Lab) -> (Vec<Named>, Vec<String>) {
    let chapter = lab.chapter();
    let text = std::fs::read_to_string(root.join(&chapter)).unwrap_or_default();
    let named = named_checks(&text);
    let files = check_files(lab);
    let mut functions = BTreeSet::new();
    for file in &files {
        if let Ok(source) = std::fs::read_to_string(root.join(file)) {
            functions.append(&mut self::functions(&source));
        }
    }
    let snapshots = root.join(SNAPSHOTS);
    let unknown = named
        .iter()
        .filter_map(|n| {
            let nowhere = if n.name.ends_with(".snap") {
                if snapshots.join(&n.name).is_file() {
                    return None;
                }
                format!("no such snapshot in {SNAPSHOTS}/")
            } else {
                if functions.contains(&n.name) {
                    return None;
                }
                format!("no such test function in {}", files.join(", "))
            };
            Some(format!("{chapter}:{}: `{}`: {nowhere}", n.line, n.name))
        })
        .collect();
    (named, unknown)
}

/// 1c. Every check the chapter names exists (and it names some: a chapter whose sections
/// no longer parse would otherwise pass with nothing checked).
pub(super) fn chapter_checks(root: &Path, lab: &Lab, ledger: &mut Ledger) {
    let (named, unknown) = unknown_checks(root, lab);
    let what = format!(
        "{}: the {} checks the chapter names under \"How it is checked\" exist",
        lab.id,
        named.len()
    );
    if named.is_empty() {
        return ledger.fail(
            what,
            format!(
                "{} names no check: in a paragraph opening {SECTION}, a list item starts with \
                 a check's name in backticks",
                lab.chapter()
            ),
        );
    }
    ledger.expect(unknown.is_empty(), what, || unknown.join("\n"));
}
