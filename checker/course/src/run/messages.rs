//! What libtest prints and what a report says: check names, a pass as libtest prints it,
//! failure messages cut to size.

/// A check's name in reports: `task_2_3::x` for the test `lab2::task_2_3::x` (the public
/// checks' binary holds a module per lab; a report is about one lab already).
pub fn report_name(test: &str) -> String {
    match test.split_once("::") {
        Some((first, rest)) if first.starts_with("lab") && rest.starts_with("task_") => {
            rest.to_owned()
        }
        _ => test.to_owned(),
    }
}

/// The prefix of a hidden check's name in a report, as the grader names them.
pub const HIDDEN_PREFIX: &str = "hidden::";

/// The task a check belongs to: `task_1_3::x` → `1.3`.
pub fn task_of_check(name: &str) -> Option<String> {
    let module = name.split("::").find(|s| s.starts_with("task_"))?;
    Some(module.trim_start_matches("task_").replace('_', "."))
}

/// `true` when `stdout` is exactly what libtest prints for one passing test `name`, and
/// nothing else. A passing check's own output is captured by libtest and never printed, so
/// any other byte on stdout was written around libtest (a forged "test result: ok" line
/// followed by `exit(0)`, for instance) and the check does not count as passed.
pub fn libtest_passed(stdout: &str, name: &str, filtered: Option<usize>) -> bool {
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    let [running, result, summary] = lines.as_slice() else {
        return false;
    };
    let Some(rest) =
        summary.strip_prefix("test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; ")
    else {
        return false;
    };
    let tail_ok = rest
        .split_once(" filtered out; finished in ")
        .is_some_and(|(n, t)| {
            n.parse::<usize>()
                .is_ok_and(|n| filtered.is_none_or(|f| f == n))
                && t.strip_suffix('s')
                    .is_some_and(|t| t.parse::<f64>().is_ok())
        });
    *running == "running 1 test" && *result == format!("test {name} ... ok") && tail_ok
}

/// The part of libtest's output that explains a failure: the captured output of the check.
pub(super) fn failure_message(stdout: &str, name: &str) -> String {
    let start_marker = format!("---- {name} stdout ----");
    let body = match stdout.find(&start_marker) {
        Some(i) => &stdout[i + start_marker.len()..],
        None => stdout,
    };
    let body = body.split("\nfailures:\n").next().unwrap_or(body);
    let lines: Vec<&str> = body
        .lines()
        .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE=1`"))
        .filter(|l| !l.starts_with("thread '") || !l.contains("checker/src/harness.rs"))
        .collect();
    truncate_lines(lines.join("\n").trim(), 80, "")
}

/// The first `max` lines of `text`, then one line saying how many more there were, with
/// `more` after it (where to read them).
pub fn truncate_lines(text: &str, max: usize, more: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= max {
        return text.to_owned();
    }
    format!(
        "{}\n{}{more}",
        lines[..max].join("\n"),
        crate::t!("more-lines", count = lines.len() - max)
    )
}

/// A check's failure message as a student reads it: without libtest's "thread '…' (12)
/// panicked at checker/tests/lab2.rs:289:13:" lines, which name the check's own line, not
/// theirs, without the verdict's machine tag (`[timed out]`, …: the report says the verdict in
/// words), and with the standard library's "assertion … failed" in the student's language.
pub fn student_message(message: &str) -> String {
    let message = message
        .lines()
        .filter(|l| !(l.starts_with("thread '") && l.contains(" panicked at ")))
        .map(assertion_in_words)
        .collect::<Vec<_>>()
        .join("\n");
    crate::i18n::strip_markers(&message)
}

/// `assertion failed: …` and ``assertion `left == right` failed: …`` (the words `assert!` and
/// `assert_eq!` start a message with) in the report's language; any other line as it is.
fn assertion_in_words(line: &str) -> String {
    if let Some(rest) = line.strip_prefix("assertion failed") {
        return format!("{}{rest}", crate::t!("std-assertion-failed"));
    }
    if let Some((comparison, rest)) = line
        .strip_prefix("assertion `")
        .and_then(|l| l.split_once("` failed"))
    {
        return format!(
            "{}{rest}",
            crate::t!("std-comparison-failed", comparison = comparison)
        );
    }
    line.to_owned()
}
