//! Box uploads: new files and new versions, multipart parts, attribute dates, name clashes,
//! `content-md5` and `If-Match`.

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::spawn;

#[tokio::test]
async fn uploading_a_new_file_answers_201_with_the_file_which_then_reads_back() {
    // Arrange
    let app = spawn().start().await;
    let user = user(&app);

    // Act
    let response = upload_request(
        &app,
        "/api/2.0/files/content",
        &[
            Part::attributes(r#"{"name": "report.txt", "parent": {"id": "0"}}"#),
            Part::file(b"hello box"),
        ],
    )
    .send()
    .await
    .unwrap();

    // Assert
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.unwrap();
    let file = &body["entries"][0];
    assert_file_shape(file);
    let expected = ExpectedFile {
        id: "1000000002",
        etag: 0,
        name: "report.txt",
        content: b"hello box",
        version_id: "5000000001",
        path: vec![root_mini()],
        user: &user,
    }
    .json();
    assert_eq!(body, json!({"total_count": 1, "entries": [expected]}));
    let Reply {
        status,
        body: read_back,
        ..
    } = get(&app, &format!("/2.0/files/{}", id(file))).await;
    assert_eq!(status, 200);
    assert_eq!(read_back, expected);
}

#[tokio::test]
async fn uploads_are_served_under_2_0_as_well_as_under_api_2_0() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;

    // Act
    let Reply {
        status: new_file_status,
        body: new_file,
        ..
    } = send_upload(
        &app,
        "/2.0/files/content",
        r#"{"name": "b.txt", "parent": {"id": "0"}}"#,
        b"two",
    )
    .await;
    let Reply {
        status: new_version_status,
        body: new_version,
        ..
    } = send_upload(
        &app,
        &format!("/2.0/files/{}/content", id(&file)),
        "{}",
        b"three",
    )
    .await;

    // Assert
    assert_eq!(new_file_status, 201, "{new_file}");
    assert_eq!(new_file["entries"][0]["name"], "b.txt");
    assert_eq!(new_version_status, 201, "{new_version}");
    assert_eq!(new_version["entries"][0]["sha1"], sha1(b"three"));
    let Reply {
        body: read_back, ..
    } = get(&app, &format!("/2.0/files/{}", id(&file))).await;
    assert_eq!(read_back, new_version["entries"][0]);
}

#[tokio::test]
async fn upload_parts_are_picked_by_name_whatever_their_filename_or_content_type() {
    // Arrange: legacy Node names the content part `content` with a filename and a content type,
    // and legacy Python sends nulls and keys Box ignores (box-node-sdk 3.x and boxsdk 3.9.2 on
    // the wire).
    let app = spawn().start().await;
    let attributes = r#"{"name": "legacy.bin", "parent": {"id": "0"}, "description": null,
        "content_created_at": null, "content_modified_at": null, "unknown": 1}"#;
    let parts = [
        Part {
            name: "attributes",
            filename: Some("attributes.json"),
            content_type: Some("application/json"),
            bytes: attributes.as_bytes(),
        },
        Part {
            name: "content",
            filename: Some("unused"),
            content_type: Some("application/octet-stream"),
            bytes: b"\x00\x01legacy",
        },
        Part::file(b"a later part is not the content"),
    ];

    // Act
    let Reply { status, body, .. } =
        send(upload_request(&app, "/api/2.0/files/content", &parts)).await;

    // Assert
    assert_eq!(status, 201, "{body}");
    let file = &body["entries"][0];
    assert_eq!(
        (&file["name"], &file["size"]),
        (&json!("legacy.bin"), &json!(8))
    );
    assert_eq!(file["sha1"], sha1(b"\x00\x01legacy"));
    let Reply {
        body: read_back, ..
    } = get(&app, &format!("/2.0/files/{}", id(file))).await;
    assert_eq!(&read_back, file);
}

#[tokio::test]
async fn attribute_dates_with_offset_fraction_or_none_are_kept_to_the_second() {
    // Arrange: the forms clients send (content_created_at and content_modified_at in
    // https://developer.box.com/reference/post-files-content/), each with what it must read back
    // as.
    let app = spawn().start().await;
    let cases = [
        ("2023-05-06T07:08:09+02:00", "2023-05-06T05:08:09+00:00"),
        (
            "2023-05-06T07:08:09.123456+00:00",
            "2023-05-06T07:08:09+00:00",
        ),
        ("2023-05-06T07:08:09", "2023-05-06T07:08:09+00:00"),
    ];
    for (n, (sent, expected)) in cases.into_iter().enumerate() {
        let attributes = json!({
            "name": format!("dated-{n}.txt"),
            "parent": {"id": "0"},
            "content_created_at": sent,
            "content_modified_at": sent,
        })
        .to_string();

        // Act
        let Reply { status, body, .. } =
            send_upload(&app, "/api/2.0/files/content", &attributes, b"x").await;

        // Assert
        assert_eq!(status, 201, "{sent}: {body}");
        let file = &body["entries"][0];
        let Reply {
            body: read_back, ..
        } = get(&app, &format!("/2.0/files/{}", id(file))).await;
        for at in ["content_created_at", "content_modified_at"] {
            assert_eq!(read_back[at], expected, "{at} of {sent}");
        }
        assert_eq!(
            read_back["created_at"],
            at(0),
            "{sent}: upload time is the server's"
        );
    }
}

#[tokio::test]
async fn uploading_a_taken_name_is_409_naming_the_conflicting_file_and_changes_nothing() {
    // Arrange
    let app = spawn().start().await;
    let existing = upload(&app, "0", "Taken.txt", b"original").await;

    // Act: names clash case-insensitively.
    let Reply { status, body, .. } = send_upload(
        &app,
        "/api/2.0/files/content",
        r#"{"name": "taken.TXT", "parent": {"id": "0"}}"#,
        b"other",
    )
    .await;

    // Assert: `conflicts` is one object, as real Box sends it
    // (https://github.com/syndesisio/syndesis/issues/5233).
    assert_eq!(status, 409);
    let conflict = json!({
        "type": "file",
        "id": id(&existing),
        "file_version": existing["file_version"],
        "sequence_id": "0",
        "etag": "0",
        "sha1": sha1(b"original"),
        "name": "Taken.txt",
    });
    assert_eq!(body, name_in_use("vyh6gf7h6pw8mme7", conflict));
    let Reply {
        body: read_back, ..
    } = get(&app, &format!("/2.0/files/{}", id(&existing))).await;
    assert_eq!(read_back, existing);
    assert_eq!(list_versions(&app, id(&existing)).await["total_count"], 0);
}

#[tokio::test]
async fn a_file_uploaded_into_a_folder_shows_it_as_parent_and_in_its_path() {
    // Arrange
    let app = spawn().start().await;
    let user = user(&app);
    let folder = create_folder(&app, "0", "Projects").await;
    let folder_mini = json!({"type": "folder", "id": id(&folder), "sequence_id": "0", "etag": "0", "name": "Projects"});

    // Act
    let file = upload(&app, id(&folder), "plan.md", b"# plan").await;

    // Assert
    let expected = ExpectedFile {
        id: "1000000003",
        etag: 0,
        name: "plan.md",
        content: b"# plan",
        version_id: "5000000001",
        path: vec![root_mini(), folder_mini],
        user: &user,
    }
    .json();
    assert_eq!(file, expected);
    let Reply {
        body: read_back, ..
    } = get(&app, &format!("/2.0/files/{}", id(&file))).await;
    assert_eq!(read_back, expected);
}

#[tokio::test]
async fn folders_are_created_in_the_root_and_read_back_and_a_clash_lists_the_conflict() {
    // Arrange
    let app = spawn().start().await;
    let user = user(&app);

    // Act
    let Reply {
        status,
        body: folder,
        ..
    } = send_json(
        &app,
        Method::POST,
        "/2.0/folders",
        json!({"name": "Reports", "parent": {"id": "0"}}),
    )
    .await;
    let Reply {
        status: clash_status,
        body: clash,
        ..
    } = send_json(
        &app,
        Method::POST,
        "/2.0/folders",
        json!({"name": "reports", "parent": {"id": "0"}}),
    )
    .await;

    // Assert
    assert_eq!(status, 201);
    let expected = json!({
        "type": "folder",
        "id": id(&folder),
        "sequence_id": "0",
        "etag": "0",
        "name": "Reports",
        "created_at": at(0),
        "modified_at": at(0),
        "description": "",
        "size": 0,
        "path_collection": {"total_count": 1, "entries": [root_mini()]},
        "created_by": user,
        "modified_by": user,
        "trashed_at": null,
        "purged_at": null,
        "content_created_at": at(0),
        "content_modified_at": at(0),
        "owned_by": user,
        "shared_link": null,
        "folder_upload_email": null,
        "parent": root_mini(),
        "item_status": "active",
    });
    assert_eq!(folder, expected);
    let read_back = get(&app, &format!("/2.0/folders/{}", id(&folder))).await;
    // Read back, the folder also carries its (empty) first page of children.
    let mut expected = expected;
    expected["item_collection"] = json!({
        "total_count": 0,
        "entries": [],
        "offset": 0,
        "limit": 100,
        "order": [{"by": "type", "direction": "ASC"}, {"by": "name", "direction": "ASC"}],
    });
    assert_eq!(
        (read_back.status, read_back.body),
        (reqwest::StatusCode::OK, expected)
    );
    // Folder creation lists its conflicts in an array
    // (https://developer.box.com/reference/post-folders/).
    assert_eq!(clash_status, 409);
    let mini = json!({"type": "folder", "id": id(&folder), "sequence_id": "0", "etag": "0", "name": "Reports"});
    assert_eq!(clash, name_in_use("vyh6gf7h6pw8mme7", json!([mini])));
    let Reply { body: root, .. } = get(&app, "/2.0/folders/0").await;
    assert_eq!(
        (&root["id"], &root["name"], &root["parent"]),
        (&json!("0"), &json!("All Files"), &Value::Null)
    );
}

#[tokio::test]
async fn content_md5_carries_the_sha1_and_a_mismatch_is_400_bad_digest_creating_nothing() {
    // Arrange
    let app = spawn().start().await;
    let parts = [
        Part::attributes(r#"{"name": "digest.txt", "parent": {"id": "0"}}"#),
        Part::file(b"checked"),
    ];

    // Act
    let Reply {
        status: bad_status,
        body: bad,
        ..
    } = send(
        upload_request(&app, "/api/2.0/files/content", &parts)
            .header("content-md5", sha1(b"something else")),
    )
    .await;
    let Reply {
        status: good_status,
        body: good,
        ..
    } = send(
        upload_request(&app, "/api/2.0/files/content", &parts)
            .header("content-md5", sha1(b"checked").to_uppercase()),
    )
    .await;

    // Assert: the failed upload left no file behind, so the name was still free.
    assert_eq!(bad_status, 400);
    assert_eq!(
        bad,
        error_json(
            "y83so4k8319p153p",
            400,
            "bad_digest",
            "The specified content-md5 did not match what we received",
            None
        )
    );
    assert_eq!(good_status, 201, "{good}");
    assert_eq!(good["entries"][0]["sha1"], sha1(b"checked"));
}

#[tokio::test]
async fn a_new_version_becomes_current_bumps_the_etag_and_renames_the_file() {
    // Arrange
    let app = spawn().start().await;
    let user = user(&app);
    let first = upload(&app, "0", "draft.txt", b"v1").await;

    // Act
    let Reply { status, body, .. } = send(
        upload_request(
            &app,
            &format!("/api/2.0/files/{}/content", id(&first)),
            &[
                Part::attributes(
                    r#"{"name": "final.txt", "content_modified_at": "2023-01-01T00:00:00Z"}"#,
                ),
                Part::file(b"v2 bytes"),
            ],
        )
        .header("if-match", first["etag"].as_str().unwrap()),
    )
    .await;

    // Assert: 201, as Box's SDK fixtures have it, for an answer the spec gives as 200
    // (https://developer.box.com/reference/post-files-id-content/).
    assert_eq!(status, 201, "{body}");
    let file = &body["entries"][0];
    let mut expected = ExpectedFile {
        id: "1000000002",
        etag: 1,
        name: "final.txt",
        content: b"v2 bytes",
        version_id: "5000000002",
        path: vec![root_mini()],
        user: &user,
    }
    .json();
    expected["content_modified_at"] = json!("2023-01-01T00:00:00+00:00");
    assert_eq!(body, json!({"total_count": 1, "entries": [expected]}));
    assert_ne!(file["file_version"], first["file_version"]);
    let Reply {
        body: read_back, ..
    } = get(&app, &format!("/2.0/files/{}", id(&first))).await;
    assert_eq!(read_back, expected);
    let versions = list_versions(&app, id(&first)).await;
    let previous = version_json(id(&first["file_version"]), "draft.txt", b"v1", &user);
    assert_eq!(
        versions,
        json!({"total_count": 1, "entries": [previous], "limit": 1000, "offset": 0})
    );
}

#[tokio::test]
async fn a_stale_if_match_on_a_new_version_is_412_and_changes_nothing() {
    // Arrange
    let app = spawn().start().await;
    let first = upload(&app, "0", "guarded.txt", b"v1").await;
    let current = upload_version(&app, id(&first), b"v2").await;

    // Act: the etag from before the second upload.
    let Reply { status, body, .. } = send(
        upload_request(
            &app,
            &format!("/api/2.0/files/{}/content", id(&first)),
            &[Part::attributes("{}"), Part::file(b"lost update")],
        )
        .header("if-match", first["etag"].as_str().unwrap()),
    )
    .await;

    // Assert
    assert_eq!(status, 412);
    assert_eq!(body, precondition_failed("1iqybveasnwi9py5"));
    let Reply {
        body: read_back, ..
    } = get(&app, &format!("/2.0/files/{}", id(&first))).await;
    assert_eq!(read_back, current);
    assert_eq!(list_versions(&app, id(&first)).await["total_count"], 1);
}

#[tokio::test]
async fn a_new_version_without_attributes_keeps_the_files_name() {
    // Arrange: curl `-F file=@a.txt`, an empty part, and attributes with only a date.
    let app = spawn().start().await;
    let user = user(&app);
    let first = upload(&app, "0", "keep.txt", b"v1").await;
    let path = format!("/api/2.0/files/{}/content", id(&first));
    let bodies: [(&str, Vec<Part<'_>>); 3] = [
        ("no attributes part", vec![Part::file(b"v2")]),
        (
            "an empty attributes part",
            vec![Part::attributes(""), Part::file(b"v3")],
        ),
        (
            "only content_modified_at",
            vec![
                Part::attributes(r#"{"content_modified_at": "2023-01-01T00:00:00Z"}"#),
                Part::file(b"v4"),
            ],
        ),
    ];

    for (etag, (case, parts)) in (1..).zip(bodies) {
        // Act
        let Reply { status, body, .. } = send(upload_request(&app, &path, &parts)).await;

        // Assert
        assert_eq!(status, 201, "{case}: {body}");
        let mut expected = ExpectedFile {
            id: "1000000002",
            etag,
            name: "keep.txt",
            content: parts.last().unwrap().bytes,
            version_id: &(5_000_000_001 + etag).to_string(),
            path: vec![root_mini()],
            user: &user,
        }
        .json();
        if etag == 3 {
            expected["content_modified_at"] = json!("2023-01-01T00:00:00+00:00");
        }
        assert_eq!(
            body,
            json!({"total_count": 1, "entries": [expected]}),
            "{case}"
        );
    }
    let versions = list_versions(&app, id(&first)).await;
    assert_eq!(versions["total_count"], 3);
    assert!(versions["entries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["name"] == "keep.txt"));
}
