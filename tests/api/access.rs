//! Identities and scopes on both faces: tokens are users isolated from each other, a token list
//! refuses strangers with each API's 401, and scopes decide reads and writes with each API's 403.

use reqwest::{Method, RequestBuilder};
use restore_mock::fixture::Fixture;
use restore_mock::Emulator;
use serde_json::{json, Value};

use crate::support::box_api::{with_multipart, Part};
use crate::support::spawn;
use crate::support::{send, Reply};

/// A reader and a writer, each owning one file on each face.
fn fixture() -> Fixture {
    serde_json::from_value(json!({
        "users": [
            {"id": "501", "name": "Reader", "tokens": ["reader"], "scopes": ["Files.Read", "root_readonly"]},
            {"id": "502", "name": "Writer", "tokens": ["writer"], "scopes": ["Files.ReadWrite", "root_readwrite"]},
            {"id": "503", "name": "Nobody", "tokens": ["no-scopes"], "scopes": []}
        ],
        "spaces": [
            {"face": "graph", "owner": "501", "items": [
                {"type": "file", "path": "r.txt", "id": 7001, "versions": [{"text": "one"}, {"text": "two"}]}
            ]},
            {"face": "box", "owner": "501", "items": [
                {"type": "file", "path": "b.txt", "id": 7002, "versions": [
                    {"id": 8001, "text": "one"},
                    {"id": 8002, "text": "two", "trashed_at": "2024-05-01T00:00:00Z", "trashed_by": "501"},
                    {"id": 8003, "text": "three"}
                ]}
            ]}
        ]
    }))
    .unwrap()
}

async fn closed_emulator() -> Emulator {
    let users = fixture().users;
    spawn()
        .tokens(users)
        .fixture(Fixture {
            users: Vec::new(),
            ..fixture()
        })
        .start()
        .await
        .emulator
}

fn call(emulator: &Emulator, method: Method, path: &str, token: &str) -> RequestBuilder {
    reqwest::Client::new()
        .request(method, emulator.url(path))
        .bearer_auth(token)
}

fn box_upload(
    emulator: &Emulator,
    path: &str,
    token: &str,
    attributes: &str,
    body: &[u8],
) -> RequestBuilder {
    with_multipart(
        call(emulator, Method::POST, path, token),
        &[Part::attributes(attributes), Part::file(body)],
    )
}

/// Graph's envelope on the frozen clock, for the `request_id` the server numbered the request.
fn graph_error(code: &str, message: &str, request_id: &str) -> Value {
    json!({"error": {"code": code, "message": message, "innerError": {
        "date": "2024-06-01T10:00:00",
        "request-id": request_id,
        "client-request-id": request_id,
    }}})
}

/// Box's envelope, for the `request_id` the server numbered the request.
fn box_error(status: u16, code: &str, message: &str, request_id: &str) -> Value {
    json!({
        "type": "error", "status": status, "code": code,
        "help_url": "http://developers.box.com/docs/#errors",
        "message": message,
        "request_id": request_id,
    })
}

#[tokio::test]
async fn two_tokens_never_see_each_others_files_on_either_face() {
    // Arrange
    let emulator = spawn().start().await.emulator;
    let put = call(
        &emulator,
        Method::PUT,
        "/v1.0/me/drive/root:/a.txt:/content",
        "alice",
    )
    .body("a");
    let Reply {
        body: graph_item, ..
    } = send(put).await;
    let graph_id = graph_item["id"].as_str().unwrap().to_owned();
    let drive_id = graph_item["parentReference"]["driveId"]
        .as_str()
        .unwrap()
        .to_owned();
    let upload = box_upload(
        &emulator,
        "/api/2.0/files/content",
        "alice",
        r#"{"name":"a.txt","parent":{"id":"0"}}"#,
        b"a",
    );
    let Reply { body: uploaded, .. } = send(upload).await;
    let box_id = uploaded["entries"][0]["id"].as_str().unwrap().to_owned();

    // Act
    let graph_item_for_bob = send(call(
        &emulator,
        Method::GET,
        &format!("/v1.0/me/drive/items/{graph_id}"),
        "bob",
    ))
    .await;
    let graph_drive_for_bob = send(call(
        &emulator,
        Method::GET,
        &format!("/v1.0/drives/{drive_id}/root/children"),
        "bob",
    ))
    .await;
    let Reply {
        body: bobs_children,
        ..
    } = send(call(
        &emulator,
        Method::GET,
        "/v1.0/me/drive/root/children",
        "bob",
    ))
    .await;
    let Reply {
        status: box_status,
        body: box_body,
        ..
    } = send(call(
        &emulator,
        Method::GET,
        &format!("/2.0/files/{box_id}"),
        "bob",
    ))
    .await;
    let bobs_upload = box_upload(
        &emulator,
        "/api/2.0/files/content",
        "bob",
        r#"{"name":"a.txt","parent":{"id":"0"}}"#,
        b"b",
    );
    let Reply {
        status: bobs_upload_status,
        ..
    } = send(bobs_upload).await;
    let Reply {
        status: cross_status,
        ..
    } = send(call(
        &emulator,
        Method::GET,
        &format!("/2.0/files/{graph_id}"),
        "alice",
    ))
    .await;

    // Assert
    assert_eq!(graph_item_for_bob.status, 404);
    let expected = graph_error(
        "itemNotFound",
        "Item not found",
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
    );
    assert_eq!(graph_item_for_bob.body, expected);
    // Another user's own drive is theirs alone: refused, not hidden (see onedrive_shared_drives).
    assert_eq!(graph_drive_for_bob.status, 403, "another user's drive id");
    let expected = graph_error(
        "accessDenied",
        "Access denied",
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
    );
    assert_eq!(graph_drive_for_bob.body, expected);
    assert_eq!(bobs_children["value"], json!([]), "bob's drive is empty");
    assert_eq!(box_status, 404);
    assert_eq!(
        box_body,
        box_error(404, "not_found", "Not Found", "bz54cz2iuj32wwyx")
    );
    assert_eq!(
        bobs_upload_status, 201,
        "the same name in bob's own root is free"
    );
    assert_eq!(
        cross_status, 404,
        "a Graph item is not a Box file, even for its owner"
    );
}

#[tokio::test]
async fn unlisted_tokens_get_each_apis_401_when_a_token_list_is_set() {
    // Arrange
    let emulator = closed_emulator().await;

    // Act
    let graph = send(call(&emulator, Method::GET, "/v1.0/me/drive", "stranger")).await;
    let boxed = send(call(&emulator, Method::GET, "/2.0/files/7002", "stranger")).await;
    let listed = send(call(&emulator, Method::GET, "/2.0/files/7002", "reader")).await;

    // Assert
    assert_eq!(graph.status, 401);
    assert!(graph.headers["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer realm=\"\""));
    let expected = graph_error(
        "InvalidAuthenticationToken",
        "Access token validation failure.",
        "e220a839-7b1d-cdaf-e4d9-71771b652c20",
    );
    assert_eq!(graph.body, expected);
    assert_eq!(boxed.status, 401);
    assert_eq!(
        boxed.headers["www-authenticate"],
        "Bearer realm=\"Service\", error=\"invalid_token\", error_description=\"The access token provided is invalid.\""
    );
    assert_eq!(boxed.text(), "", "Box answers 401 with an empty body");
    assert_eq!(listed.status, 200);
}

#[tokio::test]
async fn a_read_only_token_reads_but_every_write_gets_each_apis_403_and_changes_nothing() {
    // Arrange
    let emulator = closed_emulator().await;
    let before = emulator.export();
    let reads = [
        (Method::GET, "/v1.0/me/drive/items/7001"),
        (Method::GET, "/v1.0/me/drive/items/7001/versions"),
        (Method::GET, "/2.0/files/7002"),
        (Method::GET, "/2.0/files/7002/versions"),
    ];
    let graph_writes = [
        call(
            &emulator,
            Method::PUT,
            "/v1.0/me/drive/items/7001/content",
            "reader",
        )
        .body("new"),
        call(
            &emulator,
            Method::POST,
            "/v1.0/me/drive/items/7001/versions/1.0/restoreVersion",
            "reader",
        ),
        call(
            &emulator,
            Method::DELETE,
            "/v1.0/me/drive/items/7001",
            "reader",
        ),
        call(
            &emulator,
            Method::POST,
            "/v1.0/me/drive/root/children",
            "reader",
        )
        .json(&json!({"name": "d", "folder": {}})),
    ];
    let box_writes = [
        box_upload(
            &emulator,
            "/api/2.0/files/7002/content",
            "reader",
            r#"{"name":"b.txt"}"#,
            b"new",
        ),
        call(
            &emulator,
            Method::DELETE,
            "/2.0/files/7002/versions/8001",
            "reader",
        ),
        call(
            &emulator,
            Method::PUT,
            "/2.0/files/7002/versions/8002",
            "reader",
        )
        .json(&json!({"trashed_at": null})),
        call(
            &emulator,
            Method::POST,
            "/2.0/files/7002/versions/current",
            "reader",
        )
        .json(&json!({"type": "file_version", "id": "8001"})),
    ];

    for (method, path) in reads {
        // Act
        let response = send(call(&emulator, method, path, "reader")).await;
        // Assert
        assert_eq!(response.status, 200, "{path}");
    }
    for (request, request_id) in graph_writes.into_iter().zip([
        "6e73e372-e233-8aca-16b1-cba95fc60262",
        "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
        "bd64a5d9-adef-e000-6c1e-186443822970",
        "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
    ]) {
        // Act
        let response = send(request).await;
        // Assert
        assert_eq!(response.status, 403);
        let expected = graph_error("accessDenied", "Access denied", request_id);
        assert_eq!(response.body, expected);
    }
    for (request, request_id) in box_writes.into_iter().zip([
        "ispcx3sevmwf24kd",
        "5nsjyz48o9wragcz",
        "auz3cuf5o5pf3leh",
        "ov3gk4eju4ge2rac",
        "oinuhub5cwlx1v41",
    ]) {
        // Act
        let response = send(request).await;
        // Assert
        assert_eq!(response.status, 403);
        assert!(response.headers["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("insufficient_scope"));
        let body = response.body;
        assert_eq!(
            body,
            box_error(
                403,
                "insufficient_scope",
                "The request requires higher privileges than provided by the access token.",
                request_id
            )
        );
    }
    assert_eq!(emulator.export(), before, "a refused write changes nothing");
}

#[tokio::test]
async fn a_write_scope_allows_writes_and_no_scope_allows_nothing() {
    // Arrange
    let emulator = closed_emulator().await;

    // Act
    let Reply {
        status: put_status, ..
    } = send(
        call(
            &emulator,
            Method::PUT,
            "/v1.0/me/drive/root:/w.txt:/content",
            "writer",
        )
        .body("w"),
    )
    .await;
    let upload = box_upload(
        &emulator,
        "/api/2.0/files/content",
        "writer",
        r#"{"name":"w.txt","parent":{"id":"0"}}"#,
        b"w",
    );
    let Reply {
        status: upload_status,
        ..
    } = send(upload).await;
    let graph_read = send(call(&emulator, Method::GET, "/v1.0/me/drive", "no-scopes")).await;
    let Reply {
        status: box_read_status,
        body: box_read,
        ..
    } = send(call(&emulator, Method::GET, "/2.0/folders/0", "no-scopes")).await;

    // Assert
    assert_eq!(put_status, 201);
    assert_eq!(upload_status, 201);
    assert_eq!(graph_read.status, 403);
    assert_eq!(
        graph_read.body,
        graph_error(
            "accessDenied",
            "Access denied",
            "975835de-1c97-56ce-f75f-04cbb5a1a1dd"
        )
    );
    assert_eq!(box_read_status, 403);
    assert_eq!(
        box_read,
        box_error(
            403,
            "insufficient_scope",
            "The request requires higher privileges than provided by the access token.",
            "jy7327635gmk3m5w"
        )
    );
    // The writer's two files are in its spaces, one per face.
    let state = emulator.export();
    let written: Vec<(&str, &str)> = state
        .spaces
        .iter()
        .filter(|space| space.owner == "502")
        .flat_map(|space| {
            space.items.iter().map(|item| {
                (
                    item.path.as_str(),
                    item.versions[0].text.as_deref().unwrap(),
                )
            })
        })
        .collect();
    assert_eq!(written, [("w.txt", "w"), ("w.txt", "w")]);
}
