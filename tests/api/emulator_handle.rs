//! The Rust handle: its typed controls (fault rules built without JSON, the clock) and what a
//! drop of it stops.

use std::time::Duration;

use restore_mock::faults::FaultSpec;
use restore_mock::store::Face;
use serde_json::json;

use crate::support::send;
use crate::support::spawn;
use crate::support::Reply;

#[tokio::test]
async fn a_built_fault_rule_answers_like_its_json_form() {
    // Arrange
    let emulator = spawn().start().await.emulator;
    let client = reqwest::Client::new();
    let rule = emulator
        .add_fault(
            FaultSpec::error(429)
                .retry_after(1)
                .api(Face::Graph)
                .method("GET")
                .path("/v1.0/me/*")
                .times(1),
        )
        .unwrap();

    // Act
    let throttled = client
        .get(emulator.url("/v1.0/me/drive"))
        .bearer_auth("rust-token")
        .send()
        .await
        .unwrap();
    let retry_after = throttled.headers()["retry-after"].clone();
    let Reply {
        status: throttled_status,
        ..
    } = crate::support::read_reply(throttled).await;
    let Reply {
        status: again_status,
        ..
    } = send(
        client
            .get(emulator.url("/v1.0/me/drive"))
            .bearer_auth("rust-token"),
    )
    .await;
    let Reply { body: listed, .. } = send(client.get(emulator.url("/__admin/faults"))).await;

    // Assert
    assert_eq!(throttled_status, 429);
    assert_eq!(retry_after, "1");
    assert_eq!(again_status, 200, "the rule fired once only");
    assert_eq!(
        listed,
        json!({"faults": [{
            "id": rule.id,
            "match": {"api": "graph", "method": "GET", "path": "/v1.0/me/*"},
            "action": {"type": "error", "status": 429, "retry_after": 1},
            "times": 1, "seed": 0, "fired": 1
        }]})
    );
}

#[tokio::test]
async fn a_built_rule_is_checked_like_a_posted_one() {
    let emulator = spawn().start().await.emulator;

    let refused = emulator.add_fault(FaultSpec::error(302));

    assert_eq!(
        refused.unwrap_err().to_string(),
        "status 302 is neither 202 nor an error status (400 to 599)"
    );
    assert_eq!(emulator.faults(), vec![]);
}

#[tokio::test]
async fn the_clock_is_frozen_advanced_and_resumed_from_rust() {
    // Arrange
    let emulator = spawn().start().await.emulator;
    let client = reqwest::Client::new();
    let clock = || send(client.get(emulator.url("/__admin/clock")));

    // Act
    emulator.freeze_clock("2024-01-02T03:04:05Z".parse().unwrap());
    let Reply { body: frozen, .. } = clock().await;
    emulator.advance_clock(Duration::from_secs(3600));
    let Reply { body: advanced, .. } = clock().await;
    let now = emulator.now();
    emulator.resume_clock();
    let Reply { body: resumed, .. } = clock().await;

    // Assert
    assert_eq!(
        frozen,
        json!({"now": "2024-01-02T03:04:05Z", "frozen": true})
    );
    assert_eq!(
        advanced,
        json!({"now": "2024-01-02T04:04:05Z", "frozen": true})
    );
    assert_eq!(now.to_rfc3339(), "2024-01-02T04:04:05+00:00");
    assert_eq!(resumed["frozen"], false);
}

/// Dropping the handle stops its server as a stop of the binary does: a request still open
/// after the grace (here one a delay fault holds for ten minutes) is cut off, rather than served
/// on in the background of the test's runtime, which outlives the handle.
#[tokio::test]
async fn a_dropped_emulator_cuts_off_a_request_still_open_after_the_grace() {
    // Arrange: a Graph request the server is holding.
    let emulator = spawn().start().await.emulator;
    let hold = FaultSpec::delay(Duration::from_secs(600)).api(Face::Graph);
    emulator.add_fault(hold).unwrap();
    let held = reqwest::Client::new()
        .get(emulator.url("/v1.0/me/drive"))
        .bearer_auth("graph-token")
        .send();
    let held = tokio::spawn(held);
    for _ in 0..500 {
        if emulator.faults()[0].fired == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        emulator.faults()[0].fired,
        1,
        "the request reached the server"
    );

    // Act
    drop(emulator);
    let ended = tokio::time::timeout(Duration::from_secs(60), held).await;

    // Assert
    let Ok(Ok(Err(cut))) = ended else {
        panic!(
            "the held request is still open a minute after the drop, or was answered: {ended:?}"
        );
    };
    assert!(
        !cut.is_connect(),
        "the request was sent, then cut off: {cut}"
    );
}
