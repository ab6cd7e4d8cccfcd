//! Start-up: how long from `exec` of the release binary to the first 2xx of
//! `GET /__admin/health`, and how long `Emulator::start()` takes in-process once the first one
//! has paid for the runtime's and the allocator's warm-up.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hyper::header::HeaderValue;
use hyper::Method;
use restore_mock::Emulator;

use crate::rounds::median;
use crate::{load, operations};

/// The binary cargo built next to this benchmark.
const BINARY: &str = env!("CARGO_BIN_EXE_restore-mock");

#[derive(Debug, Clone, serde::Serialize)]
pub struct Startup {
    pub binary: String,
    pub process_runs: usize,
    /// Median time from spawning the process to the first 2xx of the health route.
    pub process_to_first_2xx_ms: f64,
    pub process_min_ms: f64,
    pub process_max_ms: f64,
    pub in_process_runs: usize,
    /// The first `Emulator::start()` of the process, which builds lazily made statics.
    pub in_process_first_us: f64,
    /// Median of the later starts: `start()` returning, ready to serve.
    pub in_process_start_us: f64,
    /// Median of the later starts up to the first 2xx of the health route.
    pub in_process_to_first_2xx_us: f64,
}

/// How a timed process is stopped once it answered, which decides what the next start finds
/// in a data dir: a database closed cleanly, or one that redb must repair after a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// SIGKILL, as a crash.
    Kill,
    /// SIGTERM, and the process's own graceful exit (as after Ctrl-C).
    Term,
}

/// Spawns the binary `runs` times, on the calling thread (no runtime needed), with the memory
/// store or on `data_dir`.
pub fn process(
    runs: usize,
    data_dir: Option<&Path>,
    stop: Stop,
) -> Result<(f64, f64, f64), String> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        times.push(one_process(data_dir, stop)?.as_secs_f64() * 1e3);
    }
    let min = times.iter().copied().fold(f64::INFINITY, f64::min);
    let max = times.iter().copied().fold(0.0, f64::max);
    Ok((median(times), min, max))
}

fn one_process(data_dir: Option<&Path>, stop: Stop) -> Result<Duration, String> {
    let mut command = Command::new(BINARY);
    command.args(["--port", "0", "--host", "127.0.0.1"]);
    if let Some(dir) = data_dir {
        command.arg("--data-dir").arg(dir);
    }
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {BINARY}: {e}"))?;
    let outcome = (|| {
        let mut line = String::new();
        let stdout = child.stdout.as_mut().ok_or("no stdout")?;
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        // "restore-mock listening on http://127.0.0.1:PORT"
        let address: SocketAddr = line
            .trim()
            .rsplit("http://")
            .next()
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| format!("no address in {line:?}"))?;
        let deadline = started + Duration::from_secs(5);
        loop {
            if health(address).unwrap_or(false) {
                return Ok(started.elapsed());
            }
            if Instant::now() > deadline {
                return Err("no 2xx from /__admin/health within 5 s".to_owned());
            }
            std::thread::sleep(Duration::from_micros(200));
        }
    })();
    if stop == Stop::Term {
        terminate(&mut child);
    }
    // Our own child, stopped by its handle (a no-op once it exited).
    let _ = child.kill();
    let _ = child.wait();
    outcome
}

/// SIGTERM to our own child by its pid, then up to 10 s for it to exit.
fn terminate(child: &mut std::process::Child) {
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    if !sent.is_ok_and(|s| s.success()) {
        return;
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if !matches!(child.try_wait(), Ok(None)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// One `GET /__admin/health` on a fresh connection: whether it answered 2xx.
fn health(address: SocketAddr) -> std::io::Result<bool> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    write!(
        stream,
        "GET /__admin/health HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head)?;
    // "HTTP/1.1 200"
    Ok(head.starts_with(b"HTTP/1.1 2"))
}

async fn health_async(address: SocketAddr) -> bool {
    let Ok(mut sender) = load::connect(address).await else {
        return false;
    };
    let host = HeaderValue::from_str(&address.to_string()).expect("an address is a valid host");
    let request = operations::request(Method::GET, "/__admin/health", &host, None);
    matches!(load::send(&mut sender, request).await, Ok((status, _)) if status.is_success())
}

/// Starts `runs` emulators in a row on the current runtime, each stopped before the next.
pub async fn in_process(runs: usize) -> (f64, f64, f64) {
    let mut starts = Vec::with_capacity(runs);
    let mut ready = Vec::with_capacity(runs);
    for _ in 0..runs.max(2) {
        let started = Instant::now();
        let emulator = Emulator::start().await;
        starts.push(started.elapsed().as_secs_f64() * 1e6);
        if health_async(emulator.address()).await {
            ready.push(started.elapsed().as_secs_f64() * 1e6);
        }
        drop(emulator);
    }
    let first = starts[0];
    (
        first,
        median(starts[1..].to_vec()),
        median(ready[1.min(ready.len())..].to_vec()),
    )
}
