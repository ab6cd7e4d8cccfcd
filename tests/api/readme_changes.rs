//! The README's "React to changes" block, run as written: a delta round from `token=latest` sees
//! the upload that follows it, the Box stream from `now` shows the next upload, and the long-poll
//! URL is handed out.

use std::path::Path;

use crate::readme::{run_shell_block, scratch, snippets_in};
use crate::support::spawn;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_react_to_changes_curl_lines_run_as_written() {
    // Arrange
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let [block] = &snippets_in(&readme, "changes curl")[..] else {
        panic!("one changes curl block");
    };
    let emulator = spawn().start().await.emulator;

    // Act
    let stdout = run_shell_block(block, &scratch("changes"), &emulator, "the changes block").await;

    // Assert: three replies, in order: the delta round, the events, the real-time server.
    let replies: Vec<serde_json::Value> = stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let [delta, events, servers] = &replies[..] else {
        panic!("three replies:\n{stdout}");
    };
    let names: Vec<&serde_json::Value> = delta["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["name"])
        .collect();
    assert_eq!(names, ["root", "a.txt"], "{stdout}");
    assert_eq!(events["chunk_size"], 1, "{stdout}");
    assert_eq!(
        events["entries"][0]["event_type"], "ITEM_UPLOAD",
        "{stdout}"
    );
    assert_eq!(events["entries"][0]["source"]["name"], "b.txt", "{stdout}");
    let url = servers["entries"][0]["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/2.0/events/realtime?", emulator.uri())),
        "{url}"
    );
}
