//! Box's recent items (`GET /2.0/recent_items`): one entry per file with the caller's latest
//! interaction, newest first, read from the change log; files in the trash and folders left
//! out; marker paging; the 90-day window on the emulator's clock; another user's files apart;
//! the refusals in Box's envelope; box_sdk_gen's and box-node-sdk's own calls.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::{spawn, TestApp};

async fn advance_clock(app: &TestApp, seconds: i64) {
    let reply = send(
        app.client
            .post(app.url("/__admin/clock"))
            .json(&json!({"advance_seconds": seconds})),
    )
    .await;
    assert_eq!(reply.status, 200, "{reply:?}");
}

/// A recent item as Box shows it: the file as `GET /files/{id}` shows it now.
async fn recent(app: &TestApp, file: &str, interaction: &str, seconds: i64) -> Value {
    let item = get(app, &format!("/2.0/files/{file}")).await.body;
    json!({
        "type": "recent_item",
        "interaction_type": interaction,
        "interacted_at": at(seconds),
        "interaction_shared_link": null,
        "item": item,
    })
}

/// Files a (then a new version), b (then a comment), c (copied from b), d (trashed), e
/// (trashed, then restored), a folder, each a second after the last. Returns a, b, c, e.
async fn arrange(app: &TestApp) -> [String; 4] {
    let mut made = Vec::new();
    for name in ["a.txt", "b.txt", "d.txt", "e.txt"] {
        made.push(id(&upload(app, "0", name, name.as_bytes()).await).to_owned());
        advance_clock(app, 1).await;
    }
    let [a, b, d, e] = [&made[0], &made[1], &made[2], &made[3]];
    create_folder(app, "0", "dir").await;
    advance_clock(app, 1).await;
    upload_version(app, a, b"two").await; // at 5
    advance_clock(app, 1).await;
    let comment = json!({"message": "Hi", "item": {"type": "file", "id": b}});
    let commented = send_json(app, Method::POST, "/2.0/comments", comment).await; // at 6
    assert_eq!(commented.status, StatusCode::CREATED, "{commented:?}");
    advance_clock(app, 1).await;
    let copy = json!({"parent": {"id": "0"}, "name": "c.txt"});
    let copied = send_json(app, Method::POST, &format!("/2.0/files/{b}/copy"), copy).await; // 7
    assert_eq!(copied.status, StatusCode::CREATED, "{copied:?}");
    advance_clock(app, 1).await;
    for file in [d, e] {
        let trashed = send(request(app, Method::DELETE, &format!("/2.0/files/{file}"))).await;
        assert_eq!(trashed.status, StatusCode::NO_CONTENT, "{trashed:?}");
    } // at 8
    advance_clock(app, 1).await;
    let restored = send_json(app, Method::POST, &format!("/2.0/files/{e}"), json!({})).await; // 9
    assert_eq!(restored.status, StatusCode::CREATED, "{restored:?}");
    [a.clone(), b.clone(), id(&copied.body).to_owned(), e.clone()]
}

#[tokio::test]
async fn each_file_shows_once_with_its_latest_interaction_newest_first() {
    // Arrange
    let app = spawn().start().await;
    let [a, b, c, e] = arrange(&app).await;

    // Act
    let Reply { status, body, .. } = get(&app, "/2.0/recent_items").await;

    // Assert: d is in the trash and the folder is no file; nothing was opened.
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "entries": [
                recent(&app, &e, "item_modify", 9).await,
                recent(&app, &c, "item_upload", 7).await,
                recent(&app, &b, "item_comment", 6).await,
                recent(&app, &a, "item_modify", 5).await,
            ],
            "limit": 100,
            "next_marker": null,
        })
    );
    assert_recent_items_shape(&body);
}

#[tokio::test]
async fn markers_page_the_list_and_fields_cut_each_item() {
    // Arrange
    let app = spawn().start().await;
    let [a, b, c, e] = arrange(&app).await;
    let entry = |file: &str, name: &str, interaction: &str, seconds: i64| {
        json!({
            "type": "recent_item", "interaction_type": interaction,
            "interacted_at": at(seconds), "interaction_shared_link": null,
            "item": {"type": "file", "id": file, "etag": "0", "name": name},
        })
    };

    // Act
    let first = get(&app, "/2.0/recent_items?limit=3&fields=name").await;
    let marker = first.body["next_marker"].as_str().unwrap_or_default();
    let second = get(
        &app,
        &format!("/2.0/recent_items?limit=3&fields=name&marker={marker}"),
    )
    .await;

    // Assert: a's etag is 1 (its new version); e's restore moved nothing else.
    let mut newest = entry(&e, "e.txt", "item_modify", 9);
    newest["item"]["etag"] = get(&app, &format!("/2.0/files/{e}")).await.body["etag"].clone();
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    assert_eq!(
        first.body["entries"],
        json!([
            newest,
            entry(&c, "c.txt", "item_upload", 7),
            entry(&b, "b.txt", "item_comment", 6),
        ])
    );
    assert_eq!(first.body["limit"], 3);
    let mut last = entry(&a, "a.txt", "item_modify", 5);
    last["item"]["etag"] = json!("1");
    assert_eq!(
        second.body,
        json!({"entries": [last], "limit": 3, "next_marker": null})
    );
}

#[tokio::test]
async fn interactions_older_than_90_days_drop_out_and_another_users_files_stay_apart() {
    // Arrange
    let app = spawn().start().await;
    let old = upload(&app, "0", "old.txt", b"o").await;
    advance_clock(&app, 90 * 86_400 + 1).await;
    let new = upload(&app, "0", "new.txt", b"n").await;
    let parts = [
        Part::attributes(r#"{"name": "theirs.txt", "parent": {"id": "0"}}"#),
        Part::file(b"t"),
    ];
    let as_other = (app.client.post(app.url("/api/2.0/files/content"))).bearer_auth("another-user");
    let theirs = send(with_multipart(as_other, &parts)).await;
    assert_eq!(theirs.status, StatusCode::CREATED, "{theirs:?}");

    // Act
    let Reply { body, .. } = get(&app, "/2.0/recent_items").await;
    let other =
        send((app.client.get(app.url("/2.0/recent_items"))).bearer_auth("another-user")).await;

    // Assert
    let ids = |page: &Value| -> Vec<String> {
        (page["entries"].as_array().unwrap().iter())
            .map(|e| e["item"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&body), [id(&new)], "not {}", id(&old));
    assert_eq!(ids(&other.body), [id(&theirs.body["entries"][0])]);
}

#[tokio::test]
async fn a_metadata_instance_made_changed_or_deleted_is_a_modification_and_no_user_event() {
    // Arrange
    let app = spawn().start().await;
    let a = upload(&app, "0", "a.txt", b"a").await;
    let a = id(&a).to_owned();
    advance_clock(&app, 1).await;
    upload(&app, "0", "b.txt", b"b").await;
    let path = format!("/2.0/files/{a}/metadata/global/properties");
    let events_before = get(&app, "/2.0/events?stream_position=0").await.body;

    // Act
    let mut order = Vec::new();
    for (method, body, status) in [
        (Method::POST, json!({"team": "red"}), StatusCode::CREATED),
        (
            Method::PUT,
            json!([{"op": "replace", "path": "/team", "value": "blue"}]),
            StatusCode::OK,
        ),
        (Method::DELETE, Value::Null, StatusCode::NO_CONTENT),
    ] {
        advance_clock(&app, 1).await;
        let reply = match body {
            Value::Null => send(request(&app, method, &path)).await,
            body => send_json(&app, method, &path, body).await,
        };
        assert_eq!(reply.status, status, "{reply:?}");
        let Reply { body, .. } = get(&app, "/2.0/recent_items?fields=name").await;
        order.push((
            body["entries"][0]["item"]["name"].clone(),
            body["entries"][0]["interaction_type"].clone(),
            body["entries"][0]["interacted_at"].clone(),
        ));
    }

    // Assert
    assert_eq!(
        order,
        [2, 3, 4].map(|s| (json!("a.txt"), json!("item_modify"), json!(at(s))))
    );
    let events_after = get(&app, "/2.0/events?stream_position=0").await.body;
    assert_eq!(events_after["entries"], events_before["entries"]);
}

#[tokio::test]
async fn bad_recent_item_requests_answer_boxs_envelope() {
    // Arrange
    let app = spawn().start().await;
    upload(&app, "0", "a.txt", b"a").await;
    let before = get(&app, "/2.0/recent_items").await.body;
    type Case = (&'static str, &'static str, Box<dyn Fn(&str) -> Value>);
    let cases: Vec<Case> = vec![
        (
            "a limit that is not a number",
            "limit=ten",
            Box::new(|rid| {
                error_json(
                    rid,
                    400,
                    "invalid_limit",
                    "Limit is not a valid number",
                    None,
                )
            }),
        ),
        (
            "a limit of zero",
            "limit=0",
            Box::new(|rid| {
                error_json(
                    rid,
                    400,
                    "invalid_limit",
                    "Limit is not a valid number",
                    None,
                )
            }),
        ),
        (
            "a marker the emulator did not hand out",
            "marker=abc",
            Box::new(|rid| {
                bad_request(
                    rid,
                    "invalid_parameter",
                    "marker",
                    "Invalid value for 'marker'",
                )
            }),
        ),
    ];

    for (case, query, expected) in cases {
        // Act
        let reply = get(&app, &format!("/2.0/recent_items?{query}")).await;

        // Assert
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{case}: {}",
            reply.body
        );
        let request_id = reply.body["request_id"].as_str().unwrap_or_default();
        assert_eq!(reply.body, expected(request_id), "{case}");
    }
    let over = get(&app, "/2.0/recent_items?limit=5000").await;
    assert_eq!(
        over.body["limit"], 1000,
        "a limit over the maximum is cut to it"
    );
    assert_eq!(get(&app, "/2.0/recent_items").await.body, before);
}

/// box_sdk_gen's `recent_items.get_recent_items()` and `search_for_content(mdfilters=…)`
/// (`tests/sdk/box_recent_and_mdfilters.py`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_reads_recent_items_and_searches_by_metadata() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act
    let output =
        crate::support::run_sdk_script_off_runtime("box_recent_and_mdfilters.py", &root).await;

    // Assert
    assert!(
        output.contains("box recent items and mdfilters passed"),
        "{output}"
    );
}
