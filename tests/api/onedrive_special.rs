//! `/drive/special/{name}` (issue 19): the app folder made by the first access of any kind,
//! `Apps/restore-mock`; the others found at their paths, made by a write and not found before;
//! path addressing below them; the `specialFolder` facet; an unknown name refused.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::graph::{etag, me, DRIVE_ID, ME_ID};
use crate::support::{spawn, with_request_ids};

#[tokio::test]
async fn the_app_folder_is_made_by_a_read_and_shown_with_its_facet() {
    // Arrange
    let graph = spawn().graph().await;

    // Act
    let reply = graph.get("/me/drive/special/approot").await;

    // Assert: Apps (1000000002) and Apps/restore-mock (1000000003) were made.
    let origin = graph.origin();
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    assert_eq!(
        reply.body,
        json!({
            "@odata.context": format!("{origin}/v1.0/$metadata#drives('b%21{ME_ID}')/items/$entity"),
            "id": "1000000003",
            "name": "restore-mock",
            "eTag": etag("8CBE570A-3F3A-426F-BF18-7A9F65AEE4C4", 1),
            "size": 0,
            "createdDateTime": "2024-06-01T10:00:00Z",
            "lastModifiedDateTime": "2024-06-01T10:00:00Z",
            "webUrl": format!("{origin}/personal/{ME_ID}/Documents/Apps/restore-mock"),
            "createdBy": me(),
            "lastModifiedBy": me(),
            "parentReference": {
                "driveId": DRIVE_ID,
                "driveType": "business",
                "id": "1000000002",
                "name": "Apps",
                "path": format!("/drives/{DRIVE_ID}/root:/Apps"),
            },
            "folder": {"childCount": 0},
            "fileSystemInfo": {
                "createdDateTime": "2024-06-01T10:00:00Z",
                "lastModifiedDateTime": "2024-06-01T10:00:00Z",
            },
            "specialFolder": {"name": "approot"},
        })
    );
    // The same folder by path, and a second read makes nothing more.
    let by_path = graph.get("/me/drive/root:/Apps/restore-mock:").await;
    assert_eq!(by_path.body["id"], "1000000003");
    assert_eq!(by_path.body["specialFolder"], json!({"name": "approot"}));
    let again = graph.get("/me/drive/special/approot").await;
    assert_eq!(again.body["id"], "1000000003");
    assert_eq!(
        graph.get("/me/drive/root:/Apps:").await.body["folder"],
        json!({"childCount": 1})
    );
}

#[tokio::test]
async fn files_are_written_and_listed_below_the_app_folder_by_path() {
    // Arrange
    let graph = spawn().graph().await;

    // Act: the docs' first write into the app folder.
    let put = graph
        .put("/me/drive/special/approot:/state.json:/content", b"{}")
        .await;

    // Assert
    assert_eq!(put.status, StatusCode::CREATED, "{put:?}");
    assert_eq!(put.body["id"], "1000000004");
    assert_eq!(put.body["parentReference"]["id"], "1000000003");
    let children = graph.get("/me/drive/special/approot/children").await;
    assert_eq!(children.body["value"][0]["name"], "state.json");
    let by_path = graph.get("/me/drive/special/approot:/state.json:").await;
    assert_eq!(by_path.body["id"], "1000000004");
    let shared = graph.get("/groups/team/drive/special/approot").await;
    assert_eq!(shared.status, StatusCode::OK, "{shared:?}");
    assert_eq!(shared.body["specialFolder"], json!({"name": "approot"}));
}

#[tokio::test]
async fn other_special_folders_are_not_found_until_a_write_makes_them() {
    // Arrange
    let graph = spawn().graph().await;
    let before = graph.get("/me/drive/special/documents").await;
    graph.assert_error(
        &before,
        404,
        "itemNotFound",
        "Item not found",
        "e220a839-7b1d-cdaf-e4d9-71771b652c20",
    );

    // Act: a folder made inside makes Documents first.
    let made = graph
        .post_json(
            "/me/drive/special/documents/children",
            json!({"name": "Letters", "folder": {}}),
        )
        .await;

    // Assert
    assert_eq!(made.status, StatusCode::CREATED, "{made:?}");
    let documents = graph.get("/me/drive/special/documents").await;
    assert_eq!(documents.status, StatusCode::OK, "{documents:?}");
    assert_eq!(documents.body["name"], "Documents");
    assert_eq!(
        documents.body["specialFolder"],
        json!({"name": "documents"})
    );
    // Camera Roll sits in Pictures, which is the photos folder.
    graph.upload("/Pictures/Camera Roll/img.jpg", b"jpg").await;
    for (name, path) in [("photos", "Pictures"), ("cameraroll", "Camera Roll")] {
        let reply = graph.get(&format!("/me/drive/special/{name}")).await;
        assert_eq!(reply.body["name"], path, "{name}");
        assert_eq!(reply.body["specialFolder"], json!({"name": name}), "{name}");
    }
}

#[tokio::test]
async fn an_unknown_special_folder_is_refused() {
    // Arrange
    let graph = spawn().graph().await;
    // (method, path, why)
    let cases = [
        (Method::GET, "/me/drive/special/nope", "an unknown name"),
        (
            Method::GET,
            "/me/drive/special/nope/children",
            "below an unknown name",
        ),
    ];
    let ids = [
        "e220a839-7b1d-cdaf-e4d9-71771b652c20",
        "910a2dec-8902-5cc1-f320-3e9039f4a821",
    ];
    for ((method, path, why), request_id) in with_request_ids(cases, ids) {
        // Act
        let reply = graph.send(graph.request(method, path)).await;

        // Assert
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{why}: {reply:?}");
        graph.assert_error(
            &reply,
            400,
            "invalidRequest",
            "The path segment 'nope' is not a valid item path.",
            request_id,
        );
    }
}
