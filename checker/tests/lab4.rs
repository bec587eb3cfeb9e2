//! Checks of Lab 4 (being written).
