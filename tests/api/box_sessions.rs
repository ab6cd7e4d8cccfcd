//! Box chunked uploads: sessions for new files and new versions under both prefixes, parts in
//! any order and in parallel, listing, status, abort, expiry, commit, plan and preflight, read
//! back after each commit. Shapes are checked against Box's OpenAPI schemas (`UploadSession`,
//! `UploadedPart`, `UploadParts`).

use base64::Engine;
use bytes::Bytes;
use chrono::TimeDelta;
use reqwest::{Method, StatusCode};
use restore_mock::content::Content;
use serde_json::{json, Value};
use tokio::task::JoinSet;

use crate::support::box_api::*;
use crate::support::spawn;
use crate::support::{send, TestApp};

/// The smallest file Box takes in a session, and the part size the emulator picks for it.
pub const SIZE: usize = 20_000_000;
pub const PART: usize = 8 * 1024 * 1024;

pub fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(7).wrapping_add(seed) ^ (i >> 13) as u8)
        .collect()
}

pub fn digest(bytes: &[u8]) -> String {
    let content = Content::new(Bytes::copy_from_slice(bytes));
    format!(
        "sha={}",
        base64::engine::general_purpose::STANDARD.encode(content.sha1())
    )
}

/// The `[start, end]` ranges of each part of a `SIZE`-byte file.
pub fn parts() -> [(usize, usize); 3] {
    [(0, PART - 1), (PART, 2 * PART - 1), (2 * PART, SIZE - 1)]
}

/// `UploadSession` as the schema describes it, with the emulator's own values.
fn session_json(app: &TestApp, prefix: &str, id: &str, processed: usize) -> Value {
    let base = format!("{}{prefix}/files/upload_sessions/{id}", app.emulator.uri());
    json!({
        "id": id,
        "type": "upload_session",
        "session_expires_at": "2024-06-08T10:00:00+00:00",
        "part_size": PART,
        "total_parts": 3,
        "num_parts_processed": processed,
        "session_endpoints": {
            "upload_part": base,
            "commit": format!("{base}/commit"),
            "abort": base,
            "list_parts": format!("{base}/parts"),
            "status": base,
            "log_event": format!("{base}/log"),
            "plan": format!("{base}/plan"),
        },
    })
}

/// `UploadPart`: an 8-hex-digit id, the offset and size asked for, the part's SHA-1 in hex.
fn assert_part(part: &Value, offset: usize, bytes: &[u8]) {
    let id = part["part_id"].as_str().expect("part_id");
    assert!(
        id.len() == 8 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{part}"
    );
    assert_eq!(
        *part,
        json!({"part_id": id, "offset": offset, "size": bytes.len(), "sha1": sha1(bytes)})
    );
}

pub async fn open(app: &TestApp, path: &str, body: Value) -> Value {
    let Reply {
        status,
        body: session,
        ..
    } = send_json(app, Method::POST, path, body).await;
    assert_eq!(status, 201, "{session}");
    session
}

pub fn put_part(
    app: &TestApp,
    url: &str,
    file: &[u8],
    start: usize,
    end: usize,
) -> reqwest::RequestBuilder {
    app.client
        .put(url)
        .bearer_auth(TOKEN)
        .header("digest", digest(&file[start..=end]))
        .header(
            "content-range",
            format!("bytes {start}-{end}/{}", file.len()),
        )
        .body(file[start..=end].to_vec())
}

/// Uploads every part in order and returns the parts as the server answered them.
async fn upload_all(app: &TestApp, url: &str, file: &[u8]) -> Vec<Value> {
    let mut uploaded = Vec::new();
    for (start, end) in parts() {
        let Reply { status, body, .. } = send(put_part(app, url, file, start, end)).await;
        assert_eq!(status, 200, "{body}");
        uploaded.push(body["part"].clone());
    }
    uploaded
}

pub fn commit(
    app: &TestApp,
    session: &Value,
    parts: &[Value],
    file: &[u8],
) -> reqwest::RequestBuilder {
    app.client
        .post(session["session_endpoints"]["commit"].as_str().unwrap())
        .bearer_auth(TOKEN)
        .header("digest", digest(file))
        .json(&json!({"parts": parts}))
}

#[tokio::test]
async fn a_new_file_arrives_in_parallel_parts_in_any_order_and_commits_to_one_file() {
    // Arrange
    let app = spawn().start().await;
    let file = pattern(SIZE, 1);
    let session = open(
        &app,
        "/api/2.0/files/upload_sessions",
        json!({"folder_id": "0", "file_size": SIZE, "file_name": "big.bin"}),
    )
    .await;
    let id = session["id"].as_str().unwrap().to_owned();
    let url = session["session_endpoints"]["upload_part"]
        .as_str()
        .unwrap()
        .to_owned();

    // Act: the three parts at once, last first.
    let mut uploads = JoinSet::new();
    for (start, end) in parts().into_iter().rev() {
        let request = put_part(&app, &url, &file, start, end);
        uploads.spawn(async move { (start, send(request).await) });
    }
    let replies = uploads.join_all().await;
    let Reply { body: status, .. } =
        get(&app, &format!("/api/2.0/files/upload_sessions/{id}")).await;
    let Reply { body: listed, .. } =
        get(&app, &format!("/api/2.0/files/upload_sessions/{id}/parts")).await;
    let entries = listed["entries"].as_array().unwrap().clone();
    let committed = send(commit(&app, &session, &entries, &file)).await;

    // Assert
    assert!(id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(session, session_json(&app, "/api/2.0", &id, 0));
    for (
        start,
        Reply {
            status: code, body, ..
        },
    ) in replies
    {
        let end = parts().into_iter().find(|p| p.0 == start).unwrap().1;
        assert_eq!(code, 200, "{body}");
        assert_part(&body["part"], start, &file[start..=end]);
    }
    assert_eq!(status, session_json(&app, "/api/2.0", &id, 3));
    for (entry, (start, end)) in entries.iter().zip(parts()) {
        assert_part(entry, start, &file[start..=end]);
    }
    assert_eq!(
        listed,
        json!({"entries": entries, "limit": 1000, "offset": 0,
               "order": [{"by": "offset", "direction": "ASC"}], "total_count": 3})
    );
    assert_eq!(committed.status, 201, "{}", committed.body);
    let entry = &committed.body["entries"][0];
    assert_eq!(committed.body["total_count"], 1);
    assert_file_shape(entry);
    assert_eq!(entry["name"], "big.bin");
    assert_eq!(entry["size"], SIZE);
    assert_eq!(entry["sha1"], sha1(&file));
    // Read back: the file, its bytes, and the session is gone.
    let file_id = id_of(entry);
    let Reply { body: read, .. } = get(&app, &format!("/2.0/files/{file_id}")).await;
    assert_eq!(read["file_version"], entry["file_version"]);
    let download = request(&app, Method::GET, &format!("/2.0/files/{file_id}/content"))
        .send()
        .await
        .unwrap();
    let location = download.headers()["location"].to_str().unwrap().to_owned();
    let bytes = app
        .client
        .get(location)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(bytes == file, "the downloaded bytes are the uploaded ones");
    let Reply {
        status: gone, body, ..
    } = get(&app, &format!("/api/2.0/files/upload_sessions/{id}")).await;
    assert_eq!(
        (gone.as_u16(), body.clone()),
        (404, not_found("auz3cuf5o5pf3leh"))
    );
}

pub fn id_of(entry: &Value) -> String {
    entry["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_version_session_under_2_0_adds_one_version_and_renames() {
    // Arrange
    let app = spawn().start().await;
    let first = upload(&app, "0", "old.txt", b"version one").await;
    let file_id = id_of(&first);
    let file = pattern(SIZE, 2);

    // Act: no Content-Type on the session body, as legacy boxsdk posts it.
    let created = app
        .client
        .post(app.url(&format!("/2.0/files/{file_id}/upload_sessions")))
        .bearer_auth(TOKEN)
        .body(json!({"file_size": SIZE, "file_name": "new.bin"}).to_string())
        .send()
        .await
        .unwrap();
    let Reply {
        status,
        body: session,
        ..
    } = crate::support::read_reply(created).await;
    let url = session["session_endpoints"]["upload_part"]
        .as_str()
        .unwrap()
        .to_owned();
    let parts = upload_all(&app, &url, &file).await;
    let Reply {
        status: code,
        body: committed,
        ..
    } = send(commit(&app, &session, &parts, &file)).await;

    // Assert
    assert_eq!(status, 201, "{session}");
    assert_eq!(
        session,
        session_json(&app, "/2.0", session["id"].as_str().unwrap(), 0)
    );
    assert_eq!(code, 201, "{committed}");
    let entry = &committed["entries"][0];
    assert_eq!(entry["id"], file_id.as_str());
    assert_eq!(entry["name"], "new.bin");
    assert_eq!(entry["sha1"], sha1(&file));
    let versions = list_versions(&app, &file_id).await;
    assert_eq!(
        versions["total_count"], 1,
        "one previous version: {versions}"
    );
    assert_eq!(versions["entries"][0]["sha1"], sha1(b"version one"));
}

#[tokio::test]
async fn session_creation_refuses_bad_bodies_with_boxs_codes() {
    // Arrange
    let app = spawn().start().await;
    let taken = upload(&app, "0", "taken.bin", b"x").await;
    let taken_id = id_of(&taken);
    let new = "/api/2.0/files/upload_sessions";
    let cases = [
        (
            new,
            json!({"file_size": SIZE, "file_name": "a"}),
            400,
            "missing_destination",
            "A folder_id is required",
            "no folder",
        ),
        (
            new,
            json!({"folder_id": "abc", "file_size": SIZE, "file_name": "a"}),
            400,
            "invalid_folder_id",
            "The folder_id is not valid",
            "a folder id that is not a number",
        ),
        (
            new,
            json!({"folder_id": "0", "file_name": "a"}),
            400,
            "missing_file_size",
            "A file_size is required",
            "no size",
        ),
        (
            new,
            json!({"folder_id": "0", "file_size": -5, "file_name": "a"}),
            400,
            "invalid_file_size",
            "The file_size is not valid",
            "a negative size",
        ),
        (
            new,
            json!({"folder_id": "0", "file_size": "big", "file_name": "a"}),
            400,
            "invalid_file_size",
            "The file_size is not valid",
            "a size that is not a number",
        ),
        (
            new,
            json!({"folder_id": "0", "file_size": 19_999_999, "file_name": "a"}),
            400,
            "file_size_too_small",
            "The file size is too small for a chunked upload session",
            "one byte under the minimum",
        ),
        (
            new,
            json!({"folder_id": "0", "file_size": SIZE}),
            400,
            "missing_file_name",
            "A file_name is required",
            "no name",
        ),
        (
            new,
            json!({"folder_id": "999", "file_size": SIZE, "file_name": "a"}),
            404,
            "not_found",
            "Not Found",
            "an unknown folder",
        ),
        (
            "/api/2.0/files/999/upload_sessions",
            json!({"file_size": SIZE}),
            404,
            "not_found",
            "Not Found",
            "an unknown file",
        ),
    ];

    for ((path, body, status, code, message, why), expected_id) in crate::support::with_request_ids(
        cases,
        [
            "vyh6gf7h6pw8mme7",
            "1iqybveasnwi9py5",
            "jy7327635gmk3m5w",
            "d95it76emao82qkv",
            "bz54cz2iuj32wwyx",
            "vwg6yy95fp0e33t8",
            "ycktnh30wucomkh9",
            "ispcx3sevmwf24kd",
            "5nsjyz48o9wragcz",
        ],
    ) {
        // Act
        let Reply {
            status: got,
            body: reply,
            ..
        } = send_json(&app, Method::POST, path, body).await;

        // Assert
        assert_eq!(got.as_u16(), status, "{why}: {reply}");
        assert_eq!(
            reply,
            error_json(expected_id, status, code, message, None),
            "{why}"
        );
    }
    let Reply {
        status,
        body: clash,
        ..
    } = send_json(
        &app,
        Method::POST,
        new,
        json!({"folder_id": "0", "file_size": SIZE, "file_name": "taken.bin"}),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(clash["code"], "item_name_in_use");
    assert_eq!(clash["context_info"]["conflicts"]["id"], taken_id.as_str());
}

#[tokio::test]
async fn bad_parts_are_refused_and_leave_the_session_as_it_was() {
    // Arrange
    let app = spawn().start().await;
    let file = pattern(SIZE, 3);
    let session = open(
        &app,
        "/api/2.0/files/upload_sessions",
        json!({"folder_id": 0, "file_size": SIZE, "file_name": "p.bin"}),
    )
    .await;
    let url = session["session_endpoints"]["upload_part"]
        .as_str()
        .unwrap()
        .to_owned();
    let Reply { status, .. } = send(put_part(&app, &url, &file, 0, PART - 1)).await;
    assert_eq!(status, 200);
    let part = |range: &str, digest_header: Option<String>, body: Vec<u8>| {
        let mut builder = app.client.put(&url).bearer_auth(TOKEN).body(body);
        if !range.is_empty() {
            builder = builder.header("content-range", range.to_owned());
        }
        if let Some(value) = digest_header {
            builder = builder.header("digest", value);
        }
        builder
    };
    let second = file[PART..2 * PART].to_vec();
    let good = || Some(digest(&second));
    let range = format!("bytes {PART}-{}/{SIZE}", 2 * PART - 1);
    let range_416 = (
        416,
        "range_not_satisfiable",
        "The content range does not match a part of this upload session",
    );
    let missing = |name| Some(("missing_parameter", name, format!("'{name}' is required")));
    let invalid = |name, message: &str| Some(("invalid_parameter", name, message.to_owned()));
    let sha = "Expected 'sha=<base64 SHA-1>'";
    let cases = [
        (
            part(&range, None, second.clone()),
            400,
            "no digest",
            missing("digest"),
        ),
        (
            part(&range, Some("md5=abc".into()), second.clone()),
            400,
            "another algorithm",
            invalid("digest", sha),
        ),
        (
            part(&range, Some(digest(b"other")), second.clone()),
            412,
            "a wrong digest",
            None,
        ),
        (
            part("", good(), second.clone()),
            400,
            "no content-range",
            missing("content-range"),
        ),
        (
            part("bytes 1-2", good(), second.clone()),
            400,
            "a malformed content-range",
            invalid("content-range", "Expected 'bytes <start>-<end>/<total>'"),
        ),
        (
            part(&format!("bytes 1-{PART}/{SIZE}"), good(), second.clone()),
            416,
            "off the grid",
            None,
        ),
        (
            part(
                &format!("bytes {PART}-{}/{SIZE}", PART + 9),
                Some(digest(&second[..10])),
                second[..10].to_vec(),
            ),
            416,
            "a short middle part",
            None,
        ),
        (
            part(
                &format!("bytes {PART}-{}/{}", 2 * PART - 1, SIZE + 1),
                good(),
                second.clone(),
            ),
            416,
            "another total",
            None,
        ),
        (
            part(
                &format!("bytes 0-{}/{SIZE}", PART - 1),
                Some(digest(&file[..PART])),
                file[..PART].to_vec(),
            ),
            409,
            "a part already uploaded",
            None,
        ),
        (
            part(&range, Some(digest(&second[1..])), second[1..].to_vec()),
            400,
            "a body shorter than its range",
            invalid(
                "content-range",
                "The content range does not match the length of the body",
            ),
        ),
    ];

    // Each case's request id: the third to the twelfth this server answers.
    let ids = [
        "1iqybveasnwi9py5",
        "jy7327635gmk3m5w",
        "d95it76emao82qkv",
        "bz54cz2iuj32wwyx",
        "vwg6yy95fp0e33t8",
        "ycktnh30wucomkh9",
        "ispcx3sevmwf24kd",
        "5nsjyz48o9wragcz",
        "auz3cuf5o5pf3leh",
        "ov3gk4eju4ge2rac",
    ];
    for ((request, status, why, param), request_id) in crate::support::with_request_ids(cases, ids)
    {
        // Act
        let Reply {
            status: got, body, ..
        } = send(request).await;

        // Assert
        assert_eq!(got.as_u16(), status, "{why}: {body}");
        let expected = match (status, param) {
            (400, Some((reason, name, message))) => bad_request(request_id, reason, name, &message),
            (409, _) => error_json(
                request_id,
                409,
                "range_overlap",
                "The part overlaps a part already uploaded to this session",
                None,
            ),
            (412, _) => error_json(
                request_id,
                412,
                "digest_mismatch",
                "The digest of the part does not match its content",
                None,
            ),
            _ => error_json(request_id, range_416.0, range_416.1, range_416.2, None),
        };
        assert_eq!(body, expected, "{why}");
    }
    let Reply { body: status, .. } = get(
        &app,
        &format!(
            "/api/2.0/files/upload_sessions/{}",
            session["id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(status["num_parts_processed"], 1);
}

#[tokio::test]
async fn commits_that_do_not_match_the_upload_are_refused_and_a_good_one_then_succeeds() {
    // Arrange
    let app = spawn().start().await;
    let file = pattern(SIZE, 4);
    let session = open(
        &app,
        "/api/2.0/files/upload_sessions",
        json!({"folder_id": "0", "file_size": SIZE, "file_name": "c.bin"}),
    )
    .await;
    let url = session["session_endpoints"]["upload_part"]
        .as_str()
        .unwrap()
        .to_owned();
    let commit_url = session["session_endpoints"]["commit"]
        .as_str()
        .unwrap()
        .to_owned();
    let Reply { body: first, .. } = send(put_part(&app, &url, &file, 0, PART - 1)).await;

    // Act / Assert: before every part is in.
    let Reply { status, body, .. } =
        send(commit(&app, &session, &[first["part"].clone()], &file)).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        error_json(
            "1iqybveasnwi9py5",
            400,
            "parts_mismatch",
            "No matching part found on server",
            None
        )
    );
    let Reply { body: second, .. } = send(put_part(&app, &url, &file, PART, 2 * PART - 1)).await;
    let Reply { body: third, .. } = send(put_part(&app, &url, &file, 2 * PART, SIZE - 1)).await;
    let all = [
        first["part"].clone(),
        second["part"].clone(),
        third["part"].clone(),
    ];
    let mut wrong_id = all.clone();
    wrong_id[1]["part_id"] = json!("00000000");
    let cases = [
        (
            commit(&app, &session, &all[..2], &file),
            "parts_mismatch",
            "No matching part found on server",
            "a part left out",
        ),
        (
            commit(&app, &session, &wrong_id, &file),
            "parts_mismatch",
            "No matching part found on server",
            "a wrong part id",
        ),
        (
            commit(&app, &session, &all, b"another file"),
            "digest_mismatch",
            "File digest was incorrect.",
            "a wrong file digest",
        ),
    ];
    // Each case's request id: the sixth to the eighth this server answers.
    let ids = ["bz54cz2iuj32wwyx", "vwg6yy95fp0e33t8", "ycktnh30wucomkh9"];
    for ((request, code, message, why), request_id) in crate::support::with_request_ids(cases, ids)
    {
        let Reply { status, body, .. } = send(request).await;
        assert_eq!(status, 400, "{why}: {body}");
        assert_eq!(
            body,
            error_json(request_id, 400, code, message, None),
            "{why}"
        );
    }
    let Reply { status, body, .. } = send(
        app.client
            .post(&commit_url)
            .bearer_auth(TOKEN)
            .json(&json!({"parts": all})),
    )
    .await;
    assert_eq!(status, 400, "no digest: {body}");
    assert_eq!(
        body,
        bad_request(
            "ispcx3sevmwf24kd",
            "missing_parameter",
            "digest",
            "'digest' is required"
        )
    );
    // Parts listed in another order still name the same parts.
    let mut reordered = all.to_vec();
    reordered.reverse();
    let Reply {
        status,
        body: committed,
        ..
    } = send(commit(&app, &session, &reordered, &file)).await;
    assert_eq!(status, 201, "{committed}");
    let Reply {
        status: again,
        body,
        ..
    } = send(commit(&app, &session, &all, &file)).await;
    assert_eq!(
        (again.as_u16(), body.clone()),
        (404, not_found("auz3cuf5o5pf3leh"))
    );
    let file_id = id_of(&committed["entries"][0]);
    assert_eq!(committed["entries"][0]["sha1"], sha1(&file));
    assert_eq!(
        list_versions(&app, &file_id).await["total_count"],
        0,
        "one version only"
    );
}

#[tokio::test]
async fn aborted_expired_and_other_users_sessions_answer_404() {
    // Arrange
    let app = spawn().start().await;
    let body = json!({"folder_id": "0", "file_size": SIZE, "file_name": "x.bin"});
    let aborted = open(&app, "/api/2.0/files/upload_sessions", body.clone()).await;
    let expiring = open(&app, "/api/2.0/files/upload_sessions", body.clone()).await;
    let abort_url = aborted["session_endpoints"]["abort"].as_str().unwrap();
    let status_url = |s: &Value| {
        s["session_endpoints"]["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    // Act
    let Reply {
        status: deleted,
        body: nothing,
        ..
    } = send(app.client.delete(abort_url).bearer_auth(TOKEN)).await;
    let Reply {
        status: after,
        body: after_body,
        ..
    } = send(app.client.get(status_url(&aborted)).bearer_auth(TOKEN)).await;
    let Reply {
        status: other,
        body: other_body,
        ..
    } = send(
        app.client
            .get(status_url(&expiring))
            .bearer_auth("someone-else"),
    )
    .await;
    app.emulator
        .clock()
        .advance(TimeDelta::days(7) - TimeDelta::seconds(1));
    let Reply { status: alive, .. } =
        send(app.client.get(status_url(&expiring)).bearer_auth(TOKEN)).await;
    app.emulator.clock().advance(TimeDelta::seconds(1));
    let Reply {
        status: expired,
        body: expired_body,
        ..
    } = send(app.client.get(status_url(&expiring)).bearer_auth(TOKEN)).await;

    // Assert
    assert_eq!((deleted.as_u16(), nothing), (204, Value::Null));
    assert_eq!(
        (after.as_u16(), after_body.clone()),
        (404, not_found("jy7327635gmk3m5w"))
    );
    assert_eq!(
        (other.as_u16(), other_body.clone()),
        (404, not_found("d95it76emao82qkv"))
    );
    assert_eq!(alive, 200);
    assert_eq!(
        (expired.as_u16(), expired_body.clone()),
        (404, not_found("vwg6yy95fp0e33t8"))
    );
}

#[tokio::test]
async fn the_plan_call_reports_every_part_missing_and_preflight_answers_as_the_upload_would() {
    // Arrange
    let app = spawn().start().await;
    let taken = upload(&app, "0", "taken.txt", b"x").await;
    let taken_id = id_of(&taken);
    let session = open(
        &app,
        "/api/2.0/files/upload_sessions",
        json!({"folder_id": "0", "file_size": SIZE, "file_name": "plan.bin"}),
    )
    .await;
    let asked = json!([{"offset": 0, "size": PART, "sha512": "ab".repeat(64)}]);

    // Act
    let plan = app
        .client
        .post(session["session_endpoints"]["plan"].as_str().unwrap())
        .bearer_auth(TOKEN)
        .json(&json!({"parts": asked}));
    let Reply {
        status: plan_status,
        body: plan,
        ..
    } = send(plan).await;
    let preflight =
        |path: &str, body: Value| send(request(&app, Method::OPTIONS, path).json(&body));
    let Reply {
        status: ok,
        body: ok_body,
        ..
    } = preflight(
        "/2.0/files/content",
        json!({"name": "free.txt", "size": 10, "parent": {"id": "0"}}),
    )
    .await;
    let Reply {
        status: clash,
        body: clash_body,
        ..
    } = preflight(
        "/api/2.0/files/content",
        json!({"name": "taken.txt", "parent": {"id": "0"}}),
    )
    .await;
    let Reply {
        status: missing,
        body: missing_body,
        ..
    } = preflight(
        "/2.0/files/content",
        json!({"name": "a.txt", "parent": {"id": "999"}}),
    )
    .await;
    let Reply {
        status: version,
        body: version_body,
        ..
    } = preflight(
        &format!("/2.0/files/{taken_id}/content"),
        json!({"size": 10}),
    )
    .await;
    let Reply {
        status: no_file,
        body: no_file_body,
        ..
    } = preflight("/api/2.0/files/999/content", json!({"size": 10})).await;

    // Assert
    assert_eq!(plan_status, 200);
    assert_eq!(
        plan,
        json!({"upload_session_id": session["id"], "hits": [], "misses": asked})
    );
    let origin = app.emulator.uri();
    assert_eq!(
        (ok, ok_body),
        (
            StatusCode::OK,
            json!({"upload_url": format!("{origin}/api/2.0/files/content")})
        )
    );
    assert_eq!(clash, 409);
    assert_eq!(clash_body["code"], "item_name_in_use");
    assert_eq!(
        clash_body["context_info"]["conflicts"]["id"],
        taken_id.as_str()
    );
    assert_eq!(
        (missing.as_u16(), missing_body.clone()),
        (404, not_found("bz54cz2iuj32wwyx"))
    );
    assert_eq!(
        (version, version_body),
        (
            StatusCode::OK,
            json!({"upload_url": format!("{origin}/api/2.0/files/{taken_id}/content")})
        )
    );
    assert_eq!(
        (no_file.as_u16(), no_file_body.clone()),
        (404, not_found("ycktnh30wucomkh9"))
    );
}

#[tokio::test]
async fn a_fault_can_answer_a_commit_202_with_retry_after_and_the_retry_commits() {
    // Arrange: Box's "parts not processed yet", which box_sdk_gen waits out
    // (https://github.com/box/box-python-sdk/blob/main/box_sdk_gen/networking/retries.py).
    let app = spawn().start().await;
    let file = pattern(SIZE, 5);
    let session = open(
        &app,
        "/api/2.0/files/upload_sessions",
        json!({"folder_id": "0", "file_size": SIZE, "file_name": "later.bin"}),
    )
    .await;
    let url = session["session_endpoints"]["upload_part"]
        .as_str()
        .unwrap()
        .to_owned();
    let parts = upload_all(&app, &url, &file).await;
    let Reply { status, .. } = send(app.client.post(app.url("/__admin/faults")).json(&json!({
        "match": {"api": "box", "method": "POST", "path": "*/commit"},
        "action": {"type": "error", "status": 202, "retry_after": 3},
        "times": 1
    })))
    .await;

    // Act
    let accepted = commit(&app, &session, &parts, &file).send().await.unwrap();
    let headers = accepted.headers().clone();
    let Reply {
        status: accepted_status,
        body: accepted_body,
        ..
    } = crate::support::read_reply(accepted).await;
    let Reply {
        status: still_there,
        ..
    } = send(app.client.get(&url).bearer_auth(TOKEN)).await;
    let Reply {
        status: retried,
        body: committed,
        ..
    } = send(commit(&app, &session, &parts, &file)).await;

    // Assert
    assert_eq!(status, 201);
    assert_eq!(accepted_status, 202);
    assert_eq!(accepted_body, Value::Null, "no body with a 202");
    assert_eq!(headers["retry-after"], "3");
    assert_eq!(still_there, 200, "the session waits for the retry");
    assert_eq!(retried, 201, "{committed}");
    assert_eq!(committed["entries"][0]["sha1"], sha1(&file));
}
