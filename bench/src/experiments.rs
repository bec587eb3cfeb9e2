//! The Rust side of the macro experiments, each run in a fresh child process.
//!
//! The report starts `bench exp NAME key=value...` for every experiment and reads one JSON
//! object from the child's stdout. A process per experiment, because:
//! - the fork-based experiments (Lab 3's `fan_out`, `fork_wait`, the pipe throughput) are
//!   only sound in a single-threaded process, and an earlier experiment's server thread or
//!   tokio workers would make this one multi-threaded;
//! - every experiment starts from the same clean state (no warm heap, no leftover threads).
//!
//! Wherever a solution crate has the function the experiment needs, the experiment calls
//! it (Lab 2's `parallel_sum`, `gil_sum`, `hammer`, `download_all`; Lab 3's `fan_out` and
//! cost functions; Lab 4's `download_all`, `download_limited`, `concurrently`), so the
//! figures are the labs' own. What no lab provides (the pipe throughput, the sequential
//! download loop) is written here with the same workload.

use kit::server::SlowServer;
use lab2_solution::workload::{WINDOW_START, count_primes, window};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::ops::Range;
use std::time::{Duration, Instant};

/// The arguments of one experiment: `key=value` words.
#[derive(Debug, Default)]
pub struct Args(BTreeMap<String, String>);

impl Args {
    /// Parses `key=value` words; anything else is an error.
    pub fn parse(words: &[String]) -> Result<Args, String> {
        let mut map = BTreeMap::new();
        for w in words {
            let (k, v) = w
                .split_once('=')
                .ok_or_else(|| format!("experiment argument {w:?} is not key=value"))?;
            map.insert(k.to_owned(), v.to_owned());
        }
        Ok(Args(map))
    }

    /// The number under `key`.
    pub fn num<T: std::str::FromStr>(&self, key: &str) -> Result<T, String> {
        let v = self
            .0
            .get(key)
            .ok_or_else(|| format!("missing {key}=..."))?;
        v.parse()
            .map_err(|_| format!("{key}={v} is not a number of the right kind"))
    }
}

/// Runs the experiment `name` in this process and returns its measurements.
pub fn run(name: &str, args: &Args) -> Result<Value, String> {
    match name {
        "cpu-threads" => cpu_threads(args.num("len")?, args.num("reps")?),
        "cpu-processes" => cpu_processes(args.num("len")?, args.num("blocks")?, args.num("reps")?),
        "downloads" => downloads(
            args.num("n")?,
            Duration::from_millis(args.num("latency_ms")?),
        ),
        "downloads-python" => downloads_python(
            args.num("n")?,
            Duration::from_millis(args.num("latency_ms")?),
        ),
        "sleepers" => sleepers(args.num("n")?, Duration::from_millis(args.num("sleep_ms")?)),
        "costs" => costs(args.num("rounds")?, args.num("pipe_mib")?),
        "race" => race(args.num("trials")?, args.num("per_thread")?),
        other => Err(format!("no experiment named {other:?}")),
    }
}

/// The median of some samples (the mean of the middle two for an even count).
pub fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => samples[n / 2],
        _ => (samples[n / 2 - 1] + samples[n / 2]) / 2.0,
    }
}

/// Collects wall-time samples (seconds) under names, then reports their medians.
#[derive(Default)]
struct Samples(BTreeMap<String, Vec<f64>>);

impl Samples {
    /// Times `f` once under `name` and returns its result.
    fn time<T>(&mut self, name: &str, f: impl FnOnce() -> T) -> T {
        let t0 = Instant::now();
        let value = f();
        let wall = t0.elapsed().as_secs_f64();
        self.0.entry(name.to_owned()).or_default().push(wall);
        value
    }

    /// For each name: the fastest sample under the name itself, the median under
    /// `median_<name>`. Another program on the machine can only make a run slower, never
    /// faster, so the fastest of a few runs is the best estimate of what the code does on
    /// an otherwise idle machine (Python's `timeit` reports the minimum for the same reason).
    fn fastest_and_medians(self) -> Map<String, Value> {
        let mut out = Map::new();
        for (k, v) in self.0 {
            let fastest = v.iter().copied().fold(f64::INFINITY, f64::min);
            out.insert(format!("median_{k}"), json!(median(v)));
            out.insert(k, json!(fastest));
        }
        out
    }
}

/// Chunks of the GIL model: the lab 2 demo's size (100 numbers, a few milliseconds of work).
const GIL_CHUNK: u64 = 100;

/// CPU-bound work on T threads (Lab 2's `parallel_sum`) and under the GIL model (Lab 2's
/// `gil_sum`), T = 1, 2, 4, against the plain sequential count. The configurations take
/// turns inside each repetition, so a burst of load from elsewhere hits all of them alike;
/// each time is the fastest of `reps` (the median is kept beside it).
fn cpu_threads(len: u64, reps: usize) -> Result<Value, String> {
    use lab2_solution::gil::gil_sum;
    use lab2_solution::parallel::parallel_sum;
    let range = window(len);
    let expected = count_primes(range.clone());
    let mut s = Samples::default();
    let mut cpu_per_wall: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for _ in 0..reps {
        let got = s.time("sequential", || count_primes(range.clone()));
        check(got, expected, "sequential")?;
        for t in [1, 2, 4] {
            let (got, timing) = kit::clock::time(|| {
                s.time(&format!("threads_{t}"), || {
                    parallel_sum(range.clone(), t, count_primes)
                })
            });
            check(got, expected, "parallel_sum")?;
            cpu_per_wall
                .entry(format!("cpu_per_wall_threads_{t}"))
                .or_default()
                .push(timing.cpu_per_wall());
            let (got, timing) = kit::clock::time(|| {
                s.time(&format!("gil_{t}"), || {
                    gil_sum(range.clone(), t, GIL_CHUNK, count_primes)
                })
            });
            check(got, expected, "gil_sum")?;
            cpu_per_wall
                .entry(format!("cpu_per_wall_gil_{t}"))
                .or_default()
                .push(timing.cpu_per_wall());
        }
    }
    let mut out = s.fastest_and_medians();
    for (k, v) in cpu_per_wall {
        out.insert(k, json!(median(v)));
    }
    out.insert("primes".into(), json!(expected));
    out.insert("numbers".into(), json!(len));
    out.insert("from".into(), json!(WINDOW_START));
    Ok(Value::Object(out))
}

fn check(got: u64, expected: u64, what: &str) -> Result<(), String> {
    if got == expected {
        Ok(())
    } else {
        Err(format!(
            "{what} counted {got} primes, sequential {expected}"
        ))
    }
}

/// Block `b` of `blocks` equal blocks of the window of `len` numbers.
fn block(len: u64, blocks: u64, b: u64) -> Range<u64> {
    let size = len / blocks;
    let start = WINDOW_START + b * size;
    start..start + size
}

/// The same work in child processes: Lab 3's `fan_out` over P = 1, 2, 4 processes, the
/// window cut in `blocks` equal blocks (one `u64` of result per block through the pipes).
fn cpu_processes(len: u64, blocks: u64, reps: usize) -> Result<Value, String> {
    use lab3_solution::fanout::fan_out;
    let inputs: Vec<u64> = (0..blocks).collect();
    let work = |b: u64| count_primes(block(len, blocks, b));
    let expected: Vec<u64> = inputs.iter().map(|&b| work(b)).collect();
    let mut s = Samples::default();
    for _ in 0..reps {
        let got = s.time("sequential", || {
            inputs.iter().map(|&b| work(b)).collect::<Vec<_>>()
        });
        if got != expected {
            return Err("the sequential count changed between runs".into());
        }
        for p in [1, 2, 4] {
            let got = s
                .time(&format!("processes_{p}"), || fan_out(&inputs, p, work))
                .map_err(|e| format!("fan_out over {p} processes: {e}"))?;
            if got != expected {
                return Err(format!(
                    "fan_out over {p} processes: {got:?} != {expected:?}"
                ));
            }
        }
    }
    let mut out = s.fastest_and_medians();
    out.insert("primes".into(), json!(expected.iter().sum::<u64>()));
    Ok(Value::Object(out))
}

/// 100 downloads from the slow server: a sequential loop of blocking `get`s (Lab 1's way),
/// one thread per URL and a pool of 10 threads (Lab 2's `download_all`), one tokio task per
/// URL and at most 10 at a time (Lab 4's `download_all` / `download_limited`).
/// Each mode also reports the server's `max_in_flight`: the concurrency it really saw.
fn downloads(n: usize, latency: Duration) -> Result<Value, String> {
    let server = SlowServer::start(latency, n).map_err(|e| format!("slow server: {e}"))?;
    let urls = server.urls();
    // One request first: the server's first accept and the clients' lazy set-up are paid
    // here, not by whichever mode comes first.
    kit::http::get(&urls[0]).map_err(|e| e.to_string())?;
    // `#[tokio::main]`'s runtime: multi-threaded, one worker per core. Built before timing.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    let fetch = |url: String| async move { kit::http::fetch(&url).await };
    let mut out = Map::new();
    let mut measure =
        |name: &str, f: &mut dyn FnMut() -> Vec<Result<String, kit::http::HttpError>>| {
            server.reset_counts();
            let t0 = Instant::now();
            let bodies = f();
            let wall = t0.elapsed().as_secs_f64();
            let ok = bodies
                .iter()
                .enumerate()
                .filter(|(i, b)| b.as_ref().is_ok_and(|b| *b == kit::server::body_of(*i)))
                .count();
            out.insert(
                name.to_owned(),
                json!({ "wall": wall, "ok": ok, "max_in_flight": server.max_in_flight() }),
            );
        };
    measure("sequential", &mut || {
        urls.iter().map(|u| kit::http::get(u)).collect()
    });
    measure("threads_100", &mut || {
        lab2_solution::pool::download_all(&urls, urls.len())
    });
    measure("pool_10", &mut || {
        lab2_solution::pool::download_all(&urls, 10)
    });
    measure("async", &mut || {
        runtime.block_on(lab4_solution::downloads::download_all(urls.clone(), fetch))
    });
    measure("async_limited_10", &mut || {
        runtime.block_on(lab4_solution::downloads::download_limited(
            urls.clone(),
            10,
            fetch,
        ))
    });
    out.insert("n".into(), json!(n));
    out.insert("latency".into(), json!(latency.as_secs_f64()));
    Ok(Value::Object(out))
}

/// The Python downloads need the same server: this process starts it and runs the script.
fn downloads_python(n: usize, latency: Duration) -> Result<Value, String> {
    let server = SlowServer::start(latency, n).map_err(|e| format!("slow server: {e}"))?;
    let base = format!("http://{}/resource/", server.addr());
    crate::python::run_json(
        "downloads.py",
        crate::python::DOWNLOADS,
        &[&base, &n.to_string()],
        Duration::from_secs(120),
    )
}

/// `n` tokio tasks that each sleep `sleep`, all at once (Lab 4's `concurrently`), on the
/// multi-threaded runtime of `#[tokio::main]` and on a current_thread runtime.
fn sleepers(n: usize, sleep: Duration) -> Result<Value, String> {
    let mut out = Map::new();
    for (name, mut builder) in [
        ("multi_thread", tokio::runtime::Builder::new_multi_thread()),
        (
            "current_thread",
            tokio::runtime::Builder::new_current_thread(),
        ),
    ] {
        let runtime = builder
            .enable_all()
            .build()
            .map_err(|e| format!("tokio runtime: {e}"))?;
        let wall = runtime.block_on(async {
            let t0 = Instant::now();
            let naps = (0..n).map(|_| tokio::time::sleep(sleep)).collect();
            let done = lab4_solution::concurrent::concurrently(naps).await;
            assert_eq!(done.len(), n);
            t0.elapsed().as_secs_f64()
        });
        out.insert(name.into(), json!(wall));
    }
    out.insert("n".into(), json!(n));
    out.insert("sleep".into(), json!(sleep.as_secs_f64()));
    Ok(Value::Object(out))
}

/// What a thread, a process and a program cost (Lab 3's `cost` functions), and how fast a
/// pipe carries bytes between two processes. Each cost is the median of 9 batches of
/// `rounds / 9` rounds: one slow batch (a burst of load elsewhere) does not move it.
fn costs(rounds: u32, pipe_mib: usize) -> Result<Value, String> {
    use lab3_solution::cost::{fork_wait, spawn_program, thread_spawn_join};
    let batch = (rounds / 9).max(1);
    let mut fork = Vec::new();
    let mut thread = Vec::new();
    let mut program = Vec::new();
    for _ in 0..9 {
        // fork first in each batch: `fork_wait` asserts the process is single-threaded, and
        // it waits for the threads of the previous batch to leave the kernel's list.
        fork.push(
            fork_wait(batch)
                .map_err(|e| format!("fork: {e}"))?
                .as_secs_f64(),
        );
        thread.push(thread_spawn_join(batch).as_secs_f64());
        program.push(
            spawn_program("/bin/true", (batch / 4).max(1))
                .map_err(|e| format!("/bin/true: {e}"))?
                .as_secs_f64(),
        );
    }
    let mut throughput = Vec::new();
    for _ in 0..3 {
        throughput.push(pipe_throughput(pipe_mib)?);
    }
    Ok(json!({
        "fork_wait": median(fork),
        "thread_spawn_join": median(thread),
        "spawn_program": median(program),
        "pipe_gib_per_s": median(throughput),
        "pipe_mib": pipe_mib,
    }))
}

/// GiB/s of one process writing `mib` MiB in 64 KiB writes into a pipe that a child reads
/// and discards, from the first write to the child reaped.
fn pipe_throughput(mib: usize) -> Result<f64, String> {
    use lab3_solution::sys::{assert_single_threaded, exit_child, write_all};
    use nix::unistd::{ForkResult, fork, pipe, read};
    const CHUNK: usize = 64 * 1024;
    assert_single_threaded();
    let (reader, writer) = pipe().map_err(|e| format!("pipe: {e}"))?;
    let buf = vec![0x5a_u8; CHUNK];
    let t0 = Instant::now();
    // SAFETY: single-threaded process (asserted above). The child reads into a buffer on its
    // stack and `_exit`s: no allocation, no lock.
    match unsafe { fork() }.map_err(|e| format!("fork: {e}"))? {
        ForkResult::Child => {
            drop(writer);
            let mut sink = [0u8; CHUNK];
            loop {
                match read(&reader, &mut sink) {
                    Ok(0) => exit_child(0),
                    Ok(_) | Err(nix::errno::Errno::EINTR) => {}
                    Err(_) => exit_child(1),
                }
            }
        }
        ForkResult::Parent { child } => {
            drop(reader);
            let chunks = mib * 1024 * 1024 / CHUNK;
            for _ in 0..chunks {
                write_all(&writer, &buf).map_err(|e| format!("write: {e}"))?;
            }
            drop(writer);
            let status =
                lab3_solution::fork::wait_child(child).map_err(|e| format!("wait: {e}"))?;
            if !status.success() {
                return Err(format!("the reading child ended with {status:?}"));
            }
            let secs = t0.elapsed().as_secs_f64();
            Ok((chunks * CHUNK) as f64 / (1024.0 * 1024.0 * 1024.0) / secs)
        }
    }
}

/// Lab 2's provided racy counter, 2 threads, `trials` runs: in how many did updates vanish?
fn race(trials: usize, per_thread: u64) -> Result<Value, String> {
    use lab2_solution::race::{RacyCounter, hammer};
    let mut losing = 0;
    let mut percent = Vec::new();
    for _ in 0..trials {
        let tally = hammer(&RacyCounter::new(), 2, per_thread);
        losing += usize::from(tally.lost() > 0);
        percent.push(tally.lost_percent());
    }
    Ok(json!({
        "trials": trials,
        "losing": losing,
        "median_lost_percent": median(percent),
        "per_thread": per_thread,
    }))
}
