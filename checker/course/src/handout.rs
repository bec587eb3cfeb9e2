//! The student edition of the workspace: `cargo course handout OUT/`.
//!
//! The handout is the instructor's workspace without what students must not have:
//! [`INSTRUCTOR_ONLY`] (the solutions, the hidden checks, the fixtures — each one is an
//! edit of a solution file, so it reveals the solution —, the hostile corpus, the grader's
//! tests and scripts, the maintainers' CI) and the book's instructor chapters
//! (`docs/src/instructor*`: how the grader works, and so how one would try to fool it).
//! The book's table of contents loses their entries, and a link to one of them from a
//! student's page becomes plain text; the translation catalogues (`docs/po/`) lose their
//! text the same way ([`catalogue`]). Its manifests are rewritten to match:
//! - `Cargo.toml`: the `solutions/*` members are gone;
//! - `checker/Cargo.toml`: no solution crates, no `solutions` feature;
//! - `checker/src/lib.rs`: `feature = "solutions"` becomes `any()` (always false), so the
//!   checks always name the student's crates and the build has no unknown-feature warning;
//! - `Cargo.lock`: pruned of the solution crates, every other version kept (`--locked` holds),
//!   offline, from the registry's index alone (see [`prune_lock`]).
//!
//! It adds `.github/workflows/check.yml`: on every push, GitHub Actions runs the public
//! checks with `cargo course check` and reports the points (a GitHub Classroom template).
//!
//! The grader grades against the same student edition ([`base_files`]), plus the hidden
//! checks: students and the grader build exactly the same crates.

mod catalogue;
mod manifests;
#[cfg(test)]
mod tests;

pub use manifests::{
    checker_manifest, drop_member, drop_profiles_of, root_manifest, solution_packages,
};

use anyhow::Context;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Paths (from the workspace root) that never leave the instructor's copy.
pub const INSTRUCTOR_ONLY: &[&str] = &[
    "solutions",
    "checker/hidden",
    "checker/fixtures",
    "checker/hostile",
    "checker/course/tests",
    ".ci",
    ".github",
    "scripts/grade",
    "scripts/gen-submissions",
];

/// The book's instructor chapters: every path of the book that starts so (`instructor/`,
/// `instructor-grading.md`, …).
pub const INSTRUCTOR_CHAPTERS: &str = "docs/src/instructor";

/// The GitHub Actions workflow of the handout.
pub const WORKFLOW: &str = include_str!("../handout/check.yml");

/// The handout's README: the student's commands only (the workspace's README is the
/// instructor's and the maintainers').
pub const README: &str = include_str!("../handout/README.md");

/// `true` if `rel` (a path from the root) is instructor-only or build output.
pub fn instructor_only(rel: &Path) -> bool {
    let s = rel.to_string_lossy();
    INSTRUCTOR_ONLY
        .iter()
        .any(|p| s == *p || s.starts_with(&format!("{p}/")))
        || s.starts_with(INSTRUCTOR_CHAPTERS)
        || s.ends_with(".snap.new")
        || s.ends_with(".pending-snap")
}

/// Every file of the student edition (relative path → content), manifests rewritten.
/// `exclude` are further folders of the root to leave out (the grader's submissions and
/// output, when they sit inside the workspace).
pub fn student_files(
    root: &Path,
    exclude: &[PathBuf],
) -> anyhow::Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut out = BTreeMap::new();
    let all = crate::tree::files(root)?;
    // A package that depends on the solutions (a benchmark of the reference code) is the
    // instructor's too: it could not build without them.
    let mut dropped: Vec<String> = Vec::new();
    for rel in &all {
        let Some(dir) = rel.parent().filter(|d| !d.as_os_str().is_empty()) else {
            continue;
        };
        if rel.file_name().is_some_and(|n| n == "Cargo.toml")
            && dir != Path::new("checker")
            && !instructor_only(rel)
            && std::fs::read_to_string(root.join(rel)).is_ok_and(|t| t.contains("/solutions/"))
        {
            dropped.push(dir.to_string_lossy().into_owned());
        }
    }
    for rel in all {
        let s = rel.to_string_lossy();
        if instructor_only(&rel)
            || exclude.iter().any(|e| root.join(&rel).starts_with(e))
            || dropped.iter().any(|d| s.starts_with(&format!("{d}/")))
        {
            continue;
        }
        let bytes = std::fs::read(root.join(&rel))
            .with_context(|| format!("cannot read {}", rel.display()))?;
        let bytes = match rel.to_str() {
            Some("Cargo.toml") => {
                let mut text = root_manifest(&String::from_utf8_lossy(&bytes));
                for d in &dropped {
                    text = drop_member(&text, d);
                }
                // The profile settings of a package the handout does not have would make cargo
                // warn on every command.
                let gone = dropped
                    .iter()
                    .filter_map(|d| Path::new(d).file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .chain(solution_packages(root));
                for package in gone {
                    text = drop_profiles_of(&text, &package);
                }
                text.into_bytes()
            }
            Some("checker/Cargo.toml") => {
                checker_manifest(&String::from_utf8_lossy(&bytes)).into_bytes()
            }
            Some("checker/src/lib.rs") => String::from_utf8_lossy(&bytes)
                .replace("feature = \"solutions\"", "any()")
                .into_bytes(),
            // A translation catalogue holds every chapter's text: the student's only.
            Some(po) if po.starts_with("docs/po/") && po.ends_with(".po") => {
                catalogue::student_catalogue(&String::from_utf8_lossy(&bytes)).into_bytes()
            }
            Some(page) if page.ends_with(".md") => {
                let text = String::from_utf8_lossy(&bytes);
                let kept = |target: &Path| !instructor_only(target);
                match std::str::from_utf8(&bytes) {
                    Ok(_) => drop_links(&rel, &text, kept).into_bytes(),
                    Err(_) => bytes,
                }
            }
            _ => bytes,
        };
        out.insert(rel, bytes);
    }
    Ok(out)
}

/// The page a markdown link's `target` leads to, from the folder `dir` of the page it
/// stands in (a path from the root; `#anchor` ignored); `None` for a URL or an anchor of
/// the same page.
pub fn link_target(dir: &Path, target: &str) -> Option<PathBuf> {
    let file = target.split('#').next().unwrap_or_default();
    if file.is_empty() || file.contains("://") || file.starts_with("mailto:") {
        return None;
    }
    let mut path = dir.to_path_buf();
    for part in Path::new(file).components() {
        match part {
            std::path::Component::ParentDir => {
                path.pop();
            }
            std::path::Component::Normal(p) => path.push(p),
            _ => {}
        }
    }
    Some(path)
}

/// The markdown page `page` (a path from the root) without its links to pages that
/// `kept` refuses: a list item that is only such a link (a table of contents entry) goes,
/// with a part heading (`# For instructors`) left with no entry; any other such link
/// becomes its text.
pub fn drop_links(page: &Path, text: &str, kept: impl Fn(&Path) -> bool) -> String {
    let dir = page.parent().unwrap_or(Path::new(""));
    // `[text](target)` → (start, end, text, target), for targets that are pages (not URLs).
    let links = |line: &str| -> Vec<(usize, usize, String, PathBuf)> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(open) = line[from..].find('[').map(|i| i + from) {
            let Some(close) = line[open..].find("](").map(|i| i + open) else {
                break;
            };
            let Some(end) = line[close..].find(')').map(|i| i + close) else {
                break;
            };
            if let Some(path) = link_target(dir, &line[close + 2..end]) {
                out.push((open, end + 1, line[open + 1..close].to_owned(), path));
            }
            from = end + 1;
        }
        out
    };
    let mut lines: Vec<String> = Vec::new();
    let mut changed = false;
    for line in text.lines() {
        let dropped: Vec<_> = links(line)
            .into_iter()
            .filter(|(.., target)| !kept(target))
            .collect();
        if dropped.is_empty() {
            lines.push(line.to_owned());
            continue;
        }
        changed = true;
        let item = line.trim_start();
        if (item.starts_with("- ") || item.starts_with("* "))
            && dropped.len() == 1
            && item[2..].trim() == &line[dropped[0].0..dropped[0].1]
        {
            continue; // a table-of-contents entry of a dropped page
        }
        let mut l = line.to_owned();
        for (start, end, text, _) in dropped.into_iter().rev() {
            l.replace_range(start..end, &text);
        }
        lines.push(l);
    }
    if !changed {
        return text.to_owned();
    }
    // A part heading whose entries all went, goes too.
    let mut out: Vec<String> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("# ") && i > 0 {
            let next = lines[i + 1..]
                .iter()
                .find(|l| !l.trim().is_empty())
                .map(String::as_str);
            if next.is_none_or(|n| n.starts_with("# ")) {
                while out.last().is_some_and(|l| l.trim().is_empty()) {
                    out.pop();
                }
                continue;
            }
        }
        // One blank line where entries went.
        if line.trim().is_empty() && out.last().is_some_and(|l| l.trim().is_empty()) {
            continue;
        }
        out.push(line.clone());
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// The hidden checks of the instructor's copy: lab id → source of `checker/hidden/<lab>.rs`.
pub fn hidden_checks(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if let Ok(dir) = std::fs::read_dir(root.join("checker/hidden")) {
        for e in dir.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "rs")
                && let (Some(stem), Ok(src)) = (p.file_stem(), std::fs::read(&p))
            {
                out.insert(stem.to_string_lossy().into_owned(), src);
            }
        }
    }
    out
}

/// The grader's base copy: the student edition, whose checker manifest also declares one
/// test target per hidden check file (`labN_hidden`, at `checker/hidden/labN.rs`). The
/// hidden sources themselves are not in it: the grader writes them only after the
/// student's crate is built, and removes them before any student code runs.
pub fn base_files(root: &Path, exclude: &[PathBuf]) -> anyhow::Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut files = student_files(root, exclude)?;
    let hidden = hidden_checks(root);
    if let Some(manifest) = files.get_mut(Path::new("checker/Cargo.toml")) {
        let mut text = String::from_utf8_lossy(manifest).into_owned();
        for lab in hidden.keys() {
            text.push_str(&format!(
                "\n# Added by the grader: the hidden checks of {lab} (instructor's edition only).\n[[test]]\nname = \"{lab}_hidden\"\npath = \"hidden/{lab}.rs\"\nrequired-features = [\"{lab}\"]\n"
            ));
        }
        *manifest = text.into_bytes();
    }
    Ok(files)
}

/// Writes `files` under `dir`, touching only files whose content differs (so cargo keeps
/// what it built) and removing files that are not in `files` (except under `target/`).
pub fn write_tree(dir: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (rel, content) in files {
        let target = dir.join(rel);
        if std::fs::read(&target).ok().as_deref() == Some(content.as_slice()) {
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, content)
            .with_context(|| format!("cannot write {}", target.display()))?;
    }
    for rel in crate::tree::files(dir)? {
        if !files.contains_key(&rel) && rel != Path::new("Cargo.lock") {
            std::fs::remove_file(dir.join(&rel))?;
        }
    }
    Ok(())
}

/// Prunes `dir/Cargo.lock` to the crates of `dir`'s workspace, offline, keeping every
/// version. `cargo update --workspace` rewrites the lock file from the registry's index
/// alone; unlike `cargo metadata` it needs no crate's source, so a cache that holds only
/// what a Linux build needs (no Windows crates) is enough.
pub fn prune_lock(dir: &Path) -> anyhow::Result<()> {
    let mut cmd = cargo();
    cmd.args(["update", "--workspace", "--offline", "--quiet"])
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        // Cargo reads the configuration of the folders above the one it runs in: those of
        // the copy, not the caller's.
        .current_dir(dir);
    run_offline(
        cmd,
        &format!(
            "cargo could not prune the lock file in {} offline",
            dir.display()
        ),
    )
}

/// `$CARGO`, else `cargo`.
fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs the offline cargo command `cmd`; when it fails, says `what`, cargo's stderr and
/// how to fill cargo's cache.
fn run_offline(mut cmd: Command, what: &str) -> anyhow::Result<()> {
    let out = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .context("cannot run cargo")?;
    if !out.status.success() {
        anyhow::bail!(
            "{what}:\n{}\n{}",
            String::from_utf8_lossy(&out.stderr).trim(),
            fetch_advice()
        );
    }
    Ok(())
}

/// The host's target triple (`x86_64-unknown-linux-gnu`), from `rustc -vV`.
pub fn host_triple() -> Option<String> {
    let out = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .arg("-vV")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(|h| h.trim().to_owned())
}

fn fetch_advice() -> String {
    let host = host_triple().unwrap_or_else(|| "x86_64-unknown-linux-gnu".into());
    format!(
        "The grader builds offline. Once, with network, in the instructor's workspace, run:\n    \
         cargo fetch --locked --target {host}\n(this machine's crates only: no Windows or wasm \
         crate is needed), then grade again."
    )
}

/// Checks, without network, that cargo's cache holds every crate a build for this machine
/// needs (`cargo fetch --offline --target <host>`): the grader stops here with what to do,
/// rather than with a failed build per student.
pub fn ensure_offline_crates(root: &Path) -> anyhow::Result<()> {
    let mut cmd = cargo();
    cmd.current_dir(root)
        .args(["fetch", "--offline", "--locked", "--quiet"]);
    if let Some(host) = host_triple() {
        cmd.args(["--target", &host]);
    }
    run_offline(
        cmd,
        "cargo cannot find, offline, every crate this machine's build needs",
    )
}

/// Writes the handout into `out` (which must be empty or absent).
pub fn write_handout(root: &Path, out: &Path) -> anyhow::Result<usize> {
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        anyhow::bail!(
            "{} is not empty: the handout goes into a new folder",
            out.display()
        );
    }
    let out_abs = std::path::absolute(out)?;
    let mut files = student_files(root, &[out_abs])?;
    files.insert(
        PathBuf::from(".github/workflows/check.yml"),
        WORKFLOW.as_bytes().to_vec(),
    );
    files.insert(PathBuf::from("README.md"), README.as_bytes().to_vec());
    let lock = std::fs::read(root.join("Cargo.lock")).context("the workspace has no Cargo.lock")?;
    files.insert(PathBuf::from("Cargo.lock"), lock);
    write_tree(out, &files)?;
    prune_lock(out)?;
    Ok(files.len())
}
