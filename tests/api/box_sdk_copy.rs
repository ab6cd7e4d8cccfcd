//! Copy through Box's official SDKs: box_sdk_gen (`tests/sdk/box_copy.py`) and box-node-sdk
//! (`tests/sdk/node/box_copy.js`) copy a file, an older version and a folder, and meet the 409
//! of a taken name; the state is read back here.

use serde_json::Value;

use crate::support::{run_node_script, run_sdk_script, spawn};

/// The names in the root of the token's Box account, through the API.
async fn root_names(app: &crate::support::TestApp, token: &str) -> Value {
    let reply = app
        .client
        .get(app.url("/2.0/folders/0/items?fields=name"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let body: Value = reply.json().await.unwrap();
    body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["name"].clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_copies_a_file_a_version_and_a_folder() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act: the script blocks, so it runs off the runtime the server needs.
    let output = tokio::task::spawn_blocking(move || run_sdk_script("box_copy.py", &[&root]))
        .await
        .expect("the SDK script ran");

    // Assert
    assert!(output.contains("box copy passed"), "{output}");
    assert_eq!(
        root_names(&app, "sdk-copy-token").await,
        serde_json::json!(["Copy", "Source", "copy.txt", "old.txt"])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_sdk_copies_a_file_a_version_and_a_folder() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act
    let output = tokio::task::spawn_blocking(move || run_node_script("box_copy.js", &[&root], &[]))
        .await
        .expect("the SDK script ran");

    // Assert
    assert!(output.contains("box node copy passed"), "{output}");
    assert_eq!(
        root_names(&app, "node-copy-token").await,
        serde_json::json!(["Copy", "Source", "copy.txt", "old.txt"])
    );
}
