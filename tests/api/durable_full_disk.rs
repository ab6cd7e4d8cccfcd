//! A full disk under the durable store, through HTTP on both faces: the write answers each
//! service's "insufficient storage" error naming the data dir, nothing of it is ever readable,
//! no half-written body is left, and writes succeed again once space is back, without a
//! restart. The disk fills on demand (`EmulatorBuilder::full_disk`).

use reqwest::{Client, Method, RequestBuilder};
use restore_mock::store::durable::FullDisk;
use restore_mock::Emulator;
use serde_json::{json, Value};

use crate::support::box_api::{error_json, with_multipart, Part};
use crate::support::TempDir;
use crate::support::{read_reply, spawn, with_request_ids, Reply};

const TOKEN: &str = "full-disk-token";

/// The durable store on a data dir of the test's own, whatever `RESTORE_MOCK_TEST_STORE` says:
/// the expected messages name the dir.
async fn start() -> (Emulator, FullDisk, TempDir) {
    let dir = TempDir::new("full-disk");
    let disk = FullDisk::new();
    let emulator = spawn()
        .data_dir(dir.to_path_buf())
        .full_disk(disk.clone())
        .start()
        .await
        .emulator;
    (emulator, disk, dir)
}

fn call(emulator: &Emulator, method: Method, path: &str) -> RequestBuilder {
    Client::new()
        .request(method, emulator.url(path))
        .bearer_auth(TOKEN)
}

/// The message both faces give, naming the data dir.
fn cause(dir: &TempDir) -> String {
    format!(
        "Insufficient Storage: the disk of the data dir {} is full (No space left on device \
         (simulated)); the change was not kept",
        dir.display()
    )
}

/// Every file in the data dir's `blobs/`, sorted.
fn blob_files(dir: &TempDir) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("blobs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Graph's envelope for the request the server numbered `request_id`: without a
/// `client-request-id` of the client's, Graph echoes the request id.
fn graph_error(request_id: &str, code: &str, message: &str) -> Value {
    json!({"error": {"code": code, "message": message, "innerError": {
        "date": "2024-06-01T10:00:00",
        "request-id": request_id,
        "client-request-id": request_id,
    }}})
}

#[tokio::test]
async fn graph_writes_on_a_full_disk_answer_507_show_nothing_and_pass_once_space_is_back() {
    // Arrange
    let (emulator, disk, dir) = start().await;
    let put = |path: &str, body: &'static str| {
        call(
            &emulator,
            Method::PUT,
            &format!("/v1.0/me/drive/root:/{path}:/content"),
        )
        .body(body)
    };
    assert_eq!(put("a.txt", "one").send().await.unwrap().status(), 201);
    let kept = blob_files(&dir);
    disk.fill();

    let cases = [
        ("a new file", put("b.txt", "two")),
        ("a new version", put("a.txt", "three")),
        (
            "a folder (rows only)",
            call(&emulator, Method::POST, "/v1.0/me/drive/root/children")
                .json(&json!({"name": "dir", "folder": {}})),
        ),
    ];

    // Act
    for ((reason, request), request_id) in with_request_ids(
        cases,
        [
            "910a2dec-8902-5cc1-f320-3e9039f4a821",
            "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
            "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
        ],
    ) {
        let reply = read_reply(request.send().await.unwrap()).await;

        // Assert
        assert_eq!(reply.status, 507, "{reason}");
        assert_eq!(reply.request_id(), request_id, "{reason}");
        let expected = graph_error(request_id, "quotaLimitReached", &cause(&dir));
        assert_eq!(reply.body, expected, "{reason}");
    }
    let path = "/v1.0/me/drive/root:/b.txt";
    let gone = call(&emulator, Method::GET, path).send().await.unwrap();
    assert_eq!(gone.status(), 404, "the refused file is nowhere");
    let versions = "/v1.0/me/drive/root:/a.txt:/versions";
    let Reply {
        status,
        body: listed,
        ..
    } = read_reply(call(&emulator, Method::GET, versions).send().await.unwrap()).await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = (listed["value"].as_array().unwrap().iter())
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["1.0"], "the refused version is nowhere");
    assert_eq!(
        blob_files(&dir),
        kept,
        "no body, whole or half, of a refused write"
    );

    disk.free();
    let again = put("b.txt", "two").send().await.unwrap();
    assert_eq!(
        again.status(),
        201,
        "space is back: writes pass without a restart"
    );
    let Reply {
        status, body: item, ..
    } = read_reply(call(&emulator, Method::GET, path).send().await.unwrap()).await;
    assert_eq!(
        (status.as_u16(), item["name"].as_str()),
        (200, Some("b.txt"))
    );
}

#[tokio::test]
async fn box_uploads_on_a_full_disk_answer_507_show_nothing_and_pass_once_space_is_back() {
    // Arrange
    let (emulator, disk, dir) = start().await;
    let upload = |path: &str, attributes: &str, body: &'static [u8]| {
        let request = call(&emulator, Method::POST, path);
        with_multipart(request, &[Part::attributes(attributes), Part::file(body)])
    };
    let new_file = |name: &str, body: &'static [u8]| {
        let attributes = format!(r#"{{"name":"{name}","parent":{{"id":"0"}}}}"#);
        upload("/api/2.0/files/content", &attributes, body)
    };
    let Reply {
        status, body: file, ..
    } = read_reply(new_file("a.txt", b"one").send().await.unwrap()).await;
    assert_eq!(status, 201);
    let id = file["entries"][0]["id"].as_str().unwrap().to_owned();
    disk.fill();

    let cases = [
        ("a new file", new_file("b.txt", b"two")),
        (
            "a new version",
            upload(&format!("/api/2.0/files/{id}/content"), "{}", b"three"),
        ),
    ];

    // Act
    for ((reason, request), request_id) in
        with_request_ids(cases, ["vyh6gf7h6pw8mme7", "1iqybveasnwi9py5"])
    {
        let Reply { status, body, .. } = read_reply(request.send().await.unwrap()).await;

        // Assert
        assert_eq!(status, 507, "{reason}");
        let expected = error_json(request_id, 507, "insufficient_storage", &cause(&dir), None);
        assert_eq!(body, expected, "{reason}");
    }
    let versions = format!("/2.0/files/{id}/versions");
    let Reply {
        status,
        body: listed,
        ..
    } = read_reply(
        call(&emulator, Method::GET, &versions)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        listed["total_count"], 0,
        "no earlier version: the refused one is nowhere"
    );
    assert!(
        blob_files(&dir).iter().all(|name| !name.ends_with(".tmp")),
        "no half-written body"
    );

    disk.free();
    // A b.txt left in memory would make this a 409 (item_name_in_use).
    let Reply { status, .. } = read_reply(new_file("b.txt", b"two").send().await.unwrap()).await;
    assert_eq!(status, 201, "space is back: uploads pass without a restart");
}
