//! What a change to a Box user does where others see them: a deleted user's collaborations go
//! with them (the items they were on no longer list them, nor say they have collaborations), and
//! a renamed user's new name shows in every user mini that names them (a mini is a reference to
//! the user, not a copy), and in every Graph identity set too.

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
    let app = spawn().data_dir(dir.to_path_buf()).start().await;
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
    let app = restart(|| spawn().data_dir(dir.to_path_buf())).await;

    // Assert: read back as it was left, Eve's alone on the folder.
    let after = (
        collaborations(&app, "folder", &f).await,
        collaborations(&app, "file", &b).await,
    );
    assert_eq!(after, before);
    assert_eq!(after.0 .0["total_count"], 1);
    assert_eq!(after.1, (page(vec![]), json!(false)));
}

/// Everything that names the owner or Bob on the owner's file `a.txt` in `Shared` (two versions,
/// a comment, Bob collaborating on the folder): the file, its versions, its comments, the folder's
/// collaborations, as the owner reads them; and the file as Bob reads it.
async fn minis(app: &TestApp, f: &str, a: &str) -> Vec<Value> {
    let mut read = Vec::new();
    for path in [
        format!("/2.0/files/{a}"),
        format!("/2.0/files/{a}/versions"),
        format!("/2.0/files/{a}/comments"),
        format!("/2.0/folders/{f}/collaborations"),
    ] {
        let reply = get(app, &path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
        read.push(reply.body);
    }
    let bobs = as_user(app, BOB, Method::GET, &format!("/2.0/files/{a}"), None).await;
    assert_eq!(bobs.status, StatusCode::OK, "{}", bobs.body);
    read.push(bobs.body);
    read
}

/// The owner's file with two versions and a comment, Bob a viewer on its folder: `(folder,
/// file, the owner's mini, Bob as `who` gives him)`.
async fn named(app: &TestApp) -> (String, String, Value, (String, String, String)) {
    let (f, a) = shared_folder(app).await;
    upload_version(app, &a, b"hello again").await;
    let comment = json!({"item": {"type": "file", "id": a}, "message": "a note"});
    let commented = send_json(app, Method::POST, "/2.0/comments", comment).await;
    assert_eq!(commented.status, StatusCode::CREATED, "{}", commented.body);
    let bob = who(app, BOB).await;
    let made = collaborate(app, on_folder(&f, &bob.2, "viewer")).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    (f, a, user(app), bob)
}

/// The admin renames the owner "Olive Owner" and Bob "Bob Renamed": the replies.
async fn rename(app: &TestApp, owner: &Value, bob: &(String, String, String)) -> Vec<Reply> {
    let admin = ccg(app, None).await;
    let mut renamed = Vec::new();
    for (id, name) in [
        (owner["id"].as_str().unwrap(), "Olive Owner"),
        (bob.0.as_str(), "Bob Renamed"),
    ] {
        let path = format!("/2.0/users/{id}");
        renamed
            .push(send(call(app, &admin, Method::PUT, &path).json(&json!({"name": name}))).await);
    }
    renamed
}

#[tokio::test]
async fn a_renamed_user_is_shown_by_their_new_name_wherever_a_mini_names_them() {
    // Arrange
    let app = spawn().start().await;
    let (f, a, owner, bob) = named(&app).await;
    let before = minis(&app, &f, &a).await;

    // Act: the admin renames the owner and Bob.
    let renamed = rename(&app, &owner, &bob).await;
    let after = minis(&app, &f, &a).await;

    // Assert: each rename answered with the new name; then every read is the same but for the
    // names: the owner's on the file, its versions, comment and the collaboration it made, and
    // Bob's as the collaborator.
    for (reply, name) in renamed.iter().zip(["Olive Owner", "Bob Renamed"]) {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.body["name"], name);
    }
    let old_owner = owner["name"].as_str().unwrap();
    for (read, what) in before.iter().zip([
        "file",
        "versions",
        "comments",
        "collaborations",
        "file (Bob)",
    ]) {
        assert!(
            read.to_string().contains(old_owner),
            "{what} names the owner: {read}"
        );
    }
    assert!(
        before[3].to_string().contains(&bob.1),
        "the collaboration names Bob"
    );
    let expected: Vec<Value> = (before.iter())
        .map(|read| {
            let text = (read.to_string())
                .replace(old_owner, "Olive Owner")
                .replace(&bob.1, "Bob Renamed");
            serde_json::from_str(&text).unwrap()
        })
        .collect();
    assert_eq!(after, expected);
}

#[tokio::test]
async fn a_renamed_users_new_name_is_shown_after_a_restart_too() {
    // Arrange: the same, on a data dir, renamed, then a restart.
    let dir = temp_dir();
    let app = spawn().data_dir(dir.to_path_buf()).start().await;
    let (f, a, owner, bob) = named(&app).await;
    let renamed = rename(&app, &owner, &bob).await;
    assert!(renamed.iter().all(|reply| reply.status == StatusCode::OK));
    let before = minis(&app, &f, &a).await;
    drop(app);

    // Act
    let app = restart(|| spawn().data_dir(dir.to_path_buf())).await;
    let after = minis(&app, &f, &a).await;

    // Assert: read back as it was shown, with the new names.
    assert_eq!(after, before);
    let text = Value::from(after).to_string();
    assert!(
        text.contains("Olive Owner") && text.contains("Bob Renamed"),
        "{text}"
    );
    assert!(!text.contains(owner["name"].as_str().unwrap()), "{text}");
}

#[tokio::test]
async fn a_user_renamed_through_box_is_shown_by_their_new_name_on_the_graph_face_too() {
    // Arrange: a Graph file of two versions, by the Graph test user.
    let graph = spawn().graph().await;
    let file = graph.upload("/a.txt", b"one").await;
    graph.upload("/a.txt", b"two").await;
    let item = format!("/me/drive/items/{}", file["id"].as_str().unwrap());
    let versions = format!("{item}/versions");
    let before = (graph.get(&item).await.body, graph.get(&versions).await.body);

    // Act: the Box admin renames that user.
    let admin = ccg(&graph.app, None).await;
    let path = format!("/2.0/users/{}", crate::support::graph::ME_ID);
    let rename = call(&graph.app, &admin, Method::PUT, &path).json(&json!({"name": "Olive Owner"}));
    let renamed = send(rename).await;
    let after = (graph.get(&item).await.body, graph.get(&versions).await.body);

    // Assert: the item and its versions read the same but for the name in their identity sets.
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let old = crate::support::graph::me()["user"]["displayName"].clone();
    let old = old.as_str().unwrap();
    assert!(before.0.to_string().contains(old), "{}", before.0);
    assert!(before.1.to_string().contains(old), "{}", before.1);
    let renamed_in = |read: &Value| -> Value {
        serde_json::from_str(&read.to_string().replace(old, "Olive Owner")).unwrap()
    };
    assert_eq!(after, (renamed_in(&before.0), renamed_in(&before.1)));
}
