//! What upload sessions may declare and hold (issue 25, item 1): a declared size over the limit
//! is refused with each face's error and allocates nothing, so the process lives on and answers
//! the next request; open sessions are bounded in total and per user, and give their share back
//! when cancelled, committed or expired.

use reqwest::{Method, StatusCode};
use restore_mock::Config;
use serde_json::{json, Value};

use crate::box_sessions::{digest, open, pattern, put_part, PART, SIZE};
use crate::support::box_api::{error_json, send_json, TOKEN as BOX_TOKEN};
use crate::support::graph::{at, Graph};
use crate::support::{send, spawn, with_request_ids, Reply, TestApp};

/// One petabyte, and the largest size a `u64` holds: the two killers.
const PETABYTE: u64 = 1_000_000_000_000_000;
/// `--max-session-bytes`' default, which caps every face's own limit.
const DEFAULT_LIMIT: u64 = 4 * 1024 * 1024 * 1024;

/// The message both faces give for a declared size over the limit.
fn too_large(size: u64, limit: u64) -> String {
    format!("The file's {size} bytes are over the limit of {limit} bytes (--max-file-size).")
}

/// Graph's 400 for a file over the limit, with OneDrive's detailed code, for the request the
/// server numbered `request_id` (Graph echoes it as the `client-request-id`).
fn graph_too_large(request_id: &str, size: u64, limit: u64) -> Value {
    json!({"error": {
        "code": "invalidRequest",
        "message": too_large(size, limit),
        "innerError": {
            "code": "maxFileSizeExceeded",
            "date": "2024-06-01T10:00:00",
            "request-id": request_id,
            "client-request-id": request_id,
        },
    }})
}

/// Graph's 507 for a session over the bounds on open sessions.
fn graph_quota(graph: &Graph, reply: &Reply, message: &str, request_id: &str) {
    graph.assert_error(reply, 507, "quotaLimitReached", message, request_id);
}

async fn to_session(graph: &Graph, method: Method, url: &str) -> Reply {
    graph.send(graph.app.client.request(method, url)).await
}

async fn fragment(graph: &Graph, url: &str, range: &str, body: &[u8]) -> Reply {
    let request = graph
        .app
        .client
        .put(url)
        .header("content-range", range)
        .body(body.to_vec());
    graph.send(request).await
}

/// A whole small file through a session, then a read of the drive: the process still serves.
async fn graph_still_serves(graph: &Graph) {
    let created = graph
        .post_json("/me/drive/root:/after.bin:/createUploadSession", json!({}))
        .await;
    assert_eq!(created.status, StatusCode::OK, "{created:?}");
    let url = created.body["uploadUrl"].as_str().unwrap();
    let done = fragment(graph, url, "bytes 0-4/5", b"alive").await;
    assert_eq!(done.status, StatusCode::CREATED, "{done:?}");
    let read = graph.get("/me/drive/root:/after.bin:/content").await;
    assert_eq!(read.status, StatusCode::FOUND, "{read:?}");
    assert_eq!(graph.get("/me/drive").await.status, StatusCode::OK);
}

#[tokio::test]
async fn graph_sizes_declared_past_the_limit_are_refused_and_the_process_still_serves() {
    // Arrange
    let graph = spawn().graph().await;
    let cases = [
        (PETABYTE, "a petabyte, which aborted the process"),
        (u64::MAX, "2^64-1, which answered 500 capacity overflow"),
        (
            DEFAULT_LIMIT + 1,
            "one byte over --max-session-bytes' default",
        ),
    ];

    // Each case sends four requests (session, fragment, progress, declared size): the ids of
    // the refused fragment and the refused declaration.
    let ids = [
        (
            "910a2dec-8902-5cc1-f320-3e9039f4a821",
            "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
        ),
        (
            "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
            "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
        ),
        (
            "aeaf52fe-be70-6064-d484-a1e7c35a0b13",
            "50f5647d-2380-309d-baa3-2132e1340f17",
        ),
    ];

    for ((size, why), (first_id, declared_id)) in with_request_ids(cases, ids) {
        // Act: declared by the first fragment's total, then in the creation body.
        let created = graph
            .post_json("/me/drive/root:/huge.bin:/createUploadSession", json!({}))
            .await;
        let url = created.body["uploadUrl"].as_str().unwrap().to_owned();
        let first = fragment(&graph, &url, &format!("bytes 0-0/{size}"), b"x").await;
        let progress = to_session(&graph, Method::GET, &url).await;
        let declared = graph
            .post_json(
                "/me/drive/root:/huge.bin:/createUploadSession",
                json!({"item": {"fileSize": size}}),
            )
            .await;

        // Assert
        assert_eq!(first.status, StatusCode::BAD_REQUEST, "{why}: {first:?}");
        assert_eq!(
            first.body,
            graph_too_large(first_id, size, DEFAULT_LIMIT),
            "{why}"
        );
        assert_eq!(
            progress.body,
            json!({"expirationDateTime": at(900), "nextExpectedRanges": ["0-"]}),
            "{why}: the refused fragment fixed no size"
        );
        assert_eq!(declared.status, StatusCode::BAD_REQUEST, "{why}");
        assert_eq!(
            declared.body,
            graph_too_large(declared_id, size, DEFAULT_LIMIT),
            "{why}"
        );
    }
    graph_still_serves(&graph).await;
}

#[tokio::test]
async fn graph_sessions_past_the_bounds_are_refused_until_others_end() {
    // Arrange: 1000 bytes for all sessions, two sessions per user.
    let graph = spawn()
        .config(Config {
            max_session_bytes: 1000,
            max_sessions_per_user: 2,
            ..Config::default()
        })
        .graph()
        .await;
    let path = "/me/drive/root:/f.bin:/createUploadSession";
    let sized = |size: u64| json!({"item": {"fileSize": size}});

    // Act & Assert: a session of 600 bytes leaves 400 for the others.
    let first = graph.post_json(path, sized(600)).await;
    assert_eq!(first.status, StatusCode::OK, "{first:?}");
    let over = graph.post_json(path, sized(401)).await;
    graph_quota(
        &graph,
        &over,
        "Open upload sessions already hold 600 of the 1000 bytes they may hold together \
         (--max-session-bytes); finish, cancel or let some expire first.",
        "910a2dec-8902-5cc1-f320-3e9039f4a821",
    );
    let over_file = graph.post_json(path, sized(1001)).await;
    assert_eq!(
        over_file.body,
        graph_too_large("975835de-1c97-56ce-f75f-04cbb5a1a1dd", 1001, 1000),
        "no file larger than all sessions may hold"
    );

    // A session without a size counts from its first fragment.
    let second = graph.post_json(path, json!({})).await;
    let url = second.body["uploadUrl"].as_str().unwrap().to_owned();
    let refused = fragment(&graph, &url, "bytes 0-0/401", b"x").await;
    assert_eq!(refused.status.as_u16(), 507, "{refused:?}");
    let taken = fragment(&graph, &url, "bytes 0-0/400", b"x").await;
    assert_eq!(taken.status, StatusCode::ACCEPTED, "{taken:?}");

    // A third session of the same user.
    let third = graph.post_json(path, json!({})).await;
    graph_quota(
        &graph,
        &third,
        "This user has 2 upload sessions open, the most allowed (--max-sessions-per-user); \
         finish, cancel or let some expire first.",
        "bd64a5d9-adef-e000-6c1e-186443822970",
    );

    // Cancelling the first gives back its bytes and its place.
    let first_url = first.body["uploadUrl"].as_str().unwrap();
    let cancelled = to_session(&graph, Method::DELETE, first_url).await;
    assert_eq!(cancelled.status, StatusCode::NO_CONTENT);
    let again = graph.post_json(path, sized(600)).await;
    assert_eq!(again.status, StatusCode::OK, "{again:?}");

    // Committing gives back the share, though the upload URL answers until it expires.
    let done = fragment(&graph, &url, "bytes 1-399/400", &[b'y'; 399]).await;
    assert_eq!(done.status, StatusCode::CREATED, "{done:?}");
    let after_commit = graph.post_json(path, sized(400)).await;
    assert_eq!(after_commit.status, StatusCode::OK, "{after_commit:?}");

    // Expiry gives back the rest: sessions live 15 minutes after their last fragment.
    graph.advance(15 * 60);
    let whole = graph.post_json(path, sized(1000)).await;
    assert_eq!(whole.status, StatusCode::OK, "{whole:?}");
    let gone = to_session(&graph, Method::GET, &url).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

/// `POST /api/2.0/files/upload_sessions` for a new file of `size` bytes in the root.
async fn box_session(app: &TestApp, name: &str, size: u64) -> Reply {
    let body = json!({"folder_id": "0", "file_size": size, "file_name": name});
    send_json(app, Method::POST, "/api/2.0/files/upload_sessions", body).await
}

/// Uploads a `SIZE`-byte file through a session and reads it back: the process still serves.
async fn box_still_serves(app: &TestApp) {
    let file = pattern(SIZE, 3);
    let session = open(
        app,
        "/api/2.0/files/upload_sessions",
        json!({"folder_id": "0", "file_size": SIZE, "file_name": "after.bin"}),
    )
    .await;
    let url = session["session_endpoints"]["upload_part"]
        .as_str()
        .unwrap();
    let mut parts = Vec::new();
    for (start, end) in [(0, PART - 1), (PART, 2 * PART - 1), (2 * PART, SIZE - 1)] {
        let Reply {
            status, body: part, ..
        } = send(put_part(app, url, &file, start, end)).await;
        assert_eq!(status, 200, "{part}");
        parts.push(part["part"].clone());
    }
    let commit = app
        .client
        .post(session["session_endpoints"]["commit"].as_str().unwrap())
        .bearer_auth(BOX_TOKEN)
        .header("digest", digest(&file))
        .json(&json!({"parts": parts}));
    let Reply {
        status,
        body: files,
        ..
    } = send(commit).await;
    assert_eq!(status, 201, "{files}");
    assert_eq!(files["entries"][0]["size"], SIZE);
}

#[tokio::test]
async fn box_sizes_declared_past_the_limit_are_refused_and_the_process_still_serves() {
    // Arrange
    let app = spawn().start().await;
    let cases = [
        (
            PETABYTE,
            "a petabyte, which aborted at its 1-byte last part",
        ),
        (u64::MAX, "2^64-1"),
        (
            DEFAULT_LIMIT + 1,
            "one byte over --max-session-bytes' default",
        ),
    ];

    for ((size, why), request_id) in with_request_ids(
        cases,
        ["y83so4k8319p153p", "vyh6gf7h6pw8mme7", "1iqybveasnwi9py5"],
    ) {
        // Act
        let Reply { status, body, .. } = box_session(&app, "huge.bin", size).await;

        // Assert
        assert_eq!(status, 403, "{why}: {body}");
        assert_eq!(
            body,
            error_json(
                request_id,
                403,
                "file_size_limit_exceeded",
                &too_large(size, DEFAULT_LIMIT),
                None
            ),
            "{why}"
        );
    }
    box_still_serves(&app).await;
}

#[tokio::test]
async fn box_sessions_past_the_bounds_are_refused_until_others_end() {
    // Arrange: room for one 20 MB session in all, a 25 MB file limit.
    let app = spawn()
        .config(Config {
            max_file_size: Some(25_000_000),
            max_session_bytes: 30_000_000,
            max_sessions_per_user: 1,
            ..Config::default()
        })
        .start()
        .await;
    let storage = |request_id: &str, message: &str| {
        error_json(request_id, 403, "storage_limit_exceeded", message, None)
    };

    // Act & Assert
    let Reply { status, body, .. } = box_session(&app, "big.bin", 25_000_001).await;
    assert_eq!(status, 403);
    assert_eq!(
        body,
        error_json(
            "y83so4k8319p153p",
            403,
            "file_size_limit_exceeded",
            &too_large(25_000_001, 25_000_000),
            None
        ),
        "--max-file-size"
    );
    let Reply {
        status,
        body: first,
        ..
    } = box_session(&app, "a.bin", SIZE as u64).await;
    assert_eq!(status, 201, "{first}");
    let Reply { status, body, .. } = box_session(&app, "b.bin", SIZE as u64).await;
    assert_eq!(status, 403);
    assert_eq!(
        body,
        storage(
            "1iqybveasnwi9py5",
            "This user has 1 upload sessions open, the most allowed (--max-sessions-per-user); \
             finish, cancel or let some expire first."
        ),
        "a second session of one user"
    );
    let other = app
        .client
        .post(app.url("/api/2.0/files/upload_sessions"))
        .bearer_auth("another-box-user")
        .json(&json!({"folder_id": "0", "file_size": SIZE, "file_name": "c.bin"}));
    let Reply { status, body, .. } = send(other).await;
    assert_eq!(status, 403);
    assert_eq!(
        body,
        storage(
            "jy7327635gmk3m5w",
            "Open upload sessions already hold 20000000 of the 30000000 bytes they may hold \
             together (--max-session-bytes); finish, cancel or let some expire first."
        ),
        "all sessions together"
    );

    // Aborting gives back the share; so does the seven-day expiry.
    let abort = app
        .client
        .delete(first["session_endpoints"]["abort"].as_str().unwrap())
        .bearer_auth(BOX_TOKEN);
    assert_eq!(abort.send().await.unwrap().status(), 204);
    let Reply { status, body, .. } = box_session(&app, "b.bin", SIZE as u64).await;
    assert_eq!(status, 201, "{body}");
    app.emulator.clock().advance(chrono::TimeDelta::days(7));
    let Reply { status, body, .. } = box_session(&app, "c.bin", SIZE as u64).await;
    assert_eq!(status, 201, "{body}");
}
