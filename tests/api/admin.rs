//! The `/__admin` namespace: health, state and fixtures, reset, clock, the admin token, and the
//! admin envelope on bad input.

use serde_json::{json, Value};

use crate::support::spawn;
use crate::support::Reply;
use crate::support::{send, TestApp};

fn fixture() -> Value {
    json!({
        "users": [{"id": "42", "name": "Ada", "login": "ada@example.com", "tokens": ["ada-token"]}],
        "spaces": [{
            "face": "graph",
            "owner": "42",
            "items": [
                {"type": "folder", "path": "Docs", "id": 900},
                {"type": "file", "path": "Docs/a.txt", "id": 901, "versions": [
                    {"text": "one", "created_at": "2024-01-01T00:00:00Z"},
                    {"base64": "/+7d", "created_at": "2024-01-02T00:00:00Z"}
                ]}
            ]
        }]
    })
}

async fn get_json(app: &TestApp, path: &str) -> crate::support::Reply {
    send(app.client.get(app.url(path))).await
}

async fn post_json(app: &TestApp, path: &str, body: &Value) -> crate::support::Reply {
    send(app.client.post(app.url(path)).json(body)).await
}

#[tokio::test]
async fn health_answers_ok_as_json() {
    // Arrange
    let app = spawn().start().await;

    // Act
    let response = app
        .client
        .get(app.url("/__admin/health"))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"status": "ok"})
    );
}

#[tokio::test]
async fn a_loaded_fixture_exports_with_its_ids_and_reloads_to_an_equal_state() {
    // Arrange
    let app = spawn().start().await;

    // Act
    let Reply {
        status,
        body: loaded,
        ..
    } = post_json(&app, "/__admin/fixtures", &fixture()).await;
    let Reply { body: exported, .. } = get_json(&app, "/__admin/state").await;
    let other = spawn().start().await;
    let Reply {
        status: reload_status,
        ..
    } = post_json(&other, "/__admin/fixtures", &exported).await;
    let Reply {
        body: reexported, ..
    } = get_json(&other, "/__admin/state").await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(
        loaded,
        json!({"loaded": {"users": 1, "spaces": 1, "items": 2}})
    );
    let items = &exported["spaces"][0]["items"];
    assert_eq!(items[0]["id"], 900);
    assert_eq!(items[1]["id"], 901);
    assert_eq!(items[1]["versions"][0]["text"], "one");
    assert_eq!(items[1]["versions"][1]["base64"], "/+7d");
    assert_eq!(items[1]["versions"][1]["number"], 2);
    assert_eq!(exported["users"][0]["tokens"], json!(["ada-token"]));
    assert_eq!(reload_status, 200);
    assert_eq!(reexported, exported);
}

#[tokio::test]
async fn a_broken_fixture_is_refused_whole_with_the_entry_named() {
    let cases = [
        (
            "/spaces/0/items/1/versions/1",
            json!({"base64": "%%%"}),
            "spaces[0].items[1] (Docs/a.txt).versions[1]",
        ),
        ("/spaces/0/owner", json!("nobody"), "spaces[0].owner"),
        (
            "/spaces/0/items/1/versions/1",
            json!({"text": "x", "number": 1}),
            "spaces[0].items[1] (Docs/a.txt).versions[1]",
        ),
        (
            "/spaces/0/items/1/id",
            json!(900),
            "spaces[0].items[1] (Docs/a.txt)",
        ),
    ];
    for (pointer, value, entry) in cases {
        // Arrange
        let app = spawn().start().await;
        let mut broken = fixture();
        *broken.pointer_mut(pointer).unwrap() = value;

        // Act
        let Reply { status, body, .. } = post_json(&app, "/__admin/fixtures", &broken).await;
        let Reply { body: state, .. } = get_json(&app, "/__admin/state").await;

        // Assert
        assert_eq!(status, 400, "{pointer}");
        assert_eq!(body["error"]["code"], "invalid_fixture", "{pointer}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(entry),
            "{pointer}: {message:?} should name {entry}"
        );
        assert_eq!(state, json!({}), "{pointer}: nothing may be applied");
    }
}

#[tokio::test]
async fn a_fixture_that_is_not_the_format_gets_the_admin_envelope() {
    for (body, what) in [
        ("{", "truncated JSON"),
        (r#"{"people": []}"#, "an unknown section"),
        ("[]", "not an object"),
    ] {
        // Arrange
        let app = spawn().start().await;

        // Act
        let response = app
            .client
            .post(app.url("/__admin/fixtures"))
            .body(body)
            .send()
            .await
            .unwrap();

        // Assert
        assert_eq!(response.status(), 400, "{what}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "bad_request", "{what}");
    }
}

#[tokio::test]
async fn reset_empties_everything_or_one_users_files() {
    // Arrange
    let app = spawn().start().await;
    let mut two_users = fixture();
    two_users["users"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "43", "tokens": ["bob-token"]}));
    two_users["spaces"].as_array_mut().unwrap().push(json!({
        "face": "box", "owner": "43", "items": [{"type": "file", "path": "b.txt", "versions": [{"text": "b"}]}]
    }));
    post_json(&app, "/__admin/fixtures", &two_users).await;

    // Act: one user's files
    let Reply { status, .. } = post_json(&app, "/__admin/reset", &json!({"user": "42"})).await;
    let Reply { body: state, .. } = get_json(&app, "/__admin/state").await;

    // Assert
    assert_eq!(status, 204);
    let owners: Vec<&Value> = state["spaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["owner"])
        .collect();
    assert_eq!(owners, [&json!("43")]);
    assert_eq!(
        state["users"].as_array().unwrap().len(),
        2,
        "users and tokens stay"
    );

    // Act: everything
    let response = app
        .client
        .post(app.url("/__admin/reset"))
        .send()
        .await
        .unwrap();
    let Reply { body: state, .. } = get_json(&app, "/__admin/state").await;

    // Assert
    assert_eq!(response.status(), 204);
    assert_eq!(state, json!({}));
}

#[tokio::test]
async fn the_clock_freezes_advances_and_resumes() {
    // Arrange
    let app = spawn().start().await;

    // Act
    let Reply {
        status: frozen_status,
        body: frozen,
        ..
    } = post_json(
        &app,
        "/__admin/clock",
        &json!({"freeze": "2024-05-06T07:08:09Z"}),
    )
    .await;
    let Reply { body: advanced, .. } =
        post_json(&app, "/__admin/clock", &json!({"advance_seconds": 61})).await;
    let Reply { body: read, .. } = get_json(&app, "/__admin/clock").await;
    let resumed: Value = app
        .client
        .delete(app.url("/__admin/clock"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    // Assert
    assert_eq!(frozen_status, 200);
    assert_eq!(
        frozen,
        json!({"now": "2024-05-06T07:08:09Z", "frozen": true})
    );
    assert_eq!(
        advanced,
        json!({"now": "2024-05-06T07:09:10Z", "frozen": true})
    );
    assert_eq!(read, advanced);
    assert_eq!(resumed["frozen"], false);
}

#[tokio::test]
async fn bad_clock_requests_get_the_admin_envelope() {
    let cases = [
        (json!({}), "neither field"),
        (json!({"freeze": "yesterday"}), "not an instant"),
        (json!({"advance_seconds": -5}), "backwards"),
        (
            json!({"freeze": "2024-01-01T00:00:00Z", "advance_seconds": 1}),
            "both fields",
        ),
    ];
    for (body, what) in cases {
        // Arrange
        let app = spawn().start().await;

        // Act
        let Reply {
            status,
            body: error,
            ..
        } = post_json(&app, "/__admin/clock", &body).await;
        let Reply { body: clock, .. } = get_json(&app, "/__admin/clock").await;

        // Assert
        assert_eq!(status, 400, "{what}");
        assert_eq!(error["error"]["code"], "bad_request", "{what}");
        assert!(error["error"]["message"].is_string(), "{what}");
        assert_eq!(
            clock,
            json!({"now": "2024-06-01T10:00:00Z", "frozen": true}),
            "{what}: the clock must not change"
        );
    }
}

#[tokio::test]
async fn unknown_admin_routes_and_methods_get_the_admin_envelope() {
    // Arrange
    let app = spawn().start().await;

    // Act
    let missing = app
        .client
        .get(app.url("/__admin/nothing"))
        .send()
        .await
        .unwrap();
    let wrong_method = app
        .client
        .put(app.url("/__admin/state"))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.json::<Value>().await.unwrap(),
        json!({"error": {"code": "not_found", "message": "no such admin resource"}})
    );
    assert_eq!(wrong_method.status(), 405);
    assert_eq!(
        wrong_method.json::<Value>().await.unwrap(),
        json!({"error": {"code": "method_not_allowed", "message": "the method is not allowed on this admin route"}})
    );
}

#[tokio::test]
async fn the_admin_token_guards_every_admin_route_but_health() {
    // Arrange
    let emulator = spawn().admin_token("s3cret").start().await.emulator;
    let client = reqwest::Client::new();

    // Act
    let health = client
        .get(emulator.url("/__admin/health"))
        .send()
        .await
        .unwrap();
    let without = client
        .get(emulator.url("/__admin/state"))
        .send()
        .await
        .unwrap();
    let wrong = client
        .post(emulator.url("/__admin/reset"))
        .bearer_auth("guess")
        .send()
        .await
        .unwrap();
    let with = client
        .get(emulator.url("/__admin/state"))
        .bearer_auth("s3cret")
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(health.status(), 200);
    assert_eq!(without.status(), 401);
    assert_eq!(
        without.json::<Value>().await.unwrap(),
        json!({"error": {"code": "unauthorized", "message": "the admin routes need the admin token as a bearer token"}})
    );
    assert_eq!(wrong.status(), 401);
    assert_eq!(with.status(), 200);
}

#[tokio::test]
async fn the_date_header_follows_a_frozen_clock() {
    // Arrange
    let emulator = spawn()
        .clock("2024-02-03T04:05:06Z".parse().unwrap())
        .start()
        .await
        .emulator;

    // Act
    let response = reqwest::get(emulator.url("/__admin/health")).await.unwrap();

    // Assert
    assert_eq!(response.headers()["date"], "Sat, 03 Feb 2024 04:05:06 GMT");
}
