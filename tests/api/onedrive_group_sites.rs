//! A members-only group's site and drive are one object from the first request that names
//! either: a non-member who names the group's site first (`/sites/{group}`) is refused and
//! makes nothing, so nothing can be planted in the group's library before its first use.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::onedrive_shared_drives::{call, get, graph_with, people};
use crate::support::with_request_ids;

/// The group `secret` (Alice only), declared without a site: its team site is made on first use.
fn secret_group() -> Value {
    json!({
        "users": people(),
        "groups": [{"id": "secret", "name": "Secret", "mail": "secret@contoso.com", "members": ["a1"]}]
    })
}

#[tokio::test]
async fn a_non_member_cannot_plant_a_file_in_a_group_library_through_its_site_before_first_use() {
    // Arrange
    let graph = graph_with(secret_group()).await;
    let before = graph.app.emulator.export();
    let attempts = [
        (
            Method::PUT,
            "/sites/secret/drive/root:/planted.txt:/content",
            "an upload through the site's name",
        ),
        (
            Method::PUT,
            "/sites/SECRET/drive/root:/planted.txt:/content",
            "the site's name in another case",
        ),
        (Method::GET, "/sites/secret", "the site itself"),
        (Method::GET, "/sites/secret/drives", "the site's libraries"),
    ];

    let ids = [
        "e220a839-7b1d-cdaf-e4d9-71771b652c20",
        "910a2dec-8902-5cc1-f320-3e9039f4a821",
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
    ];
    for ((method, path, why), request_id) in with_request_ids(attempts, ids) {
        // Act
        let reply = call(&graph, "bob", method.clone(), path, b"planted").await;

        // Assert
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{why}: {method} {path}: {reply:?}"
        );
        graph.assert_error(&reply, 403, "accessDenied", "Access denied", request_id);
    }
    assert_eq!(
        graph.app.emulator.export(),
        before,
        "a refusal makes no site"
    );

    // The member's first look finds the library empty.
    let children = get(&graph, "alice", "/groups/secret/drive/root/children").await;
    assert_eq!(children.status, StatusCode::OK, "{children:?}");
    assert_eq!(children.body["value"], json!([]));
}

#[tokio::test]
async fn a_group_site_named_first_by_a_member_is_the_group_drive_with_the_group_members() {
    // Arrange
    let graph = graph_with(secret_group()).await;
    let made = call(
        &graph,
        "alice",
        Method::PUT,
        "/sites/secret/drive/root:/a.txt:/content",
        b"a",
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{made:?}");

    // Act
    let by_group = get(&graph, "alice", "/groups/secret/drive").await;
    let site = get(&graph, "alice", "/sites/secret").await;
    let refused = get(&graph, "bob", "/sites/secret/drive/root/children").await;

    // Assert: one library, its group the site's, its members the group's.
    assert_eq!(by_group.status, StatusCode::OK, "{by_group:?}");
    assert_eq!(
        by_group.body["id"], made.body["parentReference"]["driveId"],
        "the group's drive is the library the site's upload went to"
    );
    assert_eq!(
        by_group.body["owner"],
        json!({"group": {"email": "secret@contoso.com", "id": "secret", "displayName": "Secret"}})
    );
    assert_eq!(site.body["displayName"], json!("Secret"), "{site:?}");
    graph.assert_error(
        &refused,
        403,
        "accessDenied",
        "Access denied",
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
    );
}
