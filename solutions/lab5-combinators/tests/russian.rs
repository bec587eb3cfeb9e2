//! The demo in Russian: under `COURSE_LANG=ru` it prints no English sentence, its event logs
//! aside: they are the experiments' traces, the same in every language as asyncio prints
//! them, compared line for line. (In English its output is the checks' snapshots,
//! checker/tests/snapshots/lab5_demo_*.snap.)

#[test]
fn the_demo_speaks_russian() {
    kit::demo::assert_speaks_russian_beside(
        env!("CARGO_BIN_EXE_lab5-solution"),
        &["--quick"],
        is_event_log,
    );
}

/// A line of an event log (`  1000 ms  b          finish`), or two side by side.
fn is_event_log(line: &str) -> bool {
    line.split(['│', '≠']).all(|column| {
        let column = column.trim();
        column.is_empty()
            || column
                .split_once(" ms ")
                .is_some_and(|(at, _)| at.trim().parse::<u64>().is_ok())
    })
}
