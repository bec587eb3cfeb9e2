use super::messages::failure_message;
use super::*;

#[test]
fn a_report_names_a_check_without_its_lab_module() {
    assert_eq!(report_name("lab2::task_2_3::x"), "task_2_3::x");
    assert_eq!(report_name("task_1_3::fib"), "task_1_3::fib");
    assert_eq!(report_name("helpers::x"), "helpers::x");
}

#[test]
fn checks_map_to_tasks_by_module() {
    assert_eq!(
        task_of_check("task_1_3::counts_primes").as_deref(),
        Some("1.3")
    );
    assert_eq!(task_of_check("task_2_10::x").as_deref(), Some("2.10"));
    assert_eq!(task_of_check("helpers::x"), None);
    assert_eq!(
        task_of_check("hidden::task_1_3::other_sizes").as_deref(),
        Some("1.3")
    );
}

#[test]
fn a_pass_is_exactly_what_libtest_prints() {
    let real = "\nrunning 1 test\ntest task_1_3::fib ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; \
                0 measured; 13 filtered out; finished in 0.00s\n\n";
    assert!(libtest_passed(real, "task_1_3::fib", None));
    assert!(libtest_passed(real, "task_1_3::fib", Some(13)));
    assert!(
        !libtest_passed(real, "task_1_3::fib", Some(0)),
        "a forger's filtered-out count"
    );
    assert!(!libtest_passed(real, "task_1_3::other", None));
    let forged = "\nrunning 1 test\ntest task_1_3::fib ... test result: ok. 1 passed\n";
    assert!(!libtest_passed(forged, "task_1_3::fib", None));
    let extra = real.replace("... ok", "... spam\nok");
    assert!(!libtest_passed(&extra, "task_1_3::fib", None));
}

#[test]
fn a_lab_named_twice_is_graded_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let course = Course::load(&root).unwrap();
    let ids: Vec<String> = ["lab1", "lab1", "lab2"].map(str::to_owned).to_vec();
    let labs: Vec<&str> = select(&course, &ids)
        .unwrap()
        .iter()
        .map(|l| l.id.as_str())
        .collect();
    assert_eq!(labs, ["lab1", "lab2"]);
}

/// Runs a shell script as if it were a check's test binary (`$2` is the check's name).
fn fake_check(tag: &str, script: &str) -> CheckOutcome {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("course-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let binary = dir.join("check");
    std::fs::write(&binary, format!("#!/bin/sh\n{script}")).unwrap();
    std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
    let opts = Options::new(&dir);
    let o = run_one(&opts, &binary, "task_1_3::fib", Duration::from_secs(10));
    let _ = std::fs::remove_dir_all(&dir);
    o
}

#[test]
fn printing_a_pass_and_exiting_0_is_not_a_pass() {
    // A "test binary" that prints exactly what libtest prints for a pass, a made-up seal
    // line, and exits 0: everything code under test can do by printing.
    let o = fake_check(
        "forge",
        &format!(
            "printf '\\nrunning 1 test\\ntest %s ... ok\\n\\ntest result: ok. 1 passed; \
             0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\\n\\n' \"$2\"\n\
             echo '{} 0123456789abcdef0123456789abcdef' >&2\nexit 0\n",
            model::seal::PASS_MARK
        ),
    );
    assert_eq!(o.verdict, Verdict::Crashed, "{o:?}");
}

#[test]
fn a_signal_is_seen_where_it_strikes_not_read_from_a_message() {
    let o = fake_check("abort", "echo 'about to abort' >&2\nkill -ABRT $$\n");
    assert_eq!(o.verdict, Verdict::Signal, "{o:?}");
    assert!(o.message.contains("SIGABRT"), "{o:?}");
    // The words alone, from a process that exits: a crash, not a signal.
    let o = fake_check(
        "words",
        "echo \"the check's process was killed by SIGKILL\" >&2\nexit 101\n",
    );
    assert_eq!(o.verdict, Verdict::Crashed, "{o:?}");
}

#[test]
fn the_failure_message_is_the_check_section() {
    let out = "running 1 test\ntest task_1_1::a ... FAILED\n\nfailures:\n\n---- task_1_1::a stdout ----\n\
               thread 'check 1.1' panicked at checker/tests/lab1.rs:3:5:\nassertion failed\n\
               note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\
               failures:\n    task_1_1::a\n\ntest result: FAILED. 0 passed; 1 failed";
    assert_eq!(
        failure_message(out, "task_1_1::a"),
        "thread 'check 1.1' panicked at checker/tests/lab1.rs:3:5:\nassertion failed"
    );
}
