//! The Box families beyond versions through box-node-sdk (`tests/sdk/node/box_breadth.js`): a
//! folder of 250 files paged by marker, a shared link, a lock refusing a collaborator's version,
//! comments, a thumbnail and metadata; the state the script leaves is read back here.

use serde_json::{json, Value};

use crate::support::{run_node_script, spawn, TestApp};

const OWNER: &str = "node-breadth-owner";

/// The body of a GET as the script's owner, which must answer 200.
async fn read(app: &TestApp, path: &str) -> Value {
    let reply = app
        .client
        .get(app.url(path))
        .bearer_auth(OWNER)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200, "GET {path}");
    reply.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_sdk_pages_shares_locks_comments_thumbnails_and_tags() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act: the script blocks, so it runs off the runtime the server needs.
    let output =
        tokio::task::spawn_blocking(move || run_node_script("box_breadth.js", &[&root], &[]))
            .await
            .expect("the SDK script ran");

    // Assert
    assert!(output.contains("box node breadth passed"), "{output}");
    let listing = read(&app, "/2.0/folders/0/items?fields=name").await;
    let names: Vec<&str> = listing["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Many",
            "commented.txt",
            "contract.txt",
            "locked.txt",
            "photo.png",
            "shared.txt"
        ]
    );
    let id = |name: &str| {
        let entries = listing["entries"].as_array().unwrap();
        let entry = entries.iter().find(|entry| entry["name"] == name).unwrap();
        entry["id"].as_str().unwrap().to_owned()
    };

    let many = read(&app, &format!("/2.0/folders/{}/items?limit=1", id("Many"))).await;
    assert_eq!(many["total_count"], 250);

    let shared = read(
        &app,
        &format!("/2.0/files/{}?fields=shared_link", id("shared.txt")),
    )
    .await;
    assert_eq!(shared["shared_link"], Value::Null);

    // The editor's version went in after the unlock, and only that one.
    let locked = id("locked.txt");
    let file = read(
        &app,
        &format!("/2.0/files/{locked}?fields=lock,modified_by"),
    )
    .await;
    assert_eq!(file["lock"], Value::Null);
    let editor = app
        .client
        .get(app.url("/2.0/users/me"))
        .bearer_auth("node-breadth-editor")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(file["modified_by"]["id"], editor["id"]);
    let versions = read(&app, &format!("/2.0/files/{locked}/versions")).await;
    assert_eq!(versions["total_count"], 1);

    let comments = read(
        &app,
        &format!("/2.0/files/{}/comments", id("commented.txt")),
    )
    .await;
    assert_eq!(comments["total_count"], 0);
    assert_eq!(comments["entries"], json!([]));

    let path = format!(
        "/2.0/files/{}/metadata/enterprise/contract",
        id("contract.txt")
    );
    let metadata = read(&app, &path).await;
    assert_eq!(
        (
            &metadata["name"],
            &metadata["country"],
            &metadata["$version"]
        ),
        (&json!("Jack"), &json!("CA"), &json!(1))
    );
}
