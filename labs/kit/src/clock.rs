//! CPU clocks, to put beside wall time.
//!
//! Wall time is what a stopwatch on the desk shows ([`std::time::Instant`]). CPU time is how
//! long a processor actually ran our code. Their ratio tells an IO-bound program (it mostly
//! waits: CPU ≪ wall) from a CPU-bound one (it mostly computes: CPU ≈ wall per thread).
//!
//! Both clocks come from the kernel through `clock_gettime(2)`:
//! - [`thread_cpu_time`]: CPU time of the calling thread only. Use it to measure a closure
//!   that runs on the current thread: other threads of the process (a test harness, a
//!   server) cannot disturb it.
//! - [`process_cpu_time`]: CPU time of every thread of the process, user + system. Use it to
//!   measure work spread over threads: with 2 busy threads it grows twice as fast as wall time.

use nix::time::{ClockId, clock_gettime};
use std::time::{Duration, Instant};

fn read(clock: ClockId) -> Duration {
    // Both clocks exist on every Linux and macOS kernel this course runs on; failing to
    // read one means the platform is unsupported, not that the user did something wrong.
    let ts = clock_gettime(clock).expect("clock_gettime on a CPU-time clock");
    Duration::new(ts.tv_sec() as u64, ts.tv_nsec() as u32)
}

/// CPU time consumed so far by the calling thread (user + system).
pub fn thread_cpu_time() -> Duration {
    read(ClockId::CLOCK_THREAD_CPUTIME_ID)
}

/// CPU time consumed so far by all threads of this process (user + system).
pub fn process_cpu_time() -> Duration {
    read(ClockId::CLOCK_PROCESS_CPUTIME_ID)
}

/// Wall time and process CPU time of one run of `f`, with its result.
///
/// This is the kit's own measurement, used by the demos of Labs 2–5. Lab 1 asks students to
/// write their own (for the calling thread); this one counts every thread, so that
/// "2 threads busy for 1 s" shows as 2 s of CPU in 1 s of wall time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// Time on the wall clock.
    pub wall: Duration,
    /// CPU time of the whole process during the run.
    pub cpu: Duration,
}

impl Timing {
    /// CPU time divided by wall time: about 1.0 for one busy thread, about N for N busy
    /// threads on N cores, near 0 for a program that waits.
    pub fn cpu_per_wall(&self) -> f64 {
        let wall = self.wall.as_secs_f64();
        if wall == 0.0 {
            0.0
        } else {
            self.cpu.as_secs_f64() / wall
        }
    }
}

/// Runs `f` once and returns its result with its [`Timing`].
pub fn time<T>(f: impl FnOnce() -> T) -> (T, Timing) {
    let cpu0 = process_cpu_time();
    let t0 = Instant::now();
    let value = f();
    let wall = t0.elapsed();
    let cpu = process_cpu_time().saturating_sub(cpu0);
    (value, Timing { wall, cpu })
}

/// Spins on the current thread until it has used `cpu` of CPU time. A workload whose CPU
/// cost is known exactly, for checks that must not depend on how fast the machine is.
pub fn burn_cpu(cpu: Duration) {
    let start = thread_cpu_time();
    while thread_cpu_time() - start < cpu {
        std::hint::spin_loop();
    }
}

/// Formats a duration for a human, with a unit that suits its size: `850 µs`, `12.3 ms`, `1.02 s`.
pub fn human(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.0} µs", s * 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sleeping_thread_uses_almost_no_cpu() {
        let ((), t) = time(|| std::thread::sleep(Duration::from_millis(30)));
        assert!(t.wall >= Duration::from_millis(30));
        let cpu0 = thread_cpu_time();
        std::thread::sleep(Duration::from_millis(30));
        assert!(thread_cpu_time() - cpu0 < Duration::from_millis(15));
    }

    #[test]
    fn burning_cpu_shows_on_the_thread_clock() {
        let cpu0 = thread_cpu_time();
        burn_cpu(Duration::from_millis(20));
        assert!(thread_cpu_time() - cpu0 >= Duration::from_millis(20));
    }

    #[test]
    fn human_picks_a_unit() {
        assert_eq!(human(Duration::from_micros(850)), "850 µs");
        assert_eq!(human(Duration::from_micros(12_300)), "12.3 ms");
        assert_eq!(human(Duration::from_millis(1020)), "1.02 s");
    }
}
