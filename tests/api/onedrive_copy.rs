//! `POST {item}/copy` (issue 19): `202 Accepted` with a monitor URL that needs no token, whose
//! first read is `inProgress` and later ones `completed` with the new item's id (or `failed` for a
//! name conflict); the copy holds the source's current bytes in one version, a folder's copy its
//! tree; within a drive and into another the caller may write. Every effect is read back.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::graph::{Graph, Reply, DRIVE_ID};
use restore_mock::fixture::FixtureUser;

use crate::support::{send, spawn, with_request_ids};

/// `GET` of a monitor URL with no `Authorization`, as rclone and the Rust crate poll it.
async fn poll(graph: &Graph, url: &str) -> Reply {
    send(graph.app.client.get(url)).await
}

/// `POST {item}/copy` with `body`; the `Location` of its `202`.
async fn copy(graph: &Graph, item: &str, query: &str, body: Value) -> String {
    let reply = graph
        .post_json(&format!("{item}/copy{query}"), body.clone())
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{body}: {reply:?}");
    assert!(reply.bytes.is_empty(), "no body");
    reply.header("location").to_owned()
}

/// Polls a monitor twice: `inProgress`, then what it came to.
async fn finished(graph: &Graph, location: &str) -> Value {
    let first = poll(graph, location).await;
    assert_eq!(first.status, StatusCode::ACCEPTED, "{first:?}");
    assert_eq!(
        first.body,
        json!({"operation": "ItemCopy", "percentageComplete": 0.0, "status": "inProgress"})
    );
    let second = poll(graph, location).await;
    assert_eq!(second.status, StatusCode::OK, "{second:?}");
    second.body
}

fn completed(graph: &Graph, monitor: &str, drive: &str, id: &str) -> Value {
    json!({
        "id": monitor,
        "createdDateTime": "0001-01-01T00:00:00Z",
        "lastActionDateTime": "0001-01-01T00:00:00Z",
        "percentageComplete": 100.0,
        "percentComplete": 100.0,
        "resourceId": id,
        "resourceLocation": format!("{}/v1.0/drives/{drive}/items/{id}", graph.origin()),
        "status": "completed",
    })
}

/// The names of a folder's children, in order.
async fn names(graph: &Graph, folder: &str) -> Vec<String> {
    let reply = graph.get(&format!("{folder}/children")).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    (reply.body["value"].as_array().unwrap().iter())
        .map(|item| item["name"].as_str().unwrap().to_owned())
        .collect()
}

/// The bytes of an item's current content.
async fn content(graph: &Graph, item: &str) -> Vec<u8> {
    let reply = graph.get(&format!("{item}/content")).await;
    assert_eq!(reply.status, StatusCode::FOUND, "{reply:?}");
    graph.fetch(reply.header("location")).await.1.to_vec()
}

#[tokio::test]
async fn a_file_copy_is_accepted_and_its_monitor_goes_from_in_progress_to_completed() {
    // Arrange: plan.txt with two versions (1000000002), and a folder Dest (1000000003).
    let graph = spawn().graph().await;
    graph.upload("/plan.txt", b"draft").await;
    graph.upload("/plan.txt", b"final!").await;
    let dest = graph
        .post_json(
            "/me/drive/root/children",
            json!({"name": "Dest", "folder": {}}),
        )
        .await;
    assert_eq!(dest.status, StatusCode::CREATED, "{dest:?}");

    // Act: the body the Python SDK sends, with a new name and the copy's own times.
    let location = copy(
        &graph,
        "/me/drive/items/1000000002",
        "",
        json!({
            "childrenOnly": false,
            "includeAllVersionHistory": false,
            "name": "copy.txt",
            "parentReference": {"driveId": DRIVE_ID, "id": "1000000003"},
            "fileSystemInfo": {"lastModifiedDateTime": "2020-01-02T03:04:05Z"},
        }),
    )
    .await;

    // Assert: an absolute monitor URL on the emulator, then both phases.
    let monitor = "910a2dec-8902-5cc1-e9fd-6049d65af21e";
    assert_eq!(
        location,
        format!("{}/_api/v2.0/monitor/{monitor}", graph.origin())
    );
    let done = finished(&graph, &location).await;
    assert_eq!(done, completed(&graph, monitor, DRIVE_ID, "1000000004"));
    // Later reads keep answering the same.
    assert_eq!(poll(&graph, &location).await.body, done);
    // The copy: the source's current bytes, one version, its own times.
    let item = graph.get("/me/drive/items/1000000004").await;
    assert_eq!(item.body["name"], "copy.txt");
    assert_eq!(item.body["parentReference"]["id"], "1000000003");
    assert_eq!(
        item.body["fileSystemInfo"]["lastModifiedDateTime"],
        "2020-01-02T03:04:05Z"
    );
    assert_eq!(
        content(&graph, "/me/drive/items/1000000004").await,
        b"final!"
    );
    assert_eq!(graph.version_ids("1000000004").await, ["1.0"]);
    // The source is as it was.
    assert_eq!(graph.version_ids("1000000002").await, ["2.0", "1.0"]);
    assert_eq!(names(&graph, "/me/drive/root").await, ["Dest", "plan.txt"]);
}

#[tokio::test]
async fn every_conflict_behaviour_is_honoured_and_a_clash_is_reported_by_the_monitor() {
    // Arrange: a.txt (1000000002) and b.txt (1000000003) in the root.
    let graph = spawn().graph().await;
    graph.upload("/a.txt", b"aaa").await;
    graph.upload("/b.txt", b"bb").await;
    let source = "/me/drive/items/1000000002";
    let onto_b = json!({"name": "b.txt"});

    // Act + Assert: fail (the default) accepts, then the monitor says why nothing was made.
    let location = copy(&graph, source, "", onto_b.clone()).await;
    let monitor = "910a2dec-8902-5cc1-e9fd-6049d65af21e";
    assert_eq!(
        finished(&graph, &location).await,
        json!({
            "id": monitor,
            "createdDateTime": "0001-01-01T00:00:00Z",
            "lastActionDateTime": "0001-01-01T00:00:00Z",
            "percentageComplete": 0.0,
            "status": "failed",
            "error": {"code": "nameAlreadyExists", "message": "Name already exists"},
        })
    );
    assert_eq!(names(&graph, "/me/drive/root").await, ["a.txt", "b.txt"]);

    // rename: the service's "name 1.txt", then "name 2.txt".
    for (expected_id, expected_name) in [("1000000004", "b 1.txt"), ("1000000005", "b 2.txt")] {
        let query = "?@microsoft.graph.conflictBehavior=rename";
        let location = copy(&graph, source, query, onto_b.clone()).await;
        let done = finished(&graph, &location).await;
        assert_eq!(done["resourceId"], expected_id);
        let item = graph.get(&format!("/me/drive/items/{expected_id}")).await;
        assert_eq!(item.body["name"], expected_name);
    }

    // replace: b.txt is deleted with its history; the copy takes its name.
    let query = "?@microsoft.graph.conflictBehavior=replace";
    let location = copy(&graph, source, query, onto_b.clone()).await;
    assert_eq!(
        finished(&graph, &location).await["resourceId"],
        "1000000006"
    );
    assert_eq!(
        graph.get("/me/drive/items/1000000003").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        content(&graph, "/me/drive/root:/b.txt:").await,
        b"aaa",
        "b.txt is the copy"
    );
    // The body's spelling counts when the query has none; the query wins over it.
    let body = json!({"name": "b.txt", "@microsoft.graph.conflictBehavior": "rename"});
    let location = copy(&graph, source, "", body.clone()).await;
    assert_eq!(
        finished(&graph, &location).await["resourceId"],
        "1000000007"
    );
    let location = copy(
        &graph,
        source,
        "?@microsoft.graph.conflictBehavior=fail",
        body,
    )
    .await;
    assert_eq!(finished(&graph, &location).await["status"], "failed");
    assert_eq!(
        names(&graph, "/me/drive/root").await,
        ["a.txt", "b 1.txt", "b 2.txt", "b 3.txt", "b.txt"]
    );
}

#[tokio::test]
async fn a_folder_copy_copies_its_tree_and_all_versions_only_when_asked() {
    // Arrange: Docs (1000000002) holding x.txt (3, two versions) and Sub (4) holding y.txt (5).
    let graph = spawn().graph().await;
    graph.upload("/Docs/x.txt", b"x1").await;
    graph.upload("/Docs/x.txt", b"x2").await;
    graph.upload("/Docs/Sub/y.txt", b"y").await;

    // Act: the same folder, a new name; rclone's body, with empty strings.
    let location = copy(
        &graph,
        "/me/drive/root:/Docs:",
        "",
        json!({
            "parentReference": {"driveId": DRIVE_ID, "id": "1000000001", "path": "", "driveType": ""},
            "name": "Docs copy",
        }),
    )
    .await;

    // Assert: the tree is there, with new ids, breadth first.
    assert_eq!(
        finished(&graph, &location).await["resourceId"],
        "1000000006"
    );
    assert_eq!(
        names(&graph, "/me/drive/root:/Docs copy:").await,
        ["Sub", "x.txt"]
    );
    assert_eq!(
        names(&graph, "/me/drive/root:/Docs copy/Sub:").await,
        ["y.txt"]
    );
    assert_eq!(
        content(&graph, "/me/drive/root:/Docs copy/Sub/y.txt:").await,
        b"y"
    );
    let x = graph.get("/me/drive/root:/Docs copy/x.txt:").await;
    assert_eq!(x.body["id"], "1000000008");
    assert_eq!(graph.version_ids("1000000008").await, ["1.0"]);
    // includeAllVersionHistory copies the history, with the numbers it had.
    let location = copy(
        &graph,
        "/me/drive/items/1000000003",
        "",
        json!({"name": "x all.txt", "includeAllVersionHistory": true}),
    )
    .await;
    assert_eq!(
        finished(&graph, &location).await["resourceId"],
        "1000000010"
    );
    assert_eq!(graph.version_ids("1000000010").await, ["2.0", "1.0"]);
    assert_eq!(content(&graph, "/me/drive/items/1000000010").await, b"x2");
}

#[tokio::test]
async fn a_copy_goes_into_another_drive_the_caller_can_write_and_not_into_another_users() {
    // Arrange: a file of ours, and a group's library (made on first use, open to everyone).
    let graph = spawn().graph().await;
    graph.upload("/report.txt", b"numbers").await;
    let library = graph.get("/groups/team/drive").await;
    assert_eq!(library.status, StatusCode::OK, "{library:?}");
    let library_id = "b!_Iqg_m8N7J5qCgBecWQ_rzQHDiM7lkLh";
    assert_eq!(library.body["id"], library_id);

    // Act: into the library's root, by drive id alone.
    let location = copy(
        &graph,
        "/me/drive/items/1000000002",
        "",
        json!({"parentReference": {"driveId": library_id}}),
    )
    .await;

    // Assert: the new item is in the library, and its monitor names the library's drive.
    let done = finished(&graph, &location).await;
    assert_eq!(
        done,
        completed(
            &graph,
            "910a2dec-8902-5cc1-e9fd-6049d65af21e",
            library_id,
            "1000000004"
        )
    );
    let copied = graph
        .get(&format!("/drives/{library_id}/root:/report.txt:"))
        .await;
    assert_eq!(copied.status, StatusCode::OK, "{copied:?}");
    assert_eq!(copied.body["parentReference"]["driveId"], library_id);

    // Another user's drive is refused on the POST, and nothing is made there.
    let other = send(
        graph
            .app
            .client
            .get(graph.url("/me/drive"))
            .bearer_auth("someone-else"),
    )
    .await;
    let other_drive = other.body["id"].as_str().unwrap().to_owned();
    let reply = graph
        .post_json(
            "/me/drive/items/1000000002/copy",
            json!({"parentReference": {"driveId": other_drive}}),
        )
        .await;
    graph.assert_error(
        &reply,
        403,
        "accessDenied",
        "Access denied",
        "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
    );
}

/// (path, body, status, code, message, why)
type Case<'a> = (&'a str, &'a [u8], u16, &'a str, &'a str, &'a str);

#[tokio::test]
async fn bad_copies_are_refused_on_the_post_in_graphs_envelope_and_make_nothing() {
    // Arrange: a.txt (1000000002) and Folder (1000000003) holding Inner (1000000004).
    let graph = spawn().graph().await;
    graph.upload("/a.txt", b"a").await;
    graph.upload("/Folder/Inner/keep.txt", b"k").await;
    let file = "/me/drive/items/1000000002/copy";
    let folder = "/me/drive/items/1000000003/copy";
    let cases: Vec<Case> = vec![
        ("/me/drive/root/copy", b"{}", 400, "invalidRequest", "Cannot copy the root folder.", "the root"),
        (file, br#"{"childrenOnly":true}"#, 400, "invalidRequest", "childrenOnly option is not valid for file items.", "childrenOnly on a file"),
        (folder, br#"{"childrenOnly":true,"name":"x"}"#, 400, "invalidRequest", "Cannot use name parameter alongside childrenOnly.", "childrenOnly with a name"),
        (folder, br#"{"childrenOnly":true}"#, 400, "notSupported", "The emulator does not copy a folder's children alone (childrenOnly).", "childrenOnly is not emulated"),
        (file, b"{not json", 400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.", "a body that is not JSON"),
        (file, br#"{"@microsoft.graph.conflictBehavior":"overwrite"}"#, 400, "invalidRequest", "Invalid value 'overwrite' for @microsoft.graph.conflictBehavior.", "an unknown conflict behaviour"),
        (file, br#"{"parentReference":{"id":"999"}}"#, 404, "itemNotFound", "Item not found", "an unknown destination"),
        (file, br#"{"parentReference":{"id":"1000000002"}}"#, 400, "invalidRequest", "A segment of the path is a file, not a folder.", "a file as destination"),
        (folder, br#"{"parentReference":{"id":"1000000004"}}"#, 400, "invalidRequest", "A folder cannot be copied into itself or below.", "a folder into its own subfolder"),
        (file, br#"{"name":"a:b"}"#, 400, "invalidRequest", "Invalid name: \"a:b\": the name contains a character that is not allowed", "a name the service refuses"),
        ("/me/drive/items/999/copy", b"{}", 404, "itemNotFound", "Item not found", "an unknown source"),
        (file, br#"{"parentReference":{"path":"/drive/root:/Nope"}}"#, 404, "itemNotFound", "Item not found", "a destination path that names nothing"),
    ];
    let ids = [
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
        "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
        "bd64a5d9-adef-e000-6c1e-186443822970",
        "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
        "9e5651b0-ef95-3636-e62b-6430f1260052",
        "aeaf52fe-be70-6064-d484-a1e7c35a0b13",
        "088712be-8a58-2fca-6fc5-530939fb94c3",
        "50f5647d-2380-309d-baa3-2132e1340f17",
        "943ff9fc-99de-8f03-ae9b-71a31d422e93",
        "c4ca37b7-f8ad-8aff-e1ec-8deaabc4ba58",
    ];
    for ((path, body, status, code, message, why), request_id) in with_request_ids(cases, ids) {
        // Act
        let request = graph
            .request(Method::POST, path)
            .header("content-type", "application/json");
        let reply = graph.send(request.body(body.to_vec())).await;

        // Assert
        assert_eq!(reply.status.as_u16(), status, "{why}: {reply:?}");
        graph.assert_error(&reply, status, code, message, request_id);
    }
    assert_eq!(names(&graph, "/me/drive/root").await, ["a.txt", "Folder"]);
    assert_eq!(names(&graph, "/me/drive/root:/Folder:").await, ["Inner"]);
}

#[tokio::test]
async fn an_unknown_monitor_is_not_found_and_a_monitor_takes_only_get() {
    // Arrange
    let graph = spawn().graph().await;
    let url = format!("{}/_api/v2.0/monitor/no-such-operation", graph.origin());

    // Act
    let unknown = poll(&graph, &url).await;
    let posted = send(graph.app.client.post(&url)).await;

    // Assert
    graph.assert_error(
        &unknown,
        404,
        "operationNotFound",
        "The operation does not exist.",
        "e220a839-7b1d-cdaf-e4d9-71771b652c20",
    );
    graph.assert_error(
        &posted,
        405,
        "invalidRequest",
        "The HTTP method is not allowed for this resource.",
        "910a2dec-8902-5cc1-f320-3e9039f4a821",
    );
    assert_eq!(posted.header("allow"), "GET, HEAD");
}

#[tokio::test]
async fn a_copy_needs_a_write_scope_and_into_a_shared_drive_an_all_scope() {
    // Arrange: one user with three tokens: every scope, read only, and their own files only.
    let user = |token: &str, scopes: Option<Vec<&str>>| FixtureUser {
        id: "u1".to_owned(),
        name: None,
        login: None,
        tokens: vec![token.to_owned()],
        scopes: scopes.map(|s| s.into_iter().map(str::to_owned).collect()),
        ..Default::default()
    };
    let graph = spawn()
        .tokens(vec![
            user("full", None),
            user("reader", Some(vec!["Files.Read"])),
            user("own", Some(vec!["Files.ReadWrite"])),
        ])
        .graph()
        .await;
    let as_user = |token: &str, path: &str, body: Value| {
        let request = graph.app.client.post(graph.url(path)).bearer_auth(token);
        send(request.json(&body))
    };
    let put = graph
        .app
        .client
        .put(graph.url("/me/drive/root:/a.txt:/content"));
    let made = send(put.bearer_auth("full").body("a")).await;
    assert_eq!(made.status, StatusCode::CREATED, "{made:?}");
    let library = send(
        graph
            .app
            .client
            .get(graph.url("/groups/team/drive"))
            .bearer_auth("full"),
    )
    .await;
    let library_id = library.body["id"].as_str().unwrap().to_owned();
    let path = "/me/drive/items/1000000002/copy";

    // Act
    let reader = as_user("reader", path, json!({})).await;
    let own = as_user(
        "own",
        path,
        json!({"parentReference": {"driveId": library_id}}),
    )
    .await;
    let own_drive = as_user("own", path, json!({"name": "b.txt"})).await;

    // Assert
    graph.assert_error(
        &reader,
        403,
        "accessDenied",
        "Access denied",
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
    );
    graph.assert_error(
        &own,
        403,
        "accessDenied",
        "Access denied",
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
    );
    assert_eq!(own_drive.status, StatusCode::ACCEPTED, "{own_drive:?}");
}
