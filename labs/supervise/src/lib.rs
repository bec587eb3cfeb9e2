//! One way to run a child process: spawn, drain, deadline, kill the whole scope, reap.
//!
//! Every tool of the course runs programs it cannot trust to end: a student's check that
//! deadlocks, a build that makes the compiler loop, a demo, a Python script that forks.
//! They all go through [`run`], so a fix made here holds for all of them:
//!
//! - the child is the leader of a **process group** of its own, so everything it forks can
//!   be killed with one `killpg`;
//! - stdout and stderr are **drained** on their own threads, the whole time, so the child
//!   never blocks on a full pipe, and only the first `cap` bytes are kept;
//! - at the **deadline** (or as soon as the output passes the cap, when asked) the group is
//!   killed with SIGKILL, then the [`Scope`] kills whatever escaped the group (a `setsid`
//!   child, a process of the sandbox's uid or cgroup), and the child is **reaped**;
//! - a stream still held open by a process nobody could kill (without a sandbox, a daemon
//!   the child left) is given [`GRACE`] to close, then abandoned: the caller never hangs.
//!
//! The sandbox is passed in as a policy: a [`Scope`] confines the command before it is
//! spawned and ends what is left after. [`Descendants`] (the process group, and every process
//! that inherited the child's mark) is the policy of the student's own tools for what they
//! run of the student's code; [`Group`] (the process group only) for builds.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long a stream may stay open after the child was killed and reaped.
pub const GRACE: Duration = Duration::from_secs(2);

/// What happens to one of the child's output streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Captured (the first `cap` bytes kept).
    Capture,
    /// Passed through to ours (a traceback stays visible).
    Inherit,
    /// Thrown away.
    Null,
}

/// How to run the child.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Killed at this wall-clock deadline (None: no deadline).
    pub deadline: Option<Duration>,
    /// Bytes kept per captured stream.
    pub cap: usize,
    /// Kill the child as soon as a captured stream passes `cap` (else keep draining).
    pub kill_past_cap: bool,
    /// What becomes of stdout.
    pub stdout: Stream,
    /// What becomes of stderr.
    pub stderr: Stream,
}

impl Spec {
    /// Both streams captured, `cap` bytes each, killed at `deadline`.
    pub fn capture(deadline: Option<Duration>, cap: usize) -> Spec {
        Spec {
            deadline,
            cap,
            kill_past_cap: false,
            stdout: Stream::Capture,
            stderr: Stream::Capture,
        }
    }
}

/// The policy around one child: what confines it before it starts, and what ends every
/// process it left once it is over.
pub trait Scope {
    /// Prepares `cmd` (environment, namespaces, uid, limits…) just before it is spawned.
    fn contain(&mut self, cmd: &mut Command);
    /// Kills whatever the child left that its process group did not hold.
    fn end(&mut self);
}

/// No confinement: the child's process group is its whole scope (a build: cargo leaves
/// nothing behind, and a compiler cache's server that it starts must live on).
#[derive(Debug, Default, Clone, Copy)]
pub struct Group;

impl Scope for Group {
    fn contain(&mut self, _cmd: &mut Command) {}
    fn end(&mut self) {}
}

/// The environment variable that marks every process started by one [`Descendants`]-scoped
/// child.
pub const MARK: &str = "SUPERVISE_SCOPE";

/// No confinement: the child's process group, and every process that inherited the mark the
/// child was started with (`SUPERVISE_SCOPE=<our pid>-<n>` in its environment).
///
/// The mark reaches what the process group cannot: a child that made a group of its own (a
/// Lab 3 program forking its workers, a demo run by a check) and was orphaned when its parent
/// was killed. Such a process can wait on a pipe for ever; without the mark it would outlive
/// the check that started it. (A process that clears its environment escapes the mark: the
/// grader's sandbox, not this policy, stands against hostile code.)
#[derive(Debug, Default)]
pub struct Descendants {
    mark: Option<String>,
}

impl Scope for Descendants {
    fn contain(&mut self, cmd: &mut Command) {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let mark = format!(
            "{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        cmd.env(MARK, &mark);
        self.mark = Some(mark);
    }

    fn end(&mut self) {
        if let Some(mark) = self.mark.take() {
            kill_marked(&mark);
        }
    }
}

/// SIGKILLs every process of ours whose environment holds `MARK=mark`, again until none is
/// left (one may be forking while we look).
fn kill_marked(mark: &str) {
    let entry = format!("{MARK}={mark}");
    let me = std::process::id();
    for _ in 0..20 {
        let marked: Vec<i32> = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|&pid| pid != me)
            .filter(|pid| {
                // Another user's process, or one already gone: unreadable, so not ours.
                std::fs::read(format!("/proc/{pid}/environ"))
                    .is_ok_and(|env| env.split(|&b| b == 0).any(|v| v == entry.as_bytes()))
            })
            .filter_map(|pid| i32::try_from(pid).ok())
            .collect();
        if marked.is_empty() {
            return;
        }
        for pid in marked {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// What became of the child.
#[derive(Debug)]
pub struct Finished {
    /// Its exit status; `None` when it was killed at the deadline or past the cap.
    pub status: Option<ExitStatus>,
    /// The first `cap` bytes of stdout (empty unless captured).
    pub stdout: Vec<u8>,
    /// The first `cap` bytes of stderr (empty unless captured).
    pub stderr: Vec<u8>,
    /// The deadline passed.
    pub timed_out: bool,
    /// A captured stream passed the cap.
    pub over_cap: bool,
    /// Wall-clock time from spawn to exit (or kill).
    pub elapsed: Duration,
}

/// Runs `cmd` under `scope` as `spec` says. Stdin is /dev/null. `Err` only when the child
/// could not be started.
pub fn run(cmd: &mut Command, spec: &Spec, scope: &mut dyn Scope) -> std::io::Result<Finished> {
    let pipe = |s: Stream| match s {
        Stream::Capture => Stdio::piped(),
        Stream::Inherit => Stdio::inherit(),
        Stream::Null => Stdio::null(),
    };
    cmd.stdin(Stdio::null())
        .stdout(pipe(spec.stdout))
        .stderr(pipe(spec.stderr))
        .process_group(0);
    scope.contain(cmd);
    let t0 = Instant::now();
    let mut child = cmd.spawn()?;
    let pgid = nix::unistd::Pid::from_raw(child.id() as i32);
    let over = Arc::new(AtomicBool::new(false));
    let out = drain(child.stdout.take().map(boxed), spec.cap, &over);
    let err = drain(child.stderr.take().map(boxed), spec.cap, &over);
    let mut nap = Duration::from_millis(1);
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(_) => break None,
        }
        if spec.kill_past_cap && over.load(Ordering::SeqCst) {
            break None;
        }
        if spec.deadline.is_some_and(|d| t0.elapsed() >= d) {
            timed_out = true;
            break None;
        }
        std::thread::sleep(nap);
        // Short checks end in a few milliseconds: poll fast at first, then back off.
        nap = (nap * 2).min(Duration::from_millis(10));
    };
    let elapsed = t0.elapsed();
    // The child is over (or out of time): whatever it started goes too, so no leftover keeps
    // a pipe open or burns a core for the next one.
    let _ = nix::sys::signal::killpg(pgid, nix::sys::signal::Signal::SIGKILL);
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    scope.end();
    let stdout = out.map(collect).unwrap_or_default();
    let stderr = err.map(collect).unwrap_or_default();
    Ok(Finished {
        status,
        stdout,
        stderr,
        timed_out,
        over_cap: over.load(Ordering::SeqCst),
        elapsed,
    })
}

fn boxed(s: impl Read + Send + 'static) -> Box<dyn Read + Send> {
    Box::new(s)
}

type Drained = std::sync::mpsc::Receiver<Vec<u8>>;

/// Reads `stream` to its end on a thread of its own, keeping the first `cap` bytes.
fn drain(
    stream: Option<Box<dyn Read + Send>>,
    cap: usize,
    over: &Arc<AtomicBool>,
) -> Option<Drained> {
    let mut stream = stream?;
    let over = over.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            // Keep reading past the cap (so the child never blocks on a full pipe) but keep
            // only the first `cap` bytes.
            let room = cap.saturating_sub(kept.len());
            if n > room {
                over.store(true, Ordering::SeqCst);
            }
            kept.extend_from_slice(&buf[..n.min(room)]);
        }
        let _ = tx.send(kept);
    });
    Some(rx)
}

fn collect(rx: Drained) -> Vec<u8> {
    rx.recv_timeout(GRACE).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut c = Command::new("sh");
        c.args(["-c", script]);
        c
    }

    /// `script` run in its own group with this deadline, 1 KiB of each stream kept.
    fn captured(script: &str, deadline: Duration) -> Finished {
        run(
            &mut sh(script),
            &Spec::capture(Some(deadline), 1024),
            &mut Descendants::default(),
        )
        .unwrap()
    }

    #[test]
    fn captures_both_streams_and_the_status() {
        let f = captured("echo out; echo err >&2; exit 3", Duration::from_secs(30));
        assert_eq!(f.stdout, b"out\n");
        assert_eq!(f.stderr, b"err\n");
        assert_eq!(f.status.and_then(|s| s.code()), Some(3));
        assert!(!f.timed_out && !f.over_cap);
    }

    #[test]
    fn a_hang_is_killed_with_its_whole_group_at_the_deadline() {
        // The grandchild holds stdout open: without the group kill the drain would wait.
        let f = captured("sleep 1000 & sleep 1000", Duration::from_millis(200));
        assert!(f.timed_out);
        assert!(f.status.is_none());
    }

    #[test]
    fn a_process_that_left_the_group_ends_with_it() {
        // `setsid` puts the sleeper in a session (and group) of its own: the group kill
        // misses it, the mark does not.
        // The script waits until the sleeper leads its own session (field 6 of its stat).
        let f = captured(
            "setsid sleep 1000 </dev/null >/dev/null 2>&1 & pid=$!; \
             until [ \"$(cut -d' ' -f6 /proc/$pid/stat)\" = \"$pid\" ]; do sleep 0.01; done; \
             echo $pid",
            Duration::from_secs(30),
        );
        let pid = String::from_utf8_lossy(&f.stdout).trim().to_owned();
        assert!(!pid.is_empty(), "no pid printed");
        // Killed: gone, or a zombie until whoever adopted it reaps it.
        let alive = std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            stat.rsplit(')')
                .next()
                .is_some_and(|s| !s.trim_start().starts_with('Z'))
        });
        assert!(!alive, "pid {pid} outlived the child that started it");
    }

    #[test]
    fn output_past_the_cap_is_cut_and_can_end_the_child() {
        let mut spec = Spec::capture(Some(Duration::from_secs(60)), 100);
        spec.kill_past_cap = true;
        let f = run(&mut sh("yes spam"), &spec, &mut Group).unwrap();
        assert!(f.over_cap);
        assert!(f.status.is_none());
        assert_eq!(f.stdout.len(), 100);
    }

    #[test]
    fn the_scope_contains_and_ends() {
        #[derive(Default)]
        struct Seen(bool, bool);
        impl Scope for Seen {
            fn contain(&mut self, cmd: &mut Command) {
                cmd.env("SEEN", "yes");
                self.0 = true;
            }
            fn end(&mut self) {
                self.1 = true;
            }
        }
        let mut seen = Seen::default();
        let f = run(&mut sh("echo $SEEN"), &Spec::capture(None, 64), &mut seen).unwrap();
        assert_eq!(f.stdout, b"yes\n");
        assert!(seen.0 && seen.1);
    }
}
