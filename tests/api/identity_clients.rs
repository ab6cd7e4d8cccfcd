//! The token endpoints' clients (`crate::identity`): configured through `/__admin/clients` and
//! the fixture, exported with the state, emptied by a reset, closed with `--tokens`; and fault
//! rules on the token endpoint.

use restore_mock::fixture::FixtureUser;
use serde_json::{json, Value};

use crate::support::box_api::error_json;
use crate::support::{send, spawn, Reply, TestApp};

async fn put_clients(app: &TestApp, body: Value) -> Reply {
    send(app.client.put(app.url("/__admin/clients")).json(&body)).await
}

async fn get_json(app: &TestApp, path: &str) -> Value {
    send(app.client.get(app.url(path))).await.body
}

async fn ccg(app: &TestApp, client_id: &str, secret: &str) -> Reply {
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", secret),
        ("box_subject_type", "enterprise"),
    ];
    send(app.client.post(app.url("/oauth2/token")).form(&form)).await
}

#[tokio::test]
async fn clients_are_replaced_whole_through_the_admin_api_or_refused_whole() {
    // Arrange
    let app = spawn().start().await;
    let listed = json!({"clients": [
        {"id": "a", "secret": "s", "user": "42", "scopes": ["root_readonly"], "token_lifetime": 60},
        {"id": "b", "secret": "t"},
    ]});

    // Act
    let put = put_clients(&app, listed).await;
    let refused = put_clients(
        &app,
        json!({"clients": [{"id": "c", "secret": "u"}, {"id": "c", "secret": "v"}]}),
    )
    .await;
    let unknown_field = put_clients(
        &app,
        json!({"clients": [{"id": "d", "secret": "w", "colour": 1}]}),
    )
    .await;

    // Assert: every default written out; a refused list changes nothing.
    let expected = json!({"clients": [
        {"id": "a", "secret": "s", "user": "42", "roles": ["Files.ReadWrite.All", "Sites.ReadWrite.All"],
         "scopes": ["root_readonly"], "token_lifetime": 60},
        {"id": "b", "secret": "t", "roles": ["Files.ReadWrite.All", "Sites.ReadWrite.All"],
         "token_lifetime": 3600},
    ]});
    assert_eq!(put.status, 200);
    assert_eq!(put.body, expected);
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.body,
        json!({"error": {"code": "bad_request", "message": "clients[1]: the client id \"c\" is listed twice"}})
    );
    assert_eq!(unknown_field.status, 400);
    assert_eq!(unknown_field.body["error"]["code"], "bad_request");
    assert_eq!(get_json(&app, "/__admin/clients").await, expected);
}

#[tokio::test]
async fn a_fixtures_clients_sign_in_are_exported_and_a_reset_forgets_them() {
    // Arrange
    let app = spawn()
        .fixture(
            serde_json::from_value::<restore_mock::fixture::Fixture>(json!({
                "users": [{"id": "42", "name": "Ada"}],
                "clients": [{"id": "app", "secret": "s", "user": "42"}],
            }))
            .unwrap(),
        )
        .start()
        .await;

    // Act
    let wrong = ccg(&app, "app", "not-s").await;
    let right = ccg(&app, "app", "s").await;
    let state = get_json(&app, "/__admin/state").await;
    let reset = send(app.client.post(app.url("/__admin/reset"))).await;
    let after_reset = get_json(&app, "/__admin/clients").await;

    // Assert: the configured client signs in as its user, Ada; an export carries it.
    assert_eq!(wrong.status, 400);
    assert_eq!(right.status, 200, "{}", right.body);
    let token = right.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(state["clients"][0]["id"], "app");
    assert_eq!(reset.status, 204);
    assert_eq!(after_reset, json!({"clients": []}));
    // Issued tokens go with the reset too.
    let me = send(app.client.get(app.url("/2.0/users/me")).bearer_auth(&token)).await;
    assert_eq!(me.status, 401);
}

#[tokio::test]
async fn with_a_closed_token_list_an_unknown_client_is_refused() {
    // Arrange
    let users = vec![FixtureUser {
        id: "42".into(),
        name: None,
        login: None,
        tokens: vec!["ada".into()],
        scopes: None,
        ..Default::default()
    }];
    let app = spawn().tokens(users).start().await;

    // Act
    let reply = ccg(&app, "anyone", "anything").await;

    // Assert
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        json!({"error": "invalid_client", "error_description": "The client credentials are invalid"})
    );
}

#[tokio::test]
async fn a_fault_rule_answers_the_token_endpoint_with_retry_after() {
    // Arrange
    let app = spawn().start().await;
    let rule = send(app.client.post(app.url("/__admin/faults")).json(&json!({
        "match": {"api": "box", "path": "/oauth2/token"},
        "action": {"type": "error", "status": 429, "retry_after": 2},
        "times": 1
    })))
    .await;
    assert_eq!(rule.status, 201);

    // Act
    let limited = ccg(&app, "app", "s").await;
    let then = ccg(&app, "app", "s").await;

    // Assert: the first is the fault in Box's envelope, the second signs in.
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("retry-after"), "2");
    assert_eq!(
        limited.body,
        error_json(
            "y83so4k8319p153p",
            429,
            "rate_limit_exceeded",
            "Request rate limit exceeded, please try again later",
            None
        )
    );
    assert_eq!(then.status, 200);
    let journal = get_json(&app, "/__admin/requests?path_prefix=/oauth2").await;
    let faults: Vec<&Value> = (journal["requests"].as_array().unwrap().iter())
        .map(|e| &e["fault"])
        .collect();
    assert_eq!(faults, vec![&json!(1), &Value::Null]);
}
