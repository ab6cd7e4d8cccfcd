//! `search(q='…')` (issue 19): on a drive, its root and a folder, matching names
//! case-insensitively, breadth first, paged with an absolute `@odata.nextLink`; OData's quoting
//! (`''` for a quote, a lone quote refused); one user never finds another's items.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::graph::{Graph, DRIVE_ID};
use crate::support::{send, spawn, with_request_ids};

/// Report 2024.txt (1000000002), notes.txt (3), Docs (4) with report-final.docx (5), Docs/Sub
/// (6) with old REPORT.md (7), and it's here.txt (8).
async fn seeded() -> Graph {
    let graph = spawn().graph().await;
    for path in [
        "/Report 2024.txt",
        "/notes.txt",
        "/Docs/report-final.docx",
        "/Docs/Sub/old REPORT.md",
        "/it's here.txt",
    ] {
        graph.upload(path, b"x").await;
    }
    graph
}

fn hits(value: &[(&str, &str)]) -> Value {
    Value::Array(
        value
            .iter()
            .map(|(id, name)| json!({"id": id, "name": name}))
            .collect(),
    )
}

#[tokio::test]
async fn a_search_of_the_root_finds_names_below_it_case_insensitively_breadth_first() {
    // Arrange
    let graph = seeded().await;

    // Act
    let reply = graph
        .get("/me/drive/root/search(q='report')?$select=id,name")
        .await;

    // Assert
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    assert_eq!(
        reply.body,
        json!({
            "@odata.context": format!("{}/v1.0/$metadata#Collection(driveItem)", graph.origin()),
            "value": hits(&[
                ("1000000002", "Report 2024.txt"),
                ("1000000005", "report-final.docx"),
                ("1000000007", "old REPORT.md"),
            ]),
        })
    );
    // Without $select each hit is the whole item, with the searchResult facet.
    let whole = graph.get("/me/drive/root/search(q='2024')").await;
    let hit = &whole.body["value"][0];
    assert_eq!(hit["name"], "Report 2024.txt");
    assert_eq!(hit["searchResult"], json!({}));
    assert_eq!(hit["file"]["mimeType"], "text/plain");
    assert_eq!(hit["parentReference"]["id"], "1000000001");
}

#[tokio::test]
async fn every_search_address_form_scopes_the_search_as_it_names() {
    // Arrange
    let graph = seeded().await;
    // (path, expected hits, why)
    let all = [
        ("1000000002", "Report 2024.txt"),
        ("1000000005", "report-final.docx"),
        ("1000000007", "old REPORT.md"),
    ];
    let in_docs = [
        ("1000000005", "report-final.docx"),
        ("1000000007", "old REPORT.md"),
    ];
    let cases = [
        (
            "/me/drive/search(q='report')".to_owned(),
            &all[..],
            "the drive",
        ),
        (
            format!("/drives/{DRIVE_ID}/root/search(q='report')"),
            &all[..],
            "a drive by id",
        ),
        (
            "/me/drive/root/microsoft.graph.search(q='report')".to_owned(),
            &all[..],
            "the qualified name",
        ),
        (
            "/me/drive/root:/Docs:/search(q='report')".to_owned(),
            &in_docs[..],
            "a folder by path",
        ),
        (
            "/me/drive/items/1000000004/search(q='REPORT')".to_owned(),
            &in_docs[..],
            "a folder by id",
        ),
        (
            "/me/drive/items/1000000006/search(q='nothing')".to_owned(),
            &[][..],
            "no hit",
        ),
    ];

    for (path, expected, why) in cases {
        // Act
        let reply = graph.get(&format!("{path}?$select=id,name")).await;

        // Assert
        assert_eq!(reply.status, StatusCode::OK, "{why}: {reply:?}");
        assert_eq!(reply.body["value"], hits(expected), "{why}");
        assert!(reply.body.get("@odata.nextLink").is_none(), "{why}");
    }
}

#[tokio::test]
async fn results_are_paged_with_an_absolute_next_link_that_replays() {
    // Arrange
    let graph = seeded().await;

    // Act
    let first = graph
        .get("/me/drive/root/search(q='report')?$select=id,name&$top=2")
        .await;

    // Assert
    let next = format!(
        "{}/v1.0/me/drive/root/search(q='report')?$select=id,name&$top=2&$skiptoken=2",
        graph.origin()
    );
    assert_eq!(
        first.body["value"],
        hits(&[
            ("1000000002", "Report 2024.txt"),
            ("1000000005", "report-final.docx")
        ])
    );
    assert_eq!(first.body["@odata.nextLink"], next);
    for _ in 0..2 {
        let request = graph.app.client.get(&next).bearer_auth("graph-test-token");
        let second = send(request).await;
        assert_eq!(second.status, StatusCode::OK, "{second:?}");
        assert_eq!(
            second.body["value"],
            hits(&[("1000000007", "old REPORT.md")])
        );
        assert!(second.body.get("@odata.nextLink").is_none());
    }
}

#[tokio::test]
async fn a_quote_is_doubled_and_a_lone_one_is_a_syntax_error() {
    // Arrange
    let graph = seeded().await;

    // Act + Assert: `''` is one quote, raw or percent-encoded.
    for path in [
        "/me/drive/root/search(q='it''s')",
        "/me/drive/root/search(q=%27it%27%27s%27)",
    ] {
        let reply = graph.get(&format!("{path}?$select=id,name")).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {reply:?}");
        assert_eq!(
            reply.body["value"],
            hits(&[("1000000008", "it's here.txt")])
        );
    }
    // (path, message, why)
    let cases = [
        (
            "/me/drive/root/search(q='it's')",
            "Syntax error at position 7 in 'q='it's''.",
            "a lone quote ends the literal early",
        ),
        (
            "/me/drive/root/search(q=%27it%27s%27)",
            "Syntax error at position 7 in 'q='it's''.",
            "a lone quote, percent-encoded as the Python SDK sends it",
        ),
        (
            "/me/drive/root/search(q='open)",
            "Syntax error at position 9 in 'q='open'.",
            "an unclosed literal",
        ),
        (
            "/me/drive/root/search(q=bare)",
            "Syntax error at position 3 in 'q=bare'.",
            "no quotes",
        ),
    ];
    let ids = [
        "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
        "9e5651b0-ef95-3636-e62b-6430f1260052",
        "aeaf52fe-be70-6064-d484-a1e7c35a0b13",
        "088712be-8a58-2fca-6fc5-530939fb94c3",
    ];
    for ((path, message, why), request_id) in with_request_ids(cases, ids) {
        let reply = graph.get(path).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{why}: {reply:?}");
        graph.assert_error(&reply, 400, "BadRequest", message, request_id);
    }
}

#[tokio::test]
async fn one_user_never_finds_anothers_items() {
    // Arrange
    let graph = seeded().await;

    // Act
    let request = graph
        .app
        .client
        .get(graph.url("/me/drive/root/search(q='report')"))
        .bearer_auth("someone-else");
    let theirs = send(request).await;
    let by_id = send(
        graph
            .app
            .client
            .get(graph.url("/me/drive/items/1000000004/search(q='report')"))
            .bearer_auth("someone-else"),
    )
    .await;

    // Assert
    assert_eq!(theirs.status, StatusCode::OK, "{theirs:?}");
    assert_eq!(theirs.body["value"], json!([]));
    assert_eq!(by_id.status, StatusCode::NOT_FOUND, "{by_id:?}");
    assert_eq!(by_id.body["error"]["code"], "itemNotFound");
}
