//! The report's section on similar task files: one row per pair of students (how many of
//! their files are alike, the highest score), then each pair's files with the matching
//! fragments side by side, folded (`<details>`: no script).

use super::Extras;
use crate::html::esc;
use crate::similarity::Pair;
use crate::t;
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
        "<h2 id=\"similarity\">{}</h2>\n<p class=\"note\">{}</p>",
        t!("similar-title"),
        t!(
            "similar-note",
            percent = format!("{:.0}", x.threshold * 100.0)
        )
    );
    if x.pairs.is_empty() {
        let _ = writeln!(b, "<p>{}</p>", t!("similar-none"));
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
        "<div class=\"scroll\"><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>\
         </tr></thead><tbody>",
        t!("class-col-students"),
        t!("similar-col-alike"),
        t!("similar-col-highest"),
        t!("similar-col-files")
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
                format!(" {}", t!("similar-and-more", count = more))
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(b, "</tbody></table></div>");
    if rows.len() > STUDENT_PAIRS {
        let _ = writeln!(
            b,
            "<p class=\"note\">{}</p>",
            t!("similar-more-pairs", count = rows.len() - STUDENT_PAIRS)
        );
    }
    for ((a, c), files) in rows.iter().take(STUDENT_PAIRS) {
        let _ = writeln!(
            b,
            "<details><summary>{} · {}: {}</summary>",
            esc(a),
            esc(c),
            t!("similar-fragments")
        );
        for p in files.iter().take(FILES_SHOWN) {
            let _ = writeln!(b, "<h3><code>{}</code> ({:.2})</h3>", esc(&p.file), p.score);
            for f in &p.fragments {
                let _ = writeln!(
                    b,
                    "<div class=\"pair\"><div><p class=\"note\">{}</p><pre><code>{}</code></pre></div>\
                     <div><p class=\"note\">{}</p><pre><code>{}</code></pre></div></div>",
                    t!(
                        "similar-lines",
                        student = esc(a),
                        from = f.a_lines.0,
                        to = f.a_lines.1
                    ),
                    esc(&f.a_text),
                    t!(
                        "similar-lines",
                        student = esc(c),
                        from = f.b_lines.0,
                        to = f.b_lines.1
                    ),
                    esc(&f.b_text)
                );
            }
        }
        if files.len() > FILES_SHOWN {
            let _ = writeln!(
                b,
                "<p class=\"note\">{}</p>",
                t!("similar-more-files", count = files.len() - FILES_SHOWN)
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
