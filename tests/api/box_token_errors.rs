//! Box's token endpoints refusing what real Box refuses, at the wire: OAuth's `400 {"error",
//! "error_description"}` for bad token requests (a table with a reason per case), codes and
//! refresh tokens that work once, and a token that expired, was revoked or is used beyond its
//! downscoped resource.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::support::box_api::insufficient_permission;
use crate::support::box_schema::{assert_access_token_shape, assert_oauth_error_shape};
use crate::support::{send, spawn, Reply, TestApp};

const WWW_AUTHENTICATE: &str = "Bearer realm=\"Service\", error=\"invalid_token\", \
                                error_description=\"The access token provided is invalid.\"";

async fn post_form(app: &TestApp, path: &str, form: &[(&str, &str)]) -> Reply {
    send(app.client.post(app.url(path)).form(form)).await
}

async fn token(app: &TestApp, form: &[(&str, &str)]) -> Reply {
    post_form(app, "/oauth2/token", form).await
}

/// A client-credentials token for the app's service account.
async fn ccg_token(app: &TestApp) -> String {
    let reply = token(
        app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "app"),
            ("client_secret", "secret"),
            ("box_subject_type", "enterprise"),
            ("box_subject_id", "900"),
        ],
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("cache-control"), "no-store");
    assert_access_token_shape(&reply.body);
    let token = reply.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        reply.body,
        json!({"access_token": token, "expires_in": 3600, "restricted_to": [], "token_type": "bearer"})
    );
    token
}

/// An unsigned JWT with these claims (the emulator checks signatures only for a client with a
/// public key).
fn jwt(claims: Value) -> String {
    let part = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
    format!(
        "{}.{}.",
        part(json!({"alg": "RS256", "kid": "k"})),
        part(claims)
    )
}

async fn authorize(app: &TestApp) -> String {
    let reply = send(app.client.get(app.url(
        "/api/oauth2/authorize?response_type=code&client_id=app&redirect_uri=http://localhost/cb",
    )))
    .await;
    assert_eq!(reply.status, 302);
    let location = reply.header("location").to_owned();
    location
        .strip_prefix("http://localhost/cb?code=")
        .expect("the code in the redirect")
        .to_owned()
}

async fn redeem(app: &TestApp, code: &str) -> Reply {
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", "app"),
        ("client_secret", "secret"),
        ("code", code),
    ];
    token(app, &form).await
}

async fn refresh_with(app: &TestApp, refresh: &str) -> Reply {
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", "app"),
        ("client_secret", "secret"),
        ("refresh_token", refresh),
    ];
    token(app, &form).await
}

async fn get_me(app: &TestApp, token: &str) -> Reply {
    send(app.client.get(app.url("/2.0/users/me")).bearer_auth(token)).await
}

async fn advance_clock(app: &TestApp, seconds: i64) {
    let reply = send(
        app.client
            .post(app.url("/__admin/clock"))
            .json(&json!({"advance_seconds": seconds})),
    )
    .await;
    assert_eq!(reply.status, 200);
}

/// A token request's form fields.
type Form = Vec<(&'static str, String)>;

fn oauth_error(error: &str, description: &str) -> Value {
    json!({"error": error, "error_description": description})
}

#[tokio::test]
async fn bad_token_requests_get_oauth_errors_with_a_400() {
    // Arrange: one configured client, so that a wrong secret is wrong.
    let app = spawn().start().await;
    let configured = send(
        app.client
            .put(app.url("/__admin/clients"))
            .json(&json!({"clients": [{"id": "app", "secret": "secret"}]})),
    )
    .await;
    assert_eq!(configured.status, 200);
    let client = [("client_id", "app"), ("client_secret", "secret")];
    let with_client = |more: &[(&'static str, &'static str)]| -> Form {
        (client.iter().chain(more))
            .map(|(k, v)| (*k, v.to_string()))
            .collect()
    };
    let good_exp = (chrono::Utc::now().timestamp() + 30).to_string();
    let jwt_form = |claims: Value| {
        let mut form =
            with_client(&[("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")]);
        form.push(("assertion", jwt(claims)));
        form
    };
    let cases: Vec<(&str, Form, Value)> = vec![
        (
            "a wrong secret",
            vec![
                ("grant_type", "client_credentials".into()),
                ("client_id", "app".into()),
                ("client_secret", "wrong".into()),
                ("box_subject_type", "enterprise".into()),
            ],
            oauth_error("invalid_client", "The client credentials are invalid"),
        ),
        (
            "no client id",
            vec![("grant_type", "client_credentials".into())],
            oauth_error("invalid_client", "The client credentials are invalid"),
        ),
        (
            "an unknown grant type",
            with_client(&[("grant_type", "password")]),
            oauth_error(
                "unsupported_grant_type",
                "Invalid grant_type parameter or parameter missing",
            ),
        ),
        (
            "no grant type",
            with_client(&[]),
            oauth_error(
                "unsupported_grant_type",
                "Invalid grant_type parameter or parameter missing",
            ),
        ),
        (
            "a subject type Box does not have",
            with_client(&[
                ("grant_type", "client_credentials"),
                ("box_subject_type", "group"),
            ]),
            oauth_error(
                "unauthorized_client",
                "The \"box_subject_type\" value is unauthorized for this client_id",
            ),
        ),
        (
            "a user subject that is not a Box user id",
            with_client(&[
                ("grant_type", "client_credentials"),
                ("box_subject_type", "user"),
                ("box_subject_id", "not-digits"),
            ]),
            oauth_error("invalid_grant", "Grant credentials are invalid"),
        ),
        (
            "no subject type",
            with_client(&[("grant_type", "client_credentials")]),
            oauth_error("invalid_request", "box_subject_type is missing"),
        ),
        (
            "a malformed JWT",
            with_client(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", "not.a-jwt"),
            ]),
            oauth_error(
                "invalid_grant",
                "Please check the 'assertion' parameter: it is not a JWT.",
            ),
        ),
        (
            "a JWT issued by another client",
            jwt_form(
                json!({"iss": "other", "sub": "900", "box_sub_type": "enterprise", "exp": good_exp.parse::<i64>().unwrap()}),
            ),
            oauth_error("invalid_grant", "Please check the 'iss' claim."),
        ),
        (
            "a JWT that expired an hour ago",
            jwt_form(
                json!({"iss": "app", "sub": "900", "box_sub_type": "enterprise", "exp": chrono::Utc::now().timestamp() - 3600}),
            ),
            oauth_error("invalid_grant", "Please check the 'exp' claim."),
        ),
        (
            "a code nobody issued",
            with_client(&[("grant_type", "authorization_code"), ("code", "abc")]),
            oauth_error(
                "invalid_grant",
                "Auth code doesn't exist or is invalid for the client",
            ),
        ),
        (
            "no code",
            with_client(&[("grant_type", "authorization_code")]),
            oauth_error("invalid_request", "code is missing"),
        ),
        (
            "a refresh token nobody issued",
            with_client(&[("grant_type", "refresh_token"), ("refresh_token", "abc")]),
            oauth_error("invalid_grant", "Invalid refresh token"),
        ),
        (
            "a downscope to a scope Box does not have",
            vec![
                (
                    "grant_type",
                    "urn:ietf:params:oauth:grant-type:token-exchange".into(),
                ),
                ("subject_token", "plain-token".into()),
                (
                    "subject_token_type",
                    "urn:ietf:params:oauth:token-type:access_token".into(),
                ),
                ("scope", "item_preview root_everything".into()),
            ],
            oauth_error("invalid_scope", "The requested scope is invalid"),
        ),
        (
            "a downscope of a token the emulator never issued (its prefix is the emulator's)",
            vec![
                (
                    "grant_type",
                    "urn:ietf:params:oauth:grant-type:token-exchange".into(),
                ),
                ("subject_token", "rmat_0000".into()),
                (
                    "subject_token_type",
                    "urn:ietf:params:oauth:token-type:access_token".into(),
                ),
                ("scope", "item_preview".into()),
            ],
            oauth_error("invalid_grant", "Invalid subject token"),
        ),
    ];

    for (reason, form, expected) in cases {
        // Act
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = token(&app, &form).await;

        // Assert
        assert_eq!(reply.status, 400, "{reason}");
        assert_eq!(reply.header("content-type"), "application/json", "{reason}");
        assert_eq!(reply.header("cache-control"), "no-store", "{reason}");
        assert_eq!(reply.body, expected, "{reason}");
        assert_oauth_error_shape(&reply.body);
    }
    // Nothing was signed in: the journal names no user for any of them.
    let journal = send(
        app.client
            .get(app.url("/__admin/requests?path_prefix=/oauth2")),
    )
    .await;
    let users: Vec<&Value> = (journal.body["requests"].as_array().unwrap().iter())
        .map(|e| &e["user"])
        .collect();
    assert_eq!(users, vec![&Value::Null; 15]);
}

#[tokio::test]
async fn a_method_the_token_routes_do_not_take_gets_an_oauth_error_not_an_empty_405() {
    // Arrange
    let app = spawn().start().await;
    let cases = [
        (
            reqwest::Method::GET,
            "/oauth2/token",
            "Only POST is accepted here",
        ),
        (
            reqwest::Method::PUT,
            "/oauth2/revoke",
            "Only POST is accepted here",
        ),
        (
            reqwest::Method::POST,
            "/api/oauth2/authorize",
            "Only GET is accepted here",
        ),
    ];

    for (method, path, why) in cases {
        // Act: with a query that would be a good grant, had the method been right.
        let target = format!("{path}?grant_type=client_credentials&client_id=app&client_secret=s");
        let reply = send(app.client.request(method.clone(), app.url(&target))).await;

        // Assert
        assert_eq!(reply.status, 400, "{method} {path}");
        assert_eq!(reply.header("cache-control"), "no-store", "{method} {path}");
        assert_eq!(
            reply.body,
            oauth_error("invalid_request", why),
            "{method} {path}"
        );
        assert_oauth_error_shape(&reply.body);
    }
    // Journaled as Box requests, and nothing signed in.
    let journal = send(app.client.get(app.url("/__admin/requests"))).await;
    let seen: Vec<(&Value, &Value, &Value)> = (journal.body["requests"].as_array().unwrap())
        .iter()
        .map(|e| (&e["api"], &e["status"], &e["user"]))
        .collect();
    assert_eq!(seen, vec![(&json!("box"), &json!(400), &Value::Null); 3]);
}

#[tokio::test]
async fn a_code_works_once_and_expires_after_thirty_seconds() {
    // Arrange
    let app = spawn().start().await;
    let code = authorize(&app).await;
    let first = redeem(&app, &code).await;

    let wrong_redirect = authorize(&app).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", "app"),
        ("client_secret", "secret"),
        ("code", wrong_redirect.as_str()),
        ("redirect_uri", "http://elsewhere/cb"),
    ];

    // Act
    let redirected = token(&app, &form).await;
    let reused = redeem(&app, &code).await;
    let late = authorize(&app).await;
    advance_clock(&app, 30).await;
    let expired = redeem(&app, &late).await;

    // Assert
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body["refresh_token"].as_str().unwrap().len(), 64);
    assert_access_token_shape(&first.body);
    assert_eq!(redirected.status, 400);
    assert_eq!(
        redirected.body,
        oauth_error(
            "invalid_grant",
            "The redirect_uri does not match the one the code was issued for"
        )
    );
    assert_eq!(reused.status, 400);
    assert_eq!(
        reused.body,
        oauth_error(
            "invalid_grant",
            "Auth code doesn't exist or is invalid for the client"
        )
    );
    assert_eq!(expired.status, 400);
    assert_eq!(
        expired.body,
        oauth_error("invalid_grant", "The authorization code has expired")
    );
}

#[tokio::test]
async fn a_refresh_token_works_once_and_gives_a_new_pair() {
    // Arrange
    let app = spawn().start().await;
    let code = authorize(&app).await;
    let client = [("client_id", "app"), ("client_secret", "secret")];
    let first = token(
        &app,
        &[
            client[0],
            client[1],
            ("grant_type", "authorization_code"),
            ("code", &code),
        ],
    )
    .await;
    let refresh = first.body["refresh_token"].as_str().unwrap().to_owned();
    // Act
    let renewed = refresh_with(&app, &refresh).await;
    let again = refresh_with(&app, &refresh).await;

    // Assert: the new pair works, the old refresh token does not.
    assert_eq!(renewed.status, 200, "{}", renewed.body);
    assert_ne!(renewed.body["refresh_token"].as_str().unwrap(), refresh);
    let me = get_me(&app, renewed.body["access_token"].as_str().unwrap()).await;
    assert_eq!(me.status, 200);
    assert_eq!(again.status, 400);
    assert_eq!(
        again.body,
        oauth_error("invalid_grant", "Invalid refresh token")
    );
}

#[tokio::test]
async fn an_expired_or_revoked_token_gets_boxs_401_with_www_authenticate() {
    // Arrange
    let app = spawn().start().await;
    let revoked = ccg_token(&app).await;
    let expiring = ccg_token(&app).await;
    assert_eq!(get_me(&app, &revoked).await.status, 200);

    // Act
    let revoke = post_form(
        &app,
        "/oauth2/revoke",
        &[
            ("client_id", "app"),
            ("client_secret", "secret"),
            ("token", &revoked),
        ],
    )
    .await;
    let after_revoke = get_me(&app, &revoked).await;
    let before_expiry = get_me(&app, &expiring).await;
    advance_clock(&app, 3600).await;
    let after_expiry = get_me(&app, &expiring).await;

    // Assert
    assert_eq!(revoke.status, 200);
    assert_eq!(revoke.bytes.len(), 0);
    assert_eq!(before_expiry.status, 200);
    for (reason, reply) in [("revoked", after_revoke), ("expired", after_expiry)] {
        assert_eq!(reply.status, 401, "{reason}");
        assert_eq!(
            reply.header("www-authenticate"),
            WWW_AUTHENTICATE,
            "{reason}"
        );
        assert_eq!(reply.bytes.len(), 0, "{reason}");
    }
}

#[tokio::test]
async fn a_downscoped_token_beyond_its_resource_is_refused_in_boxs_envelope() {
    // Arrange: a folder with a file, and a file beside it.
    let app = spawn().start().await;
    let full = ccg_token(&app).await;
    let folder = send(
        app.client
            .post(app.url("/2.0/folders"))
            .bearer_auth(&full)
            .json(&json!({"name": "Shared", "parent": {"id": "0"}})),
    )
    .await;
    let folder_id = folder.body["id"].as_str().unwrap().to_owned();
    let resource = format!("https://api.box.com/2.0/folders/{folder_id}");
    let downscoped = token(
        &app,
        &[
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:token-exchange",
            ),
            ("subject_token", &full),
            (
                "subject_token_type",
                "urn:ietf:params:oauth:token-type:access_token",
            ),
            ("scope", "item_preview item_upload"),
            ("resource", &resource),
        ],
    )
    .await;
    let narrow = downscoped.body["access_token"].as_str().unwrap().to_owned();
    let get = |path: &'static str| send(app.client.get(app.url(path)).bearer_auth(&narrow));

    // Act
    let inside = get("/2.0/folders/1000000002/items").await;
    let root = get("/2.0/folders/0").await;
    let trash = get("/2.0/folders/trash/items").await;

    // Assert: the exchange's reply, then the folder is open and the rest refused.
    assert_eq!(downscoped.status, 200, "{}", downscoped.body);
    assert_access_token_shape(&downscoped.body);
    let mut body = downscoped.body.clone();
    body["access_token"] = json!("<token>");
    let object = json!({"type": "folder", "id": "1000000002", "sequence_id": "0", "etag": "0", "name": "Shared"});
    assert_eq!(
        body,
        json!({
            "access_token": "<token>",
            "expires_in": 3600,
            "restricted_to": [
                {"scope": "item_preview", "object": object},
                {"scope": "item_upload", "object": object},
            ],
            "token_type": "bearer",
            "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
        })
    );
    assert_eq!(inside.status, 200, "{}", inside.body);
    for (reason, reply, request_id) in [
        ("the root, above the resource", root, "d95it76emao82qkv"),
        ("the trash, which names no item", trash, "bz54cz2iuj32wwyx"),
    ] {
        assert_eq!(reply.status, 403, "{reason}");
        assert_eq!(reply.body, insufficient_permission(request_id), "{reason}");
    }
}

#[tokio::test]
async fn token_requests_are_journaled_with_their_secrets_masked() {
    // Arrange: a client that puts its credentials in the query as well as the form.
    let app = spawn().start().await;
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", "app"),
        ("client_secret", "s3cret"),
        ("box_subject_type", "enterprise"),
    ];

    // Act
    let reply = send(
        app.client
            .post(app.url("/oauth2/token?client_id=app&client_secret=s3cret"))
            .form(&form),
    )
    .await;

    // Assert: the query's secret is masked; the form is never recorded.
    assert_eq!(reply.status, 200);
    let journal = send(app.client.get(app.url("/__admin/requests"))).await;
    let entry = &journal.body["requests"][0];
    assert_eq!(entry["path"], "/oauth2/token");
    assert_eq!(entry["query"], "client_id=app&client_secret=***");
    assert!(!journal.text().contains("s3cret"), "{}", journal.text());
}
