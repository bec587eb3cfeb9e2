//! The report's section on similar task files: one row per pair of students (how many of
//! their files are alike, the highest score), then each pair's files with the matching
//! fragments side by side, folded (`<details>`: no script).

use super::Extras;
use crate::html::esc;
use crate::similarity::Pair;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Pairs of students listed (all pairs of files are in similarity.csv).
const STUDENT_PAIRS: usize = 40;
/// Files whose fragments are shown per pair of students.
const FILES_SHOWN: usize = 3;

/// The section (also the body of similarity.html).
pub fn similarity_section(x: &Extras) -> String {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h2 id=\"similarity\">Similar task files</h2>\n<p class=\"note\">Pairs of students \
         whose task files share at least {:.0} % of their own fingerprints (tokens with names \
         and literals blanked, the skeleton's code removed; see the instructor's guide). A \
         reason to read both submissions, never proof: a short task with one natural solution \
         makes honest students alike. Every pair of files: <code>similarity.csv</code>.</p>",
        x.threshold * 100.0
    );
    if x.pairs.is_empty() {
        let _ = writeln!(b, "<p>No pair at or above the threshold.</p>");
        return b;
    }
    // Per pair of students, their files: most files alike first, then the highest score.
    let mut by_students: BTreeMap<(&str, &str), Vec<&Pair>> = BTreeMap::new();
    for p in x.pairs {
        by_students.entry((&p.a, &p.b)).or_default().push(p);
    }
    let mut rows: Vec<_> = by_students.into_iter().collect();
    let top = |v: &[&Pair]| v.iter().map(|p| p.score).fold(0.0, f64::max);
    rows.sort_by(|x, y| {
        y.1.len()
            .cmp(&x.1.len())
            .then_with(|| top(&y.1).total_cmp(&top(&x.1)))
            .then_with(|| x.0.cmp(&y.0))
    });
    let _ = writeln!(
        b,
        "<div class=\"scroll\"><table><thead><tr><th>students</th><th>files alike</th>\
         <th>highest</th><th>files</th></tr></thead><tbody>"
    );
    for ((a, c), files) in rows.iter().take(STUDENT_PAIRS) {
        let names: Vec<String> = files
            .iter()
            .take(6)
            .map(|p| format!("{} {:.2}", short(&p.file), p.score))
            .collect();
        let more = files.len().saturating_sub(6);
        let _ = writeln!(
            b,
            "<tr><td>{} · {}</td><td class=\"n\">{}</td><td class=\"n\">{:.2}</td><td class=\"msg\">{}{}</td></tr>",
            esc(a),
            esc(c),
            files.len(),
            top(files),
            esc(&names.join(", ")),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(b, "</tbody></table></div>");
    if rows.len() > STUDENT_PAIRS {
        let _ = writeln!(
            b,
            "<p class=\"note\">{} more pairs of students in similarity.csv.</p>",
            rows.len() - STUDENT_PAIRS
        );
    }
    for ((a, c), files) in rows.iter().take(STUDENT_PAIRS) {
        let _ = writeln!(
            b,
            "<details><summary>{} · {}: the matching fragments</summary>",
            esc(a),
            esc(c)
        );
        for p in files.iter().take(FILES_SHOWN) {
            let _ = writeln!(b, "<h3><code>{}</code> ({:.2})</h3>", esc(&p.file), p.score);
            for f in &p.fragments {
                let _ = writeln!(
                    b,
                    "<div class=\"pair\"><div><p class=\"note\">{} lines {}–{}</p><pre><code>{}</code></pre></div>\
                     <div><p class=\"note\">{} lines {}–{}</p><pre><code>{}</code></pre></div></div>",
                    esc(a),
                    f.a_lines.0,
                    f.a_lines.1,
                    esc(&f.a_text),
                    esc(c),
                    f.b_lines.0,
                    f.b_lines.1,
                    esc(&f.b_text)
                );
            }
        }
        if files.len() > FILES_SHOWN {
            let _ = writeln!(
                b,
                "<p class=\"note\">{} more files in similarity.csv.</p>",
                files.len() - FILES_SHOWN
            );
        }
        let _ = writeln!(b, "</details>");
    }
    b
}

/// `labs/lab2-threads/src/counters.rs` → `lab2-threads/counters.rs`.
fn short(file: &str) -> String {
    let f = file.strip_prefix("labs/").unwrap_or(file);
    f.replacen("/src/", "/", 1)
}
