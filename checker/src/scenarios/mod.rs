//! The scenarios that only the checks run, one module per lab that has them, each written
//! against `crate::labN` (labs/ or solutions/, by feature) and run by the `run-lab` binary in
//! a fresh process (`run-lab lab3 --scenario NAME ...`).

#[cfg(feature = "lab3")]
pub mod lab3;
