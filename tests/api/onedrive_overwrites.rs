//! Overwrites as rclone and the OneDrive Linux client make them: an upload session addressed by an
//! existing file's path, with no conflict behaviour named, makes a new version of that file;
//! `fail` and `rename` apply only when named. The versions are read back after each. And the
//! empty colon path rclone sends (`items/{id}:/`, `root:/`), read as the item itself.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::graph::{me, version_json, FileItem, DRIVE_ID, ROOT_ID};
use crate::support::spawn;

#[tokio::test]
async fn a_session_by_path_over_an_existing_file_makes_a_new_version_of_it() {
    // Arrange: rclone's own request, addressed by the parent's id and the name, with only
    // `fileSystemInfo` in the body.
    let graph = spawn().graph().await;
    let me = me();
    let first = graph.upload("/notes.txt", b"first").await;
    let id = first["id"].as_str().unwrap();
    graph.advance(60);

    // Act
    let reply = graph
        .upload_in_session(
            &format!("/me/drive/items/{ROOT_ID}:/notes.txt:/createUploadSession"),
            json!({"item": {"fileSystemInfo": {"lastModifiedDateTime": "2024-05-01T08:00:00Z"}}}),
            b"second!",
        )
        .await;

    // Assert: `200` (a new version, not a new item), the same id, the new bytes.
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    let expected = FileItem {
        id,
        name: "notes.txt",
        parent_id: ROOT_ID,
        parent_name: "root",
        parent_path: "",
        content: b"second!",
        mime_type: "text/plain",
        revision: 2,
        guid: "A04535F2-2366-4573-924A-9CEB7CB3CB73",
        created: 0,
        modified: 60,
        download_url: &graph
            .app
            .url("/_content/AAAAASoF8gIAAAAAZlr_bABcQzWPlOoWOk-8xKJtnr6Z"),
        web_path: "/notes.txt",
    };
    let mut expected = expected.json(&graph, DRIVE_ID, &me);
    // The time rclone sent is the file's own, shown back as rclone reads it.
    expected["fileSystemInfo"]["lastModifiedDateTime"] = json!("2024-05-01T08:00:00Z");
    assert_eq!(reply.body, expected);
    let read_back = graph.get(&format!("/me/drive/items/{id}")).await;
    assert_eq!(read_back.body["fileSystemInfo"], expected["fileSystemInfo"]);
    let versions = graph.get(&format!("/me/drive/items/{id}/versions")).await;
    assert_eq!(
        versions.body["value"],
        json!([
            version_json("2.0", 7, 60, &me),
            version_json("1.0", 5, 0, &me),
        ])
    );
    let children = graph.get("/me/drive/root/children").await;
    assert_eq!(children.body["value"].as_array().unwrap().len(), 1);
    let old = graph
        .get(&format!("/me/drive/items/{id}/versions/1.0/content"))
        .await;
    assert_eq!(
        graph.fetch(old.header("location")).await,
        (StatusCode::OK, "first".into())
    );
}

/// A behaviour in the session's `item`, the status of the last fragment, the versions of the
/// existing file after, the names in the folder after, and why.
type Case = (
    Value,
    u16,
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
);

#[tokio::test]
async fn the_default_and_each_named_behaviour_over_an_existing_file() {
    let cases: [Case; 5] = [
        (
            json!({}),
            200,
            &["2.0", "1.0"],
            &["a.txt"],
            "none named: the file at the path is updated, as rclone relies on",
        ),
        (
            json!({"@microsoft.graph.conflictBehavior": "replace"}),
            200,
            &["2.0", "1.0"],
            &["a.txt"],
            "replace, as the SDKs send it",
        ),
        (
            json!({"@name.conflictBehavior": "replace"}),
            200,
            &["2.0", "1.0"],
            &["a.txt"],
            "the legacy spelling the OneDrive Linux client sends",
        ),
        (
            json!({"@microsoft.graph.conflictBehavior": "fail"}),
            409,
            &["1.0"],
            &["a.txt"],
            "fail applies when it is named, and changes nothing",
        ),
        (
            json!({"@microsoft.graph.conflictBehavior": "rename"}),
            201,
            &["1.0"],
            &["a 1.txt", "a.txt"],
            "rename makes a new file beside it",
        ),
    ];
    for (behaviour, status, versions, names, why) in cases {
        // Arrange
        let graph = spawn().graph().await;
        let existing = graph.upload("/a.txt", b"old").await;
        let id = existing["id"].as_str().unwrap();

        // Act
        let reply = graph
            .upload_in_session(
                "/me/drive/root:/a.txt:/createUploadSession",
                json!({ "item": behaviour }),
                b"new bytes",
            )
            .await;

        // Assert
        assert_eq!(reply.status.as_u16(), status, "{why}: {reply:?}");
        assert_eq!(graph.version_ids(id).await, versions, "{why}");
        let children = graph.get("/me/drive/root/children").await;
        let mut listed: Vec<&str> = children.body["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|child| child["name"].as_str().unwrap())
            .collect();
        listed.sort_unstable();
        assert_eq!(listed, names, "{why}");
    }
}

#[tokio::test]
async fn a_named_fail_over_an_existing_file_is_a_conflict() {
    // Arrange
    let graph = spawn().graph().await;
    graph.upload("/kept.txt", b"kept").await;

    // Act
    let reply = graph
        .upload_in_session(
            "/me/drive/root:/kept.txt:/createUploadSession",
            json!({"item": {"@microsoft.graph.conflictBehavior": "fail"}}),
            b"refused",
        )
        .await;

    // Assert
    graph.assert_error(
        &reply,
        409,
        "nameAlreadyExists",
        "An item with the same name already exists under the parent.",
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
    );
}

#[tokio::test]
async fn an_empty_path_after_the_colon_is_the_item_itself() {
    // Arrange: the canonical forms, read first.
    let graph = spawn().graph().await;
    let folder = graph
        .post_json(
            "/me/drive/root/children",
            json!({"name": "dir", "folder": {}}),
        )
        .await;
    let id = folder.body["id"].as_str().unwrap();
    let by_id = graph.get(&format!("/me/drive/items/{id}")).await;
    let root = graph.get("/me/drive/root").await;

    // (the form read, the canonical reply it must equal, its id, why)
    let cases = [
        (
            format!("/me/drive/items/{id}:/"),
            &by_id,
            id,
            "rclone's form in every folder move",
        ),
        (
            format!("/me/drive/items/{id}%3A%2F"),
            &by_id,
            id,
            "the same, encoded as the Python SDK encodes colon paths",
        ),
        ("/me/drive/root:/".to_owned(), &root, ROOT_ID, "the root"),
    ];
    for (path, canonical, expected_id, why) in cases {
        // Act
        let reply = graph.get(&path).await;

        // Assert
        assert_eq!(reply.status, StatusCode::OK, "{why}: {reply:?}");
        assert_eq!(reply.body["id"], expected_id, "{why}");
        assert_eq!(reply.body, canonical.body, "{why}");
    }
}

#[tokio::test]
async fn a_patch_through_an_empty_colon_path_renames_and_moves_the_item() {
    // Arrange: a folder to move, and one to move it into, as rclone's folder move does.
    let graph = spawn().graph().await;
    let made = |name: &'static str| {
        graph.post_json(
            "/me/drive/root/children",
            json!({"name": name, "folder": {}}),
        )
    };
    let source = made("src").await;
    let target = made("dst").await;
    let (source_id, target_id) = (
        source.body["id"].as_str().unwrap(),
        target.body["id"].as_str().unwrap(),
    );

    // Act
    let reply = graph
        .send(
            graph
                .request(
                    reqwest::Method::PATCH,
                    &format!("/me/drive/items/{source_id}:/"),
                )
                .json(&json!({"name": "moved", "parentReference": {"id": target_id}})),
        )
        .await;

    // Assert: the same folder, renamed and moved; read back by its new path.
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    assert_eq!(
        (
            &reply.body["id"],
            &reply.body["name"],
            &reply.body["parentReference"]["id"]
        ),
        (&json!(source_id), &json!("moved"), &json!(target_id))
    );
    let back = graph.get("/me/drive/root:/dst/moved").await;
    assert_eq!(back.status, StatusCode::OK, "{back:?}");
    assert_eq!(back.body["id"], source_id);
    let root = graph
        .send(
            graph
                .request(reqwest::Method::PATCH, "/me/drive/root:/")
                .json(&json!({"name": "renamed root"})),
        )
        .await;
    // The root, reached this way, is refused as the root is.
    graph.assert_error(
        &root,
        400,
        "invalidRequest",
        "The root folder cannot be deleted, moved or renamed.",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
    );
}
