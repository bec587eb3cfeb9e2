//! Lab 4 solution (being written).
pub mod demo {
    /// Runs the demo.
    pub fn run(_args: &[String]) {}
}
