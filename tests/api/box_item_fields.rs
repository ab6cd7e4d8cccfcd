//! `fields` on folders as on files: a folder's create, read and update honour it, and the
//! full-only fields clients ask for (`permissions`, `tags`, `is_externally_owned`,
//! `has_collaborations`, `lock`, …) are rendered as Box's OpenAPI types them (`File--Full`,
//! `Folder--Full`).

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::box_api::*;
use crate::support::spawn;

const INVITEE_ROLES: [&str; 7] = [
    "editor",
    "viewer",
    "previewer",
    "uploader",
    "previewer uploader",
    "viewer uploader",
    "co-owner",
];

#[tokio::test]
async fn a_folders_create_read_and_update_honour_fields_with_the_full_only_ones() {
    // Arrange
    let app = spawn().start().await;
    let asked = "name,description,item_status,shared_link,permissions,tags,is_externally_owned,\
                 has_collaborations,sync_state,allowed_shared_link_access_levels,\
                 allowed_invitee_roles,can_non_owners_invite,is_accessible_via_shared_link";
    let full = |id: &str, name: &str, etag: &str| {
        json!({
            "type": "folder", "id": id, "etag": etag, "name": name, "description": "",
            "item_status": "active", "shared_link": null,
            "permissions": {
                "can_delete": true, "can_download": true, "can_invite_collaborator": true,
                "can_rename": true, "can_set_share_access": true, "can_share": true,
                "can_upload": true,
            },
            "tags": [], "is_externally_owned": false, "has_collaborations": false,
            "sync_state": "not_synced",
            "allowed_shared_link_access_levels": ["open", "company", "collaborators"],
            "allowed_invitee_roles": INVITEE_ROLES, "can_non_owners_invite": true,
            "is_accessible_via_shared_link": false,
        })
    };

    // Act
    let created = send(
        request(&app, Method::POST, &format!("/2.0/folders?fields={asked}"))
            .json(&json!({"name": "Reports", "parent": {"id": "0"}})),
    )
    .await;
    let d = id(&created.body).to_owned();
    let read = get(&app, &format!("/2.0/folders/{d}?fields={asked}")).await;
    let updated = send(
        request(
            &app,
            Method::PUT,
            &format!("/2.0/folders/{d}?fields=name,tags"),
        )
        .json(&json!({"name": "Q3"})),
    )
    .await;
    let plain_update = send_json(&app, Method::PUT, &format!("/2.0/folders/{d}"), json!({})).await;

    // Assert
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.body, full(&d, "Reports", "0"));
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body, full(&d, "Reports", "0"));
    assert_eq!(updated.status, StatusCode::OK);
    assert_eq!(
        updated.body,
        json!({"type": "folder", "id": d, "etag": "1", "name": "Q3", "tags": []})
    );
    assert_permissions_shape(&read.body["permissions"], false);
    // Without `fields`, the standard folder: no full-only field.
    assert_eq!(plain_update.status, StatusCode::OK);
    assert!(
        plain_update.body.get("permissions").is_none(),
        "{}",
        plain_update.body
    );
    assert_eq!(plain_update.body["name"], "Q3");
    assert_folder_shape(&plain_update.body);
}

#[tokio::test]
async fn the_roots_full_fields_allow_no_sharing_renaming_or_deleting() {
    // Arrange
    let app = spawn().start().await;

    // Act
    let Reply { status, body, .. } = get(
        &app,
        "/2.0/folders/0?fields=permissions,allowed_shared_link_access_levels,allowed_invitee_roles",
    )
    .await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "type": "folder", "id": "0", "etag": null,
            "permissions": {
                "can_delete": false, "can_download": true, "can_invite_collaborator": false,
                "can_rename": false, "can_set_share_access": false, "can_share": false,
                "can_upload": true,
            },
            "allowed_shared_link_access_levels": [],
            "allowed_invitee_roles": [],
        })
    );
}

#[tokio::test]
async fn a_files_full_only_fields_are_rendered_when_asked_for() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();

    // Act
    let Reply { status, body, .. } = get(
        &app,
        &format!(
            "/2.0/files/{f}?fields=permissions,lock,tags,comment_count,is_package,\
             is_externally_owned,has_collaborations,allowed_invitee_roles"
        ),
    )
    .await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert_permissions_shape(&body["permissions"], true);
    assert_eq!(
        body,
        json!({
            "type": "file", "id": f, "etag": "0",
            "permissions": {
                "can_download": true, "can_preview": true, "can_upload": true,
                "can_comment": true, "can_rename": true, "can_delete": true, "can_share": true,
                "can_set_share_access": true, "can_invite_collaborator": true,
                "can_annotate": true, "can_view_annotations_all": true,
                "can_view_annotations_self": true,
            },
            "lock": null, "tags": [], "comment_count": 0, "is_package": false,
            "is_externally_owned": false, "has_collaborations": false,
            "allowed_invitee_roles": INVITEE_ROLES,
        })
    );
}
