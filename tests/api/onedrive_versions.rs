//! File versions (<https://learn.microsoft.com/en-us/graph/api/driveitem-list-versions> and the
//! pages it links): listing, paging, reading, downloading and restoring, read
//! back after each change.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::graph::{
    at, labels, me, version_json, FileItem, Graph, DRIVE_ID, DRIVE_IN_CONTEXT, ROOT_ID, TOKEN,
};
use crate::support::spawn;

/// A file with three versions, uploaded a minute apart: `one`, `second`, `third!!`.
async fn three_versions(graph: &Graph) -> Vec<Value> {
    let mut replies = Vec::new();
    for body in [&b"one"[..], b"second", b"third!!"] {
        replies.push(graph.upload("/notes.txt", body).await);
        graph.advance(60);
    }
    replies
}

fn id_of(item: &Value) -> &str {
    item["id"].as_str().unwrap()
}

#[tokio::test]
async fn versions_are_listed_newest_first_with_the_current_one_first() {
    // Arrange
    let graph = spawn().graph().await;
    let me = me();
    let uploads = three_versions(&graph).await;
    let id = id_of(&uploads[0]);

    // Act
    let reply = graph.get(&format!("/me/drive/items/{id}/versions")).await;

    // Assert
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.body,
        json!({
            "@odata.context": format!(
                "{}/v1.0/$metadata#drives('{DRIVE_IN_CONTEXT}')/items('1000000002')/versions",
                graph.origin(),
            ),
            "value": [
                version_json("3.0", 7, 120, &me),
                version_json("2.0", 6, 60, &me),
                version_json("1.0", 3, 0, &me),
            ],
        })
    );
}

#[tokio::test]
async fn top_pages_versions_with_a_next_link_that_keeps_the_query() {
    // Arrange
    let graph = spawn().graph().await;
    let uploads = three_versions(&graph).await;
    graph.upload("/notes.txt", b"4").await;
    let id = id_of(&uploads[0]);
    let path = format!("/me/drive/items/{id}/versions");

    // Act
    let first = graph.get(&format!("{path}?$select=id,size&$top=2")).await;
    let next = first.body["@odata.nextLink"].as_str().unwrap().to_owned();
    let second = graph
        .send(graph.app.client.get(&next).bearer_auth(TOKEN))
        .await;

    // Assert
    let context = format!(
        "{}/v1.0/$metadata#drives('{DRIVE_IN_CONTEXT}')/items('1000000002')/versions",
        graph.origin()
    );
    assert_eq!(
        first.body,
        json!({
            "@odata.context": context,
            "value": [{"id": "4.0", "size": 1}, {"id": "3.0", "size": 7}],
            "@odata.nextLink": graph.url(&format!("{path}?$select=id,size&$top=2&$skiptoken=2")),
        })
    );
    assert_eq!(
        second.body,
        json!({
            "@odata.context": context,
            "value": [{"id": "2.0", "size": 6}, {"id": "1.0", "size": 3}],
        })
    );
    // `$skipToken` is read too, and a page past the end is empty.
    let camel = graph.get(&format!("{path}?$top=1&$skipToken=3")).await;
    assert_eq!(labels(&camel.body), ["1.0"]);
    assert!(camel.body.get("@odata.nextLink").is_none());
    let past = graph.get(&format!("{path}?$top=5&$skiptoken=9")).await;
    assert_eq!(past.body["value"], json!([]));
}

#[tokio::test]
async fn select_on_versions_can_ask_for_download_urls() {
    // Arrange
    let graph = spawn().graph().await;
    let uploads = three_versions(&graph).await;
    let id = id_of(&uploads[0]);

    // Act
    let reply = graph
        .get(&format!(
            "/me/drive/items/{id}/versions?$select=id,@microsoft.graph.downloadUrl"
        ))
        .await;

    // Assert: signed at another instant than the uploads' links, to the same bytes.
    let links = [
        (
            "3.0",
            "/_content/AAAAASoF8gMAAAAAZlr_5AA68p6uc_ezvQAvky8n6rTD",
            "/_content/AAAAASoF8gMAAAAAZlr_qADSvyvw8knGp0cGghGnaAUr",
            "third!!",
        ),
        (
            "2.0",
            "/_content/AAAAASoF8gIAAAAAZlr_5ADMPESPEHTtFoGFUMqdxE2i",
            "/_content/AAAAASoF8gIAAAAAZlr_bAAuxblahQjJwffpXyiiJ4t8",
            "second",
        ),
        (
            "1.0",
            "/_content/AAAAASoF8gEAAAAAZlr_5ACwlzGRPsT53I0wIUFt8ars",
            "/_content/AAAAASoF8gEAAAAAZlr_MABVngC_DvpS5I5_hjWBZueT",
            "one",
        ),
    ];
    let value: Vec<Value> = links
        .iter()
        .map(|(label, link, _, _)| {
            json!({"id": label, "@microsoft.graph.downloadUrl": graph.app.url(link)})
        })
        .collect();
    assert_eq!(
        reply.body,
        json!({
            "@odata.context": format!(
                "{}/v1.0/$metadata#drives('{DRIVE_IN_CONTEXT}')/items('1000000002')/versions",
                graph.origin()
            ),
            "value": value,
        })
    );
    let upload_links: Vec<&str> = uploads
        .iter()
        .rev()
        .map(|upload| upload["@microsoft.graph.downloadUrl"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = links.iter().map(|l| graph.app.url(l.2)).collect();
    assert_eq!(upload_links, expected);
    for (_, link, upload_link, body) in links {
        for link in [link, upload_link] {
            let url = graph.app.url(link);
            assert_eq!(
                graph.fetch(&url).await,
                (StatusCode::OK, body.as_bytes().to_vec().into())
            );
        }
    }
}

#[tokio::test]
async fn select_on_an_item_keeps_only_the_listed_properties() {
    // Arrange
    let graph = spawn().graph().await;
    let item = graph.upload("/a.txt", b"abc").await;
    let id = id_of(&item);

    // Act
    let reply = graph
        .get(&format!("/me/drive/items/{id}?$select=id,name,SIZE"))
        .await;

    // Assert
    assert_eq!(
        reply.body,
        json!({
            "@odata.context": format!(
                "{}/v1.0/$metadata#drives('{DRIVE_IN_CONTEXT}')/items/$entity",
                graph.origin()
            ),
            "id": "1000000002",
            "name": "a.txt",
            "size": 3,
        })
    );
}

#[tokio::test]
async fn a_version_is_read_by_its_label_and_the_current_one_by_name() {
    // Arrange
    let graph = spawn().graph().await;
    let me = me();
    let uploads = three_versions(&graph).await;
    let id = id_of(&uploads[0]);
    let context = format!(
        "{}/v1.0/$metadata#drives('{DRIVE_IN_CONTEXT}')/items('1000000002')/versions/$entity",
        graph.origin(),
    );

    for (label, expected) in [
        ("1.0", version_json("1.0", 3, 0, &me)),
        ("2.0", version_json("2.0", 6, 60, &me)),
        ("current", version_json("3.0", 7, 120, &me)),
        ("3.0", version_json("3.0", 7, 120, &me)),
    ] {
        // Act
        let reply = graph
            .get(&format!("/me/drive/items/{id}/versions/{label}"))
            .await;

        // Assert
        let mut expected = expected;
        expected["@odata.context"] = json!(context);
        assert_eq!(reply.status, StatusCode::OK, "{label}");
        assert_eq!(reply.body, expected, "{label}");
    }
}

#[tokio::test]
async fn old_version_content_redirects_to_its_own_bytes() {
    // Arrange
    let graph = spawn().graph().await;
    let uploads = three_versions(&graph).await;
    let id = id_of(&uploads[0]);

    for (label, upload, body) in [("1.0", &uploads[0], "one"), ("2.0", &uploads[1], "second")] {
        // Act
        let reply = graph
            .get(&format!("/me/drive/items/{id}/versions/{label}/content"))
            .await;

        // Assert
        assert_eq!(reply.status, StatusCode::FOUND, "{label}");
        let location = reply.header("location");
        for link in [
            location,
            upload["@microsoft.graph.downloadUrl"].as_str().unwrap(),
        ] {
            assert_eq!(
                graph.fetch(link).await,
                (StatusCode::OK, body.into()),
                "{label}"
            );
        }
    }
}

#[tokio::test]
async fn the_current_versions_content_is_refused_as_graph_refuses_it() {
    // Arrange
    let graph = spawn().graph().await;
    let uploads = three_versions(&graph).await;
    let id = id_of(&uploads[0]);

    for (label, expected_id) in crate::support::with_request_ids(
        ["3.0", "current"],
        [
            "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
            "6e73e372-e233-8aca-16b1-cba95fc60262",
        ],
    ) {
        // Act
        let reply = graph
            .get(&format!("/me/drive/items/{id}/versions/{label}/content"))
            .await;

        // Assert
        graph.assert_error(
            &reply,
            400,
            "invalidRequest",
            "You cannot get the content of the current version",
            expected_id,
        );
    }
}

#[tokio::test]
async fn restore_answers_204_and_appends_a_copy_of_the_old_version() {
    // Arrange
    let graph = spawn().graph().await;
    let me = me();
    let uploads = three_versions(&graph).await;
    let id = id_of(&uploads[0]);

    // Act
    let reply = graph
        .post(&format!("/me/drive/items/{id}/versions/1.0/restoreVersion"))
        .await;

    // Assert
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(reply.bytes.len(), 0);
    assert!(reply.headers.get("content-type").is_none());
    let versions = graph.get(&format!("/me/drive/items/{id}/versions")).await;
    assert_eq!(
        versions.body["value"],
        json!([
            version_json("4.0", 3, 180, &me),
            version_json("3.0", 7, 120, &me),
            version_json("2.0", 6, 60, &me),
            version_json("1.0", 3, 0, &me),
        ])
    );
    let item = graph.get(&format!("/me/drive/items/{id}")).await.body;
    let expected = FileItem {
        id,
        name: "notes.txt",
        parent_id: ROOT_ID,
        parent_name: "root",
        parent_path: "",
        content: b"one",
        mime_type: "text/plain",
        revision: 4,
        guid: "A04535F2-2366-4573-924A-9CEB7CB3CB73",
        created: 0,
        modified: 180,
        download_url: &graph
            .app
            .url("/_content/AAAAASoF8gQAAAAAZlr_5AAVzEh-TbD-hVzAa7UxQoI4"),
        web_path: "/notes.txt",
    };
    assert_eq!(item, expected.json(&graph, DRIVE_ID, &me));
    let content = graph.get(&format!("/me/drive/items/{id}/content")).await;
    assert_eq!(
        graph.fetch(content.header("location")).await,
        (StatusCode::OK, "one".into())
    );
    // The old version is still there, with its own bytes.
    let old = graph
        .get(&format!("/me/drive/items/{id}/versions/3.0/content"))
        .await;
    assert_eq!(
        graph.fetch(old.header("location")).await,
        (StatusCode::OK, "third!!".into())
    );
}

#[tokio::test]
async fn restore_records_the_caller_as_the_modifier() {
    // Arrange: the history is the caller's own, but the restore is the latest change, at its time.
    let graph = spawn().graph().await;
    let uploads = three_versions(&graph).await;
    let id = id_of(&uploads[0]);
    graph.advance(3600);

    // Act
    graph.restore(id, "2.0").await;

    // Assert
    let item = graph.get(&format!("/me/drive/items/{id}")).await.body;
    assert_eq!(item["lastModifiedDateTime"], at(3780));
    assert_eq!(item["lastModifiedBy"], me());
    assert_eq!(item["createdDateTime"], at(0));
    let newest = graph
        .get(&format!("/me/drive/items/{id}/versions/4.0"))
        .await;
    assert_eq!(newest.body["lastModifiedDateTime"], at(3780));
}

#[tokio::test]
async fn restore_accepts_both_spellings_and_any_body() {
    // Arrange
    let graph = spawn().graph().await;
    let uploads = three_versions(&graph).await;
    let id = id_of(&uploads[0]);
    let base = format!("/me/drive/items/{id}/versions/1.0");
    let cases: [(&str, Option<&str>, &str, &str); 5] = [
        (
            "/restoreVersion",
            None,
            "",
            "no body, as the Python SDK sends",
        ),
        (
            "/restoreVersion",
            Some("application/json"),
            "",
            "JSON type, empty body, as the JS SDK sends",
        ),
        (
            "/restoreVersion",
            Some("application/json"),
            "{}",
            "an empty object",
        ),
        (
            "/microsoft.graph.restoreVersion",
            None,
            "",
            "the namespace-qualified action",
        ),
        (
            "/RESTOREVERSION",
            Some("text/plain"),
            "ignored",
            "any case, any body",
        ),
    ];

    for (n, (suffix, content_type, body, why)) in cases.iter().enumerate() {
        let mut request = graph
            .request(Method::POST, &format!("{base}{suffix}"))
            .body(body.to_string());
        if let Some(content_type) = content_type {
            request = request.header("content-type", *content_type);
        }

        // Act
        let reply = graph.send(request).await;

        // Assert
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{why}");
        let versions = graph.version_ids(id).await;
        assert_eq!(versions.len(), 4 + n, "{why}");
        assert_eq!(versions[0], format!("{}.0", 4 + n), "{why}");
    }
}

#[tokio::test]
async fn restoring_the_current_version_makes_an_identical_new_version() {
    // Arrange: the docs describe no exception, so the emulator follows them literally.
    let graph = spawn().graph().await;
    let uploads = three_versions(&graph).await;
    let id = id_of(&uploads[0]);

    // Act
    graph.restore(id, "current").await;
    graph.restore(id, "4.0").await;

    // Assert
    let versions = graph.get(&format!("/me/drive/items/{id}/versions")).await;
    assert_eq!(labels(&versions.body), ["5.0", "4.0", "3.0", "2.0", "1.0"]);
    let sizes: Vec<_> = versions.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["size"].as_u64().unwrap())
        .collect();
    assert_eq!(sizes, [7, 7, 7, 6, 3]);
}

#[tokio::test]
async fn restore_honours_if_match_when_it_is_sent() {
    // Arrange
    let graph = spawn().graph().await;
    let uploads = three_versions(&graph).await;
    let id = id_of(&uploads[0]);
    let path = format!("/me/drive/items/{id}/versions/1.0/restoreVersion");
    let current = graph.get(&format!("/me/drive/items/{id}")).await.body;

    // Act
    let stale = graph
        .send(
            graph
                .request(Method::POST, &path)
                .header("if-match", uploads[0]["eTag"].as_str().unwrap()),
        )
        .await;
    let fresh = graph
        .send(
            graph
                .request(Method::POST, &path)
                .header("if-match", current["eTag"].as_str().unwrap()),
        )
        .await;

    // Assert
    graph.assert_error(
        &stale,
        412,
        "resourceModified",
        "ETag does not match current item's value",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
    );
    assert_eq!(fresh.status, StatusCode::NO_CONTENT);
    assert_eq!(graph.version_ids(id).await, ["4.0", "3.0", "2.0", "1.0"]);
}

#[tokio::test]
async fn unknown_versions_are_not_found_and_nothing_changes() {
    // Arrange
    let graph = spawn().graph().await;
    let uploads = three_versions(&graph).await;
    let id = id_of(&uploads[0]);
    let before = graph.get(&format!("/me/drive/items/{id}")).await.body;

    // The ids of each label's three requests.
    for (label, ids) in crate::support::with_request_ids(
        ["4.0", "0.0", "1.5", "01.0", "abc", "5000000001", "-1.0"],
        [
            [
                "6e73e372-e233-8aca-16b1-cba95fc60262",
                "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
                "bd64a5d9-adef-e000-6c1e-186443822970",
            ],
            [
                "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
                "9e5651b0-ef95-3636-e62b-6430f1260052",
                "aeaf52fe-be70-6064-d484-a1e7c35a0b13",
            ],
            [
                "088712be-8a58-2fca-6fc5-530939fb94c3",
                "50f5647d-2380-309d-baa3-2132e1340f17",
                "943ff9fc-99de-8f03-ae9b-71a31d422e93",
            ],
            [
                "c4ca37b7-f8ad-8aff-e1ec-8deaabc4ba58",
                "6aa9d614-35db-e63e-ce63-7ffb158bdee8",
                "875b9307-abf5-5005-4ac7-8209f18552c9",
            ],
            [
                "5de186dc-ba77-9207-da27-eb19c3a2a69f",
                "808475f0-2ee3-7363-b5c7-e924acf5315b",
                "1120b3d0-0955-f032-ff49-f9357523cf3e",
            ],
            [
                "bc4075f2-ef43-1a44-ff32-a37dde1f1c11",
                "36225990-4816-818c-9491-ff89aac68f9b",
                "06ca0a95-b7e8-25c7-f4fd-ae57518e21d6",
            ],
            [
                "c80de0f9-d4d6-0e0a-c0ea-9e5112e4b595",
                "e8d7da00-1b01-81d6-d258-5f822e87ea23",
                "aac8c000-00a8-1e44-cabf-bb1d86fc26bb",
            ],
        ],
    ) {
        let requests = [
            (Method::GET, ""),
            (Method::GET, "/content"),
            (Method::POST, "/restoreVersion"),
        ];
        for ((method, suffix), expected_id) in crate::support::with_request_ids(requests, ids) {
            // Act
            let reply = graph
                .send(graph.request(
                    method.clone(),
                    &format!("/me/drive/items/{id}/versions/{label}{suffix}"),
                ))
                .await;

            // Assert
            assert_eq!(
                reply.status,
                StatusCode::NOT_FOUND,
                "{method} {label}{suffix}"
            );
            graph.assert_error(&reply, 404, "itemNotFound", "Item not found", expected_id);
        }
    }
    assert_eq!(
        graph.get(&format!("/me/drive/items/{id}")).await.body,
        before
    );
    assert_eq!(graph.version_ids(id).await, ["3.0", "2.0", "1.0"]);
}

#[tokio::test]
async fn folders_and_unknown_items_have_no_versions() {
    // Arrange
    let graph = spawn().graph().await;
    graph.upload("/dir/a.txt", b"x").await;

    let paths = [
        "/me/drive/root/versions",
        "/me/drive/root:/dir:/versions",
        "/me/drive/root:/dir:/versions/1.0",
        "/me/drive/items/123/versions",
        "/me/drive/items/not-an-id/versions",
        "/me/drive/root:/missing.txt:/versions",
    ];
    let ids = [
        "910a2dec-8902-5cc1-f320-3e9039f4a821",
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
        "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
        "bd64a5d9-adef-e000-6c1e-186443822970",
    ];
    for (path, request_id) in crate::support::with_request_ids(paths, ids) {
        // Act
        let reply = graph.get(path).await;

        // Assert
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        graph.assert_error(&reply, 404, "itemNotFound", "Item not found", request_id);
    }
    let restore = graph
        .post("/me/drive/root:/dir:/versions/1.0/restoreVersion")
        .await;
    graph.assert_error(
        &restore,
        404,
        "itemNotFound",
        "Item not found",
        "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
    );
}
