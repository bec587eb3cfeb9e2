//! Where the grader works: a private scratch folder, locked for one grader, under no folder
//! that lets others configure its cargo.

use crate::sandbox::HeldLock;
use crate::submission::Fnv;
use anyhow::Context;
use std::path::{Path, PathBuf};

/// The first existing folder above `path` (or `path` itself) that users other than us can
/// write to (group- or world-writable, sticky or not: anyone may create `.cargo` there).
fn writable_by_others(path: &Path) -> Option<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let me = nix::unistd::geteuid().as_raw();
    path.ancestors().find_map(|a| {
        let m = std::fs::metadata(a).ok()?;
        let foreign_owner = m.uid() != me && m.uid() != 0;
        (m.mode() & 0o022 != 0 || foreign_owner).then(|| a.to_path_buf())
    })
}

/// The scratch folder to use. Cargo reads `.cargo/config.toml` from every folder above the
/// one it runs in, so a scratch folder under a folder others can write to (a checkout in
/// /tmp) would let them configure the grader's own cargo (the builds of student code see
/// no such folder: their view holds none). The default scratch moves to
/// `~/.cache/course-grader/<workspace>`; a `--scratch` given there is refused.
pub(super) fn safe_scratch(scratch: &Path, root: &Path) -> anyhow::Result<PathBuf> {
    let Some(open) = writable_by_others(scratch) else {
        return Ok(scratch.to_path_buf());
    };
    if scratch != root.join("target/grade") {
        anyhow::bail!(
            "the scratch folder {} is under {}, which other users can write to: cargo would \
             read a .cargo/config.toml planted there. Give --scratch a folder under a private \
             one (e.g. ~/.cache/course-grader)",
            scratch.display(),
            open.display()
        );
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .context("HOME is not set: give --scratch a private folder")?;
    let mut h = Fnv::default();
    h.write(root.to_string_lossy().as_bytes());
    let moved = home
        .join(".cache/course-grader")
        .join(format!("{:016x}", h.0));
    if let Some(open) = writable_by_others(&moved) {
        anyhow::bail!(
            "{} is under {}, which other users can write to, and so is {}: give --scratch a \
             private folder",
            scratch.display(),
            open.display(),
            moved.display()
        );
    }
    eprintln!(
        "note: {} is under {}, which other users can write to; the scratch folder is {} instead",
        scratch.display(),
        open.display(),
        moved.display()
    );
    Ok(moved)
}

/// Refuses to grade when a folder above the workspace holds a cargo configuration that
/// someone else owns: the cargo that built this grader has read it already.
pub(super) fn refuse_foreign_cargo_config(root: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let me = nix::unistd::geteuid().as_raw();
    for a in root.ancestors() {
        for name in [".cargo/config.toml", ".cargo/config"] {
            let p = a.join(name);
            if let Ok(m) = std::fs::metadata(&p)
                && m.uid() != me
                && m.uid() != 0
            {
                anyhow::bail!(
                    "{} belongs to uid {}, not to you: cargo reads it for every build in {} \
                     (it may run any program as you). Remove it, or move the course elsewhere",
                    p.display(),
                    m.uid(),
                    root.display()
                );
            }
        }
    }
    Ok(())
}

/// Holds `<scratch>/.lock` for the whole run, or says who has it. A grader killed a moment ago
/// may still be on its way out: the lock is waited for a few seconds (saying so) before
/// another grader is named as its holder.
pub(super) fn lock_scratch(scratch: &Path) -> anyhow::Result<HeldLock> {
    use std::os::fd::AsRawFd;
    let path = scratch.join(".lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    // SAFETY: flock on a descriptor we own.
    let try_lock =
        || unsafe { nix::libc::flock(file.as_raw_fd(), nix::libc::LOCK_EX | nix::libc::LOCK_NB) } == 0;
    let waited = std::time::Instant::now();
    let mut locked = try_lock();
    if !locked {
        eprintln!(
            "{}",
            crate::t!(
                "grading-lock-wait",
                lock = path.display().to_string(),
                secs = LOCK_PATIENCE.as_secs()
            )
        );
    }
    while !locked && waited.elapsed() < LOCK_PATIENCE {
        std::thread::sleep(std::time::Duration::from_millis(100));
        locked = try_lock();
    }
    anyhow::ensure!(
        locked,
        "another grader is using {}: wait for it, or give this one its own --scratch",
        scratch.display()
    );
    Ok(HeldLock::new(file))
}

/// How long [`lock_scratch`] waits for a grader on its way out.
const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);
