//! What Lab 3's public and hidden checks share: running a scenario in a fresh process
//! (`run-lab lab3 --scenario ...`) and reading its report.
//!
//! Included with `#[path]` by `checker/tests/lab3.rs` and `checker/hidden/lab3.rs`, whose
//! crates also mount `support/run_lab.rs` as `run_lab`.

use checker::harness::{NOT_IMPLEMENTED, STUDENT_PANIC, TIMED_OUT};
use checker::kit::course::Course;
use std::collections::BTreeMap;
use std::time::Duration;

/// A scenario's report: `key=value` lines.
pub struct Report {
    pub command: String,
    pub values: BTreeMap<String, String>,
}

impl Report {
    pub fn get(&self, key: &str) -> &str {
        self.values.get(key).map_or("", String::as_str)
    }
}

/// Runs `run-lab lab3 --scenario ARGS...` for task `task` and returns its report, after
/// turning a hang, a `todo!()` or a panic into the harness's verdicts. `hang` says what a
/// hang most likely means in this scenario.
pub fn scenario(task: &str, args: &[&str], hang: &str) -> Report {
    let (lab, t) = Course::embedded()
        .task(task)
        .unwrap_or_else(|| panic!("course.toml has no task {task}"));
    let mut full = vec!["lab3", "--scenario"];
    full.extend_from_slice(args);
    let command = format!(
        "cargo run -p checker --bin run-lab -- lab3 --scenario {}",
        args.join(" ")
    );
    // The supervisor's own deadline comes first; this one only guards the guard.
    let backstop = checker::scenarios::lab3::DEFAULT_DEADLINE + Duration::from_secs(8);
    let out = checker::snapshot::run_lab(crate::run_lab::RUN_LAB, &full, backstop);
    let values: BTreeMap<String, String> = out
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.replace("\\n", "\n").replace("\\\\", "\\")))
        .collect();
    let r = Report { command, values };
    match r.get("supervisor") {
        "done" => {}
        "timeout" => panic!(
            "{TIMED_OUT} task {task} ({}): `{}` did not finish within {} ms; it was killed with every \
             process it started. {hang} Hint: {}",
            t.title,
            r.command,
            r.get("deadline_ms"),
            t.hint
        ),
        "worker-died" => panic!(
            "task {task}: the process that called your code died ({}) while running `{}`. Did code \
             meant for a child (a kill, a raise, an exit) run in the calling process? Only the \
             ForkResult::Child branch may run it.",
            r.get("worker_status"),
            r.command
        ),
        _ => panic!(
            "the scenario runner did not report (`{}`):\n{out}",
            r.command
        ),
    }
    match r.get("outcome") {
        "ok" => r,
        "not_implemented" => panic!(
            "{NOT_IMPLEMENTED} task {task} ({}) is not implemented yet: {}. Write it in {}, then \
             run `cargo course check lab3`.",
            t.title,
            r.get("message"),
            lab.task_path(t).display()
        ),
        "panic" => panic!(
            "{STUDENT_PANIC} your code panicked during `{}`: {}",
            r.command,
            r.get("message")
        ),
        "" => panic!(
            "task {task}: the process that called your code ended before it could report (`{}`): \
             does your code call std::process::exit or _exit outside the child?",
            r.command
        ),
        other => panic!(
            "the scenario `{}` reported outcome {other:?}: {}",
            r.command,
            r.get("message")
        ),
    }
}

/// Runs fan_out (task 3.4) on `inputs` with `processes` children and the work `work`, with
/// the scenario's further arguments `more`.
pub fn fan_out_scenario(
    inputs: &str,
    processes: &str,
    work: &str,
    more: &[&str],
    hang: &str,
) -> Report {
    let mut args = vec![
        "fanout",
        "--inputs",
        inputs,
        "--processes",
        processes,
        "--work",
        work,
    ];
    args.extend_from_slice(more);
    scenario("3.4", &args, hang)
}

/// Task 3.2: the parent received as many bytes as the child sent.
pub fn assert_len_received(r: &Report, len: usize) {
    assert_eq!(
        r.get("len"),
        len.to_string(),
        "the child sent {len} bytes; the parent got {}",
        r.get("len")
    );
}

/// After the call: no child (running or zombie), no descriptor opened or closed, one thread,
/// and no process that outlived the scenario.
pub fn assert_clean(r: &Report, what: &str) {
    let zombies = r.get("zombies");
    assert_eq!(
        zombies, "0",
        "{what} left {zombies} zombie(s) (`{}`): every child must be reaped with waitpid (wait_child), \
         or it stays in the process table, state Z in /proc",
        r.command
    );
    let children = r.get("children");
    assert_eq!(
        children, "0",
        "{what} returned while {children} child process(es) still ran (`{}`): wait for (or kill and \
         then wait for) every child before returning",
        r.command
    );
    assert_eq!(
        r.get("leaked_fds"),
        "",
        "{what} left descriptors open (`{}`): {}. Drop (close) every pipe end once it is no longer \
         needed, in the parent too",
        r.command,
        r.get("leaked_fds")
    );
    assert_eq!(
        r.get("closed_fds"),
        "",
        "{what} closed descriptors it did not open (`{}`): {}. In the parent, close only the pipe \
         ends you created; dup2 onto 0 and 1 belongs in the children",
        r.command,
        r.get("closed_fds")
    );
    assert_eq!(
        r.get("threads"),
        "1",
        "{what} left threads running (`{}`): join every thread you spawn",
        r.command
    );
    assert_eq!(
        r.get("leftover_processes"),
        "0",
        "processes started by {what} outlived it (`{}`): a grandchild, or a child that escaped",
        r.command
    );
}
