//! rclone's box backend (Debian's rclone 1.60) against the Box face over HTTPS: folders, uploads
//! and new versions, a listing with hashes, a server-side copy, a shared link, deletes; each step
//! read back through the Box API. rclone dials `api.box.com` and `upload.box.com` itself; the
//! proxy in `support::rclone` leads both to the emulator.

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::box_api::{self, get, send_json, sha1, TOKEN};
use crate::support::rclone::{refreshes_and_failures, sent, token, Rclone};
use crate::support::TestApp;

const HOSTS: [&str; 2] = ["api.box.com", "upload.box.com"];

fn config() -> String {
    format!("[box]\ntype = box\ntoken = {}\n", token(TOKEN))
}

/// The entry of `folder` named `name`, with its size and sha1.
async fn entry(app: &TestApp, folder: &str, name: &str) -> Value {
    let reply = get(
        app,
        &format!("/2.0/folders/{folder}/items?fields=name,size,sha1"),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let entries = reply.body["entries"].as_array().unwrap();
    (entries.iter().find(|e| e["name"] == name))
        .unwrap_or_else(|| panic!("no {name} in {}", reply.body))
        .clone()
}

#[tokio::test]
async fn rclone_makes_uploads_lists_copies_links_and_deletes_on_box() {
    // Arrange
    let (app, rclone) = Rclone::start("box", &HOSTS, &config()).await;

    // Act: a folder, a file, and the file again (a new version of it).
    rclone.run(&["mkdir", "box:backup"]).await;
    let backup = box_api::id(&entry(&app, "0", "backup").await).to_owned();
    let first = rclone.local("first.txt", b"first draft");
    rclone
        .run(&["copyto", first.to_str().unwrap(), "box:backup/a.txt"])
        .await;
    let a = entry(&app, &backup, "a.txt").await;
    let a_id = box_api::id(&a).to_owned();
    let second = rclone.local("second.txt", b"second draft");
    rclone
        .run(&["copyto", second.to_str().unwrap(), "box:backup/a.txt"])
        .await;

    // Assert: one file, whose previous version is the first upload.
    assert_eq!(a["sha1"], sha1(b"first draft"));
    assert!(sent(
        &app.emulator,
        "POST",
        &format!("/api/2.0/files/{a_id}/content"),
        201
    ));
    let versions = box_api::list_versions(&app, &a_id).await;
    assert_eq!(versions["total_count"], 1, "{versions}");
    assert_eq!(
        versions["entries"][0]["sha1"],
        sha1(b"first draft"),
        "{versions}"
    );
    assert_eq!(
        entry(&app, &backup, "a.txt").await["sha1"],
        sha1(b"second draft")
    );

    // Act: another file and a subfolder, then the listing.
    let other = rclone.local("b.txt", b"bee");
    rclone
        .run(&["copyto", other.to_str().unwrap(), "box:backup/b.txt"])
        .await;
    rclone.run(&["mkdir", "box:backup/sub"]).await;
    let listing: Value =
        serde_json::from_str(&rclone.run(&["lsjson", "--hash", "box:backup"]).await).unwrap();

    // Assert: what rclone lists is what the API holds, hashes included.
    let mut seen = Vec::new();
    for listed in listing.as_array().unwrap() {
        let name = listed["Name"].as_str().unwrap();
        let held = entry(&app, &backup, name).await;
        assert_eq!(listed["ID"], held["id"], "{name}");
        assert_eq!(listed["IsDir"], held["type"] == "folder", "{name}");
        if held["type"] == "file" {
            assert_eq!(listed["Size"], held["size"], "{name}");
            assert_eq!(listed["Hashes"]["sha1"], held["sha1"], "{name}");
        }
        seen.push(name.to_owned());
    }
    assert_eq!(seen, ["a.txt", "b.txt", "sub"], "{listing}");

    // Act: a server-side copy.
    rclone
        .run(&["copyto", "box:backup/a.txt", "box:backup/c.txt"])
        .await;

    // Assert: Box made it (POST /files/{id}/copy), with the current bytes.
    assert!(sent(
        &app.emulator,
        "POST",
        &format!("/2.0/files/{a_id}/copy"),
        201
    ));
    let c = entry(&app, &backup, "c.txt").await;
    assert_eq!(c["sha1"], sha1(b"second draft"));
    assert_ne!(c["id"], a_id);

    // Act: a shared link, opened without a token.
    let link = rclone
        .run(&["link", "box:backup/a.txt"])
        .await
        .trim()
        .to_owned();
    let opened = rclone.anonymous().get(&link).send().await.unwrap();

    // Assert: the link names the host its caller dialed (rclone's api.box.com, ours loopback).
    let file = get(&app, &format!("/2.0/files/{a_id}?fields=shared_link")).await;
    let url = file.body["shared_link"]["url"].as_str().unwrap();
    let share = url.strip_prefix(&app.emulator.uri()).unwrap();
    assert_eq!(link, format!("https://api.box.com{share}"), "{}", file.body);
    assert_eq!(opened.status(), 200, "{link}");
    assert_eq!(opened.bytes().await.unwrap(), "second draft");

    // Act: the link removed. rclone 1.60's `link --unlink` sends the same `{"shared_link":{}}`
    // as `link` for Box, so the API removes it.
    let removed = send_json(
        &app,
        Method::PUT,
        &format!("/2.0/files/{a_id}"),
        json!({"shared_link": null}),
    )
    .await;
    let refused = rclone.anonymous().get(&link).send().await.unwrap();

    // Assert
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert_eq!(refused.status(), 404, "{link}");

    // Act: deletes.
    rclone.run(&["deletefile", "box:backup/c.txt"]).await;
    let sub = box_api::id(&entry(&app, &backup, "sub").await).to_owned();
    rclone.run(&["rmdir", "box:backup/sub"]).await;
    // The rest of the files, then the folder: its `rmdir` is `DELETE /2.0/folders/{id}
    // ?recursive=false`, which Box takes once the files are in the trash.
    rclone.run(&["delete", "box:backup"]).await;
    rclone.run(&["rmdir", "box:backup"]).await;

    // Assert: all in the trash.
    let c_id = c["id"].as_str().unwrap();
    let c = get(&app, &format!("/2.0/files/{c_id}")).await;
    assert_eq!(c.body["item_status"], "trashed", "{}", c.body);
    for folder in [sub, backup] {
        let trashed = get(&app, &format!("/2.0/folders/{folder}/trash")).await;
        let gone = get(&app, &format!("/2.0/folders/{folder}")).await;
        assert_eq!(gone.status, 404, "{}", gone.body);
        assert_eq!(trashed.status, 200, "{}", trashed.body);
    }
    let root = get(&app, "/2.0/folders/0/items").await;
    assert_eq!(root.body["total_count"], 0, "{}", root.body);
    let trash = get(&app, "/2.0/folders/trash/items").await;
    let mut trashed: Vec<&str> = (trash.body["entries"].as_array().unwrap().iter())
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    trashed.sort_unstable();
    assert_eq!(
        trashed,
        ["a.txt", "b.txt", "backup", "c.txt", "sub"],
        "{}",
        trash.body
    );

    // Assert: rclone reached only Box's two hosts, with the token it was given (never asking
    // for another), and the emulator answered every request without a server error.
    assert_eq!(
        rclone.proxy.hosts(),
        ["api.box.com:443", "upload.box.com:443"]
    );
    let unwanted = refreshes_and_failures(&app.emulator);
    assert!(unwanted.is_empty(), "{unwanted:#?}");
}
