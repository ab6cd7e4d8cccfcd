//! Microsoft's official Python SDK (`msgraph-sdk`, pinned in `tests/sdk/requirements.txt`)
//! drives the Graph face through `tests/sdk/graph_flow.py`.

use crate::helpers::{run_sdk_script, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_uploads_lists_restores_and_downloads() {
    // Arrange
    let app = spawn_app().await;
    let base_url = app.emulator.graph_url();

    // Act: the script asserts every step and exits non-zero on the first failure.
    let output = tokio::task::spawn_blocking(move || run_sdk_script("graph_flow.py", &[&base_url]))
        .await
        .unwrap();

    // Assert
    assert!(output.trim_end().ends_with("ok"), "{output}");
    assert!(
        output.contains("restored ['4.0', '3.0', '2.0', '1.0']"),
        "{output}"
    );
}
