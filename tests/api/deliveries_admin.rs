//! The admin API's view of deliveries: every attempt listed with its target, status and
//! outcome, one call that waits for all to settle, and a reset that removes subscriptions,
//! webhooks and what they had pending.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::box_api::{self, create_folder, id};
use crate::support::graph::{self, DRIVE_ID};
use crate::support::receiver::{Answer, Receiver};
use crate::support::spawn;

#[tokio::test]
async fn every_attempt_is_listed_and_settle_waits_for_them() {
    // Arrange
    let graph = spawn().graph().await;
    let receiver = Receiver::start(Answer::EchoToken).await;
    let subscription = graph
        .post_json(
            "/subscriptions",
            json!({"changeType": "updated", "notificationUrl": receiver.url(),
                   "resource": format!("/drives/{DRIVE_ID}/root"),
                   "expirationDateTime": "2024-06-02T10:00:00Z"}),
        )
        .await;
    assert_eq!(subscription.status, StatusCode::CREATED);
    let id = "4914b576-2020-4921-f320-3e9039f4a821";
    let uploaded = graph.put("/me/drive/root:/a.txt:/content", b"one").await;
    assert_eq!(uploaded.status, StatusCode::CREATED);
    let client = &graph.app.client;

    // Act
    let settled: Value = client
        .post(graph.app.url("/__admin/deliveries/settle"))
        .json(&json!({"timeout_ms": 10000}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut listed: Value = client
        .get(graph.app.url("/__admin/deliveries?api=graph"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    // Assert
    assert_eq!(settled, json!({"settled": true, "outstanding": 0}));
    for attempt in listed["deliveries"].as_array_mut().unwrap() {
        assert!(attempt["latency_us"].is_u64(), "{attempt}");
        attempt["latency_us"] = json!(0);
    }
    let token = "Validation%3A%20Testing%20client%20application%20reachability%20for%20\
                 subscription%20Request-Id%3A%20e220a839-7b1d-cdaf-e4d9-71771b652c20";
    assert_eq!(
        listed,
        json!({"outstanding": 0, "deliveries": [
            {"seq": 1, "api": "graph", "subscription": id, "kind": "validation",
             "target": format!("{}?validationToken={token}", receiver.url()), "attempt": 1,
             "time": "2024-06-01T10:00:00Z", "status": 200, "latency_us": 0, "error": null,
             "outcome": "delivered", "cause": "e220a839-7b1d-cdaf-e4d9-71771b652c20",
             "change": null, "item": null, "event": null},
            {"seq": 2, "api": "graph", "subscription": id, "kind": "notification",
             "target": receiver.url(), "attempt": 1, "time": "2024-06-01T10:00:00Z",
             "status": 202, "latency_us": 0, "error": null, "outcome": "delivered",
             "cause": null, "change": 1, "item": 1000000002, "event": null},
        ]})
    );
}

#[tokio::test]
async fn a_reset_removes_subscriptions_webhooks_and_their_deliveries() {
    // Arrange
    let app = spawn().start().await;
    let receiver = Receiver::start(Answer::EchoToken).await;
    let made = app
        .client
        .post(app.url("/v1.0/subscriptions"))
        .bearer_auth(graph::TOKEN)
        .json(
            &json!({"changeType": "updated", "notificationUrl": receiver.url(),
                      "resource": "/me/drive/root", "expirationDateTime": "2024-06-02T10:00:00Z"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), StatusCode::CREATED);
    let folder = create_folder(&app, "0", "Watched").await;
    let hook = box_api::send_json(
        &app,
        reqwest::Method::POST,
        "/2.0/webhooks",
        json!({"target": {"id": id(&folder), "type": "folder"}, "address": receiver.url(),
               "triggers": ["FILE.UPLOADED"]}),
    )
    .await;
    assert_eq!(hook.status, StatusCode::CREATED);

    // Act
    let reset = app
        .client
        .post(app.url("/__admin/reset"))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(reset.status(), StatusCode::NO_CONTENT);
    let subscriptions: Value = app
        .client
        .get(app.url("/v1.0/subscriptions"))
        .bearer_auth(graph::TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(subscriptions["value"], json!([]));
    let webhooks = box_api::get(&app, "/2.0/webhooks").await;
    assert_eq!(webhooks.body["entries"], json!([]));
    assert!(
        app.emulator.deliveries().is_empty(),
        "the attempts went too"
    );
    assert!(app.emulator.settle_deliveries(Duration::from_secs(1)).await);
}

#[tokio::test]
async fn a_receiver_that_keeps_failing_is_retried_with_back_off_then_given_up() {
    // Arrange: two retries, 10 ms then 20 ms apart, so the test ends at once.
    let config = restore_mock::Config {
        delivery_backoff_ms: 10,
        delivery_retries: Some(2),
        ..restore_mock::Config::default()
    };
    let app = spawn().config(config).start().await;
    let receiver = Receiver::start(Answer::Status(503)).await;
    let folder = create_folder(&app, "0", "Watched").await;
    let hook = box_api::send_json(
        &app,
        reqwest::Method::POST,
        "/2.0/webhooks",
        json!({"target": {"id": id(&folder), "type": "folder"}, "address": receiver.url(),
               "triggers": ["FILE.UPLOADED"]}),
    )
    .await;
    assert_eq!(hook.status, StatusCode::CREATED);

    // Act
    box_api::upload(&app, id(&folder), "a.txt", b"one").await;
    let settled = app
        .emulator
        .settle_deliveries(Duration::from_secs(10))
        .await;

    // Assert
    assert!(settled, "given up, so settled");
    let attempts: Vec<(u32, Option<u16>, Option<String>, &str)> = app
        .emulator
        .deliveries()
        .iter()
        .map(|a| (a.attempt, a.status, a.error.clone(), a.outcome))
        .collect();
    let failed = Some("the receiver answered 503 Service Unavailable".to_owned());
    assert_eq!(
        attempts,
        [
            (1, Some(503), failed.clone(), "retrying"),
            (2, Some(503), failed.clone(), "retrying"),
            (3, Some(503), failed, "gave_up"),
        ]
    );
    let received = receiver.received();
    assert_eq!(received.len(), 3, "three tries");
    assert_eq!(
        received[0].body, received[2].body,
        "the same event each time"
    );
    assert_ne!(
        received[0].header("box-delivery-id"),
        received[1].header("box-delivery-id"),
        "a new delivery id per attempt"
    );
}
