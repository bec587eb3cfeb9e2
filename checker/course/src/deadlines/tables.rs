//! The instructor's CSV files beside the submissions: `submitted.csv`, and the table reader
//! the roster shares.

use super::{MAX_CSV_BYTES, Submitted};
use anyhow::Context;
use jiff::Timestamp;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Reads `submitted.csv`: a header row naming `student` and `submitted_at` (other columns
/// are ignored), one row per student. A cell that is not a date makes that student's
/// lateness unknown; a student named twice keeps the later date.
pub fn read_submitted(path: &Path) -> anyhow::Result<BTreeMap<String, Submitted>> {
    let rows = read_table(path, &["student", "submitted_at"], &[])?;
    let mut out: BTreeMap<String, Submitted> = BTreeMap::new();
    for row in rows {
        let (id, text) = (row[0].clone(), row[1].clone());
        if id.is_empty() {
            continue;
        }
        let at = text.parse::<Timestamp>().ok();
        let keep = match out.get(&id) {
            Some(Submitted { at: Some(old), .. }) => at.is_some_and(|a| a > *old),
            _ => true,
        };
        if keep {
            out.insert(id, Submitted { at, text });
        }
    }
    Ok(out)
}

/// Reads a CSV file with a header row and returns, per row, the cells of the `required`
/// then the `optional` columns (found by name, in any order, any case; an absent optional
/// column gives empty cells), trimmed. Cells are data: nothing is evaluated.
pub fn read_table(
    path: &Path,
    required: &[&str],
    optional: &[&str],
) -> anyhow::Result<Vec<Vec<String>>> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    anyhow::ensure!(
        meta.is_file() && meta.len() <= MAX_CSV_BYTES,
        "{} is not a file of at most {} MiB",
        path.display(),
        MAX_CSV_BYTES >> 20
    );
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .with_context(|| format!("{} has no readable header row", path.display()))?
        .clone();
    let find = |c: &&str| headers.iter().position(|h| h.eq_ignore_ascii_case(c));
    let index: Vec<Option<usize>> = required.iter().chain(optional).map(find).collect();
    anyhow::ensure!(
        index[..required.len()].iter().all(Option::is_some),
        "{}: the header row must name the columns {} (it has {:?}): fix the file's first line",
        path.display(),
        required.join(","),
        headers.iter().collect::<Vec<_>>()
    );
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record
            .with_context(|| format!("{}: row {} cannot be read as CSV", path.display(), n + 2))?;
        rows.push(
            index
                .iter()
                .map(|i| i.and_then(|i| record.get(i)).unwrap_or("").to_owned())
                .collect(),
        );
    }
    Ok(rows)
}

/// The path of a file the instructor keeps in the submissions folder, if it is there.
pub fn beside(submissions: &Path, name: &str) -> Option<PathBuf> {
    let p = submissions.join(name);
    p.is_file().then_some(p)
}
