//! Clients for the [slow server](crate::server): one blocking, one async.
//!
//! Both speak real HTTP/1.1 over TCP. The blocking [`get`] parks the calling thread until
//! the answer arrives (that is the point of Lab 1). The async [`fetch`] gives the thread back
//! to the runtime while it waits, so one thread can wait for a hundred answers at once
//! (that is the point of Lab 4).

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The URL could not be parsed or has no host.
    #[error("bad URL {0:?}")]
    BadUrl(String),
    /// The server answered with a status other than 200.
    #[error("GET {url} answered {status}")]
    Status {
        /// The URL requested.
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// Connecting, sending or reading failed.
    #[error("GET {url} failed: {message}")]
    Transport {
        /// The URL requested.
        url: String,
        /// What went wrong.
        message: String,
    },
}

/// Downloads `url` and returns its body, blocking the calling thread until it arrives.
pub fn get(url: &str) -> Result<String, HttpError> {
    let transport = |e: ureq::Error| HttpError::Transport {
        url: url.to_owned(),
        message: e.to_string(),
    };
    let mut response = match ureq::get(url).call() {
        Ok(r) => r,
        Err(ureq::Error::StatusCode(status)) => {
            return Err(HttpError::Status {
                url: url.to_owned(),
                status,
            });
        }
        Err(e) => return Err(transport(e)),
    };
    response.body_mut().read_to_string().map_err(transport)
}

/// Downloads `url` and returns its body; awaiting it lets other tasks run meanwhile.
/// Must be called inside a tokio runtime.
pub async fn fetch(url: &str) -> Result<String, HttpError> {
    let transport = |message: String| HttpError::Transport {
        url: url.to_owned(),
        message,
    };
    let uri: hyper::Uri = url.parse().map_err(|_| HttpError::BadUrl(url.to_owned()))?;
    let host = uri
        .host()
        .ok_or_else(|| HttpError::BadUrl(url.to_owned()))?
        .to_owned();
    let port = uri.port_u16().unwrap_or(80);
    let stream = tokio::net::TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|e| transport(e.to_string()))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| transport(e.to_string()))?;
    // hyper splits a connection in two: `sender` issues requests, `connection` does the
    // socket IO. The IO half must be polled while we wait, so it runs as its own task.
    tokio::spawn(connection);
    let request = hyper::Request::get(uri.path())
        .header(hyper::header::HOST, format!("{host}:{port}"))
        .body(Empty::<Bytes>::new())
        .map_err(|e| transport(e.to_string()))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| transport(e.to_string()))?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(HttpError::Status {
            url: url.to_owned(),
            status,
        });
    }
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| transport(e.to_string()))?;
    Ok(String::from_utf8_lossy(&body.to_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::{SlowServer, body_of};
    use std::time::{Duration, Instant};

    #[tokio::test]
    async fn fetch_downloads_concurrently_on_one_thread() {
        let server = SlowServer::start(Duration::from_millis(100), 10).unwrap();
        let t0 = Instant::now();
        let bodies = futures_join_all(server.urls()).await;
        for (i, body) in bodies.into_iter().enumerate() {
            assert_eq!(body.unwrap(), body_of(i));
        }
        // Ten requests sent at once overlap on the server unless the machine stalls for a
        // whole latency between two of them; more than one in flight proves concurrency.
        assert!(
            server.max_in_flight() > 1,
            "requests overlapped: {}",
            server.max_in_flight()
        );
        assert!(t0.elapsed() >= Duration::from_millis(100));
    }

    async fn futures_join_all(urls: Vec<String>) -> Vec<Result<String, HttpError>> {
        let mut set = tokio::task::JoinSet::new();
        for (i, url) in urls.into_iter().enumerate() {
            set.spawn(async move { (i, fetch(&url).await) });
        }
        let mut out: Vec<_> = set.join_all().await;
        out.sort_by_key(|(i, _)| *i);
        out.into_iter().map(|(_, r)| r).collect()
    }

    #[test]
    fn bad_urls_and_missing_resources_are_errors() {
        assert!(matches!(
            get("not a url"),
            Err(HttpError::Transport { .. } | HttpError::BadUrl(_))
        ));
        let server = SlowServer::start(Duration::ZERO, 1).unwrap();
        assert!(matches!(
            get(&server.url(5)),
            Err(HttpError::Status { status: 404, .. })
        ));
    }
}
