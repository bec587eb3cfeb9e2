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

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

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
                problem: Some(format!(
                    "the entry's name {:?} is not valid UTF-8: rename it to the student's id",
                    raw
                )),
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
        let problem = (!valid).then(|| {
            format!(
                "the entry's name {name:?} is not a usable student id (letters, digits and . _ @ + - only)"
            )
        });
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
            entries[i].problem = Some(format!("two submissions for this id ({names}): keep one"));
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
        return Err("the entry is a symbolic link: submit a folder or an archive".into());
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
        return Err(format!(
            "{name} is neither a folder nor a .zip / .tar.gz archive: submit your workspace (or its labs/ folder) in one of those forms"
        ));
    }
    Ok(c.resolve())
}

fn is_bare_git(path: &Path) -> bool {
    path.join("HEAD").is_file() && path.join("objects").is_dir() && path.join("refs").is_dir()
}

/// What the walk of an entry found: candidate student files by (root, path).
struct Collector<'w> {
    wanted: &'w [String],
    entries: usize,
    bytes: u64,
    /// (root, key) → content, for every path that could be a student file.
    found: BTreeMap<(String, String), Vec<u8>>,
}

impl<'w> Collector<'w> {
    fn new(wanted: &'w [String]) -> Collector<'w> {
        Collector {
            wanted,
            entries: 0,
            bytes: 0,
            found: BTreeMap::new(),
        }
    }

    /// Checks one path of the entry; `Ok(true)` if it must be skipped (target/, .git/).
    fn admit(&mut self, raw: &[u8], symlink: bool) -> Result<bool, String> {
        let Ok(path) = std::str::from_utf8(raw) else {
            return Err(format!(
                "a file name is not valid UTF-8 ({}): rename it",
                String::from_utf8_lossy(raw)
            ));
        };
        if path.starts_with('/') {
            return Err(format!(
                "the archive holds an absolute path ({path}): archive the folder with relative paths"
            ));
        }
        let parts: Vec<&str> = path
            .split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        if parts.contains(&"..") {
            return Err(format!(
                "a path goes up with `..` ({path}): archive the folder itself"
            ));
        }
        if parts.iter().any(|p| *p == ".git" || *p == "target") {
            return Ok(true);
        }
        if parts.len() > MAX_DEPTH {
            return Err(format!(
                "folders nested more than {MAX_DEPTH} deep ({path})"
            ));
        }
        self.entries += 1;
        if self.entries > MAX_ENTRIES {
            return Err(format!(
                "more than {MAX_ENTRIES} files and folders: submit only the workspace (without target/)"
            ));
        }
        if symlink {
            return Err(format!(
                "{path} is a symbolic link: links are not accepted, copy the file itself"
            ));
        }
        Ok(false)
    }

    /// The keys (`labs/lab1-sync/src/measure.rs`) and roots a file path may stand for.
    fn matches(&self, path: &str) -> Vec<(String, String)> {
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

    fn take(&mut self, path: &str, size: u64, reader: &mut dyn Read) -> Result<(), String> {
        let keys = self.matches(path);
        if keys.is_empty() {
            return Ok(());
        }
        if size > MAX_FILE_BYTES {
            return Err(format!(
                "{path} is {} KiB: a student file may be at most {} KiB",
                size / 1024,
                MAX_FILE_BYTES / 1024
            ));
        }
        let mut content = Vec::new();
        reader
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut content)
            .map_err(|e| format!("cannot read {path}: {e}"))?;
        if content.len() as u64 > MAX_FILE_BYTES {
            return Err(format!(
                "{path} is larger than {} KiB",
                MAX_FILE_BYTES / 1024
            ));
        }
        for key in keys {
            self.found.insert(key, content.clone());
        }
        Ok(())
    }

    fn count_bytes(&mut self, n: u64) -> Result<(), String> {
        self.bytes += n;
        if self.bytes > MAX_ARCHIVE_BYTES {
            return Err(format!(
                "the archive expands to more than {} MiB: submit only the workspace (without target/)",
                MAX_ARCHIVE_BYTES >> 20
            ));
        }
        Ok(())
    }

    /// Picks the root that holds the most student files (the shallowest on a tie).
    fn resolve(self) -> Files {
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

fn walk(dir: &Path, c: &mut Collector) -> Result<(), String> {
    use std::os::unix::ffi::OsStrExt;
    let mut stack = vec![(dir.to_path_buf(), String::new(), 0usize)];
    while let Some((abs, rel, depth)) = stack.pop() {
        let listing = std::fs::read_dir(&abs).map_err(|e| format!("cannot list {rel}: {e}"))?;
        for e in listing {
            let e = e.map_err(|e| format!("cannot list {rel}: {e}"))?;
            let mut raw = rel.as_bytes().to_vec();
            raw.extend_from_slice(e.file_name().as_bytes());
            let kind = e
                .file_type()
                .map_err(|e| format!("cannot read {rel}: {e}"))?;
            if c.admit(&raw, kind.is_symlink())? {
                continue;
            }
            let path = String::from_utf8(raw).unwrap_or_default();
            if kind.is_dir() {
                stack.push((e.path(), format!("{path}/"), depth + 1));
            } else if kind.is_file() {
                if c.matches(&path).is_empty() {
                    continue;
                }
                let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                let mut f = std::fs::File::open(e.path())
                    .map_err(|e| format!("cannot open {path}: {e}"))?;
                c.take(&path, size, &mut f)?;
            } else {
                return Err(format!(
                    "{path} is not a regular file (a device, a socket, a pipe?)"
                ));
            }
        }
    }
    Ok(())
}

fn read_zip(path: &Path, c: &mut Collector) -> Result<(), String> {
    let f = std::fs::File::open(path).map_err(|e| format!("cannot open the archive: {e}"))?;
    let mut zip = zip::ZipArchive::new(f).map_err(|e| {
        format!("the .zip archive is corrupt or not a zip file ({e}): make it again")
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(format!(
            "the archive holds {} entries, more than {MAX_ENTRIES}",
            zip.len()
        ));
    }
    for i in 0..zip.len() {
        let mut file = zip
            .by_index(i)
            .map_err(|e| format!("the .zip archive is corrupt ({e}): make it again"))?;
        let raw = file.name_raw().to_vec();
        // Unix mode bits say whether the entry is a symbolic link (S_IFLNK).
        let symlink = file.unix_mode().is_some_and(|m| m & 0o170000 == 0o120000);
        if c.admit(&raw, symlink)? || file.is_dir() {
            continue;
        }
        let name = String::from_utf8(raw).unwrap_or_default();
        if c.matches(&name).is_empty() {
            continue;
        }
        c.count_bytes(file.size())?;
        let size = file.size();
        c.take(&name, size, &mut file)
            .map_err(|e| format!("{e} (is the .zip archive corrupt?)"))?;
    }
    Ok(())
}

fn read_tar(reader: impl Read, c: &mut Collector) -> Result<(), String> {
    let mut archive = tar::Archive::new(reader);
    let entries = archive
        .entries()
        .map_err(|e| format!("the archive is corrupt ({e}): make it again"))?;
    for entry in entries {
        let mut entry =
            entry.map_err(|e| format!("the archive is corrupt ({e}): make it again"))?;
        let raw = entry.path_bytes().into_owned();
        let kind = entry.header().entry_type();
        c.count_bytes(entry.size())?;
        let symlink = kind.is_symlink() || kind.is_hard_link();
        if kind.is_pax_global_extensions()
            || kind.is_pax_local_extensions()
            || kind.is_gnu_longname()
        {
            continue;
        }
        if c.admit(&raw, symlink)? || kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            return Err(format!(
                "{} is not a regular file in the archive",
                String::from_utf8_lossy(&raw)
            ));
        }
        let name = String::from_utf8(raw).unwrap_or_default();
        let size = entry.size();
        c.take(&name, size, &mut entry)
            .map_err(|e| format!("{e} (is the archive corrupt?)"))?;
    }
    Ok(())
}

/// Reads the HEAD commit of a repository (bare, or a checkout's `.git`) without running
/// anything of the student's.
///
/// Git runs code named by a repository it works in: a smudge or textconv filter of the
/// repository's `config`, a hook, `core.fsmonitor`, an `include.path` pulling in more of
/// those. So the student's repository is never git's repository here. We resolve `HEAD` to a
/// commit id ourselves (`HEAD`, the ref file or `packed-refs`), then ask plumbing that applies
/// no filter (`ls-tree`, `cat-file --batch`) about that id, in a fresh empty repository of
/// our own whose object store is the student's (`GIT_OBJECT_DIRECTORY`). No file of the
/// student's git dir but `HEAD`, the refs and `objects/` is read; system and global config
/// are off; no attribute, hook or config of theirs exists for git.
fn git_head(git_dir: &Path, c: &mut Collector) -> Result<(), String> {
    let objects = check_git_dir(git_dir)?;
    let oid = resolve_head(git_dir)?;
    let scratch = OwnRepo::new(oid.len())?;
    read_tree(&scratch, &objects, &oid, c)
}

/// The git dir's `objects/` folder, once the git dir and it are real folders (not links)
/// and the repository borrows no objects from elsewhere.
fn check_git_dir(git_dir: &Path) -> Result<PathBuf, String> {
    let objects = git_dir.join("objects");
    for (p, what) in [
        (git_dir, "the git repository"),
        (&objects, "its objects/ folder"),
    ] {
        let meta = std::fs::symlink_metadata(p).map_err(|e| format!("cannot read {what}: {e}"))?;
        if !meta.is_dir() {
            return Err(format!(
                "{what} is a symbolic link or not a folder: submit the repository itself"
            ));
        }
    }
    for borrowed in ["info/alternates", "info/http-alternates"] {
        if std::fs::symlink_metadata(objects.join(borrowed)).is_ok() {
            return Err(format!(
                "the repository borrows objects from another one (objects/{borrowed}): \
                 submit a full clone (git clone --no-shared, without --reference)"
            ));
        }
    }
    Ok(objects)
}

/// Reads the student files of commit `oid` into `c`: its tree listed by `ls-tree`, its blobs
/// raw by `cat-file --batch`, in `scratch` over the student's `objects`.
fn read_tree(
    scratch: &OwnRepo,
    objects: &Path,
    oid: &str,
    c: &mut Collector,
) -> Result<(), String> {
    let git = |args: &[&str]| scratch.git(objects, args);

    // The tree: every entry (folders too, with -t), its mode, type, id and size.
    let mut child = git(&["ls-tree", "-r", "-t", "-l", "-z", "--full-tree", oid])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git to read the repository: {e}"))?;
    let watch = Watchdog::new(&child);
    let mut listing = Vec::new();
    let limit = (MAX_ENTRIES as u64 + 1) * 4096;
    let read = child
        .stdout
        .take()
        .expect("piped")
        .take(limit)
        .read_to_end(&mut listing);
    let _ = child.kill();
    // Disarmed before the child is reaped: its pid can never be someone else's when killed.
    drop(watch);
    let status = child.wait().map_err(|e| format!("git failed: {e}"))?;
    read.map_err(|e| format!("cannot read the repository's tree: {e}"))?;
    if !status.success() && (listing.len() as u64) < limit {
        return Err(format!(
            "the git repository's HEAD ({oid}) cannot be read: is the repository complete \
             (not shallow-cut, nothing missing in objects/)? Submit a fresh `git clone --bare`"
        ));
    }
    let mut blobs: Vec<(String, String, u64)> = Vec::new();
    for record in listing.split(|b| *b == 0).filter(|r| !r.is_empty()) {
        let Some(tab) = record.iter().position(|b| *b == b'\t') else {
            return Err("git listed the tree in an unexpected form".into());
        };
        let (meta, raw) = (String::from_utf8_lossy(&record[..tab]), &record[tab + 1..]);
        let fields: Vec<&str> = meta.split_whitespace().collect();
        let [mode, kind, id, size] = fields.as_slice() else {
            return Err("git listed the tree in an unexpected form".into());
        };
        // 120000: a symbolic link; 160000: a submodule (another repository, not read).
        if c.admit(raw, *mode == "120000")? || *kind != "blob" {
            continue;
        }
        let path = String::from_utf8_lossy(raw).into_owned();
        if !c.matches(&path).is_empty() {
            blobs.push((path, (*id).to_owned(), size.parse().unwrap_or(u64::MAX)));
        }
    }
    if blobs.is_empty() {
        return Ok(());
    }
    for (path, _, size) in &blobs {
        if *size > MAX_FILE_BYTES {
            return Err(format!(
                "{path} is {} KiB: a student file may be at most {} KiB",
                size / 1024,
                MAX_FILE_BYTES / 1024
            ));
        }
    }
    // The blobs, raw (`cat-file` without --filters applies no attribute).
    let mut child = git(&["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git to read the repository: {e}"))?;
    let watch = Watchdog::new(&child);
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("piped");
        let ids: String = blobs.iter().map(|(_, id, _)| format!("{id}\n")).collect();
        stdin
            .write_all(ids.as_bytes())
            .map_err(|e| format!("cannot talk to git: {e}"))?;
    }
    let mut out = std::io::BufReader::new(child.stdout.take().expect("piped"));
    let mut result = Ok(());
    for (path, id, _) in &blobs {
        use std::io::BufRead;
        let mut header = String::new();
        let _ = (&mut out).take(256).read_line(&mut header);
        let size = header
            .strip_prefix(id.as_str())
            .and_then(|h| h.trim().strip_prefix("blob "))
            .and_then(|n| n.parse::<u64>().ok());
        let Some(size) = size.filter(|s| *s <= MAX_FILE_BYTES) else {
            result = Err(format!(
                "cannot read {path} from the repository ({})",
                header.trim()
            ));
            break;
        };
        let mut body = (&mut out).take(size);
        if let Err(e) = c.take(path, size, &mut body) {
            result = Err(e);
            break;
        }
        let mut newline = [0u8; 1];
        let _ = out.read_exact(&mut newline);
    }
    let _ = child.kill();
    drop(watch);
    let _ = child.wait();
    result
}

/// Most commits of a history read for deadlines (the newest ones, along first parents).
pub const MAX_COMMITS: usize = 10_000;

/// One commit of HEAD's first-parent history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The commit's id.
    pub id: String,
    /// Its committer date, seconds since the epoch (set by the committer's machine).
    pub time: i64,
    /// Its committer date as written, RFC 3339 with the committer's offset.
    pub date: String,
}

/// The git dir an entry is graded from when dates matter: a bare repository, or the `.git`
/// folder of a checkout (a real folder, not a link or a `gitdir:` file). `None` for anything
/// else, read as files by [`read`].
pub fn git_dir(entry: &Entry) -> Option<PathBuf> {
    if entry.problem.is_some() {
        return None;
    }
    let meta = std::fs::symlink_metadata(&entry.path).ok()?;
    if !meta.is_dir() {
        return None;
    }
    if is_bare_git(&entry.path) {
        return Some(entry.path.clone());
    }
    let dot_git = entry.path.join(".git");
    std::fs::symlink_metadata(&dot_git)
        .is_ok_and(|m| m.is_dir())
        .then_some(dot_git)
}

/// HEAD's first-parent history, newest first (at most [`MAX_COMMITS`]), read as
/// [`git_head`] reads a tree: HEAD resolved from files, `rev-list` run in a repository of
/// our own over the student's objects, nothing of theirs configured.
pub fn history(git_dir: &Path) -> Result<Vec<Commit>, String> {
    let objects = check_git_dir(git_dir)?;
    let oid = resolve_head(git_dir)?;
    let scratch = OwnRepo::new(oid.len())?;
    let max = format!("--max-count={MAX_COMMITS}");
    let mut child = scratch
        .git(
            &objects,
            &[
                "rev-list",
                "--first-parent",
                &max,
                "--format=%H %ct %cI",
                &oid,
            ],
        )
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git to read the repository: {e}"))?;
    let watch = Watchdog::new(&child);
    let mut listing = Vec::new();
    let read = child
        .stdout
        .take()
        .expect("piped")
        .take((MAX_COMMITS as u64 + 1) * 256)
        .read_to_end(&mut listing);
    let _ = child.kill();
    drop(watch);
    let status = child.wait().map_err(|e| format!("git failed: {e}"))?;
    read.map_err(|e| format!("cannot read the repository's history: {e}"))?;
    if !status.success() {
        return Err(format!(
            "the git repository's history from HEAD ({oid}) cannot be read: is the repository \
             complete (not shallow-cut, nothing missing in objects/)? Submit a fresh `git clone --bare`"
        ));
    }
    let mut commits = Vec::new();
    for line in String::from_utf8_lossy(&listing).lines() {
        if line.starts_with("commit ") || line.is_empty() {
            continue;
        }
        let mut parts = line.split(' ');
        let (Some(id), Some(time), Some(date)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!(
                "git listed the history in an unexpected form ({line:?})"
            ));
        };
        let time = time
            .parse()
            .map_err(|_| format!("commit {id} has no readable committer date ({time:?})"))?;
        commits.push(Commit {
            id: id.to_owned(),
            time,
            date: date.to_owned(),
        });
    }
    if commits.is_empty() {
        return Err("the git repository has no readable HEAD commit: commit your work".into());
    }
    Ok(commits)
}

/// Reads student files from chosen commits of the repository at `git_dir`: each pick is a
/// commit id and the student files (from the workspace root) taken from it. The same
/// checks as [`read`]'s apply to every commit read.
pub fn read_commits(git_dir: &Path, picks: &[(String, Vec<String>)]) -> Result<Files, String> {
    let objects = check_git_dir(git_dir)?;
    let mut all = Files::default();
    for (oid, wanted) in picks {
        if !(oid.len() == 40 || oid.len() == 64) || !oid.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("{oid:?} is not a commit id"));
        }
        let scratch = OwnRepo::new(oid.len())?;
        let mut c = Collector::new(wanted);
        read_tree(&scratch, &objects, oid, &mut c)?;
        let files = c.resolve();
        if all.root.is_empty() {
            all.root = files.root;
        }
        all.files.extend(files.files);
    }
    Ok(all)
}

/// Kills a git process that runs past [`GIT_SECS`] (an odd object store: a pack that is a
/// FIFO, a corrupt file git loops on), so intake never hangs; disarmed when dropped.
struct Watchdog {
    done: Option<std::sync::mpsc::Sender<()>>,
}

/// Longest a git process may take to read one submission's tree or files.
const GIT_SECS: u64 = 60;

impl Watchdog {
    fn new(child: &std::process::Child) -> Watchdog {
        let pid = nix::unistd::Pid::from_raw(child.id() as i32);
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        std::thread::spawn(move || {
            if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                rx.recv_timeout(std::time::Duration::from_secs(GIT_SECS))
            {
                let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
            }
        });
        Watchdog { done: Some(tx) }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let Some(tx) = self.done.take() {
            let _ = tx.send(());
        }
    }
}

/// The commit `HEAD` names, resolved by reading files (never by git): `HEAD` holds an id or
/// `ref: refs/...`, and a ref is a file under the git dir or a line of `packed-refs`.
fn resolve_head(git_dir: &Path) -> Result<String, String> {
    let read_small = |rel: &str| -> Option<String> {
        let p = git_dir.join(rel);
        let meta = std::fs::symlink_metadata(&p).ok()?;
        if !meta.is_file() || meta.len() > 4096 {
            return None;
        }
        std::fs::read_to_string(p).ok()
    };
    let is_oid =
        |s: &str| (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit());
    let mut name = "HEAD".to_owned();
    for _ in 0..5 {
        let value = read_small(&name).or_else(|| {
            let packed = read_small("packed-refs").or_else(|| {
                // packed-refs of a big repository may pass 4 KiB.
                let p = git_dir.join("packed-refs");
                let meta = std::fs::symlink_metadata(&p).ok()?;
                (meta.is_file() && meta.len() < 16 << 20)
                    .then(|| std::fs::read_to_string(p).ok())
                    .flatten()
            })?;
            packed.lines().find_map(|l| {
                let (id, r) = l.split_once(' ')?;
                (r.trim() == name).then(|| id.to_owned())
            })
        });
        let Some(value) = value else {
            if git_dir.join("reftable").is_dir() {
                return Err("the repository keeps its refs in the reftable format: submit a clone made with `git clone --bare --ref-format=files`".into());
            }
            return Err(format!(
                "the git repository has no readable HEAD commit ({name} not found): commit your work, or submit the folder itself"
            ));
        };
        let value = value.trim();
        if let Some(target) = value.strip_prefix("ref:") {
            let target = target.trim();
            let safe = target.starts_with("refs/")
                && !target
                    .split('/')
                    .any(|p| p.is_empty() || p == "." || p == "..")
                && target
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/._-+@".contains(c));
            if !safe {
                return Err(format!(
                    "the repository's HEAD points to an odd name {target:?}"
                ));
            }
            name = target.to_owned();
        } else if is_oid(value) {
            return Ok(value.to_ascii_lowercase());
        } else {
            return Err(format!(
                "the repository's {name} is not a commit id ({value:?})"
            ));
        }
    }
    Err("the repository's HEAD is a chain of references that does not end".into())
}

/// A fresh, empty repository of our own (removed when dropped): the only repository git
/// ever works in during intake.
struct OwnRepo {
    dir: PathBuf,
}

impl OwnRepo {
    fn new(oid_len: usize) -> Result<OwnRepo, String> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "course-intake-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        // Private (0700), and never a folder someone else made first.
        let made = std::os::unix::fs::DirBuilderExt::mode(&mut std::fs::DirBuilder::new(), 0o700)
            .create(&dir)
            .and_then(|()| {
            for sub in ["objects", "refs", "refs/heads", "refs/tags"] {
                std::fs::create_dir(dir.join(sub))?;
            }
            std::fs::write(dir.join("HEAD"), "ref: refs/heads/main\n")?;
            let config = if oid_len == 64 {
                "[core]\n\trepositoryformatversion = 1\n\tbare = true\n[extensions]\n\tobjectformat = sha256\n"
            } else {
                "[core]\n\trepositoryformatversion = 0\n\tbare = true\n"
            };
            std::fs::write(dir.join("config"), config)
        });
        let repo = OwnRepo { dir };
        made.map_err(|e| format!("cannot prepare to read the repository: {e}"))?;
        Ok(repo)
    }

    /// git in this repository, reading objects from `objects`, with nothing configurable
    /// left to anyone else: no system or global config, no home, no attributes, no hooks.
    fn git(&self, objects: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new("git");
        cmd.env_clear()
            .env(
                "PATH",
                std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into()),
            )
            .env("HOME", "")
            .env("GIT_DIR", &self.dir)
            .env("GIT_OBJECT_DIRECTORY", objects)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_ATTR_NOSYSTEM", "1")
            .env("GIT_NO_REPLACE_OBJECTS", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_OPTIONAL_LOCKS", "0")
            .args([
                "-c",
                "core.hooksPath=/dev/null",
                "-c",
                "core.fsmonitor=false",
                "-c",
                "core.attributesFile=/dev/null",
                "-c",
                "core.commitGraph=false",
                "-c",
                "core.multiPackIndex=false",
                "-c",
                "protocol.allow=never",
            ])
            .args(args)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stderr(Stdio::null());
        cmd
    }
}

impl Drop for OwnRepo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted() -> Vec<String> {
        vec![
            "labs/lab1-sync/src/measure.rs".to_owned(),
            "labs/lab1-sync/src/workloads.rs".to_owned(),
        ]
    }

    #[test]
    fn finds_the_workspace_wherever_it_sits() {
        let w = wanted();
        let mut c = Collector::new(&w);
        c.take("alice/labs/lab1-sync/src/measure.rs", 1, &mut &b"m"[..])
            .unwrap();
        c.take("alice/labs/lab1-sync/src/workloads.rs", 1, &mut &b"w"[..])
            .unwrap();
        c.take(
            "alice/backup/labs/lab1-sync/src/measure.rs",
            1,
            &mut &b"old"[..],
        )
        .unwrap();
        let files = c.resolve();
        assert_eq!(files.root, "alice/");
        assert_eq!(files.files["labs/lab1-sync/src/measure.rs"], b"m");
        let mut c = Collector::new(&w);
        c.take("lab1-sync/src/measure.rs", 1, &mut &b"m"[..])
            .unwrap();
        assert_eq!(c.resolve().files.len(), 1, "a submission of labs/ alone");
    }

    #[test]
    fn rejects_dangerous_paths() {
        let w = wanted();
        let mut c = Collector::new(&w);
        assert!(c.admit(b"../etc/passwd", false).is_err());
        assert!(c.admit(b"/etc/passwd", false).is_err());
        assert!(c.admit(b"a/\xff.rs", false).is_err());
        assert!(c.admit(b"labs/lab1-sync/src/measure.rs", true).is_err());
        assert_eq!(c.admit(b"x/target/debug/big", false), Ok(true));
    }

    #[test]
    fn ids_are_entry_names_without_extension() {
        assert_eq!(strip_extension("alice.tar.gz"), "alice");
        assert_eq!(strip_extension("bob.zip"), "bob");
        assert_eq!(strip_extension("carol"), "carol");
    }
}

#[cfg(test)]
mod git_tests {
    //! A student's repository is data, never code: every way git runs a command named by a
    //! repository is planted, and none may leave its mark.
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    const WANTED: &str = "labs/lab1-sync/src/measure.rs";

    fn sh(dir: &Path, args: &[&str]) {
        crate::corpus::student_git(dir, None, args).unwrap();
    }

    fn fresh(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("course-git-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A command that appends `what` to the marker and prints something else.
    fn evil(mark: &Path, what: &str) -> String {
        format!("\"sh -c 'echo {what} >> {}; echo EVIL'\"", mark.display())
    }

    /// Plants, in the git dir `git`, every hook and every config that makes git run a command
    /// (a filter for every path, textconv, fsmonitor, ssh, a pager, an include of more).
    fn plant(git: &Path, mark: &Path) {
        let include = git.join("more.inc");
        std::fs::write(
            &include,
            format!(
                "[core]\n\tgitProxy = {}\n\taskPass = {}\n[uploadpack]\n\tpackObjectsHook = {}\n[credential]\n\thelper = {}\n",
                evil(mark, "gitproxy"),
                evil(mark, "askpass"),
                evil(mark, "packobjects"),
                evil(mark, "credential"),
            ),
        )
        .unwrap();
        let mut config = std::fs::read_to_string(git.join("config")).unwrap_or_default();
        config += &format!(
            "[filter \"x\"]\n\tsmudge = {}\n\tclean = {}\n\trequired = true\n\
             [diff \"x\"]\n\ttextconv = {}\n\
             [core]\n\tfsmonitor = {}\n\tsshCommand = {}\n\tpager = {}\n\teditor = {}\n\thooksPath = hooks\n\
             [include]\n\tpath = {}\n",
            evil(mark, "smudge"),
            evil(mark, "clean"),
            evil(mark, "textconv"),
            evil(mark, "fsmonitor"),
            evil(mark, "ssh"),
            evil(mark, "pager"),
            evil(mark, "editor"),
            include.display(),
        );
        std::fs::write(git.join("config"), config).unwrap();
        std::fs::create_dir_all(git.join("info")).unwrap();
        std::fs::write(git.join("info/attributes"), "* filter=x diff=x\n").unwrap();
        let hooks = git.join("hooks");
        std::fs::create_dir_all(&hooks).unwrap();
        for hook in [
            "pre-commit",
            "post-checkout",
            "post-merge",
            "pre-push",
            "post-rewrite",
            "reference-transaction",
            "pre-auto-gc",
            "post-index-change",
            "fsmonitor-watchman",
            "push-to-checkout",
            "pre-receive",
            "update",
            "post-update",
        ] {
            let p = hooks.join(hook);
            std::fs::write(
                &p,
                format!("#!/bin/sh\necho hook-{hook} >> {}\n", mark.display()),
            )
            .unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }

    /// A checkout with one commit of the student file and a `.gitattributes` asking for the
    /// filter everywhere.
    fn checkout(dir: &Path) {
        let file = dir.join(WANTED);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "// committed\n").unwrap();
        std::fs::write(dir.join(".gitattributes"), "* filter=x diff=x\n").unwrap();
        sh(dir, &["init", "-q"]);
        sh(dir, &["add", "-A"]);
        sh(dir, &["commit", "-qm", "work"]);
    }

    fn read_entry(path: &Path) -> Result<Files, String> {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let entry = Entry {
            id: strip_extension(&name).to_owned(),
            path: path.to_path_buf(),
            problem: None,
        };
        read(&entry, &[WANTED.to_owned()])
    }

    fn assert_no_mark(mark: &Path) {
        assert!(
            !mark.exists(),
            "git ran a command of the student's repository: {}",
            std::fs::read_to_string(mark).unwrap_or_default()
        );
    }

    #[test]
    fn a_bare_repository_runs_nothing_of_its_own() {
        let dir = fresh("bare");
        let mark = dir.join("MARK");
        let work = dir.join("work");
        std::fs::create_dir_all(&work).unwrap();
        checkout(&work);
        let bare = dir.join("alice.git");
        sh(&dir, &["clone", "-q", "--bare", "work", "alice.git"]);
        plant(&bare, &mark);
        let files = read_entry(&bare).expect("a bare repository is read");
        assert_eq!(
            files.files[WANTED], b"// committed\n",
            "the blob, raw, unfiltered"
        );
        assert_no_mark(&mark);
        // The same repository packed (objects in a pack, refs in packed-refs).
        sh(&bare, &["gc", "-q"]);
        let _ = std::fs::remove_file(&mark);
        let files = read_entry(&bare).expect("a packed repository is read");
        assert_eq!(files.files[WANTED], b"// committed\n");
        assert_no_mark(&mark);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_checkout_with_an_empty_working_tree_runs_nothing_of_its_own() {
        let dir = fresh("checkout");
        let mark = dir.join("MARK");
        let work = dir.join("bob");
        std::fs::create_dir_all(&work).unwrap();
        checkout(&work);
        plant(&work.join(".git"), &mark);
        std::fs::remove_dir_all(work.join("labs")).unwrap();
        let files = read_entry(&work).expect("HEAD of the checkout is read");
        assert_eq!(files.files[WANTED], b"// committed\n");
        assert_no_mark(&mark);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn odd_repositories_are_rejected() {
        let dir = fresh("odd");
        let work = dir.join("work");
        std::fs::create_dir_all(&work).unwrap();
        // A committed symbolic link as a student file: rejected, as in a folder.
        std::fs::create_dir_all(work.join("labs/lab1-sync/src")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", work.join(WANTED)).unwrap();
        sh(&work, &["init", "-q"]);
        sh(&work, &["add", "-A"]);
        sh(&work, &["commit", "-qm", "link"]);
        sh(&dir, &["clone", "-q", "--bare", "work", "link.git"]);
        let e = read_entry(&dir.join("link.git")).unwrap_err();
        assert!(e.contains("symbolic link"), "{e}");
        // A committed path that climbs out is impossible in git; a HEAD naming an odd ref is not.
        std::fs::write(dir.join("link.git/HEAD"), "ref: refs/../../../etc/passwd\n").unwrap();
        let e = read_entry(&dir.join("link.git")).unwrap_err();
        assert!(e.contains("odd name"), "{e}");
        // Objects borrowed from elsewhere (an alternates file) are not read.
        std::fs::write(dir.join("link.git/HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(
            dir.join("link.git/objects/info/alternates"),
            "/nonexistent/objects\n",
        )
        .unwrap();
        let e = read_entry(&dir.join("link.git")).unwrap_err();
        assert!(e.contains("alternates"), "{e}");
        // A checkout whose .git is a link to another repository (the grader's own, say).
        let linked = dir.join("linked");
        std::fs::create_dir_all(&linked).unwrap();
        std::os::unix::fs::symlink(dir.join("work/.git"), linked.join(".git")).unwrap();
        let e = read_entry(&linked).unwrap_err();
        assert!(e.contains("symbolic link"), "{e}");
        // A repository with no commit.
        let empty = dir.join("empty.git");
        sh(&dir, &["init", "-q", "--bare", "empty.git"]);
        let e = read_entry(&empty).unwrap_err();
        assert!(e.contains("no readable HEAD"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
