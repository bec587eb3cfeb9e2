//! Reading the HEAD commit of a student's git repository without running anything of
//! theirs.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use super::collector::Collector;
use super::own_repo::{OwnRepo, Watchdog};
use super::{MAX_ENTRIES, MAX_FILE_BYTES};

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
pub(super) fn git_head(git_dir: &Path, c: &mut Collector) -> Result<(), String> {
    let objects = check_git_dir(git_dir)?;
    let oid = resolve_head(git_dir)?;
    let scratch = OwnRepo::new(oid.len())?;
    read_tree(&scratch, &objects, &oid, c)
}

/// The git dir's `objects/` folder, once the git dir and it are real folders (not links)
/// and the repository borrows no objects from elsewhere.
pub(super) fn check_git_dir(git_dir: &Path) -> Result<PathBuf, String> {
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
pub(super) fn read_tree(
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
/// The commit `HEAD` names, resolved by reading files (never by git): `HEAD` holds an id or
/// `ref: refs/...`, and a ref is a file under the git dir or a line of `packed-refs`.
pub(super) fn resolve_head(git_dir: &Path) -> Result<String, String> {
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
