//! Box webhooks: made, read, listed, changed and deleted as Box does them; a change under the
//! target sends Box's `webhook_event`, signed with both keys; comments fire `COMMENT.*` and
//! metadata instances `METADATA_INSTANCE.*`, task assignments `TASK_ASSIGNMENT.*`; every
//! refusal is in Box's envelope and makes nothing.

use std::time::Duration;

use base64::prelude::{Engine as _, BASE64_STANDARD};
use hmac::{Hmac, Mac};
use reqwest::{Method, StatusCode};
use restore_mock::config::Config;
use restore_mock::deliveries::WebhookKeys;
use serde_json::{json, Value};
use sha2::Sha256;

use crate::support::box_api::*;
use crate::support::receiver::{Answer, Receiver};
use crate::support::{spawn, with_request_ids, TestApp};

/// The id of the server's first webhook.
const FIRST_ID: &str = "1000001";

fn webhook_json(
    app: &TestApp,
    id: &str,
    target: (&str, &str),
    address: &str,
    triggers: Value,
) -> Value {
    json!({
        "id": id,
        "type": "webhook",
        "target": {"id": target.0, "type": target.1},
        "created_by": user(app),
        "created_at": at(0),
        "address": address,
        "triggers": triggers,
    })
}

async fn create(app: &TestApp, body: Value) -> Reply {
    send_json(app, Method::POST, "/2.0/webhooks", body).await
}

#[tokio::test]
async fn a_webhook_is_made_read_listed_changed_and_deleted() {
    // Arrange
    let app = spawn().start().await;
    let folder = create_folder(&app, "0", "Watched").await;
    let folder_id = id(&folder).to_owned();
    let file = upload(&app, "0", "a.txt", b"one").await;
    let file_id = id(&file).to_owned();

    // Act
    let created = create(
        &app,
        json!({"target": {"id": folder_id, "type": "folder"}, "address": "http://127.0.0.1:9/hook",
               "triggers": ["FILE.UPLOADED", "FOLDER.RENAMED", "FILE.UPLOADED"]}),
    )
    .await;
    let read = get(&app, &format!("/2.0/webhooks/{FIRST_ID}")).await;
    let listed = get(&app, "/2.0/webhooks").await;
    let changed = send_json(
        &app,
        Method::PUT,
        &format!("/2.0/webhooks/{FIRST_ID}"),
        json!({"target": {"id": file_id, "type": "file"}, "triggers": ["FILE.TRASHED"]}),
    )
    .await;
    let deleted = send(request(
        &app,
        Method::DELETE,
        &format!("/2.0/webhooks/{FIRST_ID}"),
    ))
    .await;
    let gone = get(&app, &format!("/2.0/webhooks/{FIRST_ID}")).await;

    // Assert
    let made = webhook_json(
        &app,
        FIRST_ID,
        (&folder_id, "folder"),
        "http://127.0.0.1:9/hook",
        json!(["FILE.UPLOADED", "FOLDER.RENAMED"]),
    );
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");
    assert_eq!(created.body, made);
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body, made);
    assert_eq!(
        listed.body,
        json!({"entries": [{"id": FIRST_ID, "type": "webhook",
                            "target": {"id": folder_id, "type": "folder"}}],
               "limit": 100, "next_marker": null})
    );
    assert_eq!(changed.status, StatusCode::OK, "{changed:?}");
    assert_eq!(
        changed.body,
        webhook_json(
            &app,
            FIRST_ID,
            (&file_id, "file"),
            "http://127.0.0.1:9/hook",
            json!(["FILE.TRASHED"])
        )
    );
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.body, not_found("ycktnh30wucomkh9"));
}

/// What box_sdk_gen's `compute_webhook_signature` computes: the body's bytes, then the
/// timestamp's.
pub(crate) fn signature(key: &str, body: &[u8], timestamp: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(body);
    mac.update(timestamp.as_bytes());
    BASE64_STANDARD.encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn an_upload_into_a_watched_folder_is_delivered_signed_with_both_keys() {
    // Arrange
    let app = spawn().start().await;
    let keys = WebhookKeys {
        primary: "PrimaryKey".into(),
        secondary: "SecondaryKey".into(),
    };
    app.emulator.set_webhook_keys(keys);
    let receiver = Receiver::start(Answer::Status(200)).await;
    let folder = create_folder(&app, "0", "Watched").await;
    let folder_id = id(&folder).to_owned();
    let created = create(
        &app,
        json!({"target": {"id": folder_id, "type": "folder"}, "address": receiver.url(),
               "triggers": ["FILE.UPLOADED"]}),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");

    // Act
    let file = upload(&app, &folder_id, "a.txt", b"one").await;
    let outside = upload(&app, "0", "b.txt", b"two").await;
    assert!(
        app.emulator
            .settle_deliveries(Duration::from_secs(10))
            .await
    );

    // Assert
    let received = receiver.received();
    assert_eq!(
        received.len(),
        1,
        "only the upload inside the folder: {received:?}"
    );
    let delivery = &received[0];
    assert_eq!(delivery.target, "/hook");
    assert_eq!(delivery.header("content-type"), "application/json");
    assert_eq!(delivery.header("user-agent"), "Box-WH-Client/0.1");
    assert_eq!(delivery.header("box-signature-version"), "1");
    assert_eq!(delivery.header("box-signature-algorithm"), "HmacSHA256");
    let timestamp = delivery.header("box-delivery-timestamp");
    let stamped = chrono::DateTime::parse_from_rfc3339(timestamp).expect("RFC 3339");
    assert!(
        stamped.timestamp() > crate::support::now().timestamp(),
        "the wall clock, not the frozen one"
    );
    assert_eq!(
        delivery.header("box-signature-primary"),
        signature("PrimaryKey", &delivery.body, timestamp)
    );
    assert_eq!(
        delivery.header("box-signature-secondary"),
        signature("SecondaryKey", &delivery.body, timestamp)
    );
    let mut body = delivery.json();
    let event_id = body["id"].take();
    assert_eq!(event_id.as_str().map(str::len), Some(36), "a UUID");
    assert_eq!(
        body,
        json!({
            "type": "webhook_event",
            "id": null,
            "created_at": at(0),
            "trigger": "FILE.UPLOADED",
            "webhook": {"id": FIRST_ID, "type": "webhook"},
            "created_by": user(&app),
            "source": file,
            "additional_info": [],
        })
    );
    let _ = outside;
}

#[tokio::test]
async fn bad_webhooks_are_refused_in_boxs_envelope_and_none_is_made() {
    // Arrange
    let app = spawn().start().await;
    let folder = create_folder(&app, "0", "Watched").await;
    let folder_id = id(&folder).to_owned();
    let file = upload(&app, "0", "a.txt", b"one").await;
    let file_id = id(&file).to_owned();
    let ok = json!({"target": {"id": folder_id, "type": "folder"},
                    "address": "http://127.0.0.1:9/hook", "triggers": ["FILE.UPLOADED"]});
    let with = |key: &str, value: Value| {
        let mut body = ok.clone();
        body[key] = value;
        body
    };
    let without = |key: &str| {
        let mut body = ok.clone();
        body.as_object_mut().unwrap().remove(key);
        body
    };
    let invalid = |name: &str, message: &str| {
        (
            400,
            "invalid_parameter",
            name.to_owned(),
            message.to_owned(),
        )
    };
    let missing = |name: &str| {
        (
            400,
            "missing_parameter",
            name.to_owned(),
            format!("'{name}' is required"),
        )
    };
    let cases = [
        ("no target", without("target"), missing("target")),
        ("no address", without("address"), missing("address")),
        ("no triggers", without("triggers"), missing("triggers")),
        (
            "a target of another type",
            with("target", json!({"id": folder_id, "type": "web_link"})),
            invalid(
                "target",
                "Invalid value for 'target.type': it must be 'file' or 'folder'",
            ),
        ),
        (
            "the root folder",
            with("target", json!({"id": "0", "type": "folder"})),
            invalid("target", "Webhooks cannot be created on the root folder"),
        ),
        (
            "no triggers listed",
            with("triggers", json!([])),
            invalid(
                "triggers",
                "Invalid value for 'triggers': at least one trigger is required",
            ),
        ),
        (
            "an unknown trigger",
            with("triggers", json!(["FILE.VERSION_UPLOADED"])),
            invalid(
                "triggers",
                "Invalid value for 'triggers': unknown trigger 'FILE.VERSION_UPLOADED'",
            ),
        ),
        (
            "a trigger Box sends on its own",
            with("triggers", json!(["WEBHOOK.DELETED"])),
            invalid(
                "triggers",
                "Invalid value for 'triggers': unknown trigger 'WEBHOOK.DELETED'",
            ),
        ),
        (
            "a folder trigger on a file",
            json!({"target": {"id": file_id, "type": "file"},
            "address": "http://127.0.0.1:9/hook", "triggers": ["FILE.UPLOADED"]}),
            invalid(
                "triggers",
                "Invalid value for 'triggers': 'FILE.UPLOADED' applies to folders only",
            ),
        ),
        (
            "an address that is no URL",
            with("address", json!("not a url")),
            invalid(
                "address",
                "Invalid value for 'address': it must be an absolute https URL",
            ),
        ),
    ];
    let cases = with_request_ids(
        cases,
        [
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
        ],
    );

    for ((case, body, (status, reason, name, message)), request_id) in cases {
        // Act
        let reply = create(&app, body).await;

        // Assert
        assert_eq!(reply.status.as_u16(), status, "{case}: {reply:?}");
        assert_eq!(
            reply.body,
            bad_request(request_id, reason, &name, &message),
            "{case}"
        );
    }
    let listed = get(&app, "/2.0/webhooks").await;
    assert_eq!(listed.body["entries"], json!([]), "no webhook was made");
}

#[tokio::test]
async fn a_webhook_on_a_missing_item_is_404_and_a_second_on_one_item_409() {
    // Arrange
    let app = spawn().start().await;
    let folder = create_folder(&app, "0", "Watched").await;
    let folder_id = id(&folder).to_owned();
    let body = json!({"target": {"id": folder_id, "type": "folder"},
                      "address": "http://127.0.0.1:9/hook", "triggers": ["FOLDER.RENAMED"]});
    let first = create(&app, body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED);

    // Act
    let missing = create(
        &app,
        json!({"target": {"id": "999999", "type": "file"}, "address": "http://127.0.0.1:9/hook",
               "triggers": ["FILE.TRASHED"]}),
    )
    .await;
    let as_file = create(
        &app,
        json!({"target": {"id": folder_id, "type": "file"}, "address": "http://127.0.0.1:9/hook",
               "triggers": ["FILE.TRASHED"]}),
    )
    .await;
    let twice = create(&app, body).await;

    // Assert
    assert_eq!(missing.body, not_found("1iqybveasnwi9py5"));
    assert_eq!(as_file.body, not_found("jy7327635gmk3m5w"));
    assert_eq!(
        twice.body,
        error_json(
            "d95it76emao82qkv",
            409,
            "conflict",
            "Webhook already exists for this target and application",
            None
        )
    );
}

#[tokio::test]
async fn with_require_https_receivers_an_http_address_is_refused() {
    // Arrange
    let config = Config {
        require_https_receivers: true,
        ..Config::default()
    };
    let app = spawn().config(config).start().await;
    let folder = create_folder(&app, "0", "Watched").await;

    // Act
    let reply = create(
        &app,
        json!({"target": {"id": id(&folder), "type": "folder"}, "address": "http://127.0.0.1:9/hook",
               "triggers": ["FILE.UPLOADED"]}),
    )
    .await;

    // Assert
    assert_eq!(
        reply.body,
        bad_request(
            "vyh6gf7h6pw8mme7",
            "invalid_parameter",
            "address",
            "Invalid value for 'address': it must be an https URL"
        )
    );
}

#[tokio::test]
async fn the_keys_in_force_are_read_and_set_through_the_admin_api() {
    // Arrange
    let app = spawn().start().await;
    let url = app.url("/__admin/webhook-keys");

    // Act
    let defaults: Value = app
        .client
        .get(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let set = app
        .client
        .put(&url)
        .json(&json!({"primary": "p1", "secondary": "s1"}))
        .send()
        .await
        .unwrap();
    let empty = app
        .client
        .put(&url)
        .json(&json!({"primary": "", "secondary": "s1"}))
        .send()
        .await
        .unwrap();
    let after: Value = app
        .client
        .get(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    // Assert
    assert_eq!(
        defaults,
        json!({"primary": "restore-mock-primary-key", "secondary": "restore-mock-secondary-key"})
    );
    assert_eq!(set.status(), StatusCode::OK);
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    assert_eq!(after, json!({"primary": "p1", "secondary": "s1"}));
}

/// A file `a.txt` in a folder `Watched`, each the target of a webhook with `triggers` to a
/// receiver of its own: `(file id, on the file, on the folder)`.
async fn watched_file(app: &TestApp, triggers: Value) -> (String, Receiver, Receiver) {
    let on_file = Receiver::start(Answer::Status(200)).await;
    let on_folder = Receiver::start(Answer::Status(200)).await;
    let folder = create_folder(app, "0", "Watched").await;
    let file = upload(app, id(&folder), "a.txt", b"one").await;
    let f = id(&file).to_owned();
    for (target, kind, receiver) in [
        (&f, "file", &on_file),
        (&id(&folder).to_owned(), "folder", &on_folder),
    ] {
        let made = create(
            app,
            json!({"target": {"id": target, "type": kind}, "address": receiver.url(),
                   "triggers": triggers}),
        )
        .await;
        assert_eq!(made.status, StatusCode::CREATED, "{made:?}");
    }
    (f, on_file, on_folder)
}

/// Each delivery's trigger and source, in the order they arrived; every one a
/// `webhook_event` made by the test user.
fn triggers_and_sources(app: &TestApp, receiver: &Receiver) -> Vec<(String, Value)> {
    (receiver.received().iter())
        .map(|delivery| {
            let body = delivery.json();
            assert_eq!(body["type"], "webhook_event", "{body}");
            assert_eq!(body["created_by"], user(app), "{body}");
            (
                body["trigger"].as_str().unwrap().to_owned(),
                body["source"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn comments_fire_the_comment_triggers_on_the_file_and_the_folder_above_it() {
    // Arrange
    let app = spawn().start().await;
    let triggers = json!(["COMMENT.CREATED", "COMMENT.UPDATED", "COMMENT.DELETED"]);
    let (f, on_file, on_folder) = watched_file(&app, triggers).await;

    // Act: each delivery made before the next change, so that its source is the comment as
    // the change left it.
    let settle = || app.emulator.settle_deliveries(Duration::from_secs(10));
    let made = send_json(
        &app,
        Method::POST,
        "/2.0/comments",
        json!({"message": "Hello", "item": {"type": "file", "id": f}}),
    )
    .await;
    assert!(settle().await);
    let c = id(&made.body).to_owned();
    let path = format!("/2.0/comments/{c}");
    let edited = send_json(&app, Method::PUT, &path, json!({"message": "Hi"})).await;
    assert!(settle().await);
    let deleted = send(request(&app, Method::DELETE, &path)).await;
    assert!(settle().await);

    // Assert: the comment as made, as edited, and (gone) its type, id and file.
    assert_eq!(
        (made.status, edited.status, deleted.status),
        (StatusCode::CREATED, StatusCode::OK, StatusCode::NO_CONTENT)
    );
    let mut comment = made.body.clone();
    let created = comment.clone();
    comment["message"] = json!("Hi");
    let gone = json!({"type": "comment", "id": c, "item": {"id": f, "type": "file"}});
    let expected = vec![
        ("COMMENT.CREATED".to_owned(), created),
        ("COMMENT.UPDATED".to_owned(), comment),
        ("COMMENT.DELETED".to_owned(), gone),
    ];
    for receiver in [&on_file, &on_folder] {
        assert_eq!(triggers_and_sources(&app, receiver), expected);
    }
}

#[tokio::test]
async fn metadata_instances_fire_the_metadata_triggers_on_the_file_and_the_folder_above_it() {
    // Arrange
    let app = spawn().start().await;
    let triggers = json!([
        "METADATA_INSTANCE.CREATED",
        "METADATA_INSTANCE.UPDATED",
        "METADATA_INSTANCE.DELETED"
    ]);
    let (f, on_file, on_folder) = watched_file(&app, triggers).await;

    // Act: an instance of global properties made, patched and removed.
    let path = format!("/2.0/files/{f}/metadata/global/properties");
    let made = send_json(&app, Method::POST, &path, json!({"stage": "draft"})).await;
    let patch = json!([{"op": "replace", "path": "/stage", "value": "final"}]);
    let patched = send(
        request(&app, Method::PUT, &path)
            .header("content-type", "application/json-patch+json")
            .body(patch.to_string()),
    )
    .await;
    let deleted = send(request(&app, Method::DELETE, &path)).await;
    assert!(
        app.emulator
            .settle_deliveries(Duration::from_secs(10))
            .await
    );

    // Assert: one delivery per change, in order, each with the file as its source.
    assert_eq!(
        (made.status, patched.status, deleted.status),
        (StatusCode::CREATED, StatusCode::OK, StatusCode::NO_CONTENT)
    );
    let standard = get(&app, &format!("/2.0/files/{f}")).await.body;
    let expected: Vec<(String, Value)> = ["CREATED", "UPDATED", "DELETED"]
        .iter()
        .map(|t| (format!("METADATA_INSTANCE.{t}"), standard.clone()))
        .collect();
    for receiver in [&on_file, &on_folder] {
        assert_eq!(triggers_and_sources(&app, receiver), expected);
    }
}

#[tokio::test]
async fn a_task_assigned_and_answered_fires_the_task_assignment_triggers_with_the_assignment() {
    // Arrange: a task on the watched file.
    let app = spawn().start().await;
    let triggers = json!(["TASK_ASSIGNMENT.CREATED", "TASK_ASSIGNMENT.UPDATED"]);
    let (f, on_file, on_folder) = watched_file(&app, triggers).await;
    let task = json!({"item": {"type": "file", "id": f}, "message": "Look"});
    let task = send_json(&app, Method::POST, "/2.0/tasks", task).await;
    assert_eq!(task.status, StatusCode::CREATED, "{}", task.body);

    // Act: each delivery made before the next change, so that its source is the assignment as
    // that change left it.
    let settle = || app.emulator.settle_deliveries(Duration::from_secs(10));
    let assign = json!({"task": {"type": "task", "id": id(&task.body)},
                        "assign_to": {"id": user(&app)["id"]}});
    let assigned = send_json(&app, Method::POST, "/2.0/task_assignments", assign).await;
    assert!(settle().await);
    let path = format!("/2.0/task_assignments/{}", id(&assigned.body));
    let answer = json!({"resolution_state": "approved", "message": "Done"});
    let answered = send_json(&app, Method::PUT, &path, answer).await;
    assert!(settle().await);

    // Assert
    assert_eq!(
        (assigned.status, answered.status),
        (StatusCode::CREATED, StatusCode::OK)
    );
    let expected = vec![
        ("TASK_ASSIGNMENT.CREATED".to_owned(), assigned.body),
        ("TASK_ASSIGNMENT.UPDATED".to_owned(), answered.body),
    ];
    for receiver in [&on_file, &on_folder] {
        assert_eq!(triggers_and_sources(&app, receiver), expected);
    }
}

/// A receiver that takes connections and never answers: the first delivery stays in flight
/// (for the policy's 30 s), and those after it wait in the webhook's queue.
async fn silent_receiver() -> (String, tokio::sync::mpsc::Receiver<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (accepted, told) = tokio::sync::mpsc::channel(8);
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
            let _ = accepted.try_send(());
        }
    });
    (url, told)
}

#[tokio::test]
async fn a_full_queue_drops_its_oldest_delivery_and_records_it() {
    // Arrange: one delivery in flight to a receiver that never answers.
    let app = spawn().start().await;
    let (url, mut accepted) = silent_receiver().await;
    let folder = create_folder(&app, "0", "Watched").await;
    let folder_id = id(&folder).to_owned();
    let created = create(
        &app,
        json!({"target": {"id": folder_id, "type": "folder"}, "address": url,
               "triggers": ["FILE.UPLOADED"]}),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");
    upload(&app, &folder_id, "0.txt", b"0").await;
    tokio::time::timeout(Duration::from_secs(10), accepted.recv())
        .await
        .expect("the first delivery reaches the receiver");

    // Act: a queue's worth of uploads (1000), then one more, which drops the oldest queued.
    let mut second = None;
    for n in 1..=1001 {
        let file = upload(&app, &folder_id, &format!("{n}.txt"), b"n").await;
        second.get_or_insert(file);
    }

    // Assert
    let second = second.unwrap();
    let listed = send(app.client.get(app.url("/__admin/deliveries?api=box"))).await;
    assert_eq!(listed.status, StatusCode::OK);
    let listed = listed.body;
    let mut dropped = listed["deliveries"].as_array().unwrap().clone();
    assert_eq!(dropped.len(), 1, "only the drop is recorded: {listed}");
    let event = dropped[0]["event"].take();
    assert_eq!(event.as_str().map(str::len), Some(36), "a UUID: {event}");
    let change = dropped[0]["change"].take();
    assert!(change.is_u64(), "the change's position: {change}");
    assert_eq!(
        dropped[0],
        json!({"seq": 1, "api": "box", "subscription": FIRST_ID, "kind": "webhook",
               "target": url, "attempt": 0, "time": crate::support::graph::at(0), "status": null, "latency_us": 0,
               "error": "not sent: more than 1000 deliveries were waiting for this subscription",
               "outcome": "dropped", "cause": null, "change": null,
               "item": second["id"].as_str().unwrap().parse::<u64>().unwrap(), "event": null})
    );
    assert_eq!(
        listed["outstanding"],
        json!(1001),
        "one in flight, a queue's worth waiting"
    );
}
