//! Box's checks before and after an upload: the preflight (`OPTIONS …/content`) refuses a bad
//! or too large `size` and a bad name as the upload would, uploads are taken with a trailing
//! slash as rclone sends them, and a committed session's `DELETE` answers `204`.

use reqwest::{Method, StatusCode};
use restore_mock::Config;
use serde_json::{json, Value};

use crate::box_sessions::{commit, open, parts, pattern, put_part, SIZE};
use crate::support::box_api::*;
use crate::support::spawn;

/// A table row: why, the path (empty for the new version's), the body, the expected reply by
/// request id.
type Case = (&'static str, &'static str, Value, fn(&str) -> Value);

fn file_too_large(request_id: &str, size: u64) -> Value {
    error_json(
        request_id,
        403,
        "file_size_limit_exceeded",
        &format!("The file's {size} bytes are over the limit of 1000000 bytes (--max-file-size)."),
        None,
    )
}

fn name_invalid(request_id: &str, message: &str) -> Value {
    error_json(
        request_id,
        400,
        "item_name_invalid",
        "Item name invalid",
        Some(
            json!({"errors": [{"reason": "invalid_parameter", "name": "name", "message": message}]}),
        ),
    )
}

#[tokio::test]
async fn a_preflight_refuses_a_bad_size_a_size_over_the_limit_and_a_bad_name() {
    // Arrange
    let app = spawn()
        .config(Config {
            max_file_size: Some(1_000_000),
            ..Config::default()
        })
        .start()
        .await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let new_file = "/2.0/files/content";
    let new_version = format!("/2.0/files/{f}/content");
    let cases: [Case; 8] = [
        (
            "a negative size",
            new_file,
            json!({"name": "b.txt", "size": -1, "parent": {"id": "0"}}),
            |id| bad_size_of(id, "-1"),
        ),
        (
            "a size that is not a number",
            new_file,
            json!({"name": "b.txt", "size": "ten", "parent": {"id": "0"}}),
            |id| bad_size_of(id, "\"ten\""),
        ),
        (
            "a fractional size",
            new_file,
            json!({"name": "b.txt", "size": 1.5, "parent": {"id": "0"}}),
            |id| bad_size_of(id, "1.5"),
        ),
        (
            "a size over --max-file-size",
            new_file,
            json!({"name": "b.txt", "size": 1_000_001, "parent": {"id": "0"}}),
            |id| file_too_large(id, 1_000_001),
        ),
        (
            "a name with a slash",
            new_file,
            json!({"name": "a/b.txt", "size": 3, "parent": {"id": "0"}}),
            |id| {
                name_invalid(
                    id,
                    "\"a/b.txt\": the name contains a character that is not allowed",
                )
            },
        ),
        (
            "a name of spaces",
            new_file,
            json!({"name": "  ", "size": 3, "parent": {"id": "0"}}),
            |id| name_invalid(id, "\"  \": the name is empty"),
        ),
        (
            "a new version with a negative size",
            "",
            json!({"size": -5}),
            |id| bad_size_of(id, "-5"),
        ),
        (
            "a new version over --max-file-size",
            "",
            json!({"size": 2_000_000}),
            |id| file_too_large(id, 2_000_000),
        ),
    ];
    let ids = [
        "vyh6gf7h6pw8mme7",
        "1iqybveasnwi9py5",
        "jy7327635gmk3m5w",
        "d95it76emao82qkv",
        "bz54cz2iuj32wwyx",
        "vwg6yy95fp0e33t8",
        "ycktnh30wucomkh9",
        "ispcx3sevmwf24kd",
    ];
    for ((case, path, body, expected), request_id) in crate::support::with_request_ids(cases, ids) {
        let path = if path.is_empty() {
            new_version.as_str()
        } else {
            path
        };

        // Act
        let Reply { status, body, .. } =
            send(request(&app, Method::OPTIONS, path).json(&body)).await;

        // Assert
        let expected = expected(request_id);
        assert_eq!(status.as_u16(), expected["status"], "{case}: {body}");
        assert_eq!(body, expected, "{case}");
    }
    // Read back: nothing was made, the file is unchanged.
    let Reply { body: root, .. } = get(&app, "/2.0/folders/0/items?fields=name").await;
    assert_eq!(
        root["entries"],
        json!([{"type": "file", "id": f, "etag": "0", "name": "a.txt"}])
    );
}

fn bad_size_of(request_id: &str, value: &str) -> Value {
    bad_request(
        request_id,
        "invalid_parameter",
        "size",
        &format!("Invalid value '{value}'. Expected a size in bytes, 0 or more."),
    )
}

#[tokio::test]
async fn a_preflight_takes_a_size_of_zero_and_one_at_the_limit() {
    // Arrange
    let app = spawn()
        .config(Config {
            max_file_size: Some(1_000_000),
            ..Config::default()
        })
        .start()
        .await;

    for size in [0, 1_000_000] {
        // Act
        let Reply { status, body, .. } = send(
            request(&app, Method::OPTIONS, "/2.0/files/content")
                .json(&json!({"name": "b.txt", "size": size, "parent": {"id": "0"}})),
        )
        .await;

        // Assert
        assert_eq!(status, StatusCode::OK, "{size}: {body}");
        assert_eq!(
            body,
            json!({"upload_url": format!("{}/api/2.0/files/content", app.emulator.uri())})
        );
    }
}

#[tokio::test]
async fn an_upload_is_taken_with_a_trailing_slash_on_both_prefixes() {
    // Arrange
    let app = spawn().start().await;

    for (path, name) in [
        ("/2.0/files/content/", "a.txt"),
        ("/api/2.0/files/content/", "b.txt"),
    ] {
        // Act
        let attributes = json!({"name": name, "parent": {"id": "0"}}).to_string();
        let Reply { status, body, .. } = send_upload(&app, path, &attributes, b"slash").await;

        // Assert
        assert_eq!(status, StatusCode::CREATED, "{path}: {body}");
        assert_eq!(body["entries"][0]["name"], name, "{path}");
        assert_file_shape(&body["entries"][0]);
    }
    let Reply { body: root, .. } = get(&app, "/2.0/folders/0/items?fields=name").await;
    assert_eq!(
        root["entries"],
        json!([
            {"type": "file", "id": "1000000002", "etag": "0", "name": "a.txt"},
            {"type": "file", "id": "1000000003", "etag": "0", "name": "b.txt"},
        ])
    );
}

#[tokio::test]
async fn a_committed_sessions_delete_is_204_then_404_and_its_other_urls_are_404() {
    // Arrange: a session committed to a file.
    let app = spawn().start().await;
    let file = pattern(SIZE, 3);
    let session = open(
        &app,
        "/api/2.0/files/upload_sessions",
        json!({"folder_id": "0", "file_size": SIZE, "file_name": "big.bin"}),
    )
    .await;
    let url = session["session_endpoints"]["upload_part"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut uploaded = Vec::new();
    for (start, end) in parts() {
        let Reply { body, .. } = send(put_part(&app, &url, &file, start, end)).await;
        uploaded.push(body["part"].clone());
    }
    let Reply { status, .. } = send(commit(&app, &session, &uploaded, &file)).await;
    assert_eq!(status, StatusCode::CREATED);

    let path = url.strip_prefix(&app.emulator.uri()).unwrap();

    // Act
    let status_after = get(&app, path).await;
    let parts_after = get(&app, &format!("{path}/parts")).await;
    let again = send(commit(&app, &session, &uploaded, &file)).await;
    let abort = send(request(&app, Method::DELETE, path)).await;
    let abort_again = send(request(&app, Method::DELETE, path)).await;

    // Assert
    assert_eq!(
        (status_after.status, status_after.body),
        (StatusCode::NOT_FOUND, not_found("bz54cz2iuj32wwyx"))
    );
    assert_eq!(
        (parts_after.status, parts_after.body),
        (StatusCode::NOT_FOUND, not_found("vwg6yy95fp0e33t8"))
    );
    assert_eq!(
        (again.status, again.body),
        (StatusCode::NOT_FOUND, not_found("ycktnh30wucomkh9"))
    );
    assert_eq!(
        (abort.status, abort.body),
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(
        (abort_again.status, abort_again.body),
        (StatusCode::NOT_FOUND, not_found("5nsjyz48o9wragcz"))
    );
    // Read back: the file the commit made is still there, with one version.
    let Reply { body: root, .. } = get(&app, "/2.0/folders/0/items?fields=name,size").await;
    assert_eq!(root["total_count"], 1);
    assert_eq!(root["entries"][0]["name"], "big.bin");
    assert_eq!(root["entries"][0]["size"], SIZE);
}
