//! A student's repository is data, never code: every way git runs a command named by a
//! repository is planted, and none may leave its mark.

use super::*;
use std::os::unix::fs::PermissionsExt;

const WANTED: &str = "labs/lab1-sync/src/measure.rs";

fn sh(dir: &Path, args: &[&str]) {
    crate::corpus::student_git(dir, None, args).unwrap();
}

fn fresh(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("course-git-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A command that appends `what` to the marker and prints something else.
fn evil(mark: &Path, what: &str) -> String {
    format!("\"sh -c 'echo {what} >> {}; echo EVIL'\"", mark.display())
}

/// Plants, in the git dir `git`, every hook and every config that makes git run a command
/// (a filter for every path, textconv, fsmonitor, ssh, a pager, an include of more).
fn plant(git: &Path, mark: &Path) {
    let include = git.join("more.inc");
    std::fs::write(
        &include,
        format!(
            "[core]\n\tgitProxy = {}\n\taskPass = {}\n[uploadpack]\n\tpackObjectsHook = {}\n[credential]\n\thelper = {}\n",
            evil(mark, "gitproxy"),
            evil(mark, "askpass"),
            evil(mark, "packobjects"),
            evil(mark, "credential"),
        ),
    )
    .unwrap();
    let mut config = std::fs::read_to_string(git.join("config")).unwrap_or_default();
    config += &format!(
        "[filter \"x\"]\n\tsmudge = {}\n\tclean = {}\n\trequired = true\n\
         [diff \"x\"]\n\ttextconv = {}\n\
         [core]\n\tfsmonitor = {}\n\tsshCommand = {}\n\tpager = {}\n\teditor = {}\n\thooksPath = hooks\n\
         [include]\n\tpath = {}\n",
        evil(mark, "smudge"),
        evil(mark, "clean"),
        evil(mark, "textconv"),
        evil(mark, "fsmonitor"),
        evil(mark, "ssh"),
        evil(mark, "pager"),
        evil(mark, "editor"),
        include.display(),
    );
    std::fs::write(git.join("config"), config).unwrap();
    std::fs::create_dir_all(git.join("info")).unwrap();
    std::fs::write(git.join("info/attributes"), "* filter=x diff=x\n").unwrap();
    let hooks = git.join("hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    for hook in [
        "pre-commit",
        "post-checkout",
        "post-merge",
        "pre-push",
        "post-rewrite",
        "reference-transaction",
        "pre-auto-gc",
        "post-index-change",
        "fsmonitor-watchman",
        "push-to-checkout",
        "pre-receive",
        "update",
        "post-update",
    ] {
        let p = hooks.join(hook);
        std::fs::write(
            &p,
            format!("#!/bin/sh\necho hook-{hook} >> {}\n", mark.display()),
        )
        .unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// A checkout with one commit of the student file and a `.gitattributes` asking for the
/// filter everywhere.
fn checkout(dir: &Path) {
    let file = dir.join(WANTED);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "// committed\n").unwrap();
    std::fs::write(dir.join(".gitattributes"), "* filter=x diff=x\n").unwrap();
    sh(dir, &["init", "-q"]);
    sh(dir, &["add", "-A"]);
    sh(dir, &["commit", "-qm", "work"]);
}

fn read_entry(path: &Path) -> Result<Files, String> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let entry = Entry {
        id: strip_extension(&name).to_owned(),
        path: path.to_path_buf(),
        problem: None,
    };
    read(&entry, &[WANTED.to_owned()])
}

fn assert_no_mark(mark: &Path) {
    assert!(
        !mark.exists(),
        "git ran a command of the student's repository: {}",
        std::fs::read_to_string(mark).unwrap_or_default()
    );
}

/// A fresh folder for the test `test` with a [`checkout`] in its folder `name`: the
/// folder, the marker file planted commands would write, and the checkout.
fn fresh_checkout(test: &str, name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = fresh(test);
    let work = dir.join(name);
    std::fs::create_dir_all(&work).unwrap();
    checkout(&work);
    (dir.clone(), dir.join("MARK"), work)
}

/// The submission `path` reads (else panics with `what`) as its commit of the student file,
/// and nothing of its own ran.
fn reads_the_commit(path: &Path, mark: &Path, what: &str) {
    let files = read_entry(path).expect(what);
    assert_eq!(
        files.files[WANTED], b"// committed\n",
        "the blob, raw, unfiltered"
    );
    assert_no_mark(mark);
}

#[test]
fn a_bare_repository_runs_nothing_of_its_own() {
    let (dir, mark, _) = fresh_checkout("bare", "work");
    let bare = dir.join("alice.git");
    sh(&dir, &["clone", "-q", "--bare", "work", "alice.git"]);
    plant(&bare, &mark);
    reads_the_commit(&bare, &mark, "a bare repository is read");
    // The same repository packed (objects in a pack, refs in packed-refs).
    sh(&bare, &["gc", "-q"]);
    let _ = std::fs::remove_file(&mark);
    reads_the_commit(&bare, &mark, "a packed repository is read");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_checkout_with_an_empty_working_tree_runs_nothing_of_its_own() {
    let (dir, mark, work) = fresh_checkout("checkout", "bob");
    plant(&work.join(".git"), &mark);
    std::fs::remove_dir_all(work.join("labs")).unwrap();
    reads_the_commit(&work, &mark, "HEAD of the checkout is read");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn odd_repositories_are_rejected() {
    let dir = fresh("odd");
    let work = dir.join("work");
    std::fs::create_dir_all(&work).unwrap();
    // A committed symbolic link as a student file: rejected, as in a folder.
    std::fs::create_dir_all(work.join("labs/lab1-sync/src")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", work.join(WANTED)).unwrap();
    sh(&work, &["init", "-q"]);
    sh(&work, &["add", "-A"]);
    sh(&work, &["commit", "-qm", "link"]);
    sh(&dir, &["clone", "-q", "--bare", "work", "link.git"]);
    let e = read_entry(&dir.join("link.git")).unwrap_err();
    assert!(e.contains("symbolic link"), "{e}");
    // A committed path that climbs out is impossible in git; a HEAD naming an odd ref is not.
    std::fs::write(dir.join("link.git/HEAD"), "ref: refs/../../../etc/passwd\n").unwrap();
    let e = read_entry(&dir.join("link.git")).unwrap_err();
    assert!(e.contains("odd name"), "{e}");
    // Objects borrowed from elsewhere (an alternates file) are not read.
    std::fs::write(dir.join("link.git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(
        dir.join("link.git/objects/info/alternates"),
        "/nonexistent/objects\n",
    )
    .unwrap();
    let e = read_entry(&dir.join("link.git")).unwrap_err();
    assert!(e.contains("alternates"), "{e}");
    // A checkout whose .git is a link to another repository (the grader's own, say).
    let linked = dir.join("linked");
    std::fs::create_dir_all(&linked).unwrap();
    std::os::unix::fs::symlink(dir.join("work/.git"), linked.join(".git")).unwrap();
    let e = read_entry(&linked).unwrap_err();
    assert!(e.contains("symbolic link"), "{e}");
    // A repository with no commit.
    let empty = dir.join("empty.git");
    sh(&dir, &["init", "-q", "--bare", "empty.git"]);
    let e = read_entry(&empty).unwrap_err();
    assert!(e.contains("no readable HEAD"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
