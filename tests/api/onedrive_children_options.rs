//! `$orderby` and `$filter` on children (issue 19), as OneDrive for Business takes them: `name`,
//! `size` and `lastModifiedDateTime` orders; `name` eq/ne/startswith and `folder ne null`
//! filters; anything else `400 notSupported`, and the listing is unchanged.

use reqwest::StatusCode;

use crate::support::graph::Graph;
use crate::support::{spawn, with_request_ids};

/// The names a children request lists, in order.
async fn names(graph: &Graph, query: &str) -> Vec<String> {
    let reply = graph.get(&format!("/me/drive/root/children?{query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {reply:?}");
    (reply.body["value"].as_array().unwrap().iter())
        .map(|item| item["name"].as_str().unwrap().to_owned())
        .collect()
}

/// b.txt (3 bytes), a.txt (10 bytes, a minute later), Docs (a folder, with c.txt), report.md.
async fn seeded() -> Graph {
    let graph = spawn().graph().await;
    graph.upload("/b.txt", b"bbb").await;
    graph.advance(60);
    graph.upload("/a.txt", b"aaaaaaaaaa").await;
    graph.upload("/Docs/c.txt", b"c").await;
    graph.upload("/report.md", b"rr").await;
    graph
}

#[tokio::test]
async fn children_are_ordered_and_filtered_as_asked() {
    // Arrange
    let graph = seeded().await;
    // (query, names, why)
    let cases = [
        (
            "",
            vec!["a.txt", "b.txt", "Docs", "report.md"],
            "by name, as stored",
        ),
        (
            "$orderby=name%20desc",
            vec!["Docs", "report.md", "b.txt", "a.txt"],
            "by name, descending (folders first)",
        ),
        (
            "orderby=size",
            vec!["Docs", "report.md", "b.txt", "a.txt"],
            "by size, without $",
        ),
        (
            "$orderby=lastModifiedDateTime desc",
            vec!["Docs", "report.md", "a.txt", "b.txt"],
            "by date, newest first",
        ),
        (
            "$orderby=createdDateTime",
            vec!["a.txt", "b.txt", "Docs", "report.md"],
            "an order the service ignores",
        ),
        (
            "$filter=name%20eq%20%27A.TXT%27",
            vec!["a.txt"],
            "name eq, case-insensitively",
        ),
        (
            "$filter=name ne 'a.txt'",
            vec!["b.txt", "Docs", "report.md"],
            "name ne",
        ),
        (
            "filter=startswith(name,'re')",
            vec!["report.md"],
            "startswith, without $",
        ),
        ("$filter=folder ne null", vec!["Docs"], "folders only"),
        (
            "$filter=name ne 'Docs'&$orderby=size desc&$top=2",
            vec!["a.txt", "b.txt"],
            "filtered, ordered, paged",
        ),
    ];

    for (query, expected, why) in cases {
        // Act
        let listed = names(&graph, query).await;

        // Assert
        assert_eq!(listed, expected, "{why}");
    }
}

#[tokio::test]
async fn a_filter_the_service_does_not_take_is_not_supported() {
    // Arrange
    let graph = seeded().await;
    // (query, why)
    let cases = [
        (
            "$filter=file ne null",
            "files only: refused on business drives",
        ),
        ("$filter=size gt 3", "another property"),
        ("$filter=name eq 'it's'", "a broken literal"),
    ];
    let ids = [
        "6e73e372-e233-8aca-16b1-cba95fc60262",
        "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
        "bd64a5d9-adef-e000-6c1e-186443822970",
    ];
    for ((query, why), request_id) in with_request_ids(cases, ids) {
        // Act
        let reply = graph.get(&format!("/me/drive/root/children?{query}")).await;

        // Assert
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{why}: {reply:?}");
        graph.assert_error(
            &reply,
            400,
            "notSupported",
            "Operation not supported",
            request_id,
        );
    }
}
