//! The `/__admin` namespace: health, state and fixtures, reset, clock, the admin token, and the
//! admin envelope on bad input.

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::Reply;
use crate::support::{box_api, spawn};
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
    for (body, what, says) in [
        ("{", "truncated JSON", "is not JSON"),
        (
            r#"{"people": []}"#,
            "an unknown section",
            "unknown field `people`",
        ),
        ("[]", "not an object", "must be a JSON object"),
        (
            r#"{"users": [{"id": "42"}], "spaces": [{"face": "box", "owner": "42", "items": [
                {"type": "file", "path": "a.txt", "trashed_at": "+262142-12-31T23:59:59Z",
                 "versions": [{"text": "a"}]}]}]}"#,
            "a date past the years 0000 to 9999",
            "a date must fall in the years 0000 to 9999",
        ),
        (
            r#"{"users": [{"id": "42"}], "spaces": [{"face": "box", "owner": "42", "items": [
                {"type": "file", "path": "a.txt", "id": 18446744073709551615,
                 "versions": [{"text": "a"}]}]}]}"#,
            "an id at the end of u64, which the next new item's id would overflow",
            "18446744073709551615 is more than 9007199254740991",
        ),
        (
            r#"{"users": [{"id": "42"}], "spaces": [{"face": "graph", "owner": "42", "items": [
                {"type": "file", "path": "a.txt", "revision": 9007199254740992,
                 "versions": [{"text": "a"}]}]}]}"#,
            "a revision past 2^53 - 1",
            "9007199254740992 is more than 9007199254740991",
        ),
        (
            r#"{"users": [{"id": "42"}], "spaces": [{"face": "graph", "owner": "42", "items": [
                {"type": "file", "path": "a.txt", "versions": [{"text": "a", "number": 4294967295}]}]}]}"#,
            "a version number the next version's would overflow",
            "4294967295 is more than 2147483647",
        ),
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

        let status = response.status();
        let body: Value = response.json().await.unwrap();
        let Reply { body: state, .. } = get_json(&app, "/__admin/state").await;

        // Assert
        assert_eq!(status, 400, "{what}");
        assert_eq!(body["error"]["code"], "bad_request", "{what}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{what}: {message:?}");
        assert_eq!(state, json!({}), "{what}: nothing may be applied");
    }
}

/// A fixture's ids and counters may go as far as `fixture::MAX_ID` (and version numbers to
/// `MAX_VERSION_NUMBER`), and the store still counts on from there: a new item, a new version, a
/// rename. At `u64`'s end each of those overflowed.
#[tokio::test]
async fn a_fixture_at_the_largest_ids_and_counters_still_takes_changes() {
    // Arrange
    let app = spawn().start().await;
    let (max_id, max_number) = (
        restore_mock::fixture::MAX_ID,
        restore_mock::fixture::MAX_VERSION_NUMBER,
    );
    let fixture = json!({
        "users": [{"id": "42", "tokens": ["ada-token"]}],
        "spaces": [{"face": "graph", "owner": "42", "items": [{
            "type": "file", "path": "a.txt", "id": max_id, "revision": max_id,
            "content_revision": max_id,
            "versions": [{"text": "a", "id": max_id, "number": max_number}],
        }]}],
    });
    let Reply { status, .. } = post_json(&app, "/__admin/fixtures", &fixture).await;
    assert_eq!(status, 200);
    let graph = |method, path: &str| {
        let url = app.url(&format!("/v1.0/me/drive/{path}"));
        app.client.request(method, url).bearer_auth("ada-token")
    };

    // Act
    let written = send(graph(Method::PUT, &format!("items/{max_id}/content")).body("b")).await;
    let renamed =
        send(graph(Method::PATCH, &format!("items/{max_id}")).json(&json!({"name": "b.txt"})))
            .await;
    let made = send(graph(Method::PUT, "root:/new.txt:/content").body("new")).await;
    let versions = send(graph(Method::GET, &format!("items/{max_id}/versions"))).await;

    // Assert
    assert_eq!(written.status, 200, "{written:?}");
    assert_eq!(renamed.status, 200, "{renamed:?}");
    assert_eq!(renamed.body["name"], "b.txt");
    assert_eq!(made.status, 201, "{made:?}");
    assert_eq!(
        made.body["id"],
        (max_id + 1).to_string(),
        "the next id after the largest"
    );
    let labels: Vec<&Value> = versions.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| &v["id"])
        .collect();
    assert_eq!(
        labels,
        [
            &json!(format!("{}.0", max_number + 1)),
            &json!(format!("{max_number}.0"))
        ]
    );
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
    // Past the years 0000 to 9999 every expiry the emulator works out (the clock plus a span)
    // would overflow chrono, which panicked: the clock refuses to go there.
    let past_9999 = "years 0000 to 9999";
    let cases = [
        (json!({}), "neither field", "exactly one of"),
        (
            json!({"freeze": "yesterday"}),
            "not an instant",
            "does not fit",
        ),
        (
            json!({"advance_seconds": -5}),
            "backwards",
            "only moves forward",
        ),
        (
            json!({"freeze": "2024-01-01T00:00:00Z", "advance_seconds": 1}),
            "both fields",
            "exactly one of",
        ),
        (
            json!({"freeze": "+262142-12-31T23:59:59Z"}),
            "chrono's last instant",
            past_9999,
        ),
        (
            json!({"freeze": "-0001-12-31T23:59:59Z"}),
            "before year 0",
            past_9999,
        ),
        (
            json!({"advance_seconds": 260_000_000_000_i64}),
            "past 9999",
            past_9999,
        ),
        (
            json!({"advance_seconds": i64::MAX}),
            "past what seconds hold",
            past_9999,
        ),
    ];
    for (body, what, says) in cases {
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
        let message = error["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{what}: {message:?}");
        assert_eq!(
            clock,
            json!({"now": "2024-06-01T10:00:00Z", "frozen": true}),
            "{what}: the clock must not change"
        );
    }
}

/// Each expiry the emulator works out is the clock plus a span (a download link's hour, a
/// session's days, a token's lifetime, a trashed file's purge): at the last instant the clock
/// can show, each must still come out. Near chrono's own end (year 262142), which the clock
/// took before, each of these requests panicked and lost its connection.
#[tokio::test]
async fn at_the_last_instant_the_clock_shows_every_expiry_still_comes_out() {
    // Arrange
    let app = spawn().start().await;
    let freeze = json!({"freeze": "9999-12-31T23:59:59Z"});
    let Reply { status, .. } = post_json(&app, "/__admin/clock", &freeze).await;
    assert_eq!(status, 200);
    let graph = |method, path: &str| {
        let url = app.url(&format!("/v1.0/me/drive/{path}"));
        app.client.request(method, url).bearer_auth("graph-token")
    };
    let file = box_api::upload(&app, "0", "a.txt", b"box").await;
    let f = box_api::id(&file).to_owned();

    // Act
    let mut replies = Vec::new();
    let requests = [
        (
            "a Graph upload (its download link)",
            201,
            graph(Method::PUT, "root:/a.txt:/content").body("one"),
        ),
        (
            "a Graph download's redirect",
            302,
            graph(Method::GET, "root:/a.txt:/content"),
        ),
        (
            "a Graph upload session",
            200,
            graph(Method::POST, "root:/b.txt:/createUploadSession").json(&json!({})),
        ),
        (
            "a Box download's redirect",
            302,
            box_api::request(&app, Method::GET, &format!("/2.0/files/{f}/content")),
        ),
        (
            "a Box trash",
            204,
            box_api::request(&app, Method::DELETE, &format!("/2.0/files/{f}")),
        ),
        (
            "a trashed Box file (its purge)",
            200,
            box_api::request(&app, Method::GET, &format!("/2.0/files/{f}/trash")),
        ),
        (
            "a Box token",
            200,
            (app.client.post(app.url("/oauth2/token"))).form(&[
                ("grant_type", "client_credentials"),
                ("client_id", "app"),
                ("client_secret", "secret"),
                ("box_subject_type", "enterprise"),
                ("box_subject_id", "1"),
            ]),
        ),
        (
            "a Microsoft token",
            200,
            (app.client.post(app.url("/common/oauth2/v2.0/token"))).form(&[
                ("grant_type", "client_credentials"),
                ("client_id", "app"),
                ("client_secret", "secret"),
                ("scope", "https://graph.microsoft.com/.default"),
            ]),
        ),
        ("the state", 200, app.client.get(app.url("/__admin/state"))),
    ];
    // Every link handed out at that instant opens at once (the Box file is trashed after): its
    // expiry came out after it.
    let mut opened = Vec::new();
    for (what, expected, request) in requests {
        let reply = match request.send().await {
            Ok(response) => crate::support::read_reply(response).await,
            Err(error) => panic!("{what}: no reply ({error})"),
        };
        let link = (reply.body["@microsoft.graph.downloadUrl"].as_str())
            .or_else(|| reply.headers.get("location").and_then(|v| v.to_str().ok()));
        if let Some(link) = link {
            let response = app.client.get(link).send().await.unwrap();
            opened.push((
                what,
                response.status().as_u16(),
                response.text().await.unwrap(),
            ));
        }
        replies.push((what, reply, expected));
    }
    let Reply { body: clock, .. } = get_json(&app, "/__admin/clock").await;

    // Assert
    let mut bodies = Vec::new();
    for (what, reply, expected) in replies {
        assert_eq!(reply.status.as_u16(), expected, "{what}: {:?}", reply.body);
        bodies.push(reply.body);
    }
    assert_eq!(
        opened,
        [
            ("a Graph upload (its download link)", 200, "one".to_owned()),
            ("a Graph download's redirect", 200, "one".to_owned()),
            ("a Box download's redirect", 200, "box".to_owned()),
        ]
    );
    // Past the year 9999 a date prints with five digits: no real service reaches it.
    assert_eq!(
        bodies[2]["expirationDateTime"], "10000-01-01T00:14:59Z",
        "15 minutes on"
    );
    assert_eq!(
        bodies[5]["purged_at"], "10000-01-30T23:59:59+00:00",
        "30 days on"
    );
    assert_eq!(bodies[6]["expires_in"], 3600, "a Box token's hour");
    assert!(
        bodies[7]["expires_in"].as_u64().is_some_and(|s| s > 0),
        "{}",
        bodies[7]
    );
    assert!(bodies[8]["spaces"].is_array(), "the export: {}", bodies[8]);
    assert_eq!(
        clock,
        json!({"now": "9999-12-31T23:59:59Z", "frozen": true})
    );
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
