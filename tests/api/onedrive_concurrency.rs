//! Concurrent restores over real HTTP: none lost, none duplicated, labels consecutive.

use reqwest::StatusCode;

use crate::support::graph::{labels, TOKEN};
use crate::support::spawn;

const RESTORES: usize = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_restores_of_one_version_make_exactly_that_many_new_versions() {
    // Arrange
    let graph = spawn().graph().await;
    let first = graph.upload("/race.txt", b"original").await;
    graph.upload("/race.txt", b"replaced!").await;
    let id = first["id"].as_str().unwrap().to_owned();
    let url = graph.url(&format!("/me/drive/items/{id}/versions/1.0/restoreVersion"));

    // Act: every restore in flight at once, each on its own task.
    let tasks: Vec<_> = (0..RESTORES)
        .map(|_| {
            let client = graph.app.client.clone();
            let url = url.clone();
            tokio::spawn(async move {
                client
                    .post(&url)
                    .bearer_auth(TOKEN)
                    .send()
                    .await
                    .map(|r| r.status())
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap().unwrap());
    }

    // Assert
    assert!(
        statuses.iter().all(|s| *s == StatusCode::NO_CONTENT),
        "{statuses:?}"
    );
    let versions = graph.get(&format!("/me/drive/items/{id}/versions")).await;
    let expected: Vec<String> = (1..=RESTORES + 2).rev().map(|n| format!("{n}.0")).collect();
    assert_eq!(
        labels(&versions.body),
        expected,
        "distinct, consecutive, newest first"
    );
    let sizes: Vec<u64> = versions.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["size"].as_u64().unwrap())
        .collect();
    let mut expected_sizes = vec![8; RESTORES];
    expected_sizes.extend([9, 8]);
    assert_eq!(sizes, expected_sizes, "every restore copied version 1.0");
    let item = graph.get(&format!("/me/drive/items/{id}")).await.body;
    let n = RESTORES + 2;
    let guid = "A04535F2-2366-4573-924A-9CEB7CB3CB73";
    assert_eq!(item["eTag"], format!("\"{{{guid}}},{n}\""));
    assert_eq!(item["cTag"], format!("\"c:{{{guid}}},{n}\""));
    assert_eq!(item["size"], 8);
    assert_eq!(item["file"]["hashes"], first["file"]["hashes"]);
}
