//! Graph addressing
//! (<https://learn.microsoft.com/en-us/onedrive/developer/rest-api/concepts/addressing-driveitems>):
//! every drive-root form and every item form reaches the same drive and the same item, and drives
//! that are not the caller's are refused or not found. Group and site drives are
//! `onedrive_shared_drives`'.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::graph::{at, me, DRIVE_ID, DRIVE_IN_CONTEXT, ME_ID, ROOT_ID};
use crate::support::spawn;

#[tokio::test]
async fn get_me_drive_returns_the_callers_business_drive() {
    // Arrange
    let graph = spawn().graph().await;
    graph.upload("/a.txt", b"12345").await;

    // Act
    let reply = graph.get("/me/drive").await;

    // Assert
    assert_eq!(reply.status, StatusCode::OK);
    let me = reply.body["owner"].clone();
    let user_id = me["user"]["id"].as_str().unwrap();
    let origin = graph.origin();
    assert_eq!(
        reply.body,
        json!({
            "@odata.context": format!("{origin}/v1.0/$metadata#drives/$entity"),
            "id": format!("b!{user_id}"),
            "driveType": "business",
            "name": "OneDrive",
            "description": "",
            "createdDateTime": at(0),
            "lastModifiedDateTime": at(0),
            "webUrl": format!("{origin}/personal/{user_id}/Documents"),
            "createdBy": {"user": {"displayName": "System Account"}},
            "owner": me,
            "quota": {
                "deleted": 0,
                "remaining": 1_099_511_627_776u64 - 5,
                "state": "normal",
                "total": 1_099_511_627_776u64,
                "used": 5,
            },
        })
    );
    // The identity is the caller's own: its id and email both address the caller's drive.
    for user in [
        me["user"]["id"].as_str().unwrap(),
        me["user"]["email"].as_str().unwrap(),
    ] {
        let by_user = graph.get(&format!("/users/{user}/drive")).await;
        assert_eq!(by_user.body, reply.body, "/users/{user}/drive");
    }
}

#[tokio::test]
async fn every_drive_root_form_reaches_the_callers_drive() {
    // Arrange
    let graph = spawn().graph().await;
    let drive = graph.drive().await;
    let id = drive["id"].as_str().unwrap();
    let user = drive["owner"]["user"]["id"].as_str().unwrap();
    let encoded = id.replace('!', "%21");
    let forms = [
        "/me/drive".to_owned(),
        "/drive".to_owned(),
        format!("/drives/{id}"),
        format!("/drives/{encoded}"),
        format!("/me/drives/{id}"),
        format!("/users/{user}/drive"),
        format!("/users/{user}/drives/{encoded}"),
    ];

    for form in &forms {
        // Act
        let reply = graph.get(form).await;

        // Assert
        assert_eq!(reply.status, StatusCode::OK, "{form}");
        assert_eq!(reply.body, drive, "{form}");
    }
    // `/beta` is an alias of `/v1.0`, with its own prefix in the context.
    let beta = graph
        .send(
            graph
                .app
                .client
                .get(graph.app.url("/beta/me/drive"))
                .bearer_auth(crate::support::graph::TOKEN),
        )
        .await;
    let mut expected = drive.clone();
    expected["@odata.context"] = json!(format!("{}/beta/$metadata#drives/$entity", graph.origin()));
    assert_eq!(beta.body, expected, "/beta/me/drive");
}

#[tokio::test]
async fn every_item_form_addresses_the_same_file() {
    // Arrange
    let graph = spawn().graph().await;
    let drive_id = DRIVE_ID;
    let user = ME_ID.to_owned();
    let file = graph.upload("/dir/a.txt", b"hello").await;
    let id = file["id"].as_str().unwrap();
    let dir = file["parentReference"]["id"].as_str().unwrap();
    let roots = [
        "/me/drive".to_owned(),
        "/drive".to_owned(),
        format!("/drives/{}", drive_id.replace('!', "%21")),
        format!("/users/{user}/drive"),
    ];
    let items = [
        format!("/items/{id}"),
        "/root:/dir/a.txt".to_owned(),
        "/root:/dir/a.txt:".to_owned(),
        // Names compare case-insensitively, as on the real service.
        "/root:/DIR/A.TXT:".to_owned(),
        "/items/root:/dir/a.txt:".to_owned(),
        // The Python SDK's single encoded segment.
        "/items/root%3A%2Fdir%2Fa.txt%3A".to_owned(),
        // The Rust crate's form: only `/` encoded.
        "/root:%2Fdir%2Fa.txt:".to_owned(),
        format!("/items/{dir}:/a.txt:"),
        format!("/items/{dir}:/a.txt"),
        format!("/items/{dir}%3A%2Fa.txt%3A"),
    ];

    for root in &roots {
        for item in &items {
            // Act
            let reply = graph.get(&format!("{root}{item}")).await;

            // Assert
            assert_eq!(reply.status, StatusCode::OK, "{root}{item}");
            assert_eq!(reply.body, file, "{root}{item}");
        }
    }
}

#[tokio::test]
async fn operations_follow_every_item_form() {
    // Arrange
    let graph = spawn().graph().await;
    let file = graph.upload("/dir/a.txt", b"one").await;
    graph.upload("/dir/a.txt", b"two").await;
    let id = file["id"].as_str().unwrap().to_owned();
    let versions = graph.get(&format!("/me/drive/items/{id}/versions")).await;
    let content = graph.get(&format!("/me/drive/items/{id}/content")).await;
    let forms = [
        format!("/me/drive/items/{id}"),
        "/me/drive/root:/dir/a.txt:".to_owned(),
        "/me/drive/items/root%3A%2Fdir%2Fa.txt%3A".to_owned(),
        "/me/drive/root:%2Fdir%2Fa.txt:".to_owned(),
    ];

    for form in &forms {
        // Act
        let listed = graph.get(&format!("{form}/versions")).await;
        let one = graph.get(&format!("{form}/versions/1.0")).await;
        let redirected = graph.get(&format!("{form}/content")).await;

        // Assert
        assert_eq!(listed.body, versions.body, "{form}/versions");
        assert_eq!(one.status, StatusCode::OK, "{form}/versions/1.0");
        assert_eq!(one.body["id"], "1.0", "{form}/versions/1.0");
        assert_eq!(redirected.status, StatusCode::FOUND, "{form}/content");
        assert_eq!(
            redirected.header("location"),
            content.header("location"),
            "{form}/content"
        );
    }

    // Act: a restore through the path form.
    let reply = graph
        .post("/me/drive/root:/dir/a.txt:/versions/1.0/restoreVersion")
        .await;

    // Assert
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(graph.version_ids(&id).await, ["3.0", "2.0", "1.0"]);
}

#[tokio::test]
async fn root_and_its_id_address_the_root_folder() {
    // Arrange
    let graph = spawn().graph().await;
    let me = me();
    graph.upload("/a.txt", b"abc").await;
    let root_id = ROOT_ID;

    // Act
    let reply = graph.get("/me/drive/root").await;

    // Assert
    assert_eq!(reply.status, StatusCode::OK);
    let origin = graph.origin();
    assert_eq!(
        reply.body,
        json!({
            "@odata.context": format!(
                "{origin}/v1.0/$metadata#drives('{DRIVE_IN_CONTEXT}')/items/$entity"
            ),
            "id": ROOT_ID,
            "name": "root",
            "eTag": "\"{54E5596C-54C4-4BD8-9D65-C1DE60F210A1},1\"",
            "size": 3,
            "createdDateTime": at(0),
            "lastModifiedDateTime": at(0),
            "webUrl": format!("{origin}/personal/{ME_ID}/Documents"),
            "createdBy": me,
            "lastModifiedBy": me,
            "parentReference": {"driveId": DRIVE_ID, "driveType": "business"},
            "folder": {"childCount": 1},
            "root": {},
            "fileSystemInfo": {"createdDateTime": at(0), "lastModifiedDateTime": at(0)},
        })
    );
    for form in [
        "/me/drive/items/root".to_owned(),
        "/me/drive/root:".to_owned(),
        "/me/drive/items/root:".to_owned(),
        format!("/me/drive/items/{root_id}"),
    ] {
        assert_eq!(graph.get(&form).await.body, reply.body, "{form}");
    }
}

#[tokio::test]
async fn names_with_spaces_plus_percent_and_unicode_survive_every_encoding() {
    // Arrange
    let graph = spawn().graph().await;

    // Act: the JS client's form, literal separators and `%20`.
    let created = graph
        .put(
            "/me/drive/root:/My%20Folder/a+b%25c%20%C3%BC.txt:/content",
            b"x",
        )
        .await;

    // Assert
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.body["name"], "a+b%c ü.txt", "`+` is never a space");
    assert_eq!(created.body["parentReference"]["name"], "My Folder");
    assert_eq!(
        created.body["webUrl"],
        format!(
            "{}/personal/{}/Documents/My%20Folder/a+b%25c%20%C3%BC.txt",
            graph.origin(),
            ME_ID
        )
    );
    // The Python SDK encodes the whole colon path in one segment, `+` included.
    let python = graph
        .get("/me/drive/items/root%3A%2FMy%20Folder%2Fa%2Bb%25c%20%C3%BC.txt%3A")
        .await;
    assert_eq!(python.body, created.body);
}

#[tokio::test]
async fn drives_that_are_not_the_callers_are_refused_and_unknown_ones_not_found() {
    // Arrange
    let graph = spawn().graph().await;
    let file = graph.upload("/a.txt", b"mine").await;
    let id = file["id"].as_str().unwrap();
    let stranger = graph
        .send(
            graph
                .app
                .client
                .get(graph.url("/me/drive"))
                .bearer_auth("another-token"),
        )
        .await;
    let other_drive = stranger.body["id"].as_str().unwrap();
    let cases: [(String, u16, &str); 5] = [
        (
            format!("/drives/{other_drive}/items/{id}"),
            403,
            "another user's drive: theirs alone",
        ),
        ("/drives/b!nobody/root".to_owned(), 404, "an unknown drive"),
        (
            "/users/someone-else/drive".to_owned(),
            404,
            "an unknown user",
        ),
        (
            "/users/nobody@example.com/drive/root".to_owned(),
            404,
            "an unknown login",
        ),
        (
            format!("/me/drives/{other_drive}"),
            404,
            "another drive through /me",
        ),
    ];

    for ((path, status, why), expected_id) in crate::support::with_request_ids(
        &cases,
        [
            "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
            "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
            "6e73e372-e233-8aca-16b1-cba95fc60262",
            "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
            "bd64a5d9-adef-e000-6c1e-186443822970",
        ],
    ) {
        // Act
        let reply = graph.get(path).await;

        // Assert
        assert_eq!(reply.status.as_u16(), *status, "{why}: {path}");
        match status {
            403 => graph.assert_error(&reply, 403, "accessDenied", "Access denied", expected_id),
            _ => graph.assert_error(&reply, 404, "itemNotFound", "Item not found", expected_id),
        }
    }
    // The other user cannot see this user's item either.
    let theirs = graph
        .send(
            graph
                .app
                .client
                .get(graph.url(&format!("/me/drive/items/{id}")))
                .bearer_auth("another-token"),
        )
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let mine: Value = graph.get(&format!("/me/drive/items/{id}")).await.body;
    assert_eq!(mine, file, "the owner still sees it unchanged");
}
