//! Microsoft's official Python SDK (`msgraph-sdk`, pinned in `tests/sdk/requirements.txt`)
//! drives the Graph face through `tests/sdk/graph_flow.py`.

use crate::support::run_sdk_script;
use crate::support::spawn;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_uploads_lists_restores_and_downloads() {
    // Arrange
    let app = spawn().start().await;
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

/// msgraph-core's `LargeFileUploadTask` completes both uploads, then re-sends the last range and
/// raises on the real service's 400
/// (<https://github.com/microsoftgraph/msgraph-sdk-python-core/issues/718>): the script checks
/// that, and the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_file_upload_task_uploads_a_new_file_and_a_new_version_through_sessions() {
    // Arrange
    // The SDK checks the session's expiry against the wall clock, so this server's runs too.
    let app = spawn().running_clock().start().await;
    let base_url = app.emulator.graph_url();

    // Act
    let output =
        tokio::task::spawn_blocking(move || run_sdk_script("graph_big_file.py", &[&base_url]))
            .await
            .unwrap();

    // Assert
    assert!(output.contains("graph big file passed"), "{output}");
    assert!(
        output.contains("new file: the task raised 400 after completing"),
        "{output}"
    );
}

/// Two users with clients of their own share a group's drive through `drives.by_drive_id(...)`:
/// one history with both authors, in neither user's own drive.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_shares_a_group_drive_between_two_users() {
    // Arrange
    let app = spawn().start().await;
    let base_url = app.emulator.graph_url();

    // Act
    let output =
        tokio::task::spawn_blocking(move || run_sdk_script("graph_shared_drive.py", &[&base_url]))
            .await
            .unwrap();

    // Assert
    assert!(output.trim_end().ends_with("ok"), "{output}");
    assert!(output.contains("drive b!"), "{output}");
}

/// `copy.post` (its `Location` read through `HeadersInspectionHandlerOption`), the monitor polled
/// without a token until `completed`, `search_with_q` on a folder and a drive,
/// `special/approot`, and thumbnails, through `tests/sdk/graph_copy_search.py`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_copies_polls_the_monitor_searches_and_reads_thumbnails() {
    // Arrange
    let app = spawn().start().await;
    let base_url = app.emulator.graph_url();

    // Act
    let output =
        tokio::task::spawn_blocking(move || run_sdk_script("graph_copy_search.py", &[&base_url]))
            .await
            .unwrap();

    // Assert: the monitor answered in progress once, then completed.
    assert!(output.trim_end().ends_with("ok"), "{output}");
    assert!(
        output.contains("copied after 2 polls: q1 copy.txt"),
        "{output}"
    );
    assert!(
        output.contains("search ['q1 copy.txt', 'q1 report.txt']"),
        "{output}"
    );
    assert!(output.contains("thumbnails 96 64"), "{output}");
}

/// `checkout.post`, `checkin.post` with and without `check_in_as="published"`, the versions list
/// and `$select=publication` in a library with minor versions, then `versions/1.1` deleted
/// (`versions.by_drive_item_version_id(…).delete()`), through `tests/sdk/graph_checkin.py`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_checks_in_a_minor_version_then_publishes_the_next_major() {
    // Arrange
    let fixture = serde_json::json!({
        "users": [{"id": "a1", "name": "Alice", "tokens": ["sdk-alice"]}],
        "sites": [{"name": "team", "libraries": [{"name": "Documents", "minor_versions": true}]}],
    });
    let app = spawn().fixture(fixture).start().await;
    let base_url = app.emulator.graph_url();

    // Act
    let output =
        tokio::task::spawn_blocking(move || run_sdk_script("graph_checkin.py", &[&base_url]))
            .await
            .unwrap();

    // Assert
    assert!(output.trim_end().ends_with("ok"), "{output}");
    assert!(output.contains("minor ['1.1', '1.0']"), "{output}");
    assert!(
        output.contains("published ['2.0', '1.1', '1.0']"),
        "{output}"
    );
    assert!(output.contains("deleted ['2.0', '1.0']"), "{output}");
}
