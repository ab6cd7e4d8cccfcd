//! The request journal: what each face was sent and answered, its filters, its bound.

use crate::support::spawn;
use reqwest::Method;
use restore_mock::journal::JournalEntry;
use restore_mock::Emulator;
use serde_json::{json, Value};

const FROZEN: &str = "2024-06-01T10:00:00Z";

async fn emulator(journal_limit: usize) -> Emulator {
    spawn()
        .clock(FROZEN.parse().unwrap())
        .journal_limit(journal_limit)
        .start()
        .await
        .emulator
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
    let graph_request_id = put.headers()["request-id"].to_str().unwrap().to_owned();
    let put = put.json::<Value>().await.unwrap();
    let user = put["createdBy"]["user"]["id"].clone();
    let item: u64 = put["id"].as_str().unwrap().parse().unwrap();
    let missing = call(&emulator, Method::GET, "/2.0/files/123?fields=name")
        .send()
        .await
        .unwrap();
    let box_request_id = missing.headers()["box-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let anonymous = reqwest::get(emulator.url("/v1.0/me/drive")).await.unwrap();
    reqwest::get(emulator.url("/__admin/health")).await.unwrap();

    // Act
    let (status, body) = journal(&emulator, "").await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(anonymous.status(), 401);
    let entries: Vec<JournalEntry> = serde_json::from_value(body["requests"].clone()).unwrap();
    assert_eq!(body["total"], 3, "admin requests are not recorded");
    // reqwest sends `accept: */*`; `authorization` is never recorded.
    let durations: Vec<u64> = entries.iter().map(|e| e.duration_us).collect();
    assert_eq!(
        body["requests"],
        json!([
            {
                "time": FROZEN, "api": "graph", "user": user, "method": "PUT",
                "path": "/v1.0/me/drive/root:/a.txt:/content", "query": null,
                "headers": {"accept": "*/*", "content-type": "text/plain"}, "body_size": 5, "status": 201,
                "duration_us": durations[0], "request_id": graph_request_id, "fault": null,
                "item": item, "warning": null
            },
            {
                "time": FROZEN, "api": "box", "user": user, "method": "GET",
                "path": "/2.0/files/123", "query": "fields=name",
                "headers": {"accept": "*/*"}, "body_size": 0, "status": 404,
                "duration_us": durations[1], "request_id": box_request_id, "fault": null,
                "item": null, "warning": null
            },
            {
                "time": FROZEN, "api": "graph", "user": null, "method": "GET",
                "path": "/v1.0/me/drive", "query": null,
                "headers": {"accept": "*/*"}, "body_size": 0, "status": 401,
                "duration_us": durations[2], "request_id": entries[2].request_id, "fault": null,
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
