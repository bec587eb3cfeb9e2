//! Task 3.5 — a shell pipeline with pipe, dup2 and exec.
//!
//! Write `pipeline`: run `cmd1 | cmd2 | ...` as `/bin/sh` would.
//!
//! Read `docs/src/lab3-processes.md#task-3-5`; check: `cargo course check 3.5`.
//!
//! Задание 3.5 — Конвейер оболочки с pipe, dup2 и exec.
//!
//! Читайте `docs/src/lab3-processes.md#task-3-5`
//! (в русской книге: `ru/lab3-processes.html#task-3-5`); проверка: `cargo course check 3.5`.

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
/// `Exited(127)` (126 if exec fails for another reason) and the message
/// `lab3: NAME: command not found` on stderr, never a hang. `Err(Errno::EINVAL)` for no command,
/// an empty command, or a NUL byte in an argument. Call it from a single-threaded process only.
pub fn pipeline(commands: &[&[&str]]) -> nix::Result<PipelineOutput> {
    if commands.is_empty() || commands.iter().any(|c| c.is_empty()) {
        return Err(Errno::EINVAL);
    }
    sys::assert_single_threaded();
    todo!("task 3.5")
}
