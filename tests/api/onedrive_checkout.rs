//! Check-out and check-in (issue 19): `checkout`, `checkin`, `discardCheckout`, the
//! `publication` facet, what another user gets while a file is out (`423`), and the version
//! history across check-ins. Alice owns the file; Bob is invited to it with `write`.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::onedrive_shared_drives::{alice, call, get, graph_with, people};
use crate::support::graph::{labels, Graph};
use crate::support::with_request_ids;

const DRIVE: &str = "b!a1";
const FILE: &str = "1000000002";

/// Alice's `a.txt` (`v1`), with Bob invited to it with `write`.
async fn shared_file() -> Graph {
    let graph = graph_with(json!({ "users": people() })).await;
    let file = call(
        &graph,
        "alice",
        Method::PUT,
        "/me/drive/root:/a.txt:/content",
        b"v1",
    )
    .await;
    assert_eq!(file.body["id"], FILE, "{file:?}");
    let invite = json!({"recipients": [{"email": "bob@example.com"}], "roles": ["write"]});
    let invited = call(
        &graph,
        "alice",
        Method::POST,
        &format!("/me/drive/items/{FILE}/invite"),
        invite.to_string().as_bytes(),
    )
    .await;
    assert_eq!(invited.status, StatusCode::OK, "{invited:?}");
    graph
}

async fn publication(graph: &Graph) -> Value {
    let item = get(
        graph,
        "alice",
        &format!("/me/drive/items/{FILE}?$select=id,publication"),
    )
    .await;
    assert_eq!(item.status, StatusCode::OK, "{item:?}");
    item.body["publication"].clone()
}

async fn versions(graph: &Graph) -> Vec<String> {
    labels(
        &get(graph, "alice", &format!("/me/drive/items/{FILE}/versions"))
            .await
            .body,
    )
}

#[tokio::test]
async fn a_checked_out_file_is_locked_to_others_and_checkin_makes_one_version_of_the_drafts() {
    // Arrange
    let graph = shared_file().await;
    let item = format!("/drives/{DRIVE}/items/{FILE}");
    assert_eq!(
        publication(&graph).await,
        json!({"level": "published", "versionId": "1.0"})
    );

    // Act
    let out = call(
        &graph,
        "alice",
        Method::POST,
        &format!("{item}/checkout"),
        b"",
    )
    .await;

    // Assert: 204, and the facet names Alice.
    assert_eq!(out.status, StatusCode::NO_CONTENT, "{out:?}");
    assert!(out.bytes.is_empty());
    assert_eq!(
        publication(&graph).await,
        json!({"level": "checkout", "versionId": "1.0", "checkedOutBy": alice()})
    );
    // Bob's changes are refused with the locked envelope; nothing changes.
    let cases = with_request_ids(
        [
            ("upload", Method::PUT, format!("{item}/content")),
            ("rename", Method::PATCH, item.clone()),
            ("delete", Method::DELETE, item.clone()),
            ("check in", Method::POST, format!("{item}/checkin")),
            ("discard", Method::POST, format!("{item}/discardCheckout")),
            ("check out", Method::POST, format!("{item}/checkout")),
            (
                "restore",
                Method::POST,
                format!("{item}/versions/1.0/restoreVersion"),
            ),
        ],
        [
            "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
            "bd64a5d9-adef-e000-6c1e-186443822970",
            "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
            "9e5651b0-ef95-3636-e62b-6430f1260052",
            "aeaf52fe-be70-6064-d484-a1e7c35a0b13",
            "088712be-8a58-2fca-6fc5-530939fb94c3",
            "50f5647d-2380-309d-baa3-2132e1340f17",
        ],
    );
    for ((why, method, path), id) in cases {
        let body: &[u8] = match method {
            Method::PATCH => br#"{"name": "b.txt"}"#,
            Method::PUT => b"bob's",
            _ => b"",
        };
        let reply = call(&graph, "bob", method, &path, body).await;
        assert_eq!(reply.status.as_u16(), 423, "{why}: {reply:?}");
        assert_eq!(
            reply.body,
            json!({"error": {
                "code": "notAllowed",
                "message": "The resource you are attempting to access is locked",
                "innerError": {
                    "code": "resourceLocked",
                    "date": "2024-06-01T10:00:00",
                    "request-id": id,
                    "client-request-id": id,
                },
            }}),
            "{why}"
        );
    }
    // Bob still reads it.
    let read = get(&graph, "bob", &item).await;
    assert_eq!(read.body["name"], "a.txt");
    // Alice writes twice; the check-in folds both into 2.0, carrying the last bytes.
    call(
        &graph,
        "alice",
        Method::PUT,
        &format!("{item}/content"),
        b"draft",
    )
    .await;
    call(
        &graph,
        "alice",
        Method::PUT,
        &format!("{item}/content"),
        b"final",
    )
    .await;
    assert_eq!(versions(&graph).await, ["3.0", "2.0", "1.0"]);
    // Bob still sees the file as it was checked out: its drafts are Alice's until check-in.
    let seen = get(&graph, "bob", &item).await;
    assert_eq!(
        (&seen.body["size"], &seen.body["publication"]),
        (&json!(2), &Value::Null)
    );
    let his = get(&graph, "bob", &format!("{item}/versions")).await;
    assert_eq!(labels(&his.body), ["1.0"]);
    let draft = get(&graph, "bob", &format!("{item}/versions/2.0")).await;
    assert_eq!(draft.status, StatusCode::NOT_FOUND, "{draft:?}");
    let bytes = get(&graph, "bob", &format!("{item}/content")).await;
    assert_eq!(graph.fetch(bytes.header("location")).await.1, "v1");
    let body = json!({"comment": "done", "checkInAs": "published"});
    let checked_in = call(
        &graph,
        "alice",
        Method::POST,
        &format!("{item}/checkin"),
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(checked_in.status, StatusCode::NO_CONTENT, "{checked_in:?}");
    assert_eq!(versions(&graph).await, ["2.0", "1.0"]);
    assert_eq!(
        publication(&graph).await,
        json!({"level": "published", "versionId": "2.0"})
    );
    let content = get(&graph, "bob", &format!("{item}/content")).await;
    assert_eq!(content.status, StatusCode::FOUND, "{content:?}");
    assert_eq!(
        graph.fetch(content.header("location")).await,
        (StatusCode::OK, "final".into())
    );
    // Bob may write again, and a restore makes the next version as ever.
    let written = call(
        &graph,
        "bob",
        Method::PUT,
        &format!("{item}/content"),
        b"bob's",
    )
    .await;
    assert_eq!(written.status, StatusCode::OK, "{written:?}");
    let restored = call(
        &graph,
        "alice",
        Method::POST,
        &format!("{item}/versions/1.0/restoreVersion"),
        b"",
    )
    .await;
    assert_eq!(restored.status, StatusCode::NO_CONTENT, "{restored:?}");
    assert_eq!(versions(&graph).await, ["4.0", "3.0", "2.0", "1.0"]);
}

#[tokio::test]
async fn discard_checkout_drops_what_was_written_while_the_file_was_out() {
    // Arrange
    let graph = shared_file().await;
    let item = format!("/me/drive/items/{FILE}");
    call(
        &graph,
        "alice",
        Method::POST,
        &format!("{item}/checkout"),
        b"",
    )
    .await;
    call(
        &graph,
        "alice",
        Method::PUT,
        &format!("{item}/content"),
        b"scratch",
    )
    .await;
    assert_eq!(versions(&graph).await, ["2.0", "1.0"]);

    // Act
    let discarded = call(
        &graph,
        "alice",
        Method::POST,
        &format!("{item}/discardCheckout"),
        b"",
    )
    .await;

    // Assert
    assert_eq!(discarded.status, StatusCode::NO_CONTENT, "{discarded:?}");
    assert_eq!(versions(&graph).await, ["1.0"]);
    assert_eq!(
        publication(&graph).await,
        json!({"level": "published", "versionId": "1.0"})
    );
    let bytes = get(&graph, "alice", &format!("{item}/content")).await;
    assert_eq!(graph.fetch(bytes.header("location")).await.1, "v1");
}

#[tokio::test]
async fn bad_checkout_requests_get_graphs_envelope() {
    // Arrange
    let graph = shared_file().await;
    let item = format!("/me/drive/items/{FILE}");
    let cases = with_request_ids(
        [
            ("check in a file not out", format!("{item}/checkin"), "", 400, "invalidRequest", "The file is not checked out."),
            ("discard a file not out", format!("{item}/discardCheckout"), "", 400, "invalidRequest", "The file is not checked out."),
            ("check out a folder", "/me/drive/root/checkout".into(), "", 400, "invalidRequest", "Only files can be checked out or checked in."),
            ("unknown checkInAs", format!("{item}/checkin"), r#"{"checkInAs": "draft"}"#, 400, "invalidRequest", "Invalid value 'draft' for checkInAs."),
            ("checkin body not JSON", format!("{item}/checkin"), "{", 400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."),
            ("unknown item", "/me/drive/items/1000000099/checkout".into(), "", 404, "itemNotFound", "Item not found"),
        ],
        ["975835de-1c97-56ce-f75f-04cbb5a1a1dd", "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a", "6e73e372-e233-8aca-16b1-cba95fc60262", "63033b0c-a389-c35a-e8f9-38e3d92c0f81", "bd64a5d9-adef-e000-6c1e-186443822970", "63cbe1e4-5932-0dd7-88fc-a0195de67e12"],
    );

    for ((why, path, body, status, code, message), id) in cases {
        // Act
        let reply = call(&graph, "alice", Method::POST, &path, body.as_bytes()).await;

        // Assert
        assert_eq!(reply.status.as_u16(), status, "{why}: {reply:?}");
        graph.assert_error(&reply, status, code, message, id);
    }
    let get_on_action = call(
        &graph,
        "alice",
        Method::GET,
        &format!("{item}/checkout"),
        b"",
    )
    .await;
    assert_eq!(get_on_action.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(get_on_action.header("allow"), "POST");
}

#[tokio::test]
async fn in_a_group_library_a_members_check_out_locks_the_other_member_out_until_check_in() {
    // Arrange: Alice and Bob are the group's members.
    let graph = graph_with(json!({
        "users": people(),
        "groups": [{"id": "g-eng", "name": "Engineering", "mail": "eng@contoso.com", "members": ["a1", "b2"]}],
    }))
    .await;
    let made = call(
        &graph,
        "alice",
        Method::PUT,
        "/groups/g-eng/drive/root:/spec.txt:/content",
        b"v1",
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{made:?}");
    let item = format!(
        "/groups/g-eng/drive/items/{}",
        made.body["id"].as_str().unwrap()
    );

    // Act
    let out = call(
        &graph,
        "alice",
        Method::POST,
        &format!("{item}/checkout"),
        b"",
    )
    .await;
    let bobs = call(
        &graph,
        "bob",
        Method::PUT,
        &format!("{item}/content"),
        b"bob's",
    )
    .await;

    // Assert
    assert_eq!(out.status, StatusCode::NO_CONTENT, "{out:?}");
    assert_eq!(bobs.status.as_u16(), 423, "{bobs:?}");
    assert_eq!(bobs.body["error"]["innerError"]["code"], "resourceLocked");
    let facet = get(&graph, "bob", &format!("{item}?$select=publication")).await;
    assert_eq!(
        facet.body["publication"],
        json!({"level": "checkout", "versionId": "1.0", "checkedOutBy": alice()})
    );
    let checked_in = call(
        &graph,
        "alice",
        Method::POST,
        &format!("{item}/checkin"),
        b"",
    )
    .await;
    assert_eq!(checked_in.status, StatusCode::NO_CONTENT, "{checked_in:?}");
    let bobs = call(
        &graph,
        "bob",
        Method::PUT,
        &format!("{item}/content"),
        b"bob's",
    )
    .await;
    assert_eq!(bobs.status, StatusCode::OK, "{bobs:?}");
    let history = get(&graph, "alice", &format!("{item}/versions")).await;
    assert_eq!(labels(&history.body), ["2.0", "1.0"]);
}

#[tokio::test]
async fn check_outs_take_fault_rules_and_land_in_the_journal_and_on_the_admin_timeline() {
    // Arrange: the first checkout answers an injected 503.
    let graph = shared_file().await;
    let admin = |path: &str| graph.app.url(&format!("/__admin{path}"));
    let rule = json!({
        "match": {"api": "graph", "method": "POST", "path": "*/checkout"},
        "action": {"type": "error", "status": 503},
        "times": 1
    });
    let made = graph
        .app
        .client
        .post(admin("/faults"))
        .json(&rule)
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), StatusCode::CREATED);
    let item = format!("/me/drive/items/{FILE}");

    // Act
    let faulted = call(
        &graph,
        "alice",
        Method::POST,
        &format!("{item}/checkout"),
        b"",
    )
    .await;
    let unchanged = publication(&graph).await;
    let out = call(
        &graph,
        "alice",
        Method::POST,
        &format!("{item}/checkout"),
        b"",
    )
    .await;
    call(
        &graph,
        "alice",
        Method::PUT,
        &format!("{item}/content"),
        b"v2",
    )
    .await;
    let body = json!({"comment": "reviewed"}).to_string();
    let checked_in = call(
        &graph,
        "alice",
        Method::POST,
        &format!("{item}/checkin"),
        body.as_bytes(),
    )
    .await;

    // Assert: the fault changed nothing; the retry and the check-in went through.
    assert_eq!(faulted.status.as_u16(), 503, "{faulted:?}");
    assert_eq!(faulted.body["error"]["code"], "serviceNotAvailable");
    assert_eq!(unchanged, json!({"level": "published", "versionId": "1.0"}));
    assert_eq!(out.status, StatusCode::NO_CONTENT, "{out:?}");
    assert_eq!(checked_in.status, StatusCode::NO_CONTENT, "{checked_in:?}");
    // The journal links the check-in to the file.
    let journal: Value = (graph
        .app
        .client
        .get(admin("/requests?order=newest&limit=1")))
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let entry = &journal["requests"][0];
    assert_eq!(
        (
            &entry["method"],
            &entry["path"],
            &entry["status"],
            &entry["item"]
        ),
        (
            &json!("POST"),
            &json!(format!("/v1.0{item}/checkin")),
            &json!(204),
            &json!(1000000002)
        )
    );
    // The admin timeline marks the version the check-in published, and no other.
    let timeline: Value = (graph
        .app
        .client
        .get(admin(&format!("/items/{FILE}/versions"))))
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let versions = timeline["versions"].as_array().unwrap();
    assert_eq!(versions[0]["number"], 2);
    assert_eq!(versions[0]["checked_in"], "reviewed");
    assert!(versions[1].get("checked_in").is_none(), "{timeline}");
}

#[tokio::test]
async fn the_holder_deleting_an_old_version_while_out_leaves_the_drafts_theirs() {
    // Arrange: 1.0 and 2.0 before the check-out.
    let graph = shared_file().await;
    let item = format!("/me/drive/items/{FILE}");
    call(
        &graph,
        "alice",
        Method::PUT,
        &format!("{item}/content"),
        b"v2",
    )
    .await;
    call(
        &graph,
        "alice",
        Method::POST,
        &format!("{item}/checkout"),
        b"",
    )
    .await;

    // Act: Alice deletes 1.0, then writes a draft.
    let deleted = call(
        &graph,
        "alice",
        Method::DELETE,
        &format!("{item}/versions/1.0"),
        b"",
    )
    .await;
    call(
        &graph,
        "alice",
        Method::PUT,
        &format!("{item}/content"),
        b"draft",
    )
    .await;

    // Assert: Bob sees 2.0 alone; the check-in publishes the draft as 3.0.
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{deleted:?}");
    let bobs = get(
        &graph,
        "bob",
        &format!("/drives/{DRIVE}/items/{FILE}/versions"),
    )
    .await;
    assert_eq!(labels(&bobs.body), ["2.0"]);
    call(
        &graph,
        "alice",
        Method::POST,
        &format!("{item}/checkin"),
        b"",
    )
    .await;
    assert_eq!(versions(&graph).await, ["3.0", "2.0"]);
    let bobs = get(
        &graph,
        "bob",
        &format!("/drives/{DRIVE}/items/{FILE}/versions"),
    )
    .await;
    assert_eq!(labels(&bobs.body), ["3.0", "2.0"]);
}
