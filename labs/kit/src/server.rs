//! A slow HTTP server on loopback: the "internet" of the IO experiments.
//!
//! Real HTTP over real TCP on `127.0.0.1`, on a port the OS picks (port 0), so any number
//! of servers can run side by side in tests. Every request for `/resource/{i}` is answered
//! after a fixed latency, the way a far-away server would. The server keeps counts that
//! make concurrency visible from outside: how many requests it served and the largest
//! number it was handling at the same moment ([`SlowServer::max_in_flight`]). A sequential
//! client shows 1; 100 tasks at once show 100; a pool of 10 shows at most 10.
//!
//! The server runs on its own thread with its own tokio runtime, so blocking clients,
//! threads and async tasks can all use it, and its latency is real wall-clock time.
//!
//! ```no_run
//! use kit::server::SlowServer;
//! use std::time::Duration;
//! let server = SlowServer::start(Duration::from_millis(100), 10).unwrap();
//! let body = kit::http::get(&server.url(3)).unwrap();
//! assert_eq!(body, kit::server::body_of(3));
//! ```

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::sync::oneshot;

/// The body served for resource `i`: short, distinct, and easy to check.
pub fn body_of(i: usize) -> String {
    format!("resource {i}: the quick brown fox jumps over the lazy dog\n")
}

/// Counters shared between the server's handlers and its owner.
#[derive(Debug, Default)]
struct Stats {
    served: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

#[derive(Clone)]
struct AppState {
    latency: Duration,
    resources: usize,
    stats: Arc<Stats>,
}

/// A running slow server. Dropping it stops the server and joins its thread.
#[derive(Debug)]
pub struct SlowServer {
    addr: SocketAddr,
    latency: Duration,
    resources: usize,
    stats: Arc<Stats>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl SlowServer {
    /// Starts a server on `127.0.0.1:0` serving `resources` resources, each after `latency`.
    pub fn start(latency: Duration, resources: usize) -> io::Result<SlowServer> {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let stats = Arc::new(Stats::default());
        let state = AppState {
            latency,
            resources,
            stats: Arc::clone(&stats),
        };
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        // A current_thread runtime is enough: handlers only sleep and answer, and a sleeping
        // handler costs no thread. Its own OS thread keeps it independent of the client's runtime.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let thread = std::thread::Builder::new().name(format!("slow-server-{}", addr.port())).spawn(
            move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(std_listener) {
                        Ok(l) => l,
                        Err(e) => {
                            eprintln!("slow server: cannot listen on {addr}: {e}");
                            return;
                        }
                    };
                    let app = Router::new()
                        .route("/", get(index))
                        .route("/resource/{i}", get(resource))
                        .with_state(state);
                    tokio::select! {
                        result = axum::serve(listener, app) => {
                            if let Err(e) = result { eprintln!("slow server on {addr} stopped: {e}"); }
                        }
                        _ = stop_rx => {}
                    }
                });
                // Dropping the runtime here cancels connections still open (keep-alive ones).
            },
        )?;
        Ok(SlowServer {
            addr,
            latency,
            resources,
            stats,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The latency of each answer.
    pub fn latency(&self) -> Duration {
        self.latency
    }

    /// How many resources it serves (`/resource/0` to `/resource/{n-1}`).
    pub fn resources(&self) -> usize {
        self.resources
    }

    /// The URL of resource `i`.
    pub fn url(&self, i: usize) -> String {
        format!("http://{}/resource/{i}", self.addr)
    }

    /// The URLs of every resource, in order.
    pub fn urls(&self) -> Vec<String> {
        (0..self.resources).map(|i| self.url(i)).collect()
    }

    /// Requests answered since start (or the last [`reset_counts`](Self::reset_counts)).
    pub fn served(&self) -> usize {
        self.stats.served.load(Ordering::SeqCst)
    }

    /// The largest number of requests the server was handling at the same moment.
    pub fn max_in_flight(&self) -> usize {
        self.stats.max_in_flight.load(Ordering::SeqCst)
    }

    /// Sets the counters back to zero between two experiments.
    pub fn reset_counts(&self) {
        self.stats.served.store(0, Ordering::SeqCst);
        self.stats.max_in_flight.store(0, Ordering::SeqCst);
    }
}

impl Drop for SlowServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn index(State(state): State<AppState>) -> String {
    format!(
        "slow server: {} resources at /resource/{{0..{}}}, {} ms each\n",
        state.resources,
        state.resources,
        state.latency.as_millis()
    )
}

async fn resource(
    State(state): State<AppState>,
    Path(i): Path<usize>,
) -> Result<String, StatusCode> {
    if i >= state.resources {
        return Err(StatusCode::NOT_FOUND);
    }
    let stats = &state.stats;
    let now = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    stats.max_in_flight.fetch_max(now, Ordering::SeqCst);
    // A guard, not a plain decrement after the sleep: if the client hangs up, axum drops
    // this future mid-sleep and the decrement must still happen.
    struct InFlight<'a>(&'a Stats);
    impl Drop for InFlight<'_> {
        fn drop(&mut self) {
            self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
        }
    }
    let _guard = InFlight(stats);
    tokio::time::sleep(state.latency).await;
    stats.served.fetch_add(1, Ordering::SeqCst);
    Ok(body_of(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_each_resource_after_the_latency() {
        let server = SlowServer::start(Duration::from_millis(20), 3).unwrap();
        let t0 = std::time::Instant::now();
        assert_eq!(crate::http::get(&server.url(2)).unwrap(), body_of(2));
        assert!(t0.elapsed() >= Duration::from_millis(20));
        assert_eq!(server.served(), 1);
        assert_eq!(server.max_in_flight(), 1);
        assert!(
            crate::http::get(&server.url(3)).is_err(),
            "resource 3 does not exist"
        );
    }

    #[test]
    fn counts_concurrent_requests() {
        let server = SlowServer::start(Duration::from_millis(50), 8).unwrap();
        let barrier = std::sync::Barrier::new(4);
        std::thread::scope(|s| {
            for i in 0..4 {
                let (server, barrier) = (&server, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    crate::http::get(&server.url(i)).unwrap()
                });
            }
        });
        assert_eq!(server.served(), 4);
        // All four wait 50 ms on the server; they overlap unless the machine stalls badly.
        assert!((1..=4).contains(&server.max_in_flight()));
    }
}
