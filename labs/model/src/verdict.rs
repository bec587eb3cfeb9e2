//! What a check, a lab and a submission came to: one enum per concept, one word per value.
//!
//! Each enum owns its written form ([`Verdict::as_str`], also its `Display`, its `FromStr`
//! and its serde form): the student's report (`cargo course check --json`), the grader's
//! per-student `results.json`, `grades.csv`, the summaries, the self-test's fixtures
//! (`checker/fixtures/*.toml`) and the hostile corpus all spell a verdict the same way,
//! because they all spell it through here.

use std::fmt;
use std::str::FromStr;

/// A word that is none of an enum's words (parsing a verdict or a status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownWord {
    /// What was being read: `verdict`, `lab status`, `student status`.
    pub kind: &'static str,
    /// The word read.
    pub word: String,
    /// The words that would have been accepted.
    pub known: Vec<&'static str>,
}

impl fmt::Display for UnknownWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} {:?} (one of: {})",
            self.kind,
            self.word,
            self.known.join(", ")
        )
    }
}

impl std::error::Error for UnknownWord {}

/// An enum whose every value has one word: `ALL`, `as_str`, `Display`, `FromStr` and a
/// serde form that goes through them.
macro_rules! words {
    (
        $(#[$meta:meta])*
        $name:ident ($kind:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $word:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[serde(into = "&'static str", try_from = "String")]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// Its one written form (`snake_case`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }

            /// The word as prose: `compile error` for `compile_error`.
            pub fn spoken(self) -> String {
                self.as_str().replace('_', " ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownWord;
            fn from_str(word: &str) -> Result<$name, UnknownWord> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == word)
                    .ok_or_else(|| UnknownWord {
                        kind: $kind,
                        word: word.to_owned(),
                        known: $name::ALL.iter().map(|v| v.as_str()).collect(),
                    })
            }
        }

        impl From<$name> for &'static str {
            fn from(v: $name) -> &'static str {
                v.as_str()
            }
        }

        impl TryFrom<String> for $name {
            type Error = UnknownWord;
            fn try_from(word: String) -> Result<$name, UnknownWord> {
                word.parse()
            }
        }
    };
}

words! {
    /// What one check came to (and, for a task, its first failing check's verdict; for a
    /// lab that could not be checked at all, why).
    Verdict("verdict") {
        /// Every assertion held.
        Pass = "passed",
        /// An assertion failed: the code ran and gave a wrong result.
        WrongAnswer = "failed",
        /// The code reached a `todo!()`.
        NotImplemented = "not_implemented",
        /// The student's code panicked.
        Panic = "panic",
        /// The check did not finish before its deadline (a deadlock, a missing EOF, a loop);
        /// for a lab, its build did not.
        TimedOut = "timeout",
        /// The demo's output differs from the reference snapshot.
        SnapshotMismatch = "snapshot_mismatch",
        /// The check's process was killed by a signal (an abort, a segfault, a kill).
        Signal = "signal",
        /// The check's process ended in the middle of the check, or died without a word
        /// (an exit before the check finished).
        Crashed = "crashed",
        /// The check used more CPU time than the sandbox allows (a spinning loop). Grader only.
        CpuLimit = "cpu_limit",
        /// The check used more memory than the sandbox allows. Grader only.
        MemoryLimit = "memory",
        /// The check printed more than the sandbox's output cap. Grader only.
        OutputLimit = "output_limit",
        /// The lab did not compile.
        CompileError = "compile_error",
        /// Something went wrong on our side, not the student's.
        GraderError = "grader_error",
        /// The task's lab was not in the submission (a task's verdict, never a check's).
        Missing = "missing",
    }
}

impl Verdict {
    /// A few words for a report.
    pub fn describe(self) -> &'static str {
        match self {
            Verdict::Pass => "passed",
            Verdict::WrongAnswer => "wrong answer",
            Verdict::NotImplemented => "not implemented yet",
            Verdict::Panic => "your code panicked",
            Verdict::TimedOut => "timed out (deadlock? endless wait?)",
            Verdict::SnapshotMismatch => "output differs from the expected output",
            Verdict::Signal => "crashed (killed by a signal)",
            Verdict::Crashed => "crashed",
            Verdict::CpuLimit => "used too much CPU time (an endless loop?)",
            Verdict::MemoryLimit => "used too much memory",
            Verdict::OutputLimit => "printed too much output",
            Verdict::CompileError => "does not compile",
            Verdict::GraderError => "could not be checked (not your fault)",
            Verdict::Missing => "not submitted",
        }
    }
}

words! {
    /// What became of one lab of a submission.
    LabStatus("lab status") {
        /// Its checks ran (whatever they found).
        Graded = "graded",
        /// No file of the lab was submitted.
        Missing = "missing",
        /// The lab did not compile.
        CompileError = "compile_error",
        /// Its build, or its time budget, ran out.
        Timeout = "timeout",
        /// Something went wrong on the grader's side: not the student's fault.
        GraderError = "grader_error",
    }
}

/// Each status of a lab that could not be checked, with the verdict its tasks get.
const UNCHECKED: [(LabStatus, Verdict); 4] = [
    (LabStatus::Missing, Verdict::Missing),
    (LabStatus::CompileError, Verdict::CompileError),
    (LabStatus::Timeout, Verdict::TimedOut),
    (LabStatus::GraderError, Verdict::GraderError),
];

impl LabStatus {
    /// The status of a lab that could not be checked at all, from why ([`Verdict`]): a
    /// verdict no such status gives is the grader's error.
    pub fn of_failure(verdict: Verdict) -> LabStatus {
        UNCHECKED
            .iter()
            .find(|(_, v)| *v == verdict)
            .map_or(LabStatus::GraderError, |(s, _)| *s)
    }

    /// The verdict each task of a lab with this status gets (None for a graded lab: its
    /// tasks have their own).
    pub fn task_verdict(self) -> Option<Verdict> {
        UNCHECKED.iter().find(|(s, _)| *s == self).map(|(_, v)| *v)
    }
}

words! {
    /// What became of a whole submission.
    StudentStatus("student status") {
        /// Every lab was graded (or is missing).
        Graded = "graded",
        /// The submission could not be taken (an archive that cannot be read, …).
        Rejected = "rejected",
        /// Some part could not be graded: not the student's fault, look at it.
        GraderError = "grader_error",
    }
}

words! {
    /// How a lab with a due date was handed in (the grader's, in `results.json`).
    LateStatus("lateness") {
        /// At or before the due date.
        OnTime = "on_time",
        /// After it: the penalty for each started day is taken.
        Late = "late",
        /// Past the last day late work is accepted: 0 points.
        TooLate = "too_late",
        /// The submission has no date: no penalty.
        Unknown = "unknown",
        /// A git submission with no commit at or before the due date: the lab is not graded.
        NoneBeforeDeadline = "none_before_deadline",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T>(all: &[T])
    where
        T: Copy + fmt::Debug + PartialEq + FromStr + fmt::Display + serde::Serialize,
        T: serde::de::DeserializeOwned,
        <T as FromStr>::Err: fmt::Debug,
    {
        let mut seen = std::collections::BTreeSet::new();
        for v in all {
            let word = v.to_string();
            assert!(
                seen.insert(word.clone()),
                "{word} is the word of two values"
            );
            assert!(
                !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{word:?} is not snake_case"
            );
            assert_eq!(word.parse::<T>().unwrap(), *v);
            let toml = toml::Value::try_from(SerdeBox { v: *v }).unwrap();
            assert_eq!(
                toml["v"].as_str(),
                Some(word.as_str()),
                "serde writes its word"
            );
            let back: SerdeBox<T> = toml.try_into().unwrap();
            assert_eq!(back.v, *v, "serde reads its word");
        }
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    struct SerdeBox<T> {
        v: T,
    }

    #[test]
    fn every_value_has_one_word_that_reads_back() {
        round_trips(Verdict::ALL);
        round_trips(LabStatus::ALL);
        round_trips(StudentStatus::ALL);
        round_trips(LateStatus::ALL);
    }

    #[test]
    fn an_unknown_word_is_refused_with_the_known_ones() {
        let e = "timed_out".parse::<Verdict>().unwrap_err();
        assert_eq!(e.word, "timed_out");
        assert!(e.to_string().contains("timeout"), "{e}");
        assert!("Graded".parse::<LabStatus>().is_err());
    }

    #[test]
    fn a_lab_status_and_its_tasks_verdict_are_the_same_word() {
        for status in LabStatus::ALL {
            match status.task_verdict() {
                None => assert_eq!(*status, LabStatus::Graded),
                Some(v) => {
                    assert_eq!(v.as_str(), status.as_str());
                    assert_eq!(LabStatus::of_failure(v), *status);
                }
            }
        }
        let words: Vec<&str> = StudentStatus::ALL.iter().map(|s| s.as_str()).collect();
        for shared in [StudentStatus::Graded, StudentStatus::GraderError] {
            assert!(
                shared.as_str().parse::<LabStatus>().is_ok(),
                "{shared}: {words:?}"
            );
        }
    }
}
