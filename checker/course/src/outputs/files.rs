//! The output folder's files: written atomically, a student's results read back, shards
//! merged.

use super::{StudentResult, Summary, feedback, write_gradebook};
use anyhow::Context;
use model::course::{Course, Lab};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Writes `content` to `path` atomically (a temporary file in the same folder, renamed).
pub fn write_atomic(path: &Path, content: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().context("no parent folder")?;
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        f.write_all(content)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path).with_context(|| format!("cannot rename to {}", path.display()))?;
    Ok(())
}

/// The folder of one student's results.
pub fn student_dir(out: &Path, id: &str) -> PathBuf {
    out.join("students").join(id)
}

/// Writes one student's feedback then results (results last: it marks the student done).
pub fn write_student(out: &Path, course: &Course, r: &StudentResult) -> anyhow::Result<()> {
    let dir = student_dir(out, &r.extra_data.student);
    write_atomic(&dir.join("feedback.md"), feedback(course, r).as_bytes())?;
    write_atomic(
        &dir.join("results.json"),
        serde_json::to_string_pretty(r)?.as_bytes(),
    )?;
    Ok(())
}

/// A finished student's result, if there is one.
pub fn read_student(out: &Path, id: &str) -> Option<StudentResult> {
    let text = std::fs::read_to_string(student_dir(out, id).join("results.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// Every finished student's result, by id.
pub fn read_all(out: &Path) -> BTreeMap<String, StudentResult> {
    let mut all = BTreeMap::new();
    if let Ok(dir) = std::fs::read_dir(out.join("students")) {
        for e in dir.flatten() {
            let id = e.file_name().to_string_lossy().into_owned();
            if let Some(r) = read_student(out, &id) {
                all.insert(id, r);
            }
        }
    }
    all
}

/// Copies every student folder of `shards` into `out` (a student may appear in one shard
/// only, or identically in several), then writes the gradebook.
pub fn merge(
    out: &Path,
    shards: &[PathBuf],
    course: &Course,
    labs: &[&Lab],
    roster: Option<&Path>,
) -> anyhow::Result<(Summary, String)> {
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    for shard in shards {
        for (id, r) in read_all(shard) {
            if let Some(first) = seen.get(&id) {
                let earlier = read_student(first, &id);
                if earlier.as_ref() != Some(&r) {
                    anyhow::bail!(
                        "student {id} has different results in {} and {}: re-grade them in one shard",
                        first.display(),
                        shard.display()
                    );
                }
                continue;
            }
            let from = student_dir(shard, &id);
            for file in ["feedback.md", "results.json"] {
                let bytes = std::fs::read(from.join(file))
                    .with_context(|| format!("cannot read {}", from.join(file).display()))?;
                write_atomic(&student_dir(out, &id).join(file), &bytes)?;
            }
            seen.insert(id, shard.clone());
        }
    }
    write_gradebook(out, course, labs, roster)
}
