//! Aligned text tables for the demos. Columns whose cells all look like numbers are
//! right-aligned so that figures line up by magnitude.

use std::fmt;

/// A table: a header row and body rows of text cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headings.
    pub fn new<S: ToString>(header: impl IntoIterator<Item = S>) -> Table {
        Table {
            header: header.into_iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// A table whose column headings are written in both languages, `(english, russian)`:
    /// it shows those of the current language.
    pub fn headed<'a>(header: impl IntoIterator<Item = (&'a str, &'a str)>) -> Table {
        let lang = crate::lang::Lang::current();
        Table::new(header.into_iter().map(|(en, ru)| lang.pick(en, ru)))
    }

    /// Appends a row (missing cells print empty, extra cells are kept).
    pub fn row<S: ToString>(&mut self, cells: impl IntoIterator<Item = S>) -> &mut Table {
        self.rows
            .push(cells.into_iter().map(|c| c.to_string()).collect());
        self
    }

    /// Number of body rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// `true` if the table has no body rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

fn numeric(cell: &str) -> bool {
    cell.chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '+' || c == '×')
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let columns = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.header.len()])
            .max()
            .unwrap_or(0);
        let cell = |row: &[String], c: usize| row.get(c).cloned().unwrap_or_default();
        let width: Vec<usize> = (0..columns)
            .map(|c| {
                std::iter::once(&self.header)
                    .chain(&self.rows)
                    .map(|r| cell(r, c).chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let right: Vec<bool> = (0..columns)
            .map(|c| !self.rows.is_empty() && self.rows.iter().all(|r| numeric(&cell(r, c))))
            .collect();
        let line = |f: &mut fmt::Formatter<'_>, row: &[String]| -> fmt::Result {
            let mut out = String::from(" ");
            for c in 0..columns {
                let text = cell(row, c);
                let pad = " ".repeat(width[c] - text.chars().count());
                if right[c] {
                    out.push_str(&format!(" {pad}{text} "))
                } else {
                    out.push_str(&format!(" {text}{pad} "))
                }
            }
            writeln!(f, "{}", out.trim_end())
        };
        line(f, &self.header)?;
        let rule: usize = width.iter().map(|w| w + 2).sum();
        writeln!(f, "  {}", "─".repeat(rule.saturating_sub(2)))?;
        for row in &self.rows {
            line(f, row)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_text_left_and_numbers_right() {
        let mut t = Table::new(["name", "ms"]);
        t.row(["fib", "5"]).row(["downloads", "1000"]);
        assert_eq!(
            t.to_string(),
            "  name         ms\n  ───────────────\n  fib           5\n  downloads  1000\n"
        );
    }
}
