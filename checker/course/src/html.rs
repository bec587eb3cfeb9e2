//! The pieces of the class report's page: escaping and inline SVG charts (no script, no
//! external file, no plotting library: a chart is a few rectangles and labels).

use std::fmt::Write as _;

/// `s` as HTML text or attribute value: `& < > " '` as entities. Everything a student
/// controls (ids, messages, file fragments) goes through it.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    out
}

/// Pushes `c` onto `out`, as an entity if it is one of `& < > " '`.
pub fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        _ => out.push(c),
    }
}

/// The first line of `s` that says something, cut to `max` characters (with `…`): a
/// panic's `thread '…' panicked at file:line:` is where, not what, and is skipped.
pub fn first_line(s: &str, max: usize) -> String {
    let line = s
        .lines()
        .map(str::trim)
        .find(|l| !(l.is_empty() || is_panic_location(l)))
        .unwrap_or("");
    cut(line, max)
}

/// `thread 'check 1.2' (4) panicked at checker/tests/lab1.rs:146:13:`
fn is_panic_location(line: &str) -> bool {
    line.starts_with("thread '") && line.contains(" panicked at ")
}

/// `s` cut to `max` characters (with `…`).
pub fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut c: String = s.chars().take(max.saturating_sub(1)).collect();
        c.push('…');
        c
    }
}

/// One bar of a chart.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Its label (escaped here).
    pub label: String,
    /// Its length, from 0 to the chart's maximum.
    pub value: f64,
    /// The number written after the bar (escaped here).
    pub note: String,
}

/// The SVG frame: scales to the column's width (`viewBox`), with a title for screen readers.
fn svg(width: u32, height: u32, title: &str, body: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         width=\"100%\" role=\"img\" aria-label=\"{t}\" class=\"chart\"><title>{t}</title>{body}</svg>",
        t = esc(title)
    )
}

/// Horizontal bars, each under its label (long labels fit a phone's width this way).
pub fn hbars(title: &str, bars: &[Bar], max: f64) -> String {
    const WIDTH: u32 = 420;
    const ROW: u32 = 36;
    let room = f64::from(WIDTH - 56);
    let mut body = String::new();
    for (i, b) in bars.iter().enumerate() {
        let y = i as u32 * ROW;
        let len = if max > 0.0 {
            (b.value / max).clamp(0.0, 1.0) * room
        } else {
            0.0
        };
        let _ = write!(
            body,
            "<text x=\"0\" y=\"{}\" class=\"label\">{}</text>\
             <rect x=\"0\" y=\"{}\" width=\"{room:.0}\" height=\"12\" class=\"track\"/>\
             <rect x=\"0\" y=\"{}\" width=\"{len:.1}\" height=\"12\" class=\"bar\"/>\
             <text x=\"{}\" y=\"{}\" class=\"note\">{}</text>",
            y + 13,
            esc(&cut(&b.label, 50)),
            y + 18,
            y + 18,
            room + 5.0,
            y + 28,
            esc(&b.note)
        );
    }
    let height = (bars.len() as u32 * ROW).max(ROW);
    svg(WIDTH, height, title, &body)
}

/// Vertical columns (a histogram): label under each column, count above it.
pub fn columns(title: &str, bars: &[Bar]) -> String {
    const WIDTH: u32 = 420;
    const HEIGHT: u32 = 180;
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let slot = f64::from(WIDTH) / bars.len().max(1) as f64;
    let room = f64::from(HEIGHT - 50);
    let mut body = String::new();
    for (i, b) in bars.iter().enumerate() {
        let h = if max > 0.0 { b.value / max * room } else { 0.0 };
        let x = i as f64 * slot;
        let top = 20.0 + room - h;
        let _ = write!(
            body,
            "<rect x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{h:.1}\" class=\"bar\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" class=\"note\" text-anchor=\"middle\">{}</text>\
             <text x=\"{:.1}\" y=\"{}\" class=\"axis\" text-anchor=\"middle\">{}</text>",
            x + 3.0,
            slot - 6.0,
            x + slot / 2.0,
            top - 5.0,
            esc(&b.note),
            x + slot / 2.0,
            HEIGHT - 12,
            esc(&b.label)
        );
    }
    let _ = write!(
        body,
        "<line x1=\"0\" y1=\"{y}\" x2=\"{WIDTH}\" y2=\"{y}\" class=\"base\"/>",
        y = 20.0 + room
    );
    svg(WIDTH, HEIGHT, title, &body)
}

/// The page's style: one column, readable at 390 px and 1280 px; wide tables and code scroll
/// inside their own box.
pub const STYLE: &str = "
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d2330;background:#fff}
main{max-width:960px;margin:0 auto;padding:1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d8dde6}
.chart{display:block;width:100%;max-width:560px;height:auto}
.chart .label{font-size:13px;fill:#1d2330}.chart .note{font-size:12px;fill:#3a4356}
.chart .axis{font-size:10px;fill:#3a4356}.chart .bar{fill:#3b6fd6}.chart .track{fill:#eef1f6}
.chart .base{stroke:#8892a6}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:14px}
th,td{border:1px solid #d8dde6;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.msg{overflow-wrap:anywhere;min-width:14rem;max-width:32rem}
td:first-child{min-width:9rem}td code{overflow-wrap:anywhere}
.pair{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:.5rem;margin:.5rem 0 1rem}
pre{background:#f6f8fa;padding:.5rem;margin:0;overflow-x:auto;font-size:12px;max-width:100%}
.pair pre{white-space:pre-wrap;overflow-wrap:anywhere}
.st{padding:0 .3rem;border-radius:3px;background:#eef1f6}
.st.rejected,.st.grader_error{background:#fbe3e3}
.note{color:#3a4356}
@media (max-width:700px){.pair{grid-template-columns:minmax(0,1fr)}}
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_no_markup() {
        assert_eq!(
            esc("<script>\"x\"&'y'</svg>"),
            "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/svg&gt;"
        );
        assert_eq!(first_line("\n  hello\nworld", 3), "he…");
        assert_eq!(
            first_line(
                "thread 'check 1.2' (4) panicked at a.rs:1:2:\nassertion failed",
                40
            ),
            "assertion failed"
        );
        let chart = hbars(
            "t",
            &[Bar {
                label: "</svg><script>".into(),
                value: 1.0,
                note: "1".into(),
            }],
            2.0,
        );
        assert!(!chart.contains("<script>") && chart.matches("</svg>").count() == 1);
    }
}
