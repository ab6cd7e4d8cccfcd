//! The JS Graph client (`@microsoft/microsoft-graph-client`, pinned in `tests/sdk/node`) on an
//! image's thumbnails, deleting a previous version, and check-out and check-in with a comment,
//! through `tests/sdk/node/graph_versions.js`; then the state read back here.

use serde_json::{json, Value};

use crate::support::{run_node_script, send, spawn};

/// A 1200 × 800 PNG (3:2, as the thumbnail docs' sample), written where the script can read it.
fn photo_file() -> std::path::PathBuf {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, 1200, 800);
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&vec![7u8; 1200 * 800]).unwrap();
    writer.finish().unwrap();
    let path =
        std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("node-versions-photo.png");
    std::fs::write(&path, out).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_graph_client_reads_thumbnails_deletes_a_version_and_checks_in_with_a_comment() {
    // Arrange
    let app = spawn().start().await;
    let origin = app.emulator.uri();
    let photo = photo_file();

    // Act: the script asserts every step and exits non-zero on the first failure.
    let output = tokio::task::spawn_blocking(move || {
        run_node_script(
            "graph_versions.js",
            &[&origin, photo.to_str().unwrap()],
            &[],
        )
    })
    .await
    .unwrap();

    // Assert: what the script saw.
    let report: Value =
        serde_json::from_str(output.trim()).unwrap_or_else(|e| panic!("{e}: {output}"));
    let notes = report["notes"].as_str().unwrap().to_owned();
    assert_eq!(
        report,
        json!({
            "photo": report["photo"],
            "sizes": {"small": [96, 64], "medium": [176, 117], "large": [800, 533]},
            "medium": [176, 117],
            "notes": notes,
            "afterDelete": ["3.0", "1.0"],
            "out": "checkout",
            "checkedIn": ["published", "4.0"],
            "afterCheckin": ["4.0", "3.0", "1.0"],
        })
    );
    // Read back: Graph lists the versions without 2.0, and the admin timeline keeps the
    // check-in's comment on 4.0 (a driveItemVersion has no comment property:
    // https://learn.microsoft.com/en-us/graph/api/resources/driveitemversion) and marks where
    // 2.0 was deleted.
    let listed = send(
        app.client
            .get(app.url(&format!("/v1.0/me/drive/items/{notes}/versions")))
            .bearer_auth("js-versions"),
    )
    .await;
    let photo = send(
        app.client
            .get(app.url("/v1.0/me/drive/root:/photo.png:"))
            .bearer_auth("js-versions"),
    )
    .await;
    assert_eq!(photo.body["id"], report["photo"]);
    let ids: Vec<&Value> = (listed.body["value"].as_array().unwrap().iter())
        .map(|v| &v["id"])
        .collect();
    assert_eq!(ids, [&json!("4.0"), &json!("3.0"), &json!("1.0")]);
    let timeline = send(
        app.client
            .get(app.url(&format!("/__admin/items/{notes}/versions"))),
    )
    .await;
    let marks: Vec<(Value, Value, Value)> = (timeline.body["versions"].as_array().unwrap().iter())
        .map(|v| {
            let deleted = v["deleted_before"]
                .as_array()
                .map(|d| d.iter().map(|d| d["number"].clone()).collect::<Vec<_>>());
            (v["number"].clone(), v["checked_in"].clone(), json!(deleted))
        })
        .collect();
    assert_eq!(
        marks,
        [
            (json!(4), json!("js check-in"), Value::Null),
            (json!(3), Value::Null, json!([2])),
            (json!(1), Value::Null, Value::Null),
        ]
    );
}
