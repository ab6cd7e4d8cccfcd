//! rclone's onedrive backend (Debian's rclone 1.60) against the Graph face over HTTPS: a folder,
//! uploads in one fragment and in several, a new version, a listing with hashes, a server-side
//! copy, a sharing link, `cleanup` of old versions, a move and deletes; each step read back
//! through the Graph API. rclone dials `graph.microsoft.com` itself; the proxy in
//! `support::rclone` leads it to the emulator.
//!
//! `drive_type = business`: the emulator's `/me/drive` is a business drive (`driveType`), and
//! rclone then checks QuickXorHash, which the emulator gives every file (for `personal` rclone
//! 1.60 expects SHA-1 and Personal's item-id forms).

use base64::Engine as _;
use restore_mock::journal::JournalFilter;
use serde_json::Value;

use crate::support::graph::{Graph, DRIVE_ID, TOKEN};
use crate::support::rclone::{refreshes_and_failures, sent, token, Rclone};

fn config() -> String {
    format!(
        "[onedrive]\ntype = onedrive\ntoken = {}\ndrive_id = {DRIVE_ID}\ndrive_type = business\n",
        token(TOKEN)
    )
}

/// The item at `path` below the drive's root.
async fn item(graph: &Graph, path: &str) -> Value {
    let reply = graph.get(&format!("/me/drive/root:{path}")).await;
    assert_eq!(reply.status, 200, "{path}: {reply:?}");
    reply.body
}

/// The bytes of the file at `path`, through its download link.
async fn content(graph: &Graph, path: &str) -> Vec<u8> {
    let item = item(graph, path).await;
    let (status, bytes) = graph
        .fetch(item["@microsoft.graph.downloadUrl"].as_str().unwrap())
        .await;
    assert_eq!(status, 200, "{path}");
    bytes.to_vec()
}

/// Graph's QuickXorHash (base64) as rclone prints it (lowercase hex).
fn quickxor_hex(item: &Value) -> String {
    let base64 = item["file"]["hashes"]["quickXorHash"].as_str().unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64)
        .unwrap();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn rclone_makes_uploads_lists_copies_links_cleans_up_moves_and_deletes_on_onedrive() {
    // Arrange
    let (app, rclone) = Rclone::start("graph", &["graph.microsoft.com"], &config()).await;
    let graph = Graph { app };
    let big: Vec<u8> = (0..700_000u32).map(|i| (i * 7 % 251) as u8).collect();

    // Act: a folder, a small file, a file in three fragments, and the small one again.
    rclone.run(&["mkdir", "onedrive:backup"]).await;
    let small = rclone.local("small.txt", b"small one");
    let large = rclone.local("big.bin", &big);
    rclone
        .run(&[
            "copyto",
            small.to_str().unwrap(),
            "onedrive:backup/small.txt",
        ])
        .await;
    rclone
        .run(&[
            "copyto",
            large.to_str().unwrap(),
            "onedrive:backup/big.bin",
            "--onedrive-chunk-size",
            "320k",
        ])
        .await;
    let small = rclone.local("small.txt", b"the second small one");
    rclone
        .run(&[
            "copyto",
            small.to_str().unwrap(),
            "onedrive:backup/small.txt",
        ])
        .await;

    // Assert: the folder, both files' bytes, the large one sent in 320 KiB fragments, and the
    // small one's two versions.
    assert!(item(&graph, "/backup").await["folder"].is_object());
    assert_eq!(content(&graph, "/backup/big.bin").await, big);
    assert_eq!(
        content(&graph, "/backup/small.txt").await,
        b"the second small one"
    );
    let fragments: Vec<(u64, u16)> = (graph.app.emulator)
        .requests(&JournalFilter::default())
        .iter()
        .filter(|e| e.method == "PUT" && e.path.starts_with("/_upload/"))
        .map(|e| (e.body_size, e.status))
        .collect();
    assert_eq!(
        fragments,
        [
            (9, 201),
            (327_680, 202),
            (327_680, 202),
            (44_640, 201),
            (20, 200)
        ]
    );
    let small_id = item(&graph, "/backup/small.txt").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(graph.version_ids(&small_id).await, ["2.0", "1.0"]);

    // Act: the listing with hashes.
    let listing: Value =
        serde_json::from_str(&rclone.run(&["lsjson", "--hash", "onedrive:backup"]).await).unwrap();

    // Assert: what rclone lists is what the API holds, QuickXorHash included.
    let mut seen = Vec::new();
    for listed in listing.as_array().unwrap() {
        let name = listed["Name"].as_str().unwrap();
        let held = item(&graph, &format!("/backup/{name}")).await;
        assert_eq!(
            listed["ID"],
            format!("{DRIVE_ID}#{}", held["id"].as_str().unwrap())
        );
        assert_eq!(listed["Size"], held["size"], "{name}");
        assert_eq!(listed["Hashes"]["quickxor"], quickxor_hex(&held), "{name}");
        seen.push(name.to_owned());
    }
    assert_eq!(seen, ["big.bin", "small.txt"], "{listing}");

    // Act: a server-side copy.
    rclone
        .run(&[
            "copyto",
            "onedrive:backup/small.txt",
            "onedrive:backup/copy.txt",
        ])
        .await;

    // Assert: Graph made it (POST {item}/copy, then the monitor), with the current bytes.
    let copy_path = format!("/v1.0/drives/{DRIVE_ID}/items/{small_id}/copy");
    assert!(sent(&graph.app.emulator, "POST", &copy_path, 202));
    assert_eq!(
        content(&graph, "/backup/copy.txt").await,
        b"the second small one"
    );

    // Act: a sharing link, opened without a token.
    let link = rclone
        .run(&["link", "onedrive:backup/small.txt"])
        .await
        .trim()
        .to_owned();
    let opened = rclone.anonymous().get(&link).send().await.unwrap();

    // Assert: the link names the host its caller dialed (rclone's graph.microsoft.com).
    let permissions = graph
        .get(&format!("/me/drive/items/{small_id}/permissions"))
        .await;
    let url = permissions.body["value"][0]["link"]["webUrl"]
        .as_str()
        .unwrap();
    let share = url.strip_prefix(&graph.origin()).unwrap();
    assert_eq!(
        link,
        format!("https://graph.microsoft.com{share}"),
        "{permissions:?}"
    );
    assert_eq!(opened.status(), 200, "{link}");
    assert_eq!(opened.bytes().await.unwrap(), "the second small one");

    // Act: the link removed. rclone 1.60's `link --unlink` sends `createLink` again for
    // OneDrive, so the API removes it.
    let permission = permissions.body["value"][0]["id"].as_str().unwrap();
    let removed = graph
        .delete(&format!(
            "/me/drive/items/{small_id}/permissions/{permission}"
        ))
        .await;
    let refused = rclone.anonymous().get(&link).send().await.unwrap();

    // Assert
    assert_eq!(removed.status, 204, "{removed:?}");
    assert_eq!(refused.status(), 404, "{link}");

    // Act: old versions deleted. The copy has two: rclone sets its times with a PATCH, which
    // makes a version on OneDrive for Business.
    let copy_id = item(&graph, "/backup/copy.txt").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let copy_versions = graph.version_ids(&copy_id).await;
    rclone.run(&["cleanup", "onedrive:backup"]).await;

    // Assert
    assert_eq!(copy_versions, ["2.0", "1.0"]);
    assert_eq!(graph.version_ids(&small_id).await, ["2.0"]);
    assert_eq!(graph.version_ids(&copy_id).await, ["2.0"]);

    // Act: a move into a new folder under a new name.
    rclone
        .run(&[
            "moveto",
            "onedrive:backup/copy.txt",
            "onedrive:archive/moved.txt",
        ])
        .await;

    // Assert: the same item, now there.
    let moved = item(&graph, "/archive/moved.txt").await;
    assert_eq!(moved["id"], copy_id);
    let old = graph.get("/me/drive/root:/backup/copy.txt").await;
    assert_eq!(old.status, 404, "{old:?}");

    // Act: deletes.
    rclone
        .run(&["deletefile", "onedrive:archive/moved.txt"])
        .await;
    rclone.run(&["rmdir", "onedrive:archive"]).await;
    rclone.run(&["purge", "onedrive:backup"]).await;

    // Assert: nothing left.
    let root = graph.get("/me/drive/root/children").await;
    assert_eq!(root.body["value"], serde_json::json!([]), "{root:?}");
    assert_eq!(
        graph
            .get(&format!("/me/drive/items/{copy_id}"))
            .await
            .status,
        404
    );

    // Assert: rclone reached only Graph, never login.microsoftonline.com, with the token it
    // was given, and the emulator answered every request without a server error.
    assert_eq!(rclone.proxy.hosts(), ["graph.microsoft.com:443"]);
    let unwanted = refreshes_and_failures(&graph.app.emulator);
    assert!(unwanted.is_empty(), "{unwanted:#?}");
}
