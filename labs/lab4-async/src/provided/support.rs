//! Provided code (not a student file): the coroutines, servers, ticker and session that the
//! tasks work with. Every piece records what it does on a [`Timeline`], so the demo can draw
//! it and the checks can read it.
//!
//! | item | used by | what it stands for |
//! |---|---|---|
//! | [`say`], [`say_after`], [`work`] | 4.2, 4.3 | the course's `print` and `async def say_after(delay, what)` |
//! | [`VirtualServer`] | 4.4 | a server whose latency is `tokio::time::sleep`: exact under a paused clock |
//! | [`ticker`], [`Ticks`] | 4.5, 4.7 | a task that should tick regularly, unless the loop is blocked |
//! | [`legacy_checksum`], [`legacy_report`] | 4.5, 4.6 | old synchronous (blocking) code |
//! | [`Session`] | 4.8 | a resource with an async open and an async close (`async with`) |

use futures::future::BoxFuture;
use kit::http::HttpError;
use kit::timeline::{EventKind, Timeline};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// `"4 s"`, `"250 ms"`: a short human duration for event labels.
pub fn short(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// The lab's `print()`: records `what` as said by `task`, at the current (virtual) time.
/// The demo prints these lines in order with their times; the checks read them.
pub fn say(tl: &Timeline, task: &str, what: &str) {
    tl.mark(task, what);
}

/// What was said ([`say`]) on `tl`, in order: `(time in ms, task, what)`.
pub fn said(tl: &Timeline) -> Vec<(u128, String, String)> {
    tl.events()
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Mark(what) => Some((e.at.as_millis(), e.task, what)),
            _ => None,
        })
        .collect()
}

/// The course's coroutine: waits `delay`, then says `what`; returns `what`.
/// Recorded on the timeline as a task named `what` (from its first poll to its end).
///
/// ```python
/// async def say_after(delay, what):
///     await asyncio.sleep(delay)
///     print(what)
/// ```
pub async fn say_after(tl: Timeline, delay: Duration, what: &'static str) -> &'static str {
    let inner = tl.clone();
    tl.instrument(what, async move {
        sleep_as(&inner, what, delay).await;
        say(&inner, what, what);
        what
    })
    .await
}

/// Sleeps `delay` as task `task`, drawn as `await sleep <delay>`.
async fn sleep_as(tl: &Timeline, task: &str, delay: Duration) {
    let label = format!("sleep {}", short(delay));
    tl.awaiting(task, &label, tokio::time::sleep(delay)).await;
}

/// A job that takes `delay` of waiting (a request, a query): recorded as task `name`,
/// returns `name`.
pub async fn work(tl: Timeline, name: &'static str, delay: Duration) -> &'static str {
    let inner = tl.clone();
    tl.instrument(name, async move {
        sleep_as(&inner, name, delay).await;
        name
    })
    .await
}

/// The body of resource `i`, the same as the real [`kit::server::SlowServer`] serves.
pub use kit::server::body_of;

/// What a fetch function returns: the future of one download.
pub type Download = BoxFuture<'static, Result<String, HttpError>>;

#[derive(Debug, Default)]
struct Counters {
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    served: AtomicUsize,
}

/// Decrements `in_flight` when a request ends, even if it is cancelled midway.
struct InFlight<'a>(&'a Counters);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A server that exists only in memory: a request for `virtual://resource/{i}` waits
/// `latency` with `tokio::time::sleep`, then returns [`body_of(i)`](body_of). Under a paused
/// clock the wait is virtual: 100 downloads take 0 real seconds, and the clock says exactly
/// how long they would have taken. It counts what the real server counts: requests served
/// and the largest number handled at the same moment.
#[derive(Clone, Debug)]
pub struct VirtualServer {
    latency: Duration,
    slow: Vec<(usize, Duration)>,
    counters: Arc<Counters>,
    timeline: Option<Timeline>,
}

impl VirtualServer {
    /// A server answering every request after `latency`.
    pub fn new(latency: Duration) -> VirtualServer {
        VirtualServer {
            latency,
            slow: Vec::new(),
            counters: Arc::default(),
            timeline: None,
        }
    }

    /// The same server, recording each request on `tl` as a task `GET {i}`.
    pub fn recorded_on(mut self, tl: &Timeline) -> VirtualServer {
        self.timeline = Some(tl.clone());
        self
    }

    /// The same server, answering resource `i` after `latency` instead.
    pub fn slow(mut self, i: usize, latency: Duration) -> VirtualServer {
        self.slow.push((i, latency));
        self
    }

    /// The URLs of resources `0..n`.
    pub fn urls(&self, n: usize) -> Vec<String> {
        (0..n).map(|i| format!("virtual://resource/{i}")).collect()
    }

    /// Requests answered so far.
    pub fn served(&self) -> usize {
        self.counters.served.load(Ordering::SeqCst)
    }

    /// The most requests that were being handled at the same moment.
    pub fn max_in_flight(&self) -> usize {
        self.counters.max_in_flight.load(Ordering::SeqCst)
    }

    /// Downloads `url`: waits the latency, then returns the body (or a 404 for a bad URL).
    pub async fn fetch(&self, url: String) -> Result<String, HttpError> {
        let index = url
            .strip_prefix("virtual://resource/")
            .and_then(|i| i.parse::<usize>().ok());
        let Some(i) = index else {
            return Err(HttpError::Status { url, status: 404 });
        };
        let latency = self
            .slow
            .iter()
            .find(|(j, _)| *j == i)
            .map_or(self.latency, |(_, l)| *l);
        let request = async {
            let c = &self.counters;
            let now = c.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            let _guard = InFlight(c);
            c.max_in_flight.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(latency).await;
            c.served.fetch_add(1, Ordering::SeqCst);
            Ok(body_of(i))
        };
        match &self.timeline {
            Some(tl) => tl.instrument(&format!("GET {i}"), request).await,
            None => request.await,
        }
    }

    /// This server's [`fetch`](Self::fetch) as a function value, to hand to the download
    /// tasks in place of [`kit::http::fetch`].
    pub fn fetcher(&self) -> impl Fn(String) -> Download + Clone + Send + Sync + 'static {
        let server = self.clone();
        move |url: String| -> Download {
            let server = server.clone();
            Box::pin(async move { server.fetch(url).await })
        }
    }
}

/// [`kit::http::fetch`] (a real HTTP GET) as a function value, optionally recorded on a
/// timeline as task `GET {i}` (`i` = the URL's last path segment).
pub fn real_fetcher(
    timeline: Option<Timeline>,
) -> impl Fn(String) -> Download + Clone + Send + Sync + 'static {
    move |url: String| -> Download {
        let timeline = timeline.clone();
        Box::pin(async move {
            match timeline {
                Some(tl) => {
                    let name = format!("GET {}", url.rsplit('/').next().unwrap_or("?"));
                    tl.instrument(&name, kit::http::fetch(&url)).await
                }
                None => kit::http::fetch(&url).await,
            }
        })
    }
}

/// A shared tick counter (clone it into the ticker and keep one to read), with the real
/// time of each tick.
#[derive(Clone, Debug, Default)]
pub struct Ticks {
    count: Arc<AtomicUsize>,
    times: Arc<Mutex<Vec<Instant>>>,
}

impl Ticks {
    /// Ticks so far.
    pub fn get(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// Counts one tick, now.
    pub fn tick(&self) {
        self.times
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Instant::now());
        self.count.fetch_add(1, Ordering::SeqCst);
    }

    /// The longest real time between two ticks around the interval `from..to`: from the last
    /// tick before `from` to the first tick after `to`, through every tick between.
    pub fn longest_gap(&self, from: Instant, to: Instant) -> Duration {
        let times = self.times.lock().unwrap_or_else(|e| e.into_inner());
        let first = times.iter().rposition(|t| *t <= from).unwrap_or(0);
        let last = times
            .iter()
            .position(|t| *t >= to)
            .unwrap_or(times.len().saturating_sub(1));
        times
            .get(first..=last.max(first))
            .unwrap_or_default()
            .windows(2)
            .map(|w| w[1] - w[0])
            .max()
            .unwrap_or_default()
    }
}

/// A task that should tick every `period` forever: counts each tick in `ticks` and, with a
/// timeline, records it as a mark `tick` of the task `ticker`. On a healthy event loop it
/// ticks on time; when a task blocks the loop's thread, it cannot tick at all.
pub async fn ticker(tl: Option<Timeline>, period: Duration, ticks: Ticks) {
    let body = {
        let tl = tl.clone();
        async move {
            loop {
                match &tl {
                    Some(tl) => {
                        tl.awaiting("ticker", "sleep", tokio::time::sleep(period))
                            .await
                    }
                    None => tokio::time::sleep(period).await,
                }
                ticks.tick();
                if let Some(tl) = &tl {
                    tl.mark("ticker", "tick");
                }
            }
        }
    };
    match tl {
        Some(tl) => tl.instrument("ticker", body).await,
        None => body.await,
    }
}

/// Old synchronous code: checksums `data` the slow way, blocking the calling thread for
/// `cost` (a std sleep standing for a slow disk, a C library, a heavy computation).
pub fn legacy_checksum(data: &[u8], cost: Duration) -> u64 {
    std::thread::sleep(cost);
    data.iter()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(*b)))
}

/// Old synchronous code that needs the result of async work: it asks the event loop for it
/// with [`call_from_thread`](crate::bridge::call_from_thread) (task 4.6) and blocks until
/// the answer comes. Fine on a plain thread; on the loop's own thread it can never work.
pub fn legacy_report(handle: &tokio::runtime::Handle) -> String {
    let total = crate::bridge::call_from_thread(handle, async {
        tokio::time::sleep(Duration::from_millis(10)).await;
        42
    });
    format!("report: {total}")
}

/// A connection-like resource with an async open and an async close, as a database session
/// or a network connection has. Each step is recorded on the timeline under the session's
/// name: `open`, `query <q>`, `closed`.
///
/// Rust has no async `Drop`: the cleanup must be awaited explicitly with
/// [`close`](Session::close). A session dropped without it records
/// `dropped without close` (its cleanup never ran).
#[derive(Debug)]
pub struct Session {
    tl: Timeline,
    name: String,
    closed: bool,
}

impl Session {
    /// Opens a session named `name` (10 ms of connecting).
    pub async fn open(tl: &Timeline, name: &str) -> Session {
        tl.record(name, EventKind::Start);
        session_step(tl, name, "connect", 10).await;
        tl.mark(name, "open");
        Session {
            tl: tl.clone(),
            name: name.to_string(),
            closed: false,
        }
    }

    /// Runs a query (20 ms); returns `"{q}: ok"`.
    pub async fn query(&mut self, q: &str) -> String {
        self.tl.mark(&self.name, format!("query {q}"));
        session_step(&self.tl, &self.name, "query", 20).await;
        format!("{q}: ok")
    }

    /// Closes the session (10 ms of goodbye): the async cleanup, `__aexit__`.
    pub async fn close(mut self) {
        session_step(&self.tl, &self.name, "disconnect", 10).await;
        self.tl.mark(&self.name, "closed");
        self.tl.record(&self.name, EventKind::Finish);
        self.closed = true;
    }
}

/// One step of session `name` that takes `ms` milliseconds of waiting, drawn as `await <what>`.
async fn session_step(tl: &Timeline, name: &str, what: &str, ms: u64) {
    tl.awaiting(name, what, tokio::time::sleep(Duration::from_millis(ms)))
        .await;
}

impl Drop for Session {
    fn drop(&mut self) {
        if !self.closed {
            self.tl.mark(&self.name, "dropped without close");
            self.tl.record(&self.name, EventKind::Cancelled);
        }
    }
}
