//! A repository's history, for due dates: HEAD's first-parent commits, and the student
//! files of chosen commits.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use super::collector::Collector;
use super::git::{check_git_dir, read_tree, resolve_head};
use super::own_repo::{OwnRepo, Watchdog};
use super::{Entry, Files, is_bare_git};

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
/// else, read as files by [`read`](super::read).
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
/// [`git_head`](super::git::git_head) reads a tree: HEAD resolved from files, `rev-list` run
/// in a repository of our own over the student's objects, nothing of theirs configured.
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
/// checks as [`read`](super::read)'s apply to every commit read.
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
