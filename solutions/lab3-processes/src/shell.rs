//! Task 3.5 — a shell pipeline, `cmd1 | cmd2 | ...`, with pipe, dup2 and exec.
//! Задание 3.5 — Конвейер оболочки с pipe, dup2 и exec.
//!
//! ## Why this works
//! One child per command, one pipe between each two neighbours, and one more pipe that
//! brings the last command's output back to us. For `seq 5 | grep 1 | wc -l`:
//!
//! ```text
//!            pipe A              pipe B              pipe OUT
//!   seq ─ fd 1 → [A] → fd 0 ─ grep ─ fd 1 → [B] → fd 0 ─ wc ─ fd 1 → [OUT] → parent reads
//! ```
//!
//! In each child, `dup2(fd, 1)` makes the pipe's write end its standard output and
//! `dup2(fd, 0)` makes the previous pipe's read end its standard input: the program that
//! `exec` loads next just reads 0 and writes 1, and never knows about pipes. Then every
//! original pipe descriptor is closed, in every child and in the parent. `wc` prints its
//! count only at end of file on its stdin, and that end of file comes only when every copy
//! of pipe B's write end is closed: one forgotten copy, in the parent or in any child, and
//! `wc` (and we, reading its output) wait forever.
//!
//! Everything a child needs (argument strings, the array of pointers `exec` takes, the
//! error message) is built *before* fork: between fork and exec the child calls only
//! async-signal-safe functions (dup2, close, signal, execvp, write, _exit). Allocating is
//! not one of them (if another thread held the allocator's lock at fork time, the child
//! would wait for it forever); this lab forks from single-threaded processes, but the habit
//! is what makes code like this safe everywhere.
//!
//! If `execvp` returns, it failed: the child reports it on stderr and ends with `_exit(127)`
//! (126 if the program exists but cannot run), as a shell does. It must not return: a child
//! that returned from `pipeline` would go on running its parent's code.
//!
//! Rust programs ignore `SIGPIPE`, and an ignored signal stays ignored across `exec`. A shell
//! gives its commands the default action (death), which is how `yes | head -n 1` ends: `head`
//! exits, `yes`'s next write kills it. The children restore that default before exec.

use crate::fork::{ChildStatus, wait_child};
use crate::sys;
use nix::errno::Errno;
use nix::libc::c_char;
use nix::sys::signal::{SigHandler, Signal, signal};
use nix::unistd::{ForkResult, dup2_stdin, dup2_stdout, fork, pipe};
use std::ffi::CString;
use std::os::fd::OwnedFd;

/// What a pipeline produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineOutput {
    /// Everything the last command wrote to its standard output.
    pub stdout: Vec<u8>,
    /// How each command ended, in command order.
    pub statuses: Vec<ChildStatus>,
}

/// Task 3.5: runs `commands[0] | commands[1] | ...` like `/bin/sh` would, and returns the
/// last command's standard output with every command's status.
///
/// Each command is a program name (looked up in `PATH`) and its arguments, e.g.
/// `&["grep", "-c", "x"]`. The first command reads this process's stdin; every command
/// writes its errors to this process's stderr. A command that cannot be found ends with
/// `Exited(127)` (and a message on stderr), never a hang. `Err(Errno::EINVAL)` for no command,
/// an empty command, or a NUL byte in an argument. Call it from a single-threaded process only.
pub fn pipeline(commands: &[&[&str]]) -> nix::Result<PipelineOutput> {
    if commands.is_empty() || commands.iter().any(|c| c.is_empty()) {
        return Err(Errno::EINVAL);
    }
    sys::assert_single_threaded();
    // Everything the children need, built before the first fork.
    let args: Vec<Vec<CString>> = commands
        .iter()
        .map(|c| c.iter().map(|a| CString::new(*a)).collect())
        .collect::<Result<_, _>>()
        .map_err(|_| Errno::EINVAL)?;
    let argvs: Vec<Vec<*const c_char>> = args
        .iter()
        .map(|a| {
            a.iter()
                .map(|s| s.as_ptr())
                .chain(std::iter::once(std::ptr::null()))
                .collect()
        })
        .collect();
    let not_found: Vec<Vec<u8>> = commands
        .iter()
        .map(|c| format!("lab3: {}: command not found\n", c[0]).into_bytes())
        .collect();

    // The pipe that brings the last command's stdout back: `out_reader` is ours,
    // `out_writer` becomes the last command's fd 1.
    let (out_reader, out_writer) = pipe()?;
    let mut pids = Vec::with_capacity(commands.len());
    // The read end of the pipe from the previous command: the next command's stdin.
    let mut previous: Option<OwnedFd> = None;
    for (i, argv) in argvs.iter().enumerate() {
        // The pipe to the next command: its write end is this command's stdout, its read end
        // the next command's stdin. The last command writes to `out_writer` instead.
        let next = if i + 1 < argvs.len() {
            Some(pipe()?)
        } else {
            None
        };
        // SAFETY: single-threaded process (asserted above). The child calls only
        // async-signal-safe functions (dup2, close, signal, execvp, write, _exit) and uses
        // only memory prepared before the fork.
        match unsafe { fork() }? {
            ForkResult::Child => {
                let stdin_ok = previous.as_ref().is_none_or(|fd| dup2_stdin(fd).is_ok());
                let stdout_ok = match &next {
                    Some((_, next_writer)) => dup2_stdout(next_writer).is_ok(),
                    None => dup2_stdout(&out_writer).is_ok(),
                };
                if !(stdin_ok && stdout_ok) {
                    sys::exit_child(126);
                }
                // fds 0 and 1 are the copies this command needs; close every original
                // (dropping an OwnedFd is a plain close(2)). A write end left open here would
                // keep the next command from ever seeing end of file.
                drop(previous);
                drop(next);
                drop(out_reader);
                drop(out_writer);
                // SAFETY: restoring the default action of SIGPIPE installs no handler: no
                // code of ours can run from a signal.
                let _ = unsafe { signal(Signal::SIGPIPE, SigHandler::SigDfl) };
                // SAFETY: argv is an array of pointers to NUL-terminated strings (alive: the
                // CStrings in `args`), ending with a null pointer, as execvp(3) requires.
                unsafe { nix::libc::execvp(argv[0], argv.as_ptr()) };
                // execvp returned: it failed. Say so (a write of prepared bytes) and end.
                let errno = Errno::last();
                if errno == Errno::ENOENT {
                    let _ = sys::write_all(std::io::stderr(), &not_found[i]);
                }
                sys::exit_child(if errno == Errno::ENOENT { 127 } else { 126 })
            }
            ForkResult::Parent { child } => {
                pids.push(child);
                // The parent uses none of the command pipes: close the previous read end
                // (assigning drops it) and this pipe's write end; keep only its read end,
                // for the next command.
                previous = next.map(|(next_reader, next_writer)| {
                    drop(next_writer);
                    next_reader
                });
            }
        }
    }
    drop(previous);
    // Our copy of the output's write end must go too, or the read below waits for ourselves.
    drop(out_writer);
    let stdout = sys::read_to_end(&out_reader);
    drop(out_reader);
    // Reap every command, in order, even if reading failed.
    let mut statuses = Vec::with_capacity(pids.len());
    for pid in pids {
        statuses.push(wait_child(pid)?);
    }
    Ok(PipelineOutput {
        stdout: stdout?,
        statuses,
    })
}
