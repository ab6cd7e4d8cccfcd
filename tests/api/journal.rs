//! The request journal: what each face was sent and answered, its filters, its bound.

use crate::support::spawn;
use reqwest::Method;
use restore_mock::Emulator;
use serde_json::{json, Value};

async fn emulator(journal_limit: usize) -> Emulator {
    spawn().journal_limit(journal_limit).start().await.emulator
}

fn call(emulator: &Emulator, method: Method, path: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(method, emulator.url(path))
        .bearer_auth("journal-token")
}

async fn journal(emulator: &Emulator, query: &str) -> (u16, Value) {
    let response = reqwest::get(emulator.url(&format!("/__admin/requests{query}")))
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

fn paths(body: &Value) -> Vec<&str> {
    body["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn every_face_request_is_recorded_with_who_what_and_the_reply() {
    // Arrange
    let emulator = emulator(100).await;
    let put = call(
        &emulator,
        Method::PUT,
        "/v1.0/me/drive/root:/a.txt:/content",
    )
    .header("content-type", "text/plain")
    .body("hello")
    .send()
    .await
    .unwrap();
    assert_eq!(put.status(), 201);
    call(&emulator, Method::GET, "/2.0/files/123?fields=name")
        .send()
        .await
        .unwrap();
    let anonymous = reqwest::get(emulator.url("/v1.0/me/drive")).await.unwrap();
    reqwest::get(emulator.url("/__admin/health")).await.unwrap();

    // Act
    let (status, body) = journal(&emulator, "").await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(anonymous.status(), 401);
    assert_eq!(body["total"], 3, "admin requests are not recorded");
    // Each entry's duration is timing: present, and left out of the comparison.
    let mut requests = body["requests"].clone();
    for entry in requests.as_array_mut().unwrap() {
        let duration = entry.as_object_mut().unwrap().remove("duration_us");
        assert!(duration.is_some_and(|d| d.is_u64()), "{entry}");
    }
    // reqwest sends `accept: */*`; `authorization` is never recorded. The user is the token's,
    // the request ids the first three the server gives (each face's own form).
    let (user, time) = ("8100775674", "2024-06-01T10:00:00Z");
    assert_eq!(
        requests,
        json!([
            {
                "time": time, "api": "graph", "user": user, "method": "PUT",
                "path": "/v1.0/me/drive/root:/a.txt:/content", "query": null,
                "headers": {"accept": "*/*", "content-type": "text/plain"}, "body_size": 5, "status": 201,
                "request_id": "e220a839-7b1d-cdaf-e4d9-71771b652c20", "fault": null,
                "item": 1000000002, "warning": null
            },
            {
                "time": time, "api": "box", "user": user, "method": "GET",
                "path": "/2.0/files/123", "query": "fields=name",
                "headers": {"accept": "*/*"}, "body_size": 0, "status": 404,
                "request_id": "910a2dec89025cc1f3203e9039f4a821", "fault": null,
                "item": null, "warning": null
            },
            {
                "time": time, "api": "graph", "user": null, "method": "GET",
                "path": "/v1.0/me/drive", "query": null,
                "headers": {"accept": "*/*"}, "body_size": 0, "status": 401,
                "request_id": "975835de-1c97-56ce-f75f-04cbb5a1a1dd", "fault": null,
                "item": null, "warning": null
            }
        ])
    );
}

#[tokio::test]
async fn the_journal_filters_by_api_method_path_status_and_user() {
    // Arrange
    let emulator = emulator(100).await;
    call(
        &emulator,
        Method::PUT,
        "/v1.0/me/drive/root:/a.txt:/content",
    )
    .body("a")
    .send()
    .await
    .unwrap();
    call(&emulator, Method::GET, "/v1.0/me/drive/root:/a.txt")
        .send()
        .await
        .unwrap();
    call(&emulator, Method::GET, "/v1.0/me/drive/root:/nothing.txt")
        .send()
        .await
        .unwrap();
    call(&emulator, Method::GET, "/2.0/files/1")
        .send()
        .await
        .unwrap();
    let other = reqwest::Client::new()
        .get(emulator.url("/v1.0/me/drive"))
        .bearer_auth("other-token");
    let other_user =
        other.send().await.unwrap().json::<Value>().await.unwrap()["owner"]["user"]["id"].clone();

    // Act
    let cases = [
        ("?api=box", vec!["/2.0/files/1"]),
        ("?method=put", vec!["/v1.0/me/drive/root:/a.txt:/content"]),
        (
            "?path_prefix=/v1.0/me/drive/root:/a",
            vec![
                "/v1.0/me/drive/root:/a.txt:/content",
                "/v1.0/me/drive/root:/a.txt",
            ],
        ),
        (
            "?status=404",
            vec!["/v1.0/me/drive/root:/nothing.txt", "/2.0/files/1"],
        ),
        (
            &format!("?user={}", other_user.as_str().unwrap()),
            vec!["/v1.0/me/drive"],
        ),
        (
            "?api=graph&method=GET&status=200",
            vec!["/v1.0/me/drive/root:/a.txt", "/v1.0/me/drive"],
        ),
    ];
    for (query, expected) in cases {
        let (status, body) = journal(&emulator, query).await;

        // Assert
        assert_eq!(status, 200, "{query}");
        assert_eq!(paths(&body), expected, "{query}");
    }
}

#[tokio::test]
async fn the_journal_keeps_only_the_newest_entries_and_can_be_cleared() {
    // Arrange
    let emulator = emulator(3).await;
    for n in 1..=5 {
        call(&emulator, Method::GET, &format!("/2.0/files/{n}"))
            .send()
            .await
            .unwrap();
    }

    // Act
    let (_, bounded) = journal(&emulator, "").await;
    let cleared = reqwest::Client::new()
        .delete(emulator.url("/__admin/requests"))
        .send()
        .await
        .unwrap();
    let (_, after) = journal(&emulator, "").await;

    // Assert
    assert_eq!(
        paths(&bounded),
        ["/2.0/files/3", "/2.0/files/4", "/2.0/files/5"]
    );
    assert_eq!(cleared.status(), 204);
    assert_eq!(after, json!({"total": 0, "requests": []}));
}

#[tokio::test]
async fn bad_journal_filters_get_the_admin_envelope() {
    for (query, what) in [
        ("?status=abc", "a status that is not a number"),
        ("?colour=red", "an unknown filter"),
    ] {
        // Arrange
        let emulator = emulator(10).await;

        // Act
        let (status, body) = journal(&emulator, query).await;

        // Assert
        assert_eq!(status, 400, "{what}");
        assert_eq!(body["error"]["code"], "bad_request", "{what}");
        assert!(body["error"]["message"].is_string(), "{what}");
    }
}
