//! Graph shared drives with members from a fixture: a non-member refused, a site with two
//! libraries, the `.All` scope rule, and groups, sites and members through an export.

use reqwest::{Method, StatusCode};
use restore_mock::fixture::Fixture;
use serde_json::{json, Value};

use crate::onedrive_shared_drives::{
    alice, bob, call, get, graph_with, library, people, without_context,
};
use crate::support::graph::at;
use crate::support::spawn;

/// Engineering (Alice and Bob) with its team site `eng`, and the site `wiki` (Alice only) with a
/// second library holding one file.
fn members_fixture() -> Value {
    json!({
        "users": people(),
        "groups": [{"id": "g-eng", "name": "Engineering", "mail": "eng@contoso.com", "members": ["a1", "b2"]}],
        "sites": [
            {"name": "eng", "group": "g-eng"},
            {"name": "wiki", "members": ["a1"], "libraries": [
                {"name": "Documents"},
                {"name": "Archive", "quota": 1000, "items": [
                    {"type": "file", "path": "old.txt", "created_by": "a1", "versions": [{"text": "old"}]}
                ]}
            ]}
        ]
    })
}

#[tokio::test]
async fn a_non_member_is_refused_with_access_denied_on_the_drive_items_versions_and_uploads() {
    // Arrange
    let graph = graph_with(members_fixture()).await;
    let made = call(
        &graph,
        "bob",
        Method::PUT,
        "/groups/g-eng/drive/root:/a.txt:/content",
        b"x",
    )
    .await;
    assert_eq!(
        made.status,
        StatusCode::CREATED,
        "a member writes: {made:?}"
    );
    let id = made.body["id"].as_str().unwrap();
    let drive_id = made.body["parentReference"]["driveId"].as_str().unwrap();
    let cases = [
        (
            Method::GET,
            "/groups/g-eng/drive".to_owned(),
            "the group's drive",
        ),
        (
            Method::GET,
            "/groups/g-eng/drives".to_owned(),
            "the group's drives",
        ),
        (
            Method::GET,
            "/groups/g-eng/sites/root".to_owned(),
            "the team site",
        ),
        (
            Method::GET,
            "/sites/eng/drive".to_owned(),
            "the team site's library",
        ),
        (
            Method::GET,
            format!("/drives/{drive_id}"),
            "the drive by id",
        ),
        (
            Method::GET,
            format!("/drives/{drive_id}/items/{id}"),
            "an item",
        ),
        (
            Method::GET,
            format!("/drives/{drive_id}/items/{id}/versions"),
            "its versions",
        ),
        (
            Method::GET,
            format!("/drives/{drive_id}/items/{id}/content"),
            "its content",
        ),
        (
            Method::PUT,
            "/groups/g-eng/drive/root:/b.txt:/content".to_owned(),
            "an upload",
        ),
        (
            Method::POST,
            "/groups/g-eng/drive/root:/c.bin:/createUploadSession".to_owned(),
            "an upload session",
        ),
        (
            Method::POST,
            format!("/drives/{drive_id}/items/{id}/versions/1.0/restoreVersion"),
            "a restore",
        ),
        (
            Method::GET,
            "/sites/wiki/drives".to_owned(),
            "a site with members of its own",
        ),
    ];
    let before = graph.app.emulator.export();

    for ((method, path, why), expected_id) in crate::support::with_request_ids(
        &cases,
        [
            "910a2dec-8902-5cc1-f320-3e9039f4a821",
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
        ],
    ) {
        // Act
        let reply = call(&graph, "eve", method.clone(), path, b"y").await;

        // Assert: 403, as SharePoint refuses a site the user cannot open (see the README).
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{why}: {method} {path}"
        );
        graph.assert_error(&reply, 403, "accessDenied", "Access denied", expected_id);
    }
    assert_eq!(
        graph.app.emulator.export(),
        before,
        "a refusal changes nothing"
    );
    let versions = get(
        &graph,
        "bob",
        &format!("/drives/{drive_id}/items/{id}/versions"),
    )
    .await;
    assert_eq!(versions.body["value"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_site_lists_both_its_libraries_and_a_second_library_holds_its_own_files() {
    // Arrange
    let graph = graph_with(members_fixture()).await;

    // Act
    let list = get(&graph, "alice", "/sites/wiki/drives").await;

    // Assert
    assert_eq!(list.status, StatusCode::OK, "{list:?}");
    let value = list.body["value"].as_array().unwrap();
    let system = json!({"user": {"displayName": "System Account"}});
    let documents = value[0]["id"].as_str().unwrap();
    let archive = value[1]["id"].as_str().unwrap();
    assert_ne!(documents, archive);
    assert_eq!(
        list.body,
        json!({
            "@odata.context": format!("{}/v1.0/$metadata#drives", graph.origin()),
            "value": [
                without_context(library(&graph, documents, "Documents", "/sites/wiki/Shared%20Documents", system.clone(), 0)),
                {
                    "id": archive,
                    "driveType": "documentLibrary",
                    "name": "Archive",
                    "description": "",
                    "createdDateTime": at(0),
                    "lastModifiedDateTime": at(0),
                    "webUrl": format!("{}/sites/wiki/Archive", graph.origin()),
                    "createdBy": {"user": {"displayName": "System Account"}},
                    "owner": system,
                    "quota": {"deleted": 0, "remaining": 997, "state": "normal", "total": 1000, "used": 3},
                },
            ],
        })
    );
    let old = get(&graph, "alice", &format!("/drives/{archive}/root:/old.txt")).await;
    assert_eq!(old.body["createdBy"], alice());
    assert_eq!(
        old.body["webUrl"],
        format!("{}/sites/wiki/Archive/old.txt", graph.origin())
    );
    let elsewhere = get(
        &graph,
        "alice",
        &format!("/drives/{documents}/root:/old.txt"),
    )
    .await;
    graph.assert_error(
        &elsewhere,
        404,
        "itemNotFound",
        "Item not found",
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
    );
    // The declared group's drive carries the group as declared.
    let eng = get(&graph, "bob", "/groups/g-eng/drive").await;
    assert_eq!(
        eng.body["owner"],
        json!({"group": {"id": "g-eng", "displayName": "Engineering", "email": "eng@contoso.com"}})
    );
    assert_eq!(
        eng.body["webUrl"],
        format!("{}/sites/eng/Shared%20Documents", graph.origin())
    );
}

#[tokio::test]
async fn a_restricted_token_needs_an_all_scope_for_a_shared_drive_but_not_for_its_own() {
    // Arrange
    let graph = graph_with(members_fixture()).await;
    let cases = [
        (
            "alice-own-files",
            Method::GET,
            "/groups/g-eng/drive",
            403,
            "Files.ReadWrite is the own drive's only",
        ),
        (
            "alice-own-files",
            Method::GET,
            "/sites/wiki",
            403,
            "nor a site",
        ),
        (
            "alice-own-files",
            Method::GET,
            "/me/drive",
            200,
            "the own drive needs no .All",
        ),
        (
            "alice-own-files",
            Method::PUT,
            "/me/drive/root:/mine.txt:/content",
            201,
            "nor a write to it",
        ),
        (
            "alice-read-all",
            Method::GET,
            "/groups/g-eng/drive",
            200,
            "Files.Read.All reads",
        ),
        (
            "alice-read-all",
            Method::PUT,
            "/groups/g-eng/drive/root:/r.txt:/content",
            403,
            "but does not write",
        ),
        (
            "alice-sites",
            Method::PUT,
            "/groups/g-eng/drive/root:/s.txt:/content",
            201,
            "Sites.ReadWrite.All writes",
        ),
        (
            "alice-sites",
            Method::GET,
            "/sites/wiki/drives",
            200,
            "and lists",
        ),
    ];

    for ((token, method, path, status, why), expected_id) in crate::support::with_request_ids(
        cases,
        // Each case's request id, which a refusal names.
        [
            "e220a839-7b1d-cdaf-e4d9-71771b652c20",
            "910a2dec-8902-5cc1-f320-3e9039f4a821",
            "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
            "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
            "6e73e372-e233-8aca-16b1-cba95fc60262",
            "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
            "bd64a5d9-adef-e000-6c1e-186443822970",
            "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
        ],
    ) {
        // Act
        let reply = call(&graph, token, method, path, b"z").await;

        // Assert
        assert_eq!(
            reply.status.as_u16(),
            status,
            "{why}: {token} {path}: {reply:?}"
        );
        if status == 403 {
            graph.assert_error(&reply, 403, "accessDenied", "Access denied", expected_id);
        }
    }
}

#[tokio::test]
async fn an_export_loaded_into_a_new_emulator_keeps_drives_groups_sites_and_members() {
    // Arrange: the fixture's state, plus a group made on first use with a file in it.
    let first = graph_with(members_fixture()).await;
    let made = call(
        &first,
        "alice",
        Method::PUT,
        "/groups/adhoc/drive/root:/d/n.txt:/content",
        b"n",
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED);
    call(
        &first,
        "bob",
        Method::PUT,
        "/groups/adhoc/drive/root:/d/n.txt:/content",
        b"nn",
    )
    .await;
    let exported = first.app.emulator.export();

    // Act
    let second = graph_with(serde_json::to_value(&exported).unwrap()).await;

    // Assert
    assert_eq!(second.app.emulator.export(), exported);
    let as_json = serde_json::to_value(&exported).unwrap();
    assert_eq!(
        as_json["groups"],
        json!([
            {"id": "adhoc", "name": "adhoc", "mail": "adhoc@example.com"},
            {"id": "g-eng", "name": "Engineering", "mail": "eng@contoso.com", "members": ["a1", "b2"]},
        ])
    );
    let names: Vec<&Value> = as_json["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["name"])
        .collect();
    assert_eq!(names, [&json!("adhoc"), &json!("eng"), &json!("wiki")]);
    assert_eq!(as_json["sites"][2]["members"], json!(["a1"]));
    for path in [
        "/groups/adhoc/drive",
        "/sites/wiki/drives",
        "/groups/g-eng/sites/root",
    ] {
        let before = get(&first, "alice", path).await;
        let after = get(&second, "alice", path).await;
        assert_eq!(
            after.body.to_string().replace(&second.origin(), "ORIGIN"),
            before.body.to_string().replace(&first.origin(), "ORIGIN"),
            "{path}"
        );
    }
    let id = made.body["id"].as_str().unwrap();
    let versions = get(
        &second,
        "bob",
        &format!("/groups/adhoc/drive/items/{id}/versions"),
    )
    .await;
    let authors: Vec<&Value> = (versions.body["value"].as_array().unwrap().iter())
        .map(|v| &v["lastModifiedBy"])
        .collect();
    assert_eq!(authors, [&bob(), &alice()]);
    let refused = get(&second, "eve", "/sites/wiki/drive").await;
    second.assert_error(
        &refused,
        403,
        "accessDenied",
        "Access denied",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
    );
}

#[tokio::test]
async fn a_fixture_that_names_unknown_members_or_groups_is_refused_whole() {
    let cases = [
        (
            json!({"groups": [{"id": "g", "members": ["ghost"]}]}),
            "groups[0] (g): unknown user \"ghost\"",
            "a member nobody knows",
        ),
        (
            json!({"sites": [{"name": "s", "group": "nope"}]}),
            "sites[0] (s): unknown group \"nope\"",
            "a team site of no group",
        ),
        (
            json!({"groups": [{"id": "g"}], "sites": [{"name": "s", "group": "g", "members": []}]}),
            "sites[0] (s): a group's site takes its members from the group",
            "members on a team site",
        ),
        (
            json!({"sites": [{"name": "a,b"}]}),
            "sites[0] (a,b): a site name cannot hold a comma",
            "a comma, which splits site ids",
        ),
        (
            json!({"sites": [{"name": "s", "libraries": [{"name": "L", "items": [
                {"type": "file", "path": "f.txt", "versions": [{"text": "x"}]}
            ]}]}]}),
            "sites[0].libraries[0].items[0] (f.txt): a library's item needs created_by (or the library's root does)",
            "a library has no owner to default to",
        ),
        (
            json!({"sites": [{"name": "s", "libraries": [{"name": "L"}, {"name": "l"}]}]}),
            "sites[0].libraries[1] (l): the site already has a library of this name",
            "library names compare case-insensitively",
        ),
    ];
    for (fixture, message, why) in cases {
        // Arrange
        let graph = graph_with(json!({"users": people()})).await;
        let before = graph.app.emulator.export();
        let fixture: Fixture = serde_json::from_value(fixture).unwrap();

        // Act
        let error = graph.app.emulator.load_fixture(&fixture).unwrap_err();

        // Assert
        assert_eq!(error.to_string(), message, "{why}");
        assert_eq!(
            graph.app.emulator.export(),
            before,
            "{why}: nothing applied"
        );
    }
}

#[tokio::test]
async fn with_hide_unreachable_drives_a_non_member_gets_not_found_but_a_missing_scope_stays_403() {
    // Arrange: the switch for tests written against a tenant that hides what it refuses.
    let fixture: Fixture = serde_json::from_value(members_fixture()).unwrap();
    let config = restore_mock::Config {
        hide_unreachable_drives: true,
        ..restore_mock::Config::default()
    };
    let graph = spawn().config(config).fixture(fixture).graph().await;
    let made = call(
        &graph,
        "bob",
        Method::PUT,
        "/groups/g-eng/drive/root:/a.txt:/content",
        b"x",
    )
    .await;
    let id = made.body["id"].as_str().unwrap();
    let bobs = call(
        &graph,
        "bob",
        Method::PUT,
        "/me/drive/root:/b.txt:/content",
        b"b",
    )
    .await;
    let bob_drive = bobs.body["parentReference"]["driveId"].as_str().unwrap();
    let hidden = [
        (
            Method::GET,
            "/groups/g-eng/drive".to_owned(),
            "the group's drive",
        ),
        (
            Method::GET,
            format!("/groups/g-eng/drive/items/{id}/versions"),
            "its versions",
        ),
        (
            Method::PUT,
            "/groups/g-eng/drive/root:/e.txt:/content".to_owned(),
            "an upload",
        ),
        (Method::GET, "/sites/wiki".to_owned(), "a site with members"),
        (
            Method::GET,
            format!("/drives/{bob_drive}"),
            "another user's drive",
        ),
    ];

    for ((method, path, why), expected_id) in crate::support::with_request_ids(
        &hidden,
        [
            "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
            "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
            "6e73e372-e233-8aca-16b1-cba95fc60262",
            "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
            "bd64a5d9-adef-e000-6c1e-186443822970",
        ],
    ) {
        // Act
        let reply = call(&graph, "eve", method.clone(), path, b"y").await;

        // Assert
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{why}: {method} {path}"
        );
        graph.assert_error(&reply, 404, "itemNotFound", "Item not found", expected_id);
    }
    let scoped = get(&graph, "alice-own-files", "/groups/g-eng/drive").await;
    graph.assert_error(
        &scoped,
        403,
        "accessDenied",
        "Access denied",
        "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
    );
}
