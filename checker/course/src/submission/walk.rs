//! Walking an entry that is not a git repository: a folder, a .zip, or a tar archive
//! (compressed or not), every path through the [`Collector`].

use std::io::Read;
use std::path::Path;

use super::MAX_ENTRIES;
use super::collector::Collector;

pub(super) fn walk(dir: &Path, c: &mut Collector) -> Result<(), String> {
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

pub(super) fn read_zip(path: &Path, c: &mut Collector) -> Result<(), String> {
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

pub(super) fn read_tar(reader: impl Read, c: &mut Collector) -> Result<(), String> {
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
