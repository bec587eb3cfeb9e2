//! Task 3.5 — a shell pipeline, `cmd1 | cmd2 | ...`, with pipe, dup2 and exec.
//!
//! ## TODO
//! `pipeline(commands)`: one child per command; a pipe between each two neighbours, and one
//! more pipe from the last command back to this process. In each child: make the previous
//! pipe's read end its stdin (`dup2_stdin`) and the next pipe's write end (or the output
//! pipe's, for the last command) its stdout (`dup2_stdout`), close every original pipe
//! descriptor, restore the default action of `SIGPIPE`, and `execvp` the command. If
//! `execvp` returns, it failed: write `lab3: NAME: command not found` to stderr and
//! `sys::exit_child(127)` (126 if the error is not `ENOENT`). The parent closes every pipe
//! end it does not read, reads the output pipe to end of file, then reaps every child in
//! command order. `Err(Errno::EINVAL)` for no command, an empty one, or a NUL in an argument.
//!
//! ## Hint
//! Keep `previous: Option<OwnedFd>` (the read end for the next command's stdin) across the
//! loop. Build every `CString` (and the null-terminated array of pointers
//! `nix::libc::execvp` takes, or use `nix::unistd::execvp`) **before** forking. Restore
//! `SIGPIPE` with `unsafe { nix::sys::signal::signal(Signal::SIGPIPE, SigHandler::SigDfl) }`.
//!
//! ## Caveat
//! `wc` prints only at end of file on its stdin, and that comes only when every copy of the
//! pipe's write end is closed: in the parent, and in every child (children inherit the
//! parent's descriptors at fork). One forgotten copy and the pipeline never ends.
//! Rust ignores `SIGPIPE` and exec keeps an ignored signal ignored: without the reset,
//! `yes | head -n 1` ends with `yes` complaining "Broken pipe" (exit 1) instead of being
//! killed by `SIGPIPE`, as under a shell.

use crate::fork::ChildStatus;
use crate::sys;
use nix::errno::Errno;

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
    todo!("task 3.5: a pipe between neighbours, fork, dup2 onto 0 and 1, close the rest, execvp")
}
