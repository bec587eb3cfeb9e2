//! Two students of a generated class whose task 2.3 is one text: the first wrote it (in
//! their own way, not the solution's), the second copied it, renamed the variables,
//! reformatted it and rewrote the comments. The similarity report must pair them; their
//! written answers to task 2.2 say the same in other words.

use super::{Files, write_folder};
use std::path::Path;

/// The first student's `src/parallel.rs`: correct, and unlike the solution.
const ORIGINAL: &str = r#"//! Task 2.3 — my version: chunks first, then one scoped thread per chunk.

use std::ops::Range;

/// Task 2.3: the chunks.
pub fn split(range: Range<u64>, parts: usize) -> Vec<Range<u64>> {
    assert!(parts > 0, "cannot split into zero parts");
    let total = range.end.saturating_sub(range.start);
    let size = total / parts as u64;
    let rest = total % parts as u64;
    let mut chunks = Vec::with_capacity(parts);
    let mut from = range.start;
    for index in 0..parts as u64 {
        // The first `rest` chunks take one more number.
        let mut to = from + size;
        if index < rest {
            to += 1;
        }
        chunks.push(from..to);
        from = to;
    }
    chunks
}

/// Task 2.3: one thread per chunk, all started before any is joined.
pub fn parallel_sum<F>(range: Range<u64>, threads: usize, work: F) -> u64
where
    F: Fn(Range<u64>) -> u64 + Sync,
{
    let chunks = split(range, threads);
    let work = &work;
    let mut total = 0;
    std::thread::scope(|scope| {
        let mut running = Vec::new();
        for chunk in chunks {
            running.push(scope.spawn(move || work(chunk)));
        }
        // Join in order; a panicking chunk panics here too.
        for handle in running {
            match handle.join() {
                Ok(part) => total += part,
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    total
}
"#;

/// What the second student renamed.
const RENAMED: &[(&str, &str)] = &[
    ("total", "length"),
    ("size", "step"),
    ("rest", "leftover"),
    ("chunks", "pieces"),
    ("from", "lo"),
    ("to", "hi"),
    ("index", "k"),
    ("running", "handles"),
    ("handle", "h"),
    ("part", "partial"),
    ("chunk", "piece"),
];

/// The two texts: the original and the disguised copy.
pub fn pair() -> (String, String) {
    let mut copy = String::from("//! Lab 2, task 2.3 (parallel sum).\n");
    for line in ORIGINAL.lines().skip(1) {
        let t = line.trim_start();
        if t.starts_with("//") {
            // Comments rewritten.
            if !t.starts_with("//!") {
                copy.push_str("  // see the chapter\n");
            }
            continue;
        }
        // Reformatted: two-space indents, a blank line after every statement block.
        let depth = (line.len() - t.len()) / 4;
        copy.push_str(&"  ".repeat(depth));
        copy.push_str(&rename(t));
        copy.push('\n');
        if t == "}" {
            copy.push('\n');
        }
    }
    (ORIGINAL.to_owned(), copy)
}

/// `text` with every identifier of [`RENAMED`] renamed (whole words only).
fn rename(text: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let to = RENAMED
            .iter()
            .find(|(f, _)| *f == word.as_str())
            .map_or(word.as_str(), |(_, t)| t);
        out.push_str(to);
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The answers to task 2.2, the second reworded.
const ANSWERS: [&str; 2] = [
    "/// RacyCounter only does atomic loads and stores, so no access is undefined: no data\n\
     /// race. But load-then-store lets two threads read the same value and both write\n\
     /// value + 1, so an increment is lost: a race condition.",
    "/// Since RacyCounter uses atomic loads and stores only, nothing is undefined and there is\n\
     /// no data race. Still, two threads may load the same value and each store value + 1,\n\
     /// losing an increment: that is a race condition.",
];

/// Writes student `id` (the copy when `copy`) into `out`: the solution, with task 2.3 and
/// the answer of task 2.2 their own; returns what it is.
pub fn write(out: &Path, id: &str, copy: bool, solved: &Files) -> anyhow::Result<String> {
    let (original, copied) = pair();
    let mut files = solved.clone();
    files.insert(
        "labs/lab2-threads/src/parallel.rs".into(),
        if copy { copied } else { original }.into_bytes(),
    );
    let counters = "labs/lab2-threads/src/counters.rs";
    if let Some(text) = files
        .get(counters)
        .map(|b| String::from_utf8_lossy(b).into_owned())
    {
        let at = text
            .find("#[derive(Debug, Default)]\npub struct AtomicCounter")
            .unwrap_or(0);
        let start = text[..at].rfind("/// A counter whose").unwrap_or(at);
        let answer = format!(
            "/// A counter whose increments are single atomic instructions.\n///\n{}\n",
            ANSWERS[usize::from(copy)]
        );
        let text = format!("{}{answer}{}", &text[..start], &text[at..]);
        files.insert(counters.into(), text.into_bytes());
    }
    write_folder(&out.join(id), &files)?;
    Ok(if copy {
        "near copy of the one before: task 2.3 renamed, reformatted, comments rewritten"
    } else {
        "own task 2.3 (copied by the next student)"
    }
    .to_owned())
}
