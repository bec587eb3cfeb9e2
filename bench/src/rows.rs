//! The report's rows as data: `bench/rows.toml` says what each row is, where its figures
//! come from, its limit, its target and where the target comes from; [`rows`] fills them
//! with one run's measurements.

use crate::report::{Row, Target, Unit};
use crate::{Results, Sizes};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The table, read once (its text is part of the program).
static TABLE: LazyLock<Table> = LazyLock::new(|| {
    toml::from_str(include_str!("../rows.toml")).unwrap_or_else(|e| panic!("bench/rows.toml: {e}"))
});

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    /// Section key → title.
    sections: BTreeMap<String, String>,
    row: Vec<Spec>,
}

/// One row of `bench/rows.toml` (its header says what each field means).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    id: String,
    section: String,
    name: String,
    unit: UnitSpec,
    rust: String,
    python: Option<String>,
    limit: Option<Limit>,
    at_least: Option<Amount>,
    at_most: Option<Amount>,
    about: Option<Amount>,
    within: Option<f64>,
    reference: Option<f64>,
    note: Option<String>,
    source: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    if_missed: String,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum UnitSpec {
    Seconds,
    Speedup,
    GibPerSecond,
    Runs,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Limit {
    Value(f64),
    /// The ideal speedup of this many workers: one per core at most.
    Workers(usize),
    /// Downloads at most this many at a time: one latency per round.
    InFlight(usize),
    /// Every download at once: one latency.
    AllInFlight,
    /// The sleepers' sleep.
    Sleep,
}

/// A number, or `limit`, `trials`, `F × limit`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Amount {
    Number(f64),
    Named(String),
}

/// What a run's rows depend on besides the measurements.
struct Run<'a> {
    results: &'a Results,
    sizes: &'a Sizes,
    cores: usize,
}

impl Run<'_> {
    /// `PART.KEY` or `PART.KEY / PART.KEY`.
    fn figure(&self, expr: &str) -> Option<f64> {
        match expr.split_once(" / ") {
            Some((a, b)) => Some(self.measured(a.trim())? / self.measured(b.trim())?),
            None => self.measured(expr.trim()),
        }
    }

    /// `PART.KEY`: the number at KEY (keys separated by `.`) in experiment PART's JSON.
    fn measured(&self, path: &str) -> Option<f64> {
        let (part, key) = path.split_once('.')?;
        self.results.num(part, key)
    }

    fn limit(&self, limit: Limit) -> f64 {
        let s = self.sizes;
        let latency = s.latency_ms as f64 / 1000.0;
        match limit {
            Limit::Value(v) => v,
            Limit::Workers(n) => n.min(self.cores) as f64,
            Limit::InFlight(p) => latency * s.downloads.div_ceil(p) as f64,
            Limit::AllInFlight => latency * s.downloads.div_ceil(s.downloads) as f64,
            Limit::Sleep => s.sleep_ms as f64 / 1000.0,
        }
    }

    fn amount(&self, amount: &Amount, limit: Option<f64>) -> Result<f64, String> {
        let named = |name: &str| match name {
            "limit" => limit.ok_or_else(|| "`limit` in a row without a limit".to_owned()),
            "trials" => Ok(self.sizes.race_trials as f64),
            other => Err(format!("unknown amount {other:?}")),
        };
        match amount {
            Amount::Number(v) => Ok(*v),
            Amount::Named(text) => match text.split_once('×') {
                Some((factor, name)) => {
                    let factor: f64 = factor
                        .trim()
                        .parse()
                        .map_err(|_| format!("{text:?}: not a number before ×"))?;
                    Ok(factor * named(name.trim())?)
                }
                None => named(text.trim()),
            },
        }
    }

    fn target(&self, spec: &'static Spec, limit: Option<f64>) -> Result<Target, String> {
        let mut targets = Vec::new();
        if let Some(a) = &spec.at_least {
            targets.push(Target::AtLeast(self.amount(a, limit)?));
        }
        if let Some(a) = &spec.at_most {
            targets.push(Target::AtMost(self.amount(a, limit)?));
        }
        if let Some(a) = &spec.about {
            let within = spec.within.ok_or("`about` without `within`")?;
            targets.push(Target::About(self.amount(a, limit)?, within));
        }
        if let Some(v) = spec.reference {
            let note = spec.note.as_deref().ok_or("`reference` without `note`")?;
            targets.push(Target::Reference(v, note));
        }
        match <[Target; 1]>::try_from(targets) {
            Ok([target]) => Ok(target),
            Err(_) => Err("not exactly one of at_least, at_most, about, reference".into()),
        }
    }

    /// The sizes a row's text may name.
    fn size(&self, name: &str) -> Option<String> {
        let s = self.sizes;
        Some(match name {
            "downloads" => s.downloads.to_string(),
            "latency_ms" => s.latency_ms.to_string(),
            "sleepers" => crate::thousands(s.sleepers as u64),
            "sleep_s" => (s.sleep_ms as f64 / 1000.0).to_string(),
            "cpu_blocks" => s.cpu_blocks.to_string(),
            "block_len" => (s.cpu_len / s.cpu_blocks).to_string(),
            "pipe_mib" => s.pipe_mib.to_string(),
            "race_per_thread" => crate::thousands(s.race_per_thread),
            _ => return None,
        })
    }

    /// `text` with its `{SIZE}` and `{PART.KEY:.N}` filled in; `Ok(None)` when a measured
    /// figure it names is missing.
    fn fill(&self, text: &str) -> Result<Option<String>, String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = rest[open..]
                .find('}')
                .ok_or_else(|| format!("{text:?}: a {{ without }}"))?;
            let field = &rest[open + 1..open + close];
            rest = &rest[open + close + 1..];
            if let Some(size) = self.size(field) {
                out.push_str(&size);
                continue;
            }
            let (path, decimals) = match field.split_once(":.") {
                Some((path, n)) => (path, n.parse().map_err(|_| format!("{field:?}"))?),
                None => (field, 0),
            };
            if !path.contains('.') {
                return Err(format!("{text:?}: no size called {path:?}"));
            }
            match self.measured(path) {
                Some(v) => out.push_str(&format!("{v:.decimals$}")),
                None => return Ok(None),
            }
        }
        out.push_str(rest);
        Ok(Some(out))
    }

    fn row(&self, spec: &'static Spec) -> Result<Row, String> {
        let unit = match spec.unit {
            UnitSpec::Seconds => Unit::Seconds,
            UnitSpec::Speedup => Unit::Speedup,
            UnitSpec::GibPerSecond => Unit::GibPerSecond,
            UnitSpec::Runs => Unit::Runs(self.sizes.race_trials),
        };
        let title = TABLE
            .sections
            .get(&spec.section)
            .ok_or_else(|| format!("no section {:?}", spec.section))?;
        let limit = spec.limit.map(|l| self.limit(l));
        let text = |t: &str| -> Result<String, String> { Ok(self.fill(t)?.unwrap_or_default()) };
        let mut row = Row::new(
            text(title)?,
            text(&spec.name)?,
            unit,
            self.figure(&spec.rust),
            self.target(spec, limit)?,
            &spec.source,
        )
        .id(&spec.id)
        .python(spec.python.as_deref().and_then(|p| self.figure(p)))
        .evidence(text(&spec.evidence)?)
        .if_missed(&spec.if_missed);
        if let Some(limit) = limit {
            row = row.limit(limit);
        }
        Ok(row)
    }
}

/// The report's rows (bench/rows.toml) with one run's measurements.
pub fn rows(results: &Results, sizes: &Sizes, cores: usize) -> Vec<Row> {
    let run = Run {
        results,
        sizes,
        cores,
    };
    TABLE
        .row
        .iter()
        .map(|spec| {
            run.row(spec)
                .unwrap_or_else(|e| panic!("bench/rows.toml, row {:?}: {e}", spec.id))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn results() -> Results {
        Results {
            parts: vec![
                (
                    "cpu-threads",
                    Ok(
                        json!({ "sequential": 2.0, "threads_2": 1.0, "cpu_per_wall_threads_2": 1.987 }),
                    ),
                ),
                (
                    "downloads",
                    Ok(json!({ "pool_10": { "wall": 1.05, "max_in_flight": 10.0, "ok": 100.0 } })),
                ),
                ("race", Err("did not run".into())),
            ],
        }
    }

    #[test]
    fn every_row_is_well_formed_and_its_id_is_unique() {
        let sizes = Sizes::new(false);
        let rows = rows(&results(), &sizes, 2);
        assert_eq!(rows.len(), TABLE.row.len());
        for (i, row) in rows.iter().enumerate() {
            assert!(!row.id.is_empty() && !row.name.contains('{'), "{row:?}");
            assert!(
                !rows[..i].iter().any(|r| r.id == row.id),
                "{} twice",
                row.id
            );
        }
    }

    #[test]
    fn figures_limits_and_targets_come_from_the_run() {
        let sizes = Sizes::new(false);
        let rows = rows(&results(), &sizes, 2);
        let row = |id: &str| rows.iter().find(|r| r.id == id).unwrap();
        let threads = row("cpu.threads_2");
        assert_eq!(threads.rust, Some(2.0));
        assert_eq!(threads.python, None);
        assert_eq!(threads.limit, Some(2.0));
        assert_eq!(threads.target, Target::AtLeast(0.9 * 2.0));
        assert_eq!(threads.evidence, "CPU time / wall time 1.99 (Rust)");
        // One core: the ideal of 4 workers is 1.
        assert_eq!(super::rows(&results(), &sizes, 1)[2].limit, Some(1.0));
        let pool = row("io.pool_10");
        assert_eq!(
            pool.section,
            "IO-bound: 100 downloads, 100 ms each (kit's SlowServer on loopback)"
        );
        assert_eq!(pool.limit, Some(1.0));
        assert_eq!(pool.target, Target::About(1.0, 0.2));
        assert_eq!(
            pool.evidence,
            "at most 10 in flight at the server; 100/100 bodies right"
        );
        // A figure that was not measured leaves its evidence out.
        assert_eq!(row("io.async").evidence, "");
        assert_eq!(row("race.losing_runs").rust, None);
        assert_eq!(row("race.losing_runs").target, Target::AtLeast(50.0));
        let quick = Sizes::new(true);
        let quick_rows = super::rows(&results(), &quick, 2);
        let sleepers = quick_rows
            .iter()
            .find(|r| r.id == "io.sleepers_multi_thread")
            .unwrap();
        assert!(
            sleepers
                .name
                .starts_with("1,000 tokio tasks sleeping 1 s at once"),
            "{}",
            sleepers.name
        );
    }
}
