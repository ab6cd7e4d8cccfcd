//! Admin routes read their body as JSON whatever the `Content-Type` says (curl's `-d` sends
//! `application/x-www-form-urlencoded`), and answer a body that is not JSON in the admin envelope.

use reqwest::header::CONTENT_TYPE;
use serde_json::json;

use crate::support::send;
use crate::support::spawn;
use crate::support::Reply;

/// What clients put on a JSON body: curl's `-d`, nothing at all, a wrong guess, and the right one.
const CONTENT_TYPES: [Option<&str>; 4] = [
    Some("application/x-www-form-urlencoded"),
    None,
    Some("text/plain"),
    Some("application/json"),
];

#[tokio::test]
async fn every_admin_route_with_a_body_takes_json_under_any_content_type() {
    for content_type in CONTENT_TYPES {
        // Arrange
        let app = spawn().start().await;
        let post = |path: &str, body: &str| {
            let request = app.client.post(app.url(path)).body(body.to_owned());
            match content_type {
                Some(value) => request.header(CONTENT_TYPE, value),
                None => request,
            }
        };
        let fixture = r#"{"users": [{"id": "1001", "name": "Ada", "tokens": ["ada"]}]}"#;

        // Act
        let Reply {
            status: loaded_status,
            body: loaded,
            ..
        } = send(post("/__admin/fixtures", fixture)).await;
        let fault = r#"{"match": {"api": "box"}, "action": {"type": "drop"}, "times": 2}"#;
        let Reply {
            status: fault_status,
            body: rule,
            ..
        } = send(post("/__admin/faults", fault)).await;
        let Reply {
            status: clock_status,
            body: clock,
            ..
        } = send(post(
            "/__admin/clock",
            r#"{"freeze": "2024-01-02T03:04:05Z"}"#,
        ))
        .await;
        let Reply {
            status: reset_status,
            ..
        } = send(post("/__admin/reset", r#"{"user": "1001"}"#)).await;
        let Reply { body: state, .. } = send(app.client.get(app.url("/__admin/state"))).await;

        // Assert
        let what = format!("content-type {content_type:?}");
        assert_eq!(loaded_status, 200, "{what}");
        assert_eq!(
            loaded,
            json!({"loaded": {"users": 1, "spaces": 0, "items": 0}}),
            "{what}"
        );
        assert_eq!(fault_status, 201, "{what}");
        assert_eq!(
            rule,
            json!({"id": 1, "match": {"api": "box"}, "action": {"type": "drop"}, "times": 2,
                   "seed": 0, "fired": 0}),
            "{what}"
        );
        assert_eq!(clock_status, 200, "{what}");
        assert_eq!(
            clock,
            json!({"now": "2024-01-02T03:04:05Z", "frozen": true}),
            "{what}"
        );
        assert_eq!(reset_status, 204, "{what}");
        assert_eq!(
            state["users"],
            json!([{"id": "1001", "name": "Ada", "login": "user1001@example.com", "tokens": ["ada"]}]),
            "{what}: resetting one user's files keeps the user"
        );
    }
}

#[tokio::test]
async fn an_empty_body_is_an_empty_object() {
    // Arrange
    let app = spawn().start().await;
    send(app.client.post(app.url("/__admin/fixtures")).body(
        r#"{"users": [{"id": "7", "name": "Ada"}], "spaces": [{"face": "box", "owner": "7",
            "items": [{"type": "folder", "path": "Docs"}]}]}"#,
    ))
    .await;

    // Act
    let Reply {
        status: reset_status,
        ..
    } = send(app.client.post(app.url("/__admin/reset"))).await;
    let Reply { body: state, .. } = send(app.client.get(app.url("/__admin/state"))).await;
    let Reply {
        status: clock_status,
        body: clock,
        ..
    } = send(app.client.post(app.url("/__admin/clock"))).await;

    // Assert
    assert_eq!(reset_status, 204);
    assert_eq!(state, json!({}), "a bare reset empties everything");
    assert_eq!(clock_status, 400);
    assert_eq!(
        clock,
        json!({"error": {"code": "bad_request",
            "message": "give exactly one of freeze (an RFC 3339 instant) and advance_seconds"}})
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_gets_the_admin_envelope_with_the_parse_error() {
    let cases = [
        (
            "/__admin/faults",
            "match=box",
            "the request body is not JSON: expected value at line 1 column 1",
            "a form body",
        ),
        (
            "/__admin/clock",
            r#"{"freeze": "2024-01-02T03:04:05Z""#,
            "the request body is not JSON: EOF while parsing an object at line 1 column 33",
            "truncated JSON",
        ),
        (
            "/__admin/reset",
            r#"{"user": 1001}"#,
            "the request body does not fit this route: invalid type: integer `1001`, expected a string at line 1 column 13",
            "JSON of the wrong shape",
        ),
        (
            "/__admin/fixtures",
            "[]",
            "the request body must be a JSON object",
            "not an object",
        ),
    ];
    for (path, body, message, what) in cases {
        // Arrange
        let app = spawn().start().await;

        // Act
        let request = app
            .client
            .post(app.url(path))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body);
        let Reply {
            status,
            body: error,
            ..
        } = send(request).await;
        let Reply { body: clock, .. } = send(app.client.get(app.url("/__admin/clock"))).await;
        let Reply { body: faults, .. } = send(app.client.get(app.url("/__admin/faults"))).await;

        // Assert
        assert_eq!(status, 400, "{what}");
        assert_eq!(
            error,
            json!({"error": {"code": "bad_request", "message": message}}),
            "{what}"
        );
        assert_eq!(
            clock,
            json!({"now": "2024-06-01T10:00:00Z", "frozen": true}),
            "{what}: nothing changed"
        );
        assert_eq!(faults, json!({"faults": []}), "{what}: nothing changed");
    }
}
