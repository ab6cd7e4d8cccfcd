//! With a frozen clock and a fixture, the same requests give byte-identical replies: status,
//! headers (ids, eTags, `Date`) and bodies. This is what makes snapshot tests possible.

use reqwest::Method;
use restore_mock::Emulator;
use serde_json::{json, Value};

use crate::support::box_api::{with_multipart, Part};
use crate::support::spawn;

fn fixture() -> Value {
    json!({
        "users": [{"id": "701", "name": "Snap", "login": "snap@example.com", "tokens": ["snap-token"]}],
        "spaces": [{"face": "graph", "owner": "701", "items": [
            {"type": "file", "path": "seed.txt", "versions": [{"text": "seeded"}]}
        ]}]
    })
}

/// One reply as bytes: status line, every header in order, body.
async fn capture(request: reqwest::RequestBuilder) -> String {
    let response = request.send().await.unwrap();
    let mut out = format!("{}\n", response.status());
    for (name, value) in response.headers() {
        out.push_str(&format!("{name}: {}\n", value.to_str().unwrap()));
    }
    out.push('\n');
    out.push_str(&response.text().await.unwrap());
    out
}

/// The same script of requests on both faces, successes and errors.
async fn script(emulator: &Emulator) -> Vec<String> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let call = |method: Method, path: &str| {
        client
            .request(method, emulator.url(path))
            .bearer_auth("snap-token")
    };
    let upload = |path: &str, attributes: &str, body: &[u8]| {
        with_multipart(
            call(Method::POST, path),
            &[Part::attributes(attributes), Part::file(body)],
        )
    };
    let mut replies = Vec::new();
    for request in [
        call(Method::GET, "/v1.0/me/drive"),
        call(Method::PUT, "/v1.0/me/drive/root:/d/a.txt:/content").body("one"),
        call(Method::PUT, "/v1.0/me/drive/root:/d/a.txt:/content").body("two"),
        call(Method::GET, "/v1.0/me/drive/root:/d/a.txt:/versions"),
        call(
            Method::POST,
            "/v1.0/me/drive/root:/d/a.txt:/versions/1.0/restoreVersion",
        ),
        call(Method::GET, "/v1.0/me/drive/root:/d/a.txt"),
        call(Method::GET, "/v1.0/me/drive/root:/d/a.txt:/content"),
        call(Method::GET, "/v1.0/me/drive/root:/seed.txt"),
        call(Method::GET, "/v1.0/me/drive/items/404"),
        upload(
            "/api/2.0/files/content",
            r#"{"name":"b.txt","parent":{"id":"0"}}"#,
            b"one",
        ),
    ] {
        replies.push(capture(request).await);
    }
    let (_, body) = replies[9].split_once("\n\n").unwrap();
    let file: Value = serde_json::from_str(body).unwrap();
    let file_id = file["entries"][0]["id"].as_str().unwrap().to_owned();
    let versions = format!("/2.0/files/{file_id}/versions");
    replies.push(
        capture(upload(
            &format!("/api/2.0/files/{file_id}/content"),
            r#"{"name":"b.txt"}"#,
            b"two",
        ))
        .await,
    );
    let listed: Value = call(Method::GET, &versions)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let old = listed["entries"][0]["id"].as_str().unwrap().to_owned();
    for request in [
        call(Method::GET, &versions),
        call(Method::DELETE, &format!("{versions}/{old}")),
        call(Method::PUT, &format!("{versions}/{old}")).json(&json!({"trashed_at": null})),
        call(Method::POST, &format!("{versions}/current"))
            .json(&json!({"type": "file_version", "id": old})),
        call(Method::GET, &format!("/2.0/files/{file_id}")),
        call(Method::GET, &format!("/2.0/files/{file_id}/content")),
        call(Method::GET, "/2.0/files/1"),
    ] {
        replies.push(capture(request).await);
    }
    replies
}

#[tokio::test]
async fn the_same_requests_after_a_reset_give_byte_identical_replies() {
    // Arrange
    let emulator = spawn().fixture(fixture()).start().await.emulator;
    let admin = reqwest::Client::new();

    // Act
    let first = script(&emulator).await;
    let reset = admin
        .post(emulator.url("/__admin/reset"))
        .send()
        .await
        .unwrap();
    let loaded = admin
        .post(emulator.url("/__admin/fixtures"))
        .json(&fixture())
        .send()
        .await
        .unwrap();
    let second = script(&emulator).await;

    // Assert
    assert_eq!(reset.status(), 204);
    assert_eq!(loaded.status(), 200);
    assert_eq!(first.len(), 18);
    assert!(first[1].starts_with("201 Created"), "{}", first[1]);
    assert!(first[12].starts_with("204 No Content"), "{}", first[12]);
    assert!(first[17].starts_with("404 Not Found"), "{}", first[17]);
    for (n, (a, b)) in first.iter().zip(&second).enumerate() {
        assert_eq!(a, b, "reply {n} differs between runs");
    }
}
