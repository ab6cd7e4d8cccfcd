//! `@microsoft.graph.conflictBehavior` on every create path (issue 19): simple upload, an
//! upload session by path and by parent id, folder creation (copy's are in `onedrive_copy`).
//! `fail` is `409 nameAlreadyExists`, `rename` makes the service's `name 1.txt`, `replace` adds
//! a version to a file and answers a folder creation with the folder already there. The
//! listing is read back at the end.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::graph::{Graph, Reply};
use crate::support::spawn;

const CONFLICT: &str = "An item with the same name already exists under the parent.";

/// One create request and what it must come to.
enum Create {
    /// `PUT {path}` with these bytes.
    Put(String),
    /// `POST {path}` with this body, then the bytes in one fragment.
    Session(String, Value),
    /// `POST {path}` of a folder.
    Folder(String, Value),
}

async fn create(graph: &Graph, create: &Create) -> Reply {
    match create {
        Create::Put(path) => graph.put(path, b"new").await,
        Create::Session(path, body) => graph.upload_in_session(path, body.clone(), b"new").await,
        Create::Folder(path, body) => graph.post_json(path, body.clone()).await,
    }
}

#[tokio::test]
async fn every_create_path_honours_fail_rename_and_replace() {
    // Arrange: a.txt (1000000002) and the folder Box (1000000003) in the root.
    let graph = spawn().graph().await;
    graph.upload("/a.txt", b"old").await;
    let folder = json!({"name": "Box", "folder": {}});
    let made = graph.post_json("/me/drive/root/children", folder).await;
    assert_eq!(made.status, StatusCode::CREATED, "{made:?}");
    let q = |behaviour: &str| format!("?@microsoft.graph.conflictBehavior={behaviour}");
    let put = |behaviour: &str| format!("/me/drive/root:/a.txt:/content{}", q(behaviour));
    let session = |behaviour: Option<&str>| {
        let item = match behaviour {
            Some(b) => json!({"item": {"@microsoft.graph.conflictBehavior": b}}),
            None => json!({"item": {}}),
        };
        Create::Session(
            "/me/drive/root:/a.txt:/createUploadSession".to_owned(),
            item,
        )
    };
    let children = || "/me/drive/root/children".to_owned();
    // (request, status, the name or id the reply must have or the conflict's request id, why)
    let cases = [
        (
            Create::Put(put("fail")),
            409,
            Err("975835de-1c97-56ce-f75f-04cbb5a1a1dd"),
            "PUT with fail",
        ),
        (
            Create::Put(put("rename")),
            201,
            Ok(("name", "a 1.txt")),
            "PUT with rename",
        ),
        (
            Create::Put("/me/drive/root:/a.txt:/content".to_owned()),
            200,
            Ok(("id", "1000000002")),
            "PUT replaces by default",
        ),
        (
            Create::Put(put("replace")),
            200,
            Ok(("id", "1000000002")),
            "PUT with replace",
        ),
        (
            session(Some("fail")),
            409,
            Err("63cbe1e4-5932-0dd7-88fc-a0195de67e12"),
            "a session by path with fail, at completion",
        ),
        (
            session(Some("rename")),
            201,
            Ok(("name", "a 2.txt")),
            "a session by path with rename",
        ),
        (
            session(None),
            200,
            Ok(("id", "1000000002")),
            "a session by path with none named replaces",
        ),
        (
            Create::Session(
                format!(
                    "/me/drive/items/1000000001:/a.txt:/createUploadSession{}",
                    q("rename")
                ),
                json!({}),
            ),
            201,
            Ok(("name", "a 3.txt")),
            "a session by parent id, the behaviour in the query",
        ),
        (
            Create::Folder(children(), json!({"name": "Box", "folder": {}})),
            409,
            Err("6aa9d614-35db-e63e-ce63-7ffb158bdee8"),
            "a folder: fail by default",
        ),
        (
            Create::Folder(
                children(),
                json!({"name": "Box", "folder": {}, "@microsoft.graph.conflictBehavior": "rename"}),
            ),
            201,
            Ok(("name", "Box 1")),
            "a folder: rename in the body",
        ),
        (
            Create::Folder(
                format!("{}{}", children(), q("rename")),
                json!({"name": "Box", "folder": {}}),
            ),
            201,
            Ok(("name", "Box 2")),
            "a folder: rename in the query",
        ),
        (
            Create::Folder(
                children(),
                json!({"name": "Box", "folder": {}, "@name.conflictBehavior": "rename"}),
            ),
            201,
            Ok(("name", "Box 3")),
            "a folder: rclone's legacy spelling",
        ),
        (
            Create::Folder(
                children(),
                json!({"name": "box", "folder": {}, "@microsoft.graph.conflictBehavior": "replace"}),
            ),
            200,
            Ok(("id", "1000000003")),
            "a folder: replace answers the folder already there",
        ),
        (
            Create::Folder(
                children(),
                json!({"name": "a.txt", "folder": {}, "@microsoft.graph.conflictBehavior": "replace"}),
            ),
            409,
            Err("bc4075f2-ef43-1a44-ff32-a37dde1f1c11"),
            "a folder: replace does not replace a file",
        ),
    ];

    for (request, status, expected, why) in cases {
        // Act
        let reply = create(&graph, &request).await;

        // Assert
        assert_eq!(reply.status.as_u16(), status, "{why}: {reply:?}");
        match expected {
            Ok((key, value)) => assert_eq!(reply.body[key], value, "{why}"),
            Err(request_id) => {
                graph.assert_error(&reply, 409, "nameAlreadyExists", CONFLICT, request_id)
            }
        }
    }
    let listing = graph.get("/me/drive/root/children?$select=name").await;
    let names: Vec<&str> = (listing.body["value"].as_array().unwrap().iter())
        .map(|item| item["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["a 1.txt", "a 2.txt", "a 3.txt", "a.txt", "Box", "Box 1", "Box 2", "Box 3"]
    );
    // a.txt took a version from each replace: the first upload, two PUTs and one session.
    assert_eq!(
        graph.version_ids("1000000002").await,
        ["4.0", "3.0", "2.0", "1.0"]
    );
}
