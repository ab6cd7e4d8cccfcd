//! Box's upload log, the `log_event` endpoint every upload session lists: the session's
//! creation and each part as it arrived, paged like the parts, gone with the session.

use chrono::TimeDelta;
use reqwest::Method;
use serde_json::{json, Value};

use crate::box_sessions::{commit, open, parts, pattern, put_part, SIZE};
use crate::support::box_api::*;
use crate::support::spawn;

#[tokio::test]
async fn the_log_lists_the_sessions_creation_then_each_part_in_the_order_it_arrived() {
    // Arrange: the last part first, a minute apart.
    let app = spawn().start().await;
    let file = pattern(SIZE, 3);
    let session = open(
        &app,
        "/api/2.0/files/upload_sessions",
        json!({"folder_id": "0", "file_size": SIZE, "file_name": "logged.bin"}),
    )
    .await;
    let endpoints = &session["session_endpoints"];
    let (upload_url, log_url) = (
        endpoints["upload_part"].as_str().unwrap(),
        endpoints["log_event"].as_str().unwrap(),
    );
    let mut answered = Vec::new();
    for (start, end) in [parts()[2], parts()[0]] {
        app.emulator.clock().advance(TimeDelta::minutes(1));
        let Reply { status, body, .. } = send(put_part(&app, upload_url, &file, start, end)).await;
        assert_eq!(status, 200, "{body}");
        answered.push(body["part"].clone());
    }
    let at = |minutes: i64| (crate::support::now() + TimeDelta::minutes(minutes)).to_rfc3339();

    // Act
    let Reply {
        status, body: log, ..
    } = send(app.client.get(log_url).bearer_auth(TOKEN)).await;
    let Reply {
        status: paged_status,
        body: paged,
        ..
    } = send(
        app.client
            .get(format!("{log_url}?offset=1&limit=1"))
            .bearer_auth(TOKEN),
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{log}");
    assert_eq!(
        log,
        json!({
            "entries": [
                {"type": "upload_session_event", "event_type": "session_created",
                 "created_at": at(0)},
                {"type": "upload_session_event", "event_type": "part_uploaded",
                 "created_at": at(1), "part": answered[0]},
                {"type": "upload_session_event", "event_type": "part_uploaded",
                 "created_at": at(2), "part": answered[1]},
            ],
            "limit": 1000,
            "offset": 0,
            "total_count": 3,
        })
    );
    assert_eq!(paged_status, 200, "{paged}");
    assert_eq!(
        paged,
        json!({"entries": [log["entries"][1]], "limit": 1, "offset": 1, "total_count": 3})
    );
}

#[tokio::test]
async fn the_log_answers_as_its_session_does_and_only_to_get() {
    // Arrange: one session committed, one of another user's, and a bad page.
    let app = spawn().start().await;
    let file = pattern(SIZE, 4);
    let body = json!({"folder_id": "0", "file_size": SIZE, "file_name": "gone.bin"});
    let committed = open(&app, "/api/2.0/files/upload_sessions", body).await;
    let endpoints = &committed["session_endpoints"];
    let mut uploaded = Vec::new();
    for (start, end) in parts() {
        let url = endpoints["upload_part"].as_str().unwrap();
        uploaded.push(send(put_part(&app, url, &file, start, end)).await.body["part"].clone());
    }
    let Reply {
        status: done,
        body: files,
        ..
    } = send(commit(&app, &committed, &uploaded, &file)).await;
    assert_eq!(done, 201, "{files}");
    let log_url = endpoints["log_event"].as_str().unwrap().to_owned();
    let fresh = open(
        &app,
        "/2.0/files/upload_sessions",
        json!({"folder_id": "0", "file_size": SIZE, "file_name": "fresh.bin"}),
    )
    .await;
    let fresh_log = fresh["session_endpoints"]["log_event"].as_str().unwrap();
    let invalid_limit = |request_id: &str| {
        error_json(
            request_id,
            400,
            "invalid_limit",
            "Limit is not a valid number",
            None,
        )
    };
    // The error, and the id the server gives the request (the seventh to the tenth it answers).
    type Envelope = fn(&str) -> Value;
    let cases: [(Method, &str, &str, Envelope, &str, &str); 4] = [
        (
            Method::GET,
            &log_url,
            TOKEN,
            not_found,
            "vwg6yy95fp0e33t8",
            "a committed session is gone, log and all",
        ),
        (
            Method::GET,
            fresh_log,
            "someone-else",
            not_found,
            "ycktnh30wucomkh9",
            "another user's session is unknown",
        ),
        (
            Method::POST,
            fresh_log,
            TOKEN,
            method_not_allowed,
            "ispcx3sevmwf24kd",
            "the log is only read",
        ),
        (
            Method::GET,
            &format!("{fresh_log}?limit=0"),
            TOKEN,
            invalid_limit,
            "5nsjyz48o9wragcz",
            "a limit of 0",
        ),
    ];

    for (method, url, token, envelope, request_id, why) in cases {
        // Act
        let Reply { status, body, .. } =
            send(app.client.request(method, url).bearer_auth(token)).await;

        // Assert
        let expected = envelope(request_id);
        assert_eq!(
            status,
            expected["status"].as_u64().unwrap() as u16,
            "{why}: {body}"
        );
        assert_eq!(body, expected, "{why}");
    }
}
