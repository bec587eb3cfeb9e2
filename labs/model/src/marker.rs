//! The markers a check puts at the start of its failure message, read by the course tool.
//!
//! The check harness (`checker::harness`) and the snapshot comparison (`checker::snapshot`)
//! write them; the course tool finds them in a failed check's output and gives the verdict
//! [`verdict_of`] says. Both sides use these constants: a marker cannot drift.

use crate::Verdict;

/// Starts the message of a check that reached a `todo!()` in the student's code.
pub const NOT_IMPLEMENTED: &str = "[not implemented]";
/// Starts the message of a check that did not finish before its deadline.
pub const TIMED_OUT: &str = "[timed out]";
/// Starts the message of a check in which the student's code itself panicked.
pub const STUDENT_PANIC: &str = "[panic in your code]";
/// Starts the message of a demo whose output differs from its snapshot.
pub const OUTPUT_DIFFERS: &str = "[output differs]";

/// Every marker with the verdict it stands for, in the order they are looked for.
pub const MARKERS: [(&str, Verdict); 4] = [
    (NOT_IMPLEMENTED, Verdict::NotImplemented),
    (TIMED_OUT, Verdict::TimedOut),
    (STUDENT_PANIC, Verdict::Panic),
    (OUTPUT_DIFFERS, Verdict::SnapshotMismatch),
];

/// The verdict of a failure message that holds a marker (the first of [`MARKERS`] found).
pub fn verdict_of(message: &str) -> Option<Verdict> {
    MARKERS
        .iter()
        .find(|(marker, _)| message.contains(marker))
        .map(|(_, verdict)| *verdict)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_marker_gives_its_own_verdict() {
        for (marker, verdict) in MARKERS {
            let message = format!("thread 'check 1.3' panicked:\n{marker} task 1.3 …");
            assert_eq!(verdict_of(&message), Some(verdict), "{marker}");
        }
        assert_eq!(verdict_of("assertion `left == right` failed"), None);
        let verdicts: std::collections::BTreeSet<_> = MARKERS.iter().map(|(_, v)| v).collect();
        assert_eq!(verdicts.len(), MARKERS.len(), "two markers, one verdict");
    }
}
