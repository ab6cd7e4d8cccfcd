//! Box's user event stream over the change log: `GET /2.0/events` (stream positions, types,
//! limits, event types with their sources), the long poll (`OPTIONS /2.0/events` and the
//! real-time URL), isolation between users, comment events, and Box's errors for bad
//! parameters.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sha1::{Digest, Sha1};

use crate::support::box_api::*;
use crate::support::{spawn, TestApp};

/// The id the emulator gives the event of log position `n` (see `routes/events.rs`).
fn event_id(n: u64) -> String {
    let digest = Sha1::digest(format!("restore-mock event {n}"));
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn event(n: u64, event_type: &str, user: &Value, source: &Value) -> Value {
    json!({
        "type": "event",
        "event_id": event_id(n),
        "created_by": user,
        "created_at": at(0),
        "recorded_at": at(0),
        "event_type": event_type,
        "session_id": null,
        "source": source,
    })
}

/// A folder and a file with every kind of change a user stream shows: folder 2 made (1), file 3
/// uploaded (2), a version (3), promoted (4), renamed (5), moved into the folder (6), trashed
/// (7) and restored (8).
async fn every_kind(app: &TestApp) -> (String, String) {
    let folder = create_folder(app, "0", "dir").await;
    let folder = id(&folder).to_owned();
    let file = upload(app, "0", "a.txt", b"one").await;
    let file = id(&file).to_owned();
    upload_version(app, &file, b"two").await;
    let first = list_versions(app, &file).await["entries"][0]["id"].clone();
    let path = format!("/2.0/files/{file}");
    let steps = [
        (
            Method::POST,
            format!("{path}/versions/current"),
            json!({"type": "file_version", "id": first}),
            StatusCode::CREATED,
        ),
        (
            Method::PUT,
            path.clone(),
            json!({"name": "b.txt"}),
            StatusCode::OK,
        ),
        (
            Method::PUT,
            path.clone(),
            json!({"parent": {"id": folder}}),
            StatusCode::OK,
        ),
    ];
    for (method, at, body, status) in steps {
        let reply = send_json(app, method, &at, body).await;
        assert_eq!(reply.status, status, "{at}: {reply:?}");
    }
    let trashed = send(request(app, Method::DELETE, &path)).await;
    assert_eq!(trashed.status, StatusCode::NO_CONTENT, "{trashed:?}");
    let restored = send_json(app, Method::POST, &path, json!({})).await;
    assert_eq!(restored.status, StatusCode::CREATED, "{restored:?}");
    (folder, file)
}

#[tokio::test]
async fn the_stream_shows_every_change_with_its_type_source_and_author() {
    // Arrange
    let app = spawn().start().await;
    let (folder, file) = every_kind(&app).await;
    let file_now = get(&app, &format!("/2.0/files/{file}")).await.body;
    // The folder as `GET /folders/{id}` shows it, less the listing of its items, which only
    // that route adds.
    let mut folder_now = get(&app, &format!("/2.0/folders/{folder}")).await.body;
    folder_now
        .as_object_mut()
        .unwrap()
        .remove("item_collection");
    let me = user(&app);

    // Act
    let Reply { status, body, .. } = get(&app, "/2.0/events?stream_position=0").await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "chunk_size": 8,
            "next_stream_position": "9",
            "entries": [
                event(1, "ITEM_CREATE", &me, &folder_now),
                event(2, "ITEM_UPLOAD", &me, &file_now),
                event(3, "ITEM_UPLOAD", &me, &file_now),
                event(4, "ITEM_MAKE_CURRENT_VERSION", &me, &file_now),
                event(5, "ITEM_RENAME", &me, &file_now),
                event(6, "ITEM_MOVE", &me, &file_now),
                event(7, "ITEM_TRASH", &me, &file_now),
                event(8, "ITEM_UNDELETE_VIA_TRASH", &me, &file_now),
            ],
        })
    );
    assert_events_shape(&body);
}

#[tokio::test]
async fn positions_page_the_stream_and_now_starts_at_its_end() {
    // Arrange
    let app = spawn().start().await;
    every_kind(&app).await;

    // Act
    let now = get(&app, "/2.0/events?stream_position=now").await;
    let first = get(
        &app,
        "/2.0/events?stream_position=0&limit=3&stream_type=changes",
    )
    .await;
    let second = get(&app, "/2.0/events?stream_position=4&limit=3").await;
    let end = get(&app, "/2.0/events?stream_position=9").await;

    // Assert
    assert_eq!(
        now.body,
        json!({"chunk_size": 0, "next_stream_position": "9", "entries": []})
    );
    let ids = |page: &Value| -> Vec<Value> {
        (page["entries"].as_array().unwrap().iter())
            .map(|e| e["event_id"].clone())
            .collect()
    };
    assert_eq!(
        (first.body["next_stream_position"].clone(), ids(&first.body)),
        (
            json!("4"),
            vec![json!(event_id(1)), json!(event_id(2)), json!(event_id(3))]
        )
    );
    assert_eq!(
        (
            second.body["next_stream_position"].clone(),
            ids(&second.body)
        ),
        (
            json!("7"),
            vec![json!(event_id(4)), json!(event_id(5)), json!(event_id(6))]
        )
    );
    assert_eq!(
        end.body,
        json!({"chunk_size": 0, "next_stream_position": "9", "entries": []})
    );
}

#[tokio::test]
async fn another_users_changes_are_not_in_my_stream() {
    // Arrange
    let app = spawn().start().await;
    upload(&app, "0", "mine.txt", b"m").await;
    let theirs = app
        .client
        .post(app.url("/api/2.0/files/content"))
        .bearer_auth("someone-else");
    let theirs = with_multipart(
        theirs,
        &[
            Part::attributes(r#"{"name":"theirs.txt","parent":{"id":"0"}}"#),
            Part::file(b"t"),
        ],
    );
    assert_eq!(send(theirs).await.status, StatusCode::CREATED);

    // Act
    let Reply { body, .. } = get(&app, "/2.0/events?stream_position=0").await;

    // Assert
    let names: Vec<&Value> = (body["entries"].as_array().unwrap().iter())
        .map(|e| &e["source"]["name"])
        .collect();
    assert_eq!(names, [&json!("mine.txt")]);
    assert_eq!(body["next_stream_position"], "3");
}

#[tokio::test]
async fn the_long_poll_answers_new_change_or_reconnect() {
    // Arrange
    let app = spawn().start().await;
    upload(&app, "0", "a.txt", b"one").await;
    let me = user(&app);
    let channel: String = Sha1::digest(format!(
        "restore-mock channel {}",
        me["id"].as_str().unwrap()
    ))
    .iter()
    .map(|b| format!("{b:02x}"))
    .collect();

    // Act
    let servers = send(request(&app, Method::OPTIONS, "/2.0/events")).await;
    let url = servers.body["entries"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let poll = |position: &'static str, timeout_ms: u64| {
        send(
            app.client
                .get(format!(
                    "{url}&stream_position={position}&timeout_ms={timeout_ms}"
                ))
                .bearer_auth(TOKEN),
        )
    };
    let already = poll("1", 10_000).await;
    let quiet = poll("2", 1).await;
    let waiting = poll("2", 10_000);
    let change = async {
        upload(&app, "0", "b.txt", b"two").await;
    };
    let (woken, ()) = tokio::join!(waiting, change);

    // Assert
    assert_eq!(servers.status, StatusCode::OK);
    assert_eq!(
        servers.body,
        json!({"chunk_size": 1, "entries": [{
            "type": "realtime_server",
            "url": app.url(&format!("/2.0/events/realtime?channel={}&stream_type=all", &channel[..20])),
            "ttl": "10",
            "max_retries": "10",
            "retry_timeout": 610,
        }]})
    );
    assert_realtime_servers_shape(&servers.body);
    assert_eq!(
        already.body,
        json!({"message": "new_change"}),
        "a change after 1 exists"
    );
    assert_eq!(
        quiet.body,
        json!({"message": "reconnect"}),
        "nothing after 2 within 1 ms"
    );
    assert_eq!(
        woken.body,
        json!({"message": "new_change"}),
        "the upload wakes the poll"
    );
}

#[tokio::test]
async fn bad_parameters_get_boxs_errors() {
    // Arrange
    let app = spawn().start().await;
    let stream_position = |value: &str| {
        format!("Invalid value '{value}'. 'stream_position' must be 'now' or a stream position")
    };
    let invalid_limit = |id: &str| {
        error_json(
            id,
            400,
            "invalid_limit",
            "Limit is not a valid number",
            None,
        )
    };
    let cases = [
        ("/2.0/events?stream_position=abc", "a stream position that is not a number",
         bad_request("y83so4k8319p153p", "invalid_parameter", "stream_position", &stream_position("abc"))),
        ("/2.0/events?stream_position=-1", "a negative stream position",
         bad_request("vyh6gf7h6pw8mme7", "invalid_parameter", "stream_position", &stream_position("-1"))),
        ("/2.0/events?limit=0", "a zero limit", invalid_limit("1iqybveasnwi9py5")),
        ("/2.0/events?limit=many", "a limit that is not a number", invalid_limit("jy7327635gmk3m5w")),
        ("/2.0/events?stream_type=everything", "an unknown stream type",
         bad_request("d95it76emao82qkv", "invalid_parameter", "stream_type",
             "Invalid value 'everything'. 'stream_type' must be one of all, changes, sync, admin_logs, admin_logs_streaming")),
        ("/2.0/events?stream_type=admin_logs", "the enterprise stream, for a user",
         insufficient_permission("bz54cz2iuj32wwyx")),
        ("/2.0/events/realtime?timeout_ms=soon", "a hold that is not a number",
         bad_request("vwg6yy95fp0e33t8", "invalid_parameter", "timeout_ms",
             "Invalid value 'soon'. 'timeout_ms' must be a number of milliseconds")),
    ];

    for (path, why, expected) in cases {
        // Act
        let reply = get(&app, path).await;

        // Assert
        assert_eq!(
            reply.status.as_u16() as u64,
            expected["status"],
            "{why}: {reply:?}"
        );
        assert_eq!(reply.body, expected, "{why}");
        assert_error_text_shape(&reply.text(), reply.status.as_u16());
    }
    let Reply { body, .. } = get(&app, "/2.0/events?stream_position=now").await;
    assert_eq!(body["next_stream_position"], "1", "nothing changed");
}

#[tokio::test]
async fn comments_made_edited_and_deleted_are_comment_events_with_the_comment_as_source() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await; // position 1
    let f = id(&file).to_owned();
    let me = user(&app);
    let on = |item: Value, message: &str| json!({"message": message, "item": item});
    let made = send_json(
        &app,
        Method::POST,
        "/2.0/comments",
        on(json!({"type": "file", "id": f}), "Looks good"),
    )
    .await; // 2
    let c = id(&made.body).to_owned();
    let reply = send_json(
        &app,
        Method::POST,
        "/2.0/comments",
        on(json!({"type": "comment", "id": c}), "Thanks"),
    )
    .await; // 3
    let r = id(&reply.body).to_owned();

    // Act
    let edited = send_json(
        &app,
        Method::PUT,
        &format!("/2.0/comments/{c}"),
        json!({"message": "Looks great"}),
    )
    .await; // 4
    let deleted = send(request(&app, Method::DELETE, &format!("/2.0/comments/{r}"))).await; // 5
    let refused = send_json(
        &app,
        Method::PUT,
        &format!("/2.0/comments/{r}"),
        json!({"message": "gone"}),
    )
    .await;
    let Reply { status, body, .. } = get(&app, "/2.0/events?stream_position=2").await;
    let changes = get(&app, "/2.0/events?stream_position=2&stream_type=changes").await;

    // Assert: each source is the comment as it is now; a deleted one keeps its id and file;
    // the `changes` stream has none of them (Box lists comment events in `all` only).
    assert_eq!(
        changes.body,
        json!({"chunk_size": 0, "next_stream_position": "6", "entries": []})
    );
    assert_eq!(
        (edited.status, deleted.status, refused.status),
        (
            StatusCode::OK,
            StatusCode::NO_CONTENT,
            StatusCode::NOT_FOUND
        )
    );
    let comment = json!({
        "type": "comment", "id": c, "is_reply_comment": false, "message": "Looks great",
        "created_by": me, "created_at": at(0), "modified_at": at(0),
        "item": {"id": f, "type": "file"},
    });
    let gone = json!({"type": "comment", "id": r, "item": {"id": f, "type": "file"}});
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "chunk_size": 4,
            "next_stream_position": "6",
            "entries": [
                event(2, "COMMENT_CREATE", &me, &comment),
                event(3, "COMMENT_CREATE", &me, &gone),
                event(4, "COMMENT_EDIT", &me, &comment),
                event(5, "COMMENT_DELETE", &me, &gone),
            ],
        })
    );
    assert_events_shape(&body);
}

#[tokio::test]
async fn task_assignments_made_and_answered_are_task_assignment_events_in_the_all_stream() {
    // Arrange: a file (position 1) and a task on it (which logs nothing).
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let me = user(&app);
    let task = json!({"item": {"type": "file", "id": id(&file)}, "message": "Look"});
    let task = send_json(&app, Method::POST, "/2.0/tasks", task).await;
    assert_eq!(task.status, StatusCode::CREATED, "{}", task.body);

    // Act: assigned to the caller (2), then answered (3).
    let assign =
        json!({"task": {"type": "task", "id": id(&task.body)}, "assign_to": {"id": me["id"]}});
    let assigned = send_json(&app, Method::POST, "/2.0/task_assignments", assign).await;
    let path = format!("/2.0/task_assignments/{}", id(&assigned.body));
    let answer = json!({"resolution_state": "approved"});
    let answered = send_json(&app, Method::PUT, &path, answer).await;
    let all = get(&app, "/2.0/events?stream_position=2").await;
    let changes = get(&app, "/2.0/events?stream_position=2&stream_type=changes").await;

    // Assert: both events show the assignment as it is now; `changes` has neither.
    assert_eq!(
        (assigned.status, answered.status),
        (StatusCode::CREATED, StatusCode::OK)
    );
    let now = get(&app, &path).await.body;
    assert_eq!(now, answered.body);
    assert_eq!(
        (all.status, all.body),
        (
            StatusCode::OK,
            json!({
                "chunk_size": 2,
                "next_stream_position": "4",
                "entries": [
                    event(2, "TASK_ASSIGNMENT_CREATE", &me, &now),
                    event(3, "TASK_ASSIGNMENT_UPDATE", &me, &now),
                ],
            })
        )
    );
    assert_eq!(
        changes.body,
        json!({"chunk_size": 0, "next_stream_position": "4", "entries": []})
    );
}
