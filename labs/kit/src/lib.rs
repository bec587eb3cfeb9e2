//! # kit — what every lab stands on
//!
//! Students do not edit this crate. It holds the parts of each experiment that are not
//! the lesson, so that the lesson stays small:
//!
//! | module | what it gives a lab |
//! |---|---|
//! | [`course`] | `course.toml` loaded into documented structs (labs, tasks, points, hints): crate `model`'s |
//! | [`lang`] | which language the demos speak, English or Russian, and [`tr!`] for a text in both: crate `model`'s |
//! | [`clock`] | CPU time of the calling thread and of the whole process, next to wall time |
//! | [`server`] | a real HTTP server on loopback that answers each request after a set latency |
//! | [`http`] | the clients for it: a blocking `get` and an async `fetch` on tokio |
//! | [`demo`] | the demo runner: runs a task, turns `todo!()` into "not implemented yet" |
//! | [`table`] | aligned text tables for the demos' narrated output |
//! | [`runtime`] | the course's tokio runtimes: one thread, the clock paused (virtual time) or real |
//! | [`python`] | runs a lab's Python mirror with `python3`, or says why it skipped |
//! | [`seal`] | the sealed pass: how the course tool tells a check's real pass from printed text (crate `model`'s) |
//! | [`supervise`] | the one way the course's tools run a child: drained, capped, killed with everything it started at its deadline (crate `supervise`) |
//! | [`timeline`] | records task events (start, await, resume, finish) and draws them: terminal rows or a Chrome trace |
//! | [`workload`] | the CPU-bound workload: counting primes by trial division |

pub mod clock;
pub use model::course;
pub use model::lang;
/// A text in the current language: `kit::tr!(en: "...", ru: "...")` (crate `model`'s).
pub use model::tr;

/// Prints a line in the current language: `kit::say!(en: "...", ru: "...")` is `println!`
/// of [`tr!`]'s text.
#[macro_export]
macro_rules! say {
    ($($text:tt)*) => {
        println!("{}", $crate::tr!($($text)*))
    };
}
pub mod demo;
pub mod http;
pub mod python;
pub mod runtime;
pub use model::seal;
pub mod server;
pub use supervise;
pub mod table;
pub mod timeline;
pub mod workload;
