//! Box collaborations (`POST /2.0/collaborations`, `GET/PUT/DELETE /2.0/collaborations/{id}`,
//! `GET /2.0/{files,folders}/{id}/collaborations`, `GET /2.0/collaborations?status=pending`):
//! a known user is accepted at once and reaches the item (in their "All Files" too) as far as
//! the role goes, until the collaboration is removed; an unknown login waits as a pending
//! invite that its user accepts; every bad request is refused whole, with Box's envelope.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::{spawn, TestApp};

/// A refused request: why, token, method, path, body (`null`: none), status, code, and the
/// parameter `context_info` names, if any.
type Case = (
    &'static str,
    &'static str,
    Method,
    String,
    Value,
    u16,
    &'static str,
    Option<&'static str>,
);

pub(crate) const BOB: &str = "bob-collab-token";
pub(crate) const EVE: &str = "eve-collab-token";

/// A request as another user.
pub(crate) async fn as_user(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Reply {
    let request = app.client.request(method, app.url(path)).bearer_auth(token);
    send(match body {
        Some(body) => request.json(&body),
        None => request,
    })
    .await
}

/// The user a token signs in as, as `GET /users/me` shows it: `(id, name, login)`.
pub(crate) async fn who(app: &TestApp, token: &str) -> (String, String, String) {
    let me = as_user(app, token, Method::GET, "/2.0/users/me", None)
        .await
        .body;
    let text = |key: &str| me[key].as_str().unwrap().to_owned();
    (text("id"), text("name"), text("login"))
}

pub(crate) async fn collaborate(app: &TestApp, body: Value) -> Reply {
    send_json(app, Method::POST, "/2.0/collaborations", body).await
}

pub(crate) fn on_folder(folder: &str, login: &str, role: &str) -> Value {
    json!({"item": {"type": "folder", "id": folder},
           "accessible_by": {"type": "user", "login": login}, "role": role})
}

/// Bob, made a collaborator on `folder` with `role` (the arrangement checked: `201`):
/// `(id, name, login)`.
pub(crate) async fn bob_on(app: &TestApp, folder: &str, role: &str) -> (String, String, String) {
    let bob = who(app, BOB).await;
    let made = collaborate(app, on_folder(folder, &bob.2, role)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{role}: {}", made.body);
    bob
}

/// The owner's folder `Shared` holding `a.txt`: `(folder id, file id)`.
pub(crate) async fn shared_folder(app: &TestApp) -> (String, String) {
    let folder = create_folder(app, "0", "Shared").await;
    let f = id(&folder).to_owned();
    let file = upload(app, &f, "a.txt", b"hello").await;
    (f, id(&file).to_owned())
}

/// A collaboration as Box shows it, made by the test user at `NOW`.
pub(crate) fn collab_json(
    app: &TestApp,
    id: &str,
    grantee: Value,
    role: &str,
    item: Value,
) -> Value {
    json!({
        "type": "collaboration",
        "id": id,
        "created_by": user(app),
        "created_at": at(0),
        "modified_at": at(0),
        "expires_at": null,
        "status": "accepted",
        "accessible_by": grantee,
        "invite_email": null,
        "role": role,
        "acknowledged_at": at(0),
        "is_access_only": false,
        "item": item,
    })
}

pub(crate) fn folder_mini(id: &str, name: &str) -> Value {
    json!({"type": "folder", "id": id, "sequence_id": "0", "etag": "0", "name": name})
}

/// A user mini of `who`'s `(id, name, login)`.
pub(crate) fn user_mini(user: &(String, String, String)) -> Value {
    json!({"type": "user", "id": user.0, "name": user.1, "login": user.2})
}

pub(crate) fn grantee(user: &(String, String, String)) -> Value {
    json!({"type": "user", "id": user.0, "name": user.1, "login": user.2, "is_active": true})
}

/// The names in a user's "All Files".
pub(crate) async fn root_names(app: &TestApp, token: &str) -> Vec<String> {
    let listed = as_user(app, token, Method::GET, "/2.0/folders/0/items", None).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    (listed.body["entries"].as_array().unwrap().iter())
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect()
}

/// A download as `token`: the status of the content request and, after its redirect, the bytes.
pub(crate) async fn download(app: &TestApp, token: &str, file: &str) -> (StatusCode, Vec<u8>) {
    let path = format!("/2.0/files/{file}/content");
    let reply = as_user(app, token, Method::GET, &path, None).await;
    if reply.status != StatusCode::FOUND {
        return (reply.status, Vec::new());
    }
    let link = reply.header("location").to_owned();
    let bytes = send(app.client.get(link)).await.bytes.to_vec();
    (reply.status, bytes)
}

/// Everything a refused request could have changed: the owner's view of the folder's and the
/// file's collaborations, and what Bob sees of his root.
async fn snapshot(app: &TestApp, folder: &str, file: &str) -> (Value, Value, Vec<String>) {
    (
        get(app, &format!("/2.0/folders/{folder}/collaborations"))
            .await
            .body,
        get(app, &format!("/2.0/files/{file}/collaborations"))
            .await
            .body,
        root_names(app, BOB).await,
    )
}

#[tokio::test]
async fn a_known_user_collaborates_at_once_reads_the_folder_and_loses_it_when_removed() {
    // Arrange
    let app = spawn().start().await;
    let (f, a) = shared_folder(&app).await;
    let bob = who(&app, BOB).await;

    // Act
    let made = collaborate(&app, on_folder(&f, &bob.2, "viewer")).await;
    let read = get(&app, "/2.0/collaborations/1").await;
    let listed = get(&app, &format!("/2.0/folders/{f}/collaborations")).await;
    let flagged = get(&app, &format!("/2.0/folders/{f}?fields=has_collaborations")).await;
    let bob_root = root_names(&app, BOB).await;
    let bob_items = as_user(
        &app,
        BOB,
        Method::GET,
        &format!("/2.0/folders/{f}/items"),
        None,
    )
    .await;
    let bob_file = as_user(&app, BOB, Method::GET, &format!("/2.0/files/{a}"), None).await;
    let bob_download = download(&app, BOB, &a).await;
    let bob_reads_collab = as_user(&app, BOB, Method::GET, "/2.0/collaborations/1", None).await;
    let removed = send(request(&app, Method::DELETE, "/2.0/collaborations/1")).await;
    let after_file = as_user(&app, BOB, Method::GET, &format!("/2.0/files/{a}"), None).await;
    let after_root = root_names(&app, BOB).await;
    let after_collab = get(&app, "/2.0/collaborations/1").await;
    let after_flag = get(&app, &format!("/2.0/folders/{f}?fields=has_collaborations")).await;

    // Assert: the whole collaboration, the same read back, listed on the folder.
    let expected = collab_json(
        &app,
        "1",
        grantee(&bob),
        "viewer",
        folder_mini(&f, "Shared"),
    );
    assert_eq!((made.status, &made.body), (StatusCode::CREATED, &expected));
    assert_collaboration_shape(&made.body);
    assert_eq!((read.status, &read.body), (StatusCode::OK, &expected));
    assert_eq!(
        (listed.status, &listed.body),
        (
            StatusCode::OK,
            &json!({"entries": [expected.clone()], "limit": 100, "next_marker": null, "total_count": 1})
        )
    );
    assert_collaborations_shape(&listed.body);
    assert_eq!(flagged.body["has_collaborations"], true);
    // Bob sees the folder in his root, reads into it, downloads, and sees the collaboration.
    assert_eq!(bob_root, ["Shared"]);
    assert_eq!(bob_items.status, StatusCode::OK, "{}", bob_items.body);
    assert_eq!(bob_items.body["entries"][0]["name"], "a.txt");
    assert_eq!(bob_file.status, StatusCode::OK, "{}", bob_file.body);
    assert_eq!(bob_file.body["owned_by"], user(&app));
    assert_eq!(bob_download, (StatusCode::FOUND, b"hello".to_vec()));
    assert_eq!(
        (bob_reads_collab.status, &bob_reads_collab.body),
        (StatusCode::OK, &expected)
    );
    // Once removed: 204, and the file is as absent for Bob as one that never was.
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(
        (after_file.status, &after_file.body),
        (
            StatusCode::NOT_FOUND,
            &not_found(after_file.body["request_id"].as_str().unwrap())
        )
    );
    assert!(after_root.is_empty(), "{after_root:?}");
    assert_eq!(after_collab.status, StatusCode::NOT_FOUND);
    assert_eq!(after_flag.body["has_collaborations"], false);
}

#[tokio::test]
async fn a_viewer_is_refused_every_write_and_an_editor_may_write() {
    // Arrange
    let app = spawn().start().await;
    let (f, a) = shared_folder(&app).await;
    let bob = bob_on(&app, &f, "viewer").await;
    let before = (
        get(&app, &format!("/2.0/folders/{f}/items")).await.body,
        get(&app, &format!("/2.0/files/{a}")).await.body,
    );
    let rename = json!({"name": "b.txt"});
    let upload_path = "/api/2.0/files/content";
    let attributes = format!(r#"{{"name":"new.txt","parent":{{"id":"{f}"}}}}"#);

    // Act: a viewer's writes, each refused.
    let refused = [
        (
            "a rename",
            as_user(
                &app,
                BOB,
                Method::PUT,
                &format!("/2.0/files/{a}"),
                Some(rename.clone()),
            )
            .await,
        ),
        (
            "a delete",
            as_user(&app, BOB, Method::DELETE, &format!("/2.0/files/{a}"), None).await,
        ),
        (
            "a folder made inside",
            as_user(
                &app,
                BOB,
                Method::POST,
                "/2.0/folders",
                Some(json!({"name": "sub", "parent": {"id": f}})),
            )
            .await,
        ),
        (
            "an upload into the folder",
            send(with_multipart(
                app.client.post(app.url(upload_path)).bearer_auth(BOB),
                &[Part::attributes(&attributes), Part::file(b"new")],
            ))
            .await,
        ),
        (
            "a collaboration of his own",
            as_user(
                &app,
                BOB,
                Method::POST,
                "/2.0/collaborations",
                Some(on_folder(&f, "x@example.com", "viewer")),
            )
            .await,
        ),
    ];
    let after = (
        get(&app, &format!("/2.0/folders/{f}/items")).await.body,
        get(&app, &format!("/2.0/files/{a}")).await.body,
    );
    // The owner makes him an editor; then the same rename goes through.
    let promoted = send_json(
        &app,
        Method::PUT,
        "/2.0/collaborations/1",
        json!({"role": "editor"}),
    )
    .await;
    let renamed = as_user(
        &app,
        BOB,
        Method::PUT,
        &format!("/2.0/files/{a}"),
        Some(rename),
    )
    .await;

    // Assert
    for (case, reply) in refused {
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{case}: {}",
            reply.body
        );
        assert_eq!(
            reply.body,
            insufficient_permission(reply.body["request_id"].as_str().unwrap()),
            "{case}"
        );
    }
    assert_eq!(after, before, "nothing of a refused write is applied");
    assert_eq!(promoted.status, StatusCode::OK, "{}", promoted.body);
    assert_eq!(promoted.body["role"], "editor");
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(renamed.body["name"], "b.txt");
    assert_eq!(renamed.body["modified_by"]["id"], bob.0, "Bob is the actor");
    assert_eq!(
        get(&app, &format!("/2.0/files/{a}")).await.body["name"],
        "b.txt",
        "the owner sees Bob's change"
    );
}

#[tokio::test]
async fn an_unknown_login_is_pending_until_that_user_signs_in_and_accepts() {
    // Arrange
    let app = spawn().start().await;
    let (f, a) = shared_folder(&app).await;
    let login = "newbie@example.com";
    let app_ref = &app;
    let newbie = move |method, path: String, body| async move {
        as_user(app_ref, "newbie-token", method, &path, body).await
    };

    // Act
    let made = collaborate(&app, on_folder(&f, login, "editor")).await;
    // The user with that login appears (a fixture adds them) and finds the invite.
    let fixture = json!({"users": [{"id": "777", "name": "Newbie", "login": login, "tokens": ["newbie-token"]}]});
    let loaded = send(app.client.post(app.url("/__admin/fixtures")).json(&fixture)).await;
    let before_accept = newbie(Method::GET, format!("/2.0/files/{a}"), None).await;
    let pending = newbie(
        Method::GET,
        "/2.0/collaborations?status=pending".into(),
        None,
    )
    .await;
    let owner_accepts = send_json(
        &app,
        Method::PUT,
        "/2.0/collaborations/1",
        json!({"status": "accepted"}),
    )
    .await;
    let accepted = newbie(
        Method::PUT,
        "/2.0/collaborations/1".into(),
        Some(json!({"status": "accepted"})),
    )
    .await;
    let again = newbie(
        Method::PUT,
        "/2.0/collaborations/1".into(),
        Some(json!({"status": "rejected"})),
    )
    .await;
    let after_accept = newbie(Method::GET, format!("/2.0/files/{a}"), None).await;
    let pending_after = newbie(
        Method::GET,
        "/2.0/collaborations?status=pending".into(),
        None,
    )
    .await;

    // Assert
    let mut invite = collab_json(&app, "1", Value::Null, "editor", folder_mini(&f, "Shared"));
    invite["status"] = json!("pending");
    invite["invite_email"] = json!(login);
    invite["acknowledged_at"] = Value::Null;
    assert_eq!((made.status, &made.body), (StatusCode::CREATED, &invite));
    assert_collaboration_shape(&made.body);
    assert_eq!(loaded.status, StatusCode::OK, "{}", loaded.body);
    assert_eq!(
        before_accept.status,
        StatusCode::NOT_FOUND,
        "a pending invite opens nothing"
    );
    assert_eq!(
        (pending.status, &pending.body),
        (
            StatusCode::OK,
            &json!({"total_count": 1, "entries": [invite], "limit": 100, "offset": 0})
        )
    );
    assert_collaborations_shape(&pending.body);
    assert_eq!(
        owner_accepts.status,
        StatusCode::FORBIDDEN,
        "only the invitee accepts"
    );
    let newbie = grantee(&("777".into(), "Newbie".into(), login.into()));
    let mut taken = collab_json(&app, "1", newbie, "editor", folder_mini(&f, "Shared"));
    taken["invite_email"] = Value::Null;
    assert_eq!((accepted.status, &accepted.body), (StatusCode::OK, &taken));
    assert_eq!(
        (again.status, &again.body),
        (
            StatusCode::BAD_REQUEST,
            &error_json(
                again.body["request_id"].as_str().unwrap(),
                400,
                "invalid_status",
                "You can change the status only if the collaboration is pending",
                None
            )
        )
    );
    assert_eq!(after_accept.status, StatusCode::OK, "{}", after_accept.body);
    assert_eq!(pending_after.body["total_count"], 0);
}

#[tokio::test]
async fn a_file_collaboration_opens_the_file_alone_and_lists_on_the_file() {
    // Arrange
    let app = spawn().start().await;
    let (f, a) = shared_folder(&app).await;
    let bob = who(&app, BOB).await;
    let body = json!({"item": {"type": "file", "id": a},
                      "accessible_by": {"type": "user", "id": bob.0}, "role": "previewer"});

    // Act
    let made = collaborate(&app, body).await;
    let listed = get(&app, &format!("/2.0/files/{a}/collaborations")).await;
    let bob_file = as_user(&app, BOB, Method::GET, &format!("/2.0/files/{a}"), None).await;
    let bob_folder = as_user(&app, BOB, Method::GET, &format!("/2.0/folders/{f}"), None).await;
    let bob_root = root_names(&app, BOB).await;

    // Assert: the file shows in Bob's root; its folder stays out of reach.
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!(made.body["item"]["type"], "file");
    assert_eq!(made.body["item"]["id"], a.as_str());
    assert_collaboration_shape(&made.body);
    assert_eq!(listed.body["entries"], json!([made.body]));
    assert_eq!(bob_file.status, StatusCode::OK);
    assert_eq!(bob_folder.status, StatusCode::NOT_FOUND);
    assert_eq!(bob_root, ["a.txt"]);
}

#[tokio::test]
async fn an_items_collaborations_page_with_markers() {
    // Arrange
    let app = spawn().start().await;
    let (f, _) = shared_folder(&app).await;
    for n in 1..=3 {
        let made = collaborate(
            &app,
            on_folder(&f, &format!("guest{n}@example.com"), "viewer"),
        )
        .await;
        assert_eq!(made.status, StatusCode::CREATED);
    }

    // Act
    let first = get(&app, &format!("/2.0/folders/{f}/collaborations?limit=2")).await;
    let marker = first.body["next_marker"].as_str().unwrap().to_owned();
    let second = get(
        &app,
        &format!("/2.0/folders/{f}/collaborations?limit=2&marker={marker}"),
    )
    .await;

    // Assert
    let ids = |page: &Value| -> Vec<String> {
        (page["entries"].as_array().unwrap().iter())
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&first.body), ["1", "2"]);
    assert_eq!(
        (
            first.body["limit"].clone(),
            first.body["total_count"].clone()
        ),
        (json!(2), json!(3))
    );
    assert_eq!(ids(&second.body), ["3"]);
    assert_eq!(second.body["next_marker"], Value::Null);
    assert_collaborations_shape(&second.body);
}

#[tokio::test]
async fn every_bad_collaboration_request_is_refused_whole_with_boxs_envelope() {
    // Arrange
    let app = spawn().start().await;
    let (f, a) = shared_folder(&app).await;
    let bob = who(&app, BOB).await;
    let eve = who(&app, EVE).await;
    assert_eq!(
        collaborate(&app, on_folder(&f, &bob.2, "viewer"))
            .await
            .status,
        StatusCode::CREATED
    );
    let by_id = |item: Value, user: &str, role: &str| json!({"item": item, "accessible_by": {"type": "user", "id": user}, "role": role});
    let folder = json!({"type": "folder", "id": f});
    let cases: Vec<Case> = vec![
        (
            "the root folder",
            TOKEN,
            Method::POST,
            "/2.0/collaborations".into(),
            by_id(json!({"type": "folder", "id": "0"}), &eve.0, "viewer"),
            400,
            "collaborations_not_available_on_root_folder",
            None,
        ),
        (
            "a user who already collaborates",
            TOKEN,
            Method::POST,
            "/2.0/collaborations".into(),
            by_id(folder.clone(), &bob.0, "editor"),
            400,
            "user_already_collaborator",
            None,
        ),
        (
            "the owner",
            TOKEN,
            Method::POST,
            "/2.0/collaborations".into(),
            by_id(folder.clone(), user(&app)["id"].as_str().unwrap(), "editor"),
            400,
            "user_already_collaborator",
            None,
        ),
        (
            "an unknown item",
            TOKEN,
            Method::POST,
            "/2.0/collaborations".into(),
            by_id(json!({"type": "folder", "id": "987654"}), &eve.0, "viewer"),
            404,
            "not_found",
            None,
        ),
        (
            "a folder named as a file",
            TOKEN,
            Method::POST,
            "/2.0/collaborations".into(),
            by_id(json!({"type": "file", "id": f}), &eve.0, "viewer"),
            404,
            "not_found",
            None,
        ),
        (
            "an unknown user id",
            TOKEN,
            Method::POST,
            "/2.0/collaborations".into(),
            by_id(folder.clone(), "424242", "viewer"),
            404,
            "not_found",
            None,
        ),
        (
            "an unknown role",
            TOKEN,
            Method::POST,
            "/2.0/collaborations".into(),
            by_id(folder.clone(), &eve.0, "boss"),
            400,
            "bad_request",
            Some("role"),
        ),
        (
            "owner on create",
            TOKEN,
            Method::POST,
            "/2.0/collaborations".into(),
            by_id(folder.clone(), &eve.0, "owner"),
            400,
            "bad_request",
            Some("role"),
        ),
        (
            "no item",
            TOKEN,
            Method::POST,
            "/2.0/collaborations".into(),
            json!({"accessible_by": {"type": "user", "id": eve.0}, "role": "viewer"}),
            400,
            "bad_request",
            Some("item"),
        ),
        (
            "a group",
            TOKEN,
            Method::POST,
            "/2.0/collaborations".into(),
            json!({"item": folder, "accessible_by": {"type": "group", "id": "5"}, "role": "viewer"}),
            400,
            "bad_request",
            Some("accessible_by.type"),
        ),
        (
            "a viewer inviting",
            BOB,
            Method::POST,
            "/2.0/collaborations".into(),
            by_id(folder.clone(), &eve.0, "viewer"),
            403,
            "access_denied_insufficient_permissions",
            None,
        ),
        (
            "a stranger inviting",
            EVE,
            Method::POST,
            "/2.0/collaborations".into(),
            by_id(folder.clone(), &eve.0, "viewer"),
            404,
            "not_found",
            None,
        ),
        (
            "an unknown collaboration",
            TOKEN,
            Method::GET,
            "/2.0/collaborations/99".into(),
            Value::Null,
            404,
            "not_found",
            Some("collab"),
        ),
        (
            "a stranger reading one",
            EVE,
            Method::GET,
            "/2.0/collaborations/1".into(),
            Value::Null,
            404,
            "not_found",
            Some("collab"),
        ),
        (
            "a viewer changing his role",
            BOB,
            Method::PUT,
            "/2.0/collaborations/1".into(),
            json!({"role": "editor"}),
            403,
            "access_denied_insufficient_permissions",
            None,
        ),
        (
            "an ownership transfer",
            TOKEN,
            Method::PUT,
            "/2.0/collaborations/1".into(),
            json!({"role": "owner"}),
            400,
            "bad_request",
            Some("role"),
        ),
        (
            "a status change once accepted",
            BOB,
            Method::PUT,
            "/2.0/collaborations/1".into(),
            json!({"status": "rejected"}),
            400,
            "invalid_status",
            None,
        ),
        (
            "a stranger deleting one",
            EVE,
            Method::DELETE,
            "/2.0/collaborations/1".into(),
            Value::Null,
            404,
            "not_found",
            Some("collab"),
        ),
        (
            "the pending list without status",
            TOKEN,
            Method::GET,
            "/2.0/collaborations".into(),
            Value::Null,
            400,
            "bad_request",
            Some("status"),
        ),
        (
            "a collaborator's file list of a file not his",
            EVE,
            Method::GET,
            format!("/2.0/files/{a}/collaborations"),
            Value::Null,
            404,
            "not_found",
            None,
        ),
    ];
    for (case, token, method, path, body, status, code, param) in cases {
        let before = snapshot(&app, &f, &a).await;

        // Act
        let body = (!body.is_null()).then_some(body);
        let reply = as_user(&app, token, method, &path, body).await;

        // Assert
        assert_eq!(reply.status.as_u16(), status, "{case}: {}", reply.body);
        assert_eq!(reply.body["code"], code, "{case}: {}", reply.body);
        assert_error_text_shape(&reply.text(), status);
        let named = reply.body["context_info"]["errors"][0]["name"].as_str();
        assert_eq!(named, param, "{case}: {}", reply.body);
        assert_eq!(
            snapshot(&app, &f, &a).await,
            before,
            "{case}: nothing changed"
        );
    }
}

#[tokio::test]
async fn collaboration_changes_are_events_on_the_owners_stream() {
    // Arrange
    let app = spawn().start().await;
    let (f, _) = shared_folder(&app).await;
    let bob = who(&app, BOB).await;

    // Act
    collaborate(&app, on_folder(&f, &bob.2, "viewer")).await;
    collaborate(&app, on_folder(&f, "later@example.com", "viewer")).await;
    send_json(
        &app,
        Method::PUT,
        "/2.0/collaborations/1",
        json!({"role": "editor"}),
    )
    .await;
    send(request(&app, Method::DELETE, "/2.0/collaborations/1")).await;
    let events = get(&app, "/2.0/events?stream_position=0").await;

    // Assert
    assert_events_shape(&events.body);
    let types: Vec<&str> = (events.body["entries"].as_array().unwrap().iter())
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "ITEM_CREATE",
            "ITEM_UPLOAD",
            "COLLAB_ADD_COLLABORATOR",
            "COLLAB_INVITE_COLLABORATOR",
            "COLLAB_ROLE_CHANGE",
            "COLLAB_REMOVE_COLLABORATOR"
        ]
    );
    assert_eq!(events.body["entries"][2]["source"]["id"], f.as_str());
}

#[tokio::test]
async fn collaborations_go_with_a_purged_item_and_with_a_reset_of_the_collaborator() {
    // Arrange
    let app = spawn().start().await;
    let (f, a) = shared_folder(&app).await;
    let bob = who(&app, BOB).await;
    let file_collab = json!({"item": {"type": "file", "id": a},
                             "accessible_by": {"type": "user", "id": bob.0}, "role": "viewer"});
    collaborate(&app, file_collab).await;
    collaborate(&app, on_folder(&f, &bob.2, "viewer")).await;

    // Act: the file purged; Bob's own data reset.
    send(request(&app, Method::DELETE, &format!("/2.0/files/{a}"))).await;
    let purged = send(request(
        &app,
        Method::DELETE,
        &format!("/2.0/files/{a}/trash"),
    ))
    .await;
    let file_collab_after = get(&app, "/2.0/collaborations/1").await;
    let reset = send(
        app.client
            .post(app.url("/__admin/reset"))
            .json(&json!({"user": bob.0})),
    )
    .await;
    let folder_collab_after = get(&app, "/2.0/collaborations/2").await;

    // Assert
    assert_eq!(purged.status, StatusCode::NO_CONTENT);
    assert_eq!(file_collab_after.status, StatusCode::NOT_FOUND);
    assert!(reset.status.is_success(), "{:?}", reset.status);
    assert_eq!(folder_collab_after.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&app, &format!("/2.0/folders/{f}?fields=has_collaborations"))
            .await
            .body["has_collaborations"],
        false
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_collaborates_a_viewer_who_reads_until_removed() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act
    let output = crate::support::run_sdk_script_off_runtime("box_collaborations.py", &root).await;

    // Assert: nothing is left on the folder, and the guest's root holds only their own copy.
    assert!(output.contains("box collaborations passed"), "{output}");
    let folder = as_user(
        &app,
        "sdk-collab-owner",
        Method::GET,
        "/2.0/folders/0/items",
        None,
    )
    .await;
    let f = folder.body["entries"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/2.0/folders/{f}/collaborations");
    let left = as_user(&app, "sdk-collab-owner", Method::GET, &path, None).await;
    assert_eq!(left.body["total_count"], 0, "{}", left.body);
    assert_eq!(root_names(&app, "sdk-collab-guest").await, ["mine.txt"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_sdk_collaborates_an_editor_who_uploads_until_made_a_viewer() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act
    let output = tokio::task::spawn_blocking(move || {
        crate::support::run_node_script("box_collaborations.js", &[&root], &[])
    })
    .await
    .expect("the SDK script ran");

    // Assert: the guest's upload is the owner's file, made by the guest.
    assert!(
        output.contains("box node collaborations passed"),
        "{output}"
    );
    let root = as_user(
        &app,
        "node-collab-owner",
        Method::GET,
        "/2.0/folders/0/items",
        None,
    )
    .await;
    let f = root.body["entries"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/2.0/folders/{f}/items?fields=name,created_by");
    let items = as_user(&app, "node-collab-owner", Method::GET, &path, None).await;
    let guest = who(&app, "node-collab-guest").await;
    assert_eq!(items.body["entries"][0]["name"], "from-guest.txt");
    assert_eq!(items.body["entries"][0]["created_by"]["id"], guest.0);
}

#[tokio::test]
async fn the_state_export_holds_collaborations_and_loads_back_equal() {
    // Arrange
    let app = spawn().start().await;
    let (f, a) = shared_folder(&app).await;
    let bob = bob_on(&app, &f, "viewer uploader").await;
    collaborate(&app, on_folder(&f, "later@example.com", "editor")).await;

    // Act
    let state = send(app.client.get(app.url("/__admin/state"))).await.body;
    let again = spawn().fixture(state.clone()).start().await;

    // Assert: the export's folder carries both, and the loaded copy answers the same.
    let items = state["spaces"][0]["items"].as_array().unwrap();
    let exported = items.iter().find(|i| i["path"] == "Shared").unwrap();
    let by = user(&app)["id"].clone();
    assert_eq!(
        exported["collaborations"],
        json!([
            {"id": 1, "user": bob.0, "role": "viewer uploader", "status": "accepted",
             "created_by": by, "created_at": crate::support::NOW, "modified_at": crate::support::NOW,
             "acknowledged_at": crate::support::NOW, "is_access_only": false, "can_view_path": false},
            {"id": 2, "invite_email": "later@example.com", "role": "editor", "status": "pending",
             "created_by": by, "created_at": crate::support::NOW, "modified_at": crate::support::NOW,
             "is_access_only": false, "can_view_path": false},
        ])
    );
    for path in [
        format!("/2.0/folders/{f}/collaborations"),
        "/2.0/collaborations/2".to_owned(),
        format!("/2.0/folders/{f}?fields=has_collaborations"),
    ] {
        assert_eq!(
            get(&again, &path).await.body,
            get(&app, &path).await.body,
            "{path}"
        );
    }
    let reached = as_user(&again, BOB, Method::GET, &format!("/2.0/files/{a}"), None).await;
    assert_eq!(
        reached.status,
        StatusCode::OK,
        "the loaded collaboration opens the file"
    );
    let made_after = collaborate(&again, on_folder(&f, "third@example.com", "viewer")).await;
    assert_eq!(
        made_after.body["id"], "3",
        "new ids go on after the loaded ones"
    );
}

#[tokio::test]
async fn a_fixture_collaboration_with_a_bad_role_an_unknown_user_or_twice_the_user_is_refused_whole(
) {
    let folder = |collaborations: Value| json!({"type": "folder", "path": "F", "collaborations": collaborations});
    let cases = [
        (
            "an unknown role",
            folder(json!([{"user": "43", "role": "boss"}])),
        ),
        (
            "an unknown user",
            folder(json!([{"user": "nobody", "role": "viewer"}])),
        ),
        (
            "one user twice",
            folder(json!([{"user": "43", "role": "viewer"}, {"user": "43", "role": "editor"}])),
        ),
        (
            "neither user nor invite",
            folder(json!([{"role": "viewer"}])),
        ),
        (
            "the owner",
            folder(json!([{"user": "42", "role": "viewer"}])),
        ),
    ];
    for (case, item) in cases {
        let fixture = json!({
            "users": [{"id": "42", "tokens": ["ada-token"]}, {"id": "43", "tokens": ["bo-token"]}],
            "spaces": [{"face": "box", "owner": "42", "items": [item]}],
        });
        assert_fixture_refused(case, fixture, "(F)").await;
    }
}

#[tokio::test]
async fn the_admin_item_view_lists_an_items_collaborators() {
    // Arrange
    let app = spawn().start().await;
    let (f, a) = shared_folder(&app).await;
    let bob = bob_on(&app, &f, "viewer").await;
    collaborate(&app, on_folder(&f, "later@example.com", "editor")).await;

    // Act
    let folder = send(app.client.get(app.url(&format!("/__admin/items/{f}")))).await;
    let file = send(app.client.get(app.url(&format!("/__admin/items/{a}")))).await;

    // Assert: the folder's two, the pending one by its login; the file has none (left out).
    assert_eq!(folder.status, StatusCode::OK, "{}", folder.body);
    assert_eq!(
        folder.body["collaborators"],
        json!([
            {"id": "1", "user": {"id": bob.0, "name": bob.1, "login": bob.2},
             "invite_email": null, "role": "viewer", "status": "accepted"},
            {"id": "2", "user": null, "invite_email": "later@example.com", "role": "editor",
             "status": "pending"},
        ])
    );
    assert!(file.body.get("collaborators").is_none(), "{}", file.body);
}

#[tokio::test]
async fn a_folder_webhook_hears_each_collaboration_trigger() {
    use crate::support::receiver::{Answer, Receiver};
    // Arrange
    let app = spawn().start().await;
    let (f, _) = shared_folder(&app).await;
    let bob = who(&app, BOB).await;
    let receiver = Receiver::start(Answer::Status(200)).await;
    let triggers = [
        "COLLABORATION.CREATED",
        "COLLABORATION.ACCEPTED",
        "COLLABORATION.REJECTED",
        "COLLABORATION.UPDATED",
        "COLLABORATION.REMOVED",
    ];
    let hook = json!({"target": {"id": f, "type": "folder"}, "address": receiver.url(),
                      "triggers": triggers});
    let made = send_json(&app, Method::POST, "/2.0/webhooks", hook).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let fixture = json!({"users": [
        {"id": "778", "login": "late@example.com", "tokens": ["late-token"]},
        {"id": "779", "login": "never@example.com", "tokens": ["never-token"]},
    ]});

    // Act: Bob added, changed, removed; an invite accepted; another rejected.
    collaborate(&app, on_folder(&f, &bob.2, "viewer")).await;
    send_json(
        &app,
        Method::PUT,
        "/2.0/collaborations/1",
        json!({"role": "editor"}),
    )
    .await;
    send(request(&app, Method::DELETE, "/2.0/collaborations/1")).await;
    collaborate(&app, on_folder(&f, "late@example.com", "viewer")).await;
    collaborate(&app, on_folder(&f, "never@example.com", "viewer")).await;
    send(app.client.post(app.url("/__admin/fixtures")).json(&fixture)).await;
    let accept = Some(json!({"status": "accepted"}));
    as_user(
        &app,
        "late-token",
        Method::PUT,
        "/2.0/collaborations/2",
        accept,
    )
    .await;
    let reject = Some(json!({"status": "rejected"}));
    as_user(
        &app,
        "never-token",
        Method::PUT,
        "/2.0/collaborations/3",
        reject,
    )
    .await;
    assert!(
        app.emulator
            .settle_deliveries(std::time::Duration::from_secs(10))
            .await
    );

    // Assert: each change once, the folder as source (compared sorted: deliveries to one
    // receiver need not arrive in the order they were made).
    let received = receiver.received();
    let mut heard: Vec<(String, String)> = (received.iter())
        .map(|d| {
            let body = d.json();
            let trigger = body["trigger"].as_str().unwrap().to_owned();
            (trigger, body["source"]["id"].as_str().unwrap().to_owned())
        })
        .collect();
    let mut expected: Vec<(String, String)> = [
        "COLLABORATION.CREATED",
        "COLLABORATION.UPDATED",
        "COLLABORATION.REMOVED",
        "COLLABORATION.CREATED",
        "COLLABORATION.CREATED",
        "COLLABORATION.ACCEPTED",
        "COLLABORATION.REJECTED",
    ]
    .iter()
    .map(|t| (t.to_string(), f.clone()))
    .collect();
    heard.sort();
    expected.sort();
    assert_eq!(heard, expected);
}

#[tokio::test]
async fn an_editors_upload_session_commits_into_the_owners_folder_only_while_the_collaboration_lasts(
) {
    use crate::box_sessions::{digest, parts, pattern, SIZE};
    // Arrange
    let app = spawn().start().await;
    let (f, _) = shared_folder(&app).await;
    let bob = bob_on(&app, &f, "editor").await;
    let file = pattern(SIZE, 7);
    let open = |name: &str| {
        let body = json!({"folder_id": f, "file_size": SIZE, "file_name": name});
        as_user(
            &app,
            BOB,
            Method::POST,
            "/api/2.0/files/upload_sessions",
            Some(body),
        )
    };
    let upload_and_commit = |session: Value| {
        let file = file.clone();
        let app = &app;
        async move {
            let url = session["session_endpoints"]["upload_part"]
                .as_str()
                .unwrap();
            let mut uploaded = Vec::new();
            for (start, end) in parts() {
                let put = app
                    .client
                    .put(url)
                    .bearer_auth(BOB)
                    .header("digest", digest(&file[start..=end]))
                    .header(
                        "content-range",
                        format!("bytes {start}-{end}/{}", file.len()),
                    )
                    .body(file[start..=end].to_vec());
                let reply = send(put).await;
                assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
                uploaded.push(reply.body["part"].clone());
            }
            let commit = session["session_endpoints"]["commit"].as_str().unwrap();
            let request = app.client.post(commit).bearer_auth(BOB);
            send(
                request
                    .header("digest", digest(&file))
                    .json(&json!({"parts": uploaded})),
            )
            .await
        }
    };

    // Act: one session committed; a second committed after the collaboration is removed.
    let first = open("big.bin").await;
    let committed = upload_and_commit(first.body.clone()).await;
    let second = open("late.bin").await;
    send(request(&app, Method::DELETE, "/2.0/collaborations/1")).await;
    let refused = upload_and_commit(second.body.clone()).await;

    // Assert: the first file is the owner's, in the folder, made by Bob; the second is not made.
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(committed.status, StatusCode::CREATED, "{}", committed.body);
    let entry = &committed.body["entries"][0];
    assert_eq!(entry["parent"]["id"], f.as_str());
    assert_eq!(entry["created_by"]["id"], bob.0);
    assert_eq!(entry["owned_by"], user(&app));
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    let names: Vec<Value> = (get(&app, &format!("/2.0/folders/{f}/items")).await.body["entries"]
        .as_array()
        .unwrap()
        .iter())
    .map(|e| e["name"].clone())
    .collect();
    assert_eq!(names, [json!("a.txt"), json!("big.bin")]);
}

#[tokio::test]
async fn a_collaborator_works_on_the_owners_tasks_and_comments_as_far_as_the_role_goes() {
    // Arrange: Bob views the folder, Eve edits it; the owner sets a task on its file for Bob.
    let app = spawn().start().await;
    let (f, a) = shared_folder(&app).await;
    let bob = who(&app, BOB).await;
    let eve = who(&app, EVE).await;
    let bobs = collaborate(&app, on_folder(&f, &bob.2, "viewer")).await;
    collaborate(&app, on_folder(&f, &eve.2, "editor")).await;
    let task_on_a = json!({"item": {"type": "file", "id": a}, "message": "Check"});
    let task = send_json(&app, Method::POST, "/2.0/tasks", task_on_a.clone()).await;
    let t = task.body["id"].as_str().unwrap().to_owned();
    let assign_bob = json!({"task": {"type": "task", "id": t}, "assign_to": {"id": bob.0}});
    let assignment = send_json(&app, Method::POST, "/2.0/task_assignments", assign_bob).await;
    let s = assignment.body["id"].as_str().unwrap().to_owned();
    let comment_on_a = json!({"item": {"type": "file", "id": a}, "message": "Seen"});

    // Act: each by its own id, which names no file in the path.
    let task_path = format!("/2.0/tasks/{t}");
    let bob_reads_task = as_user(&app, BOB, Method::GET, &task_path, None).await;
    let approve = Some(json!({"resolution_state": "approved"}));
    let assignment_path = format!("/2.0/task_assignments/{s}");
    let bob_answers = as_user(&app, BOB, Method::PUT, &assignment_path, approve).await;
    let bob_makes_task = as_user(
        &app,
        BOB,
        Method::POST,
        "/2.0/tasks",
        Some(task_on_a.clone()),
    )
    .await;
    let bob_deletes_task = as_user(&app, BOB, Method::DELETE, &task_path, None).await;
    let eve_makes_task = as_user(&app, EVE, Method::POST, "/2.0/tasks", Some(task_on_a)).await;
    let bob_comments = as_user(&app, BOB, Method::POST, "/2.0/comments", Some(comment_on_a)).await;
    let c = bob_comments.body["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let comment_path = format!("/2.0/comments/{c}");
    let edit = Some(json!({"message": "Seen twice"}));
    let bob_edits = as_user(&app, BOB, Method::PUT, &comment_path, edit).await;
    let collab_path = format!("/2.0/collaborations/{}", bobs.body["id"].as_str().unwrap());
    let removed = send(request(&app, Method::DELETE, &collab_path)).await;
    let bob_task_after = as_user(&app, BOB, Method::GET, &task_path, None).await;
    let bob_comment_after = as_user(&app, BOB, Method::GET, &comment_path, None).await;

    // Assert: reads and his own answers go through; a viewer's task changes are refused, an
    // editor's are not; nothing opens once the collaboration is gone.
    assert_eq!(
        bob_reads_task.status,
        StatusCode::OK,
        "{}",
        bob_reads_task.body
    );
    assert_eq!(bob_reads_task.body["id"], t.as_str());
    assert_eq!(bob_answers.status, StatusCode::OK, "{}", bob_answers.body);
    assert_eq!(bob_answers.body["resolution_state"], "approved");
    for (case, reply) in [("make", &bob_makes_task), ("delete", &bob_deletes_task)] {
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{case}: {}",
            reply.body
        );
        assert_eq!(reply.body["code"], "access_denied_insufficient_permissions");
    }
    assert_eq!(
        eve_makes_task.status,
        StatusCode::CREATED,
        "{}",
        eve_makes_task.body
    );
    assert_eq!(
        bob_comments.status,
        StatusCode::CREATED,
        "{}",
        bob_comments.body
    );
    assert_eq!(bob_edits.status, StatusCode::OK, "{}", bob_edits.body);
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(bob_task_after.status, StatusCode::NOT_FOUND);
    assert_eq!(bob_comment_after.status, StatusCode::NOT_FOUND);
    // Read back as the owner: Bob's answer and comment, the owner's and Eve's tasks.
    let answers = get(&app, &format!("{task_path}/assignments")).await.body;
    assert_eq!(answers["entries"][0]["resolution_state"], "approved");
    let tasks = get(&app, &format!("/2.0/files/{a}/tasks")).await.body;
    assert_eq!(tasks["total_count"], 2, "{tasks}");
    let comment = get(&app, &comment_path).await.body;
    assert_eq!(comment["message"], "Seen twice");
}

#[tokio::test]
async fn a_folder_page_names_each_items_own_people_when_two_users_wrote_in_it() {
    // Arrange: the owner's `a.txt`, which Bob then renames, and Bob's own `b.txt`.
    let app = spawn().start().await;
    let (f, a) = shared_folder(&app).await;
    let bob = bob_on(&app, &f, "editor").await;
    let renamed = as_user(
        &app,
        BOB,
        Method::PUT,
        &format!("/2.0/files/{a}"),
        Some(json!({"name": "a2.txt"})),
    )
    .await;
    let attributes = format!(r#"{{"name":"b.txt","parent":{{"id":"{f}"}}}}"#);
    let uploaded = send(with_multipart(
        app.client
            .post(app.url("/api/2.0/files/content"))
            .bearer_auth(BOB),
        &[Part::attributes(&attributes), Part::file(b"bob's")],
    ))
    .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
    let b = id(&uploaded.body["entries"][0]).to_owned();

    // Act: one page, built once per reader, naming three people's roles on two items.
    let path = format!("/2.0/folders/{f}/items?fields=name,created_by,modified_by,owned_by");
    let pages = [
        get(&app, &path).await,
        as_user(&app, BOB, Method::GET, &path, None).await,
    ];

    // Assert: each item names its own creator and last modifier; the owner owns both.
    let (owner, bob) = (user(&app), user_mini(&bob));
    let entry = |id: &str, etag: &str, name: &str, created: &Value, modified: &Value| {
        json!({"type": "file", "id": id, "etag": etag, "name": name, "created_by": created,
               "modified_by": modified, "owned_by": owner})
    };
    let expected = json!([
        entry(&a, "1", "a2.txt", &owner, &bob),
        entry(&b, "0", "b.txt", &bob, &bob),
    ]);
    for (reader, page) in ["the owner", "Bob"].into_iter().zip(pages) {
        assert_eq!(page.status, StatusCode::OK, "{reader}: {}", page.body);
        assert_eq!(page.body["total_count"], 2, "{reader}");
        assert_eq!(page.body["entries"], expected, "{reader}");
    }
}
