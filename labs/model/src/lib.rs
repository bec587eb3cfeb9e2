//! # model — the course's shared vocabulary
//!
//! Students do not edit this crate. It holds what the labs, the checks and the course tool
//! must agree on, and nothing else, so that the course tool (which must run even when a lab
//! does not compile) can read it without building the labs' support library:
//!
//! | module | what it holds |
//! |---|---|
//! | [`course`] | `course.toml` loaded into documented structs (labs, tasks, points, hints) |
//! | [`verdict`] | what a check, a lab and a student's submission came to: one enum each, whose one written form is used by every report, the gradebook and the fixture files |
//! | [`lang`] | which language the course speaks (English or Russian), and `tr!` for a text in both |
//! | [`marker`] | the words a check's failure message starts with, by which the course tool tells how it ended |
//! | [`seal`] | the sealed pass: how the course tool tells a check's real pass from printed text |
//!
//! Dependencies: serde and toml only.

pub mod course;
pub mod lang;
pub mod marker;
pub mod seal;
pub mod verdict;

pub use lang::Lang;
pub use verdict::{LabStatus, LateStatus, StudentStatus, UnknownWord, Verdict};
