//! The official Python SDKs read the change feeds: msgraph-sdk pages Graph `delta` to its
//! deltaLink and sees a restore and a delete (`tests/sdk/graph_delta.py`); box_sdk_gen's
//! EventStream long-polls and sees an upload and a promote (`tests/sdk/box_events.py`).

use crate::support::run_sdk_script;
use crate::support::spawn;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn msgraph_sdk_pages_delta_to_its_delta_link_and_sees_a_restore_and_a_delete() {
    // Arrange
    let emulator = spawn().start().await.emulator;
    let base = emulator.url("/v1.0");

    // Act: the script blocks, so it runs off the runtime the server needs.
    let output = tokio::task::spawn_blocking(move || run_sdk_script("graph_delta.py", &[&base]))
        .await
        .expect("the SDK script ran");

    // Assert: the script asserts each step and exits non-zero on the first failure.
    assert!(output.contains("graph delta passed"), "{output}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn box_sdk_gens_event_stream_sees_an_upload_and_a_promote_through_the_long_poll() {
    // Arrange
    let emulator = spawn().start().await.emulator;
    let root = emulator.box_url();

    // Act
    let output = tokio::task::spawn_blocking(move || run_sdk_script("box_events.py", &[&root]))
        .await
        .expect("the SDK script ran");

    // Assert
    assert!(output.contains("box events passed"), "{output}");
}
