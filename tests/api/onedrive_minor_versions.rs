//! Minor versions: in a library whose `minor_versions` switch is on, a check-in makes the next
//! minor version (`1.1`) and a `checkInAs: "published"` one the next major (`2.0`); the labels
//! name versions in every version route, and `publication` says `draft` over a minor version.
//! Alice and Bob are members of the group whose library it is.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::onedrive_shared_drives::{alice, call, get, graph_with, people};
use crate::support::graph::{labels, Graph};
use crate::support::with_request_ids;

const ITEM: &str = "/groups/g-eng/drive/items/1000000002";

/// The group `g-eng` whose library has minor versions (or not), holding `spec.txt` (`v1`).
async fn library(minor_versions: bool) -> Graph {
    let graph = graph_with(json!({
        "users": people(),
        "groups": [{"id": "g-eng", "name": "Engineering", "mail": "eng@contoso.com", "members": ["a1", "b2"]}],
        "sites": [{"name": "eng", "group": "g-eng", "libraries": [
            {"name": "Documents", "minor_versions": minor_versions}
        ]}],
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
    assert_eq!(made.body["id"], "1000000002");
    graph
}

async fn post(graph: &Graph, action: &str, body: Value) {
    let body = match body {
        Value::Null => Vec::new(),
        body => body.to_string().into_bytes(),
    };
    let reply = call(
        graph,
        "alice",
        Method::POST,
        &format!("{ITEM}/{action}"),
        &body,
    )
    .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{action}: {reply:?}");
}

async fn write(graph: &Graph, bytes: &[u8]) {
    let reply = call(
        graph,
        "alice",
        Method::PUT,
        &format!("{ITEM}/content"),
        bytes,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
}

async fn versions(graph: &Graph, user: &str) -> Vec<String> {
    let listed = get(graph, user, &format!("{ITEM}/versions")).await;
    assert_eq!(listed.status, StatusCode::OK, "{listed:?}");
    labels(&listed.body)
}

async fn publication(graph: &Graph, user: &str) -> Value {
    let item = get(graph, user, &format!("{ITEM}?$select=id,publication")).await;
    assert_eq!(item.status, StatusCode::OK, "{item:?}");
    item.body["publication"].clone()
}

/// The bytes of `path` (a content route), following its redirect.
async fn bytes(graph: &Graph, path: &str) -> String {
    let reply = get(graph, "bob", path).await;
    assert_eq!(reply.status, StatusCode::FOUND, "{path}: {reply:?}");
    let (status, body) = graph.fetch(reply.header("location")).await;
    assert_eq!(status, StatusCode::OK);
    String::from_utf8(body.to_vec()).unwrap()
}

#[tokio::test]
async fn in_a_library_with_minor_versions_checkins_make_minor_versions_and_publishing_the_next_major(
) {
    // Arrange
    let graph = library(true).await;
    post(&graph, "checkout", Value::Null).await;

    // Act: two drafts.
    write(&graph, b"draft one").await;
    write(&graph, b"draft two").await;

    // Assert: the holder sees the drafts as the next minor versions, Bob the last check-in.
    assert_eq!(versions(&graph, "alice").await, ["1.2", "1.1", "1.0"]);
    assert_eq!(versions(&graph, "bob").await, ["1.0"]);
    let checkout =
        |version: &str| json!({"level": "checkout", "versionId": version, "checkedOutBy": alice()});
    assert_eq!(publication(&graph, "alice").await, checkout("1.2"));
    assert_eq!(publication(&graph, "bob").await, checkout("1.0"));

    // Act: a check-in without checkInAs publishes nothing: the drafts become 1.1.
    post(&graph, "checkin", json!({"comment": "wip"})).await;

    // Assert: both see 1.1, a draft in the facet; its bytes are the last draft's.
    for user in ["alice", "bob"] {
        assert_eq!(versions(&graph, user).await, ["1.1", "1.0"], "{user}");
        assert_eq!(
            publication(&graph, user).await,
            json!({"level": "draft", "versionId": "1.1"}),
            "{user}"
        );
    }
    assert_eq!(bytes(&graph, &format!("{ITEM}/content")).await, "draft two");

    // Act: another minor check-in, then a published one.
    post(&graph, "checkout", Value::Null).await;
    write(&graph, b"draft three").await;
    post(&graph, "checkin", json!({"checkInAs": "unspecified"})).await;
    post(&graph, "checkout", Value::Null).await;
    write(&graph, b"final").await;
    assert_eq!(
        versions(&graph, "alice").await,
        ["1.3", "1.2", "1.1", "1.0"]
    );
    post(
        &graph,
        "checkin",
        json!({"comment": "ship it", "checkInAs": "published"}),
    )
    .await;

    // Assert: the published check-in is 2.0; the minor versions stay, each readable by label.
    assert_eq!(versions(&graph, "bob").await, ["2.0", "1.2", "1.1", "1.0"]);
    assert_eq!(
        publication(&graph, "bob").await,
        json!({"level": "published", "versionId": "2.0"})
    );
    let minor = get(&graph, "bob", &format!("{ITEM}/versions/1.1")).await;
    assert_eq!(minor.status, StatusCode::OK, "{minor:?}");
    assert_eq!(
        (&minor.body["id"], &minor.body["size"]),
        (&json!("1.1"), &json!(9))
    );
    assert_eq!(
        bytes(&graph, &format!("{ITEM}/versions/1.2/content")).await,
        "draft three"
    );
    assert_eq!(bytes(&graph, &format!("{ITEM}/content")).await, "final");
}

#[tokio::test]
async fn a_minor_version_restores_deletes_and_publishes_by_its_label() {
    // Arrange: 1.0, then 1.1 checked in as a minor version.
    let graph = library(true).await;
    post(&graph, "checkout", Value::Null).await;
    write(&graph, b"minor").await;
    post(&graph, "checkin", Value::Null).await;

    // Act: publishing with no drafts makes 2.0 from 1.1's bytes.
    post(&graph, "checkout", Value::Null).await;
    post(&graph, "checkin", json!({"checkInAs": "published"})).await;

    // Assert
    assert_eq!(versions(&graph, "alice").await, ["2.0", "1.1", "1.0"]);
    assert_eq!(bytes(&graph, &format!("{ITEM}/content")).await, "minor");

    // Act: a check-in of nothing while 2.0 is current changes no version.
    post(&graph, "checkout", Value::Null).await;
    post(&graph, "checkin", Value::Null).await;

    // Assert
    assert_eq!(versions(&graph, "alice").await, ["2.0", "1.1", "1.0"]);

    // Act: restoring 1.1 makes the next major version with its bytes; deleting 1.1 drops it.
    post(&graph, "versions/1.1/restoreVersion", Value::Null).await;
    let deleted = call(
        &graph,
        "alice",
        Method::DELETE,
        &format!("{ITEM}/versions/1.1"),
        b"",
    )
    .await;

    // Assert
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{deleted:?}");
    assert_eq!(versions(&graph, "bob").await, ["3.0", "2.0", "1.0"]);
    assert_eq!(bytes(&graph, &format!("{ITEM}/content")).await, "minor");
    assert_eq!(
        publication(&graph, "bob").await,
        json!({"level": "published", "versionId": "3.0"})
    );
}

#[tokio::test]
async fn labels_that_name_no_version_of_a_library_with_minor_versions_are_404() {
    // Arrange: 1.0 and 1.1.
    let graph = library(true).await;
    post(&graph, "checkout", Value::Null).await;
    write(&graph, b"minor").await;
    post(&graph, "checkin", Value::Null).await;
    let cases = with_request_ids(
        [
            ("a minor version not made yet", "1.2"),
            ("a major version not made yet", "2.0"),
            ("a minor number with a leading zero", "1.01"),
            ("a minor of a major version that does not exist", "0.1"),
            ("three parts", "1.1.0"),
        ],
        [
            "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
            "bd64a5d9-adef-e000-6c1e-186443822970",
            "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
            "9e5651b0-ef95-3636-e62b-6430f1260052",
            "aeaf52fe-be70-6064-d484-a1e7c35a0b13",
        ],
    );
    let before = versions(&graph, "alice").await;

    for ((why, label), id) in cases {
        // Act
        let reply = get(&graph, "alice", &format!("{ITEM}/versions/{label}")).await;

        // Assert
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{why}: {reply:?}");
        graph.assert_error(&reply, 404, "itemNotFound", "Item not found", id);
    }
    assert_eq!(versions(&graph, "alice").await, before);
    assert_eq!(before, ["1.1", "1.0"]);
}

#[tokio::test]
async fn without_the_switch_every_check_in_of_a_library_is_a_major_version() {
    // Arrange
    let graph = library(false).await;
    post(&graph, "checkout", Value::Null).await;

    // Act
    write(&graph, b"draft").await;
    let drafting = versions(&graph, "alice").await;
    post(&graph, "checkin", Value::Null).await;

    // Assert
    assert_eq!(drafting, ["2.0", "1.0"]);
    assert_eq!(versions(&graph, "bob").await, ["2.0", "1.0"]);
    assert_eq!(
        publication(&graph, "bob").await,
        json!({"level": "published", "versionId": "2.0"})
    );
}

#[tokio::test]
async fn the_switch_and_minor_labels_come_back_in_the_state_export_and_load_back() {
    // Arrange: 1.0 and 1.1.
    let graph = library(true).await;
    post(&graph, "checkout", Value::Null).await;
    write(&graph, b"minor").await;
    post(&graph, "checkin", Value::Null).await;
    let state_url = graph.app.url("/__admin/state");

    // Act
    let state: Value = (graph.app.client.get(&state_url).send().await.unwrap())
        .json()
        .await
        .unwrap();

    // Assert
    let library = &state["sites"][0]["libraries"][0];
    assert_eq!(library["minor_versions"], true, "{state}");
    let numbers: Vec<_> = (library["items"][0]["versions"].as_array().unwrap())
        .iter()
        .map(|v| (v["number"].clone(), v.get("minor").cloned()))
        .collect();
    assert_eq!(
        numbers,
        [(json!(1), None), (json!(1), Some(json!(1)))],
        "{state}"
    );
    // Loaded into a fresh emulator, the export gives the same labels and the same switch.
    let again = graph_with(state).await;
    let listed = get(&again, "alice", &format!("{ITEM}/versions")).await;
    assert_eq!(labels(&listed.body), ["1.1", "1.0"], "{listed:?}");
    post(&again, "checkout", Value::Null).await;
    write(&again, b"next").await;
    post(&again, "checkin", Value::Null).await;
    assert_eq!(versions(&again, "alice").await, ["1.2", "1.1", "1.0"]);
}
