//! Graph `delta` over the change log: the first round's enumeration and its paging, later rounds
//! of changes in their latest state with tombstones, `token=latest`, `$select`, a folder's
//! delta, isolation between users, and the `410` resync and invalid-token errors.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::{Method, StatusCode};
use restore_mock::Config;
use serde_json::{json, Value};

use crate::support::graph::{Graph, DRIVE_ID, ROOT_ID};
use crate::support::{spawn, with_request_ids};

/// A token as the emulator writes it (base64url text, see `routes/delta.rs`).
fn token(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text)
}

fn context(graph: &Graph) -> String {
    format!("{}/v1.0/$metadata#Collection(driveItem)", graph.origin())
}

/// `/me/drive/root/delta` on this server with `query`.
fn link(graph: &Graph, query: &str) -> String {
    format!("{}/v1.0/me/drive/root/delta?{query}", graph.origin())
}

fn reference(parent: Option<&str>) -> Value {
    match parent {
        None => json!({"driveId": DRIVE_ID, "driveType": "business"}),
        Some(id) => json!({"driveId": DRIVE_ID, "driveType": "business", "id": id}),
    }
}

fn tombstone(id: &str, parent: &str, facet: &str) -> Value {
    json!({
        "id": id,
        "parentReference": reference(Some(parent)),
        "deleted": {"state": "deleted"},
        facet: {},
        "size": 0,
    })
}

/// `/a/x.txt` (folder 2, file 3) and `/b.txt` (4): two logged changes (the uploads; a folder
/// made on the way is not a change of its own).
async fn seeded() -> Graph {
    let graph = spawn().graph().await;
    graph.upload("/a/x.txt", b"x1").await;
    graph.upload("/b.txt", b"b1").await;
    graph
}

#[tokio::test]
async fn a_first_round_enumerates_parents_first_and_pages_to_a_delta_link() {
    // Arrange
    let graph = seeded().await;
    let mut pages = Vec::new();

    // Act
    let mut next = graph.url("/me/drive/root/delta?$select=id,name&$top=2");
    loop {
        let reply = graph
            .send(
                graph
                    .app
                    .client
                    .get(&next)
                    .bearer_auth(crate::support::graph::TOKEN),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
        pages.push(reply.body.clone());
        match reply.body["@odata.nextLink"].as_str() {
            Some(link) => next = link.to_owned(),
            None => break,
        }
    }

    // Assert
    assert_eq!(
        pages,
        [
            json!({
                "@odata.context": context(&graph),
                "value": [
                    {"id": ROOT_ID, "name": "root"},
                    {"id": "1000000002", "name": "a"},
                ],
                "@odata.nextLink": link(&graph, &format!("$select=id,name&$top=2&token={}", token("e.2.a"))),
            }),
            json!({
                "@odata.context": context(&graph),
                "value": [
                    {"id": "1000000003", "name": "x.txt"},
                    {"id": "1000000004", "name": "b.txt"},
                ],
                "@odata.deltaLink": link(&graph, &format!("$select=id,name&$top=2&token={}", token("c.2"))),
            }),
        ]
    );
}

/// Follows `url` to the end of its round: the items of every page, and the deltaLink.
async fn round(graph: &Graph, mut url: String) -> (Vec<Value>, String) {
    let mut items = Vec::new();
    loop {
        let request = (graph.app.client.get(&url)).bearer_auth(crate::support::graph::TOKEN);
        let reply = graph.send(request).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
        items.extend(reply.body["value"].as_array().unwrap().iter().cloned());
        if let Some(next) = reply.body["@odata.nextLink"].as_str() {
            url = next.to_owned();
            continue;
        }
        let delta = reply.body["@odata.deltaLink"].as_str();
        return (items, delta.expect("a page with a link").to_owned());
    }
}

#[tokio::test]
async fn a_first_round_resumes_after_its_last_item_when_one_before_it_goes() {
    // Arrange: four files in the root (ids 2 to 5); the first page shows the root and a.txt.
    let graph = spawn().graph().await;
    for name in ["/a.txt", "/b.txt", "/c.txt", "/d.txt"] {
        graph.upload(name, b"n").await;
    }
    let first = graph
        .get("/me/drive/root/delta?$select=id,name,deleted&$top=2")
        .await;
    assert_eq!(
        first.body["value"],
        json!([{"id": ROOT_ID, "name": "root"}, {"id": "1000000002", "name": "a.txt"}])
    );
    let next = first.body["@odata.nextLink"].as_str().unwrap().to_owned();
    assert_eq!(
        next,
        link(
            &graph,
            &format!(
                "$select=id,name,deleted&$top=2&token={}",
                token("e.4.a.txt")
            )
        )
    );

    // Act: before the next page, a.txt, which the round has shown, goes.
    let deleted = graph.delete("/me/drive/items/1000000002").await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{deleted:?}");
    let (rest, delta_link) = round(&graph, next).await;
    let (changes, _) = round(&graph, delta_link).await;

    // Assert: the round goes on with b.txt (counting the items walked, it would have gone on
    // from c.txt, and no later round would show b.txt, which never changed); the next round
    // has the delete.
    assert_eq!(
        rest,
        [
            json!({"id": "1000000003", "name": "b.txt"}),
            json!({"id": "1000000004", "name": "c.txt"}),
            json!({"id": "1000000005", "name": "d.txt"}),
        ]
    );
    assert_eq!(
        changes,
        [json!({"id": "1000000002", "deleted": {"state": "deleted"}})]
    );
}

#[tokio::test]
async fn a_later_round_returns_each_change_once_in_its_latest_state_after_its_folders() {
    // Arrange
    let graph = seeded().await;
    let first = graph.get("/me/drive/root/delta").await;
    let delta_link = first.body["@odata.deltaLink"].as_str().unwrap().to_owned();
    assert_eq!(delta_link, link(&graph, &format!("token={}", token("c.2"))));
    graph.upload("/a/x.txt", b"x2").await;
    let renamed = graph
        .send(
            graph
                .request(Method::PATCH, "/me/drive/items/1000000003")
                .json(&json!({"name": "y.txt"})),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{renamed:?}");
    let deleted = graph.delete("/me/drive/items/1000000004").await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{deleted:?}");

    // Act
    let reply = graph
        .get(&format!(
            "/me/drive/root/delta?token={}&$select=id,name,deleted,parentReference",
            token("c.2")
        ))
        .await;
    let latest = graph.get("/me/drive/root/delta?token=latest").await;
    let nothing_new = graph
        .get(&format!("/me/drive/root/delta?token={}", token("c.5")))
        .await;

    // Assert
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    assert_eq!(
        reply.body,
        json!({
            "@odata.context": context(&graph),
            "value": [
                {"id": ROOT_ID, "name": "root", "parentReference": reference(None)},
                {"id": "1000000002", "name": "a", "parentReference": {
                    "driveId": DRIVE_ID, "driveType": "business", "id": ROOT_ID, "name": "root",
                    "path": format!("/drives/{DRIVE_ID}/root:"),
                }},
                {"id": "1000000003", "name": "y.txt", "parentReference": {
                    "driveId": DRIVE_ID, "driveType": "business", "id": "1000000002", "name": "a",
                    "path": format!("/drives/{DRIVE_ID}/root:/a"),
                }},
                {"id": "1000000004", "parentReference": reference(Some(ROOT_ID)), "deleted": {"state": "deleted"}},
            ],
            "@odata.deltaLink": link(&graph, &format!("$select=id,name,deleted,parentReference&token={}", token("c.5"))),
        })
    );
    assert_eq!(
        latest.body,
        json!({
            "@odata.context": context(&graph),
            "value": [],
            "@odata.deltaLink": link(&graph, &format!("token={}", token("c.5"))),
        })
    );
    assert_eq!(
        nothing_new.body,
        json!({
            "@odata.context": context(&graph),
            "value": [],
            "@odata.deltaLink": link(&graph, &format!("token={}", token("c.5"))),
        })
    );
}

#[tokio::test]
async fn a_tombstone_without_select_has_the_business_shape() {
    // Arrange
    let graph = seeded().await;
    graph.delete("/me/drive/items/1000000002").await;

    // Act
    let reply = graph
        .get(&format!(
            "/me/drive/items/root/delta(token='{}')",
            token("c.2")
        ))
        .await;

    // Assert
    assert_eq!(
        reply.body,
        json!({
            "@odata.context": context(&graph),
            "value": [tombstone("1000000002", ROOT_ID, "folder")],
            "@odata.deltaLink": format!("{}/v1.0/me/drive/items/root/delta?token={}", graph.origin(), token("c.3")),
        })
    );
}

#[tokio::test]
async fn a_folders_delta_sees_only_what_is_below_it() {
    // Arrange
    let graph = seeded().await;

    // Act
    let first = graph
        .get("/me/drive/items/1000000002/delta?$select=id,name")
        .await;
    graph.upload("/b.txt", b"b2").await;
    graph.upload("/a/z.txt", b"z1").await;
    let later = graph
        .get(&format!(
            "/me/drive/items/1000000002/delta?$select=id,name&token={}",
            token("c.2")
        ))
        .await;

    // Assert
    let link = |token: &str| {
        format!(
            "{}/v1.0/me/drive/items/1000000002/delta?$select=id,name&token={token}",
            graph.origin()
        )
    };
    assert_eq!(
        first.body,
        json!({
            "@odata.context": context(&graph),
            "value": [{"id": "1000000002", "name": "a"}, {"id": "1000000003", "name": "x.txt"}],
            "@odata.deltaLink": link(&token("c.2")),
        })
    );
    assert_eq!(
        later.body,
        json!({
            "@odata.context": context(&graph),
            "value": [{"id": "1000000002", "name": "a"}, {"id": "1000000005", "name": "z.txt"}],
            "@odata.deltaLink": link(&token("c.4")),
        })
    );
}

#[tokio::test]
async fn another_users_changes_are_not_in_my_delta() {
    // Arrange
    let graph = seeded().await;
    let theirs = graph
        .app
        .client
        .put(graph.url("/me/drive/root:/theirs.txt:/content"))
        .bearer_auth("someone-else")
        .body("t")
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), StatusCode::CREATED);

    // Act
    let reply = graph
        .get(&format!("/me/drive/root/delta?token={}", token("c.2")))
        .await;

    // Assert
    assert_eq!(
        reply.body,
        json!({
            "@odata.context": context(&graph),
            "value": [],
            "@odata.deltaLink": link(&graph, &format!("token={}", token("c.3"))),
        })
    );
}

#[tokio::test]
async fn a_page_of_changes_is_never_empty_while_a_next_link_follows() {
    // Arrange: ten changes by another user, then one of mine, read two at a time.
    let graph = spawn().graph().await;
    for n in 0..10 {
        let put = graph
            .app
            .client
            .put(graph.url(&format!("/me/drive/root:/t{n}.txt:/content")))
            .bearer_auth("someone-else")
            .body("t")
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), StatusCode::CREATED);
    }
    graph.upload("/mine.txt", b"m").await;

    // Act
    let reply = graph
        .get(&format!(
            "/me/drive/root/delta?$select=name&$top=2&token={}",
            token("c.0")
        ))
        .await;

    // Assert
    assert_eq!(
        reply.body,
        json!({
            "@odata.context": context(&graph),
            "value": [{"name": "root"}, {"name": "mine.txt"}],
            "@odata.deltaLink": link(&graph, &format!("$select=name&$top=2&token={}", token("c.11"))),
        })
    );
}

#[tokio::test]
async fn tokens_too_old_or_not_ours_get_graphs_errors() {
    // Arrange: a log of two entries, so that a token before them is out of its window.
    let config = Config {
        change_log_len: 2,
        ..Config::default()
    };
    let graph = spawn().config(config).graph().await;
    for name in ["/1.txt", "/2.txt", "/3.txt"] {
        graph.upload(name, b"n").await;
    }
    let resync = format!("{}/v1.0/me/drive/root/delta", graph.origin());
    let cases = [
        (
            format!("token={}", token("c.0")),
            410,
            "resyncRequired",
            "a token before the window",
        ),
        (
            format!("token={}", token("c.9")),
            410,
            "resyncRequired",
            "a token past the newest change",
        ),
        (
            "token=not-a-token".to_owned(),
            400,
            "invalidRequest",
            "not base64url",
        ),
        (
            format!("token={}", token("x.1")),
            400,
            "invalidRequest",
            "an unknown kind of token",
        ),
        (
            format!("token={}", token("e.1")),
            400,
            "invalidRequest",
            "an enumeration without its position",
        ),
    ];
    let ids = [
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
        "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
        "bd64a5d9-adef-e000-6c1e-186443822970",
        "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
    ];

    // Act
    let mut replies = Vec::new();
    for (query, ..) in &cases {
        replies.push(graph.get(&format!("/me/drive/root/delta?{query}")).await);
    }

    for (((_, status, code, why), request_id), reply) in
        with_request_ids(cases, ids).into_iter().zip(replies)
    {
        // Assert
        let message = match status {
            410 => "Resync required. Replace any local items with the server's version (including deletes) if you're sure that the service was up to date with your local changes when you last sync'd. Upload any local changes that the server doesn't know about.",
            _ => "Invalid delta token.",
        };
        assert_eq!(reply.status.as_u16(), status, "{why}: {reply:?}");
        let inner = match status {
            410 => {
                assert_eq!(reply.header("location"), resync, "{why}");
                json!({"code": "resyncChangesApplyDifferences", "date": "2024-06-01T10:00:00", "request-id": request_id, "client-request-id": request_id})
            }
            _ => {
                json!({"date": "2024-06-01T10:00:00", "request-id": request_id, "client-request-id": request_id})
            }
        };
        assert_eq!(
            reply.body,
            json!({"error": {"code": code, "message": message, "innerError": inner}}),
            "{why}"
        );
    }
    let still = graph
        .get(&format!(
            "/me/drive/root/delta?$select=name&token={}",
            token("c.1")
        ))
        .await;
    assert_eq!(
        still.body["value"],
        json!([{"name": "root"}, {"name": "2.txt"}, {"name": "3.txt"}])
    );
}

#[tokio::test]
async fn the_admin_api_expires_every_token_on_demand() {
    // Arrange
    let graph = seeded().await;

    // Act
    let expired = graph
        .app
        .client
        .post(graph.app.url("/__admin/changes/expire-tokens"))
        .send()
        .await
        .unwrap();
    let status = expired.status();
    let body: Value = expired.json().await.unwrap();
    let reply = graph
        .get(&format!("/me/drive/root/delta?token={}", token("c.2")))
        .await;
    let fresh = graph.get("/me/drive/root/delta?token=latest").await;

    // Assert
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({"latest_position": 3}))
    );
    assert_eq!(reply.status, StatusCode::GONE, "{reply:?}");
    assert_eq!(reply.body["error"]["code"], "resyncRequired");
    assert_eq!(
        fresh.body["@odata.deltaLink"],
        json!(link(&graph, &format!("token={}", token("c.3"))))
    );
}
