//! Lab 3's scenarios, which only the checks run: each one runs the lab's code
//! ([`crate::lab3`]: labs/ or solutions/, by feature) in a fresh process and prints what
//! happened as `key=value` lines.
//!
//! The checks cannot call your functions themselves: the test harness is multi-threaded,
//! and `fork` in a multi-threaded process is only safe for a child that calls nothing but
//! async-signal-safe functions until `exec` (see [`crate::lab3::sys::assert_single_threaded`]).
//! So each check runs `run-lab lab3 --scenario NAME [options]`, a new single-threaded
//! process, and reads its report. You can run them too:
//!
//! ```text
//! cargo run -p checker --bin run-lab -- lab3 --scenario pipe --bytes 1048576
//! cargo run -p checker --bin run-lab -- lab3 --scenario pipeline -- seq 1 20 '|' grep 1 '|' wc -l
//! ```
//!
//! Two processes take part in each run:
//! - the **supervisor** (the process started by the check) forks the worker into a process
//!   group of its own, waits for it at most `--deadline-ms` (8 s by default), and then kills
//!   whatever is left of the group and reaps every process, orphans included (it is their
//!   "subreaper"). A hang (a read that never sees end of file) becomes `supervisor=timeout`,
//!   and no process survives it;
//! - the **worker** calls the lab's code, then looks at itself through `/proc`: its threads, its
//!   children (zombies included) and its open descriptors, compared with before the call.
//!
//! Report keys common to every scenario: `outcome` (`ok`, `not_implemented`, `panic`),
//! `message`, `threads`, `children`, `zombies`, `leaked_fds`, `closed_fds`, then from the
//! supervisor `supervisor` (`done`, `timeout`, `worker-died`) and `leftover_processes`.

use crate::lab3::demo::pattern;
use crate::lab3::fanout::{fan_out, split};
use crate::lab3::fork::run_in_child;
use crate::lab3::isolation::increment_in_child;
use crate::lab3::pipe::compute_in_child;
use crate::lab3::reap::{Job, first_to_finish};
use crate::lab3::shell::pipeline;
use crate::lab3::sys;
use nix::sys::signal::{Signal, kill, raise};
use nix::sys::wait::WaitStatus;
use nix::unistd::{Pid, getpid};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// How long the worker may run before the supervisor kills it, unless `--deadline-ms` says.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(8);

/// The scenarios, for `--scenario help`.
const USAGE: &str = "scenarios:
  exit-status --cases exit0,exit3,exit255,panic,sigkill,sigterm,in-child,
                      sibling,eintr                                        task 3.1
  wait-order                                                               task 3.1
  pipe --bytes N [--panic]                                                 task 3.2
  isolation --start N                                                      task 3.3
  fanout --inputs N --processes P --work square|pid|exit-on-last
         [--summary]                                                       task 3.4
  pipeline [--capture-stderr] -- CMD ARG... '|' CMD ARG...                 task 3.5
  race --jobs N --fast K [--stubborn]                                      task 3.6
  cost --rounds N                                                          task 3.7
common option: --deadline-ms MS (default 8000)";

/// Entry point: `args` are what follows `--scenario` on the command line.
pub fn run(args: &[String]) {
    let Some(name) = args.first().cloned() else {
        eprintln!("usage: run-lab lab3 --scenario NAME [options]\n{USAGE}");
        std::process::exit(2);
    };
    let opts = Options::parse(&args[1..]);
    if name == "help" {
        println!("{USAGE}");
        return;
    }
    let deadline = opts
        .number("deadline-ms")
        .map_or(DEFAULT_DEADLINE, Duration::from_millis);
    supervise(&name, &opts, deadline);
}

/// The supervisor: runs the worker in a group of its own, with a deadline, and leaves no
/// process behind.
fn supervise(name: &str, opts: &Options, deadline: Duration) {
    // Descendants orphaned by a kill come back to us, to be reaped (no zombie of init).
    sys::become_subreaper();
    // If the check that started us dies, we die too (and the group with us: see below).
    let _ = nix::sys::prctl::set_pdeathsig(Signal::SIGKILL);
    let worker = match sys::fork_in_new_group(|| {
        // A backstop for the worker alone, should the supervisor itself be killed first.
        nix::unistd::alarm::set(deadline.as_secs() as u32 + 5);
        worker(name, opts);
        0
    }) {
        Ok(pid) => pid,
        Err(e) => {
            println!("supervisor=error\nmessage=cannot fork the worker: {e}");
            return;
        }
    };
    let status = sys::wait_with_deadline(worker, deadline);
    let leftover = sys::kill_group_and_reap(worker);
    match status {
        Some(WaitStatus::Exited(_, 0)) => println!("supervisor=done"),
        Some(other) => println!("supervisor=worker-died\nworker_status={other:?}"),
        None => println!("supervisor=timeout\ndeadline_ms={}", deadline.as_millis()),
    }
    println!("leftover_processes={leftover}");
    let _ = std::io::stdout().flush();
}

/// `--key value` options and the words after `--`.
#[derive(Debug, Default)]
struct Options {
    values: BTreeMap<String, String>,
    flags: Vec<String>,
    rest: Vec<String>,
}

impl Options {
    fn parse(args: &[String]) -> Options {
        let mut o = Options::default();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "--" {
                o.rest = args[i + 1..].to_vec();
                break;
            }
            if let Some(key) = a.strip_prefix("--") {
                match args.get(i + 1) {
                    Some(v) if !v.starts_with("--") => {
                        o.values.insert(key.to_owned(), v.clone());
                        i += 1;
                    }
                    _ => o.flags.push(key.to_owned()),
                }
            }
            i += 1;
        }
        o
    }

    fn number(&self, key: &str) -> Option<u64> {
        self.values.get(key).and_then(|v| v.parse().ok())
    }

    fn text(&self, key: &str) -> &str {
        self.values.get(key).map_or("", String::as_str)
    }

    fn flag(&self, key: &str) -> bool {
        self.flags.iter().any(|f| f == key)
    }
}

/// The worker's report and the guard around each call into the lab's code.
struct Worker {
    pid: Pid,
    lines: Vec<(String, String)>,
    failed: bool,
}

impl Worker {
    fn set(&mut self, key: &str, value: impl ToString) {
        // One line per key: newlines in a value (a panic message) are escaped.
        let value = value.to_string().replace('\\', "\\\\").replace('\n', "\\n");
        self.lines.push((key.to_owned(), value));
    }

    /// Calls the lab's code. A `todo!()` or a panic is recorded (and the scenario stops);
    /// a forked child that *returned* out of the lab's function, instead of ending with
    /// `_exit`, is stopped at once with [`sys::ESCAPED_CHILD_EXIT`].
    fn call<T>(&mut self, f: impl FnOnce() -> T) -> Option<T> {
        if self.failed {
            return None;
        }
        let result = kit::demo::catch(f);
        if getpid() != self.pid {
            sys::exit_child(sys::ESCAPED_CHILD_EXIT);
        }
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.failed = true;
                let outcome = if kit::demo::is_not_implemented(&message) {
                    "not_implemented"
                } else {
                    "panic"
                };
                self.set("outcome", outcome);
                self.set("message", message);
                None
            }
        }
    }
}

/// The worker: runs one scenario, then reports on its own threads, children and descriptors.
fn worker(name: &str, opts: &Options) {
    let fds_before = sys::open_fds();
    let mut w = Worker {
        pid: getpid(),
        lines: Vec::new(),
        failed: false,
    };
    match name {
        "exit-status" => exit_status(&mut w, opts),
        "wait-order" => wait_order(&mut w),
        "pipe" => pipe(&mut w, opts),
        "isolation" => isolation(&mut w, opts),
        "fanout" => fanout(&mut w, opts),
        "pipeline" => shell_pipeline(&mut w, opts),
        "race" => race(&mut w, opts),
        "cost" => cost(&mut w, opts),
        other => {
            w.failed = true;
            w.set("outcome", "error");
            w.set("message", format!("no scenario {other:?}\n{USAGE}"));
        }
    }
    if !w.failed {
        w.set("outcome", "ok");
    }
    // What the call left behind.
    sys::wait_single_threaded(Duration::from_millis(500));
    w.set("threads", sys::thread_count());
    let children = sys::children();
    w.set("children", children.len());
    w.set("zombies", children.iter().filter(|c| c.is_zombie()).count());
    let fds_after = sys::open_fds();
    let describe = |fds: Vec<(&i32, &String)>| {
        fds.into_iter()
            .map(|(fd, target)| format!("{fd}→{target}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    w.set(
        "leaked_fds",
        describe(
            fds_after
                .iter()
                .filter(|(fd, _)| !fds_before.contains_key(fd))
                .collect(),
        ),
    );
    w.set(
        "closed_fds",
        describe(
            fds_before
                .iter()
                .filter(|(fd, _)| !fds_after.contains_key(fd))
                .collect(),
        ),
    );
    // Clean up after the lab's code, so that this process ends alone: kill and reap any child
    // it left (the supervisor reaps their orphans).
    for child in &children {
        let _ = kill(child.pid, Signal::SIGKILL);
        let _ = nix::sys::wait::waitpid(child.pid, None);
    }
    let mut out = String::new();
    for (key, value) in &w.lines {
        out.push_str(&format!("{key}={value}\n"));
    }
    print!("{out}");
    let _ = std::io::stdout().flush();
}

/// Task 3.1: one `run_in_child` per case.
fn exit_status(w: &mut Worker, opts: &Options) {
    let me = getpid();
    for case in opts.text("cases").split(',').filter(|c| !c.is_empty()) {
        let f: Box<dyn FnOnce() -> i32> = match case {
            "exit0" => Box::new(|| 0),
            "exit3" => Box::new(|| 3),
            "exit255" => Box::new(|| 255),
            "panic" => Box::new(|| panic!("a panic in the child's function")),
            "sigkill" => Box::new(|| {
                let _ = kill(getpid(), Signal::SIGKILL);
                0
            }),
            "sigterm" => Box::new(|| {
                let _ = raise(Signal::SIGTERM);
                0
            }),
            // 0 only in another process than the caller.
            "in-child" => Box::new(move || i32::from(getpid() == me)),
            // Another child of the caller has already ended (a zombie) when this one starts:
            // waiting for *any* child (wait()) would collect the wrong one.
            "sibling" => {
                let Some(sibling) = zombie_child(7) else {
                    w.set("case.sibling", "cannot fork the sibling");
                    continue;
                };
                let result = w.call(|| {
                    run_in_child(|| {
                        std::thread::sleep(Duration::from_millis(30));
                        3
                    })
                });
                let Some(result) = result else {
                    return;
                };
                w.set("case.sibling", format!("{result:?}"));
                // The sibling's status must still be there for its own waitpid.
                let left = match nix::sys::wait::waitpid(sibling, None) {
                    Ok(WaitStatus::Exited(_, code)) => format!("Exited({code})"),
                    Ok(other) => format!("{other:?}"),
                    Err(e) => format!("Err({e:?})"),
                };
                w.set("sibling_status", left);
                continue;
            }
            // A signal reaches the caller while it waits: waitpid fails with EINTR, which
            // only means "not yet".
            "eintr" => {
                install_noop_handler(Signal::SIGUSR1);
                let parent = getpid();
                Box::new(move || {
                    signal_when_waiting(parent, Signal::SIGUSR1);
                    std::thread::sleep(Duration::from_millis(20));
                    4
                })
            }
            other => {
                w.set(&format!("case.{other}"), "unknown case");
                continue;
            }
        };
        let Some(result) = w.call(|| run_in_child(f)) else {
            return;
        };
        w.set(&format!("case.{case}"), format!("{result:?}"));
    }
}

/// Forks a child that exits with `code` at once, and returns when it has ended (a zombie,
/// its status not collected: `waitid` with `WNOWAIT` waits without reaping).
fn zombie_child(code: i32) -> Option<Pid> {
    use nix::sys::wait::{Id, WaitPidFlag, waitid};
    // SAFETY: the scenario's worker is single-threaded (the lab's functions assert it too),
    // and the child only calls _exit.
    let pid = match unsafe { nix::unistd::fork() }.ok()? {
        nix::unistd::ForkResult::Child => sys::exit_child(code),
        nix::unistd::ForkResult::Parent { child } => child,
    };
    loop {
        match waitid(Id::Pid(pid), WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT) {
            Ok(_) => return Some(pid),
            Err(nix::errno::Errno::EINTR) => {}
            Err(_) => return None,
        }
    }
}

extern "C" fn noop_handler(_: nix::libc::c_int) {}

/// Catches `signal` with a handler that does nothing, *without* `SA_RESTART`: a blocking
/// call interrupted by it (`waitpid`, `read`) fails with `EINTR` instead of going on.
fn install_noop_handler(signal: Signal) {
    use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, sigaction};
    let action = SigAction::new(
        SigHandler::Handler(noop_handler),
        SaFlags::empty(),
        SigSet::empty(),
    );
    // SAFETY: the handler does nothing at all, which is async-signal-safe.
    let _ = unsafe { sigaction(signal, &action) };
}

/// In a child: sends `signal` to `parent` once the parent sleeps in a wait for a child
/// (`/proc/<parent>/wchan` says `do_wait`), so that the signal interrupts that wait. Gives
/// up waiting for that after 2 s and sends it anyway.
fn signal_when_waiting(parent: Pid, signal: Signal) {
    let t0 = std::time::Instant::now();
    while t0.elapsed() < Duration::from_secs(2) {
        let wchan = std::fs::read_to_string(format!("/proc/{parent}/wchan")).unwrap_or_default();
        if wchan.contains("wait") {
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let _ = kill(parent, signal);
}

/// Task 3.1: `wait_child` with two children, the one asked for still running while the
/// other has already ended: `wait_child(slow)` must report the slow one.
fn wait_order(w: &mut Worker) {
    // SAFETY: single-threaded worker; the child only sleeps and calls _exit.
    let slow = match unsafe { nix::unistd::fork() } {
        Ok(nix::unistd::ForkResult::Child) => {
            std::thread::sleep(Duration::from_millis(30));
            sys::exit_child(6)
        }
        Ok(nix::unistd::ForkResult::Parent { child }) => child,
        Err(e) => {
            w.set("result", format!("cannot fork: {e}"));
            return;
        }
    };
    let Some(fast) = zombie_child(5) else {
        w.set("result", "cannot fork");
        return;
    };
    let Some(first) = w.call(|| crate::lab3::fork::wait_child(slow)) else {
        return;
    };
    w.set("slow", format!("{first:?}"));
    let Some(second) = w.call(|| crate::lab3::fork::wait_child(fast)) else {
        return;
    };
    w.set("fast", format!("{second:?}"));
    w.set("result", "Ok");
}

/// The last process id the kernel handed out in this pid namespace (threads take ids from
/// the same counter). Two readings around an experiment tell how many processes and threads
/// it created, give or take the rest of the machine.
fn last_pid() -> Option<i32> {
    std::fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Task 3.2: a child computes `--bytes N` bytes and sends them back.
fn pipe(w: &mut Worker, opts: &Options) {
    let len = opts.number("bytes").unwrap_or(11) as usize;
    let me = getpid();
    let panics = opts.flag("panic");
    let Some(result) = w.call(|| {
        compute_in_child(move || {
            if getpid() == me {
                return b"this ran in the calling process, not in a child".to_vec();
            }
            let bytes = pattern(len);
            if panics {
                panic!("the child's function panicked before returning");
            }
            bytes
        })
    }) else {
        return;
    };
    match result {
        Ok((bytes, status)) => {
            let expected = pattern(len);
            w.set("result", "Ok");
            w.set("len", bytes.len());
            w.set("intact", bytes == expected);
            let first_diff = bytes
                .iter()
                .zip(&expected)
                .position(|(a, b)| a != b)
                .map_or_else(
                    || {
                        if bytes.len() == expected.len() {
                            "none".to_owned()
                        } else {
                            bytes.len().min(expected.len()).to_string()
                        }
                    },
                    |i| i.to_string(),
                );
            w.set("first_diff", first_diff);
            w.set("status", format!("{status:?}"));
        }
        Err(e) => w.set("result", format!("Err({e:?})")),
    }
}

/// Task 3.3: a child increments a counter that lives on the heap.
fn isolation(w: &mut Worker, opts: &Options) {
    let start = opts.number("start").unwrap_or(41);
    let mut counter = Box::new(start);
    w.set("parent_pid", getpid());
    let Some(result) = w.call(|| increment_in_child(&mut counter)) else {
        return;
    };
    match result {
        Ok(view) => {
            w.set("result", "Ok");
            w.set("child_pid", view.pid);
            w.set("child_value", view.value);
        }
        Err(e) => w.set("result", format!("Err({e:?})")),
    }
    w.set("parent_value", *counter);
}

/// A counter in memory shared by every process forked after its creation (an anonymous
/// `MAP_SHARED` mapping: the one kind of memory copy-on-write does not copy).
struct SharedCounter(&'static AtomicU32);

impl SharedCounter {
    fn new() -> Option<SharedCounter> {
        // SAFETY: a fresh anonymous mapping of one page, readable and writable, not backed by
        // a file; it is zero-filled, which is a valid AtomicU32. It is never unmapped, so the
        // 'static reference stays valid until the process ends.
        let ptr = unsafe {
            nix::libc::mmap(
                std::ptr::null_mut(),
                4096,
                nix::libc::PROT_READ | nix::libc::PROT_WRITE,
                nix::libc::MAP_SHARED | nix::libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == nix::libc::MAP_FAILED {
            return None;
        }
        // SAFETY: see above: aligned (page-aligned), initialised (zeros), never freed.
        Some(SharedCounter(unsafe { &*(ptr as *const AtomicU32) }))
    }

    /// Counts this process in, then waits until `n` processes have been counted in.
    fn arrive_and_wait(&self, n: u32) {
        self.0.fetch_add(1, Ordering::SeqCst);
        while self.0.load(Ordering::SeqCst) < n {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
}

/// A reproducible list of `n` numbers below one million.
pub fn inputs(n: usize) -> Vec<u64> {
    let mut x: u64 = 0x2545_f491;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) % 1_000_000
        })
        .collect()
}

/// Task 3.4: `fan_out` with a barrier: no child may compute until every child has started,
/// so children run one at a time never gets past it (the supervisor's deadline stops it).
/// `--work exit-on-last`: the child that meets the last input ends with exit code 3 before
/// it sends anything (a child that fails).
fn fanout(w: &mut Worker, opts: &Options) {
    let n = opts.number("inputs").unwrap_or(12) as usize;
    let processes = opts.number("processes").unwrap_or(3) as usize;
    let data = inputs(n);
    let children = split(n, processes).len() as u32;
    w.set("parent_pid", getpid());
    w.set("children_expected", children);
    let Some(barrier) = SharedCounter::new() else {
        w.set("result", "no shared memory (mmap failed)");
        return;
    };
    let started = Cell::new(false);
    let by_pid = opts.text("work") == "pid";
    let fail_on = (opts.text("work") == "exit-on-last")
        .then(|| data.last().copied())
        .flatten();
    let work = |x: u64| {
        // Once per process: the first item a child computes waits for the other children.
        if !started.replace(true) {
            barrier.arrive_and_wait(children);
        }
        if fail_on == Some(x) {
            sys::exit_child(3);
        }
        if by_pid {
            getpid().as_raw() as u64
        } else {
            x.wrapping_mul(x).wrapping_add(1)
        }
    };
    let Some(result) = w.call(|| fan_out(&data, processes, work)) else {
        return;
    };
    let list = |v: &[u64]| v.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
    match result {
        Ok(results) => {
            w.set("result", "Ok");
            if !opts.flag("summary") {
                w.set("results", list(&results));
            }
            if by_pid {
                let mut distinct = results.clone();
                distinct.sort_unstable();
                distinct.dedup();
                w.set("distinct", list(&distinct));
            } else {
                let expected: Vec<u64> = data
                    .iter()
                    .map(|&x| x.wrapping_mul(x).wrapping_add(1))
                    .collect();
                if opts.flag("summary") {
                    // Large runs: the verdict, not the numbers.
                    w.set("len", results.len());
                    w.set("matches", results == expected);
                    let mut sorted = (results.clone(), expected.clone());
                    sorted.0.sort_unstable();
                    sorted.1.sort_unstable();
                    w.set("same_numbers", sorted.0 == sorted.1);
                } else {
                    w.set("expected", list(&expected));
                }
            }
        }
        Err(e) => w.set("result", format!("Err({e:?})")),
    }
}

/// Task 3.5: the pipeline after `--`, commands separated by a `|` word.
fn shell_pipeline(w: &mut Worker, opts: &Options) {
    let words: Vec<&str> = opts.rest.iter().map(String::as_str).collect();
    let commands: Vec<&[&str]> = if words.is_empty() {
        Vec::new()
    } else {
        words.split(|word| *word == "|").collect()
    };
    let capture = if opts.flag("capture-stderr") {
        match StderrCapture::start() {
            Ok(c) => Some(c),
            Err(e) => {
                w.set("result", format!("cannot capture stderr: {e}"));
                return;
            }
        }
    } else {
        None
    };
    let result = w.call(|| pipeline(&commands));
    if let Some(capture) = capture {
        w.set("stderr", String::from_utf8_lossy(&capture.finish()));
    }
    let Some(result) = result else {
        return;
    };
    match result {
        Ok(out) => {
            w.set("result", "Ok");
            w.set("stdout_hex", hex(&out.stdout));
            w.set("statuses", format!("{:?}", out.statuses));
        }
        Err(e) => w.set("result", format!("Err({e:?})")),
    }
    probe_wait_child(w);
}

/// This process's stderr (fd 2) sent into a pipe while a pipeline runs, so that what its
/// commands write there (a "command not found") can be reported; then fd 2 is restored.
/// Every descriptor it opens is closed again: the worker's descriptor count stays clean.
struct StderrCapture {
    reader: std::os::fd::OwnedFd,
    saved: std::os::fd::OwnedFd,
}

impl StderrCapture {
    fn start() -> nix::Result<StderrCapture> {
        let (reader, writer) = nix::unistd::pipe()?;
        let saved = nix::unistd::dup(std::io::stderr())?;
        nix::unistd::dup2_stderr(&writer)?;
        Ok(StderrCapture { reader, saved })
    }

    /// Restores fd 2 and reads what was written (the pipeline's children have ended, so
    /// fd 2 was the last write end).
    fn finish(self) -> Vec<u8> {
        let _ = nix::unistd::dup2_stderr(&self.saved);
        drop(self.saved);
        sys::read_to_end(&self.reader).unwrap_or_default()
    }
}

/// How this crate's `wait_child` (task 3.1) reports a child killed by `SIGPIPE`, and whether
/// it waits for the child it is given: a pipeline's statuses come from it, so the checks of
/// task 3.5 judge the pipeline by it and leave `wait_child` itself to task 3.1's checks.
/// Recorded as `probe.sigpipe` and `probe.waits_for_any` (`unknown` if it failed).
fn probe_wait_child(w: &mut Worker) {
    use crate::lab3::fork::wait_child;
    use nix::sys::signal::{SigHandler, signal};
    // SAFETY: single-threaded worker; the child restores SIGPIPE's default action (no
    // handler of ours) and kills itself with it.
    let killed = match unsafe { nix::unistd::fork() } {
        Ok(nix::unistd::ForkResult::Child) => {
            // SAFETY: restoring a default action installs no handler.
            let _ = unsafe { signal(Signal::SIGPIPE, SigHandler::SigDfl) };
            let _ = raise(Signal::SIGPIPE);
            sys::exit_child(0)
        }
        Ok(nix::unistd::ForkResult::Parent { child }) => child,
        Err(_) => return,
    };
    let sigpipe = kit::demo::catch(|| wait_child(killed));
    w.set(
        "probe.sigpipe",
        match &sigpipe {
            Ok(Ok(status)) => format!("{status:?}"),
            _ => "unknown".to_owned(),
        },
    );
    // SAFETY: single-threaded worker; the child sleeps and calls _exit.
    let slow = match unsafe { nix::unistd::fork() } {
        Ok(nix::unistd::ForkResult::Child) => {
            std::thread::sleep(Duration::from_millis(20));
            sys::exit_child(6)
        }
        Ok(nix::unistd::ForkResult::Parent { child }) => child,
        Err(_) => return,
    };
    let fast = zombie_child(5);
    let order = kit::demo::catch(|| wait_child(slow));
    w.set(
        "probe.waits_for_any",
        match &order {
            Ok(Ok(status)) => (*status != crate::lab3::fork::ChildStatus::Exited(6)).to_string(),
            _ => "unknown".to_owned(),
        },
    );
    // Reap whatever the probes left (ECHILD for what wait_child already collected).
    for pid in [Some(killed), Some(slow), fast].into_iter().flatten() {
        let _ = nix::sys::wait::waitpid(pid, None);
    }
}

/// Lower-case hexadecimal, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Task 3.6: `--jobs N` jobs; job `--fast K` answers at once, the others after 20 s.
fn race(w: &mut Worker, opts: &Options) {
    let n = opts.number("jobs").unwrap_or(3) as usize;
    let fast = opts.number("fast").unwrap_or(1) as usize;
    // Stubborn jobs ignore the polite signals: only SIGKILL (which cannot be caught or
    // ignored) ends them early.
    let stubborn = opts.flag("stubborn");
    let jobs: Vec<Job> = (0..n)
        .map(|i| -> Job {
            Box::new(move || {
                if stubborn {
                    use nix::sys::signal::{SigHandler, signal};
                    for polite in [Signal::SIGTERM, Signal::SIGINT, Signal::SIGHUP] {
                        // SAFETY: ignoring a signal installs no handler.
                        let _ = unsafe { signal(polite, SigHandler::SigIgn) };
                    }
                }
                if i != fast {
                    // Long enough to outlast any deadline: only a kill ends it early.
                    std::thread::sleep(Duration::from_secs(20));
                }
                format!("job {i}").into_bytes()
            })
        })
        .collect();
    let Some(result) = w.call(|| first_to_finish(jobs)) else {
        return;
    };
    match result {
        Ok(race) => {
            w.set("result", "Ok");
            w.set("winner", race.winner);
            w.set("output", String::from_utf8_lossy(&race.output));
        }
        Err(e) => w.set("result", format!("Err({e:?})")),
    }
}

/// This process pinned to the CPU it runs on, under `SCHED_FIFO` (priority 1), until
/// dropped. Threads it creates inherit both, and a runnable thread of the same real-time
/// priority never preempts a running one: a new thread runs only when its creator blocks
/// (in a join, say), and an exiting thread finishes leaving before the joiner runs again.
/// So right after a loop of spawns, the threads still alive are exactly those never joined.
/// `None` where the policy is not allowed (no privilege): the check that needs it is skipped.
struct StrictScheduling {
    cpus: nix::libc::cpu_set_t,
}

impl StrictScheduling {
    fn enter() -> Option<StrictScheduling> {
        use nix::libc;
        // SAFETY: cpu_set_t is plain data (a bit array), valid when zeroed; each call below
        // gets a pointer to a live, correctly sized value and only affects this thread.
        unsafe {
            let mut cpus: libc::cpu_set_t = std::mem::zeroed();
            if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut cpus) != 0 {
                return None;
            }
            let cpu = libc::sched_getcpu();
            if cpu < 0 {
                return None;
            }
            let mut one: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_SET(cpu as usize, &mut one);
            if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &one) != 0 {
                return None;
            }
            let param = libc::sched_param { sched_priority: 1 };
            if libc::sched_setscheduler(0, libc::SCHED_FIFO, &param) != 0 {
                libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &cpus);
                return None;
            }
            Some(StrictScheduling { cpus })
        }
    }
}

impl Drop for StrictScheduling {
    fn drop(&mut self) {
        use nix::libc;
        // SAFETY: as in `enter`: valid pointers to live values, this thread only.
        unsafe {
            let param = libc::sched_param { sched_priority: 0 };
            libc::sched_setscheduler(0, libc::SCHED_OTHER, &param);
            libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &self.cpus);
        }
    }
}

/// Task 3.7: each measurement with `--rounds N`, and how many pids it used.
fn cost(w: &mut Worker, opts: &Options) {
    let rounds = opts.number("rounds").unwrap_or(20) as u32;
    let mut wrapped = false;
    let mut measure =
        |w: &mut Worker, key: &str, f: &mut dyn FnMut() -> Result<Duration, String>| {
            let before = last_pid();
            let t0 = std::time::Instant::now();
            let Some(result) = w.call(f) else {
                return;
            };
            // The whole call, timed from outside: a mean of `rounds` rounds times `rounds`
            // cannot exceed it.
            w.set(&format!("{key}_outer_ns"), t0.elapsed().as_nanos());
            let after = last_pid();
            match result {
                Ok(d) => w.set(&format!("{key}_ns"), d.as_nanos()),
                Err(e) => w.set(&format!("{key}_ns"), format!("Err({e})")),
            }
            if let (Some(a), Some(b)) = (before, after) {
                // pid numbers wrap around at pid_max: then the count means nothing.
                wrapped |= b < a;
                w.set(&format!("{key}_pids"), b.wrapping_sub(a).max(0));
            }
        };
    use crate::lab3::cost::{fork_wait, spawn_program, thread_spawn_join};
    measure(w, "fork_wait", &mut || {
        fork_wait(rounds).map_err(|e| e.to_string())
    });
    // The threads: on one CPU, under a real-time policy (below), a thread that is not joined
    // has not even run when the function returns, and one that is joined is gone.
    let strict = StrictScheduling::enter();
    let mut alive_after = None;
    measure(w, "thread", &mut || {
        let mean = thread_spawn_join(rounds);
        alive_after = Some(sys::thread_count().saturating_sub(1));
        Ok(mean)
    });
    let strict_on = strict.is_some();
    drop(strict);
    w.set(
        "threads_alive_after",
        match (strict_on, alive_after) {
            (true, Some(n)) => n.to_string(),
            _ => "unknown".to_owned(),
        },
    );
    measure(w, "program", &mut || {
        spawn_program("/bin/true", rounds).map_err(|e| e.to_string())
    });
    w.set("pid_wrapped", wrapped);
}
