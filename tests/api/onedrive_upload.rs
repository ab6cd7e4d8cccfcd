//! Uploads (`PUT …/content`), downloads (`GET …/content`), folders (`POST …/children`) and
//! deletes, read back after each change.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::graph::{at, me, FileItem, DRIVE_ID, DRIVE_IN_CONTEXT, ME_ID, ROOT_ID};
use crate::support::spawn;

#[tokio::test]
async fn uploading_a_new_file_answers_201_with_the_whole_drive_item() {
    // Arrange
    let graph = spawn().graph().await;

    // Act: the folder does not exist yet; Graph makes it on the way.
    let reply = graph
        .put("/me/drive/root:/Docs/report.txt:/content", b"first draft")
        .await;

    // Assert
    assert_eq!(reply.status, StatusCode::CREATED);
    let body = &reply.body;
    let id = "1000000003";
    let download = graph
        .app
        .url("/_content/AAAAASoF8gEAAAAAZlr_MABcnl_x4c1k1jtMmoG_OSp8");
    let expected = FileItem {
        id,
        name: "report.txt",
        parent_id: "1000000002",
        parent_name: "Docs",
        parent_path: "/Docs",
        content: b"first draft",
        mime_type: "text/plain",
        revision: 1,
        guid: "8CBE570A-3F3A-426F-BF18-7A9F65AEE4C4",
        created: 0,
        modified: 0,
        download_url: &download,
        web_path: "/Docs/report.txt",
    };
    assert_eq!(*body, expected.json(&graph, DRIVE_ID, &me()));
    assert_eq!(
        graph.fetch(&download).await,
        (StatusCode::OK, "first draft".into())
    );
    // Read back: the item and its folder.
    assert_eq!(
        graph.get(&format!("/me/drive/items/{id}")).await.body,
        *body
    );
    let docs = graph.get("/me/drive/root:/Docs").await;
    assert_eq!(docs.body["id"], "1000000002");
    assert_eq!(docs.body["folder"], json!({"childCount": 1}));
}

#[tokio::test]
async fn replacing_a_file_answers_200_and_every_tag_and_date_follows() {
    // Arrange
    let graph = spawn().graph().await;
    let first = graph.upload("/a.txt", b"one").await;
    graph.advance(60);

    // Act
    let reply = graph
        .put("/me/drive/root:/a.txt:/content", b"second body")
        .await;

    // Assert
    assert_eq!(reply.status, StatusCode::OK);
    let body = &reply.body;
    let id = "1000000002";
    let expected = FileItem {
        id,
        name: "a.txt",
        parent_id: ROOT_ID,
        parent_name: "root",
        parent_path: "",
        content: b"second body",
        mime_type: "text/plain",
        revision: 2,
        guid: "A04535F2-2366-4573-924A-9CEB7CB3CB73",
        created: 0,
        modified: 60,
        download_url: &graph
            .app
            .url("/_content/AAAAASoF8gIAAAAAZlr_bABxiZkoj5wDOKm8L7G49k2_"),
        web_path: "/a.txt",
    };
    assert_eq!(*body, expected.json(&graph, DRIVE_ID, &me()));
    assert_eq!(
        first["@microsoft.graph.downloadUrl"],
        graph
            .app
            .url("/_content/AAAAASoF8gEAAAAAZlr_MABVngC_DvpS5I5_hjWBZueT"),
        "each version has its own link"
    );
    assert_eq!(
        graph.get(&format!("/me/drive/items/{id}")).await.body,
        *body
    );
    assert_eq!(graph.version_ids(id).await, ["2.0", "1.0"]);
}

#[tokio::test]
async fn uploading_by_item_id_adds_a_version_to_that_file() {
    // Arrange
    let graph = spawn().graph().await;
    let first = graph.upload("/a.bin", b"one").await;
    let id = first["id"].as_str().unwrap();

    // Act
    let reply = graph
        .put(&format!("/me/drive/items/{id}/content"), b"two!")
        .await;

    // Assert
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["id"], id);
    assert_eq!(reply.body["size"], 4);
    assert_eq!(
        reply.body["file"]["mimeType"], "application/octet-stream",
        "the type comes from the name, not the request's Content-Type"
    );
    assert_eq!(graph.version_ids(id).await, ["2.0", "1.0"]);
}

#[tokio::test]
async fn uploading_below_an_item_by_name_creates_a_child_of_it() {
    // Arrange
    let graph = spawn().graph().await;
    let made = graph
        .post_json(
            "/me/drive/root/children",
            json!({"name": "Inbox", "folder": {}}),
        )
        .await;
    let folder = made.body["id"].as_str().unwrap();

    // Act
    let reply = graph
        .put(
            &format!("/me/drive/items/{folder}:/note.md:/content"),
            b"# hi",
        )
        .await;

    // Assert
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body["name"], "note.md");
    assert_eq!(reply.body["file"]["mimeType"], "text/markdown");
    assert_eq!(
        reply.body["parentReference"],
        json!({
            "driveId": DRIVE_ID,
            "driveType": "business",
            "id": folder,
            "name": "Inbox",
            "path": format!("/drives/{}/root:/Inbox", DRIVE_ID),
        })
    );
    let children = graph
        .get(&format!("/me/drive/items/{folder}/children"))
        .await;
    assert_eq!(children.body["value"][0]["id"], reply.body["id"]);
}

#[tokio::test]
async fn quick_xor_hash_is_computed_as_onedrive_computes_it() {
    // Arrange
    let graph = spawn().graph().await;
    // A vector from rclone's QuickXorHash tests, which match OneDrive's own values.
    let body = [0x78, 0x05, 0x79, 0xda, 0xa1];

    // Act
    let reply = graph.put("/me/drive/root:/v.bin:/content", &body).await;

    // Assert
    assert_eq!(
        reply.body["file"]["hashes"],
        json!({
            // OneDrive for Business shows no sha1Hash or sha256Hash.
            "quickXorHash": "eChAHrQRCgAAAAAABQAAAAAAAAA=",
        })
    );
}

#[tokio::test]
async fn conflict_behavior_fail_refuses_a_taken_name_and_changes_nothing() {
    // Arrange
    let graph = spawn().graph().await;
    let first = graph.upload("/a.txt", b"one").await;
    let id = first["id"].as_str().unwrap();

    // Act
    let reply = graph
        .put(
            "/me/drive/root:/a.txt:/content?@microsoft.graph.conflictBehavior=fail",
            b"two",
        )
        .await;

    // Assert
    graph.assert_error(
        &reply,
        409,
        "nameAlreadyExists",
        "An item with the same name already exists under the parent.",
        "910a2dec-8902-5cc1-f320-3e9039f4a821",
    );
    assert_eq!(
        graph.get(&format!("/me/drive/items/{id}")).await.body,
        first
    );
    assert_eq!(graph.version_ids(id).await, ["1.0"]);
}

#[tokio::test]
async fn conflict_behavior_rename_creates_a_numbered_sibling() {
    // Arrange
    let graph = spawn().graph().await;
    let first = graph.upload("/a.txt", b"one").await;

    // Act
    let reply = graph
        .put(
            "/me/drive/root:/a.txt:/content?%40microsoft.graph.conflictBehavior=rename",
            b"two",
        )
        .await;

    // Assert
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body["name"], "a 1.txt");
    assert_ne!(reply.body["id"], first["id"]);
    let children = graph.get("/me/drive/root/children").await;
    let names: Vec<_> = children.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a 1.txt", "a.txt"]);
}

#[tokio::test]
async fn if_match_with_a_stale_tag_gives_412_and_changes_nothing() {
    // Arrange
    let graph = spawn().graph().await;
    let first = graph.upload("/a.txt", b"one").await;
    let second = graph.upload("/a.txt", b"two").await;
    let id = first["id"].as_str().unwrap();
    let stale = [
        first["eTag"].as_str().unwrap(),
        first["cTag"].as_str().unwrap(),
        "\"not-a-tag\"",
    ];

    // The ids of each tag's PUT and DELETE.
    let ids = [
        [
            "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
            "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
        ],
        [
            "bd64a5d9-adef-e000-6c1e-186443822970",
            "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
        ],
        [
            "088712be-8a58-2fca-6fc5-530939fb94c3",
            "50f5647d-2380-309d-baa3-2132e1340f17",
        ],
    ];
    for (tag, [put_id, delete_id]) in crate::support::with_request_ids(stale, ids) {
        // Act
        let put = graph
            .send(
                graph
                    .request(Method::PUT, &format!("/me/drive/items/{id}/content"))
                    .header("if-match", tag)
                    .body("three"),
            )
            .await;
        let delete = graph
            .send(
                graph
                    .request(Method::DELETE, &format!("/me/drive/items/{id}"))
                    .header("if-match", tag),
            )
            .await;

        // Assert
        for (reply, request_id) in [(&put, put_id), (&delete, delete_id)] {
            graph.assert_error(
                reply,
                412,
                "resourceModified",
                "ETag does not match current item's value",
                request_id,
            );
        }
        assert_eq!(
            graph.get(&format!("/me/drive/items/{id}")).await.body,
            second
        );
        assert_eq!(graph.version_ids(id).await, ["2.0", "1.0"]);
    }
}

#[tokio::test]
async fn if_match_with_the_current_etag_or_ctag_lets_the_change_through() {
    // Arrange
    let graph = spawn().graph().await;
    let mut item = graph.upload("/a.txt", b"one").await;
    let id = item["id"].as_str().unwrap().to_owned();

    for (tag, body) in [("eTag", "two"), ("cTag", "three"), ("*", "four")] {
        let value = item
            .get(tag)
            .and_then(|v| v.as_str())
            .unwrap_or(tag)
            .to_owned();

        // Act
        let reply = graph
            .send(
                graph
                    .request(Method::PUT, &format!("/me/drive/items/{id}/content"))
                    .header("if-match", value)
                    .body(body),
            )
            .await;

        // Assert
        assert_eq!(reply.status, StatusCode::OK, "If-Match {tag}");
        assert_eq!(reply.body["size"], body.len(), "If-Match {tag}");
        item = reply.body;
    }
    assert_eq!(graph.version_ids(&id).await, ["4.0", "3.0", "2.0", "1.0"]);
}

#[tokio::test]
async fn if_match_on_a_new_path_cannot_hold() {
    // Arrange
    let graph = spawn().graph().await;

    // Act
    let reply = graph
        .send(
            graph
                .request(Method::PUT, "/me/drive/root:/new/b.txt:/content")
                .header("if-match", "*")
                .body("x"),
        )
        .await;

    // Assert
    graph.assert_error(
        &reply,
        412,
        "resourceModified",
        "ETag does not match current item's value",
        "e220a839-7b1d-cdaf-e4d9-71771b652c20",
    );
    let root = graph.get("/me/drive/root/children").await;
    assert_eq!(root.body["value"], json!([]), "no folder was made either");
}

#[tokio::test]
async fn content_redirects_to_a_link_on_the_request_host_that_needs_no_token() {
    // Arrange
    let graph = spawn().graph().await;
    let item = graph.upload("/a.txt", b"payload").await;
    let id = item["id"].as_str().unwrap();

    // Act
    let reply = graph.get(&format!("/me/drive/items/{id}/content")).await;

    // Assert
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(reply.body, serde_json::Value::Null);
    // A shorter-lived link than `downloadUrl`, to the same bytes.
    let location = reply.header("location");
    assert_ne!(location, item["@microsoft.graph.downloadUrl"]);
    for link in [
        location,
        item["@microsoft.graph.downloadUrl"].as_str().unwrap(),
    ] {
        assert_eq!(graph.fetch(link).await, (StatusCode::OK, "payload".into()));
    }
    // The link follows the host the client used.
    let port = graph.app.emulator.address().port();
    let via_localhost = graph
        .send(
            graph
                .request(Method::GET, &format!("/me/drive/items/{id}/content"))
                .header("host", format!("localhost:{port}")),
        )
        .await;
    assert!(
        via_localhost
            .header("location")
            .starts_with(&format!("http://localhost:{port}/_content/")),
        "{via_localhost:?}"
    );
}

#[tokio::test]
async fn folders_are_created_with_post_children_and_conflicts_fail_by_default() {
    // Arrange
    let graph = spawn().graph().await;
    let me = me();
    let root = ROOT_ID;
    // The Python SDK's body, `@odata.type` included.
    let body = json!({
        "@odata.type": "#microsoft.graph.driveItem",
        "name": "Reports",
        "folder": {},
    });

    // Act
    let created = graph
        .post_json("/me/drive/root/children", body.clone())
        .await;
    let again = graph
        .post_json("/me/drive/root/children", body.clone())
        .await;
    let mut renaming = body.clone();
    renaming["@microsoft.graph.conflictBehavior"] = json!("rename");
    let renamed = graph
        .post_json(&format!("/me/drive/items/{root}/children"), renaming)
        .await;

    // Assert
    assert_eq!(created.status, StatusCode::CREATED);
    let origin = graph.origin();
    assert_eq!(
        created.body,
        json!({
            "@odata.context": format!(
                "{origin}/v1.0/$metadata#drives('{DRIVE_IN_CONTEXT}')/items/$entity"
            ),
            "id": "1000000002",
            "name": "Reports",
            "eTag": "\"{A04535F2-2366-4573-924A-9CEB7CB3CB73},1\"",
            "size": 0,
            "createdDateTime": at(0),
            "lastModifiedDateTime": at(0),
            "webUrl": format!("{origin}/personal/{ME_ID}/Documents/Reports"),
            "createdBy": me,
            "lastModifiedBy": me,
            "parentReference": {
                "driveId": DRIVE_ID,
                "driveType": "business",
                "id": ROOT_ID,
                "name": "root",
                "path": format!("/drives/{DRIVE_ID}/root:"),
            },
            "folder": {"childCount": 0},
            "fileSystemInfo": {"createdDateTime": at(0), "lastModifiedDateTime": at(0)},
        })
    );
    graph.assert_error(
        &again,
        409,
        "nameAlreadyExists",
        "An item with the same name already exists under the parent.",
        "910a2dec-8902-5cc1-f320-3e9039f4a821",
    );
    assert_eq!(renamed.status, StatusCode::CREATED);
    assert_eq!(renamed.body["name"], "Reports 1");
    let children = graph.get("/me/drive/root/children").await;
    assert_eq!(
        children.body,
        json!({
            "@odata.context": format!(
                "{origin}/v1.0/$metadata#drives('{DRIVE_IN_CONTEXT}')/items('{ROOT_ID}')/children"
            ),
            "value": [without_context(&created.body), without_context(&renamed.body)],
        })
    );
}

/// A driveItem as a collection lists it: without its own `@odata.context`.
fn without_context(item: &serde_json::Value) -> serde_json::Value {
    let mut item = item.clone();
    item.as_object_mut().unwrap().remove("@odata.context");
    item
}

#[tokio::test]
async fn children_are_paged_with_top_and_a_next_link() {
    // Arrange
    let graph = spawn().graph().await;
    for name in ["a", "b", "c"] {
        graph.upload(&format!("/{name}.txt"), b"x").await;
    }

    // Act
    let first = graph.get("/me/drive/root/children?$top=2").await;
    let next = first.body["@odata.nextLink"].as_str().unwrap().to_owned();
    let second = graph
        .send(
            graph
                .app
                .client
                .get(&next)
                .bearer_auth(crate::support::graph::TOKEN),
        )
        .await;

    // Assert
    assert_eq!(
        next,
        graph.url("/me/drive/root/children?$top=2&$skiptoken=2")
    );
    let names = |reply: &crate::support::graph::Reply| -> Vec<String> {
        reply.body["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&first), ["a.txt", "b.txt"]);
    assert_eq!(names(&second), ["c.txt"]);
    assert!(second.body.get("@odata.nextLink").is_none());
}

#[tokio::test]
async fn deleting_removes_the_item_its_versions_and_its_children() {
    // Arrange
    let graph = spawn().graph().await;
    let file = graph.upload("/dir/a.txt", b"one").await;
    graph.upload("/dir/a.txt", b"two").await;
    let id = file["id"].as_str().unwrap();
    let dir = file["parentReference"]["id"].as_str().unwrap();
    let download = file["@microsoft.graph.downloadUrl"].as_str().unwrap();

    // Act
    let reply = graph.delete("/me/drive/root:/dir").await;

    // Assert
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(reply.bytes.len(), 0);
    let paths = [
        format!("/me/drive/items/{dir}"),
        format!("/me/drive/items/{id}"),
        format!("/me/drive/items/{id}/versions"),
        "/me/drive/root:/dir/a.txt".to_owned(),
    ];
    let ids = [
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
        "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
        "bd64a5d9-adef-e000-6c1e-186443822970",
    ];
    for (path, request_id) in crate::support::with_request_ids(paths, ids) {
        let gone = graph.get(&path).await;
        graph.assert_error(&gone, 404, "itemNotFound", "Item not found", request_id);
    }
    assert_eq!(graph.fetch(download).await.0, StatusCode::NOT_FOUND);
    let again = graph.delete(&format!("/me/drive/items/{id}")).await;
    graph.assert_error(
        &again,
        404,
        "itemNotFound",
        "Item not found",
        "9e5651b0-ef95-3636-e62b-6430f1260052",
    );
    assert_eq!(
        graph.get("/me/drive/root/children").await.body["value"],
        json!([])
    );
}

#[tokio::test]
async fn content_cannot_be_uploaded_to_or_downloaded_from_a_folder() {
    // Arrange
    let graph = spawn().graph().await;
    graph.upload("/dir/a.txt", b"one").await;
    let root_before = graph.get("/me/drive/root").await.body;

    // Act
    let to_root = graph.put("/me/drive/root/content", b"x").await;
    let to_dir = graph.put("/me/drive/root:/dir:/content", b"x").await;
    let from_dir = graph.get("/me/drive/root:/dir:/content").await;

    // Assert
    for (reply, expected_id) in crate::support::with_request_ids(
        [&to_root, &to_dir],
        [
            "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
            "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
        ],
    ) {
        graph.assert_error(
            reply,
            400,
            "notSupported",
            "Cannot upload content to an item representing a folder.",
            expected_id,
        );
    }
    graph.assert_error(
        &from_dir,
        404,
        "itemNotFound",
        "Item not found",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
    );
    assert_eq!(graph.get("/me/drive/root").await.body, root_before);
}
