//! Graph shared drives (<https://learn.microsoft.com/en-us/graph/api/drive-get>,
//! <https://learn.microsoft.com/en-us/graph/api/resources/drive>): group and site document
//! libraries as drives of their own, one library behind a group's drive and its team site, and
//! files every member changes with each version's author kept. Members declared by fixtures and the
//! `.All` scope rule are `onedrive_drive_members`'; the helpers here serve both.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::graph::{at, hashes, Graph, Reply};
use crate::support::spawn;

pub(crate) const TIB: u64 = 1_099_511_627_776;

/// Alice and Bob, with every scope; Eve, in no group; and tokens with restricted scopes.
pub(crate) fn people() -> Value {
    json!([
        {"id": "a1", "name": "Alice", "login": "alice@example.com", "tokens": ["alice"]},
        {"id": "b2", "name": "Bob", "login": "bob@example.com", "tokens": ["bob"]},
        {"id": "e3", "name": "Eve", "login": "eve@example.com", "tokens": ["eve"]},
        {"id": "a1", "tokens": ["alice-own-files"], "scopes": ["Files.ReadWrite"]},
        {"id": "a1", "tokens": ["alice-read-all"], "scopes": ["Files.Read", "Files.Read.All"]},
        {"id": "a1", "tokens": ["alice-sites"], "scopes": ["Sites.ReadWrite.All"]}
    ])
}

pub(crate) fn alice() -> Value {
    json!({"user": {"email": "alice@example.com", "id": "a1", "displayName": "Alice"}})
}

pub(crate) fn bob() -> Value {
    json!({"user": {"email": "bob@example.com", "id": "b2", "displayName": "Bob"}})
}

/// An emulator seeded with `fixture`, its clock frozen at `NOW`.
pub(crate) async fn graph_with(fixture: Value) -> Graph {
    spawn().fixture(fixture).graph().await
}

/// Sends `method path` (below `/v1.0`) as the user `token` signs in as.
pub(crate) async fn call(
    graph: &Graph,
    token: &str,
    method: Method,
    path: &str,
    body: &[u8],
) -> Reply {
    let request = graph.app.client.request(method, graph.url(path));
    graph
        .send(request.bearer_auth(token).body(body.to_vec()))
        .await
}

pub(crate) async fn get(graph: &Graph, token: &str, path: &str) -> Reply {
    call(graph, token, Method::GET, path, b"").await
}

/// The drive object a library answers with, whole.
pub(crate) fn library(
    graph: &Graph,
    id: &str,
    name: &str,
    url: &str,
    owner: Value,
    used: u64,
) -> Value {
    json!({
        "@odata.context": format!("{}/v1.0/$metadata#drives/$entity", graph.origin()),
        "id": id,
        "driveType": "documentLibrary",
        "name": name,
        "description": "",
        "createdDateTime": at(0),
        "lastModifiedDateTime": at(0),
        "webUrl": format!("{}{url}", graph.origin()),
        "createdBy": {"user": {"displayName": "System Account"}},
        "owner": owner,
        "quota": {"deleted": 0, "remaining": TIB - used, "state": "normal", "total": TIB, "used": used},
    })
}

pub(crate) fn without_context(mut drive: Value) -> Value {
    drive.as_object_mut().unwrap().remove("@odata.context");
    drive
}

/// A library's drive id: `b!` and 32 URL-safe base64 characters, like SharePoint's.
fn assert_library_id(id: &str) {
    let tail = id
        .strip_prefix("b!")
        .unwrap_or_else(|| panic!("{id} is not b!…"));
    assert_eq!(tail.len(), 32, "{id}");
    assert!(
        tail.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "{id}"
    );
}

/// A site id: `{hostname},{guid},{guid}`.
fn assert_site_id(id: &str) {
    let parts: Vec<&str> = id.split(',').collect();
    assert_eq!(parts.len(), 3, "{id}");
    assert_eq!(parts[0], "restoremock.sharepoint.com", "{id}");
    for guid in &parts[1..] {
        assert!(uuid::Uuid::parse_str(guid).is_ok(), "{guid} in {id}");
    }
}

#[tokio::test]
async fn a_groups_drive_is_its_team_sites_default_library_at_every_address() {
    // Arrange: no fixture, so the group is made on first use and open to everyone.
    let graph = graph_with(json!({"users": people()})).await;

    // Act
    let drive = get(&graph, "alice", "/groups/eng/drive").await;
    let site = get(&graph, "bob", "/groups/eng/sites/root").await;

    // Assert
    assert_eq!(drive.status, StatusCode::OK, "{drive:?}");
    let id = "b!KPna5ASuk-RwQnpRcK5VHRVXcKkHehgC";
    assert_library_id(id);
    let group = json!({"group": {"id": "eng", "displayName": "eng", "email": "eng@example.com"}});
    let expected = library(
        &graph,
        id,
        "Documents",
        "/sites/eng/Shared%20Documents",
        group,
        0,
    );
    assert_eq!(drive.body, expected);
    assert_eq!(site.status, StatusCode::OK, "{site:?}");
    let site_id = "restoremock.sharepoint.com,4d5741a8-459a-03c4-8594-9795d124288e,36c82376-ff96-bf0b-e11f-c54f27f76d69";
    assert_site_id(site_id);
    assert_eq!(
        site.body,
        json!({
            "@odata.context": format!("{}/v1.0/$metadata#sites/$entity", graph.origin()),
            "createdDateTime": at(0),
            "description": "",
            "id": site_id,
            "lastModifiedDateTime": at(0),
            "name": "eng",
            "webUrl": format!("{}/sites/eng", graph.origin()),
            "displayName": "eng",
            "siteCollection": {"hostname": "restoremock.sharepoint.com"},
        })
    );
    for path in [
        format!("/sites/{site_id}/drive"),
        "/sites/eng/drive".to_owned(),
        "/sites/ENG/drive".to_owned(),
        "/groups/eng/sites/root/drive".to_owned(),
        format!("/drives/{id}"),
        format!("/groups/eng/drives/{id}"),
        format!("/sites/eng/drives/{}", id.replace('!', "%21")),
    ] {
        let reply = get(&graph, "bob", &path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.body, expected, "{path}");
    }
    for path in ["/groups/eng/drives", "/sites/eng/drives"] {
        let list = get(&graph, "alice", path).await;
        assert_eq!(
            list.body,
            json!({
                "@odata.context": format!("{}/v1.0/$metadata#drives", graph.origin()),
                "value": [without_context(expected.clone())],
            }),
            "{path}"
        );
    }
    assert_eq!(
        get(&graph, "alice", &format!("/sites/{site_id}"))
            .await
            .body,
        site.body
    );
}

#[tokio::test]
async fn the_root_site_and_a_site_of_its_own_answer_with_their_objects_and_libraries() {
    // Arrange
    let graph = graph_with(json!({"users": people()})).await;

    // Act
    let root = get(&graph, "alice", "/sites/root").await;
    let news = get(&graph, "alice", "/sites/news").await;
    let root_drive = get(&graph, "alice", "/sites/root/drive").await;
    let news_drive = get(&graph, "alice", "/sites/news/drive").await;

    // Assert
    let origin = graph.origin();
    let site = |id: &str, name: &str, display: &str, url: String| {
        json!({
            "@odata.context": format!("{origin}/v1.0/$metadata#sites/$entity"),
            "createdDateTime": at(0),
            "description": "",
            "id": id,
            "lastModifiedDateTime": at(0),
            "name": name,
            "webUrl": url,
            "displayName": display,
            "siteCollection": {"hostname": "restoremock.sharepoint.com"},
        })
    };
    let mut expected_root = site(
        "restoremock.sharepoint.com,0b2ffde9-2fc9-fb93-97f2-324187a6bb94,3a1a1032-4902-d508-3bb2-46f12c3d21f3",
        "root",
        "Communication site",
        origin.clone(),
    );
    expected_root["root"] = json!({});
    assert_eq!(root.body, expected_root);
    let expected_news = site(
        "restoremock.sharepoint.com,251b7cc5-afa8-62ce-41a9-02d9b08bd1c1,94e5c620-0148-8018-a374-ab4b5db6b0bc",
        "news",
        "news",
        format!("{origin}/sites/news"),
    );
    assert_eq!(news.body, expected_news);
    // A site of its own belongs to no group: SharePoint shows the system account as owner.
    let system = json!({"user": {"displayName": "System Account"}});
    let root_id = "b!3kKyvyGJClYxTya8ots8NWIbxS-2IUzG";
    let news_id = "b!iFp2k0RTiMhuQjQKniDNnf7j6ZVyqBNL";
    assert_eq!(
        root_drive.body,
        library(
            &graph,
            root_id,
            "Documents",
            "/Shared%20Documents",
            system.clone(),
            0
        )
    );
    assert_eq!(
        news_drive.body,
        library(
            &graph,
            news_id,
            "Documents",
            "/sites/news/Shared%20Documents",
            system,
            0
        )
    );
    // By host and server-relative path, as SharePoint URLs name sites.
    let by_path = get(&graph, "alice", "/sites/contoso.sharepoint.com:/sites/news").await;
    assert_eq!(by_path.body, news.body);
    let drive_by_path = get(
        &graph,
        "bob",
        "/sites/contoso.sharepoint.com:/sites/news:/drive",
    )
    .await;
    assert_eq!(drive_by_path.body, news_drive.body);
}

#[tokio::test]
async fn two_members_share_one_history_with_both_authors_and_neither_sees_it_in_their_own_drive() {
    // Arrange
    let graph = graph_with(json!({"users": people()})).await;
    let path = "/groups/team/drive/root:/plan.txt:/content";

    // Act: Alice uploads, Bob uploads a new version, then restores Alice's.
    let first = call(&graph, "alice", Method::PUT, path, b"v1").await;
    graph.advance(10);
    let second = call(&graph, "bob", Method::PUT, path, b"v2!").await;
    graph.advance(10);
    let id = first.body["id"].as_str().unwrap().to_owned();
    let restore = format!("/groups/team/drive/items/{id}/versions/1.0/restoreVersion");
    let restored = call(&graph, "bob", Method::POST, &restore, b"").await;

    // Assert
    assert_eq!(first.status, StatusCode::CREATED, "{first:?}");
    assert_eq!(second.status, StatusCode::OK, "{second:?}");
    assert_eq!(restored.status, StatusCode::NO_CONTENT, "{restored:?}");
    let drive_id = "b!_Iqg_m8N7J5qCgBecWQ_rzQHDiM7lkLh";
    let encoded = "b%21_Iqg_m8N7J5qCgBecWQ_rzQHDiM7lkLh";
    let origin = graph.origin();
    let versions = json!({
        "@odata.context": format!("{origin}/v1.0/$metadata#drives('{encoded}')/items('{id}')/versions"),
        "value": [
            {"id": "3.0", "lastModifiedBy": bob(), "lastModifiedDateTime": at(20), "size": 2},
            {"id": "2.0", "lastModifiedBy": bob(), "lastModifiedDateTime": at(10), "size": 3},
            {"id": "1.0", "lastModifiedBy": alice(), "lastModifiedDateTime": at(0), "size": 2},
        ],
    });
    for token in ["alice", "bob"] {
        let listed = get(
            &graph,
            token,
            &format!("/groups/team/drive/items/{id}/versions"),
        )
        .await;
        assert_eq!(listed.body, versions, "{token} lists the one history");
    }
    let item = get(&graph, "bob", &format!("/drives/{drive_id}/items/{id}")).await;
    assert_eq!(
        item.body,
        json!({
            "@odata.context": format!("{origin}/v1.0/$metadata#drives('{encoded}')/items/$entity"),
            "@microsoft.graph.downloadUrl": graph.app.url("/_content/AAAAASoF8gMAAAAAZlr_RAC1ApTLahYw8WmGPgIJiIhu"),
            "id": "1000000002",
            "name": "plan.txt",
            "eTag": "\"{A04535F2-2366-4573-924A-9CEB7CB3CB73},3\"",
            "cTag": "\"c:{A04535F2-2366-4573-924A-9CEB7CB3CB73},3\"",
            "size": 2,
            "createdDateTime": at(0),
            "lastModifiedDateTime": at(20),
            "webUrl": format!("{origin}/sites/team/Shared%20Documents/plan.txt"),
            "createdBy": alice(),
            "lastModifiedBy": bob(),
            "parentReference": {
                "driveId": drive_id,
                "driveType": "documentLibrary",
                "siteId": "restoremock.sharepoint.com,0caff347-f328-d49e-49cf-3a905a3c1848,b94ccb11-a876-7d78-ebad-d241c0831109",
                "id": "1000000001",
                "name": "root",
                "path": format!("/drives/{drive_id}/root:"),
            },
            "file": {"mimeType": "text/plain", "hashes": hashes(b"v1")},
            "fileSystemInfo": {"createdDateTime": at(0), "lastModifiedDateTime": at(20)},
        })
    );
    let download = graph
        .app
        .url("/_content/AAAAASoF8gMAAAAAZlr_RAC1ApTLahYw8WmGPgIJiIhu");
    assert_eq!(graph.fetch(&download).await.1.as_ref(), b"v1");
    for (token, expected_id) in crate::support::with_request_ids(
        ["alice", "bob"],
        [
            "9e5651b0-ef95-3636-e62b-6430f1260052",
            "088712be-8a58-2fca-6fc5-530939fb94c3",
        ],
    ) {
        let own = get(&graph, token, "/me/drive/root/children").await;
        assert_eq!(
            own.body["value"],
            json!([]),
            "{token}'s own drive stays empty"
        );
        let by_id = get(&graph, token, &format!("/me/drive/items/{id}")).await;
        graph.assert_error(&by_id, 404, "itemNotFound", "Item not found", expected_id);
    }
}

#[tokio::test]
async fn an_upload_session_in_a_shared_drive_lands_there_as_the_sessions_creator() {
    // Arrange
    let graph = graph_with(json!({"users": people()})).await;
    let create = "/sites/news/drive/root:/big.bin:/createUploadSession";

    // Act
    let session = call(&graph, "bob", Method::POST, create, b"").await;
    let url = session.body["uploadUrl"].as_str().unwrap().to_owned();
    let done = graph
        .send(
            graph
                .app
                .client
                .put(&url)
                .header("Content-Range", "bytes 0-3/4")
                .body(b"data".to_vec()),
        )
        .await;

    // Assert
    assert_eq!(done.status, StatusCode::CREATED, "{done:?}");
    let drive = get(&graph, "alice", "/sites/news/drive").await.body;
    assert_eq!(drive["id"], "b!iFp2k0RTiMhuQjQKniDNnf7j6ZVyqBNL");
    assert_eq!(
        done.body["parentReference"]["driveId"],
        "b!iFp2k0RTiMhuQjQKniDNnf7j6ZVyqBNL"
    );
    assert_eq!(done.body["parentReference"]["driveType"], "documentLibrary");
    assert_eq!(done.body["createdBy"], bob());
    let id = done.body["id"].as_str().unwrap();
    let versions = get(
        &graph,
        "alice",
        &format!("/sites/news/drive/items/{id}/versions"),
    )
    .await;
    assert_eq!(versions.body["value"][0]["lastModifiedBy"], bob());
    assert_eq!(drive["quota"]["used"], 4);
}

#[tokio::test]
async fn another_users_own_drive_is_refused_and_an_unknown_one_is_not_found() {
    // Arrange
    let graph = graph_with(json!({"users": people()})).await;
    let bobs = call(
        &graph,
        "bob",
        Method::PUT,
        "/me/drive/root:/b.txt:/content",
        b"bob",
    )
    .await;
    let bob_drive = bobs.body["parentReference"]["driveId"]
        .as_str()
        .unwrap()
        .to_owned();
    let cases = [
        (
            format!("/drives/{bob_drive}"),
            403,
            "another user's drive by id",
        ),
        ("/users/b2/drive".to_owned(), 403, "by the user's id"),
        (
            "/users/bob@example.com/drive/root:/b.txt".to_owned(),
            403,
            "by login",
        ),
        ("/users/b2/drives".to_owned(), 403, "their drive list"),
        ("/users/nobody/drive".to_owned(), 404, "an unknown user"),
        ("/drives/b!nobody".to_owned(), 404, "an unknown drive"),
        (
            format!("/me/drives/{bob_drive}"),
            404,
            "not among the caller's drives",
        ),
    ];

    // Each case's request id: the second to the eighth this server answers.
    let ids = [
        "910a2dec-8902-5cc1-f320-3e9039f4a821",
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
        "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
        "bd64a5d9-adef-e000-6c1e-186443822970",
        "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
    ];
    for ((path, status, why), request_id) in crate::support::with_request_ids(&cases, ids) {
        // Act
        let reply = get(&graph, "alice", path).await;

        // Assert: a user's own drive is theirs alone.
        assert_eq!(reply.status.as_u16(), *status, "{why}: {path}");
        match status {
            403 => graph.assert_error(&reply, 403, "accessDenied", "Access denied", request_id),
            _ => graph.assert_error(&reply, 404, "itemNotFound", "Item not found", request_id),
        }
    }
}

#[tokio::test]
async fn a_method_the_address_does_not_take_is_405_and_makes_no_group_or_site() {
    // Arrange
    let graph = graph_with(json!({"users": people()})).await;
    let cases = [
        (Method::DELETE, "/groups/fresh/drive", "GET, HEAD"),
        (
            Method::PUT,
            "/sites/fresh/drive/root",
            "GET, HEAD, PATCH, DELETE",
        ),
        (Method::POST, "/sites/fresh", "GET, HEAD"),
        (Method::PUT, "/groups/fresh/drives", "GET, HEAD"),
    ];

    for ((method, path, allow), expected_id) in crate::support::with_request_ids(
        cases,
        [
            "e220a839-7b1d-cdaf-e4d9-71771b652c20",
            "910a2dec-8902-5cc1-f320-3e9039f4a821",
            "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
            "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
        ],
    ) {
        // Act
        let reply = call(&graph, "alice", method.clone(), path, b"").await;

        // Assert
        let message = "The HTTP method is not allowed for this resource.";
        graph.assert_error(&reply, 405, "invalidRequest", message, expected_id);
        assert_eq!(reply.header("allow"), allow, "{method} {path}");
    }
    let state = graph.app.emulator.export();
    assert_eq!(
        (state.groups.len(), state.sites.len()),
        (0, 0),
        "nothing made"
    );
}
