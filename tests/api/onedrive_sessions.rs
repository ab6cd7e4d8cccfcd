//! Graph upload sessions: `createUploadSession` on every address form, fragments to the
//! `uploadUrl` (no token), progress, deferred commits, cancel and expiry, read back after each
//! completion.

use reqwest::{Method, StatusCode};
use restore_mock::journal::JournalFilter;
use serde_json::{json, Value};
use tokio::task::JoinSet;

use crate::support::graph::{at, hashes, Graph, Reply, DRIVE_ID, ME_ID, ROOT_ID};
use crate::support::spawn;

/// `bytes` of a recognisable pattern, so a misplaced fragment changes the hashes.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

impl Graph {
    /// `POST {path}` (below `/v1.0`) with `body`; the reply must be a session.
    async fn open_session(&self, path: &str, body: Value) -> String {
        let reply = self.post_json(path, body).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {reply:?}");
        reply.body["uploadUrl"].as_str().unwrap().to_owned()
    }

    /// One request to an upload URL, without `Authorization`, as the SDKs send fragments.
    async fn to_session(&self, method: Method, url: &str) -> Reply {
        self.send(self.app.client.request(method, url)).await
    }

    /// `PUT {url}` with `Content-Range: bytes {start}-{end}/{total}` and those bytes of `file`.
    async fn fragment(&self, url: &str, file: &[u8], start: usize, end: usize) -> Reply {
        let request = self
            .app
            .client
            .put(url)
            .header(
                "content-range",
                format!("bytes {start}-{end}/{}", file.len()),
            )
            .body(file[start..=end].to_vec());
        self.send(request).await
    }
}

#[tokio::test]
async fn a_new_file_arrives_in_fragments_and_the_last_one_answers_201_with_the_item() {
    // Arrange
    let graph = spawn().graph().await;
    let file = pattern(1000, 1);
    let path = "/me/drive/root:/big/movie.bin:/createUploadSession";

    // Act
    let created = graph
        .post_json(
            path,
            json!({"item": {"@microsoft.graph.conflictBehavior": "replace"}}),
        )
        .await;
    let url = created.body["uploadUrl"].as_str().unwrap().to_owned();
    graph.advance(60);
    let first = graph.fragment(&url, &file, 0, 399).await;
    let progress = graph.to_session(Method::GET, &url).await;
    let last = graph.fragment(&url, &file, 400, 999).await;

    // Assert
    assert_eq!(created.status, StatusCode::OK);
    let token = url
        .strip_prefix(&format!("{}/_upload/", graph.origin()))
        .expect("an absolute URL on the emulator's own origin");
    assert!(token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        created.body,
        json!({
            "@odata.context": format!("{}/v1.0/$metadata#microsoft.graph.uploadSession", graph.origin()),
            "uploadUrl": url,
            "expirationDateTime": at(900),
            "nextExpectedRanges": ["0-"],
        })
    );
    // Each fragment moves the expiry to 15 minutes after it.
    assert_eq!(first.status, StatusCode::ACCEPTED);
    assert_eq!(
        first.body,
        json!({"expirationDateTime": at(960), "nextExpectedRanges": ["400-999"]})
    );
    assert_eq!(progress.status, StatusCode::OK);
    assert_eq!(progress.body, first.body);
    assert_eq!(last.status, StatusCode::CREATED);
    assert_eq!(last.body["name"], "movie.bin");
    assert_eq!(last.body["size"], 1000);
    assert_eq!(last.body["file"]["hashes"], hashes(&file));
    // Read back: the item as GET shows it, one version, the bytes.
    let id = last.body["id"].as_str().unwrap();
    let item = graph.get(&format!("/me/drive/items/{id}")).await;
    assert_eq!(item.body, last.body);
    assert_eq!(graph.version_ids(id).await, ["1.0"]);
    let download = last.body["@microsoft.graph.downloadUrl"].as_str().unwrap();
    assert_eq!(graph.fetch(download).await, (StatusCode::OK, file.into()));
}

#[tokio::test]
async fn every_address_form_opens_a_session_and_completes_with_exactly_one_version() {
    // Arrange
    let graph = spawn().graph().await;
    let drive_id = DRIVE_ID;
    let root_id = ROOT_ID;
    let user_id = ME_ID.to_owned();
    let existing = graph.upload("/existing.bin", b"v1").await;
    let existing_id = existing["id"].as_str().unwrap().to_owned();
    let cases = [
        (
            "/me/drive/root:/a.bin:/createUploadSession".to_owned(),
            "a.bin",
            201,
        ),
        (
            "/drive/root:/b.bin:/createUploadSession".to_owned(),
            "b.bin",
            201,
        ),
        (
            format!("/drives/{drive_id}/root:/c.bin:/createUploadSession"),
            "c.bin",
            201,
        ),
        (
            format!(
                "/drives/{}/root:/d.bin:/createUploadSession",
                drive_id.replace('!', "%21")
            ),
            "d.bin",
            201,
        ),
        (
            format!("/users/{user_id}/drive/root:/e.bin:/createUploadSession"),
            "e.bin",
            201,
        ),
        (
            format!("/me/drive/items/{root_id}:/h.bin:/createUploadSession"),
            "h.bin",
            201,
        ),
        (
            "/me/drive/root%3A%2Fi.bin%3A/createUploadSession".to_owned(),
            "i.bin",
            201,
        ),
        (
            "/me/drive/root:/j.bin:/microsoft.graph.createUploadSession".to_owned(),
            "j.bin",
            201,
        ),
        (
            format!("/me/drive/items/{existing_id}/createUploadSession"),
            "existing.bin",
            200,
        ),
        (
            "/me/drive/root:/existing.bin:/createUploadSession".to_owned(),
            "existing.bin",
            200,
        ),
    ];

    for (n, (path, name, status)) in cases.iter().enumerate() {
        // Act
        let file = pattern(300 + n, n as u8);
        let url = graph
            .open_session(
                path,
                json!({"item": {"@microsoft.graph.conflictBehavior": "replace"}}),
            )
            .await;
        let head = graph.fragment(&url, &file, 0, 99).await;
        let tail = graph.fragment(&url, &file, 100, file.len() - 1).await;

        // Assert
        assert_eq!(head.status, StatusCode::ACCEPTED, "{path}: {head:?}");
        assert_eq!(tail.status.as_u16(), *status, "{path}: {tail:?}");
        assert_eq!(tail.body["name"], *name, "{path}");
        assert_eq!(tail.body["file"]["hashes"], hashes(&file), "{path}");
        let id = tail.body["id"].as_str().unwrap();
        let download = graph.get(&format!("/me/drive/items/{id}/content")).await;
        let location = download.header("location").to_owned();
        assert_eq!(graph.fetch(&location).await.1, file, "{path}");
    }
    // Two sessions made versions 2.0 and 3.0 of the existing file; nothing else changed it.
    assert_eq!(graph.version_ids(&existing_id).await, ["3.0", "2.0", "1.0"]);
    let root = graph.get("/me/drive/root/children").await;
    assert_eq!(root.body["value"].as_array().unwrap().len(), 9);
}

#[tokio::test]
async fn bad_fragments_are_refused_with_graphs_errors_and_change_nothing() {
    // Arrange
    let graph = spawn().graph().await;
    let file = pattern(100, 3);
    let url = graph
        .open_session("/me/drive/root:/f.bin:/createUploadSession", json!({}))
        .await;
    assert_eq!(graph.fragment(&url, &file, 0, 49).await.status, 202);
    let range = |value: &str| {
        graph
            .app
            .client
            .put(&url)
            .header("content-range", value.to_owned())
    };
    let missing = "The Content-Range header is missing or malformed.";
    let cases = [
        (
            graph.app.client.put(&url).body(vec![0; 50]),
            400,
            "invalidRequest",
            missing,
            "no Content-Range",
        ),
        (
            range("bytes 50-99").body(vec![0; 50]),
            400,
            "invalidRequest",
            missing,
            "no total",
        ),
        (
            range("bytes 50-100/100").body(vec![0; 51]),
            400,
            "invalidRequest",
            missing,
            "end past the total",
        ),
        (
            range("bytes=50-99/100").body(vec![0; 50]),
            400,
            "invalidRequest",
            missing,
            "a Range header's syntax",
        ),
        (
            range("bytes 50-99/101").body(vec![0; 50]),
            400,
            "invalidRequest",
            "The Content-Range total does not match the size of the upload session.",
            "the total changed",
        ),
        (
            range("bytes 50-99/100").body(vec![0; 10]),
            400,
            "invalidRequest",
            "The Content-Range header length does not match the provided number of bytes.",
            "a short body",
        ),
        (
            range("bytes 40-99/100").body(vec![0; 60]),
            416,
            "invalidRange",
            "Uploaded fragment overlaps with existing data.",
            "overlap",
        ),
        (
            range("bytes 0-49/100").body(file[..50].to_vec()),
            416,
            "invalidRange",
            "Uploaded fragment overlaps with existing data.",
            "a resent fragment",
        ),
        (
            range("bytes 60-99/100").body(vec![0; 40]),
            416,
            "invalidRange",
            "Uploaded fragment is out of order.",
            "a gap",
        ),
    ];

    for ((request, status, code, message, why), expected_id) in crate::support::with_request_ids(
        cases,
        [
            "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
            "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
            "6e73e372-e233-8aca-16b1-cba95fc60262",
            "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
            "bd64a5d9-adef-e000-6c1e-186443822970",
            "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
            "9e5651b0-ef95-3636-e62b-6430f1260052",
            "aeaf52fe-be70-6064-d484-a1e7c35a0b13",
            "088712be-8a58-2fca-6fc5-530939fb94c3",
        ],
    ) {
        // Act
        let mut reply = graph.send(request).await;

        // Assert: an overlap names its inner code, as the real service does; the rest of the
        // envelope is the usual one.
        assert_eq!(reply.status.as_u16(), status, "{why}");
        let inner = &mut reply.body["error"]["innerError"];
        let inner_code = inner.as_object_mut().unwrap().remove("code");
        let expected = message
            .contains("overlaps")
            .then(|| json!("fragmentOverlap"));
        assert_eq!(inner_code, expected, "{why}");
        graph.assert_error(&reply, status, code, message, expected_id);
    }
    // The session still wants the same bytes, and finishes with the right ones.
    let progress = graph.to_session(Method::GET, &url).await;
    assert_eq!(progress.body["nextExpectedRanges"], json!(["50-99"]));
    let last = graph.fragment(&url, &file, 50, 99).await;
    assert_eq!(last.status, StatusCode::CREATED);
    assert_eq!(last.body["file"]["hashes"], hashes(&file));
}

#[tokio::test]
async fn a_completed_session_refuses_more_fragments_with_400_as_the_real_service_does() {
    // Arrange: a one-fragment upload, then what msgraph-core sends next
    // (https://github.com/microsoftgraph/msgraph-sdk-python-core/blob/main/src/msgraph_core/tasks/large_file_upload.py).
    let graph = spawn().graph().await;
    let file = pattern(10, 4);
    let url = graph
        .open_session("/me/drive/root:/small.bin:/createUploadSession", json!({}))
        .await;
    let done = graph.fragment(&url, &file, 0, 9).await;

    // Act
    let resent = graph.fragment(&url, &file, 0, 9).await;
    let empty = graph
        .send(
            graph
                .app
                .client
                .put(&url)
                .header("content-range", "bytes 0-9/10"),
        )
        .await;

    // Assert
    assert_eq!(done.status, StatusCode::CREATED);
    let message = "The upload session has already been completed.";
    graph.assert_error(
        &resent,
        400,
        "invalidRequest",
        message,
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
    );
    graph.assert_error(
        &empty,
        400,
        "invalidRequest",
        message,
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
    );
    let id = done.body["id"].as_str().unwrap();
    assert_eq!(graph.version_ids(id).await, ["1.0"]);
}

#[tokio::test]
async fn defer_commit_waits_for_a_post_to_the_upload_url() {
    // Arrange
    let graph = spawn().graph().await;
    let file = pattern(64, 5);
    let url = graph
        .open_session(
            "/me/drive/root:/later.bin:/createUploadSession",
            json!({"deferCommit": true, "item": {"name": "later.bin", "fileSize": 64}}),
        )
        .await;
    let created = graph.to_session(Method::GET, &url).await;

    // Act
    let early = graph.to_session(Method::POST, &url).await;
    let all = graph.fragment(&url, &file, 0, 63).await;
    let before_commit = graph.get("/me/drive/root:/later.bin").await;
    let commit = graph.to_session(Method::POST, &url).await;
    let again = graph.to_session(Method::POST, &url).await;

    // Assert: the announced size gives a closed range from the start.
    assert_eq!(created.body["nextExpectedRanges"], json!(["0-63"]));
    graph.assert_error(
        &early,
        400,
        "invalidRequest",
        "The upload session is not complete: bytes are still expected.",
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
    );
    assert_eq!(all.status, StatusCode::ACCEPTED);
    assert_eq!(
        all.body,
        json!({"expirationDateTime": at(900), "nextExpectedRanges": []})
    );
    assert_eq!(before_commit.status, StatusCode::NOT_FOUND);
    assert_eq!(commit.status, StatusCode::CREATED);
    assert_eq!(commit.body["file"]["hashes"], hashes(&file));
    let item = graph.get("/me/drive/root:/later.bin").await;
    assert_eq!(item.body, commit.body);
    graph.assert_error(
        &again,
        400,
        "invalidRequest",
        "The upload session has already been completed.",
        "bd64a5d9-adef-e000-6c1e-186443822970",
    );
}

#[tokio::test]
async fn the_name_conflict_is_decided_at_completion() {
    // Arrange: under `fail`, a file made while the session was open wins.
    let graph = spawn().graph().await;
    let url = graph
        .open_session(
            "/me/drive/root:/race.txt:/createUploadSession",
            json!({"item": {"@microsoft.graph.conflictBehavior": "fail"}}),
        )
        .await;
    let first = graph.upload("/race.txt", b"made first").await;

    // Act
    let clash = graph.fragment(&url, b"session bytes", 0, 12).await;

    // Assert
    graph.assert_error(
        &clash,
        409,
        "nameAlreadyExists",
        "An item with the same name already exists under the parent.",
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
    );
    let id = first["id"].as_str().unwrap();
    assert_eq!(graph.version_ids(id).await, ["1.0"]);
}

#[tokio::test]
async fn session_creation_refuses_what_an_upload_would() {
    // Arrange
    let graph = spawn().graph().await;
    let file = graph.upload("/f.txt", b"x").await;
    let id = file["id"].as_str().unwrap();
    graph
        .post_json(
            "/me/drive/root/children",
            json!({"name": "dir", "folder": {}}),
        )
        .await;
    let stale = graph
        .send(
            graph
                .request(
                    Method::POST,
                    &format!("/me/drive/items/{id}/createUploadSession"),
                )
                .header("if-match", "\"{00000000-0000-0000-0000-000000000000},1\""),
        )
        .await;
    let cases = [
        (
            graph.post("/me/drive/items/999/createUploadSession").await,
            404,
            "itemNotFound",
            "Item not found",
            "an unknown item",
        ),
        (
            graph
                .post("/me/drive/items/999:/x.bin:/createUploadSession")
                .await,
            404,
            "itemNotFound",
            "Item not found",
            "an unknown parent",
        ),
        (
            graph.post("/me/drive/root:/dir:/createUploadSession").await,
            400,
            "notSupported",
            "Cannot upload content to an item representing a folder.",
            "a folder",
        ),
        (
            graph.post("/me/drive/root/createUploadSession").await,
            400,
            "notSupported",
            "Cannot upload content to an item representing a folder.",
            "the root",
        ),
        (
            graph
                .post_json(
                    "/me/drive/root:/a.bin:/createUploadSession",
                    json!({"item": {"name": "b.bin"}}),
                )
                .await,
            400,
            "invalidRequest",
            "The name in the path does not match the name in the request body.",
            "two names",
        ),
        (
            graph
                .post_json(
                    "/me/drive/root:/a.bin:/createUploadSession",
                    json!({"item": {"@microsoft.graph.conflictBehavior": "merge"}}),
                )
                .await,
            400,
            "invalidRequest",
            "Invalid value 'merge' for @microsoft.graph.conflictBehavior.",
            "an unknown conflict behavior",
        ),
        (
            graph
                .get("/me/drive/root:/a.bin:/createUploadSession")
                .await,
            405,
            "invalidRequest",
            "The HTTP method is not allowed for this resource.",
            "GET",
        ),
        (
            stale,
            412,
            "resourceModified",
            "ETag does not match current item's value",
            "a stale If-Match",
        ),
    ];

    for ((reply, status, code, message, why), expected_id) in crate::support::with_request_ids(
        cases,
        [
            "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
            "6e73e372-e233-8aca-16b1-cba95fc60262",
            "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
            "bd64a5d9-adef-e000-6c1e-186443822970",
            "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
            "9e5651b0-ef95-3636-e62b-6430f1260052",
            "aeaf52fe-be70-6064-d484-a1e7c35a0b13",
            "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
        ],
    ) {
        // Assert
        assert_eq!(reply.status.as_u16(), status, "{why}: {reply:?}");
        graph.assert_error(&reply, status, code, message, expected_id);
    }
}

#[tokio::test]
async fn cancelled_expired_guessed_and_reset_sessions_answer_404() {
    // Arrange
    let graph = spawn().graph().await;
    let path = "/me/drive/root:/x.bin:/createUploadSession";
    let cancelled = graph.open_session(path, json!({})).await;
    let expiring = graph.open_session(path, json!({})).await;
    let reset = graph.open_session(path, json!({})).await;
    let guessed = format!("{}/_upload/{}", graph.origin(), "0".repeat(32));

    // With the id the server gives the request (a reset starts them again).
    let not_found = |reply: &Reply, why: &str, request_id: &str| {
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{why}");
        graph.assert_error(reply, 404, "itemNotFound", "Item not found", request_id);
    };

    // Act / Assert: each reply is checked while the clock still reads its date.
    let delete = graph.to_session(Method::DELETE, &cancelled).await;
    assert_eq!(delete.status, StatusCode::NO_CONTENT);
    assert_eq!(delete.body, Value::Null);
    not_found(
        &graph.to_session(Method::GET, &cancelled).await,
        "cancelled",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
    );
    not_found(
        &graph.to_session(Method::GET, &guessed).await,
        "guessed",
        "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
    );
    let wrong_method = graph.to_session(Method::PATCH, &reset).await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.header("allow"), "GET, PUT, POST, DELETE");
    graph.advance(899);
    assert_eq!(graph.to_session(Method::GET, &expiring).await.status, 200);
    graph.advance(1);
    not_found(
        &graph.fragment(&expiring, b"late", 0, 3).await,
        "expired",
        "9e5651b0-ef95-3636-e62b-6430f1260052",
    );
    graph.advance(-900);
    let admin = reqwest::Client::new()
        .post(graph.app.url("/__admin/reset"))
        .send()
        .await
        .unwrap();
    assert_eq!(admin.status(), 204);
    not_found(
        &graph.to_session(Method::GET, &reset).await,
        "reset",
        "e220a839-7b1d-cdaf-e4d9-71771b652c20",
    );
    assert_eq!(graph.get("/me/drive/root:/x.bin").await.status, 404);
}

#[tokio::test]
async fn fifty_concurrent_sessions_to_one_file_make_fifty_versions() {
    // Arrange
    let graph = spawn().graph().await;
    let file = graph.upload("/shared.bin", b"v1").await;
    let id = file["id"].as_str().unwrap().to_owned();
    let path = format!("/me/drive/items/{id}/createUploadSession");
    let mut urls = Vec::new();
    for _ in 0..50 {
        urls.push(graph.open_session(&path, json!({})).await);
    }

    // Act: every session sends its two fragments at once with the others.
    let mut uploads = JoinSet::new();
    for (n, url) in urls.into_iter().enumerate() {
        let client = graph.app.client.clone();
        uploads.spawn(async move {
            let body = pattern(200 + n, n as u8);
            let put = |start: usize, end: usize| {
                client
                    .put(&url)
                    .header(
                        "content-range",
                        format!("bytes {start}-{end}/{}", body.len()),
                    )
                    .body(body[start..=end].to_vec())
                    .send()
            };
            let head = put(0, 99).await.unwrap().status();
            let tail = put(100, body.len() - 1).await.unwrap();
            let status = tail.status();
            let item: Value = tail.json().await.unwrap();
            (head, status, item["size"].clone(), body.len())
        });
    }
    let results = uploads.join_all().await;

    // Assert
    for (head, tail, size, len) in results {
        assert_eq!((head, tail), (StatusCode::ACCEPTED, StatusCode::OK));
        assert_eq!(size, len);
    }
    let versions = graph
        .get(&format!("/me/drive/items/{id}/versions?$top=100"))
        .await;
    let sizes: Vec<u64> = versions.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["size"].as_u64().unwrap())
        .collect();
    assert_eq!(sizes.len(), 51);
    let mut uploaded: Vec<u64> = sizes[..50].to_vec();
    uploaded.sort_unstable();
    assert_eq!(uploaded, (200..250).collect::<Vec<u64>>());
}

#[tokio::test]
async fn a_fault_rule_answers_a_fragment_and_the_journal_records_it() {
    // Arrange
    let graph = spawn().graph().await;
    let admin = reqwest::Client::new();
    let rule = admin
        .post(graph.app.url("/__admin/faults"))
        .json(&json!({
            "match": {"api": "graph", "method": "PUT", "path": "/_upload/*"},
            "action": {"type": "error", "status": 503, "retry_after": 2},
            "times": 1
        }))
        .send()
        .await
        .unwrap();
    let file = pattern(20, 6);
    let url = graph
        .open_session("/me/drive/root:/flaky.bin:/createUploadSession", json!({}))
        .await;

    // Act
    let failed = graph.fragment(&url, &file, 0, 19).await;
    let retried = graph.fragment(&url, &file, 0, 19).await;
    let journal: Value = admin
        .get(graph.app.url("/__admin/requests?method=PUT"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    // Assert
    assert_eq!(rule.status(), 201);
    assert_eq!(failed.header("retry-after"), "2");
    graph.assert_error(
        &failed,
        503,
        "serviceNotAvailable",
        "The service is not available. Try the request again after a delay.",
        "910a2dec-8902-5cc1-f320-3e9039f4a821",
    );
    assert_eq!(retried.status, StatusCode::CREATED);
    let me = json!(ME_ID);
    let entries: Vec<(Value, Value, Value, Value)> = journal["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].clone(),
                e["status"].clone(),
                e["fault"].clone(),
                e["user"].clone(),
            )
        })
        .collect();
    let path = url.strip_prefix(&graph.origin()).unwrap();
    assert_eq!(
        entries,
        [
            (json!(path), json!(503), json!(1), me.clone()),
            (json!(path), json!(201), Value::Null, me),
        ]
    );
}

#[tokio::test]
async fn upload_urls_repeat_after_a_reset_and_across_runs_with_the_same_frozen_clock() {
    // Arrange: two servers started frozen at the same instant.
    // Both on the clock frozen at `NOW`, as every test's is.
    let first = spawn().start().await.emulator;
    let second = spawn().start().await.emulator;
    let client = reqwest::Client::new();
    let open = |emulator: &restore_mock::Emulator| {
        let request = client
            .post(emulator.url("/v1.0/me/drive/root:/r.bin:/createUploadSession"))
            .bearer_auth("replay-token");
        let origin = emulator.uri();
        async move {
            let body: Value = request.send().await.unwrap().json().await.unwrap();
            let url = body["uploadUrl"].as_str().unwrap();
            url.strip_prefix(&origin).unwrap().to_owned()
        }
    };

    // Act
    let a = open(&first).await;
    let b = open(&first).await;
    let reset = client
        .post(first.url("/__admin/reset"))
        .send()
        .await
        .unwrap();
    let after_reset = open(&first).await;
    let other_run = open(&second).await;

    // Assert
    assert_eq!(reset.status(), 204);
    assert_ne!(a, b, "each session has its own token");
    assert_eq!(after_reset, a, "a reset restarts the token sequence");
    assert_eq!(other_run, a, "the same frozen start gives the same tokens");
}

/// Graph wants fragments in multiples of 320 KiB but for the last; the real service takes others
/// (msgraph-core's off-by-one ranges complete:
/// <https://github.com/microsoftgraph/msgraph-sdk-python-core/blob/main/src/msgraph_core/tasks/large_file_upload.py>),
/// and so does the emulator, with a warning in the journal.
#[tokio::test]
async fn a_fragment_off_the_320_kib_grid_is_taken_with_a_warning_in_the_journal() {
    // Arrange: 320 KiB, then 320 KiB and one byte, then the one-byte rest.
    const KIB_320: usize = 320 * 1024;
    let graph = spawn().graph().await;
    let file = pattern(2 * KIB_320 + 2, 7);
    let url = graph
        .open_session("/me/drive/root:/grid.bin:/createUploadSession", json!({}))
        .await;

    // Act
    let on_grid = graph.fragment(&url, &file, 0, KIB_320 - 1).await;
    let off_grid = graph.fragment(&url, &file, KIB_320, 2 * KIB_320).await;
    let last = graph
        .fragment(&url, &file, 2 * KIB_320 + 1, 2 * KIB_320 + 1)
        .await;
    let journal = graph.app.emulator.requests(&JournalFilter {
        method: Some("PUT".into()),
        ..JournalFilter::default()
    });

    // Assert
    let statuses = [on_grid.status, off_grid.status, last.status];
    assert_eq!(
        statuses,
        [202, 202, 201].map(|s| StatusCode::from_u16(s).unwrap())
    );
    let warnings: Vec<Option<&str>> = journal.iter().map(|e| e.warning.as_deref()).collect();
    assert_eq!(
        warnings,
        [
            None,
            Some(
                "a fragment of 327681 bytes, not a multiple of 320 KiB (327680 bytes): \
                 Graph asks that of every fragment but the last"
            ),
            None,
        ]
    );
}
