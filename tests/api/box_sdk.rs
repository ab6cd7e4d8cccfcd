//! Box's official Python SDK (`boxsdk` 10.x, `box_sdk_gen`) drives a file's whole version life
//! against the emulator: `tests/sdk/box_flow.py`.

use crate::helpers::run_sdk_script;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_goes_through_a_files_whole_version_life() {
    // Arrange
    let emulator = crate::helpers::start().await;
    let root = emulator.box_url();

    // Act: the script blocks, so it runs off the runtime the server needs.
    let output = tokio::task::spawn_blocking(move || run_sdk_script("box_flow.py", &[&root]))
        .await
        .expect("the SDK script ran");

    // Assert: the script asserts each step and exits non-zero on the first failure.
    assert!(output.contains("box flow passed"), "{output}");
}
