//! How git runs during intake: only in a fresh repository of our own, each process under a
//! watchdog.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Kills a git process that runs past [`GIT_SECS`] (an odd object store: a pack that is a
/// FIFO, a corrupt file git loops on), so intake never hangs; disarmed when dropped.
pub(super) struct Watchdog {
    done: Option<std::sync::mpsc::Sender<()>>,
}

/// Longest a git process may take to read one submission's tree or files.
const GIT_SECS: u64 = 60;

impl Watchdog {
    pub(super) fn new(child: &std::process::Child) -> Watchdog {
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
/// A fresh, empty repository of our own (removed when dropped): the only repository git
/// ever works in during intake.
pub(super) struct OwnRepo {
    dir: PathBuf,
}

impl OwnRepo {
    pub(super) fn new(oid_len: usize) -> Result<OwnRepo, String> {
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
    pub(super) fn git(&self, objects: &Path, args: &[&str]) -> Command {
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
