//! The demo in Russian: under `COURSE_LANG=ru` it prints no English sentence. (In English
//! its output is the checks' snapshots, checker/tests/snapshots/lab2_demo_*.snap.)

#[test]
fn the_demo_speaks_russian() {
    kit::demo::assert_speaks_russian(env!("CARGO_BIN_EXE_lab2-solution"), &["--quick"]);
}
