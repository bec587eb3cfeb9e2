//! Unit tests of the self-test's own parsing.

use super::*;

#[test]
fn a_failing_tool_test_shows_its_message_not_its_backtrace() {
    let run = "running 2 tests\ntest a ... ok\ntest b ... FAILED\n\nfailures:\n\n\
               ---- b stdout ----\n\nthread 'b' panicked at x.rs:3:5:\nthe grade was 3, expected 0\n\
               stack backtrace:\n   0: std::panicking::begin_panic\n             at /rustc/x.rs:1\n\n\
               failures:\n    b\n\ntest result: FAILED. 1 passed; 1 failed\n\
               error: test failed, to rerun pass `-p course --test grading`\n";
    let shown = failures_of(run);
    assert!(shown.contains("the grade was 3, expected 0"), "{shown}");
    assert!(shown.contains("--test grading"), "{shown}");
    assert!(!shown.contains("begin_panic"), "{shown}");
}
