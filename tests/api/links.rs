//! Download links: they work without a token, expire on the emulator's clock, cannot be guessed
//! from the ids the APIs show or altered, and never serve bytes that are gone.

use chrono::TimeDelta;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::box_api::{id, request, upload, upload_version};
use crate::support::send;
use crate::support::spawn;
use crate::support::Reply;
use restore_mock::Emulator;

/// A `/_content` link's bytes, fetched with no `Authorization`.
async fn fetch(client: &reqwest::Client, url: &str) -> (StatusCode, Vec<u8>) {
    let response = client.get(url).send().await.expect("the emulator answers");
    let status = response.status();
    (status, response.bytes().await.unwrap().to_vec())
}

fn not_found() -> (StatusCode, Vec<u8>) {
    (StatusCode::NOT_FOUND, Vec::new())
}

#[tokio::test]
async fn a_graph_download_url_works_without_a_token_for_an_hour() {
    // Arrange
    let graph = spawn().graph().await;
    let item = graph.upload("/a.txt", b"payload").await;
    let url = item["@microsoft.graph.downloadUrl"].as_str().unwrap();
    let client = reqwest::Client::new();

    // Act / Assert: valid until an hour has passed on the emulator's clock, then gone.
    assert_eq!(
        fetch(&client, url).await,
        (StatusCode::OK, b"payload".to_vec())
    );
    graph.advance(3599);
    assert_eq!(
        fetch(&client, url).await,
        (StatusCode::OK, b"payload".to_vec())
    );
    graph.advance(1);
    assert_eq!(fetch(&client, url).await, not_found());
}

#[tokio::test]
async fn a_graph_content_redirect_lives_ten_minutes() {
    // Arrange
    let graph = spawn().graph().await;
    let item = graph.upload("/a.txt", b"payload").await;
    let id = item["id"].as_str().unwrap();
    let redirect = graph.get(&format!("/me/drive/items/{id}/content")).await;
    let location = redirect.header("location").to_owned();
    let client = reqwest::Client::new();

    // Act / Assert
    graph.advance(599);
    assert_eq!(
        fetch(&client, &location).await,
        (StatusCode::OK, b"payload".to_vec())
    );
    graph.advance(1);
    assert_eq!(fetch(&client, &location).await, not_found());
    // The hour-long downloadUrl handed out at the same time still works.
    let url = item["@microsoft.graph.downloadUrl"].as_str().unwrap();
    assert_eq!(fetch(&client, url).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_box_download_redirect_lives_fifteen_minutes() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "data.bin", b"bytes").await;
    let path = format!("/2.0/files/{}/content", id(&file));
    let redirect = request(&app, Method::GET, &path).send().await.unwrap();
    let location = redirect.headers()["location"].to_str().unwrap().to_owned();
    let client = reqwest::Client::new();

    // Act / Assert
    app.emulator.clock().advance(TimeDelta::seconds(899));
    assert_eq!(
        fetch(&client, &location).await,
        (StatusCode::OK, b"bytes".to_vec())
    );
    app.emulator.clock().advance(TimeDelta::seconds(1));
    assert_eq!(fetch(&client, &location).await, not_found());
}

/// What a download link answers to `Range` (RFC 9110 §14): the first range the file holds as
/// one part, `416` when it holds none, the whole file when the header is not a byte range at all
/// (a unit a server must ignore, or ranges it may); the unit in any case. Box's SDKs send
/// `Range` to `/files/{id}/content` and keep it across the redirect, as any HTTP client does.
#[tokio::test]
async fn a_download_link_serves_the_byte_range_a_client_asks_for() {
    // Arrange
    let graph = spawn().graph().await;
    let item = graph.upload("/a.txt", b"0123456789").await;
    let url = item["@microsoft.graph.downloadUrl"].as_str().unwrap();
    let cases = [
        ("bytes=0-3", 206, Some("bytes 0-3/10"), "0123"),
        ("bytes=7-", 206, Some("bytes 7-9/10"), "789"),
        ("bytes=-4", 206, Some("bytes 6-9/10"), "6789"),
        ("bytes=5-100", 206, Some("bytes 5-9/10"), "56789"),
        ("bytes=20-30, 2-3", 206, Some("bytes 2-3/10"), "23"),
        ("Bytes=1-2", 206, Some("bytes 1-2/10"), "12"),
        ("bytes=10-12", 416, Some("bytes */10"), ""),
        ("bytes=-0", 416, Some("bytes */10"), ""),
        ("items=0-1", 200, None, "0123456789"),
        ("bytes=abc", 200, None, "0123456789"),
        ("bytes=4-2", 200, None, "0123456789"),
    ];

    for (range, status, content_range, body) in cases {
        // Act
        let response = (graph.app.client.get(url).header("Range", range))
            .send()
            .await
            .unwrap();

        // Assert
        assert_eq!(response.status().as_u16(), status, "{range}");
        let headers = response.headers();
        let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(header("content-range").as_deref(), content_range, "{range}");
        assert_eq!(header("accept-ranges").as_deref(), Some("bytes"), "{range}");
        assert_eq!(
            header("content-length"),
            Some(body.len().to_string()),
            "{range}"
        );
        assert_eq!(response.text().await.unwrap(), body, "{range}");
    }

    // A Box download, its Range kept across the redirect.
    let app = &graph.app;
    let file = upload(app, "0", "data.bin", b"0123456789").await;
    let path = format!("/2.0/files/{}/content", id(&file));
    let followed = reqwest::Client::new()
        .get(app.url(&path))
        .bearer_auth(crate::support::box_api::TOKEN)
        .header("Range", "bytes=2-4")
        .send()
        .await
        .unwrap();
    assert_eq!(followed.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(followed.headers()["content-range"], "bytes 2-4/10");
    assert_eq!(followed.text().await.unwrap(), "234");
}

#[tokio::test]
async fn an_altered_or_made_up_link_is_not_found() {
    // Arrange
    let graph = spawn().graph().await;
    let item = graph.upload("/a.txt", b"payload").await;
    let url = item["@microsoft.graph.downloadUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let (prefix, token) = url.rsplit_once('/').unwrap();
    let flip = |at: usize| {
        let mut chars: Vec<char> = token.chars().collect();
        chars[at] = if chars[at] == 'A' { 'B' } else { 'A' };
        chars.into_iter().collect::<String>()
    };
    let client = reqwest::Client::new();
    let cases = [
        (flip(0), "the version id's first character changed"),
        (flip(12), "the expiry changed"),
        (flip(token.len() - 1), "the MAC's last character changed"),
        (token[..token.len() - 1].to_owned(), "one character short"),
        (format!("{token}A"), "one character more"),
        (String::new(), "no token at all"),
        (
            "5000000001".to_owned(),
            "a bare version id, as Box shows them",
        ),
        (format!("{token}/extra"), "a path below the token"),
    ];

    for (bad, why) in cases {
        // Act
        let reply = fetch(&client, &format!("{prefix}/{bad}")).await;

        // Assert
        assert_eq!(reply, not_found(), "{why}");
    }
    assert_eq!(fetch(&client, &url).await.0, StatusCode::OK, "the real one");
}

#[tokio::test]
async fn a_scan_of_version_ids_with_no_token_finds_nothing() {
    // Arrange: a Box user's file with ten versions, whose ids the API shows.
    let app = spawn().start().await;
    let first = upload(&app, "0", "secret.txt", b"v1").await;
    let mut ids = vec![id(&first["file_version"]).to_owned()];
    for n in 2..=10 {
        let file = upload_version(&app, id(&first), format!("v{n}").as_bytes()).await;
        ids.push(id(&file["file_version"]).to_owned());
    }
    let lowest: u64 = ids
        .iter()
        .map(|id| id.parse::<u64>().unwrap())
        .min()
        .unwrap();
    let client = reqwest::Client::new();

    // Act: every id near the shown ones, as a link and as another user's Box download.
    for n in lowest.saturating_sub(5)..lowest + 20 {
        let link = fetch(&client, &app.url(&format!("/_content/{n}"))).await;
        let Reply { status, .. } = send(
            client
                .get(app.url(&format!("/2.0/files/{}/content?version={n}", id(&first))))
                .bearer_auth("someone-else"),
        )
        .await;

        // Assert
        assert_eq!(link, not_found(), "/_content/{n}");
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "another user's download of version {n}"
        );
    }
}

#[tokio::test]
async fn links_to_deleted_trashed_or_reset_content_are_not_found() {
    // Arrange
    let graph = spawn().graph().await;
    let item = graph.upload("/gone.txt", b"deleted bytes").await;
    let graph_link = item["@microsoft.graph.downloadUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let app = spawn().start().await;
    let first = upload(&app, "0", "data.bin", b"old").await;
    upload_version(&app, id(&first), b"new").await;
    let old = id(&first["file_version"]);
    let path = format!("/2.0/files/{}/content?version={old}", id(&first));
    let redirect = request(&app, Method::GET, &path).send().await.unwrap();
    let box_link = redirect.headers()["location"].to_str().unwrap().to_owned();
    let client = reqwest::Client::new();
    assert_eq!(fetch(&client, &box_link).await.0, StatusCode::OK);

    // Act
    let deleted = graph
        .delete(&format!("/me/drive/items/{}", item["id"].as_str().unwrap()))
        .await;
    let Reply {
        status: trashed, ..
    } = send(request(
        &app,
        Method::DELETE,
        &format!("/2.0/files/{}/versions/{old}", id(&first)),
    ))
    .await;

    // Assert
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(trashed, StatusCode::NO_CONTENT);
    assert_eq!(fetch(&client, &graph_link).await, not_found(), "deleted");
    assert_eq!(fetch(&client, &box_link).await, not_found(), "trashed");

    // Act: after a reset the same ids name new bytes; the old link must not serve them.
    app.emulator.reset().expect("a reset");
    let again = upload(&app, "0", "data.bin", b"someone else's").await;
    upload_version(&app, id(&again), b"newer").await;

    // Assert
    assert_eq!(id(&again["file_version"]), old, "the reset reuses the id");
    assert_eq!(fetch(&client, &box_link).await, not_found(), "reset");
}

#[tokio::test]
async fn emulators_on_the_same_frozen_clock_hand_out_the_same_links() {
    // Arrange
    // Both on the clock frozen at `NOW`, as every test's is.
    let seeded = || spawn().start();
    let (a, b) = (seeded().await.emulator, seeded().await.emulator);
    let unseeded = spawn().running_clock().start().await.emulator;
    let client = reqwest::Client::new();
    let upload = |emulator: &Emulator| {
        client
            .put(emulator.url("/v1.0/me/drive/root:/a.txt:/content"))
            .bearer_auth("t")
            .body("same bytes")
    };

    // Act
    let Reply { body: from_a, .. } = send(upload(&a)).await;
    let Reply { body: from_b, .. } = send(upload(&b)).await;
    let Reply {
        body: from_unseeded,
        ..
    } = send(upload(&unseeded)).await;

    // Assert: the same link but for the port, which each emulator picks itself.
    let token = |body: &serde_json::Value| {
        let url = body["@microsoft.graph.downloadUrl"]
            .as_str()
            .unwrap()
            .to_owned();
        url.rsplit_once('/').unwrap().1.to_owned()
    };
    assert_eq!(token(&from_a), token(&from_b));
    assert_ne!(token(&from_a), token(&from_unseeded));
    assert_eq!(json!(from_a["size"]), json!(10));
}
