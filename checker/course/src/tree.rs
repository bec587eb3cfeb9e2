//! Copies of the workspace that cargo can rebuild cheaply.
//!
//! The self-test and the grader build many variants of the same workspace (a fixture, a
//! student's files). Each variant is written into one scratch folder by [`sync`], which
//! writes only the files whose content differs. Cargo decides what to rebuild from file
//! times, so an untouched crate keeps its compiled artifacts: a variant costs the rebuild of
//! the one lab it changes, not of tokio.

use anyhow::Context;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Folders never copied: build output, version control, the built book, grading output.
pub const SKIP: &[&str] = &["target", ".git", "book", "grades"];

/// Every file below `root` (relative paths), skipping [`SKIP`] folders and symlinks.
pub fn files(root: &Path) -> anyhow::Result<BTreeSet<PathBuf>> {
    let mut out = BTreeSet::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = root.join(&rel);
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?
        {
            let entry = entry?;
            let name = entry.file_name();
            let kind = entry.file_type()?;
            let path = rel.join(&name);
            if kind.is_dir() {
                if !SKIP.iter().any(|s| name == *s) {
                    stack.push(path);
                }
            } else if kind.is_file() {
                out.insert(path);
            }
        }
    }
    Ok(out)
}

/// Makes `dst` hold exactly the files of `src` (minus [`SKIP`]), with `overlay` (relative
/// path → content) written over them. Writes only what differs; removes what `src` lacks.
/// Returns how many files were written.
pub fn sync(src: &Path, dst: &Path, overlay: &BTreeMap<PathBuf, Vec<u8>>) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dst).with_context(|| format!("cannot create {}", dst.display()))?;
    let wanted = files(src)?;
    let mut written = 0;
    for rel in wanted.iter().chain(overlay.keys()) {
        let content = match overlay.get(rel) {
            Some(c) => c.clone(),
            None => std::fs::read(src.join(rel))
                .with_context(|| format!("cannot read {}", src.join(rel).display()))?,
        };
        let target = dst.join(rel);
        if std::fs::read(&target).ok().as_deref() == Some(content.as_slice()) {
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, &content)
            .with_context(|| format!("cannot write {}", target.display()))?;
        written += 1;
    }
    for rel in files(dst)? {
        if !wanted.contains(&rel) && !overlay.contains_key(&rel) {
            std::fs::remove_file(dst.join(&rel))?;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_writes_only_what_differs_and_removes_extras() {
        let base = std::env::temp_dir().join(format!("course-tree-test-{}", std::process::id()));
        let (src, dst) = (base.join("src"), base.join("dst"));
        std::fs::create_dir_all(src.join("a/target")).unwrap();
        std::fs::write(src.join("a/x.rs"), "x").unwrap();
        std::fs::write(src.join("a/target/big"), "skip me").unwrap();
        std::fs::write(src.join("y.rs"), "y").unwrap();
        let mut overlay = BTreeMap::new();
        overlay.insert(PathBuf::from("y.rs"), b"Y".to_vec());
        assert_eq!(sync(&src, &dst, &overlay).unwrap(), 2);
        assert_eq!(std::fs::read_to_string(dst.join("y.rs")).unwrap(), "Y");
        assert!(!dst.join("a/target/big").exists());
        assert_eq!(
            sync(&src, &dst, &overlay).unwrap(),
            0,
            "nothing changed: nothing written"
        );
        std::fs::write(dst.join("stale.rs"), "old").unwrap();
        assert_eq!(
            sync(&src, &dst, &BTreeMap::new()).unwrap(),
            1,
            "y.rs goes back to the original"
        );
        assert!(!dst.join("stale.rs").exists());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
