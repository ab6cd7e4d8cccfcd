//! The calls apps make around versions: the signed-in user (`GET /me`, `GET /users/{u}`), the
//! drive lists, renaming and moving an item (`PATCH`), and conditional reads (`If-None-Match`).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::graph::{at, me, FileItem, Graph, DRIVE_ID, ME_ID};
use crate::support::{send, spawn};

fn id_of(item: &Value) -> &str {
    item["id"].as_str().unwrap()
}

/// The user object for the caller, as `me()` (the drive's owner identity) names them.
fn profile(graph: &Graph, me: &Value) -> Value {
    let user = &me["user"];
    json!({
        "@odata.context": format!("{}/v1.0/$metadata#users/$entity", graph.origin()),
        "businessPhones": [],
        "displayName": user["displayName"],
        "givenName": null,
        "jobTitle": null,
        "mail": user["email"],
        "mobilePhone": null,
        "officeLocation": null,
        "preferredLanguage": null,
        "surname": null,
        "userPrincipalName": user["email"],
        "id": user["id"],
    })
}

#[tokio::test]
async fn me_and_users_by_id_or_principal_name_give_the_user_object() {
    // Arrange
    let graph = spawn().graph().await;
    let me = me();
    let id = me["user"]["id"].as_str().unwrap().to_owned();
    let upn = me["user"]["email"].as_str().unwrap().to_uppercase();

    // Act
    let replies = [
        graph.get("/me").await,
        graph.get(&format!("/users/{id}")).await,
        graph.get(&format!("/users/{upn}")).await,
    ];
    let unknown = graph.get("/users/nobody@example.com").await;

    // Assert
    for reply in &replies {
        assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
        assert_eq!(reply.body, profile(&graph, &me));
    }
    graph.assert_error(
        &unknown,
        404,
        "Request_ResourceNotFound",
        "Resource 'nobody@example.com' does not exist or one of its queried reference-property objects are not present.", "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
    );
}

#[tokio::test]
async fn the_drive_lists_hold_the_callers_drive() {
    // Arrange
    let graph = spawn().graph().await;
    let mut drive = graph.drive().await;
    let id = ME_ID.to_owned();
    drive.as_object_mut().unwrap().remove("@odata.context");
    let expected = json!({
        "@odata.context": format!("{}/v1.0/$metadata#drives", graph.origin()),
        "value": [drive],
    });

    for path in ["/me/drives", "/drives", &format!("/users/{id}/drives")] {
        // Act
        let reply = graph.get(path).await;

        // Assert
        assert_eq!(reply.status, StatusCode::OK, "{path}: {reply:?}");
        assert_eq!(reply.body, expected, "{path}");
    }
    let other = graph.get("/users/someone-else/drives").await;
    graph.assert_error(
        &other,
        404,
        "itemNotFound",
        "Item not found",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
    );
}

#[tokio::test]
async fn a_patch_renames_and_moves_keeping_versions_and_the_ctag() {
    // Arrange
    let graph = spawn().graph().await;
    let folder = graph
        .post_json(
            "/me/drive/root/children",
            json!({"name": "Archive", "folder": {}}),
        )
        .await
        .body;
    graph.upload("/draft.txt", b"one").await;
    let file = graph.upload("/draft.txt", b"two!").await;
    let id = id_of(&file).to_owned();
    let versions = graph.version_ids(&id).await;
    graph.advance(60);

    // Act
    let reply = graph
        .send(
            graph
                .request(Method::PATCH, &format!("/me/drive/items/{id}"))
                .header("if-match", file["eTag"].as_str().unwrap())
                .json(&json!({"name": "final.txt", "parentReference": {"id": id_of(&folder)}})),
        )
        .await;

    // Assert: a new eTag and place, the same cTag, content and history.
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    let guid = "8CBE570A-3F3A-426F-BF18-7A9F65AEE4C4";
    let mut expected = FileItem {
        id: "1000000003",
        name: "final.txt",
        parent_id: "1000000002",
        parent_name: "Archive",
        parent_path: "/Archive",
        content: b"two!",
        mime_type: "text/plain",
        revision: 2,
        guid,
        created: 0,
        modified: 60,
        // Signed for the version on the frozen clock: the same on every read, and followed below.
        download_url: &graph
            .app
            .url("/_content/AAAAASoF8gIAAAAAZlr_bADWbuhnp3CLmqyobVcZSXG3"),
        web_path: "/Archive/final.txt",
    }
    .json(&graph, DRIVE_ID, &me());
    expected["eTag"] = json!("\"{8CBE570A-3F3A-426F-BF18-7A9F65AEE4C4},3\"");
    expected["cTag"] = json!("\"c:{8CBE570A-3F3A-426F-BF18-7A9F65AEE4C4},2\"");
    // The file's own dates are its content's: a move leaves them.
    expected["fileSystemInfo"]["lastModifiedDateTime"] = json!(at(0));
    assert_eq!(reply.body, expected);
    let (status, bytes) = graph
        .fetch(expected["@microsoft.graph.downloadUrl"].as_str().unwrap())
        .await;
    assert_eq!((status, &bytes[..]), (StatusCode::OK, &b"two!"[..]));
    assert_eq!(
        graph.get(&format!("/me/drive/items/{id}")).await.body,
        expected
    );
    assert_eq!(graph.version_ids(&id).await, versions);
    let by_path = graph.get("/me/drive/root:/Archive/final.txt").await;
    assert_eq!(by_path.body["id"], id.as_str());
    let old = graph.get("/me/drive/root:/draft.txt").await;
    assert_eq!(old.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_patch_moves_by_parent_path_and_renames_on_request_when_the_name_is_taken() {
    // Arrange
    let graph = spawn().graph().await;
    graph
        .post_json(
            "/me/drive/root/children",
            json!({"name": "Dir", "folder": {}}),
        )
        .await;
    graph.upload("/Dir/a.txt", b"taken").await;
    let file = graph.upload("/a.txt", b"mine").await;
    let id = id_of(&file).to_owned();

    // Act
    let reply = graph
        .send(
            graph
                .request(Method::PATCH, &format!("/me/drive/items/{id}"))
                .json(&json!({
                    "parentReference": {"path": "/drive/root:/Dir"},
                    "@microsoft.graph.conflictBehavior": "rename",
                })),
        )
        .await;

    // Assert
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    assert_eq!(reply.body["name"], "a 1.txt");
    assert_eq!(
        reply.body["parentReference"]["path"],
        format!("/drives/{}/root:/Dir", DRIVE_ID)
    );
    assert_eq!(
        graph.get("/me/drive/root:/Dir/a 1.txt").await.body["id"],
        id.as_str()
    );
}

#[tokio::test]
async fn bad_patches_are_refused_and_change_nothing() {
    // Arrange
    let graph = spawn().graph().await;
    let outer = graph
        .post_json(
            "/me/drive/root/children",
            json!({"name": "Outer", "folder": {}}),
        )
        .await
        .body;
    let inner = graph
        .post_json(
            &format!("/me/drive/items/{}/children", id_of(&outer)),
            json!({"name": "Inner", "folder": {}}),
        )
        .await
        .body;
    let file = graph.upload("/a.txt", b"a").await;
    graph.upload("/b.txt", b"b").await;
    let f = id_of(&file).to_owned();
    // A tag of this file's, seven changes on: stale whatever it holds now.
    let stale = "\"{2D2E1E57-EBC8-4C75-8C7C-450CB795FFCE},7\"";
    let cases = [
        (
            "a taken name fails by default",
            format!("/me/drive/items/{f}"),
            None,
            json!({"name": "B.txt"}),
            409,
            "nameAlreadyExists",
            "An item with the same name already exists under the parent.",
        ),
        (
            "replace does not delete what is in the way",
            format!("/me/drive/items/{f}"),
            None,
            json!({"name": "b.txt", "@microsoft.graph.conflictBehavior": "replace"}),
            409,
            "nameAlreadyExists",
            "An item with the same name already exists under the parent.",
        ),
        (
            "a stale If-Match",
            format!("/me/drive/items/{f}"),
            Some(stale),
            json!({"name": "c.txt"}),
            412,
            "resourceModified",
            "ETag does not match current item's value",
        ),
        (
            "an unknown parent",
            format!("/me/drive/items/{f}"),
            None,
            json!({"parentReference": {"id": "999"}}),
            404,
            "itemNotFound",
            "Item not found",
        ),
        (
            "a parent path that is not there",
            format!("/me/drive/items/{f}"),
            None,
            json!({"parentReference": {"path": "/drive/root:/Nowhere"}}),
            404,
            "itemNotFound",
            "Item not found",
        ),
        (
            "a folder into its own subfolder",
            format!("/me/drive/items/{}", id_of(&outer)),
            None,
            json!({"parentReference": {"id": id_of(&inner)}}),
            400,
            "invalidRequest",
            "A folder cannot be moved into itself or below.",
        ),
        (
            "the root",
            "/me/drive/root".to_owned(),
            None,
            json!({"name": "x"}),
            400,
            "invalidRequest",
            "The root folder cannot be deleted, moved or renamed.",
        ),
        (
            "a name with a colon",
            format!("/me/drive/items/{f}"),
            None,
            json!({"name": "a:b"}),
            400,
            "invalidRequest",
            "Invalid name: \"a:b\": the name contains a character that is not allowed",
        ),
    ];

    for ((case, path, if_match, body, status, code, message), expected_id) in
        crate::support::with_request_ids(
            cases,
            [
                "6e73e372-e233-8aca-16b1-cba95fc60262",
                "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
                "bd64a5d9-adef-e000-6c1e-186443822970",
                "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
                "9e5651b0-ef95-3636-e62b-6430f1260052",
                "aeaf52fe-be70-6064-d484-a1e7c35a0b13",
                "088712be-8a58-2fca-6fc5-530939fb94c3",
                "50f5647d-2380-309d-baa3-2132e1340f17",
            ],
        )
    {
        // Act
        let mut request = graph.request(Method::PATCH, &path).json(&body);
        if let Some(tag) = if_match {
            request = request.header("if-match", tag);
        }
        let reply = graph.send(request).await;

        // Assert
        assert_eq!(reply.status.as_u16(), status, "{case}: {reply:?}");
        graph.assert_error(&reply, status, code, message, expected_id);
    }
    assert_eq!(graph.get(&format!("/me/drive/items/{f}")).await.body, file);
    let listed = graph.get("/me/drive/root/children").await.body;
    let names: Vec<&str> = listed["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a.txt", "b.txt", "Outer"]);
}

#[tokio::test]
async fn if_none_match_with_a_current_tag_is_304_on_the_item_and_its_content() {
    // Arrange
    let graph = spawn().graph().await;
    let file = graph.upload("/a.txt", b"one").await;
    let id = id_of(&file).to_owned();
    let (etag_now, ctag_now) = (
        file["eTag"].as_str().unwrap(),
        file["cTag"].as_str().unwrap(),
    );
    let item = format!("/me/drive/items/{id}");
    let content = format!("{item}/content");
    let conditional = |path: &str, tag: &str| {
        graph
            .request(Method::GET, path)
            .header("if-none-match", tag)
    };

    // Act and Assert: a current tag (either one, or `*`) is 304 with no body.
    for (path, tag) in [
        (&item, etag_now),
        (&item, ctag_now),
        (&content, etag_now),
        (&content, "*"),
    ] {
        let reply = graph.send(conditional(path, tag)).await;
        assert_eq!(reply.status, StatusCode::NOT_MODIFIED, "{path} {tag}");
        assert!(reply.bytes.is_empty(), "{path} {tag}");
    }
    // After a new version both tags are stale: the reads answer as without the header.
    graph.upload("/a.txt", b"two").await;
    let item_reply = graph.send(conditional(&item, etag_now)).await;
    assert_eq!(item_reply.status, StatusCode::OK);
    assert_eq!(item_reply.body, graph.get(&item).await.body);
    let content_reply = graph.send(conditional(&content, ctag_now)).await;
    assert_eq!(content_reply.status, StatusCode::FOUND);
    let (status, bytes) = graph.fetch(content_reply.header("location")).await;
    assert_eq!((status, &bytes[..]), (StatusCode::OK, &b"two"[..]));
}

/// The `size` of each folder on `paths` (below the root; `""` is the root) and the drive's
/// `quota.used`, as a client reads them.
async fn sizes(graph: &Graph, paths: &[&str]) -> (Vec<Value>, Value) {
    let mut sizes = Vec::new();
    for path in paths {
        let address = match *path {
            "" => "/me/drive/root".to_owned(),
            path => format!("/me/drive/root:{path}"),
        };
        let reply = graph.get(&address).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {reply:?}");
        sizes.push(reply.body["size"].clone());
    }
    (sizes, graph.drive().await["quota"]["used"].clone())
}

#[tokio::test]
async fn folder_sizes_and_the_drives_use_follow_uploads_restores_moves_and_deletes() {
    // Arrange: 3 bytes in /a/b, 4 in /a.
    let graph = spawn().graph().await;
    let x = graph.upload("/a/b/x.txt", b"one").await;
    graph.upload("/a/y.txt", b"four").await;
    let folders = ["", "/a", "/a/b"];
    assert_eq!(
        sizes(&graph, &folders).await,
        (vec![json!(7), json!(7), json!(3)], json!(7))
    );

    // Act and assert, a step at a time.
    graph.upload("/a/b/x.txt", b"three!").await;
    assert_eq!(
        sizes(&graph, &folders).await,
        (vec![json!(10), json!(10), json!(6)], json!(10)),
        "a new version of x"
    );
    graph.restore(id_of(&x), "1.0").await;
    assert_eq!(
        sizes(&graph, &folders).await,
        (vec![json!(7), json!(7), json!(3)], json!(7)),
        "x's first version restored"
    );
    let moved = graph
        .send(
            graph
                .request(Method::PATCH, "/me/drive/root:/a/b")
                .json(&json!({"parentReference": {"path": "/drive/root:"}})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{moved:?}");
    let folders = ["", "/a", "/b"];
    assert_eq!(
        sizes(&graph, &folders).await,
        (vec![json!(7), json!(4), json!(3)], json!(7)),
        "b moved up to the root"
    );
    let deleted = graph.delete("/me/drive/root:/a/y.txt").await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{deleted:?}");
    assert_eq!(
        sizes(&graph, &folders).await,
        (vec![json!(3), json!(0), json!(3)], json!(3)),
        "y deleted"
    );
}

#[tokio::test]
async fn a_folder_as_deep_as_a_path_may_go_is_listed_exported_and_deleted() {
    // Arrange: /a/a/…/a/f.txt, 197 folders deep: 399 characters, one under OneDrive's limit
    // (`path_limits` has what is refused beyond it).
    let graph = spawn().graph().await;
    let path = format!("/me/drive/root:/{}/f.txt:/content", ["a"; 197].join("/"));
    let made = graph.put(&path, b"deep").await;
    assert_eq!(made.status, StatusCode::CREATED, "{made:?}");
    let parent = made.body["parentReference"]["id"].as_str().unwrap();

    // Act: what walks the whole tree: the root's size, the export, the delete.
    let root = graph.get("/me/drive/root").await;
    let export = send(graph.app.client.get(graph.app.url("/__admin/state"))).await;
    let deleted = graph.delete("/me/drive/root:/a").await;

    // Assert
    assert_eq!(
        (root.status, &root.body["size"]),
        (StatusCode::OK, &json!(4))
    );
    assert_eq!(export.status, StatusCode::OK);
    let items = export.body["spaces"][0]["items"].as_array().unwrap();
    assert_eq!(items.len(), 198, "197 folders and the file");
    let depths = items
        .iter()
        .map(|i| i["path"].as_str().unwrap().split('/').count());
    assert_eq!(depths.max(), Some(198), "the file, below all the folders");
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{deleted:?}");
    let after = graph.get("/me/drive/root").await;
    assert_eq!(
        (after.status, &after.body["size"]),
        (StatusCode::OK, &json!(0))
    );
    assert_eq!(
        graph.get(&format!("/me/drive/items/{parent}")).await.status,
        StatusCode::NOT_FOUND
    );
}
