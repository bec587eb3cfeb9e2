//! The collector: every path of an entry passes its checks, and it keeps the candidate
//! student files until the workspace's root is known.

use crate::t;
use std::collections::BTreeMap;
use std::io::Read;

use super::{Files, MAX_ARCHIVE_BYTES, MAX_DEPTH, MAX_ENTRIES, MAX_FILE_BYTES};

/// What the walk of an entry found: candidate student files by (root, path).
pub(super) struct Collector<'w> {
    wanted: &'w [String],
    entries: usize,
    bytes: u64,
    /// (root, key) → content, for every path that could be a student file.
    pub(super) found: BTreeMap<(String, String), Vec<u8>>,
}

impl<'w> Collector<'w> {
    pub(super) fn new(wanted: &'w [String]) -> Collector<'w> {
        Collector {
            wanted,
            entries: 0,
            bytes: 0,
            found: BTreeMap::new(),
        }
    }

    /// Checks one path of the entry; `Ok(true)` if it must be skipped (target/, .git/).
    pub(super) fn admit(&mut self, raw: &[u8], symlink: bool) -> Result<bool, String> {
        let Ok(path) = std::str::from_utf8(raw) else {
            return Err(t!(
                "reject-not-utf8",
                path = String::from_utf8_lossy(raw).into_owned()
            ));
        };
        if path.starts_with('/') {
            return Err(t!("reject-absolute", path = path));
        }
        let parts: Vec<&str> = path
            .split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        if parts.contains(&"..") {
            return Err(t!("reject-dot-dot", path = path));
        }
        if parts.iter().any(|p| *p == ".git" || *p == "target") {
            return Ok(true);
        }
        if parts.len() > MAX_DEPTH {
            return Err(t!("reject-deep", depth = MAX_DEPTH, path = path));
        }
        self.entries += 1;
        if self.entries > MAX_ENTRIES {
            return Err(t!("reject-entries", entries = MAX_ENTRIES));
        }
        if symlink {
            return Err(t!("reject-link", path = path));
        }
        Ok(false)
    }

    /// The keys (`labs/lab1-sync/src/measure.rs`) and roots a file path may stand for.
    pub(super) fn matches(&self, path: &str) -> Vec<(String, String)> {
        let path = path.trim_start_matches("./");
        let mut out = Vec::new();
        for key in self.wanted {
            let short = key.strip_prefix("labs/").unwrap_or(key);
            for form in [key.as_str(), short] {
                if let Some(root) = path.strip_suffix(form)
                    && (root.is_empty() || root.ends_with('/'))
                {
                    // `lab1-sync/…` alone means the submission is labs/ itself.
                    let root = if form == short && form != key {
                        format!("{root}(labs)/")
                    } else {
                        root.to_owned()
                    };
                    out.push((root, key.clone()));
                }
            }
        }
        out
    }

    pub(super) fn take(
        &mut self,
        path: &str,
        size: u64,
        reader: &mut dyn Read,
    ) -> Result<(), String> {
        let keys = self.matches(path);
        if keys.is_empty() {
            return Ok(());
        }
        if size > MAX_FILE_BYTES {
            return Err(t!(
                "reject-file-size",
                path = path,
                kib = size / 1024,
                max = MAX_FILE_BYTES / 1024
            ));
        }
        let mut content = Vec::new();
        reader
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut content)
            .map_err(|e| format!("cannot read {path}: {e}"))?;
        if content.len() as u64 > MAX_FILE_BYTES {
            return Err(t!(
                "reject-file-larger",
                path = path,
                max = MAX_FILE_BYTES / 1024
            ));
        }
        for key in keys {
            self.found.insert(key, content.clone());
        }
        Ok(())
    }

    pub(super) fn count_bytes(&mut self, n: u64) -> Result<(), String> {
        self.bytes += n;
        if self.bytes > MAX_ARCHIVE_BYTES {
            return Err(t!("reject-archive-size", mib = MAX_ARCHIVE_BYTES >> 20));
        }
        Ok(())
    }

    /// Picks the root that holds the most student files (the shallowest on a tie).
    pub(super) fn resolve(self) -> Files {
        let mut by_root: BTreeMap<String, BTreeMap<String, Vec<u8>>> = BTreeMap::new();
        for ((root, key), content) in self.found {
            by_root.entry(root).or_default().insert(key, content);
        }
        let best = by_root.into_iter().max_by(|(ra, a), (rb, b)| {
            a.len()
                .cmp(&b.len())
                .then(rb.len().cmp(&ra.len()))
                .then(rb.cmp(ra))
        });
        match best {
            Some((root, files)) => Files {
                files,
                root: root.replace("(labs)/", ""),
            },
            None => Files::default(),
        }
    }
}
