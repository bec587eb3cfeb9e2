//! A whole lab: every check run on a few workers, then scored by task.

use super::{
    Built, CheckOutcome, HIDDEN_PREFIX, LabOutcome, Options, TaskOutcome, Verdict, build, list,
    report_name, run_one, task_of_check,
};
use model::course::{Lab, Task};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Builds and runs every check of `lab`, and scores it.
pub fn check_lab(opts: &Options, lab: &Lab) -> LabOutcome {
    let built = match build(opts, lab) {
        Ok(b) => b,
        Err((verdict, message)) => return LabOutcome::failed(lab, verdict, message),
    };
    match run_built(opts, lab, &built) {
        Ok(outcomes) => score(lab, outcomes),
        Err(message) => LabOutcome::failed(lab, Verdict::GraderError, message),
    }
}

/// Runs every check of a build: the public ones, then the hidden ones (if built), whose
/// names get [`HIDDEN_PREFIX`] as in the grader's reports.
pub fn run_built(opts: &Options, lab: &Lab, built: &Built) -> Result<Vec<CheckOutcome>, String> {
    let names = list(&built.tests)?;
    let mut outcomes = run_all(opts, lab, &built.tests, &names);
    if let Some(hidden) = &built.hidden {
        let names = list(hidden)?;
        outcomes.extend(run_all(opts, lab, hidden, &names).into_iter().map(|mut o| {
            o.name = format!("{HIDDEN_PREFIX}{}", o.name);
            o
        }));
    }
    Ok(outcomes)
}

/// Runs the named checks of `lab` on `opts.jobs` workers; results in the order of `names`.
pub fn run_all(opts: &Options, lab: &Lab, tests: &Path, names: &[String]) -> Vec<CheckOutcome> {
    on_workers(opts.jobs, names.len(), |i| {
        let name = &names[i];
        // The harness inside the check enforces the task's deadline and explains a
        // hang; the kill here is the backstop for a process that cannot even do that.
        let deadline = task_for(lab, name)
            .map_or(Duration::from_secs(lab.timeout_secs), |t| t.timeout(lab))
            + Duration::from_secs(5);
        let mut outcome = run_one(opts, tests, name, deadline);
        outcome.name = report_name(name);
        outcome
    })
}

/// `one(i)` for every `i` below `n`, on `workers` threads (at least one), each taking the
/// next `i` when done; the results in the order of `i`.
pub fn on_workers<T: Send>(workers: usize, n: usize, one: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..workers.max(1) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= n {
                        break;
                    }
                    let result = one(i);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

fn task_for<'a>(lab: &'a Lab, check: &str) -> Option<&'a Task> {
    task_of_check(check).and_then(|id| lab.task(&id))
}

/// Groups check outcomes by task and gives each task its points (all checks pass) or none.
pub fn score(lab: &Lab, outcomes: Vec<CheckOutcome>) -> LabOutcome {
    let mut tasks = TaskOutcome::unscored(lab);
    let mut orphan_checks = Vec::new();
    for outcome in outcomes {
        match task_of_check(&outcome.name).and_then(|id| tasks.iter_mut().find(|t| t.id == id)) {
            Some(task) => task.checks.push(outcome),
            None => orphan_checks.push(outcome.name),
        }
    }
    for task in &mut tasks {
        let all_pass =
            !task.checks.is_empty() && task.checks.iter().all(|c| c.verdict == Verdict::Pass);
        task.earned = if all_pass { task.points } else { 0 };
    }
    LabOutcome {
        lab: lab.id.clone(),
        tasks,
        failure: None,
        orphan_checks,
    }
}
