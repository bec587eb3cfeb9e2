//! Checks of Lab 2 (being written).
