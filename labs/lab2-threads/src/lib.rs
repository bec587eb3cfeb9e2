//! Lab 2 (being written).
#![allow(clippy::todo)]
pub mod demo {
    /// Runs the demo.
    pub fn run(_args: &[String]) {}
}
