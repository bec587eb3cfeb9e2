//! Checks of Lab 3 (being written).
