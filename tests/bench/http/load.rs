//! The load generator: `concurrency` workers, each with its own keep-alive HTTP/1.1 connection
//! (hyper's client connection), sending one request after another until the round's deadline.
//!
//! Connections are opened before the clock and the server's CPU counter start, so a round
//! measures requests on warm connections only.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::cpu::ThreadCpu;

/// Builds the next request of a worker. `rng` is the worker's own, so workers spread over files
/// without sharing state.
pub type MakeRequest = dyn Fn(&mut Rng) -> Request<Full<Bytes>> + Send + Sync;

/// What one round of load measured.
#[derive(Debug, Clone)]
pub struct RoundResult {
    pub requests: u64,
    /// Requests whose status was not the expected one (or that failed outright).
    pub errors: u64,
    pub first_error: Option<String>,
    pub elapsed: Duration,
    /// The server threads' CPU time during the round.
    pub server_cpu: Duration,
    /// Request latencies in µs, sorted.
    pub latencies_us: Vec<u32>,
}

impl RoundResult {
    pub fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    pub fn cpu_us_per_request(&self) -> f64 {
        self.server_cpu.as_secs_f64() * 1e6 / self.requests.max(1) as f64
    }

    /// The latency at quantile `q` (0 to 1), in µs.
    pub fn percentile_us(&self, q: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        let rank = ((self.latencies_us.len() - 1) as f64 * q).round() as usize;
        f64::from(self.latencies_us[rank])
    }
}

/// Where load goes: a server's address, how to make each request, and the status that counts
/// as success.
#[derive(Clone)]
pub struct Target {
    pub address: SocketAddr,
    pub expected: StatusCode,
    pub make: Arc<MakeRequest>,
}

/// A small, fast generator (SplitMix64), seeded per worker so runs repeat.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// Opens one keep-alive connection; its driver task runs on the current (client) runtime.
pub async fn connect(address: SocketAddr) -> std::io::Result<SendRequest<Full<Bytes>>> {
    let stream = TcpStream::connect(address).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(std::io::Error::other)?;
    tokio::spawn(async move {
        // Ends when the sender is dropped or the server closes the connection.
        let _ = connection.await;
    });
    Ok(sender)
}

/// Sends one request and reads the whole reply: its status and body.
pub async fn send(
    sender: &mut SendRequest<Full<Bytes>>,
    request: Request<Full<Bytes>>,
) -> Result<(StatusCode, Bytes), String> {
    sender.ready().await.map_err(|e| e.to_string())?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, body))
}

/// Runs `concurrency` workers against `target` for `duration` and measures them.
pub async fn round(
    target: &Target,
    concurrency: usize,
    duration: Duration,
    server: &ThreadCpu,
    seed: u64,
) -> RoundResult {
    let mut senders = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        match connect(target.address).await {
            Ok(sender) => senders.push(sender),
            Err(e) => {
                return RoundResult {
                    requests: 0,
                    errors: 1,
                    first_error: Some(format!("connect: {e}")),
                    elapsed: Duration::from_millis(1),
                    server_cpu: Duration::ZERO,
                    latencies_us: Vec::new(),
                }
            }
        }
    }
    let cpu_before = server.total();
    let started = Instant::now();
    let deadline = started + duration;
    let workers: Vec<_> = senders
        .into_iter()
        .enumerate()
        .map(|(i, mut sender)| {
            let target = target.clone();
            let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(4096);
                let mut errors = 0u64;
                let mut first_error = None;
                while Instant::now() < deadline {
                    let request = (target.make)(&mut rng);
                    let sent = Instant::now();
                    let outcome = send(&mut sender, request).await;
                    latencies.push(u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX));
                    match outcome {
                        Ok((status, _)) if status == target.expected => {}
                        Ok((status, body)) => {
                            errors += 1;
                            first_error.get_or_insert_with(|| {
                                format!(
                                    "{status}: {}",
                                    String::from_utf8_lossy(&body[..body.len().min(300)])
                                )
                            });
                        }
                        Err(e) => {
                            errors += 1;
                            first_error.get_or_insert(e);
                            break;
                        }
                    }
                }
                (latencies, errors, first_error)
            })
        })
        .collect();
    let mut latencies_us = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    for worker in workers {
        match worker.await {
            Ok((latencies, e, first)) => {
                latencies_us.extend(latencies);
                errors += e;
                first_error = first_error.or(first);
            }
            Err(e) => {
                errors += 1;
                first_error.get_or_insert(e.to_string());
            }
        }
    }
    let elapsed = started.elapsed();
    let server_cpu = server.total().saturating_sub(cpu_before);
    latencies_us.sort_unstable();
    RoundResult {
        requests: latencies_us.len() as u64,
        errors,
        first_error,
        elapsed,
        server_cpu,
        latencies_us,
    }
}
