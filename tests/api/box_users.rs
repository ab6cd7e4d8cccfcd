//! Box's user admin API (`POST`/`GET /2.0/users`, `GET`/`PUT`/`DELETE /2.0/users/{id}`) and the
//! `As-User` header: an app's service account makes an app user, who signs in with a user
//! subject, and acts as them; a non-admin is refused; made users survive an export and reload.

use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::spawn::Spawn;
use crate::support::TempDir;
use crate::support::{spawn, TestApp};

/// A client-credentials token: the app's service account (`enterprise`) or a user subject.
pub(crate) async fn ccg(app: &TestApp, subject: Option<&str>) -> String {
    let mut form = vec![
        ("grant_type", "client_credentials"),
        ("client_id", "app"),
        ("client_secret", "s"),
    ];
    match subject {
        None => form.extend([("box_subject_type", "enterprise"), ("box_subject_id", "1")]),
        Some(id) => form.extend([("box_subject_type", "user"), ("box_subject_id", id)]),
    }
    let Reply { status, body, .. } =
        send(app.client.post(app.url("/oauth2/token")).form(&form)).await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

pub(crate) fn call(app: &TestApp, token: &str, method: Method, path: &str) -> RequestBuilder {
    app.client.request(method, app.url(path)).bearer_auth(token)
}

/// The users the admin sees, by id and name: the state a refused call must leave alone.
async fn users(app: &TestApp, admin: &str) -> Vec<(String, String, String)> {
    let Reply { status, body, .. } = send(call(app, admin, Method::GET, "/2.0/users")).await;
    assert_eq!(status, 200, "{body}");
    assert_users_shape(&body);
    body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["id"].as_str().unwrap().to_owned(),
                u["name"].as_str().unwrap().to_owned(),
                u["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// What a user made at `NOW` with nothing stored looks like.
fn user_json(app: &TestApp, id: &str, name: &str, login: &str, space_used: u64) -> Value {
    json!({
        "type": "user",
        "id": id,
        "name": name,
        "login": login,
        "created_at": at(0),
        "modified_at": at(0),
        "language": "en",
        "timezone": "UTC",
        "space_amount": 10_737_418_240_u64,
        "space_used": space_used,
        "max_upload_size": 5_368_709_120_u64,
        "status": "active",
        "job_title": "",
        "phone": "",
        "address": "",
        "avatar_url": app.url(&format!("/2.0/users/{id}/avatar")),
        "notification_email": null,
    })
}

#[tokio::test]
async fn a_service_account_makes_an_app_user_who_signs_in_and_is_changed_then_deleted() {
    // Arrange
    let app = spawn().start().await;
    let admin = ccg(&app, None).await;

    // Act: make an app user, sign in as them and upload.
    let created = send(
        call(&app, &admin, Method::POST, "/2.0/users")
            .json(&json!({"name": "Ada App", "is_platform_access_only": true})),
    )
    .await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let login = created.body["login"].as_str().unwrap().to_owned();
    let full = send(call(
        &app,
        &admin,
        Method::GET,
        &format!("/2.0/users/{id}?fields=role,is_platform_access_only,enterprise"),
    ))
    .await;
    let own = ccg(&app, Some(&id)).await;
    let me = send(call(&app, &own, Method::GET, "/2.0/users/me")).await;
    let file = send(with_multipart(
        call(&app, &own, Method::POST, "/api/2.0/files/content"),
        &[
            Part::attributes(r#"{"name":"a.txt","parent":{"id":"0"}}"#),
            Part::file(b"hello"),
        ],
    ))
    .await;
    let listed = send(call(
        &app,
        &admin,
        Method::GET,
        "/2.0/users?filter_term=ada",
    ))
    .await;
    let updated = send(
        call(&app, &admin, Method::PUT, &format!("/2.0/users/{id}")).json(&json!({
            "name": "Ada Renamed", "status": "inactive", "job_title": "Robot", "notify": false
        })),
    )
    .await;
    let me_renamed = send(call(&app, &own, Method::GET, "/2.0/users/me")).await;
    let kept = send(call(
        &app,
        &admin,
        Method::DELETE,
        &format!("/2.0/users/{id}"),
    ))
    .await;
    let deleted = send(call(
        &app,
        &admin,
        Method::DELETE,
        &format!("/2.0/users/{id}?force=true"),
    ))
    .await;
    let gone = send(call(&app, &admin, Method::GET, &format!("/2.0/users/{id}"))).await;
    let signed_out = send(call(&app, &own, Method::GET, "/2.0/users/me")).await;

    // Assert
    assert_eq!(created.status, 201);
    assert_user_shape(&created.body);
    assert!(
        login.starts_with(&format!("AppUser_{id}_")) && login.ends_with("@boxdevedition.com"),
        "{login}"
    );
    assert_eq!(created.body, user_json(&app, &id, "Ada App", &login, 0));
    assert_eq!(full.status, 200);
    assert_user_full_fields_shape(&full.body);
    assert_eq!(
        full.body,
        json!({
            "type": "user", "id": id, "name": "Ada App", "login": login, "role": "user",
            "is_platform_access_only": true,
            "enterprise": {"type": "enterprise", "id": "1", "name": "restore-mock"},
        })
    );
    assert_eq!(me.body, created.body);
    assert_eq!(file.status, 201, "{}", file.body);
    let file = &file.body["entries"][0];
    assert_eq!(file["created_by"]["id"], id.as_str());
    assert_eq!(listed.status, 200);
    assert_users_shape(&listed.body);
    assert_eq!(
        listed.body,
        json!({"total_count": 1, "limit": 100, "offset": 0,
               "entries": [user_json(&app, &id, "Ada App", &login, 5)]})
    );
    let mut expected = user_json(&app, &id, "Ada Renamed", &login, 5);
    expected["status"] = "inactive".into();
    expected["job_title"] = "Robot".into();
    assert_eq!((updated.status.as_u16(), &updated.body), (200, &expected));
    assert_eq!(me_renamed.body, expected);
    assert_eq!(kept.status, 400);
    assert_eq!(
        kept.body,
        bad_request(
            rid(&kept),
            "invalid_parameter",
            "force",
            "The user still owns files or folders; delete them or pass force=true.",
        )
    );
    assert_eq!((deleted.status.as_u16(), deleted.bytes.len()), (204, 0));
    assert_eq!(gone.body, not_found(rid(&gone)));
    assert_eq!(signed_out.status, 401);
    assert!(!users(&app, &admin).await.iter().any(|u| u.0 == id));
}

#[tokio::test]
async fn a_managed_user_needs_a_free_login_and_lists_page_by_offset() {
    // Arrange
    let app = spawn().start().await;
    let admin = ccg(&app, None).await;
    let make = |name: &str, login: &str| {
        call(&app, &admin, Method::POST, "/2.0/users")
            .json(&json!({"name": name, "login": login, "role": "coadmin", "language": "en"}))
    };

    // Act
    let first = send(make("Bea", "bea@example.com")).await;
    let again = send(make("Bea Again", "BEA@example.com")).await;
    let second = send(make("Cy", "cy@example.com")).await;
    let page = send(call(
        &app,
        &admin,
        Method::GET,
        "/2.0/users?offset=1&limit=1",
    ))
    .await;
    let external = send(call(
        &app,
        &admin,
        Method::GET,
        "/2.0/users?user_type=external",
    ))
    .await;
    let by_login = send(call(
        &app,
        &admin,
        Method::GET,
        "/2.0/users?filter_term=cy@&fields=role",
    ))
    .await;

    // Assert
    assert_eq!(first.status, 201);
    assert_eq!(first.body["login"], "bea@example.com");
    assert_eq!(again.status, 409);
    assert_eq!(
        again.body,
        error_json(
            rid(&again),
            409,
            "user_login_already_used",
            "User with the specified login already exists",
            None,
        )
    );
    assert_eq!(second.status, 201);
    // The service account, Bea and Cy, by id.
    let all = users(&app, &admin).await;
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(page.body["total_count"], 3);
    assert_eq!(page.body["entries"].as_array().unwrap().len(), 1);
    assert_eq!(page.body["entries"][0]["id"], all[1].0.as_str());
    assert_eq!(
        external.body,
        json!({"total_count": 0, "limit": 100, "offset": 0, "entries": []})
    );
    assert_eq!(
        by_login.body["entries"],
        json!([{"type": "user", "id": second.body["id"], "name": "Cy",
                "login": "cy@example.com", "role": "coadmin"}])
    );
}

#[tokio::test]
async fn refused_user_calls_change_nothing() {
    // Arrange: an admin, a plain user, and a user who owns a file.
    let app = spawn().start().await;
    let admin = ccg(&app, None).await;
    let owner = send(
        call(&app, &admin, Method::POST, "/2.0/users")
            .json(&json!({"name": "Owner", "login": "owner@example.com"})),
    )
    .await
    .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let owner_token = ccg(&app, Some(&owner)).await;
    upload_as(&app, &owner_token, "o.txt").await;
    let service = send(call(&app, &admin, Method::GET, "/2.0/users/me"))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let plain = "plain-user-token";
    // Signed in before the table: a first sign-in makes the user, which is no refused call's doing.
    assert_eq!(
        send(call(&app, plain, Method::GET, "/2.0/users/me"))
            .await
            .status,
        200
    );
    let user_path = format!("/2.0/users/{owner}");

    // (reason, token, method, path, body, status, code, context_info)
    let cases: Vec<Case> = vec![
        ("a plain user may not list users", plain, Method::GET, "/2.0/users".into(), None, 403, "access_denied_insufficient_permissions", None),
        ("a plain user may not make users", plain, Method::POST, "/2.0/users".into(), Some(json!({"name": "X", "login": "x@example.com"})), 403, "access_denied_insufficient_permissions", None),
        ("a plain user may not change users", plain, Method::PUT, user_path.clone(), Some(json!({"name": "X"})), 403, "access_denied_insufficient_permissions", None),
        ("a plain user may not delete users", plain, Method::DELETE, user_path.clone(), None, 403, "access_denied_insufficient_permissions", None),
        ("a name is required", &admin, Method::POST, "/2.0/users".into(), Some(json!({"login": "n@example.com"})), 400, "bad_request", Some(param("missing_parameter", "name", "'name' is required"))),
        ("a name is at most 50 characters", &admin, Method::POST, "/2.0/users".into(), Some(json!({"name": "n".repeat(51), "login": "n@example.com"})), 400, "bad_request", Some(param("invalid_parameter", "name", "Invalid value. A name must be 1 to 50 characters."))),
        ("a managed user needs a login", &admin, Method::POST, "/2.0/users".into(), Some(json!({"name": "N"})), 400, "bad_request", Some(param("missing_parameter", "login", "'login' is required"))),
        ("a login is an email address", &admin, Method::POST, "/2.0/users".into(), Some(json!({"name": "N", "login": "nobody"})), 400, "bad_request", Some(param("invalid_parameter", "login", "Invalid value. The login must be an email address."))),
        ("an app user's login is Box's to assign", &admin, Method::POST, "/2.0/users".into(), Some(json!({"name": "N", "login": "n@example.com", "is_platform_access_only": true})), 400, "bad_request", Some(param("invalid_parameter", "login", "An app user's login is assigned by Box; leave login out."))),
        ("admin is not a role one can give", &admin, Method::POST, "/2.0/users".into(), Some(json!({"name": "N", "login": "n@example.com", "role": "admin"})), 400, "bad_request", Some(param("invalid_parameter", "role", "Invalid value. The value must be one of coadmin, user."))),
        ("a language the emulator does not keep", &admin, Method::POST, "/2.0/users".into(), Some(json!({"name": "N", "login": "n@example.com", "language": "fr"})), 400, "bad_request", Some(unkept("language"))),
        ("a login already used", &admin, Method::POST, "/2.0/users".into(), Some(json!({"name": "N", "login": "Owner@example.com"})), 409, "user_login_already_used", None),
        ("an unknown status", &admin, Method::PUT, user_path.clone(), Some(json!({"status": "asleep"})), 400, "bad_request", Some(param("invalid_parameter", "status", "Invalid value. The value must be one of active, inactive, cannot_delete_edit, cannot_delete_edit_upload."))),
        ("a timezone the emulator does not keep", &admin, Method::PUT, user_path.clone(), Some(json!({"name": "Y", "timezone": "Europe/Paris"})), 400, "bad_request", Some(unkept("timezone"))),
        ("a new login is not kept", &admin, Method::PUT, user_path.clone(), Some(json!({"login": "new@example.com"})), 400, "bad_request", Some(unkept("login"))),
        ("changing an unknown user", &admin, Method::PUT, "/2.0/users/1".into(), Some(json!({"name": "Y"})), 404, "not_found", None),
        ("deleting an unknown user", &admin, Method::DELETE, "/2.0/users/1".into(), None, 404, "not_found", None),
        ("deleting a user who owns files without force", &admin, Method::DELETE, user_path.clone(), None, 400, "bad_request", Some(param("invalid_parameter", "force", "The user still owns files or folders; delete them or pass force=true."))),
        ("an admin may not delete themselves", &admin, Method::DELETE, format!("/2.0/users/{service}"), None, 403, "access_denied_insufficient_permissions", None),
        ("an unknown user_type", &admin, Method::GET, "/2.0/users?user_type=robots".into(), None, 400, "bad_request", Some(param("invalid_parameter", "user_type", "Invalid value. The value must be one of all, managed, external."))),
    ];
    for (reason, token, method, path, body, status, code, context) in cases {
        let before = users(&app, &admin).await;
        let mut request = call(&app, token, method, &path);
        if let Some(body) = body {
            request = request.json(&body);
        }

        // Act
        let reply = send(request).await;

        // Assert
        assert_eq!(reply.status, status, "{reason}: {}", reply.body);
        let message = match code {
            "access_denied_insufficient_permissions" => "Access denied - insufficient permission",
            "not_found" => "Not Found",
            "user_login_already_used" => "User with the specified login already exists",
            _ => "Bad Request",
        };
        assert_eq!(
            reply.body,
            error_json(rid(&reply), status, code, message, context),
            "{reason}"
        );
        assert_error_text_shape(&reply.text(), status);
        assert_eq!(users(&app, &admin).await, before, "{reason}");
    }
}

/// (reason, token, method, path, body, status, code, context_info)
type Case<'a> = (
    &'a str,
    &'a str,
    Method,
    String,
    Option<Value>,
    u16,
    &'a str,
    Option<Value>,
);

fn param(reason: &str, name: &str, message: &str) -> Value {
    json!({"errors": [{"reason": reason, "name": name, "message": message}]})
}

fn unkept(key: &str) -> Value {
    param(
        "invalid_parameter",
        "body",
        &format!(
            "The emulator does not keep '{key}' for users; nothing was changed. Only the value \
             every user has (or null) is taken."
        ),
    )
}

async fn upload_as(app: &TestApp, token: &str, name: &str) -> Value {
    let attributes = format!(r#"{{"name":"{name}","parent":{{"id":"0"}}}}"#);
    let reply = send(with_multipart(
        call(app, token, Method::POST, "/api/2.0/files/content"),
        &[Part::attributes(&attributes), Part::file(b"hello")],
    ))
    .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.body["entries"][0].clone()
}

#[tokio::test]
async fn as_user_runs_an_admins_request_as_the_user_named_and_refuses_others() {
    // Arrange: an app user with a file, and a fixture admin.
    let app = spawn()
        .fixture(json!({"users": [
            {"id": "77", "name": "Root Admin", "tokens": ["admin-token"], "role": "admin"},
            {"id": "78", "tokens": ["plain-token"]}
        ]}))
        .start()
        .await;
    let service = ccg(&app, None).await;
    let app_user = send(
        call(&app, &service, Method::POST, "/2.0/users")
            .json(&json!({"name": "Worker", "is_platform_access_only": true})),
    )
    .await
    .body;
    let id = app_user["id"].as_str().unwrap();
    let token = ccg(&app, Some(id)).await;
    let theirs = upload_as(&app, &token, "theirs.txt").await;

    // Act
    let as_user = |token: &str, user: &str, method: Method, path: &str| {
        call(&app, token, method, path).header("As-User", user)
    };
    let listed = send(as_user(&service, id, Method::GET, "/2.0/folders/0/items")).await;
    let by_admin = send(as_user("admin-token", id, Method::GET, "/2.0/users/me")).await;
    let written = send(with_multipart(
        as_user(&service, id, Method::POST, "/api/2.0/files/content"),
        &[
            Part::attributes(r#"{"name":"by-admin.txt","parent":{"id":"0"}}"#),
            Part::file(b"hi"),
        ],
    ))
    .await;
    let refused = send(as_user(
        "plain-token",
        id,
        Method::GET,
        "/2.0/folders/0/items",
    ))
    .await;
    let unknown = send(as_user(&service, "1", Method::GET, "/2.0/folders/0/items")).await;
    let own_items = send(call(&app, &token, Method::GET, "/2.0/folders/0/items")).await;
    let journal: Value = send(app.client.get(app.url("/__admin/requests?api=box")))
        .await
        .body;

    // Assert: the listing is the app user's, and what the admin wrote is theirs.
    assert_eq!(listed.status, 200);
    assert_eq!(listed.body["total_count"], 1);
    assert_eq!(listed.body["entries"][0]["id"], theirs["id"]);
    assert_eq!(by_admin.body["id"], id);
    assert_eq!(written.status, 201);
    assert_eq!(written.body["entries"][0]["created_by"]["id"], id);
    assert_eq!(written.body["entries"][0]["owned_by"]["id"], id);
    assert_eq!(own_items.body["total_count"], 2);
    assert_eq!(refused.status, 403);
    assert_eq!(refused.body, insufficient_permission(rid(&refused)));
    assert_eq!(unknown.body, not_found(rid(&unknown)));
    // The journal names who acted: the As-User user, with the app's client id.
    let upload = journal["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "/api/2.0/files/content" && e["status"] == 201 && e["app"] == "app")
        .expect("the upload as the app user");
    assert_eq!(upload["user"], id);
}

#[tokio::test]
async fn made_users_are_exported_reloaded_and_listed_on_the_admin_page() {
    // Arrange
    let app = spawn().start().await;
    let admin = ccg(&app, None).await;
    let made = send(call(&app, &admin, Method::POST, "/2.0/users").json(&json!({
        "name": "Dee", "login": "dee@example.com", "role": "coadmin", "phone": "555"
    })))
    .await
    .body;
    let id = made["id"].as_str().unwrap();

    // Act
    let exported = send(app.client.get(app.url("/__admin/state"))).await.body;
    let other = spawn().start().await;
    let loaded = send(
        other
            .client
            .post(other.url("/__admin/fixtures"))
            .json(&exported),
    )
    .await;
    let again = send(other.client.get(other.url("/__admin/state")))
        .await
        .body;
    let page = send(app.client.get(app.url("/__admin/users"))).await.body;
    // Anyone reads a user; the reloaded one keeps their role and phone.
    let reloaded = send(
        other
            .client
            .get(other.url(&format!("/2.0/users/{id}?fields=role,phone")))
            .bearer_auth("anyone"),
    )
    .await
    .body;

    // Assert
    let entry = exported["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == id)
        .expect("the made user is exported")
        .clone();
    assert_eq!(
        entry,
        json!({"id": id, "name": "Dee", "login": "dee@example.com", "role": "coadmin", "phone": "555"})
    );
    assert_eq!(loaded.status, 200, "{}", loaded.body);
    assert_eq!(again["users"], exported["users"]);
    assert!(
        page["users"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["id"] == id),
        "{page}"
    );
    assert_eq!(
        reloaded,
        json!({"type": "user", "id": id, "name": "Dee", "login": "dee@example.com",
               "role": "coadmin", "phone": "555"})
    );
}

/// The id the error body carries (checked for its form by `error_json`).
fn rid(reply: &Reply) -> &str {
    reply.body["request_id"].as_str().unwrap_or_default()
}

/// Starts a server on a data dir another one just left: the first lets go of it once its
/// connections have closed.
pub(crate) async fn restart(server: impl Fn() -> Spawn) -> TestApp {
    let mut tries = 0;
    let emulator = loop {
        match server().builder().try_start().await {
            Ok(emulator) => break emulator,
            Err(_) if tries < 200 => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(25)).await;
            }
            Err(error) => panic!("the data dir stayed locked: {error}"),
        }
    };
    TestApp {
        emulator,
        client: reqwest::Client::new(),
    }
}

pub(crate) fn temp_dir() -> TempDir {
    TempDir::new("users")
}

#[tokio::test]
async fn a_listed_user_renamed_through_the_api_keeps_the_name_across_a_restart() {
    // Arrange: sign-in closed to a list naming an admin, who renames themselves.
    let dir = temp_dir();
    let server = || {
        spawn()
            .data_dir(dir.to_path_buf())
            .tokens(vec![restore_mock::fixture::FixtureUser {
                id: "10".into(),
                name: Some("Listed Name".into()),
                tokens: vec!["listed-admin".into()],
                role: Some(restore_mock::store::accounts::Role::Admin),
                ..Default::default()
            }])
    };
    let app = server().start().await;
    let renamed = send(
        call(&app, "listed-admin", Method::PUT, "/2.0/users/10").json(&json!({"name": "New Name"})),
    )
    .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    drop(app);

    // Act: the same list again, over the data dir that kept the rename.
    let app = restart(server).await;
    let me = send(call(&app, "listed-admin", Method::GET, "/2.0/users/me")).await;

    // Assert: the data dir is taken, and the kept name wins over the list's.
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.body["name"], "New Name");
}

#[tokio::test]
async fn made_changed_and_deleted_users_survive_a_restart_on_the_data_dir() {
    // Arrange: one user made and changed, another made and deleted, then a restart.
    let dir = temp_dir();
    let app = spawn().data_dir(dir.to_path_buf()).start().await;
    let admin = ccg(&app, None).await;
    let make = |name: &str| {
        call(&app, &admin, Method::POST, "/2.0/users")
            .json(&json!({"name": name, "is_platform_access_only": true}))
    };
    let kept = send(make("Kept")).await.body;
    let kept_id = kept["id"].as_str().unwrap().to_owned();
    let dropped = send(make("Dropped")).await.body;
    let dropped_id = dropped["id"].as_str().unwrap().to_owned();
    let path = format!("/2.0/users/{kept_id}");
    let changed = send(
        call(&app, &admin, Method::PUT, &path)
            .json(&json!({"name": "Kept Too", "role": "coadmin"})),
    )
    .await
    .body;
    let deleted = send(call(
        &app,
        &admin,
        Method::DELETE,
        &format!("/2.0/users/{dropped_id}"),
    ))
    .await;
    assert_eq!(deleted.status, 204);
    drop(app);

    // Act
    let app = restart(|| spawn().data_dir(dir.to_path_buf())).await;
    let token = ccg(&app, Some(&kept_id)).await;
    let me = send(call(&app, &token, Method::GET, "/2.0/users/me?fields=role")).await;
    let gone = send(call(
        &app,
        &token,
        Method::GET,
        &format!("/2.0/users/{dropped_id}"),
    ))
    .await;

    // Assert: the kept user signs in as changed; a coadmin now, they may list users.
    assert_eq!(
        me.body,
        json!({"type": "user", "id": kept_id, "name": "Kept Too",
               "login": changed["login"], "role": "coadmin"})
    );
    assert_eq!(gone.status, 404);
    let listed = users(&app, &token).await;
    assert!(listed.iter().any(|u| u.0 == kept_id) && !listed.iter().any(|u| u.0 == dropped_id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_makes_an_app_user_signs_in_as_them_and_acts_as_them() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act: the script blocks, so it runs off the runtime the server needs.
    let output = tokio::task::spawn_blocking(move || {
        crate::support::run_sdk_script("box_app_users.py", &[&root])
    })
    .await
    .expect("the SDK script ran");

    // Assert: the app user is gone and so are their files; the service account is left.
    assert!(output.contains("box app users passed"), "{output}");
    let admin = ccg_as(&app, "users-app").await;
    let left = users(&app, &admin).await;
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].1, "Service Account users-app");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_sdk_makes_an_app_user_signs_in_as_them_and_acts_as_them() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act
    let output = tokio::task::spawn_blocking(move || {
        crate::support::run_node_script("box_app_users.js", &[&root], &[])
    })
    .await
    .expect("the SDK script ran");

    // Assert
    assert!(output.contains("box node app users passed"), "{output}");
    let admin = ccg_as(&app, "node-users-app").await;
    let left = users(&app, &admin).await;
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].1, "Service Account node-users-app");
}

/// An enterprise client-credentials token of `client`.
async fn ccg_as(app: &TestApp, client: &str) -> String {
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", client),
        ("client_secret", "s"),
        ("box_subject_type", "enterprise"),
        ("box_subject_id", "900"),
    ];
    let Reply { body, .. } = send(app.client.post(app.url("/oauth2/token")).form(&form)).await;
    body["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn with_sign_in_closed_a_made_user_signs_in_by_subject_and_an_unknown_one_does_not() {
    // Arrange: only the listed admin's token signs in; one configured client.
    let app = spawn()
        .tokens(vec![restore_mock::fixture::FixtureUser {
            id: "10".into(),
            tokens: vec!["closed-admin".into()],
            role: Some(restore_mock::store::accounts::Role::Admin),
            ..Default::default()
        }])
        .fixture(json!({"clients": [{"id": "app", "secret": "s"}]}))
        .start()
        .await;
    let made = send(
        call(&app, "closed-admin", Method::POST, "/2.0/users")
            .json(&json!({"name": "Closed App User", "is_platform_access_only": true})),
    )
    .await;
    let id = made.body["id"].as_str().unwrap().to_owned();
    let token_for = |subject: &str| {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", "app"),
            ("client_secret", "s"),
            ("box_subject_type", "user"),
            ("box_subject_id", subject),
        ];
        app.client.post(app.url("/oauth2/token")).form(&form)
    };

    // Act
    let granted = send(token_for(&id)).await;
    let unknown = send(token_for("123")).await;
    let none = send(call(
        &app,
        "closed-admin",
        Method::GET,
        "/2.0/users?external_app_user_id=x",
    ))
    .await;

    // Assert
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(granted.status, 200, "{}", granted.body);
    let token = granted.body["access_token"].as_str().unwrap();
    let me = send(call(&app, token, Method::GET, "/2.0/users/me")).await;
    assert_eq!(me.body["id"], id.as_str());
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.body["error"], "invalid_grant");
    assert_eq!(none.body["total_count"], 0);
}

#[tokio::test]
async fn a_jwt_for_a_made_user_signs_in_as_them() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    // Arrange
    let app = spawn().start().await;
    let admin = ccg(&app, None).await;
    let made = send(
        call(&app, &admin, Method::POST, "/2.0/users")
            .json(&json!({"name": "Jwt App User", "is_platform_access_only": true})),
    )
    .await
    .body;
    let id = made["id"].as_str().unwrap();
    // The emulator checks no signature for a client without a public key.
    let part = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let assertion = format!(
        "{}.{}.",
        part(json!({"alg": "RS256", "kid": "k"})),
        part(json!({
            "iss": "app", "sub": id, "box_sub_type": "user", "jti": "one",
            "aud": "https://api.box.com/oauth2/token",
            "exp": chrono::Utc::now().timestamp() + 30,
        }))
    );
    let form = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        ("client_id", "app"),
        ("client_secret", "s"),
        ("assertion", assertion.as_str()),
    ];

    // Act
    let granted = send(app.client.post(app.url("/oauth2/token")).form(&form)).await;
    let token = granted.body["access_token"].as_str().unwrap_or_default();
    let me = send(call(&app, token, Method::GET, "/2.0/users/me")).await;

    // Assert
    assert_eq!(granted.status, 200, "{}", granted.body);
    assert_eq!(me.body, made);
}
