//! `DELETE {item}/versions/{id}` (issue 19): OneDrive for Business removes a previous version
//! for good and answers `204`; the current version is refused. Read back after each request.

use reqwest::{Method, StatusCode};

use crate::support::graph::{etag, me, version_json, Graph, DRIVE_ID};
use crate::support::{spawn, with_request_ids};

/// The eTag GUID of the test's file (the first item the test token makes).
const GUID: &str = "A04535F2-2366-4573-924A-9CEB7CB3CB73";

/// A file with three versions, uploaded a minute apart: `one`, `second`, `third!!`; its id.
async fn three_versions(graph: &Graph) -> String {
    let mut first = None;
    for body in [&b"one"[..], b"second", b"third!!"] {
        let item = graph.upload("/notes.txt", body).await;
        first.get_or_insert(item);
        graph.advance(60);
    }
    let first = first.unwrap();
    first["id"].as_str().unwrap().to_owned()
}

/// The bytes a `302` download reply points at.
async fn downloaded(graph: &Graph, path: &str) -> Vec<u8> {
    let reply = graph.get(path).await;
    assert_eq!(reply.status, StatusCode::FOUND, "{path}: {reply:?}");
    let (status, bytes) = graph.fetch(reply.header("location")).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    bytes.to_vec()
}

#[tokio::test]
async fn deleting_a_previous_version_removes_it_and_leaves_the_item_and_the_others_as_they_were() {
    // Arrange
    let graph = spawn().graph().await;
    let me = me();
    let id = three_versions(&graph).await;
    let item = format!("/me/drive/items/{id}");

    // Act
    let reply = graph.delete(&format!("{item}/versions/2.0")).await;

    // Assert: 204 with no body.
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{reply:?}");
    assert!(reply.bytes.is_empty());
    // The history lost 2.0 and nothing else; the others keep their numbers.
    let versions = graph.get(&format!("{item}/versions")).await;
    assert_eq!(
        versions.body["value"],
        serde_json::json!([
            version_json("3.0", 7, 120, &me),
            version_json("1.0", 3, 0, &me),
        ])
    );
    let gone = graph.get(&format!("{item}/versions/2.0")).await;
    graph.assert_error(
        &gone,
        404,
        "itemNotFound",
        "Item not found",
        "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
    );
    // No new version and no change to the item: the same eTag as after the third upload.
    let after = graph.get(&item).await;
    assert_eq!(after.body["eTag"], etag(GUID, 3));
    assert_eq!(after.body["size"], 7);
    // Both the kept old version and the current one still download their own bytes.
    assert_eq!(
        downloaded(&graph, &format!("{item}/versions/1.0/content")).await,
        b"one"
    );
    assert_eq!(
        downloaded(&graph, &format!("{item}/content")).await,
        b"third!!"
    );
    // The next version is 4.0: a deleted number is not given out again.
    graph.upload("/notes.txt", b"four").await;
    assert_eq!(graph.version_ids(&id).await, ["4.0", "3.0", "1.0"]);
}

#[tokio::test]
async fn the_current_version_an_unknown_one_or_a_stale_if_match_is_refused_and_changes_nothing() {
    // Arrange
    let graph = spawn().graph().await;
    let id = three_versions(&graph).await;
    let item = format!("/me/drive/items/{id}");
    let current = "The operation is not allowed on the current version.";
    let not_found = "Item not found";
    // (path, If-Match, status, code, message, why)
    let cases = [
        (
            format!("{item}/versions/3.0"),
            None,
            400,
            "invalidRequest",
            current,
            "the current version by number",
        ),
        (
            format!("{item}/versions/current"),
            None,
            400,
            "invalidRequest",
            current,
            "the current version by name",
        ),
        (
            format!("{item}/versions/7.0"),
            None,
            404,
            "itemNotFound",
            not_found,
            "a version the file never had",
        ),
        (
            format!("{item}/versions/1.5"),
            None,
            404,
            "itemNotFound",
            not_found,
            "a label not in Graph's form",
        ),
        (
            "/me/drive/items/999/versions/1.0".to_owned(),
            None,
            404,
            "itemNotFound",
            not_found,
            "an unknown item",
        ),
        (
            "/me/drive/root/versions/1.0".to_owned(),
            None,
            404,
            "itemNotFound",
            not_found,
            "a folder has no versions",
        ),
        (
            format!("{item}/versions/1.0"),
            Some(etag(GUID, 2)),
            412,
            "resourceModified",
            "ETag does not match current item's value",
            "an If-Match naming an earlier state of the item",
        ),
    ];

    let ids = [
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
        "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
        "bd64a5d9-adef-e000-6c1e-186443822970",
        "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
        "9e5651b0-ef95-3636-e62b-6430f1260052",
        "aeaf52fe-be70-6064-d484-a1e7c35a0b13",
    ];
    for ((path, if_match, status, code, message, why), request_id) in with_request_ids(cases, ids) {
        // Act
        let mut request = graph.request(Method::DELETE, &path);
        if let Some(tag) = if_match {
            request = request.header("if-match", tag);
        }
        let reply = graph.send(request).await;

        // Assert
        assert_eq!(reply.status.as_u16(), status, "{why}: {reply:?}");
        graph.assert_error(&reply, status, code, message, request_id);
    }
    assert_eq!(graph.version_ids(&id).await, ["3.0", "2.0", "1.0"]);
    assert_eq!(graph.get(&item).await.body["eTag"], etag(GUID, 3));
}

#[tokio::test]
async fn a_version_is_deleted_by_any_address_form_of_its_item() {
    // Arrange: one file at a path, and the forms an SDK or rclone may send.
    let graph = spawn().graph().await;
    let id = three_versions(&graph).await;
    let forms = [
        (
            "/me/drive/root:/notes.txt:/versions/1.0".to_owned(),
            "by path",
        ),
        (
            format!("/drives/{DRIVE_ID}/items/{id}/versions/2.0"),
            "by drive id",
        ),
    ];

    for (path, why) in forms {
        // Act
        let reply = graph.delete(&path).await;

        // Assert
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{why}: {reply:?}");
    }
    assert_eq!(graph.version_ids(&id).await, ["3.0"]);
}
