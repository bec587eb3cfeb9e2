//! Similar task files between students: a reason to read two submissions side by side,
//! never proof of anything.
//!
//! The method is MOSS's (Schleimer, Wilkerson and Aiken, *Winnowing: local algorithms for
//! document fingerprinting*, SIGMOD 2003), on Rust tokens rather than characters:
//!
//! 1. **Tokens.** Each task file is read as text and tokenised by `proc-macro2` (never
//!    compiled, never run): comments, doc comments and whitespace are gone, so reformatting
//!    and rewritten comments change nothing. Names become `$i` and literals `$l` (keywords
//!    and punctuation stay), so renaming a variable changes nothing either; the names a
//!    student cannot rename stay: path segments (`thread::scope`), methods called
//!    (`.fetch_add(`) and macros (`vec!`).
//! 2. **k-grams.** Every run of [`K`] consecutive tokens is hashed.
//! 3. **Winnowing.** In every window of [`W`] consecutive hashes the smallest is kept (the
//!    rightmost on a tie): the file's *fingerprints*. Two files sharing a run of at least
//!    `K + W - 1` tokens are guaranteed to share a fingerprint.
//! 4. **The given code and the expected answer do not count.** The fingerprints of the
//!    lab's own file (the skeleton under `labs/`) and of the reference solution's (under
//!    `solutions/`, when the workspace has it) are removed from every student's set, and a
//!    file equal to the skeleton is skipped. Two students who both wrote the task's natural
//!    answer, the one the reference has too, are not alike for that: only what they share
//!    beyond it counts.
//! 5. **Score.** Shared fingerprints divided by the size of the smaller set: 1.0 when one
//!    file's own code is contained in the other's. Pairs at or above the threshold
//!    ([`DEFAULT_THRESHOLD`] unless `--similarity-threshold` says otherwise) are reported,
//!    with the matching fragments (line ranges of both files).
//!
//! Limits: short files (fewer than [`MIN_PRINTS`] fingerprints of their own) are not
//! compared, since too little code says nothing; a task with one natural solution makes
//! independent students alike; reordered functions or a changed algorithm hide a copy.

use crate::outputs::{csv_row, write_atomic};
use model::course::Lab;
use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::str::FromStr;

/// Tokens per k-gram.
pub const K: usize = 12;
/// Hashes per winnowing window.
pub const W: usize = 6;
/// Pairs scoring at least this are reported, unless `--similarity-threshold` says otherwise.
pub const DEFAULT_THRESHOLD: f64 = 0.6;
/// A file with fewer fingerprints of its own (the skeleton's removed) is not compared.
pub const MIN_PRINTS: usize = 4;
/// Lines of one fragment shown in the report.
const FRAGMENT_LINES: usize = 30;
/// Fragments shown per pair.
const FRAGMENTS: usize = 3;

/// Rust's keywords: kept as they are, every other identifier is `$i`.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "yield",
];

/// One normalised token and the line it starts on (1-based).
type Token = (String, usize);

/// The normalised tokens of `src`, or `None` when it does not tokenise (unbalanced
/// delimiters, an unterminated string).
pub fn tokens(src: &str) -> Option<Vec<Token>> {
    let raw = TokenStream::from_str(src).ok().map(|stream| {
        let mut raw = Vec::new();
        flatten(stream, &mut raw);
        raw
    });
    // The spans of a parsed file stay in a thread-local map until released.
    proc_macro2::extra::invalidate_current_thread_spans();
    raw.map(normalise)
}

/// A token as read, before names are blanked.
enum Raw {
    /// A name or keyword.
    Ident(String),
    /// A punctuation character; `true` when the next one is glued to it (`::`, `->`).
    Punct(char, bool),
    /// A literal (`$l`) or a delimiter.
    Fixed(&'static str),
}

fn flatten(stream: TokenStream, out: &mut Vec<(Raw, usize)>) {
    let mut trees = stream.into_iter().peekable();
    while let Some(tt) = trees.next() {
        match tt {
            // `#[doc = "…"]` and `#![doc = "…"]`: a doc comment, not code.
            TokenTree::Punct(p) if p.as_char() == '#' => {
                let mut ahead = trees.clone();
                let bang = matches!(ahead.peek(), Some(TokenTree::Punct(b)) if b.as_char() == '!');
                if bang {
                    ahead.next();
                }
                if let Some(TokenTree::Group(g)) = ahead.peek()
                    && g.delimiter() == Delimiter::Bracket
                    && g.stream()
                        .into_iter()
                        .next()
                        .is_some_and(|t| t.to_string() == "doc")
                {
                    ahead.next();
                    trees = ahead;
                    continue;
                }
                out.push((Raw::Punct('#', false), p.span().start().line));
            }
            TokenTree::Punct(p) => out.push((
                Raw::Punct(p.as_char(), p.spacing() == Spacing::Joint),
                p.span().start().line,
            )),
            TokenTree::Ident(i) => out.push((Raw::Ident(i.to_string()), i.span().start().line)),
            TokenTree::Literal(l) => out.push((Raw::Fixed("$l"), l.span().start().line)),
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                if !open.is_empty() {
                    out.push((Raw::Fixed(open), g.span_open().start().line));
                }
                flatten(g.stream(), out);
                if !close.is_empty() {
                    out.push((Raw::Fixed(close), g.span_close().start().line));
                }
            }
        }
    }
}

/// Glued punctuation becomes one token (`::`, `->`, `+=`); a name becomes `$i` unless it is
/// a keyword or something a student cannot rename: a path segment (`thread::scope`), a
/// method called (`.fetch_add(`) or a macro (`vec!`).
fn normalise(raw: Vec<(Raw, usize)>) -> Vec<Token> {
    let mut glued: Vec<(Raw, usize, String)> = Vec::new();
    let mut open = false;
    for (r, line) in raw {
        if let Raw::Punct(c, joint) = r {
            if open && let Some(last) = glued.last_mut() {
                last.2.push(c);
            } else {
                glued.push((Raw::Punct(c, joint), line, c.to_string()));
            }
            open = joint;
            continue;
        }
        open = false;
        let text = match &r {
            Raw::Ident(s) => s.clone(),
            Raw::Fixed(f) => (*f).to_owned(),
            Raw::Punct(..) => unreachable!("handled above"),
        };
        glued.push((r, line, text));
    }
    let text = |i: Option<usize>| i.and_then(|i| glued.get(i)).map_or("", |t| t.2.as_str());
    (0..glued.len())
        .map(|i| {
            let (prev, next) = (text(i.checked_sub(1)), text(Some(i + 1)));
            let (raw, line, t) = &glued[i];
            let keep = !matches!(raw, Raw::Ident(_))
                || KEYWORDS.contains(&t.as_str())
                || next == "!"
                || prev == "::"
                || next == "::"
                || (prev == "." && next == "(");
            (if keep { t.clone() } else { "$i".to_owned() }, *line)
        })
        .collect()
}

/// A file's fingerprints: hash → the lines (first, last) of its first k-gram.
pub type Prints = BTreeMap<u64, (usize, usize)>;

/// Winnows `tokens` (see the module documentation).
pub fn fingerprints(tokens: &[Token]) -> Prints {
    let grams: Vec<(u64, (usize, usize))> = tokens
        .windows(K)
        .map(|g| {
            let mut h = crate::submission::Fnv::default();
            for (t, _) in g {
                h.write(t.as_bytes());
                h.write(&[0]);
            }
            (h.0, (g[0].1, g[K - 1].1))
        })
        .collect();
    let mut prints = Prints::new();
    let mut last = usize::MAX;
    let w = W.min(grams.len());
    if w == 0 {
        return prints;
    }
    for start in 0..=grams.len() - w {
        let mut best = start;
        for i in start..start + w {
            if grams[i].0 <= grams[best].0 {
                best = i;
            }
        }
        if best != last {
            prints.entry(grams[best].0).or_insert(grams[best].1);
            last = best;
        }
    }
    prints
}

/// Two students alike in one task file.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// One student (the first in id order).
    pub a: String,
    /// The other.
    pub b: String,
    /// `lab2`.
    pub lab: String,
    /// The task file, from the workspace root: `labs/lab2-threads/src/counters.rs`.
    pub file: String,
    /// Shared fingerprints / the smaller set, 0 to 1.
    pub score: f64,
    /// The matching fragments, longest first.
    pub fragments: Vec<Fragment>,
}

/// A run of matching code: the same fragment in both files.
#[derive(Debug, Clone, PartialEq)]
pub struct Fragment {
    /// Lines (first, last) in `a`'s file.
    pub a_lines: (usize, usize),
    /// Lines (first, last) in `b`'s file.
    pub b_lines: (usize, usize),
    /// Those lines of `a`'s file (at most 30).
    pub a_text: String,
    /// Those lines of `b`'s file (at most 30).
    pub b_text: String,
}

/// Every student's task files: id → (path from the workspace root → text).
pub type ClassFiles = BTreeMap<String, BTreeMap<String, String>>;

/// The pairs of students whose task files of `labs` score at least `threshold`, highest
/// first. `root` holds the skeletons (`labs/`) and, in the instructor's workspace, the
/// reference solutions: the fingerprints of both are discounted.
pub fn compare(root: &Path, labs: &[&Lab], class: &ClassFiles, threshold: f64) -> Vec<Pair> {
    let prints_of = |text: &str| -> BTreeSet<u64> {
        tokens(text)
            .map(|t| fingerprints(&t).into_keys().collect())
            .unwrap_or_default()
    };
    let mut pairs = Vec::new();
    for lab in labs {
        for file in lab.student_files() {
            let path = format!("{}/{file}", lab.dir);
            let skeleton = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
            let reference =
                std::fs::read_to_string(root.join(&lab.solution).join(file)).unwrap_or_default();
            let mut given = prints_of(&skeleton);
            given.extend(prints_of(&reference));
            let own: Vec<(&String, &String, Prints)> = class
                .iter()
                .filter_map(|(id, files)| {
                    let text = files.get(&path)?;
                    if text.trim() == skeleton.trim() {
                        return None;
                    }
                    let mut prints = fingerprints(&tokens(text)?);
                    prints.retain(|h, _| !given.contains(h));
                    (prints.len() >= MIN_PRINTS).then_some((id, text, prints))
                })
                .collect();
            for (i, (a, a_text, pa)) in own.iter().enumerate() {
                for (b, b_text, pb) in &own[i + 1..] {
                    let shared: Vec<u64> =
                        pa.keys().filter(|h| pb.contains_key(h)).copied().collect();
                    let score = shared.len() as f64 / pa.len().min(pb.len()) as f64;
                    if score + 1e-9 < threshold {
                        continue;
                    }
                    let ranges: Vec<_> = shared.iter().map(|h| (pa[h], pb[h])).collect();
                    pairs.push(Pair {
                        a: (*a).clone(),
                        b: (*b).clone(),
                        lab: lab.id.clone(),
                        file: path.clone(),
                        score: (score * 100.0).round() / 100.0,
                        fragments: fragments(ranges, a_text, b_text),
                    });
                }
            }
        }
    }
    pairs.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then_with(|| (&x.a, &x.b, &x.file).cmp(&(&y.a, &y.b, &y.file)))
    });
    pairs
}

type Range = (usize, usize);

/// Merges the shared k-grams' line ranges into fragments (runs close in both files).
fn fragments(mut ranges: Vec<(Range, Range)>, a_text: &str, b_text: &str) -> Vec<Fragment> {
    ranges.sort();
    let mut merged: Vec<(Range, Range)> = Vec::new();
    for (ra, rb) in ranges {
        if let Some((ma, mb)) = merged.last_mut()
            && ra.0 <= ma.1 + 1
            && rb.0 <= mb.1 + 1
            && rb.1 + 1 >= mb.0
        {
            ma.1 = ma.1.max(ra.1);
            mb.0 = mb.0.min(rb.0);
            mb.1 = mb.1.max(rb.1);
            continue;
        }
        merged.push((ra, rb));
    }
    merged.sort_by_key(|(ra, _)| std::cmp::Reverse(ra.1 - ra.0));
    merged
        .into_iter()
        .take(FRAGMENTS)
        .map(|(a_lines, b_lines)| Fragment {
            a_lines,
            b_lines,
            a_text: lines(a_text, a_lines),
            b_text: lines(b_text, b_lines),
        })
        .collect()
}

/// Lines `first..=last` (1-based) of `text`, at most [`FRAGMENT_LINES`].
fn lines(text: &str, (first, last): Range) -> String {
    let n = (last + 1 - first).min(FRAGMENT_LINES);
    let mut out: String = text
        .lines()
        .skip(first.saturating_sub(1))
        .take(n)
        .map(|l| format!("{l}\n"))
        .collect();
    if last + 1 - first > n {
        out.push_str("…\n");
    }
    out
}

/// Writes `similarity.csv` (student_a, student_b, lab, file, score; highest first).
pub fn write_csv(out: &Path, pairs: &[Pair]) -> anyhow::Result<()> {
    let mut csv = csv_row(&["student_a", "student_b", "lab", "file", "score"].map(String::from));
    for p in pairs {
        csv.push_str(&csv_row(&[
            p.a.clone(),
            p.b.clone(),
            p.lab.clone(),
            p.file.clone(),
            format!("{:.2}", p.score),
        ]));
    }
    write_atomic(&out.join("similarity.csv"), csv.as_bytes())
}

/// The similarity of two texts (no skeleton), for tests and for trying the method by hand.
pub fn score(a: &str, b: &str) -> Option<f64> {
    let pa = fingerprints(&tokens(a)?);
    let pb = fingerprints(&tokens(b)?);
    let smaller = pa.len().min(pb.len());
    (smaller > 0).then(|| pa.keys().filter(|h| pb.contains_key(h)).count() as f64 / smaller as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renaming_reformatting_and_comments_change_no_token() {
        let a = "fn add(x: u64, y: u64) -> u64 {\n    // sum\n    x + y\n}\n";
        let b =
            "/// Adds.\nfn plus(first: u64, second: u64) -> u64 { /* the total */ first + second }";
        assert_eq!(
            tokens(a)
                .unwrap()
                .into_iter()
                .map(|t| t.0)
                .collect::<Vec<_>>(),
            tokens(b)
                .unwrap()
                .into_iter()
                .map(|t| t.0)
                .collect::<Vec<_>>()
        );
        assert_eq!(tokens(a).unwrap()[0], ("fn".to_owned(), 1));
        assert!(tokens("fn f() { \"unterminated }").is_none());
    }

    #[test]
    fn winnowing_keeps_a_fingerprint_of_every_long_shared_run() {
        let code = "fn f(v: &[u64]) -> u64 { let mut s = 0; for x in v { s += x * 2; } s }";
        let prints = fingerprints(&tokens(code).unwrap());
        assert!(!prints.is_empty());
        assert_eq!(score(code, code), Some(1.0));
        let other = "struct S; impl S { pub fn new() -> S { S } pub fn g(&self) -> bool { true } }";
        assert!(score(code, other).unwrap() < 0.2);
    }
}

#[cfg(test)]
mod fixture_tests {
    use super::*;

    /// The fixtures that earn full marks are other correct ways to write a piece of the
    /// solution: each is compared with the piece it replaces.
    #[test]
    fn correct_alternatives_are_not_paired_with_the_solution() {
        let (root, course) = crate::test_course();
        let mut compared = Vec::new();
        for lab in &course.labs {
            for f in crate::fixtures::load(&root, lab).unwrap() {
                if f.verdict != "full" {
                    continue;
                }
                if let Some(s) = score(&f.replace, &f.with) {
                    compared.push((f.name.clone(), s));
                }
            }
        }
        assert!(compared.len() >= 10, "{compared:?}");
        let flagged: Vec<_> = compared
            .iter()
            .filter(|(_, s)| *s >= DEFAULT_THRESHOLD)
            .collect();
        assert!(flagged.is_empty(), "{flagged:?}");
    }
}
