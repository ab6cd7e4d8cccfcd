//! The durable store through the binary: `--data-dir` refusals (exit 2, the directory named,
//! nothing changed), one process per data dir, and every acknowledged write surviving SIGKILL.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use reqwest::Client;
use serde_json::{json, Value};
use sha1::{Digest, Sha1};
use tokio::sync::watch;

use crate::support::box_api::{multipart, Part, BOUNDARY};

use crate::support::binary::BINARY;
use crate::support::TempDir;

/// The binary on `dir`, on a free port, and the address it printed.
fn start(dir: &Path) -> (Child, String) {
    crate::support::listening(
        Command::new(BINARY)
            .args(["--port", "0", "--data-dir"])
            .arg(dir)
            .env("RUST_LOG", "off")
            .stderr(Stdio::null()),
    )
}

/// What the binary says and returns when it refuses `dir`.
fn refusal(dir: &Path) -> (Option<i32>, String) {
    let output = Command::new(BINARY)
        .args(["--port", "0", "--data-dir"])
        .arg(dir)
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), stderr)
}

/// Every file's path and bytes below `path` (or the file's own), to show nothing changed.
fn snapshot(path: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    if !path.is_dir() {
        return std::fs::read(path)
            .map(|bytes| vec![(path.to_owned(), bytes)])
            .unwrap_or_default();
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(path).unwrap() {
        out.extend(snapshot(&entry.unwrap().path()));
    }
    out.sort();
    out
}

#[test]
fn bad_data_dirs_stop_the_start_with_exit_2_naming_the_directory_and_change_nothing() {
    // Arrange: one of each kind of bad data dir.
    let root = TempDir::made("bad");
    let file = root.join("a-file");
    std::fs::write(&file, b"not a directory").unwrap();
    let garbled = root.join("garbled");
    std::fs::create_dir_all(&garbled).unwrap();
    std::fs::write(garbled.join("metadata.redb"), vec![0x5a; 8192]).unwrap();
    let truncated = root.join("truncated");
    let (mut child, _) = start(&truncated);
    child.kill().unwrap();
    child.wait().unwrap();
    let db = truncated.join("metadata.redb");
    let length = std::fs::metadata(&db).unwrap().len();
    let handle = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
    handle.set_len(length / 3).unwrap();
    // A data dir of this build, then its format marker changed to another version's.
    let other_format = |name: &str, format: &[u8]| {
        let dir = root.join(name);
        let (mut child, _) = start(&dir);
        child.kill().unwrap();
        child.wait().unwrap();
        let db = redb::Database::create(dir.join("metadata.redb")).unwrap();
        let txn = db.begin_write().unwrap();
        let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
        txn.open_table(meta)
            .unwrap()
            .insert("format", format)
            .unwrap();
        txn.commit().unwrap();
        dir
    };
    let newer = other_format("newer", b"99");
    let older = other_format("older", b"1");
    // procfs takes no new directories, whoever asks (a chmod would not stop root).
    let unwritable = PathBuf::from("/proc/self/restore-mock-data");

    for (dir, reason) in [
        (&file, "it is not a directory"),
        (&garbled, "the database cannot be opened"),
        (&truncated, "the database cannot be opened"),
        (
            &newer,
            "it was written in format 99, newer than this restore-mock's 4",
        ),
        (
            &older,
            "it was written in format 1, older than this restore-mock's 4, which it does not read",
        ),
        (&unwritable, "cannot create it"),
    ] {
        let before = snapshot(dir);

        // Act
        let (code, stderr) = refusal(dir);

        // Assert
        let named = format!(
            "restore-mock: cannot use data dir {}: {reason}",
            dir.display()
        );
        assert_eq!(code, Some(2), "{}: {stderr}", dir.display());
        assert!(
            stderr.starts_with(&named),
            "{stderr:?} should start {named:?}"
        );
        assert_eq!(snapshot(dir), before, "{} is left as it was", dir.display());
    }
}

#[tokio::test]
async fn a_second_process_on_a_data_dir_is_refused_and_the_first_keeps_serving() {
    // Arrange
    let dir = TempDir::made("twice");
    let (mut first, address) = start(&dir);

    // Act
    let (code, stderr) = refusal(&dir);
    let health = reqwest::get(format!("{address}/__admin/health"))
        .await
        .unwrap();
    first.kill().unwrap();
    first.wait().unwrap();

    // Assert
    let named = format!(
        "restore-mock: cannot use data dir {}: another restore-mock process has it open",
        dir.display()
    );
    assert_eq!(code, Some(2));
    assert!(stderr.starts_with(&named), "{stderr:?}");
    assert_eq!(health.status(), 200);
}

/// What the clients were told, per file: only acknowledged writes are recorded as done;
/// attempts count the promotes and restores that may have applied without an answer.
#[derive(Debug, Default)]
struct Acknowledged {
    /// Graph: item id -> bodies acknowledged as new versions (uploads), restores.
    graph: HashMap<String, GraphFile>,
    /// Box: file id -> acknowledged versions (id, body), promotes, trashed version ids.
    boxed: HashMap<String, BoxFile>,
    writes: u64,
}

#[derive(Debug, Default)]
struct GraphFile {
    path: String,
    bodies: Vec<String>,
    restores: usize,
    restores_tried: usize,
    delete_tried: bool,
    deleted: bool,
}

#[derive(Debug, Default)]
struct BoxFile {
    versions: Vec<(String, String)>,
    promotes: usize,
    promotes_tried: usize,
    trashed: HashSet<String>,
    trashes_tried: HashSet<String>,
}

type Shared = Arc<Mutex<Acknowledged>>;

fn acknowledge(shared: &Shared, acks: &watch::Sender<u64>, change: impl FnOnce(&mut Acknowledged)) {
    let mut model = shared.lock().unwrap();
    change(&mut model);
    model.writes += 1;
    acks.send_replace(model.writes);
}

/// A small deterministic generator: the moments and the mix differ per round and worker, and a
/// failing run can be repeated.
struct Draw(u64);

impl Draw {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

async fn graph_worker(
    client: Client,
    base: String,
    worker: u64,
    seed: u64,
    shared: Shared,
    acks: watch::Sender<u64>,
) {
    let auth = format!("Bearer graph-{worker}");
    let mut draw = Draw(seed);
    let mut mine: Vec<(String, String)> = Vec::new(); // (id, path) of live files
    for n in 0.. {
        let body = format!("graph {worker} seed {seed} write {n}");
        let pick = if mine.is_empty() { 0 } else { draw.next(10) };
        match pick {
            // A new file, or a new version of one of ours.
            0..=5 => {
                let path = match (pick, mine.is_empty()) {
                    (0..=2, _) | (_, true) => format!("w{worker}/s{seed}/f{n}.txt"),
                    _ => mine[draw.next(mine.len() as u64) as usize].1.clone(),
                };
                let url = format!("{base}/v1.0/me/drive/root:/{path}:/content");
                let reply = client
                    .put(url)
                    .header("authorization", &auth)
                    .body(body.clone())
                    .send()
                    .await;
                let Ok(reply) = reply else { return };
                if !reply.status().is_success() {
                    continue;
                }
                let Ok(item) = reply.json::<Value>().await else {
                    return;
                };
                let id = item["id"].as_str().unwrap().to_owned();
                if !mine.iter().any(|(known, _)| *known == id) {
                    mine.push((id.clone(), path.clone()));
                }
                acknowledge(&shared, &acks, |m| {
                    let file = m.graph.entry(id).or_default();
                    file.path = path;
                    file.bodies.push(body);
                });
            }
            // Restore version 1.0 over the current one.
            6..=8 => {
                let id = mine[draw.next(mine.len() as u64) as usize].0.clone();
                shared
                    .lock()
                    .unwrap()
                    .graph
                    .entry(id.clone())
                    .or_default()
                    .restores_tried += 1;
                let url = format!("{base}/v1.0/me/drive/items/{id}/versions/1.0/restoreVersion");
                let Ok(reply) = client.post(url).header("authorization", &auth).send().await else {
                    return;
                };
                if reply.status() == 204 {
                    acknowledge(&shared, &acks, |m| {
                        m.graph.get_mut(&id).unwrap().restores += 1
                    });
                }
            }
            _ => {
                let (id, _) = mine.swap_remove(draw.next(mine.len() as u64) as usize);
                shared
                    .lock()
                    .unwrap()
                    .graph
                    .get_mut(&id)
                    .unwrap()
                    .delete_tried = true;
                let url = format!("{base}/v1.0/me/drive/items/{id}");
                let Ok(reply) = client
                    .delete(url)
                    .header("authorization", &auth)
                    .send()
                    .await
                else {
                    return;
                };
                if reply.status() == 204 {
                    acknowledge(&shared, &acks, |m| {
                        m.graph.get_mut(&id).unwrap().deleted = true
                    });
                }
            }
        }
    }
}

async fn box_worker(
    client: Client,
    base: String,
    worker: u64,
    seed: u64,
    shared: Shared,
    acks: watch::Sender<u64>,
) {
    let auth = format!("Bearer box-{worker}");
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let mut draw = Draw(seed ^ 0xb0c5);
    let mut mine: Vec<String> = Vec::new();
    for n in 0.. {
        let body = format!("box {worker} seed {seed} write {n}");
        let pick = if mine.is_empty() { 0 } else { draw.next(10) };
        match pick {
            // A new file, or a new version of one of ours.
            0..=5 => {
                let (url, attributes) = if pick <= 2 {
                    let name = format!("w{worker}-s{seed}-f{n}.txt");
                    let attributes = json!({"name": name, "parent": {"id": "0"}}).to_string();
                    (format!("{base}/api/2.0/files/content"), attributes)
                } else {
                    let id = &mine[draw.next(mine.len() as u64) as usize];
                    (
                        format!("{base}/api/2.0/files/{id}/content"),
                        "{}".to_owned(),
                    )
                };
                let parts = [Part::attributes(&attributes), Part::file(body.as_bytes())];
                let request = client.post(url).header("authorization", &auth);
                let reply = request
                    .header("content-type", &content_type)
                    .body(multipart(&parts))
                    .send()
                    .await;
                let Ok(reply) = reply else { return };
                if reply.status() != 201 {
                    continue;
                }
                let Ok(reply) = reply.json::<Value>().await else {
                    return;
                };
                let file = &reply["entries"][0];
                let id = file["id"].as_str().unwrap().to_owned();
                let version = file["file_version"]["id"].as_str().unwrap().to_owned();
                if !mine.contains(&id) {
                    mine.push(id.clone());
                }
                acknowledge(&shared, &acks, |m| {
                    m.boxed
                        .entry(id)
                        .or_default()
                        .versions
                        .push((version, body));
                });
            }
            // Promote the oldest acknowledged version, or trash a previous one.
            6..=9 => {
                let id = mine[draw.next(mine.len() as u64) as usize].clone();
                let versions = shared.lock().unwrap().boxed[&id].versions.clone();
                if versions.len() < 2 {
                    continue;
                }
                let (oldest, _) = &versions[0];
                if pick <= 7 {
                    shared
                        .lock()
                        .unwrap()
                        .boxed
                        .get_mut(&id)
                        .unwrap()
                        .promotes_tried += 1;
                    let url = format!("{base}/2.0/files/{id}/versions/current");
                    let promote = json!({"type": "file_version", "id": oldest});
                    let reply = client
                        .post(url)
                        .header("authorization", &auth)
                        .json(&promote)
                        .send()
                        .await;
                    let Ok(reply) = reply else { return };
                    if reply.status() == 201 {
                        acknowledge(&shared, &acks, |m| {
                            m.boxed.get_mut(&id).unwrap().promotes += 1
                        });
                    }
                } else {
                    (shared.lock().unwrap().boxed.get_mut(&id).unwrap())
                        .trashes_tried
                        .insert(oldest.clone());
                    let url = format!("{base}/2.0/files/{id}/versions/{oldest}");
                    let reply = client
                        .delete(url)
                        .header("authorization", &auth)
                        .send()
                        .await;
                    let Ok(reply) = reply else { return };
                    if reply.status() == 204 {
                        let oldest = oldest.clone();
                        acknowledge(&shared, &acks, |m| {
                            m.boxed.get_mut(&id).unwrap().trashed.insert(oldest);
                        });
                    }
                }
            }
            _ => unreachable!(),
        }
    }
}

/// Checks the restarted server against what was acknowledged: every acknowledged write present
/// exactly once, histories numbered 1, 2, 3, … with no gap or repeat, bytes and hashes right.
/// Returns every body the server holds.
async fn check(client: &Client, base: &str, shared: &Shared) -> HashSet<String> {
    let state: Value = client
        .get(format!("{base}/__admin/state"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut files: HashMap<String, &Vec<Value>> = HashMap::new();
    let mut version_ids = HashSet::new();
    let mut bodies = HashSet::new();
    for space in state["spaces"].as_array().into_iter().flatten() {
        for item in space["items"].as_array().unwrap() {
            let Some(versions) = item["versions"].as_array() else {
                continue;
            };
            let numbers: Vec<u64> = versions
                .iter()
                .map(|v| v["number"].as_u64().unwrap())
                .collect();
            let expected: Vec<u64> = (1..=numbers.len() as u64).collect();
            assert_eq!(
                numbers, expected,
                "{}: numbers without gaps or repeats",
                item["path"]
            );
            for version in versions {
                assert!(
                    version_ids.insert(version["id"].to_string()),
                    "version ids are unique"
                );
                bodies.insert(version["text"].as_str().unwrap().to_owned());
            }
            // Exports print ids as numbers; the APIs print them as strings.
            files.insert(item["id"].as_u64().unwrap().to_string(), versions);
        }
    }
    let sample = check_acknowledged(&shared.lock().unwrap(), &files);
    // The hashes the API reports and the bytes it serves match the current version's body.
    for (id, token, current) in sample {
        let auth = format!("Bearer {token}");
        let item: Value = client
            .get(format!("{base}/2.0/files/{id}?fields=sha1,size"))
            .header("authorization", &auth)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(item["sha1"], hex(&Sha1::digest(current.as_bytes())));
        assert_eq!(item["size"], current.len());
        let download = client
            .get(format!("{base}/2.0/files/{id}/content"))
            .header("authorization", &auth)
            .send()
            .await
            .unwrap();
        let location = download.headers()["location"].to_str().unwrap().to_owned();
        let bytes = client
            .get(location)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(&bytes[..], current.as_bytes());
    }
    bodies
}

/// The export's files against the acknowledged writes; returns some Box files (id, token,
/// current body) to check over HTTP.
fn check_acknowledged(
    model: &Acknowledged,
    files: &HashMap<String, &Vec<Value>>,
) -> Vec<(String, String, String)> {
    let derived = |v: &&Value| !v["restored_from"].is_null();
    for (id, file) in &model.graph {
        let Some(versions) = files.get(id) else {
            // Only a delete removes a file, and one may have applied without an answer.
            assert!(file.delete_tried, "{} is there", file.path);
            continue;
        };
        assert!(!file.deleted, "deleted {} stays deleted", file.path);
        for body in &file.bodies {
            let copies = (versions.iter())
                .filter(|v| v["text"] == body.as_str() && !derived(v))
                .count();
            assert_eq!(
                copies, 1,
                "{}: the upload {body:?} is there exactly once",
                file.path
            );
        }
        let restores = versions.iter().filter(derived).count();
        assert!(
            restores >= file.restores && restores <= file.restores_tried,
            "{}: {restores} restores, {} acknowledged of {} tried",
            file.path,
            file.restores,
            file.restores_tried
        );
    }
    for (id, file) in &model.boxed {
        let versions = files
            .get(id)
            .unwrap_or_else(|| panic!("box file {id} is there"));
        for (version, body) in &file.versions {
            let kept = (versions.iter())
                .find(|v| v["id"].as_u64().map(|n| n.to_string()).as_ref() == Some(version))
                .unwrap_or_else(|| panic!("box version {version} is there"));
            assert_eq!(kept["text"], body.as_str());
            // Trashed if acknowledged so; untouched if never tried; either if tried unanswered.
            let trashed = !kept["trashed_at"].is_null();
            if file.trashed.contains(version) {
                assert!(trashed, "box version {version} stays trashed");
            } else if !file.trashes_tried.contains(version) {
                assert!(!trashed, "box version {version} was never trashed");
            }
        }
        let promotes = versions.iter().filter(derived).count();
        assert!(
            promotes >= file.promotes && promotes <= file.promotes_tried,
            "box {id}: {promotes} promotes, {} acknowledged of {} tried",
            file.promotes,
            file.promotes_tried
        );
    }
    (model.boxed.keys().take(8))
        .map(|id| {
            let current = files[id].last().unwrap()["text"].as_str().unwrap();
            (id.clone(), box_token_of(model, id), current.to_owned())
        })
        .collect()
}

fn box_token_of(model: &Acknowledged, id: &str) -> String {
    let (_, body) = &model.boxed[id].versions[0];
    let worker = body.split(' ').nth(1).unwrap();
    format!("box-{worker}")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_write_survives_sigkill_at_random_moments() {
    // Arrange
    let dir = TempDir::made("crash");
    let shared: Shared = Arc::default();
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut draw = Draw(seed);
    println!("crash test seed {seed}");

    for round in 0..4u64 {
        let (mut child, base) = start(&dir);
        check(&client, &base, &shared).await;
        let (acks, mut acknowledged) = watch::channel(shared.lock().unwrap().writes);
        let mut workers = Vec::new();
        let round_seed = seed.wrapping_add(round);
        for worker in 0..3 {
            let (c, b, s, a) = (client.clone(), base.clone(), shared.clone(), acks.clone());
            workers.push(tokio::spawn(graph_worker(c, b, worker, round_seed, s, a)));
            let (c, b, s, a) = (client.clone(), base.clone(), shared.clone(), acks.clone());
            workers.push(tokio::spawn(box_worker(c, b, worker, round_seed, s, a)));
        }

        // Act: kill the server while the workers are still writing, after a random number of
        // acknowledged writes.
        let target = *acknowledged.borrow() + 20 + draw.next(120);
        acknowledged
            .wait_for(|writes| *writes >= target)
            .await
            .unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
        for worker in workers {
            worker.await.unwrap();
        }
    }

    // Assert: after a last restart everything acknowledged is there, and the only body files
    // left are those of versions that exist.
    let (mut child, base) = start(&dir);
    let bodies = check(&client, &base, &shared).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let expected: HashSet<String> = bodies
        .iter()
        .map(|b| blake3::hash(b.as_bytes()).to_hex().to_string())
        .collect();
    let on_disk: HashSet<String> = std::fs::read_dir(dir.join("blobs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        on_disk, expected,
        "one body file per distinct body, nothing else"
    );
    assert!(shared.lock().unwrap().writes >= 4 * 20);
}
