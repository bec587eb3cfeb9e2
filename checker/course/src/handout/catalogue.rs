//! The book's translation catalogues (`docs/po/<lang>.po`) as the handout needs them: the
//! student's chapters translated, the instructor chapters' text gone.
//!
//! A catalogue is gettext's format: entries separated by blank lines, each with its source
//! references (`#: src/lab2-threads.md`), its English `msgid` and its translation `msgstr`.
//! An entry whose every reference is an instructor chapter is dropped (its text would tell a
//! student how grading works); so are obsolete entries (`#~`). The student's pages lose
//! their links to instructor chapters in the handout ([`drop_links`]): the same is done to
//! the entries' English and translated text, so that each page's new text still finds its
//! translation.

use super::{drop_links, instructor_only};
use std::path::Path;

/// The catalogue `text` for the handout.
pub fn student_catalogue(text: &str) -> String {
    let kept = |target: &Path| !instructor_only(target);
    let mut out: Vec<String> = Vec::new();
    for entry in text.split("\n\n") {
        let lines: Vec<&str> = entry.lines().collect();
        if lines
            .iter()
            .all(|l| l.starts_with("#~") || l.trim().is_empty())
        {
            continue; // obsolete, or nothing
        }
        let pages: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("#:"))
            .flat_map(str::split_whitespace)
            .map(|r| r.split(':').next().unwrap_or(r))
            .collect();
        let page = pages
            .iter()
            .map(|p| Path::new("docs").join(p))
            .find(|p| !instructor_only(p));
        match page {
            // The header (no reference) stays.
            None if pages.is_empty() => out.push(entry.trim_matches('\n').to_owned()),
            None => {}
            Some(page) => out.extend(without_links(&lines, &page, &kept)),
        }
    }
    let mut text = out.join("\n\n");
    text.push('\n');
    text
}

/// An entry's lines with its `msgid` and `msgstr` passed through [`drop_links`]; `None` when
/// nothing of its English text is left (a list item that was only such a link).
fn without_links(lines: &[&str], page: &Path, kept: &impl Fn(&Path) -> bool) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let keyword = ["msgid ", "msgstr "]
            .into_iter()
            .find(|k| line.starts_with(k));
        let Some(keyword) = keyword else {
            out.push(line.to_owned());
            i += 1;
            continue;
        };
        // The string: its first line after the keyword, then continuation lines ("...").
        let mut parts = vec![&line[keyword.len()..]];
        i += 1;
        while i < lines.len() && lines[i].starts_with('"') {
            parts.push(lines[i]);
            i += 1;
        }
        let value: String = parts.iter().map(|p| unquote(p)).collect();
        let changed: String = value
            .split('\n')
            .map(|l| drop_links(page, l, kept).trim_end_matches('\n').to_owned())
            .collect::<Vec<_>>()
            .join("\n");
        if keyword == "msgid " && changed.trim().is_empty() {
            return None;
        }
        if changed == value {
            out.push(line.to_owned());
            out.extend(parts[1..].iter().map(|p| p.to_string()));
        } else {
            out.push(format!("{keyword}{}", quote(&changed)));
        }
    }
    Some(out.join("\n"))
}

/// The text of one quoted gettext string: `"a \"b\"\n"` → `a "b"` and a newline.
fn unquote(quoted: &str) -> String {
    let inner = quoted.trim();
    let inner = inner.strip_prefix('"').unwrap_or(inner);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// A gettext string on one line.
fn quote(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
        .replace('\t', "\\t");
    format!("\"{escaped}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PO: &str = r#"msgid ""
msgstr ""
"Language: ru\n"

#: src/lab2-threads.md
msgid "Threads"
msgstr "Потоки"

#: src/instructor/grading.md
msgid "How the grader works"
msgstr "Как работает оценщик"

#: src/instructor/grading.md src/introduction.md
msgid ""
"Read [the guide](instructor/overview.md) and the [Lab 2 page](lab2-threads."
"md)."
msgstr "Читайте [руководство](instructor/overview.md) и [ЛР 2](lab2-threads.md)."

#~ msgid "Old"
#~ msgstr "Старое"
"#;

    #[test]
    fn instructor_text_goes_and_links_to_it_become_text() {
        let po = student_catalogue(PO);
        assert!(
            po.starts_with("msgid \"\"\nmsgstr \"\"\n\"Language: ru\\n\""),
            "{po}"
        );
        assert!(po.contains("msgid \"Threads\"\nmsgstr \"Потоки\""), "{po}");
        assert!(!po.contains("How the grader works"), "{po}");
        assert!(!po.contains("Старое"), "{po}");
        assert!(
            po.contains(
                "msgid \"Read the guide and the [Lab 2 page](lab2-threads.md).\"\n\
                 msgstr \"Читайте руководство и [ЛР 2](lab2-threads.md).\""
            ),
            "{po}"
        );
    }

    #[test]
    fn strings_round_trip() {
        for text in ["plain", "a \"quoted\" word", "two\nlines\n", "back\\slash"] {
            assert_eq!(unquote(&quote(text)), text);
        }
    }
}
