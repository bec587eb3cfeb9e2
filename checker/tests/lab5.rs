//! Checks of Lab 5 (being written).
