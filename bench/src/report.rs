//! The report's rows: a measured value, Python's beside it, the physical limit, the target
//! and the verdict; rendered as a terminal table, Markdown and JSON.

use kit::table::Table;
use serde_json::{Value, json};
use std::time::Duration;

/// How a row's numbers are shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    /// A duration, stored in seconds, shown as `10.16 s`, `105.3 ms`, `850 µs`.
    Seconds,
    /// A ratio of two times, shown as `1.93×`.
    Speedup,
    /// Bytes per second, stored in GiB/s.
    GibPerSecond,
    /// Runs out of a total, stored as a count: `50/50`.
    Runs(usize),
}

impl Unit {
    /// `value` in this unit, for a reader.
    pub fn show(self, value: f64) -> String {
        if !value.is_finite() {
            return "—".into();
        }
        match self {
            Unit::Seconds if value < 1e-3 => {
                let us = value * 1e6;
                if us < 10.0 {
                    format!("{us:.1} µs")
                } else {
                    format!("{us:.0} µs")
                }
            }
            // Tool times run to minutes: `5 min 07 s` reads better than `307.30 s`.
            Unit::Seconds if value >= 100.0 => {
                let secs = value.round() as u64;
                format!("{} min {:02} s", secs / 60, secs % 60)
            }
            Unit::Seconds => kit::clock::human(Duration::from_secs_f64(value.max(0.0))),
            Unit::Speedup => format!("{value:.2}×"),
            Unit::GibPerSecond => format!("{value:.2} GiB/s"),
            Unit::Runs(of) => format!("{value:.0}/{of}"),
        }
    }

    fn key(self) -> &'static str {
        match self {
            Unit::Seconds => "seconds",
            Unit::Speedup => "speedup",
            Unit::GibPerSecond => "GiB/s",
            Unit::Runs(_) => "runs",
        }
    }
}

/// What a row is held to.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// At least this much (speedups, throughput, counts).
    AtLeast(f64),
    /// At most this much (times).
    AtMost(f64),
    /// Within `tolerance` (a fraction: 0.1 = ±10 %) of this value.
    About(f64, f64),
    /// No target: a figure measured earlier on this machine, to compare with.
    Reference(f64, &'static str),
}

impl Target {
    fn value(&self) -> f64 {
        match *self {
            Target::AtLeast(v)
            | Target::AtMost(v)
            | Target::About(v, _)
            | Target::Reference(v, _) => v,
        }
    }

    fn show(&self, unit: Unit) -> String {
        match self {
            Target::AtLeast(v) => format!("≥ {}", unit.show(*v)),
            Target::AtMost(v) => format!("≤ {}", unit.show(*v)),
            Target::About(v, tol) => format!("≈ {} ±{:.0} %", unit.show(*v), tol * 100.0),
            Target::Reference(_, text) => format!("none (was {text})"),
        }
    }

    /// `Some(true)` pass, `Some(false)` miss, `None` no target to meet.
    fn met(&self, value: f64) -> Option<bool> {
        match *self {
            Target::AtLeast(v) => Some(value >= v),
            Target::AtMost(v) => Some(value <= v),
            Target::About(v, tol) => Some(((value / v) - 1.0).abs() <= tol),
            Target::Reference(..) => None,
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone)]
pub struct Row {
    /// A stable key (`cpu.threads_2`): the same row in another run, whatever the sizes.
    pub id: String,
    /// The section it belongs to.
    pub section: String,
    /// What was measured, for a reader.
    pub name: String,
    pub unit: Unit,
    /// The Rust figure (`None`: not measured, see `note`).
    pub rust: Option<f64>,
    /// Python's figure for the same experiment (`None`: no Python counterpart, or skipped).
    pub python: Option<f64>,
    /// The physical limit: what no implementation can beat on this machine.
    pub limit: Option<f64>,
    pub target: Target,
    /// Where the target comes from (the course's quality bars, an earlier measurement).
    pub source: &'static str,
    /// Structural evidence beside the figure (the server's max in flight, CPU/wall...).
    pub evidence: String,
    /// The likely cause, printed when the row misses its target.
    pub if_missed: &'static str,
    /// This row's figure in an earlier run (`--previous`), for the stability column.
    pub previous: Option<f64>,
}

impl Row {
    /// A row with no Python figure, no limit, no evidence.
    pub fn new(
        section: impl Into<String>,
        name: impl Into<String>,
        unit: Unit,
        rust: Option<f64>,
        target: Target,
        source: &'static str,
    ) -> Row {
        Row {
            id: String::new(),
            section: section.into(),
            name: name.into(),
            unit,
            rust,
            python: None,
            limit: None,
            target,
            source,
            evidence: String::new(),
            if_missed: "",
            previous: None,
        }
    }

    pub fn id(mut self, id: impl Into<String>) -> Row {
        self.id = id.into();
        self
    }

    pub fn python(mut self, v: Option<f64>) -> Row {
        self.python = v;
        self
    }

    pub fn limit(mut self, v: f64) -> Row {
        self.limit = Some(v);
        self
    }

    pub fn evidence(mut self, e: impl Into<String>) -> Row {
        self.evidence = e.into();
        self
    }

    pub fn if_missed(mut self, why: &'static str) -> Row {
        self.if_missed = why;
        self
    }

    /// Measured over target (`None` when not measured).
    pub fn ratio(&self) -> Option<f64> {
        self.rust.map(|v| v / self.target.value())
    }

    /// `pass`, `MISS`, `—` (no target) or `not measured`.
    pub fn verdict(&self) -> &'static str {
        match self.rust.map(|v| self.target.met(v)) {
            None => "not measured",
            Some(None) => "—",
            Some(Some(true)) => "pass",
            Some(Some(false)) => "MISS",
        }
    }

    /// The relative change since the previous run, `+3.1 %`.
    fn change(&self) -> String {
        match (self.rust, self.previous) {
            (Some(now), Some(before)) if before != 0.0 => {
                format!("{:+.1} %", (now / before - 1.0) * 100.0)
            }
            _ => "—".into(),
        }
    }

    fn cells(&self, with_previous: bool) -> Vec<String> {
        let show = |v: Option<f64>| v.map_or("—".into(), |v| self.unit.show(v));
        let mut cells = vec![
            self.name.clone(),
            show(self.rust),
            show(self.python),
            show(self.limit),
            self.target.show(self.unit),
            self.ratio().map_or("—".into(), show_ratio),
            self.verdict().into(),
        ];
        if with_previous {
            cells.push(show(self.previous));
            cells.push(self.change());
        }
        cells
    }

    /// The row as JSON (values in the unit's base: seconds, ×, GiB/s, runs).
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "section": self.section,
            "name": self.name,
            "unit": self.unit.key(),
            "rust": self.rust,
            "python": self.python,
            "limit": self.limit,
            "target": self.target.show(self.unit),
            "target_value": self.target.value(),
            "source": self.source,
            "ratio": self.ratio(),
            "verdict": self.verdict(),
            "evidence": self.evidence,
            "previous": self.previous,
        })
    }
}

fn header(with_previous: bool) -> Vec<&'static str> {
    let mut h = vec![
        "experiment",
        "Rust",
        "Python",
        "limit",
        "target",
        "ratio",
        "verdict",
    ];
    if with_previous {
        h.extend(["previous run", "change"]);
    }
    h
}

/// The sections in order of first appearance.
pub fn sections(rows: &[Row]) -> Vec<&str> {
    let mut seen = Vec::new();
    for r in rows {
        if !seen.contains(&r.section.as_str()) {
            seen.push(r.section.as_str());
        }
    }
    seen
}

/// The rows as aligned terminal tables, one per section.
pub fn text(rows: &[Row]) -> String {
    let with_previous = rows.iter().any(|r| r.previous.is_some());
    let mut out = String::new();
    for section in sections(rows) {
        out.push_str(&format!("\n{section}\n"));
        let mut table = Table::new(header(with_previous));
        for r in rows.iter().filter(|r| r.section == section) {
            table.row(r.cells(with_previous));
        }
        out.push_str(&table.to_string());
    }
    out
}

/// The rows as Markdown tables, one per section, each followed by its evidence and the
/// source of its targets.
pub fn markdown(rows: &[Row]) -> String {
    let with_previous = rows.iter().any(|r| r.previous.is_some());
    let h = header(with_previous);
    let mut out = String::new();
    for section in sections(rows) {
        out.push_str(&format!("### {section}\n\n"));
        out.push_str(&format!("| {} |\n", h.join(" | ")));
        let align: Vec<&str> = h
            .iter()
            .enumerate()
            .map(|(i, _)| if i == 0 { ":--" } else { "--:" })
            .collect();
        out.push_str(&format!("|{}|\n", align.join("|")));
        let section_rows: Vec<&Row> = rows.iter().filter(|r| r.section == section).collect();
        for r in &section_rows {
            let mut cells = r.cells(with_previous);
            if r.verdict() == "MISS" {
                cells[6] = "**MISS**".into();
            }
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out.push('\n');
        for r in section_rows.iter().filter(|r| !r.evidence.is_empty()) {
            out.push_str(&format!("- *{}*: {}.\n", r.name, r.evidence));
        }
        let mut sources: Vec<&str> = Vec::new();
        for r in &section_rows {
            if !sources.contains(&r.source) {
                sources.push(r.source);
            }
        }
        out.push_str(&format!("\nTargets: {}.\n\n", sources.join("; ")));
    }
    out
}

/// A ratio to its target, `1.23`; three decimals near 1, where a miss by a hair would
/// otherwise read `1.00` beside `MISS`.
fn show_ratio(r: f64) -> String {
    if (r - 1.0).abs() < 0.005 {
        format!("{r:.3}")
    } else {
        format!("{r:.2}")
    }
}

/// Every row that missed its target, with the likely cause.
pub fn misses(rows: &[Row]) -> Vec<String> {
    rows.iter()
        .filter(|r| r.verdict() == "MISS")
        .map(|r| {
            format!(
                "{}: {} against {} (ratio {}). {}",
                r.name,
                r.rust.map_or("—".into(), |v| r.unit.show(v)),
                r.target.show(r.unit),
                r.ratio().map_or("—".into(), show_ratio),
                r.if_missed
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_near_one_keep_a_third_decimal() {
        assert_eq!(show_ratio(0.9978), "0.998");
        assert_eq!(show_ratio(1.23), "1.23");
        assert_eq!(show_ratio(0.72), "0.72");
    }

    #[test]
    fn units_show_their_size() {
        assert_eq!(Unit::Seconds.show(10.16), "10.16 s");
        assert_eq!(Unit::Seconds.show(307.3), "5 min 07 s");
        assert_eq!(Unit::Seconds.show(0.1053), "105.3 ms");
        assert_eq!(Unit::Seconds.show(0.000_138), "138 µs");
        assert_eq!(Unit::Seconds.show(0.000_006_1), "6.1 µs");
        assert_eq!(Unit::Speedup.show(1.934), "1.93×");
        assert_eq!(Unit::Runs(50).show(50.0), "50/50");
    }

    #[test]
    fn verdicts_follow_the_target_kind() {
        let row = |v: f64, t: Target| Row::new("s", "r", Unit::Speedup, Some(v), t, "x");
        assert_eq!(row(1.9, Target::AtLeast(1.8)).verdict(), "pass");
        assert_eq!(row(1.7, Target::AtLeast(1.8)).verdict(), "MISS");
        assert_eq!(row(0.14, Target::AtMost(0.15)).verdict(), "pass");
        assert_eq!(row(1.05, Target::About(1.0, 0.1)).verdict(), "pass");
        assert_eq!(row(1.15, Target::About(1.0, 0.1)).verdict(), "MISS");
        assert_eq!(row(1.0, Target::Reference(1.0, "1")).verdict(), "—");
        let unmeasured = Row::new("s", "r", Unit::Speedup, None, Target::AtLeast(1.0), "x");
        assert_eq!(unmeasured.verdict(), "not measured");
    }
}
