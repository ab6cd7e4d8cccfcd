//! Large uploads through upload sessions: one upload per face (MB/s and peak resident memory,
//! each in a child process so the peak is that upload's alone, a 256 MiB one checking the
//! 1.25 × bound), and the p99 of ordinary requests at c=16 while session uploads run.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use bytes::Bytes;
use hyper::header::HeaderValue;
use hyper::{Method, StatusCode};
use restore_mock::Emulator;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha1::{Digest, Sha1};

use crate::cpu::ThreadCpu;
use crate::load::{self, Target};
use crate::{memory, operations, runtime};

const MIB: u64 = 1024 * 1024;
/// Graph fragments as the SDKs' helpers send them (5 MiB is msgraph-core's default; 8 MiB is a
/// multiple of 320 KiB), and Box's part size for these files.
const FRAGMENT: u64 = 8 * MIB;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SessionUpload {
    /// `graph` or `box`.
    pub face: String,
    pub file_mib: u64,
    pub status: u16,
    pub seconds: f64,
    pub mb_per_s: f64,
    pub rss_before_mib: f64,
    /// `VmHWM`: the highest resident memory the process reached.
    pub peak_rss_mib: f64,
    /// Peak growth over the file's size: the bound is 1.25.
    pub growth_over_file: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct UploadsUnderLoad {
    pub concurrency: usize,
    /// The same requests with no upload running, for comparison.
    pub quiet_p99_us: f64,
    pub uploads_running: usize,
    pub uploads_done: u64,
    pub requests: u64,
    pub errors: u64,
    pub p50_us: f64,
    pub p99_us: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Sessions {
    pub uploads: Vec<SessionUpload>,
    pub under_load: Option<UploadsUnderLoad>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// The child-process probe: `graph` or `box`, `mib` the file size.
pub fn probe(face: &str, mib: u64) -> SessionUpload {
    let server = runtime::server(1);
    let client = runtime::client(1);
    let emulator = server.block_on(Emulator::start());
    let address = emulator.address();
    let host = HeaderValue::from_str(&address.to_string()).expect("a host");
    let chunk = pattern(FRAGMENT);
    // Warm up connections and the allocator before the first reading.
    let _ = client.block_on(upload(face, address, &host, &chunk, FRAGMENT));
    let before = memory::rss_mib();
    let started = Instant::now();
    let status = client.block_on(upload(face, address, &host, &chunk, mib * MIB));
    let seconds = started.elapsed().as_secs_f64();
    let peak = peak_rss_mib();
    drop(emulator);
    SessionUpload {
        face: face.to_owned(),
        file_mib: mib,
        status: status.map_or(0, |s| s.as_u16()),
        seconds,
        mb_per_s: (mib * MIB) as f64 / 1e6 / seconds.max(1e-9),
        rss_before_mib: before,
        peak_rss_mib: peak,
        growth_over_file: (peak - before) / mib as f64,
    }
}

/// `GET` of one small file at `concurrency` while `uploads` Graph session uploads of `mib` MiB
/// run one after another on their own connections.
pub fn under_load(
    server: &tokio::runtime::Runtime,
    client: &tokio::runtime::Runtime,
    cpu: &ThreadCpu,
    concurrency: usize,
    uploads: usize,
    mib: u64,
    duration: Duration,
) -> Result<UploadsUnderLoad, String> {
    let emulator = server.block_on(Emulator::start());
    let address = emulator.address();
    let host = HeaderValue::from_str(&address.to_string()).expect("a host");
    let host_for_load = host.clone();
    let item = client.block_on(async {
        let mut sender = load::connect(address).await.map_err(|e| e.to_string())?;
        let request = operations::request(
            Method::PUT,
            "/v1.0/me/drive/root:/small.txt:/content",
            &host,
            Some(("text/plain", Bytes::from_static(b"small"))),
        );
        let (status, body) = load::send(&mut sender, request).await?;
        let item: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        match (status, item["id"].as_str()) {
            (StatusCode::CREATED, Some(id)) => Ok(id.to_owned()),
            _ => Err(format!("seeding the small file answered {status}")),
        }
    })?;
    let path = format!("/v1.0/me/drive/items/{item}");
    let target = Target {
        address,
        expected: StatusCode::OK,
        make: Arc::new(move |_| operations::request(Method::GET, &path, &host_for_load, None)),
    };
    let quiet = client.block_on(load::round(&target, concurrency, duration, cpu, 7));
    let stop = Arc::new(AtomicBool::new(false));
    let chunk = pattern(FRAGMENT);
    let uploaders: Vec<_> = (0..uploads)
        .map(|_| {
            let (stop, host, chunk) = (stop.clone(), host.clone(), chunk.clone());
            client.spawn(async move {
                let mut done = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    if upload("graph", address, &host, &chunk, mib * MIB)
                        .await
                        .is_ok()
                    {
                        done += 1;
                    }
                }
                done
            })
        })
        .collect();
    let round = client.block_on(load::round(&target, concurrency, duration, cpu, 7));
    stop.store(true, Ordering::Relaxed);
    let mut uploads_done = 0;
    for uploader in uploaders {
        uploads_done += client.block_on(uploader).unwrap_or(0);
    }
    Ok(UploadsUnderLoad {
        concurrency,
        quiet_p99_us: quiet.percentile_us(0.99),
        uploads_running: uploads,
        uploads_done,
        requests: round.requests,
        errors: round.errors,
        p50_us: round.percentile_us(0.5),
        p99_us: round.percentile_us(0.99),
    })
}

/// One whole session upload of `size` bytes made of `chunk` repeated; the final status.
async fn upload(
    face: &str,
    address: SocketAddr,
    host: &HeaderValue,
    chunk: &Bytes,
    size: u64,
) -> Result<StatusCode, String> {
    let mut sender = load::connect(address).await.map_err(|e| e.to_string())?;
    let origin = format!("http://{address}");
    let pieces = (0..size.div_ceil(FRAGMENT)).map(|n| {
        let start = n * FRAGMENT;
        let end = (start + FRAGMENT).min(size) - 1;
        (start, end, chunk.slice(..(end - start + 1) as usize))
    });
    if face == "graph" {
        let create = operations::request(
            Method::POST,
            "/v1.0/me/drive/root:/session.bin:/createUploadSession",
            host,
            Some((
                "application/json",
                Bytes::from_static(br#"{"item":{"@microsoft.graph.conflictBehavior":"replace"}}"#),
            )),
        );
        let (_, body) = load::send(&mut sender, create).await?;
        let session: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        let url = session["uploadUrl"].as_str().ok_or("no uploadUrl")?;
        let path = url
            .strip_prefix(&origin)
            .ok_or("uploadUrl on another origin")?;
        let mut last = StatusCode::OK;
        for (start, end, bytes) in pieces {
            let mut request = operations::request(
                Method::PUT,
                path,
                host,
                Some(("application/octet-stream", bytes)),
            );
            let range = format!("bytes {start}-{end}/{size}");
            request.headers_mut().insert(
                "content-range",
                HeaderValue::from_str(&range).map_err(|e| e.to_string())?,
            );
            last = load::send(&mut sender, request).await?.0;
        }
        return Ok(last);
    }
    let body = json!({"folder_id": "0", "file_size": size, "file_name": "session.bin"});
    let create = operations::request(
        Method::POST,
        "/api/2.0/files/upload_sessions",
        host,
        Some(("application/json", Bytes::from(body.to_string()))),
    );
    let (status, body) = load::send(&mut sender, create).await?;
    let session: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    let url = session["session_endpoints"]["upload_part"]
        .as_str()
        .ok_or_else(|| format!("no session ({status})"))?;
    let path = url
        .strip_prefix(&origin)
        .ok_or("session on another origin")?
        .to_owned();
    let mut whole = Sha1::new();
    let mut parts = Vec::new();
    for (start, end, bytes) in pieces {
        whole.update(&bytes);
        let digest = sha_digest(Sha1::digest(&bytes).into());
        let mut request = operations::request(
            Method::PUT,
            &path,
            host,
            Some(("application/octet-stream", bytes)),
        );
        let headers = request.headers_mut();
        let range = format!("bytes {start}-{end}/{size}");
        headers.insert(
            "content-range",
            HeaderValue::from_str(&range).map_err(|e| e.to_string())?,
        );
        headers.insert(
            "digest",
            HeaderValue::from_str(&digest).map_err(|e| e.to_string())?,
        );
        let (_, body) = load::send(&mut sender, request).await?;
        let part: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        parts.push(part["part"].clone());
    }
    let mut commit = operations::request(
        Method::POST,
        &format!("{path}/commit"),
        host,
        Some((
            "application/json",
            Bytes::from(json!({"parts": parts}).to_string()),
        )),
    );
    let digest = sha_digest(whole.finalize().into());
    commit.headers_mut().insert(
        "digest",
        HeaderValue::from_str(&digest).map_err(|e| e.to_string())?,
    );
    Ok(load::send(&mut sender, commit).await?.0)
}

fn sha_digest(sha1: [u8; 20]) -> String {
    format!(
        "sha={}",
        base64::engine::general_purpose::STANDARD.encode(sha1)
    )
}

fn pattern(len: u64) -> Bytes {
    (0..len)
        .map(|i| (i % 251) as u8)
        .collect::<Vec<u8>>()
        .into()
}

/// `VmHWM` of this process, in MiB.
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}
