//! Writing a submission's files in its form: a folder, a .zip, a .tar.gz.

use super::Files;
use anyhow::Context;
use std::io::Write;
use std::path::Path;

pub(super) fn write_folder(dir: &Path, files: &Files) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (rel, bytes) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().context("no parent")?)?;
        std::fs::write(&p, bytes)?;
    }
    Ok(())
}

pub(super) fn write_zip(path: &Path, prefix: &str, files: &Files) -> anyhow::Result<()> {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path)?);
    let opts = zip::write::SimpleFileOptions::default();
    for (rel, bytes) in files {
        zip.start_file(format!("{prefix}{rel}"), opts)?;
        zip.write_all(bytes)?;
    }
    zip.finish()?;
    Ok(())
}

/// A .tar.gz; paths are written raw (so a hostile case can hold `..`).
pub(super) fn write_tar_gz(path: &Path, entries: &[(Vec<u8>, Vec<u8>)]) -> anyhow::Result<()> {
    let gz =
        flate2::write::GzEncoder::new(std::fs::File::create(path)?, flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    for (name, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        let raw = &mut header.as_old_mut().name;
        anyhow::ensure!(name.len() < raw.len(), "path too long for the test archive");
        raw[..name.len()].copy_from_slice(name);
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        tar.append(&header, bytes.as_slice())?;
    }
    tar.into_inner()?.finish()?;
    Ok(())
}
