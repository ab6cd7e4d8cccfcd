//! `GET /__admin/drives`: Graph's shared drives as the admin browser lists them, each library
//! with its site, group, members and the root its folder tree opens from.

use reqwest::StatusCode;
use restore_mock::fixture::Fixture;
use restore_mock::Emulator;
use serde_json::{json, Value};

use crate::support::send;
use crate::support::spawn;
use crate::support::Reply;

/// Alice and Bob in the Engineering group, whose team site `eng` has two libraries; `wiki` is
/// a site of its own, without a group, open to Alice alone.
pub(crate) fn fixture() -> Fixture {
    serde_json::from_value(json!({
        "users": [
            {"id": "a1", "name": "Alice", "login": "alice@example.com", "tokens": ["alice"]},
            {"id": "b2", "name": "Bob", "login": "bob@example.com", "tokens": ["bob"]}
        ],
        "groups": [{"id": "g-eng", "name": "Engineering", "members": ["a1", "b2"]}],
        "sites": [
            {"name": "eng", "group": "g-eng", "libraries": [{"name": "Documents"}, {"name": "Specs"}]},
            {"name": "wiki", "members": ["a1"]}
        ]
    }))
    .expect("a valid fixture")
}

/// A Graph GET as `token`, answering the body.
pub(crate) async fn graph_get(emulator: &Emulator, token: &str, path: &str) -> Value {
    let request = reqwest::Client::new()
        .get(emulator.url(&format!("/v1.0{path}")))
        .bearer_auth(token);
    let Reply { status, body, .. } = send(request).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// The Graph drive of site `site` named `name`, as Graph lists it.
pub(crate) async fn library(emulator: &Emulator, site: &str, name: &str) -> Value {
    let drives = graph_get(emulator, "alice", &format!("/sites/{site}/drives")).await;
    drives["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == name)
        .unwrap_or_else(|| panic!("{site} has no library {name}: {drives}"))
        .clone()
}

/// Alice writes `plan.txt` in eng's Specs library, then Bob writes over it: one file, two
/// versions by two authors. Answers the file's id.
pub(crate) async fn upload_by_two_users(emulator: &Emulator) -> u64 {
    let specs = library(emulator, "eng", "Specs").await;
    let path = format!(
        "/v1.0/drives/{}/root:/plan.txt:/content",
        specs["id"].as_str().unwrap()
    );
    let mut id = Value::Null;
    for (token, text) in [("alice", "alice's plan"), ("bob", "bob's plan")] {
        let request = reqwest::Client::new()
            .put(emulator.url(&path))
            .bearer_auth(token)
            .body(text);
        let Reply { status, body, .. } = send(request).await;
        assert!(status.is_success(), "{token}: {status} {body}");
        id = body["id"].clone();
    }
    id.as_str().unwrap().parse().unwrap()
}

/// The id of a drive's root folder, as Graph answers it.
pub(crate) async fn root(emulator: &Emulator, drive: &Value) -> u64 {
    let path = format!("/drives/{}/root", drive["id"].as_str().unwrap());
    let root = graph_get(emulator, "alice", &path).await;
    root["id"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn before_its_first_use_a_library_has_no_root_to_open() {
    // Arrange
    let emulator = spawn().fixture(fixture()).start().await.emulator;

    // Act
    let Reply { status, body, .. } =
        send(reqwest::Client::new().get(emulator.url("/__admin/drives?limit=1"))).await;

    // Assert: a root folder is made on first use, as a user's is, and a read never makes one.
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"total": 3, "offset": 0, "drives": [{
            "id": "b!KPna5ASuk-RwQnpRcK5VHRVXcKkHehgC", "name": "Documents",
            "site": {
                "id": "restoremock.sharepoint.com,4d5741a8-459a-03c4-8594-9795d124288e,36c82376-ff96-bf0b-e11f-c54f27f76d69",
                "name": "eng",
                "display_name": "Engineering",
            },
            "group": {"id": "g-eng", "name": "Engineering", "mail": "g-eng@example.com"},
            "members": ["a1", "b2"], "root": null,
        }]})
    );
}

#[tokio::test]
async fn each_library_is_listed_by_site_with_its_group_members_and_root() {
    // Arrange
    let emulator = spawn().fixture(fixture()).start().await.emulator;
    upload_by_two_users(&emulator).await;
    // Listing a site's drives makes each library's root, as its first use would.
    for site in ["eng", "wiki"] {
        graph_get(&emulator, "alice", &format!("/sites/{site}/drives")).await;
    }
    let specs_root = 1000000002;
    let engineering = json!({"id": "g-eng", "name": "Engineering", "mail": "g-eng@example.com"});
    let eng_site = json!({"id": "restoremock.sharepoint.com,4d5741a8-459a-03c4-8594-9795d124288e,36c82376-ff96-bf0b-e11f-c54f27f76d69", "name": "eng", "display_name": "Engineering"});

    // Act
    let client = reqwest::Client::new();
    let Reply { status, body, .. } = send(client.get(emulator.url("/__admin/drives"))).await;
    let Reply { body: second, .. } =
        send(client.get(emulator.url("/__admin/drives?offset=1&limit=1"))).await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    let specs_entry = json!({
        "id": "b!whwwt6zAYw6dR9el_HyAz18hrzJXRXWn", "name": "Specs", "site": eng_site, "group": engineering,
        "members": ["a1", "b2"], "root": specs_root
    });
    assert_eq!(
        body,
        json!({"total": 3, "offset": 0, "drives": [
            {"id": "b!KPna5ASuk-RwQnpRcK5VHRVXcKkHehgC", "name": "Documents", "site": eng_site, "group": engineering,
             "members": ["a1", "b2"], "root": 1000000001},
            specs_entry,
            {"id": "b!CFZMJiLMv0sZa9fnMZK9s6XaVSjE7Dve", "name": "Documents",
             "site": {"id": "restoremock.sharepoint.com,ca7fd102-11b1-ed92-915e-493d1c58e6cc,6483aa40-430a-21fb-4962-0f9e49786b4c", "name": "wiki", "display_name": "wiki"},
             "group": null, "members": ["a1"], "root": 1000000004}
        ]})
    );
    assert_eq!(
        second,
        json!({"total": 3, "offset": 1, "drives": [specs_entry]})
    );
    // The root opens the library's tree through the same routes as a user's space.
    let Reply { body: children, .. } =
        send(client.get(emulator.url(&format!("/__admin/items/{specs_root}/children")))).await;
    assert_eq!(children["children"][0]["name"], "plan.txt");
    assert_eq!(children["children"][0]["version_count"], 2);
}
