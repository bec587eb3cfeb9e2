//! Submissions for testing the grader: the hostile corpus and a generated class.
//!
//! `cargo course corpus OUT/` writes every case of `checker/hostile/corpus.toml` (broken and
//! malicious submissions, of Lab 1 unless a case names another lab; plain folders, archives
//! or git repositories; see that file) plus `solved` (the reference solution) and
//! `skeleton` (the untouched handout). `--class N` writes a class of N mixed submissions
//! instead: solved ones in every form (folder, .zip, .tar.gz, a git checkout), untouched
//! ones, known-wrong ones (the fixtures of `checker/fixtures/`), hostile ones and a near copy;
//! its git checkouts have a history across [`CLASS_DUE`] (some a commit after it), and its
//! `submitted.csv` dates the folders and archives (`.class.tsv` says who is late).

mod archive;
mod class;
pub mod near_copy;

use archive::{write_folder, write_tar_gz, write_zip};
pub use class::{CLASS_DUE, student_git, write_class};

use anyhow::{Context, bail};
use model::course::Course;
use model::{UnknownWord, Verdict};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One case of the corpus.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The student id.
    pub name: String,
    /// What it tries.
    pub why: String,
    /// What the grader must say (see corpus.toml).
    pub expect: String,
    /// How it is handed in.
    #[serde(default = "folder")]
    pub form: String,
    /// The student file edited, relative to the lab dir.
    #[serde(default = "workloads")]
    pub file: String,
    /// A line after which `insert` goes.
    #[serde(default = "count_primes")]
    pub after: String,
    /// Code inserted after `after`.
    #[serde(default)]
    pub insert: Option<String>,
    /// A plain edit instead.
    #[serde(default)]
    pub replace: Option<String>,
    /// What `replace` becomes.
    #[serde(default)]
    pub with: Option<String>,
    /// More files.
    #[serde(default)]
    pub extra: Vec<Extra>,
    /// The lab the case is about (default `lab1`): `file` is relative to its folder, and
    /// the submission holds that lab's files only.
    #[serde(default = "lab1")]
    pub lab: String,
    /// What the files start from: `solution` (default) or `skeleton`.
    #[serde(default = "solution")]
    pub base: String,
    /// Every `todo!(…)` of the lab's task files becomes this expression (with `append`
    /// added to each file so changed): code planted in every task at once.
    #[serde(default)]
    pub stub: Option<String>,
    /// Appended to every file `stub` changed.
    #[serde(default)]
    pub append: Option<String>,
    /// For the git forms: files written into the repository's git dir after the commit
    /// (hooks, config — appended to when it exists —, scripts), made executable.
    #[serde(default)]
    pub git: Vec<Extra>,
}

/// A file added to a case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extra {
    /// From the submission's root.
    pub path: String,
    /// Its content.
    pub content: String,
}

fn folder() -> String {
    "folder".into()
}
fn workloads() -> String {
    "src/workloads.rs".into()
}
fn lab1() -> String {
    "lab1".into()
}
fn solution() -> String {
    "solution".into()
}
fn count_primes() -> String {
    "pub fn count_primes(limit: u64) -> u64 {".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CorpusFile {
    #[serde(rename = "case")]
    cases: Vec<Case>,
}

/// The `expect` of a case that is the whole submission's fate, not a check verdict.
pub const FATES: [&str; 3] = ["full", "zero", "rejected"];

impl Case {
    /// The verdicts `expect` names, in the gradebook's words (`cpu_limit|timeout` → both);
    /// none for one of [`FATES`].
    pub fn verdicts(&self) -> Result<Vec<Verdict>, UnknownWord> {
        if FATES.contains(&self.expect.as_str()) {
            return Ok(Vec::new());
        }
        self.expect.split('|').map(str::parse).collect()
    }
}

/// The cases of `checker/hostile/corpus.toml`.
pub fn load(root: &Path) -> anyhow::Result<Vec<Case>> {
    let path = root.join("checker/hostile/corpus.toml");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let file: CorpusFile =
        toml::from_str(&text).with_context(|| format!("{} is invalid", path.display()))?;
    for case in &file.cases {
        case.verdicts().with_context(|| {
            format!(
                "{}: case {}: expect is one of {} or verdicts joined by |",
                path.display(),
                case.name,
                FATES.join(", ")
            )
        })?;
    }
    Ok(file.cases)
}

type Files = BTreeMap<String, Vec<u8>>;

/// The student files of every lab, from the solutions (`solved`) or the skeletons.
fn all_labs(root: &Path, course: &Course, solved: bool) -> anyhow::Result<Files> {
    let mut files = Files::new();
    for lab in &course.labs {
        let from = if solved { &lab.solution } else { &lab.dir };
        for f in lab.student_files() {
            if let Ok(bytes) = std::fs::read(root.join(from).join(f)) {
                files.insert(format!("{}/{f}", lab.dir), bytes);
            }
        }
    }
    Ok(files)
}

/// Every `todo!(…)` of `text` (its parentheses balanced) replaced by `with`.
fn replace_todos(text: &str, with: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("todo!(") {
        out.push_str(&rest[..at]);
        let mut depth = 0;
        let mut end = rest.len();
        for (i, c) in rest[at + 5..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = at + 5 + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push_str(with);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The files of one case (before its form is applied).
pub fn case_files(root: &Path, course: &Course, case: &Case) -> anyhow::Result<Files> {
    let lab = course
        .lab(&case.lab)
        .with_context(|| format!("case {}: course.toml has no {}", case.name, case.lab))?;
    let mut files: Files = all_labs(root, course, case.base != "skeleton")?
        .into_iter()
        .filter(|(k, _)| k.starts_with(&format!("{}/", lab.dir)))
        .collect();
    if let Some(stub) = &case.stub {
        let mut changed = 0;
        for (_, bytes) in files.iter_mut() {
            let text = String::from_utf8_lossy(bytes).into_owned();
            if text.contains("todo!(") {
                let mut edited = replace_todos(&text, stub);
                edited.push_str(case.append.as_deref().unwrap_or_default());
                *bytes = edited.into_bytes();
                changed += 1;
            }
        }
        anyhow::ensure!(
            changed > 0,
            "case {}: no todo!() to replace in {}",
            case.name,
            lab.id
        );
        for e in &case.extra {
            files.insert(e.path.clone(), e.content.clone().into_bytes());
        }
        return Ok(files);
    }
    let key = format!("{}/{}", lab.dir, case.file);
    let original = String::from_utf8_lossy(
        files
            .get(&key)
            .with_context(|| format!("{key} is not a student file"))?,
    )
    .into_owned();
    let root_text = std::path::absolute(root)?.to_string_lossy().into_owned();
    let edited = if let Some(insert) = &case.insert {
        if original.matches(&case.after).count() != 1 {
            bail!(
                "case {}: {:?} is not exactly once in {key}",
                case.name,
                case.after
            );
        }
        original.replacen(
            &case.after,
            &format!(
                "{}\n    {}\n",
                case.after,
                insert.replace("{ROOT}", &root_text)
            ),
            1,
        )
    } else if let (Some(r), Some(w)) = (&case.replace, &case.with) {
        if original.matches(r.as_str()).count() != 1 {
            bail!("case {}: {r:?} is not exactly once in {key}", case.name);
        }
        original.replacen(r.as_str(), &w.replace("{ROOT}", &root_text), 1)
    } else {
        original
    };
    files.insert(key, edited.into_bytes());
    for e in &case.extra {
        files.insert(e.path.clone(), e.content.clone().into_bytes());
    }
    Ok(files)
}

/// Writes `case` into `out` in its form.
pub fn write_case(root: &Path, course: &Course, case: &Case, out: &Path) -> anyhow::Result<()> {
    let files = case_files(root, course, case)?;
    let dir = out.join(&case.name);
    match case.form.as_str() {
        "folder" => write_folder(&dir, &files)?,
        "zip" => write_zip(
            &out.join(format!("{}.zip", case.name)),
            &format!("{}/", case.name),
            &files,
        )?,
        "tar.gz" => {
            // labs/ only: entries start at lab1-sync/...
            let entries: Vec<(Vec<u8>, Vec<u8>)> = files
                .iter()
                .map(|(k, v)| (k.trim_start_matches("labs/").as_bytes().to_vec(), v.clone()))
                .collect();
            write_tar_gz(&out.join(format!("{}.tar.gz", case.name)), &entries)?;
        }
        "symlink" => {
            write_folder(&dir, &files)?;
            let target = dir.join("labs/lab1-sync/src/workloads.rs");
            std::fs::remove_file(&target)?;
            std::os::unix::fs::symlink("/etc/passwd", &target)?;
        }
        "empty" => std::fs::create_dir_all(&dir)?,
        "corrupt-zip" => std::fs::write(
            out.join(format!("{}.zip", case.name)),
            b"PK\x03\x04 this is not really a zip archive, it was cut short",
        )?,
        "zip-slip" => {
            let mut entries: Vec<(Vec<u8>, Vec<u8>)> = files
                .iter()
                .map(|(k, v)| (k.as_bytes().to_vec(), v.clone()))
                .collect();
            entries.push((
                b"../../tmp/zip-slip-was-here.rs".to_vec(),
                b"// escaped".to_vec(),
            ));
            write_tar_gz(&out.join(format!("{}.tar.gz", case.name)), &entries)?;
        }
        "huge-file" => {
            let mut files = files;
            let key = "labs/lab1-sync/src/workloads.rs".to_owned();
            let mut big = files.remove(&key).unwrap_or_default();
            big.extend(std::iter::repeat_n(b'/', 2 << 20));
            files.insert(key, big);
            write_folder(&dir, &files)?;
        }
        "git-bare" | "git-checkout" => {
            // A repository with one commit of the files; its git dir then gets the case's
            // hooks, config and scripts. A bare clone is `<name>.git`; a checkout loses its
            // working tree, so its HEAD is what is graded.
            let work = if case.form == "git-bare" {
                out.join(format!(".{}-work", case.name))
            } else {
                dir.clone()
            };
            write_folder(&work, &files)?;
            git_checkout(&work)?;
            let git_dir = if case.form == "git-bare" {
                let bare = out.join(format!("{}.git", case.name));
                let ok = std::process::Command::new("git")
                    .args(["-c", "core.hooksPath=/dev/null", "clone", "-q", "--bare"])
                    .arg(&work)
                    .arg(&bare)
                    .env("GIT_CONFIG_NOSYSTEM", "1")
                    .env("GIT_CONFIG_GLOBAL", "/dev/null")
                    .status()
                    .is_ok_and(|s| s.success());
                anyhow::ensure!(ok, "git clone --bare failed for {}", case.name);
                std::fs::remove_dir_all(&work)?;
                bare
            } else {
                for e in std::fs::read_dir(&work)?.flatten() {
                    if e.file_name() != ".git" {
                        let p = e.path();
                        if p.is_dir() {
                            std::fs::remove_dir_all(&p)?;
                        } else {
                            std::fs::remove_file(&p)?;
                        }
                    }
                }
                work.join(".git")
            };
            let root_text = std::path::absolute(root)?.to_string_lossy().into_owned();
            for g in &case.git {
                use std::os::unix::fs::PermissionsExt;
                let p = git_dir.join(&g.path);
                std::fs::create_dir_all(p.parent().context("no parent")?)?;
                let mut content = std::fs::read_to_string(&p).unwrap_or_default();
                let git_text = std::path::absolute(&git_dir)?
                    .to_string_lossy()
                    .into_owned();
                content.push_str(
                    &g.content
                        .replace("{ROOT}", &root_text)
                        .replace("{GIT_DIR}", &git_text),
                );
                std::fs::write(&p, content)?;
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755))?;
            }
        }
        "nonutf8-name" => {
            use std::os::unix::ffi::OsStrExt;
            write_folder(&dir, &files)?;
            let name = std::ffi::OsStr::from_bytes(b"labs/lab1-sync/src/\xff\xfe.rs");
            std::fs::write(dir.join(name), b"// a name that is not UTF-8")?;
        }
        other => bail!("case {}: unknown form {other:?}", case.name),
    }
    Ok(())
}

/// Writes the corpus (every case, plus `solved` and `skeleton`) into `out`.
pub fn write_corpus(root: &Path, out: &Path) -> anyhow::Result<Vec<Case>> {
    let course = Course::load(root).map_err(anyhow::Error::msg)?;
    std::fs::create_dir_all(out)?;
    let cases = load(root)?;
    for case in &cases {
        write_case(root, &course, case, out)?;
    }
    write_folder(&out.join("solved"), &all_labs(root, &course, true)?)?;
    write_folder(&out.join("skeleton"), &all_labs(root, &course, false)?)?;
    Ok(cases)
}

/// Makes `dir` a git repository with one commit of its files.
fn git_checkout(dir: &Path) -> anyhow::Result<()> {
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &["commit", "-qm", "my labs"],
    ] {
        student_git(dir, None, args)?;
    }
    Ok(())
}

/// Where `id`'s entry is in a corpus folder.
pub fn entry_path(out: &Path, case: &Case) -> PathBuf {
    match case.form.as_str() {
        "zip" | "corrupt-zip" => out.join(format!("{}.zip", case.name)),
        "tar.gz" | "zip-slip" => out.join(format!("{}.tar.gz", case.name)),
        "git-bare" => out.join(format!("{}.git", case.name)),
        _ => out.join(&case.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_expects_a_fate_or_verdict_words() {
        let root = crate::find_root(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let cases = load(&root).unwrap();
        let named: usize = cases.iter().map(|c| c.verdicts().unwrap().len()).sum();
        assert!(named > 0, "no case expects a check verdict");
        let mut case = cases[0].clone();
        case.expect = "timed_out".into();
        assert!(case.verdicts().is_err(), "a word that is no verdict's");
    }
}
