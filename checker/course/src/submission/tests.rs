//! Unit tests of intake: where the workspace sits in an entry, the paths refused, the ids.

use super::*;

fn wanted() -> Vec<String> {
    vec![
        "labs/lab1-sync/src/measure.rs".to_owned(),
        "labs/lab1-sync/src/workloads.rs".to_owned(),
    ]
}

#[test]
fn finds_the_workspace_wherever_it_sits() {
    let w = wanted();
    let mut c = Collector::new(&w);
    c.take("alice/labs/lab1-sync/src/measure.rs", 1, &mut &b"m"[..])
        .unwrap();
    c.take("alice/labs/lab1-sync/src/workloads.rs", 1, &mut &b"w"[..])
        .unwrap();
    c.take(
        "alice/backup/labs/lab1-sync/src/measure.rs",
        1,
        &mut &b"old"[..],
    )
    .unwrap();
    let files = c.resolve();
    assert_eq!(files.root, "alice/");
    assert_eq!(files.files["labs/lab1-sync/src/measure.rs"], b"m");
    let mut c = Collector::new(&w);
    c.take("lab1-sync/src/measure.rs", 1, &mut &b"m"[..])
        .unwrap();
    assert_eq!(c.resolve().files.len(), 1, "a submission of labs/ alone");
}

#[test]
fn rejects_dangerous_paths() {
    let w = wanted();
    let mut c = Collector::new(&w);
    assert!(c.admit(b"../etc/passwd", false).is_err());
    assert!(c.admit(b"/etc/passwd", false).is_err());
    assert!(c.admit(b"a/\xff.rs", false).is_err());
    assert!(c.admit(b"labs/lab1-sync/src/measure.rs", true).is_err());
    assert_eq!(c.admit(b"x/target/debug/big", false), Ok(true));
}

#[test]
fn ids_are_entry_names_without_extension() {
    assert_eq!(strip_extension("alice.tar.gz"), "alice");
    assert_eq!(strip_extension("bob.zip"), "bob");
    assert_eq!(strip_extension("carol"), "carol");
}
