//! Box's trash of whole files and folders: delete to the trash, read it there, list it, restore
//! (to where it was, or elsewhere when that folder is gone), purge, and how a trashed file's other
//! routes answer.

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::spawn;
use crate::support::TestApp;

/// 30 days after `NOW`: when a trashed item would be purged.
const PURGE_AT: &str = "2024-07-01T10:00:00+00:00";

fn trashed_error(request_id: &str) -> Value {
    error_json(request_id, 404, "trashed", "Item is trashed", None)
}

async fn delete(app: &TestApp, path: &str) -> crate::support::Reply {
    send(request(app, Method::DELETE, path)).await
}

/// A file's JSON as it is in the trash.
fn in_trash(mut file: Value, etag: u64) -> Value {
    file["etag"] = json!(etag.to_string());
    file["sequence_id"] = json!(etag.to_string());
    file["trashed_at"] = json!(at(0));
    file["purged_at"] = json!(PURGE_AT);
    file["item_status"] = json!("trashed");
    file
}

#[tokio::test]
async fn a_deleted_file_goes_to_the_trash_frees_its_name_and_is_listed_there() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let file = upload_version(&app, id(&file), b"two").await;
    let f = id(&file).to_owned();

    // Act
    let Reply { status, body, .. } = delete(&app, &format!("/2.0/files/{f}")).await;

    // Assert: gone from its folder, readable in the trash, its name free again.
    assert_eq!(
        (status, body),
        (reqwest::StatusCode::NO_CONTENT, Value::Null)
    );
    // Its own route reads it as the trash does (box_sdk_gen's test/trashed_files.py).
    let Reply { status, body, .. } = get(&app, &format!("/2.0/files/{f}")).await;
    assert_eq!(status, 200);
    assert_eq!(body, in_trash(file.clone(), 2));
    let Reply {
        status,
        body: trashed,
        ..
    } = get(&app, &format!("/2.0/files/{f}/trash")).await;
    assert_eq!(status, 200);
    assert_eq!(trashed, in_trash(file.clone(), 2));
    assert_file_shape(&trashed);
    let Reply {
        status,
        body: listed,
        ..
    } = get(&app, "/2.0/folders/trash/items").await;
    assert_eq!(status, 200);
    assert_eq!(
        listed,
        json!({"total_count": 1, "entries": [trashed], "offset": 0, "limit": 100})
    );
    let again = upload(&app, "0", "a.txt", b"new file").await;
    assert_ne!(id(&again), f);
}

#[tokio::test]
async fn a_restored_file_comes_back_where_it_was_with_every_version() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let file = upload_version(&app, id(&file), b"two").await;
    let f = id(&file).to_owned();
    let versions_before = list_versions(&app, &f).await;
    delete(&app, &format!("/2.0/files/{f}")).await;

    // Act: the SDK sends `{}` when restoring in place.
    let Reply {
        status,
        body: restored,
        ..
    } = send_json(&app, Method::POST, &format!("/2.0/files/{f}"), json!({})).await;

    // Assert: one change for the trash, one for the restore.
    assert_eq!(status, 201, "{restored}");
    let mut expected = file.clone();
    expected["etag"] = json!("3");
    expected["sequence_id"] = json!("3");
    assert_eq!(restored, expected);
    assert_file_shape(&restored);
    assert_eq!(get(&app, &format!("/2.0/files/{f}")).await.body, expected);
    assert_eq!(list_versions(&app, &f).await, versions_before);
    let Reply { body: listed, .. } = get(&app, "/2.0/folders/trash/items").await;
    assert_eq!(listed["total_count"], 0);
}

#[tokio::test]
async fn a_restore_onto_a_taken_name_is_409_and_may_rename() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    delete(&app, &format!("/2.0/files/{f}")).await;
    let taker = upload(&app, "0", "A.TXT", b"other").await;

    // Act
    let Reply { status, body, .. } =
        send_json(&app, Method::POST, &format!("/2.0/files/{f}"), json!({})).await;
    let Reply {
        status: renamed_status,
        body: renamed,
        ..
    } = send_json(
        &app,
        Method::POST,
        &format!("/2.0/files/{f}"),
        json!({"name": "b.txt"}),
    )
    .await;

    // Assert: the clash names the item in the way, as an upload's does
    // (https://github.com/syndesisio/syndesis/issues/5233).
    assert_eq!(status, 409);
    let conflict = json!({
        "type": "file", "id": id(&taker), "file_version": taker["file_version"],
        "sequence_id": "0", "etag": "0", "sha1": sha1(b"other"), "name": "A.TXT",
    });
    assert_eq!(body, name_in_use("jy7327635gmk3m5w", conflict));
    assert_eq!(renamed_status, 201, "{renamed}");
    assert_eq!(renamed["name"], "b.txt");
    assert_eq!(renamed["item_status"], "active");
    assert_eq!(
        get(&app, &format!("/2.0/files/{f}")).await.body["name"],
        "b.txt"
    );
}

#[tokio::test]
async fn a_restore_uses_the_given_parent_only_when_the_original_folder_is_gone() {
    // Arrange: x.txt in folder F, then x.txt to the trash, then F too.
    let app = spawn().start().await;
    let folder = create_folder(&app, "0", "F").await;
    let folder_id = id(&folder).to_owned();
    let other = create_folder(&app, "0", "G").await;
    let x = upload(&app, &folder_id, "x.txt", b"x").await;
    let x_id = id(&x).to_owned();
    delete(&app, &format!("/2.0/files/{x_id}")).await;
    let restore = |body: Value| {
        let path = format!("/2.0/files/{x_id}");
        let app = &app;
        async move { send_json(app, Method::POST, &path, body).await }
    };

    // Act and Assert: while F is there, `parent` is ignored
    // (https://developer.box.com/reference/post-files-id/).
    let Reply {
        status, body: back, ..
    } = restore(json!({"parent": {"id": id(&other)}})).await;
    assert_eq!(status, 201);
    assert_eq!(back["parent"]["id"], folder_id.as_str());
    let Reply { status, body, .. } = delete(&app, &format!("/2.0/folders/{folder_id}")).await;
    assert_eq!(status, 400, "F holds x.txt again: {body}");
    assert_eq!(
        body,
        error_json(
            "bz54cz2iuj32wwyx",
            400,
            "folder_not_empty",
            "Cannot delete – folder not empty",
            None
        )
    );
    delete(&app, &format!("/2.0/files/{x_id}")).await;
    // With x.txt in the trash F is empty: no `recursive` needed, as rclone's `rmdir` after
    // `delete` sends it (`DELETE /2.0/folders/{id}?recursive=false`).
    let Reply { status, .. } =
        delete(&app, &format!("/2.0/folders/{folder_id}?recursive=false")).await;
    assert_eq!(status, 204);
    let Reply { status, body, .. } = restore(json!({})).await;
    assert_eq!(status, 403);
    assert_eq!(body, insufficient_permission("ispcx3sevmwf24kd"));
    let Reply {
        status, body: back, ..
    } = restore(json!({"parent": {"id": "0"}})).await;
    assert_eq!(status, 201, "{back}");
    assert_eq!(back["parent"], root_mini());
    assert_eq!(back["path_collection"]["entries"], json!([root_mini()]));
}

#[tokio::test]
async fn a_purged_file_is_gone_with_its_versions_and_download_links() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let first = id(&file["file_version"]).to_owned();
    upload_version(&app, &f, b"two").await;
    let link = request(
        &app,
        Method::GET,
        &format!("/2.0/files/{f}/content?version={first}"),
    )
    .send()
    .await
    .unwrap()
    .headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    let fetch = |url: String| {
        let client = app.client.clone();
        async move { client.get(url).send().await.unwrap().status() }
    };
    assert_eq!(fetch(link.clone()).await, 200);

    // Act
    delete(&app, &format!("/2.0/files/{f}")).await;
    let while_trashed = fetch(link.clone()).await;
    let Reply { status, body, .. } = delete(&app, &format!("/2.0/files/{f}/trash")).await;

    // Assert: a trashed file serves no bytes; a purged one is not found anywhere.
    assert_eq!(while_trashed, 404);
    assert_eq!(
        (status, body),
        (reqwest::StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(fetch(link).await, 404);
    let cases = [
        (Method::GET, format!("/2.0/files/{f}")),
        (Method::GET, format!("/2.0/files/{f}/trash")),
        (Method::POST, format!("/2.0/files/{f}")),
        (Method::DELETE, format!("/2.0/files/{f}/trash")),
        (Method::GET, format!("/2.0/files/{f}/versions/{first}")),
    ];
    let ids = [
        "ispcx3sevmwf24kd",
        "5nsjyz48o9wragcz",
        "auz3cuf5o5pf3leh",
        "ov3gk4eju4ge2rac",
        "oinuhub5cwlx1v41",
    ];
    for ((method, path), request_id) in crate::support::with_request_ids(cases, ids) {
        let Reply { status, body, .. } = send(request(&app, method.clone(), &path)).await;
        assert_eq!(status, 404, "{method} {path}");
        assert_eq!(body, not_found(request_id), "{method} {path}");
    }
    let Reply { body: listed, .. } = get(&app, "/2.0/folders/trash/items").await;
    assert_eq!(listed["total_count"], 0);
}

#[tokio::test]
async fn a_trashed_files_other_routes_answer_404_trashed() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let first = id(&file["file_version"]).to_owned();
    let file = upload_version(&app, &f, b"two").await;
    let current = id(&file["file_version"]).to_owned();
    delete(&app, &format!("/2.0/files/{f}")).await;
    let promote = json!({"type": "file_version", "id": first});
    let new_version = upload_request(
        &app,
        &format!("/api/2.0/files/{f}/content"),
        &[Part::attributes("{}"), Part::file(b"three")],
    );
    // Its info answers as the trash does (box_sdk_gen's test/trashed_files.py).
    let Reply { status, body, .. } = get(&app, &format!("/2.0/files/{f}")).await;
    assert_eq!(status, 200);
    assert_eq!(body["item_status"], "trashed");
    // Every other route that reaches the file through its id, not the trash's.
    let cases = [
        (
            "download",
            request(&app, Method::GET, &format!("/2.0/files/{f}/content")),
        ),
        (
            "versions",
            request(&app, Method::GET, &format!("/2.0/files/{f}/versions")),
        ),
        (
            "one version",
            request(
                &app,
                Method::GET,
                &format!("/2.0/files/{f}/versions/{first}"),
            ),
        ),
        (
            "trash a version",
            request(
                &app,
                Method::DELETE,
                &format!("/2.0/files/{f}/versions/{first}"),
            ),
        ),
        (
            "restore a version",
            request(
                &app,
                Method::PUT,
                &format!("/2.0/files/{f}/versions/{first}"),
            )
            .json(&json!({"trashed_at": null})),
        ),
        (
            "promote",
            request(
                &app,
                Method::POST,
                &format!("/2.0/files/{f}/versions/current"),
            )
            .json(&promote),
        ),
        ("new version", new_version),
        (
            "rename",
            request(&app, Method::PUT, &format!("/2.0/files/{f}")).json(&json!({"name": "b.txt"})),
        ),
        (
            "delete again",
            request(&app, Method::DELETE, &format!("/2.0/files/{f}")),
        ),
    ];

    for ((case, builder), expected_id) in crate::support::with_request_ids(
        cases,
        [
            "d95it76emao82qkv",
            "bz54cz2iuj32wwyx",
            "vwg6yy95fp0e33t8",
            "ycktnh30wucomkh9",
            "ispcx3sevmwf24kd",
            "5nsjyz48o9wragcz",
            "auz3cuf5o5pf3leh",
            "ov3gk4eju4ge2rac",
            "oinuhub5cwlx1v41",
        ],
    ) {
        // Act
        let Reply { status, body, .. } = send(builder).await;

        // Assert
        assert_eq!(status, 404, "{case}: {body}");
        assert_eq!(body, trashed_error(expected_id), "{case}");
    }
    let Reply { body: trashed, .. } = get(&app, &format!("/2.0/files/{f}/trash")).await;
    assert_eq!(
        trashed["file_version"]["id"],
        current.as_str(),
        "nothing changed"
    );
    assert_eq!(trashed["etag"], "2");
}

#[tokio::test]
async fn a_delete_with_a_stale_if_match_is_412_and_keeps_the_file() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    upload_version(&app, &f, b"two").await;

    // Act
    let stale = request(&app, Method::DELETE, &format!("/2.0/files/{f}")).header("if-match", "0");
    let Reply { status, body, .. } = send(stale).await;
    let fresh = request(&app, Method::DELETE, &format!("/2.0/files/{f}")).header("if-match", "1");
    let Reply {
        status: fresh_status,
        ..
    } = send(fresh).await;

    // Assert
    assert_eq!(status, 412);
    assert_eq!(body, precondition_failed("1iqybveasnwi9py5"));
    assert_eq!(fresh_status, 204);
    assert_eq!(
        get(&app, &format!("/2.0/files/{f}/trash")).await.status,
        200
    );
}

#[tokio::test]
async fn a_trashed_folder_takes_its_contents_along_and_brings_them_back() {
    // Arrange
    let app = spawn().start().await;
    let folder = create_folder(&app, "0", "F").await;
    let d = id(&folder).to_owned();
    let inner = upload(&app, &d, "in.txt", b"inside").await;
    let i = id(&inner).to_owned();

    // Act
    let Reply { status, .. } = delete(&app, &format!("/2.0/folders/{d}?recursive=true")).await;

    // Assert: the folder is in the trash; what it holds is out of reach, and not itself trashed.
    assert_eq!(status, 204);
    let Reply {
        status,
        body: trashed,
        ..
    } = get(&app, &format!("/2.0/folders/{d}/trash")).await;
    assert_eq!(status, 200);
    assert_eq!(trashed["item_status"], "trashed");
    assert_eq!(trashed["trashed_at"], at(0));
    assert_eq!(trashed["purged_at"], PURGE_AT);
    let Reply { status, body, .. } = get(&app, &format!("/2.0/folders/{d}")).await;
    assert_eq!(
        (status, body.clone()),
        (
            reqwest::StatusCode::NOT_FOUND,
            trashed_error("d95it76emao82qkv")
        )
    );
    let Reply { status, body, .. } = get(&app, &format!("/2.0/files/{i}")).await;
    assert_eq!(
        (status, body.clone()),
        (
            reqwest::StatusCode::NOT_FOUND,
            trashed_error("bz54cz2iuj32wwyx")
        )
    );
    let Reply { status, body, .. } = get(&app, &format!("/2.0/files/{i}/trash")).await;
    assert_eq!(
        (status, body.clone()),
        (
            reqwest::StatusCode::NOT_FOUND,
            not_found("vwg6yy95fp0e33t8")
        )
    );
    let Reply { body: listed, .. } = get(&app, "/2.0/folders/trash/items").await;
    assert_eq!(listed["entries"], json!([trashed]));

    // Act: restore, then trash and purge.
    let Reply {
        status, body: back, ..
    } = send_json(&app, Method::POST, &format!("/2.0/folders/{d}"), json!({})).await;

    // Assert
    assert_eq!(status, 201, "{back}");
    assert_eq!(back["item_status"], "active");
    // The folder changed twice (trash, restore); the file not at all.
    let mut folder_mini = inner["parent"].clone();
    folder_mini["etag"] = json!("2");
    folder_mini["sequence_id"] = json!("2");
    let mut expected = inner.clone();
    expected["path_collection"]["entries"][1] = folder_mini.clone();
    expected["parent"] = folder_mini;
    assert_eq!(get(&app, &format!("/2.0/files/{i}")).await.body, expected);
    delete(&app, &format!("/2.0/folders/{d}?recursive=true")).await;
    let Reply { status, .. } = delete(&app, &format!("/2.0/folders/{d}/trash")).await;
    assert_eq!(status, 204);
    let Reply { status, body, .. } = get(&app, &format!("/2.0/files/{i}")).await;
    assert_eq!(
        (status, body.clone()),
        (
            reqwest::StatusCode::NOT_FOUND,
            not_found("oinuhub5cwlx1v41")
        )
    );
}

#[tokio::test]
async fn trash_routes_refuse_what_is_not_in_the_trash() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let folder = create_folder(&app, "0", "F").await;
    let d = id(&folder).to_owned();
    let cases = [
        (
            "a live file's trash entry",
            Method::GET,
            format!("/2.0/files/{f}/trash"),
        ),
        (
            "restoring a live file",
            Method::POST,
            format!("/2.0/files/{f}"),
        ),
        (
            "purging a live file",
            Method::DELETE,
            format!("/2.0/files/{f}/trash"),
        ),
        (
            "a folder id on the file routes",
            Method::DELETE,
            format!("/2.0/files/{d}"),
        ),
        (
            "a file id on the folder routes",
            Method::DELETE,
            format!("/2.0/folders/{f}"),
        ),
        (
            "the root folder",
            Method::DELETE,
            "/2.0/folders/0".to_owned(),
        ),
        (
            "an unknown file",
            Method::DELETE,
            "/2.0/files/999".to_owned(),
        ),
    ];

    for ((case, method, path), expected_id) in crate::support::with_request_ids(
        cases,
        [
            "1iqybveasnwi9py5",
            "jy7327635gmk3m5w",
            "d95it76emao82qkv",
            "bz54cz2iuj32wwyx",
            "vwg6yy95fp0e33t8",
            "ycktnh30wucomkh9",
            "ispcx3sevmwf24kd",
        ],
    ) {
        // Act
        let Reply { status, body, .. } = send(request(&app, method, &path)).await;

        // Assert
        assert_eq!(status, 404, "{case}: {body}");
        assert_eq!(body, not_found(expected_id), "{case}");
    }
    assert_eq!(get(&app, &format!("/2.0/files/{f}")).await.body, file);
}

#[tokio::test]
async fn the_trash_survives_an_export_and_a_reload() {
    // Arrange
    let app = spawn().start().await;
    let gone = upload(&app, "0", "a.txt", b"one").await;
    delete(&app, &format!("/2.0/files/{}", id(&gone))).await;
    let kept = upload(&app, "0", "a.txt", b"kept").await;
    let exported = app
        .client
        .get(app.url("/__admin/state"))
        .send()
        .await
        .unwrap();
    let exported: Value = exported.json().await.unwrap();
    let other = spawn().start().await;

    // Act
    let loaded = other
        .client
        .post(other.url("/__admin/fixtures"))
        .json(&exported)
        .send()
        .await
        .unwrap();

    // Assert: the same trashed file beside the live one of the same name.
    assert_eq!(loaded.status(), 200);
    let Reply {
        status,
        body: trashed,
        ..
    } = get(&other, &format!("/2.0/files/{}/trash", id(&gone))).await;
    assert_eq!(status, 200);
    assert_eq!(trashed, in_trash(gone.clone(), 1));
    assert_eq!(
        get(&other, &format!("/2.0/files/{}", id(&kept))).await.body,
        kept
    );
    let reexported: Value = (other.client.get(other.url("/__admin/state")).send().await)
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(reexported, exported);
}
