//! Identities and scopes on both faces: tokens are users isolated from each other, a token list
//! refuses strangers with each API's 401, and scopes decide reads and writes with each API's 403.

use reqwest::{Method, RequestBuilder, Response};
use restore_mock::fixture::Fixture;
use restore_mock::Emulator;
use serde_json::{json, Value};

use crate::support::box_api::{with_multipart, Part};
use crate::support::read_reply;
use crate::support::spawn;
use crate::support::Reply;

const FROZEN: &str = "2024-06-01T10:00:00Z";

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
        .clock(FROZEN.parse().unwrap())
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

/// A reply's status as a number and its JSON body (`Null` when empty).
async fn json(response: Response) -> (u16, Value) {
    let Reply { status, body, .. } = read_reply(response).await;
    (status.as_u16(), body)
}

/// Graph's envelope as this request's reply must carry it: the ids come from its headers.
fn graph_error(response: &Response, code: &str, message: &str) -> Value {
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
    json!({"error": {"code": code, "message": message, "innerError": {
        "date": "2024-06-01T10:00:00",
        "request-id": header("request-id"),
        "client-request-id": header("client-request-id"),
    }}})
}

#[tokio::test]
async fn two_tokens_never_see_each_others_files_on_either_face() {
    // Arrange
    let emulator = spawn()
        .clock(FROZEN.parse().unwrap())
        .start()
        .await
        .emulator;
    let put = call(
        &emulator,
        Method::PUT,
        "/v1.0/me/drive/root:/a.txt:/content",
        "alice",
    )
    .body("a");
    let (_, graph_item) = json(put.send().await.unwrap()).await;
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
    let (_, uploaded) = json(upload.send().await.unwrap()).await;
    let box_id = uploaded["entries"][0]["id"].as_str().unwrap().to_owned();

    // Act
    let graph_item_for_bob = call(
        &emulator,
        Method::GET,
        &format!("/v1.0/me/drive/items/{graph_id}"),
        "bob",
    )
    .send()
    .await
    .unwrap();
    let graph_drive_for_bob = call(
        &emulator,
        Method::GET,
        &format!("/v1.0/drives/{drive_id}/root/children"),
        "bob",
    )
    .send()
    .await
    .unwrap();
    let (_, bobs_children) = json(
        call(
            &emulator,
            Method::GET,
            "/v1.0/me/drive/root/children",
            "bob",
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    let (box_status, box_body) = json(
        call(
            &emulator,
            Method::GET,
            &format!("/2.0/files/{box_id}"),
            "bob",
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    let bobs_upload = box_upload(
        &emulator,
        "/api/2.0/files/content",
        "bob",
        r#"{"name":"a.txt","parent":{"id":"0"}}"#,
        b"b",
    );
    let (bobs_upload_status, _) = json(bobs_upload.send().await.unwrap()).await;
    let (cross_status, _) = json(
        call(
            &emulator,
            Method::GET,
            &format!("/2.0/files/{graph_id}"),
            "alice",
        )
        .send()
        .await
        .unwrap(),
    )
    .await;

    // Assert
    assert_eq!(graph_item_for_bob.status(), 404);
    let expected = graph_error(&graph_item_for_bob, "itemNotFound", "Item not found");
    assert_eq!(graph_item_for_bob.json::<Value>().await.unwrap(), expected);
    // Another user's own drive is theirs alone: refused, not hidden (see onedrive_shared_drives).
    assert_eq!(graph_drive_for_bob.status(), 403, "another user's drive id");
    let expected = graph_error(&graph_drive_for_bob, "accessDenied", "Access denied");
    assert_eq!(graph_drive_for_bob.json::<Value>().await.unwrap(), expected);
    assert_eq!(bobs_children["value"], json!([]), "bob's drive is empty");
    assert_eq!((box_status, &box_body["code"]), (404, &json!("not_found")));
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
    let graph = call(&emulator, Method::GET, "/v1.0/me/drive", "stranger")
        .send()
        .await
        .unwrap();
    let boxed = call(&emulator, Method::GET, "/2.0/files/7002", "stranger")
        .send()
        .await
        .unwrap();
    let listed = call(&emulator, Method::GET, "/2.0/files/7002", "reader")
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(graph.status(), 401);
    assert!(graph.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer realm=\"\""));
    let expected = graph_error(
        &graph,
        "InvalidAuthenticationToken",
        "Access token validation failure.",
    );
    assert_eq!(graph.json::<Value>().await.unwrap(), expected);
    assert_eq!(boxed.status(), 401);
    assert_eq!(
        boxed.headers()["www-authenticate"],
        "Bearer realm=\"Service\", error=\"invalid_token\", error_description=\"The access token provided is invalid.\""
    );
    assert_eq!(
        boxed.text().await.unwrap(),
        "",
        "Box answers 401 with an empty body"
    );
    assert_eq!(listed.status(), 200);
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
        let response = call(&emulator, method, path, "reader")
            .send()
            .await
            .unwrap();
        // Assert
        assert_eq!(response.status(), 200, "{path}");
    }
    for request in graph_writes {
        // Act
        let response = request.send().await.unwrap();
        // Assert
        assert_eq!(response.status(), 403);
        let expected = graph_error(&response, "accessDenied", "Access denied");
        assert_eq!(response.json::<Value>().await.unwrap(), expected);
    }
    for request in box_writes {
        // Act
        let response = request.send().await.unwrap();
        // Assert
        assert_eq!(response.status(), 403);
        assert!(response.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("insufficient_scope"));
        let (_, body) = json(response).await;
        assert_eq!(
            body,
            json!({
                "type": "error", "status": 403, "code": "insufficient_scope",
                "help_url": "http://developers.box.com/docs/#errors",
                "message": "The request requires higher privileges than provided by the access token.",
                "request_id": body["request_id"],
            })
        );
        assert_eq!(body["request_id"].as_str().unwrap().len(), 16);
    }
    assert_eq!(emulator.export(), before, "a refused write changes nothing");
}

#[tokio::test]
async fn a_write_scope_allows_writes_and_no_scope_allows_nothing() {
    // Arrange
    let emulator = closed_emulator().await;

    // Act
    let (put_status, _) = json(
        call(
            &emulator,
            Method::PUT,
            "/v1.0/me/drive/root:/w.txt:/content",
            "writer",
        )
        .body("w")
        .send()
        .await
        .unwrap(),
    )
    .await;
    let upload = box_upload(
        &emulator,
        "/api/2.0/files/content",
        "writer",
        r#"{"name":"w.txt","parent":{"id":"0"}}"#,
        b"w",
    );
    let (upload_status, _) = json(upload.send().await.unwrap()).await;
    let graph_read = call(&emulator, Method::GET, "/v1.0/me/drive", "no-scopes")
        .send()
        .await
        .unwrap();
    let (box_read_status, box_read) = json(
        call(&emulator, Method::GET, "/2.0/folders/0", "no-scopes")
            .send()
            .await
            .unwrap(),
    )
    .await;

    // Assert
    assert_eq!(put_status, 201);
    assert_eq!(upload_status, 201);
    assert_eq!(graph_read.status(), 403);
    assert_eq!(
        graph_read.json::<Value>().await.unwrap()["error"]["code"],
        "accessDenied"
    );
    assert_eq!(
        (box_read_status, &box_read["code"]),
        (403, &json!("insufficient_scope"))
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
