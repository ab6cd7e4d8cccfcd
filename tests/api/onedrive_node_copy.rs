//! The JS Graph client (`@microsoft/microsoft-graph-client`, pinned in `tests/sdk/node`) copies
//! with `rename` and polls the monitor, then searches, through `tests/sdk/node/graph_copy_search.js`
//! over HTTPS (the client takes only `https://` URLs as absolute: see `https.rs`).

use serde_json::{json, Value};

use crate::https::{cert_dir, https_emulator, node_report};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_js_graph_client_copies_polls_the_monitor_and_searches() {
    // Arrange
    let dir = cert_dir("js-copy");
    let (emulator, client) = https_emulator(&dir).await;
    let origin = emulator.uri();

    // Act
    let report = node_report(&dir, "graph_copy_search.js", vec![origin.clone()]).await;

    // Assert: 202, then in progress once, then completed with the copy's id.
    assert_eq!(
        report,
        json!({
            "status": 202,
            "location": format!("{origin}/_api/v2.0/monitor/910a2dec-8902-5cc1-e9fd-6049d65af21e"),
            "phases": [[202, "inProgress"], [200, "completed"]],
            "resourceId": "1000000003",
            // By name: a space sorts before the dot.
            "hits": [
                {"id": "1000000003", "name": "plan 1.txt"},
                {"id": "1000000002", "name": "plan.txt"},
            ],
        })
    );
    // Read back through the API: the copy has the source's bytes.
    let copied: Value = client
        .get(emulator.url("/v1.0/me/drive/items/1000000003"))
        .bearer_auth("js-copy-token")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(copied["name"], "plan 1.txt");
    assert_eq!(copied["size"], 8);
}
