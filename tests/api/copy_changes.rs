//! A copy reaches the change feed: Graph `delta` after a folder copy lists the new folder and
//! what was copied into it, and Box's event stream shows `ITEM_COPY` for the new file.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::box_api::{self, id};
use crate::support::spawn;

#[tokio::test]
async fn graph_delta_after_a_folder_copy_lists_the_copy_and_everything_in_it() {
    // Arrange
    let graph = spawn().graph().await;
    let file = graph.upload("/a/x.txt", b"x1").await;
    let folder = file["parentReference"]["id"].as_str().unwrap().to_owned();
    let latest = graph.get("/me/drive/root/delta?token=latest").await;
    let delta_link = latest.body["@odata.deltaLink"].as_str().unwrap().to_owned();
    let copied = graph
        .post_json(
            &format!("/me/drive/items/{folder}/copy"),
            json!({"name": "c"}),
        )
        .await;
    assert_eq!(copied.status, StatusCode::ACCEPTED, "{copied:?}");

    // Act
    let query = delta_link.split_once('?').unwrap().1;
    let reply = graph
        .get(&format!(
            "/me/drive/root/delta?{query}&$select=name,parentReference"
        ))
        .await;

    // Assert
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    let names: Vec<&str> = (reply.body["value"].as_array().unwrap().iter())
        .map(|item| item["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["root", "c", "x.txt"], "{}", reply.body);
}

#[tokio::test]
async fn box_events_show_item_copy_for_the_new_file() {
    // Arrange
    let app = spawn().start().await;
    let file = box_api::upload(&app, "0", "a.txt", b"one").await;
    let file = id(&file).to_owned();
    let copy = box_api::send_json(
        &app,
        Method::POST,
        &format!("/2.0/files/{file}/copy"),
        json!({"parent": {"id": "0"}, "name": "b.txt"}),
    )
    .await;
    assert_eq!(copy.status, StatusCode::CREATED, "{copy:?}");

    // Act
    let events = box_api::get(&app, "/2.0/events?stream_position=0").await;

    // Assert
    assert_eq!(events.status, StatusCode::OK, "{events:?}");
    let seen: Vec<(&str, &str)> = (events.body["entries"].as_array().unwrap().iter())
        .map(|e: &Value| {
            (
                e["event_type"].as_str().unwrap(),
                e["source"]["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [("ITEM_UPLOAD", "a.txt"), ("ITEM_COPY", "b.txt")],
        "{}",
        events.body
    );
}
