//! Known-wrong variants of the solutions: `checker/fixtures/labN.toml`.
//!
//! A fixture is the solution of one lab with one edit: a classic mistake (a load then a
//! store instead of fetch_add, a pipe end left open, a join inside the spawn loop). The
//! self-test builds each one and proves that the checks take exactly that task's points and
//! no other: a check that cannot catch the mistake it exists for is a defect.
//!
//! A fixture with `verdict = "full"` is the opposite: a correct alternative (another legal
//! way to write the task) that must keep full marks, so a check that punishes a legal
//! implementation is caught too.

use anyhow::{Context, bail};
use model::course::Lab;
use model::{UnknownWord, Verdict};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One known-wrong variant.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// Unique in its file, kebab-case.
    pub name: String,
    /// The only task this variant must lose.
    pub task: String,
    /// The solution file edited, relative to the lab dir.
    pub file: String,
    /// Text that occurs exactly once in the solution file.
    pub replace: String,
    /// What it becomes.
    pub with: String,
    /// The verdict expected from the task's failing check(s), a check verdict's word
    /// (`model::Verdict`): `failed` (a wrong answer; its demo's `snapshot_mismatch` counts
    /// too), `timeout`, `panic` (a `crashed` or `signal` process counts too: a panic that
    /// aborts), `not_implemented`, …; several joined by `|` when a legal interleaving may
    /// show either (a deadlock that may or may not strike in time). [`FULL`] marks a correct
    /// alternative implementation of `task`: every task of the lab must keep its points (a
    /// check must not punish a legal implementation).
    #[serde(default = "default_verdict")]
    pub verdict: String,
    /// The mistake, in one sentence.
    pub why: String,
    /// Tasks that call this one and so must lose their points too (a hang in `count_primes`
    /// hangs the report that calls it). Empty for most fixtures.
    #[serde(default)]
    pub also: Vec<String>,
}

fn default_verdict() -> String {
    Verdict::WrongAnswer.to_string()
}

/// The `verdict` of a correct alternative: not a verdict, every task keeps its points.
pub const FULL: &str = "full";

impl Fixture {
    /// `true` for a correct alternative (`verdict = "full"`).
    pub fn correct_alternative(&self) -> bool {
        self.verdict.trim() == FULL
    }

    /// The verdicts declared (`timeout|failed` → both); none for a correct alternative.
    pub fn verdicts(&self) -> Result<Vec<Verdict>, UnknownWord> {
        if self.correct_alternative() {
            return Ok(Vec::new());
        }
        self.verdict.split('|').map(|w| w.trim().parse()).collect()
    }

    /// `true` when a failing check's verdict `seen` shows the mistake declared as `declared`.
    pub fn shows(declared: Verdict, seen: Verdict) -> bool {
        seen == declared
            || matches!(
                (declared, seen),
                (Verdict::WrongAnswer, Verdict::SnapshotMismatch)
                    | (Verdict::Panic, Verdict::Crashed | Verdict::Signal)
            )
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureFile {
    #[serde(default, rename = "fixture")]
    fixtures: Vec<Fixture>,
}

/// The fixtures of `lab` (none if the lab has no fixture file).
pub fn load(root: &Path, lab: &Lab) -> anyhow::Result<Vec<Fixture>> {
    let path = root
        .join("checker/fixtures")
        .join(format!("{}.toml", lab.id));
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let file: FixtureFile =
        toml::from_str(&text).with_context(|| format!("{} is invalid", path.display()))?;
    for f in &file.fixtures {
        f.verdicts()
            .with_context(|| format!("{}: fixture {}", path.display(), f.name))?;
    }
    Ok(file.fixtures)
}

/// The files a student would submit if they had written this fixture: every student file of
/// the lab taken from the solution, with the fixture's edit applied. Keys are relative to the
/// workspace root (`labs/lab1-sync/src/measure.rs`).
pub fn overlay(
    root: &Path,
    lab: &Lab,
    fixture: &Fixture,
) -> anyhow::Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut files = solution_overlay(root, lab)?;
    let key = Path::new(&lab.dir).join(&fixture.file);
    let Some(original) = files.get(&key) else {
        bail!(
            "fixture {}: {} is not a student file of {} in course.toml",
            fixture.name,
            fixture.file,
            lab.id
        );
    };
    let text = String::from_utf8_lossy(original).into_owned();
    let count = text.matches(&fixture.replace).count();
    if count != 1 {
        bail!(
            "fixture {}: the text to replace occurs {count} times in {}/{} (it must occur exactly once; \
             did the solution change?)",
            fixture.name,
            lab.solution,
            fixture.file
        );
    }
    files.insert(
        key,
        text.replacen(&fixture.replace, &fixture.with, 1)
            .into_bytes(),
    );
    Ok(files)
}

/// Every student file of `lab` with the solution's content, keyed by its path under labs/.
pub fn solution_overlay(root: &Path, lab: &Lab) -> anyhow::Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut files = BTreeMap::new();
    for file in lab.student_files() {
        let from = root.join(&lab.solution).join(file);
        let content =
            std::fs::read(&from).with_context(|| format!("cannot read {}", from.display()))?;
        files.insert(Path::new(&lab.dir).join(file), content);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixture_declares_verdict_words() {
        let (root, course) = crate::test_course();
        let mut declared = 0;
        for lab in &course.labs {
            for f in load(&root, lab).unwrap() {
                let verdicts = f.verdicts().unwrap();
                assert_eq!(verdicts.is_empty(), f.correct_alternative(), "{}", f.name);
                for v in &verdicts {
                    assert!(f.verdict.contains(v.as_str()), "{}: {v}", f.name);
                }
                declared += verdicts.len();
            }
        }
        assert!(declared > 0, "no fixture declares a verdict");
        let wrong = Fixture {
            verdict: "fail".into(),
            ..load(&root, &course.labs[0]).unwrap()[0].clone()
        };
        assert!(wrong.verdicts().is_err(), "a word that is no verdict's");
    }
}
