//! Unit tests of the student edition: manifests, links, the instructor-only paths.

use super::*;

#[test]
fn manifests_lose_the_solutions() {
    let root = "members = [\"labs/*\", \"solutions/*\", \"checker\", \"checker/course\"]\n";
    assert_eq!(
        root_manifest(root),
        "members = [\"labs/*\", \"checker\", \"checker/course\"]\n"
    );
    let checker = "solutions = []\nlab1 = [\"dep:labs-lab1\", \"dep:solutions-lab1\"]\n\
                   labs-lab1 = { path = \"x\" }\nsolutions-lab1 = { path = \"y\" }\n";
    assert_eq!(
        checker_manifest(checker),
        "lab1 = [\"dep:labs-lab1\"]\nlabs-lab1 = { path = \"x\" }\n"
    );
    let hidden = "hidden = []\n[[test]]\nname = \"lab1\"\n\
                  # BEGIN hidden checks\n[[test]]\nname = \"lab1_hidden\"\n\
                  # END hidden checks\n[lints]\n";
    assert_eq!(
        checker_manifest(hidden),
        "[[test]]\nname = \"lab1\"\n[lints]\n"
    );
}

#[test]
fn a_dropped_package_takes_its_profile_along() {
    let text = "[profile.dev]\nopt-level = 1\n[profile.dev.package.bench]\nopt-level = 0\n\
                [profile.dev.package.course]\nopt-level = 0\n";
    assert_eq!(
        drop_profiles_of(text, "bench"),
        "[profile.dev]\nopt-level = 1\n[profile.dev.package.course]\nopt-level = 0\n"
    );
}

#[test]
fn the_students_readme_names_no_instructor_command() {
    for word in [
        "selftest",
        "-solution",
        "scripts/grade",
        "bench",
        "solutions/",
    ] {
        assert!(
            !README.contains(word),
            "the handout's README mentions {word}"
        );
    }
}

#[test]
fn instructor_files_stay_home() {
    assert!(instructor_only(Path::new("solutions/lab1-sync/src/lib.rs")));
    assert!(instructor_only(Path::new("checker/hidden/lab1.rs")));
    assert!(instructor_only(Path::new("checker/fixtures/lab1.toml")));
    assert!(!instructor_only(Path::new("checker/tests/lab1.rs")));
    assert!(!instructor_only(Path::new("labs/lab1-sync/src/measure.rs")));
    assert!(instructor_only(Path::new("docs/src/instructor/sandbox.md")));
    assert!(instructor_only(Path::new("docs/src/instructor-grading.md")));
    assert!(!instructor_only(Path::new("docs/src/lab1-sync.md")));
    assert!(!instructor_only(Path::new("docs/po/ru.po")));
}

#[test]
fn the_book_loses_its_instructor_chapters_and_links_to_them() {
    let kept = |p: &Path| !instructor_only(p);
    let summary = "# Summary\n\n[Introduction](introduction.md)\n\n# Labs\n\n- [Lab 1](lab1-sync.md)\n\n\
                   # For instructors\n\n- [Guide](instructor/overview.md)\n    - [Grading](instructor/grading.md)\n\
                   - [Options](instructor-grading.md)\n\n# Reference\n\n- [Glossary](glossary.md)\n";
    assert_eq!(
        drop_links(Path::new("docs/src/SUMMARY.md"), summary, kept),
        "# Summary\n\n[Introduction](introduction.md)\n\n# Labs\n\n- [Lab 1](lab1-sync.md)\n\n\
         # Reference\n\n- [Glossary](glossary.md)\n"
    );
    let page =
        "See [the sandbox](../instructor/sandbox.md#limits) and [Lab 2](../lab2-threads.md).";
    assert_eq!(
        drop_links(Path::new("docs/src/concepts/x.md"), page, kept),
        "See the sandbox and [Lab 2](../lab2-threads.md).\n"
    );
}

#[test]
fn every_solution_package_is_found_by_its_name() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let names = solution_packages(&root);
    assert_eq!(
        names,
        [
            "lab1-solution",
            "lab2-solution",
            "lab3-solution",
            "lab4-solution",
            "lab5-solution"
        ],
        "the solutions/ packages"
    );
}
