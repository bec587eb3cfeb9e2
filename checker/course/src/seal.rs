//! The course tool's side of a sealed pass (see [`model::seal`]): a fresh secret per check
//! process, handed over on a pipe, and the test of the seal the harness prints.

use model::seal::{SECRET_FD_ENV, SECRET_LEN};
use std::io::Read;
use std::os::fd::{AsRawFd, OwnedFd};
use std::process::Command;

/// The descriptor number the secret arrives on in the check's process.
pub const TARGET_FD: i32 = 3;

/// One check process's secret and the read end of the pipe that carries it.
#[derive(Debug)]
pub struct Seal {
    secret: [u8; SECRET_LEN],
    read: OwnedFd,
}

impl Seal {
    /// A fresh random secret, already written into a pipe whose write end is closed.
    pub fn new() -> std::io::Result<Seal> {
        let mut secret = [0u8; SECRET_LEN];
        std::fs::File::open("/dev/urandom")?.read_exact(&mut secret)?;
        // Both ends close-on-exec: no other child of the grader ever inherits them.
        let (read, write) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
        let mut write = std::fs::File::from(write);
        std::io::Write::write_all(&mut write, &secret)?;
        drop(write);
        Ok(Seal { secret, read })
    }

    /// Gives the read end to `cmd`'s process as descriptor [`TARGET_FD`] and names it in the
    /// environment (set after any `env_clear` of the sandbox).
    pub fn pass_to(&self, cmd: &mut Command) {
        use std::os::unix::process::CommandExt;
        cmd.env(SECRET_FD_ENV, TARGET_FD.to_string());
        let fd = self.read.as_raw_fd();
        // SAFETY: dup2 and fcntl are async-signal-safe; the closure touches no memory but
        // its two integers.
        unsafe {
            cmd.pre_exec(move || {
                if fd == TARGET_FD {
                    // Already there: only drop close-on-exec.
                    if nix::libc::fcntl(fd, nix::libc::F_SETFD, 0) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                } else if nix::libc::dup2(fd, TARGET_FD) != TARGET_FD {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }

    /// `true` if `stderr` holds the seal of a pass of `check`, on a line of its own.
    pub fn sealed(&self, stderr: &str, check: &str) -> bool {
        let line = model::seal::pass_line(&self.secret, check);
        stderr.lines().any(|l| l == line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_right_line_seals_a_pass() {
        let seal = Seal::new().unwrap();
        let good = model::seal::pass_line(&seal.secret, "task_1_3::fib");
        assert!(seal.sealed(&format!("noise\n{good}\n"), "task_1_3::fib"));
        assert!(!seal.sealed(&format!("{good}\n"), "task_1_3::other"));
        assert!(!seal.sealed(&format!("x{good}\n"), "task_1_3::fib"));
        let other = Seal::new().unwrap();
        assert!(
            !other.sealed(&format!("{good}\n"), "task_1_3::fib"),
            "another process's seal"
        );
        assert!(!seal.sealed("test result: ok. 1 passed", "task_1_3::fib"));
    }

    #[test]
    fn the_secret_arrives_on_its_descriptor_and_nowhere_else() {
        let seal = Seal::new().unwrap();
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "od -An -tx1 <&3 | tr -d ' \\n'; echo; env"]);
        seal.pass_to(&mut cmd);
        let out = cmd.output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let hex: String = seal.secret.iter().map(|b| format!("{b:02x}")).collect();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(hex.as_str()));
        assert!(
            lines.all(|l| !l.contains(&hex)),
            "the secret is in the environment"
        );
    }
}
