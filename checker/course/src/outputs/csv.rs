//! CSV cells a spreadsheet shows as text, never runs.

/// A cell a spreadsheet shows as text: one starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading `'` (the OWASP convention against CSV injection). The
/// quoting is [`csv_field`]'s, or the `csv` crate's.
pub fn formula_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// One line of CSV (RFC 4180), every cell through [`csv_field`].
pub fn csv_row(cells: &[String]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
    format!("{}\n", cells.join(","))
}

/// A CSV cell that a spreadsheet shows as text, never runs: a cell starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return would be read as a formula (CSV injection), so it
/// gets a leading `'` (the OWASP convention); a cell holding a comma, a quote, a line break
/// or edge spaces is quoted, its quotes doubled.
pub fn csv_field(s: &str) -> String {
    let s = formula_safe(s);
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}
