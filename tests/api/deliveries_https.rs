//! Deliveries to `https://` receivers, as the real services make them: with
//! `--require-https-receivers` on and the test's own CA in `--receiver-ca-file`, a Box webhook
//! arrives signed with Box's headers, and a Graph subscription is validated and notified over
//! TLS; a receiver whose certificate the emulator does not trust is refused by Graph and is a
//! failed attempt for Box; the emulator's own `--tls-self-signed` CA is trusted unasked.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use restore_mock::deliveries::WebhookKeys;
use restore_mock::Config;
use serde_json::{json, Value};
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::box_webhooks::signature;
use crate::https::{cert_dir, https_emulator};
use crate::support::box_api::{create_folder, id, send_json, upload};
use crate::support::graph::{Graph, DRIVE_ID, TOKEN};
use crate::support::receiver::{Answer, Receiver};
use crate::support::spawn;
use crate::support::test_ca::{self, TestCa};

/// The real services' rule, and `ca` trusted; a failed delivery is retried once, at once.
fn https_only(ca: &TestCa) -> Config {
    Config {
        require_https_receivers: true,
        receiver_ca_file: Some(ca.ca_file.clone()),
        delivery_backoff_ms: 1,
        delivery_retries: Some(1),
        ..Config::default()
    }
}

fn subscription_body(url: &str) -> Value {
    json!({
        "changeType": "updated",
        "notificationUrl": url,
        "resource": format!("/drives/{DRIVE_ID}/root"),
        "expirationDateTime": "2024-06-02T10:00:00Z",
        "clientState": "s3cret",
    })
}

/// The attempts log, each latency zeroed and each Box event id replaced by `"<event>"` (a
/// random UUID).
async fn attempts_log(graph: &Graph) -> Value {
    let mut listed: Value = graph
        .app
        .client
        .get(graph.app.url("/__admin/deliveries"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for attempt in listed["deliveries"].as_array_mut().unwrap() {
        assert!(attempt["latency_us"].is_u64(), "{attempt}");
        attempt["latency_us"] = json!(0);
        if attempt["event"].is_string() {
            attempt["event"] = json!("<event>");
        }
    }
    listed
}

#[tokio::test]
async fn a_box_webhook_to_an_https_receiver_arrives_signed_with_boxs_headers() {
    // Arrange
    let ca = TestCa::new("box-webhook");
    let receiver = Receiver::start_tls(Answer::Status(200), ca.acceptor.clone(), "localhost").await;
    let app = spawn().config(https_only(&ca)).start().await;
    app.emulator.set_webhook_keys(WebhookKeys {
        primary: "PrimaryKey".into(),
        secondary: "SecondaryKey".into(),
    });
    let folder = create_folder(&app, "0", "Watched").await;
    let made = send_json(
        &app,
        Method::POST,
        "/2.0/webhooks",
        json!({"target": {"id": id(&folder), "type": "folder"}, "address": receiver.url(),
               "triggers": ["FILE.UPLOADED"]}),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{made:?}");

    // Act
    let file = upload(&app, id(&folder), "a.txt", b"one").await;
    let settled = app
        .emulator
        .settle_deliveries(Duration::from_secs(10))
        .await;

    // Assert
    assert!(settled, "the delivery settles");
    let received = receiver.received();
    assert_eq!(received.len(), 1, "one delivery: {received:?}");
    let delivery = &received[0];
    assert_eq!(delivery.target, "/hook");
    assert_eq!(
        delivery.header("host"),
        receiver
            .url()
            .trim_start_matches("https://")
            .trim_end_matches("/hook")
    );
    assert_eq!(delivery.header("content-type"), "application/json");
    assert_eq!(delivery.header("user-agent"), "Box-WH-Client/0.1");
    assert_eq!(delivery.header("box-signature-version"), "1");
    assert_eq!(delivery.header("box-signature-algorithm"), "HmacSHA256");
    let timestamp = delivery.header("box-delivery-timestamp");
    assert_eq!(
        delivery.header("box-signature-primary"),
        signature("PrimaryKey", &delivery.body, timestamp)
    );
    assert_eq!(
        delivery.header("box-signature-secondary"),
        signature("SecondaryKey", &delivery.body, timestamp)
    );
    let body = delivery.json();
    assert_eq!(body["trigger"], "FILE.UPLOADED");
    assert_eq!(body["source"], file);
    let attempts: Vec<_> = app
        .emulator
        .deliveries()
        .into_iter()
        .map(|a| (a.target, a.status, a.error, a.outcome))
        .collect();
    assert_eq!(
        attempts,
        [(receiver.url().to_owned(), Some(200), None, "delivered")]
    );
}

#[tokio::test]
async fn a_graph_subscription_to_an_https_receiver_is_validated_then_notified() {
    // Arrange: the receiver is named by its IP address, which its certificate also names.
    let ca = TestCa::new("graph-subscription");
    let receiver = Receiver::start_tls(Answer::EchoToken, ca.acceptor.clone(), "127.0.0.1").await;
    let graph = spawn().config(https_only(&ca)).graph().await;

    // Act
    let created = graph
        .post_json("/subscriptions", subscription_body(receiver.url()))
        .await;
    let uploaded = graph.put("/me/drive/root:/a.txt:/content", b"one").await;
    let settled = graph
        .app
        .emulator
        .settle_deliveries(Duration::from_secs(10))
        .await;

    // Assert
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");
    assert_eq!(created.body["notificationUrl"], receiver.url());
    assert_eq!(uploaded.status, StatusCode::CREATED);
    assert!(settled, "the notification settles");
    let received = receiver.received();
    assert_eq!(received.len(), 2, "validation, then a notification");
    let token = "Validation%3A%20Testing%20client%20application%20reachability%20for%20\
                 subscription%20Request-Id%3A%20e220a839-7b1d-cdaf-e4d9-71771b652c20";
    assert_eq!(received[0].target, format!("/hook?validationToken={token}"));
    assert_eq!(
        received[0].header("content-type"),
        "text/plain; charset=utf-8"
    );
    assert_eq!(received[1].target, "/hook");
    assert_eq!(
        received[1].json(),
        json!({"value": [{
            "subscriptionId": created.body["id"],
            "clientState": "s3cret",
            "changeType": "updated",
            "resource": format!("/drives/{DRIVE_ID}/root"),
            "subscriptionExpirationDateTime": "2024-06-02T10:00:00+00:00",
            "tenantId": "00000000-0000-0000-0000-000000000000",
            "resourceData": null,
        }]})
    );
    let attempts: Vec<_> = graph
        .app
        .emulator
        .deliveries()
        .into_iter()
        .map(|a| (a.kind, a.status, a.error, a.outcome))
        .collect();
    assert_eq!(
        attempts,
        [
            ("validation", Some(200), None, "delivered"),
            ("notification", Some(202), None, "delivered"),
        ]
    );
}

#[tokio::test]
async fn a_receiver_whose_certificate_is_not_trusted_is_refused_by_graph_and_failed_for_box() {
    // Arrange: the emulator trusts one CA; the receiver's certificate is from another.
    let trusted = TestCa::new("trusted");
    let other = TestCa::new("untrusted");
    let receiver =
        Receiver::start_tls(Answer::EchoToken, other.acceptor.clone(), "localhost").await;
    let graph = spawn().config(https_only(&trusted)).graph().await;
    let folder = create_folder(&graph.app, "0", "Watched").await;
    let webhook = send_json(
        &graph.app,
        Method::POST,
        "/2.0/webhooks",
        json!({"target": {"id": id(&folder), "type": "folder"}, "address": receiver.url(),
               "triggers": ["FILE.UPLOADED"]}),
    )
    .await;
    assert_eq!(webhook.status, StatusCode::CREATED, "{webhook:?}");

    // Act
    let subscription = graph
        .post_json("/subscriptions", subscription_body(receiver.url()))
        .await;
    upload(&graph.app, id(&folder), "a.txt", b"one").await;
    let settled = graph
        .app
        .emulator
        .settle_deliveries(Duration::from_secs(10))
        .await;

    // Assert
    graph.assert_error(
        &subscription,
        400,
        "InvalidRequest",
        "Subscription validation request failed. Notification endpoint must respond with 200 \
         OK to validation request.",
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
    );
    let listed = graph.get("/subscriptions").await;
    assert_eq!(listed.body["value"], json!([]), "no subscription was made");
    assert!(settled, "given up, so settled");
    assert!(receiver.received().is_empty(), "no request got through");
    let port = receiver
        .url()
        .split(':')
        .nth(2)
        .unwrap()
        .trim_end_matches("/hook");
    let untrusted = format!(
        "the certificate of localhost:{port} is not trusted (invalid peer certificate: \
         UnknownIssuer); trust its CA with --receiver-ca-file"
    );
    let log = attempts_log(&graph).await;
    let failures: Vec<_> = log["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["api"].clone(),
                a["kind"].clone(),
                a["attempt"].clone(),
                a["status"].clone(),
                a["error"].clone(),
                a["outcome"].clone(),
            )
        })
        .collect();
    assert_eq!(
        failures,
        [
            (
                json!("graph"),
                json!("validation"),
                json!(1),
                json!(null),
                json!(untrusted),
                json!("refused")
            ),
            (
                json!("box"),
                json!("webhook"),
                json!(1),
                json!(null),
                json!(untrusted),
                json!("retrying")
            ),
            (
                json!("box"),
                json!("webhook"),
                json!(2),
                json!(null),
                json!(untrusted),
                json!("gave_up")
            ),
        ],
        "{log}"
    );
}

#[tokio::test]
async fn a_receiver_presenting_the_emulators_own_certificate_is_trusted_unasked() {
    // Arrange: an HTTPS emulator with the certificate it made; the receiver presents the same.
    let dir = cert_dir("own-ca-receiver");
    let (emulator, client) = https_emulator(&dir).await;
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(dir.join("server.pem"))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(dir.join("key.pem")).unwrap();
    let receiver = Receiver::start_tls(
        Answer::EchoToken,
        test_ca::acceptor(chain, key),
        "localhost",
    )
    .await;

    // Act
    let created = client
        .post(emulator.url("/v1.0/subscriptions"))
        .bearer_auth(TOKEN)
        .json(&subscription_body(receiver.url()))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(receiver.received().len(), 1, "the validation request");
}
