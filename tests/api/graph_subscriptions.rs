//! Graph change notifications: a subscription is made only after its receiver echoes the
//! validation token, reads back, changes and goes; a change under the watched root sends the
//! notification Graph sends; every refusal is in Graph's envelope and makes nothing.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use restore_mock::config::Config;
use serde_json::{json, Value};

use crate::support::graph::{Graph, DRIVE_ID, ME_ID};
use crate::support::receiver::{Answer, Receiver};
use crate::support::{spawn, with_request_ids};

/// The id the server gives its first subscription (a scrambled counter).
const FIRST_ID: &str = "4914b576-2020-4921-f320-3e9039f4a821";

fn subscription_body(url: &str, resource: &str) -> Value {
    json!({
        "changeType": "updated",
        "notificationUrl": url,
        "resource": resource,
        "expirationDateTime": "2024-06-02T10:00:00+00:00",
        "clientState": "s3cret",
    })
}

/// The subscription as Graph shows it, without `@odata.context` (as a list's entries are).
fn subscription_json(id: &str, url: &str, resource: &str, expiration: &str) -> Value {
    json!({
        "id": id,
        "resource": resource,
        "applicationId": "5e3ce6c0-2b1f-4285-8d4b-75ee78787346",
        "changeType": "updated",
        "clientState": "s3cret",
        "notificationUrl": url,
        "notificationQueryOptions": null,
        "lifecycleNotificationUrl": null,
        "expirationDateTime": expiration,
        "creatorId": ME_ID,
        "includeResourceData": null,
        "latestSupportedTlsVersion": "v1_2",
        "encryptionCertificate": null,
        "encryptionCertificateId": null,
        "notificationUrlAppId": null,
    })
}

fn entity(graph: &Graph, mut subscription: Value) -> Value {
    let context = format!("{}/v1.0/$metadata#subscriptions/$entity", graph.origin());
    subscription["@odata.context"] = json!(context);
    subscription
}

#[tokio::test]
async fn a_subscription_is_made_after_the_receiver_echoes_the_token_and_reads_back() {
    // Arrange
    let graph = spawn().graph().await;
    let receiver = Receiver::start(Answer::EchoToken).await;

    // Act
    let created = graph
        .post_json(
            "/subscriptions",
            subscription_body(receiver.url(), "/me/drive/root"),
        )
        .await;

    // Assert
    let expected = subscription_json(
        FIRST_ID,
        receiver.url(),
        "/me/drive/root",
        "2024-06-02T10:00:00Z",
    );
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");
    assert_eq!(created.body, entity(&graph, expected.clone()));
    let validation = receiver.received();
    assert_eq!(validation.len(), 1, "one validation request");
    assert_eq!(
        validation[0].target,
        "/hook?validationToken=Validation%3A%20Testing%20client%20application%20reachability\
         %20for%20subscription%20Request-Id%3A%20e220a839-7b1d-cdaf-e4d9-71771b652c20"
    );
    assert_eq!(
        validation[0].header("content-type"),
        "text/plain; charset=utf-8"
    );
    assert!(validation[0].body.is_empty());
    let read = graph.get(&format!("/subscriptions/{FIRST_ID}")).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body, entity(&graph, expected.clone()));
    let listed = graph.get("/subscriptions").await;
    assert_eq!(
        listed.body,
        json!({
            "@odata.context": format!("{}/v1.0/$metadata#subscriptions", graph.origin()),
            "value": [expected],
        })
    );
}

#[tokio::test]
async fn a_change_under_the_root_sends_graphs_notification_to_the_receiver() {
    // Arrange
    let graph = spawn().graph().await;
    let receiver = Receiver::start(Answer::EchoToken).await;
    let resource = format!("/drives/{DRIVE_ID}/root");
    let created = graph
        .post_json(
            "/subscriptions",
            subscription_body(receiver.url(), &resource),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");

    // Act
    let uploaded = graph.put("/me/drive/root:/a.txt:/content", b"one").await;
    assert_eq!(uploaded.status, StatusCode::CREATED);
    let settled = settle(&graph).await;

    // Assert
    assert!(settled, "the notification settles");
    let received = receiver.received();
    assert_eq!(
        received.len(),
        2,
        "validation, then one notification: {received:?}"
    );
    let notification = &received[1];
    assert_eq!(notification.target, "/hook");
    assert_eq!(
        notification.header("content-type"),
        "application/json; charset=utf-8"
    );
    assert_eq!(
        notification.json(),
        json!({"value": [{
            "subscriptionId": FIRST_ID,
            "clientState": "s3cret",
            "changeType": "updated",
            "resource": resource,
            "subscriptionExpirationDateTime": "2024-06-02T10:00:00+00:00",
            "tenantId": "00000000-0000-0000-0000-000000000000",
            "resourceData": null,
        }]})
    );
    let attempts: Vec<(String, String, Option<u16>, String)> = graph
        .app
        .emulator
        .deliveries()
        .into_iter()
        .map(|a| (a.kind.to_owned(), a.target, a.status, a.outcome.to_owned()))
        .collect();
    let hook = receiver.url().to_owned();
    assert_eq!(attempts.len(), 2);
    assert_eq!(
        attempts[1],
        ("notification".into(), hook, Some(202), "delivered".into())
    );
}

/// Uploads `{name}.txt`, a new file, into the caller's root.
async fn put_new(graph: &Graph, name: &str) {
    let path = format!("/me/drive/root:/{name}.txt:/content");
    let put = graph.put(&path, name.as_bytes()).await;
    assert_eq!(put.status, StatusCode::CREATED, "{put:?}");
}

/// Waits until every change so far has been delivered; whether it was.
async fn settle(graph: &Graph) -> bool {
    graph
        .app
        .emulator
        .settle_deliveries(Duration::from_secs(10))
        .await
}

/// The subscription each notification `receiver` got names, in order, once every delivery has
/// settled (the validation request before them is left out).
async fn notified(graph: &Graph, receiver: &Receiver) -> Vec<String> {
    assert!(settle(graph).await, "deliveries settle");
    let received = receiver.received();
    assert!(
        received[0].target.contains("validationToken="),
        "validation first"
    );
    (received[1..].iter())
        .map(|r| {
            r.json()["value"][0]["subscriptionId"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_subscription_hears_only_of_the_changes_made_while_it_lives() {
    // Arrange: writes while nobody listens, handed on (to no one) before a subscription exists;
    // a change is matched to the subscriptions there are when it is handed on.
    let graph = spawn().graph().await;
    for name in ["a", "b"] {
        put_new(&graph, name).await;
    }
    assert!(settle(&graph).await, "the writes are handed on");
    let first = Receiver::start(Answer::EchoToken).await;
    let body = subscription_body(first.url(), "/me/drive/root");
    let created = graph.post_json("/subscriptions", body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");
    let none: [&str; 0] = [];

    // Act and assert
    assert_eq!(
        notified(&graph, &first).await,
        none,
        "nothing from before it"
    );
    put_new(&graph, "c").await;
    assert_eq!(
        notified(&graph, &first).await,
        [FIRST_ID],
        "the change while it lives"
    );
    let path = format!("/subscriptions/{FIRST_ID}");
    assert_eq!(graph.delete(&path).await.status, StatusCode::NO_CONTENT);
    put_new(&graph, "d").await;
    assert_eq!(
        notified(&graph, &first).await,
        [FIRST_ID],
        "nothing after it went"
    );
    let second = Receiver::start(Answer::EchoToken).await;
    let body = subscription_body(second.url(), "/me/drive/root");
    let created = graph.post_json("/subscriptions", body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");
    let second_id = created.body["id"].as_str().unwrap();
    assert_ne!(second_id, FIRST_ID);
    assert_eq!(
        notified(&graph, &second).await,
        none,
        "nothing from before the second"
    );
    put_new(&graph, "e").await;
    assert_eq!(notified(&graph, &second).await, [second_id]);
    assert_eq!(
        notified(&graph, &first).await,
        [FIRST_ID],
        "the first hears no more"
    );
}

#[tokio::test]
async fn another_users_change_and_another_drive_send_nothing() {
    // Arrange
    let graph = spawn().graph().await;
    let receiver = Receiver::start(Answer::EchoToken).await;
    let created = graph
        .post_json(
            "/subscriptions",
            subscription_body(receiver.url(), "me/drive/root"),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");

    // Act: another user uploads into their own drive.
    let other = graph
        .app
        .client
        .put(graph.url("/me/drive/root:/b.txt:/content"))
        .bearer_auth("someone-else")
        .body("two")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::CREATED);
    assert!(
        graph
            .app
            .emulator
            .settle_deliveries(Duration::from_secs(10))
            .await
    );

    // Assert
    assert_eq!(receiver.received().len(), 1, "the validation request only");
}

#[tokio::test]
async fn a_subscription_changes_its_expiry_and_goes_with_delete() {
    // Arrange
    let graph = spawn().graph().await;
    let receiver = Receiver::start(Answer::EchoToken).await;
    graph
        .post_json(
            "/subscriptions",
            subscription_body(receiver.url(), "/me/drive/root"),
        )
        .await;
    let path = format!("/subscriptions/{FIRST_ID}");

    // Act
    let patched = graph
        .send(
            graph
                .request(Method::PATCH, &path)
                .json(&json!({"expirationDateTime": "2024-06-03T10:00:00Z"})),
        )
        .await;
    let deleted = graph.delete(&path).await;
    let gone = graph.get(&path).await;

    // Assert
    let expected = subscription_json(
        FIRST_ID,
        receiver.url(),
        "/me/drive/root",
        "2024-06-03T10:00:00Z",
    );
    assert_eq!(patched.status, StatusCode::OK, "{patched:?}");
    assert_eq!(patched.body, entity(&graph, expected));
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert!(deleted.bytes.is_empty());
    graph.assert_error(
        &gone,
        404,
        "ResourceNotFound",
        "The object was not found.",
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
    );
    let again = graph.delete(&path).await;
    graph.assert_error(
        &again,
        404,
        "ResourceNotFound",
        "The object was not found.",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
    );
}

#[tokio::test]
async fn another_users_subscription_is_not_found() {
    // Arrange
    let graph = spawn().graph().await;
    let receiver = Receiver::start(Answer::EchoToken).await;
    graph
        .post_json(
            "/subscriptions",
            subscription_body(receiver.url(), "/me/drive/root"),
        )
        .await;

    // Act
    let read = graph
        .app
        .client
        .get(graph.url(&format!("/subscriptions/{FIRST_ID}")))
        .bearer_auth("someone-else")
        .send()
        .await
        .unwrap();
    let listed = graph
        .app
        .client
        .get(graph.url("/subscriptions"))
        .bearer_auth("someone-else")
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(read.status(), StatusCode::NOT_FOUND);
    let listed: Value = listed.json().await.unwrap();
    assert_eq!(listed["value"], json!([]));
}

/// A port nothing listens on: bound, then let go.
async fn closed_port_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}/hook")
}

#[tokio::test]
async fn bad_subscriptions_are_refused_in_graphs_envelope_and_none_is_made() {
    // Arrange
    let graph = spawn().graph().await;
    let echo = Receiver::start(Answer::EchoToken).await;
    let failing = Receiver::start(Answer::Status(500)).await;
    let wrong = Receiver::start(Answer::WrongToken).await;
    let closed = closed_port_url().await;
    let ok = subscription_body(echo.url(), "/me/drive/root");
    let with = |key: &str, value: Value| {
        let mut body = ok.clone();
        body[key] = value;
        body
    };
    let without = |key: &str| {
        let mut body = ok.clone();
        body.as_object_mut().unwrap().remove(key);
        body
    };
    let not_ok = "Subscription validation request failed. Notification endpoint must respond \
                  with 200 OK to validation request.";
    let cases: Vec<(&str, Value, u16, &str, String)> = vec![
        ("no changeType", without("changeType"), 400, "InvalidRequest",
         "The property 'changeType' is required.".into()),
        ("no notificationUrl", without("notificationUrl"), 400, "InvalidRequest",
         "The property 'notificationUrl' is required.".into()),
        ("no resource", without("resource"), 400, "InvalidRequest",
         "The property 'resource' is required.".into()),
        ("no expirationDateTime", without("expirationDateTime"), 400, "InvalidRequest",
         "The property 'expirationDateTime' is required.".into()),
        ("a changeType drives do not have", with("changeType", json!("created")), 400, "InvalidRequest",
         "The changeType 'created' is not supported for resource '/me/drive/root'. Drive items support 'updated' only.".into()),
        ("an absolute resource", with("resource", json!("https://graph.microsoft.com/v1.0/me/drive/root")), 400, "BadRequest",
         "The value 'https://graph.microsoft.com/v1.0/me/drive/root' of property 'resource' must be a relative URI.".into()),
        ("a folder, not the root", with("resource", json!("/me/drive/root:/Docs")), 400, "InvalidRequest",
         "resource '/me/drive/root:/Docs' is not supported.".into()),
        ("an item's children", with("resource", json!("/me/drive/root/children")), 400, "InvalidRequest",
         "resource '/me/drive/root/children' is not supported.".into()),
        ("the old /drive alias", with("resource", json!("/drive/root")), 400, "InvalidRequest",
         "Unable to find target address".into()),
        ("an expiry in the past", with("expirationDateTime", json!("2024-06-01T09:00:00Z")), 400, "InvalidRequest",
         "Subscription expiration can only be in the future.".into()),
        ("an expiry past 42300 minutes", with("expirationDateTime", json!("2024-07-01T10:00:01Z")), 400, "ExtensionError",
         "Subscription expiration can only be 42300 minutes in the future.".into()),
        ("an expiry that is no date", with("expirationDateTime", json!("tomorrow")), 400, "InvalidRequest",
         "The value 'tomorrow' of property 'expirationDateTime' is not a valid date and time.".into()),
        ("a clientState over 128 characters", with("clientState", json!("x".repeat(129))), 400, "InvalidRequest",
         "The clientState property cannot exceed 128 characters.".into()),
        ("rich notifications", with("includeResourceData", json!(true)), 400, "InvalidRequest",
         "File Services workload is not enabled for rich notifications.".into()),
        ("a relative notificationUrl", with("notificationUrl", json!("/hook")), 400, "InvalidRequest",
         "The value '/hook' of property 'notificationUrl' is not a valid absolute URL.".into()),
        ("a receiver nobody listens on", with("notificationUrl", json!(closed)), 400, "InvalidRequest",
         not_ok.into()),
        ("a receiver that answers 500", with("notificationUrl", json!(failing.url())), 400, "InvalidRequest",
         not_ok.into()),
        ("a receiver that answers other text", with("notificationUrl", json!(wrong.url())), 400, "InvalidRequest",
         "Subscription validation request failed. Response must exactly match validationToken query parameter.".into()),
    ];

    let ids = [
        "e220a839-7b1d-cdaf-e4d9-71771b652c20",
        "910a2dec-8902-5cc1-f320-3e9039f4a821",
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
        "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
        "bd64a5d9-adef-e000-6c1e-186443822970",
        "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
        "9e5651b0-ef95-3636-e62b-6430f1260052",
        "aeaf52fe-be70-6064-d484-a1e7c35a0b13",
        "088712be-8a58-2fca-6fc5-530939fb94c3",
        "50f5647d-2380-309d-baa3-2132e1340f17",
        "943ff9fc-99de-8f03-ae9b-71a31d422e93",
        "c4ca37b7-f8ad-8aff-e1ec-8deaabc4ba58",
        "6aa9d614-35db-e63e-ce63-7ffb158bdee8",
        "875b9307-abf5-5005-4ac7-8209f18552c9",
        "5de186dc-ba77-9207-da27-eb19c3a2a69f",
        "808475f0-2ee3-7363-b5c7-e924acf5315b",
    ];

    for ((case, body, status, code, message), request_id) in with_request_ids(cases, ids) {
        // Act
        let reply = graph.post_json("/subscriptions", body).await;

        // Assert
        assert_eq!(reply.status.as_u16(), status, "{case}: {reply:?}");
        graph.assert_error(&reply, status, code, &message, request_id);
    }
    let listed = graph.get("/subscriptions").await;
    assert_eq!(listed.body["value"], json!([]), "no subscription was made");
}

#[tokio::test]
async fn with_require_https_receivers_an_http_receiver_is_refused() {
    // Arrange
    let config = Config {
        require_https_receivers: true,
        ..Config::default()
    };
    let graph = spawn().config(config).graph().await;
    let receiver = Receiver::start(Answer::EchoToken).await;

    // Act
    let reply = graph
        .post_json(
            "/subscriptions",
            subscription_body(receiver.url(), "/me/drive/root"),
        )
        .await;

    // Assert
    let message = format!(
        "The value '{}' of property 'notificationUrl' must use https.",
        receiver.url()
    );
    graph.assert_error(
        &reply,
        400,
        "InvalidRequest",
        &message,
        "e220a839-7b1d-cdaf-e4d9-71771b652c20",
    );
    assert!(
        receiver.received().is_empty(),
        "no validation request went out"
    );
}

/// Engineering (Alice and Bob); Eve is in no group.
fn engineering() -> Value {
    json!({
        "users": [
            {"id": "a1", "name": "Alice", "login": "alice@example.com", "tokens": ["alice"]},
            {"id": "b2", "name": "Bob", "login": "bob@example.com", "tokens": ["bob"]},
            {"id": "e3", "name": "Eve", "login": "eve@example.com", "tokens": ["eve"]},
        ],
        "groups": [{"id": "g-eng", "name": "Engineering", "mail": "eng@contoso.com",
                    "members": ["a1", "b2"]}],
        "sites": [{"name": "eng", "group": "g-eng"}],
    })
}

#[tokio::test]
async fn a_group_drive_subscription_hears_another_members_change_and_a_non_member_cannot_subscribe()
{
    // Arrange
    let graph = spawn().fixture(engineering()).graph().await;
    let receiver = Receiver::start(Answer::EchoToken).await;
    let body = subscription_body(receiver.url(), "/groups/g-eng/drive/root");
    // `graph.request` carries the default token: these calls name their own.
    let client = &graph.app.client;
    let subscribe = |token: &'static str| {
        let request = client.post(graph.url("/subscriptions")).bearer_auth(token);
        graph.send(request.json(&body))
    };
    let alices = subscribe("alice").await;
    assert_eq!(alices.status, StatusCode::CREATED, "{alices:?}");

    // Act
    let eves = subscribe("eve").await;
    let upload = client
        .put(graph.url("/groups/g-eng/drive/root:/plan.txt:/content"))
        .bearer_auth("bob")
        .body("v1");
    assert_eq!(graph.send(upload).await.status, StatusCode::CREATED);
    assert!(
        graph
            .app
            .emulator
            .settle_deliveries(Duration::from_secs(10))
            .await
    );

    // Assert
    assert_eq!(eves.status, StatusCode::FORBIDDEN, "{eves:?}");
    assert_eq!(eves.body["error"]["code"], "accessDenied");
    let received = receiver.received();
    assert_eq!(
        received.len(),
        2,
        "Alice's validation, then Bob's change: {received:?}"
    );
    assert_eq!(
        received[1].json()["value"][0]["resource"],
        "/groups/g-eng/drive/root"
    );
}
