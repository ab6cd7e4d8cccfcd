//! Box files: reading a file (with `fields` and `If-None-Match`), downloads, and the wall between
//! the Box and Graph faces.

use std::sync::Arc;

use bytes::Bytes;
use reqwest::Method;
use restore_mock::content::Content;
use restore_mock::store::{Face, OnConflict, Space, WriteFile, WriteTarget};
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::spawn;

#[tokio::test]
async fn fields_give_type_id_etag_and_the_requested_fields_only() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "photo.jpeg", b"jpeg bytes").await;
    let user = user(&app);

    // Act
    let Reply { body, .. } = get(
        &app,
        &format!(
            "/2.0/files/{}?fields=size%2Cextension,uploader_display_name,not_a_field",
            id(&file)
        ),
    )
    .await;
    let Reply {
        status: upload_status,
        body: uploaded,
        ..
    } = send(upload_request(
        &app,
        "/api/2.0/files/content?fields=name",
        &[
            Part::attributes(r#"{"name": "b.txt", "parent": {"id": "0"}}"#),
            Part::file(b"b"),
        ],
    ))
    .await;

    // Assert: the guide's base set, not the spec's mini
    // (https://developer.box.com/guides/api-calls/request-extra-fields/).
    assert_eq!(
        body,
        json!({
            "type": "file",
            "id": id(&file),
            "etag": "0",
            "size": 10,
            "extension": "jpeg",
            "uploader_display_name": user["name"],
        })
    );
    assert_eq!(upload_status, 201);
    let new_id = id(&uploaded["entries"][0]);
    assert_eq!(
        uploaded,
        json!({"total_count": 1, "entries": [{"type": "file", "id": new_id, "etag": "0", "name": "b.txt"}]})
    );
}

#[tokio::test]
async fn if_none_match_with_the_current_etag_is_304_with_no_body() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "cached.txt", b"v1").await;
    let path = format!("/2.0/files/{}", id(&file));

    // Act
    let unchanged = request(&app, Method::GET, &path)
        .header("if-none-match", "0")
        .send()
        .await
        .unwrap();
    let stale = request(&app, Method::GET, &path)
        .header("if-none-match", "7")
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(unchanged.status(), 304);
    assert!(unchanged.headers().contains_key("box-request-id"));
    assert_eq!(unchanged.text().await.unwrap(), "");
    assert_eq!(stale.status(), 200);
    assert_eq!(stale.json::<Value>().await.unwrap(), file);
}

#[tokio::test]
async fn a_download_redirects_to_an_absolute_link_that_serves_the_current_content() {
    // Arrange
    let app = spawn().start().await;
    let first = upload(&app, "0", "data.bin", b"first").await;
    let file = upload_version(&app, id(&first), b"second").await;

    // Act
    let response = request(
        &app,
        Method::GET,
        &format!("/2.0/files/{}/content", id(&file)),
    )
    .send()
    .await
    .unwrap();

    // Assert: 302 with an absolute Location, which the TS SDK requires (`new URL(location)` in
    // https://github.com/box/box-typescript-sdk-gen/blob/main/src/networking/boxNetworkClient.ts),
    // to a signed link that does not show the version id.
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let token = location
        .strip_prefix(&app.url("/_content/"))
        .expect("a link on the emulator's own origin");
    assert!(!token.contains(id(&file["file_version"])), "{location}");
    assert_eq!(response.text().await.unwrap(), "");
    let bytes = app
        .client
        .get(&location)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&bytes[..], b"second");
}

#[tokio::test]
async fn a_download_with_version_serves_that_version_and_a_trashed_one_is_404() {
    // Arrange
    let app = spawn().start().await;
    let first = upload(&app, "0", "data.bin", b"first").await;
    let file = upload_version(&app, id(&first), b"second").await;
    let old = id(&first["file_version"]);
    let path = format!("/2.0/files/{}/content?version={old}", id(&file));

    // Act
    let before = request(&app, Method::GET, &path).send().await.unwrap();
    let location = before.headers()["location"].to_str().unwrap().to_owned();
    let old_bytes = app
        .client
        .get(&location)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let trash = request(
        &app,
        Method::DELETE,
        &format!("/2.0/files/{}/versions/{old}", id(&file)),
    )
    .send()
    .await
    .unwrap();
    let Reply {
        status: after_status,
        body: after,
        ..
    } = send(request(&app, Method::GET, &path)).await;
    let Reply {
        status: unknown_status,
        body: unknown,
        ..
    } = send(request(
        &app,
        Method::GET,
        &format!("/2.0/files/{}/content?version=42", id(&file)),
    ))
    .await;

    // Assert
    assert_eq!(before.status(), 302);
    assert_eq!(&old_bytes[..], b"first");
    assert_eq!(trash.status(), 204);
    assert_eq!(after_status, 404);
    assert_eq!(after, not_found("bz54cz2iuj32wwyx"));
    assert_eq!(unknown_status, 404);
    assert_eq!(unknown, not_found("vwg6yy95fp0e33t8"));
}

#[tokio::test]
async fn the_box_and_graph_faces_cannot_see_each_others_files() {
    // Arrange: a Graph file of the same user, put straight into the store, and a Box file.
    let app = spawn().start().await;
    let store = app.emulator.store();
    let user = store.sign_in(TOKEN).unwrap().user;
    let graph = Space::own(Face::Graph, Arc::clone(&user));
    let graph_root = store.root(&graph).unwrap().id;
    let graph_file = store
        .write_file(
            &graph,
            WriteFile {
                target: WriteTarget::Path {
                    base: graph_root,
                    segments: vec!["shared.txt".into()],
                    on_conflict: OnConflict::Fail,
                    create_parents: false,
                },
                content: Content::new(Bytes::from_static(b"graph")),
                mime_type: None,
                rename: None,
                content_created_at: None,
                content_modified_at: None,
            },
            None,
        )
        .unwrap()
        .item;
    let box_file = upload(&app, "0", "shared.txt", b"box").await;

    // Act
    let Reply { status, body, .. } = get(&app, &format!("/2.0/files/{}", graph_file.id)).await;
    let Reply {
        status: versions_status,
        ..
    } = get(&app, &format!("/2.0/files/{}/versions", graph_file.id)).await;

    // Assert: the same name in both roots did not clash, and neither face sees the other's file.
    assert_eq!(status, 404);
    assert_eq!(body, not_found("vyh6gf7h6pw8mme7"));
    assert_eq!(versions_status, 404);
    let box_id = id(&box_file).parse().unwrap();
    assert!(
        store.item(&graph, box_id).is_err(),
        "Graph cannot see the Box file"
    );
    let boxed = Space::own(Face::Box, user);
    assert!(
        store.item(&boxed, graph_file.id).is_err(),
        "Box cannot see the Graph file"
    );
}
