//! Box file locks and the `description` and `tags` of files and folders, through `PUT
//! /2.0/files/{id}` and `PUT /2.0/folders/{id}`: a lock made, shown with `fields=lock`, removed
//! with `null` and lapsing on the emulator's clock; the lock events; what its holder may still
//! do; Box's limits and the errors for a bad body, each refusing the whole update.
//!
//! No route lets a second Box user reach a file yet (every Box space is its caller's own), so
//! what a lock refuses to others is pinned at the store (`src/store/contract/locks.rs`).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::{spawn, TestApp};

async fn put(app: &TestApp, path: &str, body: Value) -> Reply {
    send_json(app, Method::PUT, path, body).await
}

async fn advance_clock(app: &TestApp, seconds: i64) {
    let reply = send(
        app.client
            .post(app.url("/__admin/clock"))
            .json(&json!({"advance_seconds": seconds})),
    )
    .await;
    assert_eq!(reply.status, 200, "{reply:?}");
}

/// The lock as Box shows it, made by the test user at `NOW`.
fn lock_json(app: &TestApp, id: &str, expires: Option<String>, prevented: bool) -> Value {
    json!({
        "type": "lock",
        "id": id,
        "created_by": user(app),
        "created_at": at(0),
        "expired_at": expires,
        "expires_at": expires,
        "is_download_prevented": prevented,
        "app_type": null,
    })
}

/// The event types of the caller's whole stream, in order.
async fn event_types(app: &TestApp) -> Vec<String> {
    let Reply { body, .. } = get(app, "/2.0/events?stream_position=0").await;
    assert_events_shape(&body);
    (body["entries"].as_array().unwrap().iter())
        .map(|e| e["event_type"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_lock_is_made_shown_with_fields_lock_and_removed_with_null() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let path = format!("/2.0/files/{f}?fields=lock");
    let lock = json!({"access": "lock", "expires_at": at(3600), "is_download_prevented": true});

    // Act
    let locked = put(&app, &path, json!({ "lock": lock })).await;
    let read = get(&app, &path).await;
    let standard = get(&app, &format!("/2.0/files/{f}")).await;
    let unlocked = put(&app, &path, json!({"lock": null})).await;

    // Assert: the lock, the etag moved by each change; a plain read has no `lock`.
    let expected = json!({
        "type": "file", "id": f, "etag": "1",
        "lock": lock_json(&app, "1", Some(at(3600)), true),
    });
    assert_eq!((locked.status, &locked.body), (StatusCode::OK, &expected));
    assert_lock_shape(&locked.body["lock"]);
    assert_eq!((read.status, &read.body), (StatusCode::OK, &expected));
    assert_eq!(standard.body.get("lock"), None);
    assert_eq!(standard.body["etag"], "1");
    assert_file_shape(&standard.body);
    assert_eq!(
        (unlocked.status, unlocked.body),
        (
            StatusCode::OK,
            json!({"type": "file", "id": f, "etag": "2", "lock": null})
        )
    );
    let Reply { body: after, .. } = get(&app, &path).await;
    assert_eq!(after["lock"], Value::Null);
    assert_eq!(
        event_types(&app).await,
        ["ITEM_UPLOAD", "LOCK_CREATE", "LOCK_DESTROY"]
    );
}

#[tokio::test]
async fn the_legacy_lock_body_is_taken_and_without_fields_the_reply_is_the_standard_file() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();

    // Act: the legacy SDKs' `lock()` writes `type`, and no expiry.
    let Reply { status, body, .. } = put(
        &app,
        &format!("/2.0/files/{f}"),
        json!({"lock": {"type": "lock"}}),
    )
    .await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    let mut expected = file.clone();
    expected["etag"] = json!("1");
    expected["sequence_id"] = json!("1");
    assert_eq!(body, expected);
    let Reply { body: read, .. } = get(&app, &format!("/2.0/files/{f}?fields=lock")).await;
    assert_eq!(read["lock"], lock_json(&app, "1", None, false));
}

#[tokio::test]
async fn a_lock_lapses_when_its_expiry_passes_on_the_emulators_clock() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let path = format!("/2.0/files/{}?fields=lock", id(&file));
    let lock = json!({"lock": {"access": "lock", "expires_at": at(60)}});
    let locked = put(&app, &path, lock).await;
    assert_eq!(
        locked.body["lock"],
        lock_json(&app, "1", Some(at(60)), false)
    );
    advance_clock(&app, 59).await;
    let before = get(&app, &path).await;
    assert_eq!(before.body, locked.body, "still locked a second before");

    // Act
    advance_clock(&app, 1).await;
    let Reply { status, body, .. } = get(&app, &path).await;

    // Assert: gone, the etag as the lock left it (a lapse is no change to the file).
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"type": "file", "id": id(&file), "etag": "1", "lock": null})
    );
}

#[tokio::test]
async fn the_lock_holder_still_renames_uploads_promotes_downloads_and_deletes() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let lock = json!({"lock": {"access": "lock", "is_download_prevented": true}});
    assert_eq!(
        put(&app, &format!("/2.0/files/{f}"), lock).await.status,
        200
    );

    // Act and Assert, one step at a time.
    let renamed = put(&app, &format!("/2.0/files/{f}"), json!({"name": "b.txt"})).await;
    assert_eq!(
        (renamed.status, &renamed.body["name"]),
        (StatusCode::OK, &json!("b.txt"))
    );
    upload_version(&app, &f, b"two").await;
    let first = list_versions(&app, &f).await["entries"][0]["id"].clone();
    let promoted = send_json(
        &app,
        Method::POST,
        &format!("/2.0/files/{f}/versions/current"),
        json!({"type": "file_version", "id": first}),
    )
    .await;
    assert_eq!(promoted.status, StatusCode::CREATED, "{promoted:?}");
    let download = send(request(
        &app,
        Method::GET,
        &format!("/2.0/files/{f}/content"),
    ))
    .await;
    assert_eq!(download.status, StatusCode::FOUND, "{download:?}");
    let Reply { body, .. } = get(&app, &format!("/2.0/files/{f}?fields=name,lock")).await;
    assert_eq!(
        body["lock"],
        lock_json(&app, "1", None, true),
        "still locked"
    );
    let deleted = send(request(&app, Method::DELETE, &format!("/2.0/files/{f}"))).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{deleted:?}");
}

#[tokio::test]
async fn a_description_and_tags_are_kept_and_shown_where_box_shows_them() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let folder = create_folder(&app, "0", "F").await;
    let d = id(&folder).to_owned();
    let longest = "d".repeat(256);
    let most: Vec<String> = (0..100).map(|n| format!("t{n}")).collect();

    // Act
    let file_reply = put(
        &app,
        &format!("/2.0/files/{f}"),
        json!({"description": longest, "tags": ["approved", "q3"]}),
    )
    .await;
    let folder_reply = put(
        &app,
        &format!("/2.0/folders/{d}?fields=description,tags"),
        json!({"description": "reports", "tags": most}),
    )
    .await;

    // Assert: the standard file shows the description, `tags` only when asked for.
    assert_eq!(file_reply.status, StatusCode::OK, "{file_reply:?}");
    let mut expected = file.clone();
    expected["etag"] = json!("1");
    expected["sequence_id"] = json!("1");
    expected["description"] = json!(longest);
    assert_eq!(file_reply.body, expected);
    assert_file_shape(&file_reply.body);
    assert_eq!(
        (folder_reply.status, folder_reply.body),
        (
            StatusCode::OK,
            json!({"type": "folder", "id": d, "etag": "1", "description": "reports", "tags": most})
        )
    );
    let Reply { body, .. } = get(&app, &format!("/2.0/files/{f}?fields=tags,description")).await;
    assert_eq!(
        body,
        json!({"type": "file", "id": f, "etag": "1", "description": longest, "tags": ["approved", "q3"]})
    );
    let Reply { body, .. } = get(&app, &format!("/2.0/folders/{d}")).await;
    assert_folder_shape(&body);
    assert_eq!(body["description"], "reports");
    assert_eq!(body.get("tags"), None);
    assert_eq!(
        event_types(&app).await,
        ["ITEM_UPLOAD", "ITEM_CREATE", "ITEM_MODIFY", "ITEM_MODIFY"]
    );

    // Clearing: "" and [] empty them; null leaves them.
    let cleared = put(
        &app,
        &format!("/2.0/files/{f}?fields=tags,description"),
        json!({"description": "", "tags": []}),
    )
    .await;
    assert_eq!(
        cleared.body,
        json!({"type": "file", "id": f, "etag": "2", "description": "", "tags": []})
    );
    let kept = put(
        &app,
        &format!("/2.0/folders/{d}?fields=tags,description"),
        json!({"description": null, "tags": null}),
    )
    .await;
    assert_eq!(kept.body["description"], "reports");
    assert_eq!(kept.body["etag"], "1");
}

/// The file and the folder as the error cases may have changed them.
async fn snapshot(app: &TestApp, file: &str, folder: &str) -> (Value, Value) {
    let fields = "fields=name,description,tags,lock";
    let file = get(app, &format!("/2.0/files/{file}?{fields}")).await.body;
    let folder = get(
        app,
        &format!("/2.0/folders/{folder}?fields=name,description,tags"),
    )
    .await
    .body;
    (file, folder)
}

#[tokio::test]
async fn a_bad_lock_description_or_tags_is_refused_whole_and_changes_nothing() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let folder = create_folder(&app, "0", "F").await;
    let d = id(&folder).to_owned();
    let file_path = format!("/2.0/files/{f}?fields=lock");
    let folder_path = format!("/2.0/folders/{d}");
    let too_many: Vec<String> = (0..101).map(|n| format!("t{n}")).collect();
    let cases = [
        (
            "an access other than lock",
            &file_path,
            json!({"lock": {"access": "unlock"}, "name": "b.txt"}),
            (
                "access",
                "Invalid value \"unlock\". Only 'lock' is allowed.",
            ),
        ),
        (
            "a legacy type other than lock",
            &file_path,
            json!({"lock": {"type": 5}}),
            ("access", "Invalid value 5. Only 'lock' is allowed."),
        ),
        (
            "an expiry in the past",
            &file_path,
            json!({"lock": {"access": "lock", "expires_at": at(-1)}, "description": "x"}),
            ("expires_at", "The lock's expiry must be in the future."),
        ),
        (
            "an expiry that is now",
            &file_path,
            json!({"lock": {"access": "lock", "expires_at": at(0)}}),
            ("expires_at", "The lock's expiry must be in the future."),
        ),
        (
            "an expiry that is not a date",
            &file_path,
            json!({"lock": {"access": "lock", "expires_at": "tomorrow"}}),
            ("expires_at", "\"tomorrow\" is not an ISO 8601 date."),
        ),
        (
            "is_download_prevented that is not a boolean",
            &file_path,
            json!({"lock": {"access": "lock", "is_download_prevented": "yes"}}),
            ("is_download_prevented", "Expected true or false."),
        ),
        (
            "a lock that is not an object",
            &file_path,
            json!({"lock": "lock"}),
            ("lock", "Expected an object, or null to unlock."),
        ),
        (
            "a lock on a folder",
            &folder_path,
            json!({"lock": {"access": "lock"}, "name": "G"}),
            ("lock", "Only files can be locked this way."),
        ),
        (
            "a description over 256 characters",
            &file_path,
            json!({"description": "d".repeat(257), "name": "b.txt"}),
            (
                "description",
                "A description may be at most 256 characters long.",
            ),
        ),
        (
            "a description that is not text",
            &folder_path,
            json!({"description": 5}),
            ("description", "Expected a string."),
        ),
        (
            "more than 100 tags",
            &folder_path,
            json!({"tags": too_many, "description": "x"}),
            ("tags", "An item may have at most 100 tags."),
        ),
        (
            "a tag that is not text",
            &file_path,
            json!({"tags": ["ok", 7]}),
            ("tags", "Every tag must be a string."),
        ),
        (
            "tags that are not a list",
            &file_path,
            json!({"tags": "approved"}),
            ("tags", "Expected an array of strings."),
        ),
        (
            "an expiry past the year 9999, which chrono reads without an offset",
            &file_path,
            json!({"lock": {"access": "lock", "expires_at": "+262142-12-31T23:59:59"}}),
            (
                "expires_at",
                "\"+262142-12-31T23:59:59\" is not an ISO 8601 date.",
            ),
        ),
    ];
    // The ids the server gives these requests (they count up from its first).
    let ids = [
        "d95it76emao82qkv",
        "bz54cz2iuj32wwyx",
        "vwg6yy95fp0e33t8",
        "ycktnh30wucomkh9",
        "ispcx3sevmwf24kd",
        "5nsjyz48o9wragcz",
        "auz3cuf5o5pf3leh",
        "ov3gk4eju4ge2rac",
        "oinuhub5cwlx1v41",
        "lyz8s2axjhem3eke",
        "zzdtobihk4nv2tyy",
        "d1d7ify2mh7z2bb7",
        "biar33sk4udo1rep",
        "py37c8n589do1au7",
    ];
    let before = snapshot(&app, &f, &d).await;
    for ((case, path, body, (name, message)), request_id) in
        crate::support::with_request_ids(cases, ids)
    {
        // Act
        let Reply { status, body, .. } = put(&app, path, body).await;

        // Assert
        assert_eq!(status, StatusCode::BAD_REQUEST, "{case}: {body}");
        assert_eq!(
            body,
            bad_request(request_id, "invalid_parameter", name, message),
            "{case}"
        );
    }
    // Read back: nothing renamed, described, tagged or locked; no etag moved.
    assert_eq!(snapshot(&app, &f, &d).await, before);
    assert_eq!(
        before,
        (
            json!({"type": "file", "id": f, "etag": "0", "name": "a.txt", "description": "", "tags": [], "lock": null}),
            json!({"type": "folder", "id": d, "etag": "0", "name": "F", "description": "", "tags": []}),
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_locks_a_file_against_an_editor_then_unlocks_it_and_sets_its_notes() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act
    let output = crate::support::run_sdk_script_off_runtime("box_lock.py", &root).await;

    // Assert: the file as the script left it, read through the API.
    assert!(output.contains("box lock passed"), "{output}");
    let fields = "/2.0/folders/0/items?fields=name,description,tags,lock";
    let reply = send(
        app.client
            .get(app.url(fields))
            .bearer_auth("sdk-lock-token"),
    )
    .await;
    let entry = &reply.body["entries"][0];
    assert_eq!(
        (
            &entry["name"],
            &entry["description"],
            &entry["tags"],
            &entry["lock"]
        ),
        (
            &json!("a.txt"),
            &json!("notes"),
            &json!(["approved"]),
            &Value::Null
        )
    );
    // The editor's version went in after the unlock, and only then: two versions in all.
    let file = entry["id"].as_str().unwrap();
    let versions = send(
        app.client
            .get(app.url(&format!("/2.0/files/{file}/versions")))
            .bearer_auth("sdk-lock-token"),
    )
    .await;
    assert_eq!(versions.body["total_count"], 1, "{}", versions.body);
}

#[tokio::test]
async fn the_state_export_holds_locks_descriptions_and_tags_and_loads_back_equal() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let folder = create_folder(&app, "0", "F").await;
    let d = id(&folder).to_owned();
    let lock = json!({"access": "lock", "expires_at": at(3600), "is_download_prevented": true});
    let body = json!({"lock": lock, "description": "notes", "tags": ["approved"]});
    assert_eq!(
        put(&app, &format!("/2.0/files/{f}"), body).await.status,
        200
    );
    let body = json!({"tags": ["team"]});
    assert_eq!(
        put(&app, &format!("/2.0/folders/{d}"), body).await.status,
        200
    );

    // Act
    let state = send(app.client.get(app.url("/__admin/state"))).await.body;
    let again = spawn().fixture(state.clone()).start().await;

    // Assert: the export's items carry them, and the loaded copy answers the same.
    let items = state["spaces"][0]["items"].as_array().unwrap();
    let by_path = |path: &str| items.iter().find(|i| i["path"] == path).unwrap().clone();
    let exported_file = by_path("a.txt");
    assert_eq!(
        (&exported_file["description"], &exported_file["tags"]),
        (&json!("notes"), &json!(["approved"]))
    );
    assert_eq!(
        exported_file["lock"],
        json!({
            "id": 1, "created_by": user(&app)["id"], "created_at": crate::support::NOW,
            "expires_at": "2024-06-01T11:00:00Z", "is_download_prevented": true,
        })
    );
    let exported_folder = by_path("F");
    assert_eq!(
        (
            exported_folder.get("description"),
            &exported_folder["tags"],
            exported_folder.get("lock")
        ),
        (None, &json!(["team"]), None)
    );
    for path in [
        format!("/2.0/files/{f}?fields=description,tags,lock"),
        format!("/2.0/folders/{d}?fields=description,tags"),
    ] {
        assert_eq!(
            get(&again, &path).await.body,
            get(&app, &path).await.body,
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_copy_keeps_the_description_but_not_the_tags_the_lock_or_a_place_in_favorites() {
    // Arrange
    let app = spawn().start().await;
    let folder = create_folder(&app, "0", "F").await;
    let d = id(&folder).to_owned();
    let file = upload(&app, &d, "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let favorites = get(&app, "/2.0/collections").await.body["entries"][0]["id"].clone();
    let body = json!({"lock": {"access": "lock"}, "description": "notes", "tags": ["approved"],
                      "collections": [{"id": favorites}]});
    assert_eq!(
        put(&app, &format!("/2.0/files/{f}"), body).await.status,
        200
    );
    let body = json!({"description": "reports", "tags": ["team"]});
    assert_eq!(
        put(&app, &format!("/2.0/folders/{d}"), body).await.status,
        200
    );

    // Act
    let copied = send_json(
        &app,
        Method::POST,
        &format!("/2.0/folders/{d}/copy?fields=description,tags,item_collection"),
        json!({"parent": {"id": "0"}, "name": "G"}),
    )
    .await;

    // Assert
    assert_eq!(copied.status, StatusCode::CREATED, "{copied:?}");
    assert_eq!(
        (&copied.body["description"], &copied.body["tags"]),
        (&json!("reports"), &json!([]))
    );
    let inner = copied.body["item_collection"]["entries"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let Reply { body, .. } = get(
        &app,
        &format!("/2.0/files/{inner}?fields=description,tags,lock"),
    )
    .await;
    assert_eq!(
        body,
        json!({"type": "file", "id": inner, "etag": "0", "description": "notes", "tags": [], "lock": null})
    );
    let favorites = favorites.as_str().unwrap();
    let held = get(
        &app,
        &format!("/2.0/collections/{favorites}/items?fields=name"),
    )
    .await;
    assert_eq!(
        held.body["entries"],
        json!([{"type": "file", "id": f, "etag": "1", "name": "a.txt"}]),
        "the source alone"
    );
}

#[tokio::test]
async fn locking_and_unlocking_fire_the_file_locked_and_unlocked_webhooks() {
    use crate::support::receiver::{Answer, Receiver};
    // Arrange
    let app = spawn().start().await;
    let receiver = Receiver::start(Answer::Status(200)).await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let hook = json!({"target": {"id": f, "type": "file"}, "address": receiver.url(),
                      "triggers": ["FILE.LOCKED", "FILE.UNLOCKED"]});
    let created = send_json(&app, Method::POST, "/2.0/webhooks", hook).await;
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");

    // Act: a rename between them fires neither.
    let path = format!("/2.0/files/{f}");
    assert_eq!(
        put(&app, &path, json!({"lock": {"access": "lock"}}))
            .await
            .status,
        200
    );
    assert_eq!(put(&app, &path, json!({"name": "b.txt"})).await.status, 200);
    assert_eq!(put(&app, &path, json!({"lock": null})).await.status, 200);
    let settled = app
        .emulator
        .settle_deliveries(std::time::Duration::from_secs(10))
        .await;

    // Assert
    assert!(settled);
    let mut triggers: Vec<String> = (receiver.received().iter())
        .map(|d| d.json()["trigger"].as_str().unwrap().to_owned())
        .collect();
    triggers.sort();
    assert_eq!(triggers, ["FILE.LOCKED", "FILE.UNLOCKED"]);
}
