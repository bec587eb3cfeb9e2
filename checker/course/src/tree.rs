//! Copies of the workspace that cargo can rebuild cheaply.
//!
//! The self-test and the grader build many variants of the same workspace (a fixture, a
//! student's files). Each variant is written into one scratch folder by [`sync`], which
//! writes only the files whose content differs. Cargo decides what to rebuild from file
//! times, so an untouched crate keeps its compiled artifacts: a variant costs the rebuild of
//! the one lab it changes, not of tokio.
//!
//! A scratch folder's first build compiles the registry's crates (minutes on two cores);
//! [`seed_target`] starts another scratch folder's target dir from a copy of one already
//! built, keeping only what cannot depend on the folder's sources.

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

/// Starts the target dir `to` (which must not exist yet) as a copy of `from`, another
/// scratch folder's target dir, so that a build there reuses the registry's compiled crates
/// (tokio, nix, …) instead of compiling them again.
///
/// The crates of the workspace itself (the packages of `workspace`'s Cargo.lock that have no
/// `source`: the labs, the solutions, the checks, the tools) are forgotten in the copy: cargo
/// judges them fresh by file times alone, and the copy's artifacts were built from another
/// folder's sources, so a source older than its artifact would pass for built when it is not.
/// Without their fingerprints, cargo compiles each of them again from the sources it meets.
///
/// The copy is taken under cargo's own lock on `from` (no build writes into it meanwhile) and
/// appears at `to` whole or not at all. `Ok(false)`: nothing to do (`from` holds no build, or
/// `to` exists, or another seeder made it first). On an error the caller builds from nothing: slower, never wrong.
pub fn seed_target(from: &Path, to: &Path, workspace: &Path) -> anyhow::Result<bool> {
    if to.exists() || !from.join("debug").is_dir() {
        return Ok(false);
    }
    let ours = local_packages(workspace)?;
    // A folder of this call's own: two seeders of one target dir never write into each other's
    // copy, and the first to finish wins.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let partial = to.with_extension(format!("partial-{}-{call}", std::process::id()));
    let _ = std::fs::remove_dir_all(&partial);
    if let Some(parent) = partial.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let copied = {
        // Cargo holds this lock (flock, exclusive) for as long as it builds into `from`.
        let lock = std::fs::File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(from.join("debug/.cargo-lock"))
            .with_context(|| format!("cannot open cargo's lock in {}", from.display()))?;
        lock.lock()?;
        std::process::Command::new("cp")
            .args(["-a", "--reflink=auto"])
            .arg(from)
            .arg(&partial)
            .stdin(std::process::Stdio::null())
            .status()
    };
    if !copied.as_ref().is_ok_and(|s| s.success()) {
        let _ = std::fs::remove_dir_all(&partial);
        anyhow::bail!(
            "cannot copy {} to {}: {copied:?}",
            from.display(),
            partial.display()
        );
    }
    // `debug/.fingerprint/<package>-<hash>/`, and the same under any other profile.
    for profile in std::fs::read_dir(&partial)?.flatten() {
        let Ok(units) = std::fs::read_dir(profile.path().join(".fingerprint")) else {
            continue;
        };
        for unit in units.flatten() {
            let name = unit.file_name().to_string_lossy().into_owned();
            let package = name.rsplit_once('-').map_or(name.as_str(), |(p, _)| p);
            if ours.contains(package) {
                std::fs::remove_dir_all(unit.path())?;
            }
        }
    }
    if let Err(e) = std::fs::rename(&partial, to) {
        let _ = std::fs::remove_dir_all(&partial);
        if to.is_dir() {
            return Ok(false);
        }
        return Err(e)
            .with_context(|| format!("cannot rename {} to {}", partial.display(), to.display()));
    }
    Ok(true)
}

/// The packages of `workspace` that cargo builds from its own folders (no `source` in
/// Cargo.lock).
fn local_packages(workspace: &Path) -> anyhow::Result<BTreeSet<String>> {
    #[derive(serde::Deserialize)]
    struct Lock {
        package: Vec<Package>,
    }
    #[derive(serde::Deserialize)]
    struct Package {
        name: String,
        source: Option<String>,
    }
    let path = workspace.join("Cargo.lock");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let lock: Lock =
        toml::from_str(&text).with_context(|| format!("cannot parse {}", path.display()))?;
    Ok(lock
        .package
        .into_iter()
        .filter(|p| p.source.is_none())
        .map(|p| p.name)
        .collect())
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
    #[test]
    fn a_seeded_target_keeps_the_registry_crates_and_forgets_the_workspace_ones() {
        let base = std::env::temp_dir().join(format!("course-seed-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let (from, to, ws) = (base.join("from"), base.join("to"), base.join("ws"));
        for unit in [
            "tokio-0123456789abcdef",
            "lab1-1111111111111111",
            "lab1-solution-2222222222222222",
        ] {
            std::fs::create_dir_all(from.join("debug/.fingerprint").join(unit)).unwrap();
        }
        std::fs::create_dir_all(from.join("debug/deps")).unwrap();
        std::fs::write(from.join("debug/deps/libtokio-0123456789abcdef.rlib"), "t").unwrap();
        std::fs::create_dir_all(&ws).unwrap();
        std::fs::write(
            ws.join("Cargo.lock"),
            "version = 4\n\n[[package]]\nname = \"lab1\"\nversion = \"0.1.0\"\n\n\
             [[package]]\nname = \"lab1-solution\"\nversion = \"0.1.0\"\n\n\
             [[package]]\nname = \"tokio\"\nversion = \"1.54.1\"\n\
             source = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
        )
        .unwrap();

        // While a build holds cargo's lock on `from`, nothing is copied.
        let held = std::fs::File::create(from.join("debug/.cargo-lock")).unwrap();
        held.lock().unwrap();
        let seeding = std::thread::spawn({
            let (from, to, ws) = (from.clone(), to.clone(), ws.clone());
            move || seed_target(&from, &to, &ws).unwrap()
        });
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(
            !to.exists(),
            "copied while cargo was building into the source"
        );
        drop(held);
        assert!(seeding.join().unwrap());

        let units: BTreeSet<String> = std::fs::read_dir(to.join("debug/.fingerprint"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(units, BTreeSet::from(["tokio-0123456789abcdef".to_owned()]));
        assert!(
            to.join("debug/deps/libtokio-0123456789abcdef.rlib")
                .is_file()
        );
        let left: Vec<_> = std::fs::read_dir(&base)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 3, "a partial copy was left behind: {left:?}");
        assert!(
            !seed_target(&from, &to, &ws).unwrap(),
            "an existing target is kept"
        );
        std::fs::remove_dir_all(&base).unwrap();
    }
}
