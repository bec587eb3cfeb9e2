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

/// A chapter with one "How it is checked" section: a real check, a misspelt one, code that
/// is no check (in an item and in prose), snapshots three ways, and list items outside it.
const CHAPTER: &str = "\
### Task 9.1 — Something {#task-9-1}

- `before_the_section`: not a check list.

**How it is checked** (`mod task_9_1`): the prose names `count_primes` and `work`.

- `real_check`: calls `count_primes(5)` and reads `helper_value`;
- `a_misspelt_chek`, `second_check`: both at once;
- `last_check`; snapshot `lab9_demo_task_9_1`.
- `with_a_path`: against
  `checker/tests/snapshots/lab9_timeline.snap`, and `lab9_demo.snap`.
- a sentence, then `not_a_check_either`.
- `Foo::bar` is not snake_case.
**bold** inside a paragraph does not end the section: `lab9_inside.snap`.

**Caveat.** A bold paragraph ends it.

- `after_the_section`: not a check list.
";

fn names(text: &str) -> Vec<(usize, String)> {
    chapter_checks::named_checks(text)
        .into_iter()
        .map(|n| (n.line, n.name))
        .collect()
}

#[test]
fn a_chapter_names_its_checks_in_list_items_and_snapshots_anywhere() {
    let expected: Vec<(usize, String)> = [
        (7, "real_check"),
        (8, "a_misspelt_chek"),
        (8, "second_check"),
        (9, "last_check"),
        (9, "lab9_demo_task_9_1.snap"),
        (10, "with_a_path"),
        (11, "lab9_timeline.snap"),
        (11, "lab9_demo.snap"),
        (14, "lab9_inside.snap"),
    ]
    .into_iter()
    .map(|(l, n)| (l, n.to_owned()))
    .collect();
    assert_eq!(names(CHAPTER), expected);
}

#[test]
fn a_misspelt_check_fails_with_its_file_line_and_name() {
    let root = std::env::temp_dir().join(format!("course-chapter-checks-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let real = crate::find_root(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let course = Course::load(&real).unwrap();
    let lab = course.lab("lab1").unwrap();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(&lab.chapter(), CHAPTER);
    write(
        "checker/tests/lab1.rs",
        "mod task_9_1 {\n    #[test]\n    fn real_check() {}\n    fn second_check() {}\n}\n",
    );
    write(
        "checker/hidden/lab1.rs",
        "#[test]\nasync fn last_check() {}\n",
    );
    write("checker/tests/support/lab1.rs", "pub fn with_a_path() {}\n");
    for snap in ["lab9_demo_task_9_1", "lab9_timeline", "lab9_demo"] {
        write(&format!("checker/tests/snapshots/{snap}.snap"), "");
    }
    let (named, unknown) = chapter_checks::unknown_checks(&root, lab);
    let _ = std::fs::remove_dir_all(&root);
    assert_eq!(named.len(), 9);
    let chapter = lab.chapter();
    assert_eq!(unknown.len(), 2, "{unknown:#?}");
    assert!(
        unknown[0].starts_with(&format!(
            "{chapter}:8: `a_misspelt_chek`: no such test function"
        )),
        "{unknown:#?}"
    );
    assert!(
        unknown[1].starts_with(&format!(
            "{chapter}:14: `lab9_inside.snap`: no such snapshot"
        )),
        "{unknown:#?}"
    );
}

#[test]
fn function_names_are_whole_words_after_fn() {
    let found =
        chapter_checks::functions("fn a() {}\nasync fn b_2<T>() {}\nlet xfn c = 1; // fn\n");
    let found: Vec<&str> = found.iter().map(String::as_str).collect();
    assert_eq!(found, ["a", "b_2"]);
}

#[test]
fn every_chapter_names_only_checks_that_exist() {
    let (root, course) = crate::test_course();
    for lab in &course.labs {
        let (named, unknown) = chapter_checks::unknown_checks(&root, lab);
        assert!(!named.is_empty(), "{} names no check", lab.chapter());
        assert!(unknown.is_empty(), "{unknown:#?}");
    }
}
