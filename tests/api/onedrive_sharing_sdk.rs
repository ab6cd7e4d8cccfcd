//! Sharing and check-out through the official clients: msgraph-sdk for Python
//! (`tests/sdk/graph_sharing.py`) and the Node Graph client (`tests/sdk/node/graph_sharing.js`),
//! each with two users' tokens.

use crate::support::{run_node_script, run_sdk_script, spawn};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_links_invites_and_checks_out_and_in() {
    // Arrange
    let app = spawn().start().await;
    let base_url = app.emulator.graph_url();

    // Act: the script asserts every step and exits non-zero on the first failure.
    let output =
        tokio::task::spawn_blocking(move || run_sdk_script("graph_sharing.py", &[&base_url]))
            .await
            .unwrap();

    // Assert
    assert!(output.trim_end().ends_with("ok"), "{output}");
    assert!(output.contains("link anonymous"), "{output}");
    assert!(
        output.contains("checked in ['3.0', '2.0', '1.0']"),
        "{output}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_graph_client_makes_a_link_and_invites_a_user_who_then_reads_the_file() {
    // Arrange
    let app = spawn().start().await;
    let origin = app.emulator.uri();

    // Act
    let output =
        tokio::task::spawn_blocking(move || run_node_script("graph_sharing.js", &[&origin], &[]))
            .await
            .unwrap();

    // Assert
    assert!(output.trim_end().ends_with("ok"), "{output}");
}
