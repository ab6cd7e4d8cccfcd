//! Box file versions: list, get, trash, restore (PUT and POST) and promote, each read back.

use chrono::TimeDelta;
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::spawn;
use crate::support::TestApp;

/// A file with versions `v1`..`vN` on a fresh server; returns the file and the version ids,
/// oldest first.
async fn versioned(app: &TestApp, n: usize) -> (Value, Vec<String>) {
    let contents: Vec<Vec<u8>> = (1..=n).map(|i| format!("v{i}").into_bytes()).collect();
    let mut ids = Vec::new();
    let mut file = upload(app, "0", "doc.txt", &contents[0]).await;
    ids.push(id(&file["file_version"]).to_owned());
    for content in &contents[1..] {
        file = upload_version(app, id(&file), content).await;
        ids.push(id(&file["file_version"]).to_owned());
    }
    // On a fresh server version ids count up from 5000000001, so the ids the tests expect are
    // these and not whatever the uploads answered.
    let expected: Vec<String> = (1..=n).map(|i| (5_000_000_000 + i).to_string()).collect();
    assert_eq!(ids, expected);
    (file, ids)
}

fn version_path(file: &Value, version: &str) -> String {
    format!("/2.0/files/{}/versions/{version}", id(file))
}

#[tokio::test]
async fn the_list_holds_previous_versions_only_newest_first_with_offset_paging() {
    // Arrange
    let app = spawn().start().await;
    let user = user(&app);
    let (file, ids) = versioned(&app, 4).await;
    let entry =
        |i: usize| version_json(&ids[i], "doc.txt", format!("v{}", i + 1).as_bytes(), &user);

    // Act
    let all = list_versions(&app, id(&file)).await;
    let Reply { body: page, .. } = get(
        &app,
        &format!("/2.0/files/{}/versions?offset=1&limit=1", id(&file)),
    )
    .await;
    let Reply { body: clamped, .. } = get(
        &app,
        &format!("/2.0/files/{}/versions?limit=5000&offset=2", id(&file)),
    )
    .await;
    let Reply { body: beyond, .. } = get(
        &app,
        &format!("/2.0/files/{}/versions?offset=10", id(&file)),
    )
    .await;

    // Assert: the current version (v4) is never listed
    // (https://developer.box.com/reference/get-files-id-versions/;
    // https://github.com/box/boxcli/issues/174).
    assert_versions_shape(&all);
    assert_eq!(
        all,
        json!({"total_count": 3, "entries": [entry(2), entry(1), entry(0)], "limit": 1000, "offset": 0})
    );
    assert_eq!(
        page,
        json!({"total_count": 3, "entries": [entry(1)], "limit": 1, "offset": 1})
    );
    assert_eq!(
        clamped,
        json!({"total_count": 3, "entries": [entry(0)], "limit": 1000, "offset": 2})
    );
    assert_eq!(
        beyond,
        json!({"total_count": 3, "entries": [], "limit": 1000, "offset": 10})
    );
}

#[tokio::test]
async fn fields_cut_versions_to_type_id_and_what_was_asked_including_version_number() {
    // Arrange
    let app = spawn().start().await;
    let (file, ids) = versioned(&app, 3).await;

    // Act: the Python SDK percent-encodes the comma (box_sdk_gen on the wire); unknown names are
    // ignored (https://developer.box.com/guides/api-calls/request-extra-fields/).
    let Reply { body: listed, .. } = get(
        &app,
        &format!(
            "/2.0/files/{}/versions?fields=version_number%2Csize,bogus",
            id(&file)
        ),
    )
    .await;
    let Reply { body: one, .. } = get(
        &app,
        &format!(
            "{}?fields=uploader_display_name",
            version_path(&file, &ids[0])
        ),
    )
    .await;
    let Reply {
        body: file_fields, ..
    } = get(
        &app,
        &format!("/2.0/files/{}?fields=name,version_number", id(&file)),
    )
    .await;

    // Assert
    assert_eq!(
        listed,
        json!({"total_count": 2, "entries": [
            {"type": "file_version", "id": ids[1], "version_number": "2", "size": 2},
            {"type": "file_version", "id": ids[0], "version_number": "1", "size": 2},
        ], "limit": 1000, "offset": 0})
    );
    let name = user(&app)["name"].clone();
    assert_eq!(
        one,
        json!({"type": "file_version", "id": ids[0], "uploader_display_name": name})
    );
    assert_eq!(
        file_fields,
        json!({"type": "file", "id": id(&file), "etag": file["etag"], "name": "doc.txt", "version_number": "3"})
    );
}

#[tokio::test]
async fn any_version_reads_by_id_the_current_one_included() {
    // Arrange
    let app = spawn().start().await;
    let user = user(&app);
    let (file, ids) = versioned(&app, 2).await;

    // Act
    let Reply {
        status: old_status,
        body: old,
        ..
    } = get(&app, &version_path(&file, &ids[0])).await;
    let Reply {
        status: current_status,
        body: current,
        ..
    } = get(&app, &version_path(&file, &ids[1])).await;

    // Assert
    assert_eq!((old_status.as_u16(), current_status.as_u16()), (200, 200));
    assert_version_shape(&old);
    assert_eq!(old, version_json(&ids[0], "doc.txt", b"v1", &user));
    assert_eq!(current, version_json(&ids[1], "doc.txt", b"v2", &user));
}

#[tokio::test]
async fn trashing_a_version_is_204_and_it_reads_back_trashed_and_still_listed() {
    // Arrange
    let app = spawn().start().await;
    let user = user(&app);
    let (file, ids) = versioned(&app, 3).await;
    app.emulator.clock().advance(TimeDelta::seconds(60));

    // Act
    let response = request(&app, Method::DELETE, &version_path(&file, &ids[0]))
        .header("if-match", file["etag"].as_str().unwrap())
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), 204);
    assert_eq!(response.text().await.unwrap(), "");
    let mut trashed = version_json(&ids[0], "doc.txt", b"v1", &user);
    trashed["trashed_at"] = json!("2024-06-01T10:01:00+00:00");
    trashed["trashed_by"] = user.clone();
    // purged_at: trashed_at plus 30 days, the trash's default (Box does not say for a version).
    trashed["purged_at"] = json!("2024-07-01T10:01:00+00:00");
    assert_eq!(get(&app, &version_path(&file, &ids[0])).await.body, trashed);
    let list = list_versions(&app, id(&file)).await;
    assert_eq!(list["total_count"], 2);
    assert_eq!(list["entries"][1], trashed);
    // Trash does not change the current content, so the file's etag stays
    // (https://developer.box.com/guides/api-calls/ensure-consistency/).
    assert_eq!(
        get(&app, &format!("/2.0/files/{}", id(&file))).await.body,
        file
    );
}

#[tokio::test]
async fn trashing_the_current_version_is_400_on_file_version_id_and_changes_nothing() {
    // Arrange
    let app = spawn().start().await;
    let (file, ids) = versioned(&app, 2).await;

    // Act
    let Reply { status, body, .. } =
        send(request(&app, Method::DELETE, &version_path(&file, &ids[1]))).await;

    // Assert: the shape of the refused-delete body on record
    // (https://github.com/box/box-java-sdk/issues/167).
    assert_eq!(status, 400);
    assert_eq!(
        body,
        bad_request(
            "1iqybveasnwi9py5",
            "invalid_parameter",
            "file_version_id",
            "Invalid value. The current version cannot be removed or promoted."
        )
    );
    let Reply { body: current, .. } = get(&app, &version_path(&file, &ids[1])).await;
    assert_eq!(current["trashed_at"], Value::Null);
    assert_eq!(
        get(&app, &format!("/2.0/files/{}", id(&file))).await.body,
        file
    );
}

#[tokio::test]
async fn trashing_with_a_stale_if_match_is_412_and_changes_nothing() {
    // Arrange
    let app = spawn().start().await;
    let first = upload(&app, "0", "doc.txt", b"v1").await;
    let file = upload_version(&app, id(&first), b"v2").await;
    let old = id(&first["file_version"]);

    // Act
    let Reply { status, body, .. } = send(
        request(&app, Method::DELETE, &version_path(&file, old))
            .header("if-match", first["etag"].as_str().unwrap()),
    )
    .await;

    // Assert
    assert_eq!(status, 412);
    assert_eq!(body, precondition_failed("1iqybveasnwi9py5"));
    assert_eq!(
        get(&app, &version_path(&file, old)).await.body["trashed_at"],
        Value::Null
    );
}

/// `context_info.errors[0]` of a 400: reason, name, message.
type ParamError = (&'static str, &'static str, &'static str);

/// A file with two versions whose first is in the trash, trashed at NOW.
async fn with_trashed_version(app: &TestApp) -> (Value, String) {
    let (file, ids) = versioned(app, 2).await;
    let response = request(app, Method::DELETE, &version_path(&file, &ids[0]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    (file, ids[0].clone())
}

#[tokio::test]
async fn restoring_with_put_clears_the_trash_and_records_who_restored_when() {
    // Arrange
    let app = spawn().start().await;
    let user = user(&app);
    let (file, version) = with_trashed_version(&app).await;
    app.emulator.clock().advance(TimeDelta::seconds(30));

    // Act
    let Reply { status, body, .. } = send_json(
        &app,
        Method::PUT,
        &version_path(&file, &version),
        json!({"trashed_at": null}),
    )
    .await;

    // Assert
    assert_eq!(status, 200);
    let mut restored = version_json(&version, "doc.txt", b"v1", &user);
    restored["restored_at"] = json!("2024-06-01T10:00:30+00:00");
    restored["restored_by"] = user;
    assert_eq!(body, restored);
    assert_eq!(
        get(&app, &version_path(&file, &version)).await.body,
        restored
    );
    // Restore does not make the version current
    // (https://developer.box.com/reference/put-files-id-versions-id/).
    assert_eq!(
        get(&app, &format!("/2.0/files/{}", id(&file))).await.body,
        file
    );
}

#[tokio::test]
async fn restoring_with_post_as_in_boxs_curl_sample_does_the_same_as_put() {
    // Arrange
    let app = spawn().start().await;
    let user = user(&app);
    let (file, version) = with_trashed_version(&app).await;

    // Act: legacy clients send JSON without a content type (boxsdk 3.9.2 on the wire).
    let Reply { status, body, .. } = send(
        request(&app, Method::POST, &version_path(&file, &version)).body(r#"{"trashed_at": null}"#),
    )
    .await;

    // Assert
    assert_eq!(status, 200);
    let mut restored = version_json(&version, "doc.txt", b"v1", &user);
    restored["restored_at"] = json!(at(0));
    restored["restored_by"] = user;
    assert_eq!(body, restored);
    assert_eq!(
        get(&app, &version_path(&file, &version)).await.body,
        restored
    );
}

#[tokio::test]
async fn a_restore_without_trashed_at_reads_the_version_back_unchanged() {
    // Arrange: the SDK sends an empty body for a plain `None`, the TS SDK `{}` (both on the wire;
    // see the README's Box snippets).
    let app = spawn().start().await;
    let (file, version) = with_trashed_version(&app).await;
    let Reply { body: trashed, .. } = get(&app, &version_path(&file, &version)).await;
    let bodies: [(&str, &str); 3] = [
        ("empty body", ""),
        ("empty object", "{}"),
        ("JSON null", "null"),
    ];

    for (case, body) in bodies {
        // Act
        let Reply {
            status,
            body: reply,
            ..
        } = send(
            request(&app, Method::PUT, &version_path(&file, &version))
                .header("content-type", "application/json")
                .body(body),
        )
        .await;

        // Assert: 200, not restored (the pinned choice for an UNCERTAIN point).
        assert_eq!(status, 200, "{case}");
        assert_eq!(reply, trashed, "{case}");
        assert_eq!(
            get(&app, &version_path(&file, &version)).await.body,
            trashed,
            "{case}"
        );
    }
}

#[tokio::test]
async fn restoring_a_version_that_is_not_in_the_trash_returns_it_unchanged() {
    // Arrange
    let app = spawn().start().await;
    let user = user(&app);
    let (file, ids) = versioned(&app, 2).await;

    // Act
    let Reply { status, body, .. } = send_json(
        &app,
        Method::PUT,
        &version_path(&file, &ids[0]),
        json!({"trashed_at": null}),
    )
    .await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(body, version_json(&ids[0], "doc.txt", b"v1", &user));
    assert_eq!(get(&app, &version_path(&file, &ids[0])).await.body, body);
}

#[tokio::test]
async fn promoting_makes_a_new_current_copy_and_keeps_every_earlier_version() {
    // Arrange
    let app = spawn().start().await;
    let user = user(&app);
    let first = upload(&app, "0", "old-name.txt", b"original").await;
    let second = send(upload_request(
        &app,
        &format!("/api/2.0/files/{}/content", id(&first)),
        &[
            Part::attributes(r#"{"name": "new-name.txt"}"#),
            Part::file(b"rewritten"),
        ],
    ))
    .await
    .body["entries"][0]
        .clone();
    let source = id(&first["file_version"]);

    // Act
    let Reply { status, body, .. } = send_json(
        &app,
        Method::POST,
        &format!("/2.0/files/{}/versions/current", id(&first)),
        json!({"type": "file_version", "id": source}),
    )
    .await;

    // Assert: a new id with the source's content and name
    // (https://developer.box.com/reference/post-files-id-versions-current/).
    assert_eq!(status, 201);
    // A new version id: the source is 5000000001, the second upload 5000000002.
    assert_eq!(
        body,
        version_json("5000000003", "old-name.txt", b"original", &user)
    );
    let expected_file = ExpectedFile {
        id: "1000000002",
        etag: 2,
        name: "old-name.txt",
        content: b"original",
        version_id: "5000000003",
        path: vec![root_mini()],
        user: &user,
    }
    .json();
    assert_eq!(
        get(&app, &format!("/2.0/files/{}", id(&first))).await.body,
        expected_file
    );
    let list = list_versions(&app, id(&first)).await;
    assert_eq!(
        list,
        json!({"total_count": 2, "entries": [
            version_json(id(&second["file_version"]), "new-name.txt", b"rewritten", &user),
            version_json(source, "old-name.txt", b"original", &user),
        ], "limit": 1000, "offset": 0})
    );
    let Reply { body: numbered, .. } = get(
        &app,
        &format!(
            "{}?fields=version_number",
            version_path(&first, "5000000003")
        ),
    )
    .await;
    assert_eq!(
        numbered,
        json!({"type": "file_version", "id": "5000000003", "version_number": "3"})
    );
}

#[tokio::test]
async fn promote_refuses_the_current_and_trashed_versions_and_needs_a_known_id() {
    // Arrange
    let app = spawn().start().await;
    let (file, version) = with_trashed_version(&app).await;
    let current = id(&file["file_version"]).to_owned();
    let path = format!("/2.0/files/{}/versions/current", id(&file));
    let cases: [(&str, Value, u16, Option<ParamError>); 5] = [
        (
            "the current version",
            json!({"type": "file_version", "id": current}),
            400,
            Some((
                "invalid_parameter",
                "file_version_id",
                "Invalid value. The current version cannot be removed or promoted.",
            )),
        ),
        (
            "a trashed version",
            json!({"type": "file_version", "id": version}),
            400,
            Some((
                "invalid_parameter",
                "file_version_id",
                "Invalid value. A version in the trash cannot be promoted.",
            )),
        ),
        (
            "no id",
            json!({"type": "file_version"}),
            400,
            Some(("missing_parameter", "id", "'id' is required")),
        ),
        (
            "a wrong type",
            json!({"type": "file", "id": version}),
            400,
            Some((
                "invalid_parameter",
                "type",
                "Invalid value. The type must be 'file_version'.",
            )),
        ),
        (
            "an unknown id",
            json!({"type": "file_version", "id": "123"}),
            404,
            None,
        ),
    ];

    for ((case, request_body, status, context), expected_id) in crate::support::with_request_ids(
        cases,
        [
            "jy7327635gmk3m5w",
            "vwg6yy95fp0e33t8",
            "5nsjyz48o9wragcz",
            "oinuhub5cwlx1v41",
            "d1d7ify2mh7z2bb7",
        ],
    ) {
        // Act
        let Reply {
            status: got, body, ..
        } = send_json(&app, Method::POST, &path, request_body).await;

        // Assert
        assert_eq!(got, status, "{case}: {body}");
        let expected = match context {
            Some((reason, name, message)) => bad_request(expected_id, reason, name, message),
            None => not_found(expected_id),
        };
        assert_eq!(body, expected, "{case}");
        assert_eq!(
            get(&app, &format!("/2.0/files/{}", id(&file))).await.body,
            file,
            "{case}: file unchanged"
        );
        assert_eq!(
            list_versions(&app, id(&file)).await["total_count"],
            1,
            "{case}: no new version"
        );
    }
}
