//! The toolchain every build uses: cargo, rustc and their homes, pinned once.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Cargo, rustc and their homes: what a build needs, pinned once (the grader's own).
#[derive(Debug, Default, Clone)]
pub(super) struct Toolchain {
    /// Folders every view holds read-only.
    pub(super) dirs: Vec<PathBuf>,
    pub(super) cargo_home: Option<PathBuf>,
    rustup_home: Option<PathBuf>,
    /// The folder of the real cargo and rustc (not rustup's proxies).
    bin: Option<PathBuf>,
}

impl Toolchain {
    pub(super) fn detect() -> Toolchain {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let pick = |var: &str, dflt: &str| {
            std::env::var_os(var)
                .map(PathBuf::from)
                .or_else(|| home.as_ref().map(|h| h.join(dflt)))
                .and_then(|p| std::path::absolute(p).ok())
                .filter(|p| p.is_dir())
        };
        let cargo_home = pick("CARGO_HOME", ".cargo");
        let rustup_home = pick("RUSTUP_HOME", ".rustup");
        // `cargo run` tells us which cargo runs us; its folder holds the toolchain's rustc.
        // Without it (the binary run by hand), rustup names the active toolchain's cargo.
        let cargo = std::env::var_os("CARGO")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| {
                Command::new("rustup")
                    .args(["which", "cargo"])
                    .stderr(std::process::Stdio::null())
                    .output()
                    .ok()
                    .filter(|o| o.status.success())
                    .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
            });
        let bin = cargo
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .filter(|d| d.join("rustc").exists());
        let mut dirs: Vec<PathBuf> = [&cargo_home, &rustup_home]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        if let Some(root) = bin.as_ref().and_then(|b| b.parent())
            && !dirs.iter().any(|d| root.starts_with(d))
        {
            dirs.push(root.to_path_buf());
        }
        Toolchain {
            dirs,
            cargo_home,
            rustup_home,
            bin,
        }
    }

    /// A build's whole environment: cargo's homes pinned, nothing else inherited.
    pub(super) fn env(&self, view: bool) -> Vec<(String, std::ffi::OsString)> {
        let mut path = std::ffi::OsString::new();
        for d in [
            self.bin.clone(),
            self.cargo_home.as_ref().map(|h| h.join("bin")),
        ]
        .into_iter()
        .flatten()
        {
            path.push(d.as_os_str());
            path.push(":");
        }
        path.push("/usr/local/bin:/usr/bin:/bin");
        let mut env = vec![("PATH".to_owned(), path)];
        let mut keep = |k: &str, v: Option<std::ffi::OsString>| {
            if let Some(v) = v {
                env.push((k.to_owned(), v));
            }
        };
        keep("CARGO_HOME", self.cargo_home.clone().map(Into::into));
        keep("RUSTUP_HOME", self.rustup_home.clone().map(Into::into));
        keep("RUSTUP_TOOLCHAIN", std::env::var_os("RUSTUP_TOOLCHAIN"));
        keep("RUSTC", self.bin.as_ref().map(|b| b.join("rustc").into()));
        if view {
            keep("HOME", Some("/tmp".into()));
            keep("TMPDIR", Some("/tmp".into()));
        } else {
            keep("HOME", std::env::var_os("HOME"));
        }
        env
    }
}
