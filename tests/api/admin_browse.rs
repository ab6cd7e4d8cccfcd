//! The admin browser's read routes (`/__admin/users`, `/__admin/items/…`), the journal's pages
//! and item links, and the page itself at `/__admin/ui`.

use bytes::Bytes;
use reqwest::Method;
use restore_mock::content::Content;
use restore_mock::fixture::Fixture;
use restore_mock::Emulator;
use serde_json::{json, Value};

use crate::support::Reply;
use crate::support::{call_as, linked_version, send};
use crate::support::{spawn, NOW};

/// Ada has a Graph drive and a Box account, Bob has signed in nowhere yet.
fn fixture() -> Fixture {
    serde_json::from_value(json!({
        "users": [
            {"id": "1", "name": "Ada", "login": "ada@example.com", "tokens": ["ada"]},
            {"id": "2", "name": "Bob", "login": "bob@example.com", "tokens": ["bob"]}
        ],
        "spaces": [
            {
                "face": "graph", "owner": "1",
                "root": {"id": 10, "created_at": "2024-01-01T00:00:00Z"},
                "items": [
                    {"type": "folder", "path": "Docs", "id": 11, "modified_at": "2024-01-01T00:00:00Z"},
                    {"type": "file", "path": "Docs/b.txt", "id": 13, "modified_at": "2024-01-03T00:00:00Z",
                     "versions": [{"id": 300, "text": "bee", "created_at": "2024-01-03T00:00:00Z"}]},
                    {"type": "file", "path": "Docs/a.txt", "id": 12, "modified_at": "2024-01-02T00:00:00Z",
                     "versions": [
                         {"id": 200, "text": "one", "created_at": "2024-01-01T00:00:00Z", "created_by": "2"},
                         {"id": 201, "text": "two", "created_at": "2024-01-02T00:00:00Z"}
                     ]}
                ]
            },
            {
                "face": "box", "owner": "1",
                "root": {"id": 20, "created_at": "2024-01-01T00:00:00Z"},
                "items": [
                    {"type": "file", "path": "c.txt", "id": 21,
                     "versions": [
                         {"id": 400, "text": "old", "created_at": "2024-01-01T00:00:00Z",
                          "trashed_at": "2024-01-05T00:00:00Z", "trashed_by": "1"},
                         {"id": 401, "text": "new", "created_at": "2024-01-04T00:00:00Z"}
                     ]}
                ]
            }
        ]
    }))
    .expect("a valid fixture")
}

async fn emulator() -> Emulator {
    spawn().fixture(fixture()).start().await.emulator
}

/// A GET of the admin API. Each version's signed `download_url` is checked (it serves the
/// version's bytes with no token) and then written as the id it links to, which the expected
/// bodies name.
async fn get(emulator: &Emulator, path: &str) -> crate::support::Reply {
    let client = reqwest::Client::new();
    let Reply {
        status,
        mut body,
        headers,
        bytes,
    } = send(client.get(emulator.url(path))).await;
    let versions = body.get_mut("versions").and_then(Value::as_array_mut);
    for version in versions.into_iter().flatten() {
        let link = version["download_url"].as_str().unwrap().to_owned();
        let bytes = client.get(emulator.url(&link)).send().await.unwrap();
        assert_eq!(bytes.status(), 200, "{link}");
        let content = Content::new(bytes.bytes().await.unwrap());
        assert_eq!(json!(content.sha1_hex()), version["sha1"], "{link}");
        version["download_url"] = json!(format!("link to {}", linked_version(&link)));
    }
    Reply {
        status,
        headers,
        bytes,
        body,
    }
}

fn ada() -> Value {
    json!({"id": "1", "name": "Ada", "login": "ada@example.com"})
}

fn bob() -> Value {
    json!({"id": "2", "name": "Bob", "login": "bob@example.com"})
}

/// A timeline entry as the route renders it, the hashes computed from the bytes.
fn version(id: u64, number: u32, position: usize, text: &str, at: &str, by: Value) -> Value {
    let content = Content::new(Bytes::copy_from_slice(text.as_bytes()));
    json!({
        "id": id, "number": number, "position": position, "current": false, "name": "a.txt",
        "size": text.len(),
        "sha1": content.sha1_hex(),
        "sha256": restore_mock::content::hex(&content.sha256()),
        "quick_xor": content.quick_xor_base64(),
        "created_at": at, "created_by": by,
        "trashed_at": null, "trashed_by": null, "restored_at": null, "restored_by": null,
        "restored_from": null,
        "download_url": format!("link to {id}")
    })
}

#[tokio::test]
async fn users_are_listed_by_id_with_the_root_of_each_space_they_have() {
    // Arrange
    let emulator = emulator().await;

    // Act
    let Reply { status, body, .. } = get(&emulator, "/__admin/users").await;
    let Reply { body: second, .. } = get(&emulator, "/__admin/users?offset=1&limit=1").await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"total": 2, "offset": 0, "users": [
            {"id": "1", "name": "Ada", "login": "ada@example.com",
             "spaces": [{"face": "graph", "root": 10}, {"face": "box", "root": 20}]},
            {"id": "2", "name": "Bob", "login": "bob@example.com", "spaces": []}
        ]})
    );
    assert_eq!(
        second,
        json!({"total": 2, "offset": 1, "users": [
            {"id": "2", "name": "Bob", "login": "bob@example.com", "spaces": []}
        ]})
    );
}

#[tokio::test]
async fn any_item_reads_back_with_its_face_owner_and_the_folders_above_it() {
    // Arrange
    let emulator = emulator().await;

    // Act
    let Reply {
        status, body: file, ..
    } = get(&emulator, "/__admin/items/12").await;
    let Reply { body: root, .. } = get(&emulator, "/__admin/items/20").await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(
        file,
        json!({
            "id": 12, "type": "file", "face": "graph", "owner": ada(), "name": "a.txt",
            "parent": 11, "modified_at": "2024-01-02T00:00:00Z", "trashed_at": null, "trashed_by": null,
            "version_count": 2, "size": 3, "mime_type": "text/plain", "current_version": 201,
            "path": [{"id": 10, "name": "root"}, {"id": 11, "name": "Docs"}]
        })
    );
    assert_eq!(
        root,
        json!({
            "id": 20, "type": "folder", "face": "box", "owner": ada(), "name": "root",
            "parent": null, "modified_at": "2024-01-01T00:00:00Z", "trashed_at": null, "trashed_by": null,
            "child_count": 1, "path": []
        })
    );
}

#[tokio::test]
async fn a_folders_children_come_by_name_one_page_at_a_time() {
    // Arrange
    let emulator = emulator().await;

    // Act
    let Reply {
        status,
        body: first,
        ..
    } = get(&emulator, "/__admin/items/11/children?limit=1").await;
    let Reply { body: second, .. } =
        get(&emulator, "/__admin/items/11/children?offset=1&limit=1").await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(
        first,
        json!({"total": 2, "offset": 0, "children": [{
            "id": 12, "type": "file", "face": "graph", "owner": ada(), "name": "a.txt",
            "parent": 11, "modified_at": "2024-01-02T00:00:00Z", "trashed_at": null, "trashed_by": null,
            "version_count": 2, "size": 3, "mime_type": "text/plain", "current_version": 201
        }]})
    );
    assert_eq!(second["children"][0]["name"], "b.txt");
    assert_eq!(second["total"], 2);
}

#[tokio::test]
async fn a_timeline_pages_from_either_end_and_points_a_restore_at_the_version_it_copied() {
    // Arrange
    let emulator = emulator().await;
    let restore = call_as(
        &emulator,
        "ada",
        Method::POST,
        "/v1.0/me/drive/items/12/versions/1.0/restoreVersion",
    )
    .await;
    assert_eq!(restore, 204);

    // Act
    let Reply {
        status,
        body: newest,
        ..
    } = get(&emulator, "/__admin/items/12/versions?limit=2").await;
    let Reply { body: oldest, .. } =
        get(&emulator, "/__admin/items/12/versions?order=oldest&limit=1").await;

    // Assert
    assert_eq!(status, 200);
    let mut restored = version(5_000_000_001, 3, 2, "one", NOW, ada());
    restored["current"] = json!(true);
    restored["restored_from"] = json!({"id": 200, "number": 1, "position": 0});
    assert_eq!(
        newest,
        json!({"total": 3, "offset": 0, "item": 12, "order": "newest", "versions": [
            restored,
            version(201, 2, 1, "two", "2024-01-02T00:00:00Z", ada())
        ]})
    );
    assert_eq!(
        oldest,
        json!({"total": 3, "offset": 0, "item": 12, "order": "oldest", "versions": [
            version(200, 1, 0, "one", "2024-01-01T00:00:00Z", bob())
        ]})
    );
}

#[tokio::test]
async fn a_deleted_version_is_marked_between_its_neighbours_and_a_copy_names_its_source() {
    // Arrange: a third version of a.txt, so that 2.0 is not current.
    let emulator = emulator().await;
    let client = reqwest::Client::new();
    let graph = |method: Method, path: &str| {
        (client.request(
            method,
            emulator.url(&format!("/v1.0/me/drive/items/{path}")),
        ))
        .bearer_auth("ada")
    };
    let third = send(graph(Method::PUT, "12/content").body("three")).await;
    assert_eq!(third.status, 200, "{:?}", third.body);

    // Act: Ada deletes 2.0 and copies a.txt.
    let deleted = send(graph(Method::DELETE, "12/versions/2.0")).await;
    let copied = send(graph(Method::POST, "12/copy").json(&json!({"name": "a copy.txt"}))).await;
    let Reply { body: newest, .. } = get(&emulator, "/__admin/items/12/versions").await;
    let Reply { body: oldest, .. } = get(
        &emulator,
        "/__admin/items/12/versions?order=oldest&limit=1&offset=1",
    )
    .await;

    // Assert: the current version carries the mark of the one deleted below it.
    assert_eq!(
        (deleted.status.as_u16(), copied.status.as_u16()),
        (204, 202)
    );
    let mut current = version(5_000_000_001, 3, 1, "three", NOW, ada());
    current["current"] = json!(true);
    current["deleted_before"] = json!([
        {"number": 2, "deleted_at": NOW, "deleted_by": ada()}
    ]);
    assert_eq!(
        newest,
        json!({"total": 2, "offset": 0, "item": 12, "order": "newest", "versions": [
            current.clone(),
            version(200, 1, 0, "one", "2024-01-01T00:00:00Z", bob())
        ]})
    );
    assert_eq!(
        oldest,
        json!({"total": 2, "offset": 1, "item": 12, "order": "oldest", "versions": [current]})
    );
    // The copy's first version names a.txt and links to it.
    let found = send(graph(Method::GET, "11/children")).await;
    let copy = (found.body["value"].as_array().unwrap().iter())
        .find(|child| child["name"] == "a copy.txt")
        .unwrap_or_else(|| panic!("the copy is in Docs: {:?}", found.body))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let timeline = |copy: &str| format!("/__admin/items/{copy}/versions");
    let Reply { body: copied, .. } = get(&emulator, &timeline(&copy)).await;
    let mut first = version(5_000_000_002, 1, 0, "three", NOW, ada());
    (first["current"], first["name"]) = (json!(true), json!("a copy.txt"));
    first["copied_from"] = json!({"item": 12, "name": "a.txt"});
    assert_eq!(copied["versions"], json!([first.clone()]));
    // Once a.txt is gone the mark keeps its name, with no link.
    let gone = send(graph(Method::DELETE, "12")).await;
    assert_eq!(gone.status, 204);
    let Reply { body: orphan, .. } = get(&emulator, &timeline(&copy)).await;
    first["copied_from"] = json!({"item": null, "name": "a.txt"});
    assert_eq!(orphan["versions"], json!([first]));
}

#[tokio::test]
async fn a_trashed_version_shows_who_trashed_it_and_when() {
    // Arrange
    let emulator = emulator().await;

    // Act
    let Reply { status, body, .. } =
        get(&emulator, "/__admin/items/21/versions?order=oldest&limit=1").await;

    // Assert
    assert_eq!(status, 200);
    let entry = &body["versions"][0];
    assert_eq!(entry["id"], 400);
    assert_eq!(entry["trashed_at"], "2024-01-05T00:00:00Z");
    assert_eq!(entry["trashed_by"], ada());
    assert_eq!(entry["current"], false);
}

#[tokio::test]
async fn bad_browse_requests_get_the_admin_envelope() {
    // Arrange
    let emulator = emulator().await;
    let cases = [
        (
            "/__admin/items/999",
            404,
            "item_not_found",
            "an id no item has",
        ),
        (
            "/__admin/items/abc",
            404,
            "item_not_found",
            "an id that is not a number",
        ),
        (
            "/__admin/items/999/versions",
            404,
            "item_not_found",
            "the versions of no item",
        ),
        (
            "/__admin/items/11/versions",
            400,
            "not_a_file",
            "the versions of a folder",
        ),
        (
            "/__admin/items/12/children",
            400,
            "not_a_folder",
            "the children of a file",
        ),
    ];
    for (path, status, code, why) in cases {
        // Act
        let Reply {
            status: got, body, ..
        } = get(&emulator, path).await;

        // Assert
        assert_eq!(got, status, "{why}");
        let message = match code {
            "item_not_found" => "no item has this id",
            "not_a_file" => "the item is a folder, which has no versions",
            _ => "the item is a file, which has no children",
        };
        assert_eq!(
            body,
            json!({"error": {"code": code, "message": message}}),
            "{why}"
        );
    }
    for (path, why) in [
        ("/__admin/users?limit=0", "an empty page"),
        (
            "/__admin/users?limit=1001",
            "a page over the most one page holds",
        ),
        ("/__admin/users?limit=-1", "a negative limit"),
        ("/__admin/drives?limit=0", "an empty page of drives"),
        (
            "/__admin/drives?site=eng",
            "a filter the drives route does not take",
        ),
        (
            "/__admin/items/12/versions?order=sideways",
            "an unknown order",
        ),
        (
            "/__admin/items/11/children?colour=red",
            "an unknown parameter",
        ),
        (
            "/__admin/requests?order=newest&limit=0",
            "an empty journal page",
        ),
    ] {
        // Act
        let Reply {
            status: got, body, ..
        } = get(&emulator, path).await;

        // Assert
        assert_eq!(got, 400, "{why}");
        assert_eq!(body["error"]["code"], "bad_request", "{why}");
        assert!(
            !body["error"]["message"].as_str().unwrap().is_empty(),
            "{why}"
        );
    }
}

#[tokio::test]
async fn the_journal_pages_newest_first_and_names_the_item_each_request_touched() {
    // Arrange
    let emulator = emulator().await;
    for (path, token) in [
        ("/v1.0/me/drive/items/12/versions", "ada"),
        ("/2.0/files/21/versions", "ada"),
        ("/v1.0/me/drive/root:/Docs/b.txt", "ada"),
        ("/2.0/files/999", "ada"),
    ] {
        call_as(&emulator, token, Method::GET, path).await;
    }

    // Act
    let Reply {
        status, body: page, ..
    } = get(&emulator, "/__admin/requests?order=newest&offset=1&limit=2").await;
    let Reply { body: all, .. } = get(&emulator, "/__admin/requests").await;

    // Assert
    assert_eq!(status, 200);
    let summary = |entries: &Value| -> Vec<(String, Value)> {
        entries
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["path"].as_str().unwrap().to_owned(), e["item"].clone()))
            .collect()
    };
    assert_eq!(page["total"], 4);
    assert_eq!(page["offset"], 1);
    assert_eq!(
        summary(&page["requests"]),
        [
            ("/v1.0/me/drive/root:/Docs/b.txt".to_owned(), json!(13)),
            ("/2.0/files/21/versions".to_owned(), json!(21)),
        ]
    );
    assert_eq!(
        summary(&all["requests"]),
        [
            ("/v1.0/me/drive/items/12/versions".to_owned(), json!(12)),
            ("/2.0/files/21/versions".to_owned(), json!(21)),
            ("/v1.0/me/drive/root:/Docs/b.txt".to_owned(), json!(13)),
            ("/2.0/files/999".to_owned(), json!(null)),
        ],
        "without paging the route answers as before, oldest first; a miss names no item"
    );
}

#[tokio::test]
async fn the_page_is_served_without_the_token_and_its_reads_want_it() {
    // Arrange
    let emulator = spawn()
        .admin_token("s3cret")
        .fixture(fixture())
        .start()
        .await
        .emulator;
    let client = reqwest::Client::new();

    // Act
    let page = client
        .get(emulator.url("/__admin/ui"))
        .send()
        .await
        .unwrap();
    let script = client
        .get(emulator.url("/__admin/ui/app.js"))
        .send()
        .await
        .unwrap();
    let Reply {
        status: anonymous,
        body: refused,
        ..
    } = send(client.get(emulator.url("/__admin/users"))).await;
    let Reply {
        status: signed,
        body: users,
        ..
    } = send(
        client
            .get(emulator.url("/__admin/users"))
            .bearer_auth("s3cret"),
    )
    .await;

    // Assert
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    let policy = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        policy.starts_with("default-src 'none'; script-src 'self';"),
        "{policy}"
    );
    assert!(page.text().await.unwrap().contains("<h1>restore-mock</h1>"));
    assert_eq!(script.status(), 200);
    assert_eq!(
        script.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    assert_eq!(anonymous, 401);
    assert_eq!(refused["error"]["code"], "unauthorized");
    assert_eq!(signed, 200);
    assert_eq!(users["total"], 2);
}

#[tokio::test]
async fn the_fragment_that_completes_an_upload_session_names_the_file_it_made() {
    // Arrange
    let emulator = emulator().await;
    let client = reqwest::Client::new();
    let Reply { body: session, .. } = send(
        client
            .post(emulator.url("/v1.0/me/drive/root:/big.bin:/createUploadSession"))
            .bearer_auth("ada")
            .json(&json!({})),
    )
    .await;
    let url = session["uploadUrl"].as_str().unwrap();

    // Act
    let Reply {
        status, body: item, ..
    } = send(
        client
            .put(url)
            .header("content-range", "bytes 0-3/4")
            .body("data"),
    )
    .await;
    let Reply { body: journal, .. } =
        get(&emulator, "/__admin/requests?order=newest&limit=1").await;

    // Assert
    assert_eq!(status, 201);
    let id: u64 = item["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(journal["requests"][0]["method"], "PUT");
    assert_eq!(journal["requests"][0]["item"], id);
}

#[tokio::test]
async fn a_file_in_the_box_trash_reads_back_with_who_trashed_it_and_leaves_its_folder() {
    // Arrange
    let emulator = emulator().await;
    let deleted = call_as(&emulator, "ada", Method::DELETE, "/2.0/files/21").await;
    assert_eq!(deleted, 204);

    // Act
    let Reply {
        status, body: item, ..
    } = get(&emulator, "/__admin/items/21").await;
    let Reply { body: root, .. } = get(&emulator, "/__admin/items/20/children").await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(item["trashed_at"], NOW);
    assert_eq!(item["trashed_by"], ada());
    assert_eq!(item["path"], json!([{"id": 20, "name": "root"}]));
    assert_eq!(root, json!({"total": 0, "offset": 0, "children": []}));
}
