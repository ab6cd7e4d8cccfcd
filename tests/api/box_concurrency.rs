//! Concurrency through the Box face: many promotes, trashes and restores at once over real HTTP
//! lose and duplicate nothing.

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{json, Value};
use tokio::task::JoinSet;

use crate::support::box_api::*;
use crate::support::spawn;
use crate::support::TestApp;

/// Every previous version of a file, read page by page.
async fn all_versions(app: &TestApp, file_id: &str) -> Vec<Value> {
    let mut versions = Vec::new();
    loop {
        let Reply {
            status, body: page, ..
        } = get(
            app,
            &format!(
                "/2.0/files/{file_id}/versions?offset={}&limit=100",
                versions.len()
            ),
        )
        .await;
        assert_eq!(status, 200, "{page}");
        let entries = page["entries"].as_array().unwrap();
        if entries.is_empty() {
            assert_eq!(
                page["total_count"],
                versions.len(),
                "the pages add up to the total"
            );
            return versions;
        }
        versions.extend(entries.iter().cloned());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_promotes_make_two_hundred_distinct_versions() {
    // Arrange
    let app = spawn().start().await;
    let first = upload(&app, "0", "hot.txt", b"promote me").await;
    let file = upload_version(&app, id(&first), b"current").await;
    let source = id(&first["file_version"]).to_owned();
    let path = format!("/2.0/files/{}/versions/current", id(&file));

    // Act
    let mut promotes = JoinSet::new();
    for _ in 0..200 {
        let builder =
            request(&app, Method::POST, &path).json(&json!({"type": "file_version", "id": source}));
        promotes.spawn(send(builder));
    }
    let mut promoted = HashSet::new();
    while let Some(result) = promotes.join_next().await {
        let Reply { status, body, .. } = result.unwrap();
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["sha1"], sha1(b"promote me"));
        assert!(
            promoted.insert(id(&body).to_owned()),
            "version ids are distinct"
        );
    }

    // Assert: 202 versions in all; the list holds the 201 previous ones, each once.
    let Reply { body: after, .. } = get(
        &app,
        &format!(
            "/2.0/files/{}?fields=version_number,file_version",
            id(&file)
        ),
    )
    .await;
    assert_eq!(after["version_number"], "202");
    let current = id(&after["file_version"]).to_owned();
    assert!(
        promoted.contains(&current),
        "the current version is one of the promotes"
    );
    let versions = all_versions(&app, id(&file)).await;
    assert_eq!(versions.len(), 201);
    let ids: HashSet<&str> = versions.iter().map(id).collect();
    assert_eq!(ids.len(), 201, "no version is listed twice");
    let mut expected: HashSet<&str> = promoted.iter().map(String::as_str).collect();
    expected.remove(current.as_str());
    expected.extend([source.as_str(), id(&file["file_version"])]);
    assert_eq!(ids, expected, "every version is listed, none is lost");
    let numbered = {
        let Reply { body: page, .. } = get(
            &app,
            &format!(
                "/2.0/files/{}/versions?fields=version_number&limit=1000",
                id(&file)
            ),
        )
        .await;
        page["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                v["version_number"]
                    .as_str()
                    .unwrap()
                    .parse::<u32>()
                    .unwrap()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        numbered,
        (1..=201).rev().collect::<Vec<_>>(),
        "numbers are distinct, newest first"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn interleaved_trashes_and_restores_on_many_versions_keep_each_version_once() {
    // Arrange: 41 versions; 40 previous ones to trash and restore.
    let app = spawn().start().await;
    let mut file = upload(&app, "0", "busy.txt", b"v1").await;
    for n in 2..=41 {
        file = upload_version(&app, id(&file), format!("v{n}").as_bytes()).await;
    }
    let versions = all_versions(&app, id(&file)).await;
    let user = user(&app);

    // Act: per version, a task alternates trash and restore; odd versions end trashed, even ones
    // restored. Tasks for different versions interleave, plus a second task per version hammering
    // the same version at once.
    let mut tasks = JoinSet::new();
    for (n, version) in versions.iter().enumerate() {
        let path = format!("/2.0/files/{}/versions/{}", id(&file), id(version));
        let rounds = if n % 2 == 1 { 5 } else { 6 };
        for hammer in [false, true] {
            let (client, url, path) = (app.client.clone(), app.url(&path), path.clone());
            tasks.spawn(async move {
                for round in 0..rounds {
                    let builder = if round % 2 == 0 {
                        client.delete(&url)
                    } else {
                        client.put(&url).json(&json!({"trashed_at": null}))
                    };
                    let status = builder.bearer_auth(TOKEN).send().await.unwrap().status();
                    let expected = if round % 2 == 0 { 204 } else { 200 };
                    assert_eq!(
                        status, expected,
                        "{path} round {round} (second task: {hammer})"
                    );
                }
            });
        }
    }
    while let Some(result) = tasks.join_next().await {
        result.unwrap();
    }

    // Assert
    let after = all_versions(&app, id(&file)).await;
    let before_ids: Vec<&str> = versions.iter().map(id).collect();
    let after_ids: Vec<&str> = after.iter().map(id).collect();
    assert_eq!(
        after_ids, before_ids,
        "every version present once, in the same order"
    );
    for (n, version) in after.iter().enumerate() {
        assert_version_shape(version);
        let trashed = !version["trashed_at"].is_null();
        assert_eq!(
            trashed,
            n % 2 == 1,
            "version {n} ends as its last call left it: {version}"
        );
        assert_eq!(
            version["trashed_by"].is_null(),
            !trashed,
            "trashed_by goes with trashed_at: {version}"
        );
        assert_eq!(
            version["purged_at"].is_null(),
            !trashed,
            "purged_at goes with trashed_at: {version}"
        );
        assert_eq!(
            version["restored_by"], user,
            "every version was restored at least once: {version}"
        );
        assert_eq!(version["sha1"], versions[n]["sha1"], "content unchanged");
    }
    assert_eq!(
        get(&app, &format!("/2.0/files/{}", id(&file))).await.body,
        file,
        "the file is unchanged"
    );
}
