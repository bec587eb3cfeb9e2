//! Who owns the files of a job's target dir: the build uid, except the hidden checks'
//! artifacts, which only root and the hidden group may touch.

use std::path::Path;

/// Gives every file under `dir` to `uid` (the build uid writes the target dir), except the
/// hidden checks' artifacts (group `hidden`), which stay out of its reach.
pub(super) fn give_tree(dir: &Path, uid: u32, hidden: Option<u32>) {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return;
    };
    if let Some(gid) = hidden {
        if meta.gid() == gid {
            return;
        }
        // A hidden checks' artifact that is not in this run's hidden group: left by a run
        // with another uid range, or by one stopped before it hid its build. Hidden again,
        // never given to the build uid.
        if dir
            .file_name()
            .is_some_and(|n| n.to_string_lossy().contains("_hidden-"))
        {
            hide_tree(dir, gid);
            return;
        }
    }
    if meta.uid() != uid {
        let id = Some(nix::unistd::Uid::from_raw(uid));
        let _ = nix::unistd::fchownat(
            nix::fcntl::AT_FDCWD,
            dir,
            id,
            Some(nix::unistd::Gid::from_raw(uid)),
            nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW,
        );
    }
    if meta.is_dir()
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        for e in entries.flatten() {
            give_tree(&e.path(), uid, hidden);
        }
    }
}

/// Gives `path` (and everything under it) to root and group `gid`, rights for that group
/// only.
pub(super) fn hide_tree(path: &Path, gid: u32) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    if meta.file_type().is_symlink() {
        return;
    }
    let _ = nix::unistd::chown(
        path,
        Some(nix::unistd::Uid::from_raw(0)),
        Some(nix::unistd::Gid::from_raw(gid)),
    );
    let mode = meta.permissions().mode();
    let group = if meta.is_dir() || mode & 0o100 != 0 {
        0o770
    } else {
        0o660
    };
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(group));
    if meta.is_dir()
        && let Ok(entries) = std::fs::read_dir(path)
    {
        for e in entries.flatten() {
            hide_tree(&e.path(), gid);
        }
    }
}
