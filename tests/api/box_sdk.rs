//! Box's official Python SDK (`boxsdk` 10.x, `box_sdk_gen`) drives a file's whole version life
//! against the emulator: `tests/sdk/box_flow.py`.

use crate::support::run_sdk_script;
use crate::support::spawn;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_goes_through_a_files_whole_version_life() {
    // Arrange
    let emulator = spawn().start().await.emulator;
    let root = emulator.box_url();

    // Act: the script blocks, so it runs off the runtime the server needs.
    let output = tokio::task::spawn_blocking(move || run_sdk_script("box_flow.py", &[&root]))
        .await
        .expect("the SDK script ran");

    // Assert: the script asserts each step and exits non-zero on the first failure.
    assert!(output.contains("box flow passed"), "{output}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_big_file_and_upload_big_file_version_go_through_sessions_and_retry_a_202_commit() {
    // Arrange: the first commit answers "not processed yet", as Box may
    // (https://developer.box.com/reference/post-files-upload-sessions-id-commit/).
    let emulator = spawn().start().await.emulator;
    let admin = reqwest::Client::new();
    let rule = admin
        .post(emulator.url("/__admin/faults"))
        .json(&serde_json::json!({
            "match": {"api": "box", "method": "POST", "path": "*/commit"},
            "action": {"type": "error", "status": 202, "retry_after": 1},
            "times": 1
        }))
        .send()
        .await
        .unwrap();
    let root = emulator.box_url();

    // Act
    let output = tokio::task::spawn_blocking(move || run_sdk_script("box_big_file.py", &[&root]))
        .await
        .expect("the SDK script ran");
    let rules: serde_json::Value = admin
        .get(emulator.url("/__admin/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    // Assert: the SDK waited out the 202 and committed again.
    assert_eq!(rule.status(), 201);
    assert!(output.contains("box big file passed"), "{output}");
    assert_eq!(rules["faults"][0]["fired"], 1, "{rules}");
}
