//! An app identity (client credentials) on groups' and sites' drives whose members are listed:
//! its application roles reach every one of them, a read-only role for reads alone, while a
//! delegated token is still held to the members.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::entra_graph::client_credentials;
use crate::onedrive_shared_drives::{call, get, people};
use crate::support::graph::Graph;
use crate::support::{spawn, with_request_ids};

/// Engineering (Alice and Bob) with its team site `eng`; the site `wiki` (Alice only) with a
/// second library; `report-app`, which may only read sites.
fn fixture() -> Value {
    json!({
        "users": people(),
        "groups": [{"id": "g-eng", "name": "Engineering", "mail": "eng@contoso.com", "members": ["a1", "b2"]}],
        "sites": [
            {"name": "eng", "group": "g-eng"},
            {"name": "wiki", "members": ["a1"], "libraries": [
                {"name": "Documents"},
                {"name": "Archive", "items": [
                    {"type": "file", "path": "old.txt", "created_by": "a1", "versions": [{"text": "old"}]}
                ]}
            ]}
        ],
        "clients": [{"id": "report-app", "secret": "right", "roles": ["Sites.Read.All"]}],
    })
}

/// The access token `client` signs in with.
async fn app_token(graph: &Graph, client: &str, secret: &str) -> String {
    let signed = client_credentials(graph, client, secret).await;
    assert_eq!(signed.status, StatusCode::OK, "{:?}", signed.body);
    signed.body["access_token"].as_str().unwrap().to_owned()
}

/// The id of wiki's second library, as Alice (a member) sees it.
async fn archive_id(graph: &Graph) -> String {
    let drives = get(graph, "alice", "/sites/wiki/drives").await;
    assert_eq!(drives.status, StatusCode::OK, "{drives:?}");
    drives.body["value"][1]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_app_reads_and_writes_a_members_only_group_drive_and_a_sites_libraries() {
    // Arrange: an unconfigured client holds Files.ReadWrite.All and Sites.ReadWrite.All.
    let graph = spawn().fixture(fixture()).graph().await;
    let token = app_token(&graph, "sync-app", "any-secret").await;
    let archive = archive_id(&graph).await;

    // Act
    let group_drive = get(&graph, &token, "/groups/g-eng/drive").await;
    let (graph, token) = (&graph, &token);
    let put =
        |path: String| async move { call(graph, token, Method::PUT, &path, b"from the app").await };
    let in_group = put("/groups/g-eng/drive/root:/app.txt:/content".into()).await;
    let in_site = put("/sites/wiki/drive/root:/app.txt:/content".into()).await;
    let in_archive = put(format!("/drives/{archive}/root:/app.txt:/content")).await;
    let site_drives = get(graph, token, "/sites/wiki/drives").await;
    let old = get(graph, token, &format!("/drives/{archive}/root:/old.txt")).await;

    // Assert
    assert_eq!(group_drive.status, StatusCode::OK, "{group_drive:?}");
    assert_eq!(
        group_drive.body["owner"],
        json!({"group": {"email": "eng@contoso.com", "id": "g-eng", "displayName": "Engineering"}})
    );
    for (reply, why) in [
        (&in_group, "the group's drive"),
        (&in_site, "the site's default library"),
        (&in_archive, "the site's second library, by drive id"),
    ] {
        assert_eq!(reply.status, StatusCode::CREATED, "{why}: {reply:?}");
        assert_eq!(reply.body["name"], "app.txt", "{why}");
    }
    assert_eq!(
        in_archive.body["parentReference"]["driveId"],
        json!(archive)
    );
    assert_eq!(site_drives.status, StatusCode::OK, "{site_drives:?}");
    let names: Vec<&Value> = (site_drives.body["value"].as_array().unwrap())
        .iter()
        .map(|d| &d["name"])
        .collect();
    assert_eq!(names, [&json!("Documents"), &json!("Archive")]);
    assert_eq!(old.status, StatusCode::OK, "{old:?}");
    assert_eq!(old.body["size"], 3);
    // Read back: the members see what the app wrote.
    for (token, path) in [
        (
            "bob",
            "/groups/g-eng/drive/root:/app.txt:/content".to_owned(),
        ),
        (
            "alice",
            "/sites/wiki/drive/root:/app.txt:/content".to_owned(),
        ),
        ("alice", format!("/drives/{archive}/root:/app.txt:/content")),
    ] {
        let reply = get(graph, token, &path).await;
        assert_eq!(reply.status, StatusCode::FOUND, "{path}");
        let location = reply.headers["location"].to_str().unwrap();
        let (status, bytes) = graph.fetch(location).await;
        assert_eq!(
            (status, &bytes[..]),
            (StatusCode::OK, &b"from the app"[..]),
            "{path}"
        );
    }
}

#[tokio::test]
async fn an_apps_upload_session_commits_into_a_members_only_library() {
    // Arrange: the fragment carries no token, so the commit checks the reach the app had when it
    // opened the session.
    let graph = spawn().fixture(fixture()).graph().await;
    let token = app_token(&graph, "sync-app", "any-secret").await;
    let path = "/sites/wiki/drive/root:/big.bin:/createUploadSession";
    let session = call(&graph, &token, Method::POST, path, b"{}").await;
    assert_eq!(session.status, StatusCode::OK, "{session:?}");
    let url = session.body["uploadUrl"].as_str().unwrap();

    // Act
    let request = (graph.app.client.put(url))
        .header("content-range", "bytes 0-5/6")
        .body(b"64 KiB".to_vec());
    let committed = graph.send(request).await;

    // Assert, then read back as a member.
    assert_eq!(committed.status, StatusCode::CREATED, "{committed:?}");
    assert_eq!(committed.body["name"], "big.bin");
    let read = get(&graph, "alice", "/sites/wiki/drive/root:/big.bin").await;
    assert_eq!(read.status, StatusCode::OK, "{read:?}");
    assert_eq!(read.body["size"], 6);
}

#[tokio::test]
async fn an_app_with_a_read_role_reads_a_members_only_library_and_is_refused_its_writes() {
    // Arrange
    let graph = spawn().fixture(fixture()).graph().await;
    let token = app_token(&graph, "report-app", "right").await;
    let archive = archive_id(&graph).await;
    let cases = [
        (
            Method::PUT,
            "/groups/g-eng/drive/root:/app.txt:/content".to_owned(),
            "an upload to the group's drive",
        ),
        (
            Method::PUT,
            "/sites/wiki/drive/root:/app.txt:/content".to_owned(),
            "an upload to the site's library",
        ),
        (
            Method::DELETE,
            format!("/drives/{archive}/root:/old.txt"),
            "a delete in a library by drive id",
        ),
    ];
    let ids = [
        "6e73e372-e233-8aca-16b1-cba95fc60262",
        "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
        "bd64a5d9-adef-e000-6c1e-186443822970",
    ];

    // Act
    let read = get(&graph, &token, &format!("/drives/{archive}/root:/old.txt")).await;
    let group = get(&graph, &token, "/groups/g-eng/drive").await;

    // Assert
    assert_eq!(read.status, StatusCode::OK, "{read:?}");
    assert_eq!(read.body["name"], "old.txt");
    assert_eq!(group.status, StatusCode::OK, "{group:?}");
    for ((method, path, why), id) in with_request_ids(cases, ids) {
        let reply = call(&graph, &token, method, &path, b"x").await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{why}");
        graph.assert_error(&reply, 403, "accessDenied", "Access denied", id);
    }
    // Nothing was written or deleted.
    let group_children = get(&graph, "bob", "/groups/g-eng/drive/root/children").await;
    assert_eq!(group_children.body["value"], json!([]));
    let old = get(&graph, "alice", &format!("/drives/{archive}/root:/old.txt")).await;
    assert_eq!(old.status, StatusCode::OK, "{old:?}");
}

#[tokio::test]
async fn a_delegated_non_member_is_still_refused() {
    // Arrange: Eve is in no group; Bob is not a member of the wiki.
    let graph = spawn().fixture(fixture()).graph().await;
    let cases = [
        ("eve", "/groups/g-eng/drive", "a non-member of the group"),
        ("bob", "/sites/wiki/drives", "a non-member of the site"),
    ];
    let ids = [
        "e220a839-7b1d-cdaf-e4d9-71771b652c20",
        "910a2dec-8902-5cc1-f320-3e9039f4a821",
    ];

    for ((token, path, why), id) in with_request_ids(cases, ids) {
        // Act
        let reply = get(&graph, token, path).await;

        // Assert
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{why}");
        graph.assert_error(&reply, 403, "accessDenied", "Access denied", id);
    }
}
