//! What a change to a Box user does where others see them: a deleted user's collaborations go
//! with them (the items they were on no longer list them, nor say they have collaborations), and
//! a renamed user's new name shows in every user mini that names them (a mini is a reference to
//! the user, not a copy).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::box_collaborations::{
    as_user, collab_json, collaborate, folder_mini, grantee, on_folder, shared_folder, who, BOB,
    EVE,
};
use crate::box_users::{call, ccg, restart, temp_dir};
use crate::support::box_api::*;
use crate::support::{spawn, TestApp};

/// An item's collaborations as the owner lists them, and its `has_collaborations`.
async fn collaborations(app: &TestApp, kind: &str, id: &str) -> (Value, Value) {
    let listed = get(app, &format!("/2.0/{kind}s/{id}/collaborations")).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let flagged = get(app, &format!("/2.0/{kind}s/{id}?fields=has_collaborations")).await;
    assert_eq!(flagged.status, StatusCode::OK, "{}", flagged.body);
    (listed.body, flagged.body["has_collaborations"].clone())
}

fn page(entries: Vec<Value>) -> Value {
    json!({"entries": entries, "limit": 100, "next_marker": null, "total_count": entries.len()})
}

/// The owner's folder `Shared` with `a.txt`, and the file `b.txt` in their root; Bob a viewer on
/// the folder and an editor on `b.txt`, Eve a viewer on the folder: `(folder, b.txt, Bob, Eve)`.
async fn collaborated(app: &TestApp) -> (String, String, Value, Value) {
    let (f, _) = shared_folder(app).await;
    let b = upload(app, "0", "b.txt", b"bee").await;
    let b = id(&b).to_owned();
    let (bob, eve) = (who(app, BOB).await, who(app, EVE).await);
    let on_file = json!({"item": {"type": "file", "id": b},
                         "accessible_by": {"type": "user", "id": bob.0}, "role": "editor"});
    for body in [
        on_folder(&f, &bob.2, "viewer"),
        on_folder(&f, &eve.2, "viewer"),
        on_file,
    ] {
        let made = collaborate(app, body).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    }
    (f, b, grantee(&bob), grantee(&eve))
}

#[tokio::test]
async fn a_deleted_users_collaborations_go_with_them() {
    // Arrange
    let app = spawn().start().await;
    let (f, b, bob, eve) = collaborated(&app).await;
    let admin = ccg(&app, None).await;
    let bob_id = bob["id"].as_str().unwrap().to_owned();
    let before = (
        collaborations(&app, "folder", &f).await,
        collaborations(&app, "file", &b).await,
    );

    // Act
    let deleted = send(call(
        &app,
        &admin,
        Method::DELETE,
        &format!("/2.0/users/{bob_id}"),
    ))
    .await;

    // Assert: 204; the folder lists Eve alone, the file nobody and has none.
    let version = get(&app, &format!("/2.0/files/{b}")).await.body["file_version"].clone();
    let file_mini = json!({"type": "file", "id": b, "sequence_id": "0", "etag": "0", "name": "b.txt",
                           "sha1": sha1(b"bee"), "file_version": version});
    let bobs_on_folder = collab_json(&app, "1", bob.clone(), "viewer", folder_mini(&f, "Shared"));
    let eves = collab_json(&app, "2", eve, "viewer", folder_mini(&f, "Shared"));
    let bobs_on_file = collab_json(&app, "3", bob, "editor", file_mini);
    assert_eq!(
        before,
        (
            (page(vec![bobs_on_folder, eves.clone()]), json!(true)),
            (page(vec![bobs_on_file]), json!(true))
        )
    );
    assert_eq!(
        (deleted.status, deleted.text()),
        (StatusCode::NO_CONTENT, String::new())
    );
    assert_eq!(
        (
            collaborations(&app, "folder", &f).await,
            collaborations(&app, "file", &b).await
        ),
        (
            (page(vec![eves]), json!(true)),
            (page(vec![]), json!(false))
        )
    );
    for id in ["1", "3"] {
        let gone = get(&app, &format!("/2.0/collaborations/{id}")).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{id}: {}", gone.body);
    }
    let eves_still = as_user(&app, EVE, Method::GET, &format!("/2.0/folders/{f}"), None).await;
    assert_eq!(eves_still.status, StatusCode::OK, "{}", eves_still.body);
}

#[tokio::test]
async fn a_deleted_users_collaborations_stay_gone_after_a_restart() {
    // Arrange: the same collaborations on a data dir, Bob deleted, then a restart.
    let dir = temp_dir();
    let app = spawn().data_dir(&dir.0).start().await;
    let (f, b, bob, _) = collaborated(&app).await;
    let admin = ccg(&app, None).await;
    let path = format!("/2.0/users/{}", bob["id"].as_str().unwrap());
    let deleted = send(call(&app, &admin, Method::DELETE, &path)).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let before = (
        collaborations(&app, "folder", &f).await,
        collaborations(&app, "file", &b).await,
    );
    drop(app);

    // Act
    let app = restart(|| spawn().data_dir(&dir.0)).await;

    // Assert: read back as it was left, Eve's alone on the folder.
    let after = (
        collaborations(&app, "folder", &f).await,
        collaborations(&app, "file", &b).await,
    );
    assert_eq!(after, before);
    assert_eq!(after.0 .0["total_count"], 1);
    assert_eq!(after.1, (page(vec![]), json!(false)));
}
