//! The push outlets through the official SDKs, each with a receiver of its own: msgraph-sdk
//! (Python) subscribes and gets the notification (`tests/sdk/graph_subscription.py`);
//! box_sdk_gen makes a webhook and its own `validate_message` accepts the delivery, and refuses
//! it altered (`tests/sdk/box_webhook.py`).

use restore_mock::deliveries::WebhookKeys;

use crate::support::run_sdk_script;
use crate::support::spawn;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn msgraph_sdk_subscribes_and_its_receiver_gets_the_notification() {
    // Arrange: the SDK sends an expiry on its own clock, so this server's clock runs too.
    let app = spawn().running_clock().start().await;
    let base_url = app.emulator.graph_url();

    // Act: the script asserts every step and exits non-zero on the first failure.
    let output =
        tokio::task::spawn_blocking(move || run_sdk_script("graph_subscription.py", &[&base_url]))
            .await
            .unwrap();

    // Assert
    assert!(output.contains("graph subscription passed"), "{output}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn box_sdk_gen_validates_a_webhook_delivery_and_refuses_it_altered() {
    // Arrange
    let app = spawn().start().await;
    app.emulator.set_webhook_keys(WebhookKeys {
        primary: "SamplePrimaryKey".into(),
        secondary: "SampleSecondaryKey".into(),
    });
    let root = app.emulator.uri();

    // Act
    let output = tokio::task::spawn_blocking(move || {
        run_sdk_script(
            "box_webhook.py",
            &[&root, "SamplePrimaryKey", "SampleSecondaryKey"],
        )
    })
    .await
    .unwrap();

    // Assert
    assert!(output.contains("box webhook passed"), "{output}");
    assert!(
        output.contains("ok: validate_message refuses the altered body"),
        "{output}"
    );
}
