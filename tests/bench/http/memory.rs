//! Resident memory, measured in a child process of this benchmark so that nothing the rest of the
//! run allocated (or freed and left to the allocator) blurs the figures: the growth over 10⁵
//! restores of a 1 MiB file, the memory one stored version record costs, whether the memory
//! of purged files comes back, and whether the memory of half-written upload sessions comes
//! back when they expire or are cancelled.

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::header::HeaderValue;
use hyper::{Method, StatusCode};
use restore_mock::clock::Clock;
use restore_mock::content::Content;
use restore_mock::fixture::{Fixture, FixtureItem, FixtureSpace, FixtureUser, FixtureVersion};
use restore_mock::store::{
    Face, ItemId, ItemKind, MemoryStore, OnConflict, PromoteRules, Space, VersionQuery, VersionRef,
    VersionStore, Window, WriteFile, WriteTarget,
};
use restore_mock::Emulator;
use serde::{Deserialize, Serialize};

use crate::fixture::{TOKEN, USER};
use crate::{load, operations, runtime, sessions};
use restore_mock::Config;

/// The environment variable that turns this binary into a probe.
pub const PROBE: &str = "RESTORE_MOCK_BENCH_PROBE";
const COUNT: &str = "RESTORE_MOCK_BENCH_PROBE_COUNT";
const MIB: usize = 1024 * 1024;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RestoreMemory {
    /// `http` (Graph restoreVersion over HTTP) or `store` (the store call, when the Graph face
    /// does not answer yet).
    pub path: String,
    pub restores: u64,
    pub file_bytes: u64,
    pub versions_after: u64,
    pub rss_before_mib: f64,
    pub rss_after_mib: f64,
    pub growth_mib: f64,
    pub seconds: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RecordMemory {
    pub records: u64,
    pub rss_before_mib: f64,
    pub rss_after_mib: f64,
    pub bytes_per_record: f64,
    /// Single-threaded store promote, for scale: nanoseconds per call.
    pub ns_per_promote: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PurgeMemory {
    pub files: u64,
    pub file_bytes: u64,
    pub rss_before_mib: f64,
    /// With every file stored.
    pub rss_full_mib: f64,
    /// After each file went to the Box trash and was purged from it: the store frees the bytes
    /// (`store::memory` tests pin it), and the probe runs with mimalloc's purge delay at zero so
    /// that the pages go back to the system at once.
    pub rss_after_purge_mib: f64,
    /// After as many new files again: near `rss_full_mib` when the purged memory was reused.
    pub rss_after_reupload_mib: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SessionMemory {
    pub sessions: u64,
    /// Each Graph session declares this size and gets half of it in one fragment.
    pub file_bytes: u64,
    pub rss_before_mib: f64,
    /// With every session open and half written.
    pub rss_open_mib: f64,
    /// After the clock passed their expiry and the server's sweep ran, with no request made.
    pub rss_after_expiry_mib: f64,
    /// With as many sessions open and half written again.
    pub rss_reopened_mib: f64,
    /// After each was cancelled (`DELETE` on its upload URL).
    pub rss_after_delete_mib: f64,
}

/// Runs a probe in a child process and reads the JSON line it prints.
pub fn in_child<T: for<'de> Deserialize<'de>>(probe: &str, count: u64) -> Result<T, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut command = Command::new(exe);
    command.env(PROBE, probe).env(COUNT, count.to_string());
    if probe == "purge" || probe == "sessions" {
        // mimalloc hands freed pages back to the system only after a delay (10 ms), in passing
        // on a later allocation; without it, RSS right after the purge shows what was freed.
        command.env("MIMALLOC_PURGE_DELAY", "0");
    }
    let output = command.output().map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("PROBE "))
        .ok_or_else(|| {
            format!(
                "probe {probe} printed no result ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            )
        })?;
    serde_json::from_str(line).map_err(|e| e.to_string())
}

/// The body of a probe child: measure, print `PROBE {json}`, and return.
pub fn run_probe(probe: &str) {
    let count: u64 = std::env::var(COUNT)
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100_000);
    let json = match probe {
        "restores" => serde_json::to_string(&restores(count)),
        "records" => serde_json::to_string(&records(count)),
        "purge" => serde_json::to_string(&purge(count)),
        "sessions" => serde_json::to_string(&half_written_sessions(count)),
        // `count` is the file size in MiB.
        "session_graph" => serde_json::to_string(&sessions::probe("graph", count)),
        "session_box" => serde_json::to_string(&sessions::probe("box", count)),
        other => panic!("unknown probe {other:?}"),
    }
    .expect("a probe result serializes");
    println!("PROBE {json}");
}

/// `VmRSS` of this process, in MiB.
pub fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}

/// Restores a file of two 1 MiB versions `count` times, alternating the version, over HTTP at
/// concurrency 16 (or through the store when the Graph face is not there).
fn restores(count: u64) -> RestoreMemory {
    let server = runtime::server(1);
    let client = runtime::client(1);
    let file = ItemId(2_900_000_000);
    let fixture = Fixture {
        users: vec![FixtureUser {
            id: USER.to_owned(),
            name: None,
            login: None,
            tokens: vec![TOKEN.to_owned()],
            scopes: None,
            ..Default::default()
        }],
        spaces: vec![FixtureSpace {
            face: Face::Graph,
            owner: USER.to_owned(),
            root: None,
            items: vec![FixtureItem {
                id: Some(file),
                ..FixtureItem::file(
                    "big.bin",
                    ["a", "b"]
                        .iter()
                        .map(|c| FixtureVersion::text(c.repeat(MIB)))
                        .collect(),
                )
            }],
        }],
        ..Fixture::default()
    };
    let emulator = server.block_on(Emulator::builder().fixture(fixture).start());
    let store = emulator.store();
    let space = Space::own(
        Face::Graph,
        store.sign_in(TOKEN).expect("the bench token").user,
    );
    let address = emulator.address();
    let host = HeaderValue::from_str(&address.to_string()).expect("a host");
    let drive = client.block_on(operations::graph_drive(address, &host));
    let path = move |n: u64| {
        format!(
            "{drive}/items/{file}/versions/{}.0/restoreVersion",
            1 + n % 2
        )
    };
    let over_http = client.block_on(async {
        let Ok(mut sender) = load::connect(address).await else {
            return false;
        };
        let request = operations::request(Method::POST, &path(0), &host, None);
        matches!(load::send(&mut sender, request).await, Ok((s, _)) if s == StatusCode::NO_CONTENT)
    });
    let store_restore = |n: u64| {
        let rules = PromoteRules {
            allow_current: true,
            restore_name: false,
        };
        store
            .promote_version(
                &space,
                file,
                VersionRef::Number(1 + (n % 2) as u32),
                rules,
                None,
            )
            .expect("a store restore");
    };
    // Warm up allocator pools and connections before the first reading.
    for n in 0..100 {
        store_restore(n);
    }
    let before = rss_mib();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(120);
    let mut done = 0;
    if over_http {
        done = client.block_on(async {
            let workers: Vec<_> = (0..16u64)
                .map(|w| {
                    let (host, path) = (host.clone(), path.clone());
                    let share = count / 16 + u64::from(w < count % 16);
                    tokio::spawn(async move {
                        let Ok(mut sender) = load::connect(address).await else {
                            return 0;
                        };
                        let mut sent = 0;
                        while sent < share && Instant::now() < deadline {
                            let request =
                                operations::request(Method::POST, &path(sent), &host, None);
                            if load::send(&mut sender, request).await.is_err() {
                                break;
                            }
                            sent += 1;
                        }
                        sent
                    })
                })
                .collect();
            let mut done = 0;
            for worker in workers {
                done += worker.await.unwrap_or(0);
            }
            done
        });
    } else {
        while done < count && Instant::now() < deadline {
            store_restore(done);
            done += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let after = rss_mib();
    let all = VersionQuery {
        include_current: true,
        window: Window {
            offset: 0,
            limit: 0,
        },
    };
    RestoreMemory {
        path: if over_http { "http" } else { "store" }.to_owned(),
        restores: done,
        file_bytes: MIB as u64,
        versions_after: store
            .versions(&space, file, all)
            .map_or(0, |l| l.total as u64),
        rss_before_mib: before,
        rss_after_mib: after,
        growth_mib: after - before,
        seconds,
    }
}

/// Adds `count` version records to one file through the store and divides the growth.
fn records(count: u64) -> RecordMemory {
    let store = MemoryStore::new(Arc::new(Clock::real()));
    let space = Space::own(Face::Graph, store.sign_in(TOKEN).expect("sign in").user);
    let root = store.root(&space).expect("a root").id;
    let write = |text: &'static [u8]| WriteFile {
        target: WriteTarget::Path {
            base: root,
            segments: vec!["records.txt".to_owned()],
            on_conflict: OnConflict::Replace,
            create_parents: false,
        },
        content: Content::new(Bytes::from_static(text)),
        mime_type: None,
        rename: None,
        content_created_at: None,
        content_modified_at: None,
    };
    let file = store
        .write_file(&space, write(b"one"), None)
        .expect("a file")
        .item
        .id;
    store
        .write_file(&space, write(b"two"), None)
        .expect("a version");
    let rules = PromoteRules {
        allow_current: true,
        restore_name: false,
    };
    let before = rss_mib();
    let started = Instant::now();
    for n in 0..count {
        store
            .promote_version(
                &space,
                file,
                VersionRef::Number(1 + (n % 2) as u32),
                rules,
                None,
            )
            .expect("a promote");
    }
    let elapsed = started.elapsed();
    let after = rss_mib();
    RecordMemory {
        records: count,
        rss_before_mib: before,
        rss_after_mib: after,
        bytes_per_record: (after - before) * MIB as f64 / count.max(1) as f64,
        ns_per_promote: elapsed.as_nanos() as f64 / count.max(1) as f64,
    }
}

/// Uploads `count` distinct 1 MiB files to one Box space through the store, then trashes and
/// purges each: the content is freed once no version holds it, so RSS should come back near
/// where it started (what the allocator keeps aside).
fn purge(count: u64) -> PurgeMemory {
    let store = MemoryStore::new(Arc::new(Clock::real()));
    let space = Space::own(Face::Box, store.sign_in(TOKEN).expect("sign in").user);
    let root = store.root(&space).expect("a root").id;
    let before = rss_mib();
    let upload = |round: u64| -> Vec<ItemId> {
        (0..count)
            .map(|n| upload_distinct(&store, &space, root, round, n))
            .collect()
    };
    let files = upload(0);
    let full = rss_mib();
    for file in files {
        store
            .trash_item(&space, file, ItemKind::File, false, None)
            .expect("to the trash");
        store
            .purge_item(&space, file, ItemKind::File)
            .expect("a purge");
    }
    let after_purge = rss_mib();
    upload(1);
    PurgeMemory {
        files: count,
        file_bytes: MIB as u64,
        rss_before_mib: before,
        rss_full_mib: full,
        rss_after_purge_mib: after_purge,
        rss_after_reupload_mib: rss_mib(),
    }
}

/// File `n` of upload round `round`: 1 MiB that no other file shares.
fn upload_distinct(store: &MemoryStore, space: &Space, root: ItemId, round: u64, n: u64) -> ItemId {
    let mut bytes = vec![(n % 251) as u8; MIB];
    bytes[..16].copy_from_slice(&[round.to_be_bytes(), n.to_be_bytes()].concat());
    let write = WriteFile {
        target: WriteTarget::Path {
            base: root,
            segments: vec![format!("file-{round}-{n}.bin")],
            on_conflict: OnConflict::Fail,
            create_parents: false,
        },
        content: Content::new(Bytes::from(bytes)),
        mime_type: None,
        rename: None,
        content_created_at: None,
        content_modified_at: None,
    };
    store
        .write_file(space, write, None)
        .expect("an upload")
        .item
        .id
}

/// Opens `count` Graph upload sessions of 2 MiB each and writes the first half of each, then
/// lets them expire (the clock moves on and the server's sweep, which runs every 5 s, drops
/// them without any request), then does it again and cancels each: RSS should come back near
/// where it started both times.
fn half_written_sessions(count: u64) -> SessionMemory {
    const FILE: u64 = 2 * MIB as u64;
    let server = runtime::server(1);
    let client = runtime::client(1);
    let config = Config {
        // One user opens them all.
        max_sessions_per_user: count as usize + 1,
        ..Config::default()
    };
    let emulator = server.block_on(Emulator::start_with(config));
    let address = emulator.address();
    let host = HeaderValue::from_str(&address.to_string()).expect("a host");
    let origin = format!("http://{address}");
    let half = Bytes::from(vec![7u8; FILE as usize / 2]);
    let open_half_written = |n: u64| {
        client.block_on(async {
            let mut sender = load::connect(address).await.expect("a connection");
            let mut urls = Vec::new();
            for i in 0..n {
                let create = operations::request(
                    Method::POST,
                    &format!("/v1.0/me/drive/root:/half-{i}.bin:/createUploadSession"),
                    &host,
                    Some(("application/json", Bytes::from_static(b"{}"))),
                );
                let (_, body) = load::send(&mut sender, create).await.expect("a session");
                let session: serde_json::Value =
                    serde_json::from_slice(&body).expect("session JSON");
                let url = session["uploadUrl"].as_str().expect("an uploadUrl");
                let path = url.strip_prefix(&origin).expect("on the origin").to_owned();
                let mut put = operations::request(
                    Method::PUT,
                    &path,
                    &host,
                    Some(("application/octet-stream", half.clone())),
                );
                let range = format!("bytes 0-{}/{FILE}", FILE / 2 - 1);
                put.headers_mut()
                    .insert("content-range", HeaderValue::from_str(&range).unwrap());
                let (status, _) = load::send(&mut sender, put).await.expect("a fragment");
                assert_eq!(status, StatusCode::ACCEPTED, "a half-written session");
                urls.push(path);
            }
            urls
        })
    };
    // Warm up connections and the allocator before the first reading.
    let warm = open_half_written(4);
    cancel(&client, address, &host, &warm);
    let before = rss_mib();
    open_half_written(count);
    let open = rss_mib();
    emulator.clock().advance(chrono::TimeDelta::minutes(16));
    std::thread::sleep(Duration::from_secs(6));
    let after_expiry = rss_mib();
    let urls = open_half_written(count);
    let reopened = rss_mib();
    cancel(&client, address, &host, &urls);
    let after_delete = rss_mib();
    SessionMemory {
        sessions: count,
        file_bytes: FILE,
        rss_before_mib: before,
        rss_open_mib: open,
        rss_after_expiry_mib: after_expiry,
        rss_reopened_mib: reopened,
        rss_after_delete_mib: after_delete,
    }
}

/// `DELETE` on each upload URL path.
fn cancel(
    client: &tokio::runtime::Runtime,
    address: std::net::SocketAddr,
    host: &HeaderValue,
    paths: &[String],
) {
    client.block_on(async {
        let mut sender = load::connect(address).await.expect("a connection");
        for path in paths {
            let request = operations::request(Method::DELETE, path, host, None);
            let (status, _) = load::send(&mut sender, request).await.expect("a cancel");
            assert_eq!(status, StatusCode::NO_CONTENT, "a cancelled session");
        }
    });
}
