//! A file's own times (`fileSystemInfo`): given in an upload session's `item` and by `PATCH
//! {item}`, kept, and shown back, so that a sync client that compares them (rclone, the OneDrive
//! Linux client) does not send them again on every run.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::graph::{ctag, etag, me, version_json, Graph, Reply};
use crate::support::spawn;

const GUID: &str = "A04535F2-2366-4573-924A-9CEB7CB3CB73";

async fn patch(graph: &Graph, path: &str, body: Value) -> Reply {
    graph
        .send(graph.request(Method::PATCH, path).json(&body))
        .await
}

#[tokio::test]
async fn a_session_keeps_the_times_of_the_file_it_makes() {
    // Arrange
    let graph = spawn().graph().await;
    let times = json!({
        "createdDateTime": "2023-01-02T03:04:05Z",
        "lastModifiedDateTime": "2024-05-01T08:00:00Z",
    });

    // Act
    let reply = graph
        .upload_in_session(
            "/me/drive/root:/dir/new.txt:/createUploadSession",
            json!({"item": {"fileSystemInfo": times}}),
            b"new file",
        )
        .await;

    // Assert: the file's own times; the item's dates are when the emulator saw it.
    assert_eq!(reply.status, StatusCode::CREATED, "{reply:?}");
    assert_eq!(reply.body["fileSystemInfo"], times);
    assert_eq!(
        (
            &reply.body["createdDateTime"],
            &reply.body["lastModifiedDateTime"]
        ),
        (
            &json!("2024-06-01T10:00:00Z"),
            &json!("2024-06-01T10:00:00Z")
        )
    );
    let back = graph.get("/me/drive/root:/dir/new.txt").await;
    assert_eq!(back.body["fileSystemInfo"], times);
}

#[tokio::test]
async fn a_patch_of_a_files_times_keeps_them_in_a_new_version() {
    // Arrange: the Linux client's sequence: an empty file, then its times.
    let graph = spawn().graph().await;
    let file = graph.upload("/empty.txt", b"").await;
    let id = file["id"].as_str().unwrap();
    graph.advance(30);

    // Act
    let reply = patch(
        &graph,
        &format!("/me/drive/items/{id}"),
        json!({"fileSystemInfo": {"lastModifiedDateTime": "2020-02-29T12:34:56Z"}}),
    )
    .await;

    // Assert: only the time given changes, in a new version of the same bytes.
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    assert_eq!(
        reply.body["fileSystemInfo"],
        json!({
            "createdDateTime": "2024-06-01T10:00:00Z",
            "lastModifiedDateTime": "2020-02-29T12:34:56Z",
        })
    );
    assert_eq!(
        (&reply.body["eTag"], &reply.body["cTag"]),
        (&json!(etag(GUID, 2)), &json!(ctag(GUID, 2)))
    );
    assert_eq!(reply.body["lastModifiedDateTime"], "2024-06-01T10:00:30Z");
    let back = graph.get(&format!("/me/drive/items/{id}")).await;
    assert_eq!(
        back.body["fileSystemInfo"]["lastModifiedDateTime"],
        "2020-02-29T12:34:56Z"
    );
    // "OneDrive for Business creates versions when rclone [...] sets the modification time"
    // (rclone's `--onedrive-no-versions` help), which is why rclone deletes them after.
    let versions = graph.get(&format!("/me/drive/items/{id}/versions")).await;
    assert_eq!(
        versions.body["value"],
        json!([
            version_json("2.0", 0, 30, &me()),
            version_json("1.0", 0, 0, &me()),
        ])
    );
}

#[tokio::test]
async fn times_come_with_a_rename_and_a_folders_are_left_as_they_are() {
    // Arrange
    let graph = spawn().graph().await;
    let file = graph.upload("/a.txt", b"a").await;
    let folder = graph
        .post_json(
            "/me/drive/root/children",
            json!({"name": "d", "folder": {}}),
        )
        .await;
    let (file_id, folder_id) = (
        file["id"].as_str().unwrap(),
        folder.body["id"].as_str().unwrap(),
    );
    let times = json!({"fileSystemInfo": {
        "createdDateTime": "2001-01-01T00:00:00Z",
        "lastModifiedDateTime": "2002-02-02T00:00:00Z",
    }});

    // Act
    let mut renamed = times.clone();
    renamed["name"] = json!("b.txt");
    let on_file = patch(&graph, &format!("/me/drive/items/{file_id}"), renamed).await;
    let on_folder = patch(&graph, &format!("/me/drive/items/{folder_id}"), times).await;

    // Assert
    assert_eq!(on_file.status, StatusCode::OK, "{on_file:?}");
    assert_eq!(
        (&on_file.body["name"], &on_file.body["fileSystemInfo"]),
        (
            &json!("b.txt"),
            &json!({
                "createdDateTime": "2001-01-01T00:00:00Z",
                "lastModifiedDateTime": "2002-02-02T00:00:00Z",
            })
        )
    );
    assert_eq!(graph.version_ids(file_id).await, ["2.0", "1.0"]);
    let version = graph
        .get(&format!("/me/drive/items/{file_id}/versions/2.0"))
        .await;
    assert_eq!(version.status, StatusCode::OK, "{version:?}");
    assert_eq!(on_folder.status, StatusCode::OK, "{on_folder:?}");
    assert_eq!(
        on_folder.body["fileSystemInfo"],
        json!({
            "createdDateTime": "2024-06-01T10:00:00Z",
            "lastModifiedDateTime": "2024-06-01T10:00:00Z",
        })
    );
}

#[tokio::test]
async fn a_time_that_is_not_a_date_is_refused_and_changes_nothing() {
    for (time, what) in [
        ("yesterday", "not a date"),
        // chrono reads it, but no date Graph writes has more than four digits of year.
        ("+262142-12-31T23:59:59Z", "past the year 9999"),
    ] {
        // Arrange
        let graph = spawn().graph().await;
        let file = graph.upload("/a.txt", b"a").await;
        let id = file["id"].as_str().unwrap();

        // Act
        let reply = patch(
            &graph,
            &format!("/me/drive/items/{id}"),
            json!({"name": "b.txt", "fileSystemInfo": {"lastModifiedDateTime": time}}),
        )
        .await;

        // Assert
        graph.assert_error(
            &reply,
            400,
            "BadRequest",
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
            "910a2dec-8902-5cc1-f320-3e9039f4a821",
        );
        let back = graph.get(&format!("/me/drive/items/{id}")).await;
        assert_eq!(back.body["name"], "a.txt", "{what}");
        assert_eq!(
            back.body["fileSystemInfo"], file["fileSystemInfo"],
            "{what}"
        );
    }
}
