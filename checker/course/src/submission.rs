//! Reading submissions: one entry per student, only the student's own files taken.
//!
//! An entry of the submissions folder is a folder (a copy of the workspace, or just its
//! `labs/`), a git checkout (its working tree; a bare repository's HEAD), or a `.zip` /
//! `.tar.gz` / `.tgz` / `.tar` of either. The student's id is the entry's name without its
//! extension.
//!
//! From an entry we take exactly the files `course.toml` names as student files
//! (`labs/lab1-sync/src/measure.rs` ...), found wherever the workspace sits inside the entry
//! (`alice/labs/...`, `concurrency-labs-main/labs/...`, or `lab1-sync/...` when only `labs/`
//! was handed in). Nothing else is read: not Cargo.toml, not a build script, not a check.
//!
//! An entry is **rejected**, with a message the student can act on, when it holds a
//! symbolic link, a path with `..` or an absolute path, a name that is not UTF-8, a student
//! file larger than [`MAX_FILE_BYTES`], more than [`MAX_ENTRIES`] entries, an archive that
//! expands past [`MAX_ARCHIVE_BYTES`], or when it cannot be read at all (a corrupt archive).
//! `target/` and `.git/` folders are skipped, not read.
//!
//! A git repository is read without running anything of the student's: no filter, hook,
//! attribute, config or include of theirs is ever seen by git (see [`git_head`]).

mod collector;
mod git;
mod history;
mod own_repo;
mod walk;

pub use history::{Commit, MAX_COMMITS, git_dir, history, read_commits};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use collector::Collector;
use git::git_head;
use walk::{read_tar, read_zip, walk};

/// Most entries (files and folders) one submission may hold.
pub const MAX_ENTRIES: usize = 20_000;
/// Largest student file.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Most bytes an archive may expand to (what is read of it, skipped parts included).
pub const MAX_ARCHIVE_BYTES: u64 = 512 * 1024 * 1024;
/// Deepest folder nesting.
pub const MAX_DEPTH: usize = 32;

/// One entry of the submissions folder.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The student's id (the entry's name without extension), or a safe stand-in.
    pub id: String,
    /// The entry itself.
    pub path: PathBuf,
    /// Set when the entry is unusable before even opening it (bad name, duplicate id).
    pub problem: Option<String>,
}

/// What a submission contributes.
#[derive(Debug, Clone, Default)]
pub struct Files {
    /// Student file (path from the workspace root, `labs/lab1-sync/src/measure.rs`) →
    /// content. Only student files, only those found.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Where the workspace was found inside the entry (`""`, `alice/`, or `…/labs/` for a
    /// submission of labs/ only). For the feedback.
    pub root: String,
}

impl Files {
    /// A stable fingerprint of the content (FNV-1a over paths and bytes): a resumed run
    /// re-grades a student whose submission changed.
    pub fn fingerprint(&self) -> String {
        let mut h = Fnv::default();
        for (path, bytes) in &self.files {
            h.write(path.as_bytes());
            h.write(&[0]);
            h.write(&(bytes.len() as u64).to_le_bytes());
            h.write(bytes);
        }
        format!("{:016x}", h.0)
    }
}

/// FNV-1a, 64 bits: stable across runs and Rust versions (unlike `DefaultHasher`).
#[derive(Debug)]
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// Adds bytes.
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Files of the submissions folder that are the instructor's, never a student's entry:
/// the LMS's submission dates and the roster (see `crate::deadlines` and `crate::lms`).
pub const INSTRUCTOR_FILES: [&str; 2] = ["submitted.csv", "roster.csv"];

/// The entries of `dir`, sorted by id. Hidden entries (`.DS_Store`, `.git`) and the instructor's
/// [`INSTRUCTOR_FILES`] are skipped.
pub fn discover(dir: &Path) -> anyhow::Result<Vec<Entry>> {
    use std::os::unix::ffi::OsStrExt;
    let mut entries = Vec::new();
    let listing = std::fs::read_dir(dir).map_err(|e| {
        anyhow::anyhow!("cannot list the submissions folder {}: {e}", dir.display())
    })?;
    for e in listing {
        let e = e?;
        let raw = e.file_name();
        let bytes = raw.as_bytes();
        if bytes.starts_with(b".") {
            continue;
        }
        // The instructor's files beside the submissions, not a student's.
        if INSTRUCTOR_FILES.iter().any(|f| bytes == f.as_bytes())
            && e.file_type().is_ok_and(|t| t.is_file())
        {
            continue;
        }
        let path = e.path();
        let Some(name) = raw.to_str() else {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            entries.push(Entry {
                id: format!("invalid-name-{}", &hex[..hex.len().min(32)]),
                path,
                problem: Some(crate::t!("reject-name-utf8", name = format!("{raw:?}"))),
            });
            continue;
        };
        let id = strip_extension(name);
        let valid = !id.is_empty()
            && id.len() <= 128
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._@+-".contains(c))
            && !id.starts_with('.');
        let problem = (!valid).then(|| crate::t!("reject-name", name = format!("{name:?}")));
        let id = if valid {
            id.to_owned()
        } else {
            let mut h = Fnv::default();
            h.write(bytes);
            format!("invalid-name-{:08x}", h.0 as u32)
        };
        entries.push(Entry { id, path, problem });
    }
    entries.sort_by(|a, b| a.id.cmp(&b.id).then(a.path.cmp(&b.path)));
    // Two entries for one id (alice/ and alice.zip): neither can be trusted to be the one.
    let mut i = 0;
    while i + 1 < entries.len() {
        if entries[i].id == entries[i + 1].id {
            let names = format!(
                "{} and {}",
                entries[i].path.display(),
                entries[i + 1].path.display()
            );
            entries[i].problem = Some(crate::t!("reject-two", names = names));
            entries.remove(i + 1);
        } else {
            i += 1;
        }
    }
    Ok(entries)
}

fn strip_extension(name: &str) -> &str {
    for ext in [".tar.gz", ".tgz", ".zip", ".tar", ".git"] {
        if let Some(stem) = name.strip_suffix(ext) {
            return stem;
        }
    }
    name
}

/// Reads the student files of `entry`. `wanted` are the student files of the course, from
/// the workspace root. `Err` is the rejection message.
pub fn read(entry: &Entry, wanted: &[String]) -> Result<Files, String> {
    if let Some(p) = &entry.problem {
        return Err(p.clone());
    }
    let path = &entry.path;
    let meta =
        std::fs::symlink_metadata(path).map_err(|e| format!("cannot read the entry: {e}"))?;
    let mut c = Collector::new(wanted);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if meta.file_type().is_symlink() {
        return Err(crate::t!("reject-entry-link"));
    } else if meta.is_dir() {
        if is_bare_git(path) {
            git_head(path, &mut c)?;
        } else {
            walk(path, &mut c)?;
            if c.found.is_empty() && path.join(".git").is_dir() {
                // A checkout with nothing in its working tree: grade its HEAD.
                c = Collector::new(wanted);
                git_head(&path.join(".git"), &mut c)?;
            }
        }
    } else if name.ends_with(".zip") {
        read_zip(path, &mut c)?;
    } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        let f = std::fs::File::open(path).map_err(|e| format!("cannot open the archive: {e}"))?;
        read_tar(flate2::read::GzDecoder::new(f), &mut c)?;
    } else if name.ends_with(".tar") {
        let f = std::fs::File::open(path).map_err(|e| format!("cannot open the archive: {e}"))?;
        read_tar(f, &mut c)?;
    } else {
        return Err(crate::t!("reject-kind", name = name));
    }
    Ok(c.resolve())
}

fn is_bare_git(path: &Path) -> bool {
    path.join("HEAD").is_file() && path.join("objects").is_dir() && path.join("refs").is_dir()
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod git_tests;
