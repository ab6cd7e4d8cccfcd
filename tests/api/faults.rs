//! Fault injection on both faces: errors in each API's envelope, delays, dropped connections,
//! counts and seeded probabilities, the rule list, and the official SDKs' retries.

use reqwest::Method;
use restore_mock::fixture::Fixture;
use restore_mock::journal::{JournalEntry, JournalFilter};
use restore_mock::Emulator;
use serde_json::{json, Value};

use crate::support::spawn;
use crate::support::{run_sdk_script, send};

const TOKEN: &str = "fault-token";

/// A user with a two-version file on each face.
async fn emulator() -> Emulator {
    let fixture: Fixture = serde_json::from_value(json!({
        "users": [{"id": "601", "name": "Faulty", "tokens": [TOKEN]}],
        "spaces": [
            {"face": "graph", "owner": "601", "items": [
                {"type": "file", "path": "g.txt", "id": 9001, "versions": [{"text": "one"}, {"text": "two"}]}
            ]},
            {"face": "box", "owner": "601", "items": [
                {"type": "file", "path": "b.txt", "id": 9002, "versions": [{"id": 9101, "text": "one"}, {"text": "two"}]}
            ]}
        ]
    }))
    .unwrap();
    spawn().fixture(fixture).start().await.emulator
}

fn call(emulator: &Emulator, method: Method, path: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(method, emulator.url(path))
        .bearer_auth(TOKEN)
}

async fn add_fault(emulator: &Emulator, rule: Value) -> Value {
    let response = reqwest::Client::new()
        .post(emulator.url("/__admin/faults"))
        .json(&rule)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{rule}");
    response.json().await.unwrap()
}

/// `GET /__admin/faults`: the rules, with how often each fired.
async fn fault_rules(emulator: &Emulator) -> Value {
    send(reqwest::Client::new().get(emulator.url("/__admin/faults")))
        .await
        .body
}

async fn graph_labels(emulator: &Emulator) -> Vec<String> {
    let body: Value = call(emulator, Method::GET, "/v1.0/me/drive/items/9001/versions")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_graph_429_fires_once_in_graphs_envelope_and_changes_nothing() {
    // Arrange
    let emulator = emulator().await;
    let rule = add_fault(
        &emulator,
        json!({
            "match": {"api": "graph", "method": "POST", "path": "*/restoreVersion"},
            "action": {"type": "error", "status": 429, "retry_after": 7},
            "times": 1
        }),
    )
    .await;
    let restore = "/v1.0/me/drive/items/9001/versions/1.0/restoreVersion";

    // Act
    let throttled = call(&emulator, Method::POST, restore).send().await.unwrap();
    let headers = throttled.headers().clone();
    let body: Value = throttled.json().await.unwrap();
    let labels_after_fault = graph_labels(&emulator).await;
    let retried = call(&emulator, Method::POST, restore).send().await.unwrap();
    let rules = fault_rules(&emulator).await;

    // Assert
    assert_eq!(rule["id"], 1);
    assert_eq!(headers["retry-after"], "7");
    assert_eq!(
        body,
        json!({"error": {"code": "activityLimitReached", "message": "The request has been throttled", "innerError": {
            "date": "2024-06-01T10:00:00",
            "request-id": "e220a839-7b1d-cdaf-e4d9-71771b652c20",
            "client-request-id": "e220a839-7b1d-cdaf-e4d9-71771b652c20",
        }}})
    );
    assert_eq!(
        labels_after_fault,
        ["2.0", "1.0"],
        "the fault came before the restore"
    );
    assert_eq!(retried.status(), 204);
    assert_eq!(graph_labels(&emulator).await, ["3.0", "2.0", "1.0"]);
    assert_eq!(
        rules,
        json!({"faults": [{
            "id": 1,
            "match": {"api": "graph", "method": "POST", "path": "*/restoreVersion"},
            "action": {"type": "error", "status": 429, "retry_after": 7},
            "times": 1, "seed": 0, "fired": 1
        }]})
    );
    let journal = emulator.requests(&JournalFilter {
        method: Some("POST".into()),
        ..JournalFilter::default()
    });
    let outcomes: Vec<(u16, Option<u64>)> = journal.iter().map(|e| (e.status, e.fault)).collect();
    assert_eq!(outcomes, [(429, Some(1)), (204, None)]);
}

#[tokio::test]
async fn box_errors_are_injected_in_boxs_envelope_with_its_codes_or_the_rules() {
    // Arrange
    let emulator = emulator().await;
    add_fault(
        &emulator,
        json!({
            "match": {"api": "box", "path": "/2.0/files/9002"},
            "action": {"type": "error", "status": 429, "retry_after": 2}, "times": 1
        }),
    )
    .await;
    add_fault(&emulator, json!({
        "match": {"api": "box", "method": "POST", "path": "/2.0/files/9002/versions/current"},
        "action": {"type": "error", "status": 503, "code": "unavailable", "message": "Down for a test",
                   "headers": {"x-maintenance": "until noon"}},
        "times": 1
    }))
    .await;

    // Act
    let throttled = call(&emulator, Method::GET, "/2.0/files/9002")
        .send()
        .await
        .unwrap();
    let retry_after = throttled.headers()["retry-after"].clone();
    let throttled: Value = throttled.json().await.unwrap();
    let promote = json!({"type": "file_version", "id": "9101"});
    let unavailable = call(&emulator, Method::POST, "/2.0/files/9002/versions/current")
        .json(&promote)
        .send()
        .await
        .unwrap();
    let unavailable_status = unavailable.status();
    let maintenance = unavailable.headers()["x-maintenance"].clone();
    let unavailable: Value = unavailable.json().await.unwrap();
    let versions: Value = call(&emulator, Method::GET, "/2.0/files/9002/versions")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let promoted = call(&emulator, Method::POST, "/2.0/files/9002/versions/current")
        .json(&promote)
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(retry_after, "2");
    assert_eq!(
        throttled,
        json!({"type": "error", "status": 429, "code": "rate_limit_exceeded",
               "help_url": "http://developers.box.com/docs/#errors",
               "message": "Request rate limit exceeded, please try again later",
               "request_id": "y83so4k8319p153p"})
    );
    assert_eq!(unavailable_status, 503);
    assert_eq!(maintenance, "until noon", "the rule's own headers are sent");
    assert_eq!(
        unavailable,
        json!({"type": "error", "status": 503, "code": "unavailable",
               "help_url": "http://developers.box.com/docs/#errors", "message": "Down for a test",
               "request_id": "vyh6gf7h6pw8mme7"})
    );
    assert_eq!(
        versions["total_count"], 1,
        "the failed promote made no version"
    );
    assert_eq!(promoted.status(), 201);
}

#[tokio::test]
async fn a_delay_holds_the_request_then_runs_it() {
    // Arrange
    let emulator = emulator().await;
    add_fault(
        &emulator,
        json!({"match": {"api": "box"}, "action": {"type": "delay", "ms": 150}, "times": 1}),
    )
    .await;

    // Act
    let delayed = call(&emulator, Method::GET, "/2.0/files/9002")
        .send()
        .await
        .unwrap();
    let delayed_status = delayed.status();
    let delayed: Value = delayed.json().await.unwrap();
    let next = call(&emulator, Method::GET, "/2.0/files/9002")
        .send()
        .await
        .unwrap();
    let next_status = next.status();
    let next: Value = next.json().await.unwrap();
    let rules = fault_rules(&emulator).await;

    // Assert: the delayed reply is the real one, the journal names the rule that held it, and
    // the rule, set to fire once, held nothing else.
    assert_eq!((delayed_status.as_u16(), next_status.as_u16()), (200, 200));
    assert_eq!(delayed["id"], "9002");
    assert_eq!(delayed, next, "a delay changes nothing but the timing");
    assert_eq!(rules["faults"][0]["fired"], 1);
    let faults: Vec<Option<u64>> = emulator
        .requests(&JournalFilter::default())
        .iter()
        .map(|e| e.fault)
        .collect();
    assert_eq!(faults, [Some(1), None]);
}

#[tokio::test]
async fn a_dropped_connection_fails_the_call_and_the_next_one_succeeds() {
    // Arrange
    let emulator = emulator().await;
    add_fault(
        &emulator,
        json!({"match": {"api": "graph", "method": "GET"}, "action": {"type": "drop"}, "times": 1}),
    )
    .await;

    // Act
    let dropped = match call(&emulator, Method::GET, "/v1.0/me/drive/items/9001")
        .send()
        .await
    {
        Ok(response) => response.bytes().await.err(),
        Err(error) => Some(error),
    };
    let next = call(&emulator, Method::GET, "/v1.0/me/drive/items/9001")
        .send()
        .await
        .unwrap();

    // Assert
    assert!(dropped.is_some(), "the client must see the connection drop");
    assert_eq!(next.status(), 200);
    let faults: Vec<Option<u64>> = emulator
        .requests(&JournalFilter::default())
        .iter()
        .map(|e| e.fault)
        .collect();
    assert_eq!(faults, [Some(1), None]);
}

#[tokio::test]
async fn a_seeded_probability_fires_the_same_way_on_every_run_and_only_for_its_user() {
    async fn run() -> Vec<u16> {
        let emulator = emulator().await;
        add_fault(
            &emulator,
            json!({
                "match": {"user": "601"}, "action": {"type": "error", "status": 500},
                "probability": 0.5, "seed": 42
            }),
        )
        .await;
        let mut statuses = Vec::new();
        for _ in 0..24 {
            statuses.push(
                call(&emulator, Method::GET, "/2.0/files/9002")
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16(),
            );
        }
        let stranger = reqwest::Client::new()
            .get(emulator.url("/2.0/folders/0"))
            .bearer_auth("stranger");
        statuses.push(stranger.send().await.unwrap().status().as_u16());
        statuses
    }

    // Act
    let first = run().await;
    let second = run().await;

    // Assert
    assert_eq!(first, second);
    assert!(
        first[..24].contains(&500) && first[..24].contains(&200),
        "{first:?}"
    );
    assert_eq!(first[24], 200, "another user never matches");
}

#[tokio::test]
async fn rules_are_listed_removed_one_by_one_or_all_and_bad_rules_are_refused() {
    // Arrange
    let emulator = emulator().await;
    let client = reqwest::Client::new();
    add_fault(&emulator, json!({"action": {"type": "drop"}, "times": 0})).await;
    add_fault(
        &emulator,
        json!({"action": {"type": "delay", "ms": 1}, "times": 0}),
    )
    .await;
    let bad_rules = [
        (
            json!({"action": {"type": "error", "status": 200}}),
            "invalid_fault",
            "not an error status",
        ),
        (
            json!({"action": {"type": "drop"}, "probability": 2.0}),
            "invalid_fault",
            "a probability over 1",
        ),
        (
            json!({"action": {"type": "explode"}}),
            "bad_request",
            "an unknown action",
        ),
        (
            json!({"match": {"api": "dropbox"}, "action": {"type": "drop"}}),
            "bad_request",
            "an unknown api",
        ),
    ];

    // Act
    let removed = client
        .delete(emulator.url("/__admin/faults/1"))
        .send()
        .await
        .unwrap();
    let missing = client
        .delete(emulator.url("/__admin/faults/1"))
        .send()
        .await
        .unwrap();
    let listed = fault_rules(&emulator).await;
    let cleared = client
        .delete(emulator.url("/__admin/faults"))
        .send()
        .await
        .unwrap();
    let empty = fault_rules(&emulator).await;

    // Assert
    assert_eq!(removed.status(), 204);
    assert_eq!(missing.status(), 404);
    let ids: Vec<&Value> = listed["faults"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["id"])
        .collect();
    assert_eq!(ids, [&json!(2)]);
    assert_eq!(cleared.status(), 204);
    assert_eq!(empty, json!({"faults": []}));
    for (rule, code, what) in bad_rules {
        let response = client
            .post(emulator.url("/__admin/faults"))
            .json(&rule)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{what}");
        assert_eq!(
            response.json::<Value>().await.unwrap()["error"]["code"],
            code,
            "{what}"
        );
    }
    let after = fault_rules(&emulator).await;
    assert_eq!(after, json!({"faults": []}), "refused rules are not added");
}

/// Arms a 429 with `Retry-After: 1` that fires once on requests matching `matcher`, runs
/// `retry.py` for `face` against the URL `base` gives, and returns what it printed and the
/// journal's entries under `path_prefix` (and of `method`, if given).
async fn through_sdk_after_a_429(
    matcher: Value,
    face: &'static str,
    base: fn(&Emulator) -> String,
    item: &'static str,
    (path_prefix, method): (&str, Option<&str>),
) -> (String, Vec<JournalEntry>) {
    let emulator = emulator().await;
    let rule = json!({
        "match": matcher,
        "action": {"type": "error", "status": 429, "retry_after": 1}, "times": 1
    });
    add_fault(&emulator, rule).await;
    let url = base(&emulator);
    let out =
        tokio::task::spawn_blocking(move || run_sdk_script("retry.py", &[face, &url, TOKEN, item]))
            .await
            .unwrap();
    let journal = emulator.requests(&JournalFilter {
        path_prefix: Some(path_prefix.into()),
        method: method.map(str::to_owned),
        ..JournalFilter::default()
    });
    (out, journal)
}

#[tokio::test]
async fn the_graph_sdk_retries_a_429_that_fires_once_and_then_succeeds() {
    // Arrange, Act
    let (out, restores) = through_sdk_after_a_429(
        json!({"api": "graph", "path": "*/restoreVersion"}),
        "graph",
        Emulator::graph_url,
        "9001",
        ("/v1.0/drives/", Some("POST")),
    )
    .await;

    // Assert
    assert!(out.contains("restored after a retry"), "{out}");
    let statuses: Vec<u16> = restores.iter().map(|e| e.status).collect();
    assert_eq!(statuses, [429, 204]);
    assert_eq!(
        restores[1].headers.get("retry-attempt").map(String::as_str),
        Some("1")
    );
}

#[tokio::test]
async fn the_box_sdk_retries_a_429_that_fires_once_and_then_succeeds() {
    // Arrange, Act
    let (out, reads) = through_sdk_after_a_429(
        json!({"api": "box", "path": "/2.0/files/9002"}),
        "box",
        Emulator::box_url,
        "9002",
        ("/2.0/files/9002", None),
    )
    .await;

    // Assert
    assert!(out.contains("read after a retry"), "{out}");
    let statuses: Vec<u16> = reads.iter().map(|e| e.status).collect();
    assert_eq!(statuses, [429, 200]);
}
