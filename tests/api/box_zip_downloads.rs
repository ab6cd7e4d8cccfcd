//! Box zip downloads (`POST /2.0/zip_downloads`, its tokenless `download_url` and its
//! `status_url`): files and whole folder trees in one archive, read once before it expires,
//! followed once started; items named alike renamed in `name_conflicts`; every bad request
//! refused whole. box_sdk_gen and box-node-sdk run them too.

use std::io::{Cursor, Read};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::{spawn, TestApp};

/// A bad request: why, body (`null`: none), status, and the parameter Box names (reason,
/// name, message), when it names one.
type Case = (
    &'static str,
    Value,
    StatusCode,
    Option<(&'static str, &'static str)>,
);

async fn post_zip(app: &TestApp, body: Value) -> Reply {
    send_json(app, Method::POST, "/2.0/zip_downloads", body).await
}

fn item(kind: &str, id: &str) -> Value {
    json!({"type": kind, "id": id})
}

/// The archive's entries, in order: name and bytes (folders end in `/` and hold none).
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            entry.read_to_end(&mut content).unwrap();
            (entry.name().to_owned(), content)
        })
        .collect()
}

/// The token in a reply's `download_url`, checked against the emulator's origin.
fn token(app: &TestApp, zip: &Value) -> String {
    let url = zip["download_url"].as_str().unwrap();
    let prefix = app.url("/_content/zip/");
    url.strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{url} is under {prefix}"))
        .to_owned()
}

pub async fn read_archive(app: &TestApp, zip: &Value) -> Reply {
    send(app.client.get(zip["download_url"].as_str().unwrap())).await
}

async fn status(app: &TestApp, zip: &Value) -> Reply {
    let url = zip["status_url"].as_str().unwrap();
    send(app.client.get(url).bearer_auth(TOKEN)).await
}

async fn advance_clock(app: &TestApp, seconds: i64) {
    let reply = send(
        app.client
            .post(app.url("/__admin/clock"))
            .json(&json!({"advance_seconds": seconds})),
    )
    .await;
    assert_eq!(reply.status, 200, "{reply:?}");
}

#[tokio::test]
async fn files_and_folder_trees_zip_into_one_archive_read_once_and_followed_once_started() {
    // Arrange: two files, an empty folder, and a folder with a file and a subfolder.
    let app = spawn().start().await;
    let a = upload(&app, "0", "a.txt", b"alpha").await;
    let b = upload(&app, "0", "b.bin", &[0, 1, 2, 255]).await;
    let empty = create_folder(&app, "0", "Empty").await;
    let tree = create_folder(&app, "0", "Tree").await;
    upload(&app, id(&tree), "c.txt", b"gamma").await;
    let sub = create_folder(&app, id(&tree), "Sub").await;
    upload(&app, id(&sub), "d.txt", b"delta").await;
    let items = json!([
        item("file", id(&a)),
        item("file", id(&b)),
        item("folder", id(&empty)),
        item("folder", id(&tree)),
    ]);

    // Act
    let made = post_zip(
        &app,
        json!({"items": items, "download_file_name": "January Financials"}),
    )
    .await;
    let token = token(&app, &made.body);
    let before_start = status(&app, &made.body).await;
    let archive = read_archive(&app, &made.body).await;
    let after = status(&app, &made.body).await;
    let again = read_archive(&app, &made.body).await;

    // Assert: absolute URLs on the emulator; folders hold their trees and count no file.
    assert_eq!(made.status, StatusCode::ACCEPTED, "{}", made.body);
    assert_eq!(
        made.body,
        json!({
            "download_url": app.url(&format!("/_content/zip/{token}")),
            "status_url": app.url(&format!("/2.0/zip_downloads/{token}/status")),
            "expires_at": at(15 * 60),
            "name_conflicts": [],
        })
    );
    assert_zip_download_shape(&made.body);
    assert_eq!(
        before_start.body,
        not_found(before_start.body["request_id"].as_str().unwrap()),
        "no status before the download starts"
    );
    assert_eq!(archive.status, StatusCode::OK);
    assert_eq!(
        (
            &archive.headers["content-type"],
            &archive.headers["content-disposition"]
        ),
        (
            &"application/octet-stream".parse::<reqwest::header::HeaderValue>().unwrap(),
            &"attachment;filename=\"January Financials.zip\";filename*=UTF-8''January%20Financials.zip"
                .parse::<reqwest::header::HeaderValue>()
                .unwrap()
        )
    );
    let entries = unzip(&archive.bytes);
    let expected: Vec<(String, Vec<u8>)> = [
        ("a.txt", &b"alpha"[..]),
        ("b.bin", &[0, 1, 2, 255][..]),
        ("Empty/", &b""[..]),
        ("Tree/", &b""[..]),
        ("Tree/Sub/", &b""[..]),
        ("Tree/c.txt", &b"gamma"[..]),
        ("Tree/Sub/d.txt", &b"delta"[..]),
    ]
    .iter()
    .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
    .collect();
    assert_eq!(entries, expected);
    assert_eq!(
        (after.status, &after.body),
        (
            StatusCode::OK,
            &json!({
                "total_file_count": 4,
                "downloaded_file_count": 4,
                "skipped_file_count": 0,
                "skipped_folder_count": 0,
                "state": "succeeded",
            })
        )
    );
    assert_zip_download_status_shape(&after.body);
    assert_eq!(again.status, StatusCode::NOT_FOUND, "a download works once");
}

#[tokio::test]
async fn items_named_alike_are_both_renamed_and_listed_as_one_conflict() {
    // Arrange: two files named alike in two folders, and one other.
    let app = spawn().start().await;
    let one = create_folder(&app, "0", "One").await;
    let two = create_folder(&app, "0", "Two").await;
    let first = upload(&app, id(&one), "Report.pdf", b"first").await;
    let second = upload(&app, id(&two), "report.PDF", b"second").await;
    let other = upload(&app, "0", "other.txt", b"other").await;
    let items = json!([
        item("file", id(&first)),
        item("file", id(&other)),
        item("file", id(&second)),
    ]);

    // Act
    let made = post_zip(&app, json!({"items": items})).await;
    let archive = read_archive(&app, &made.body).await;

    // Assert: each gets a six-hex-digit name keeping its extension; the other keeps its name.
    assert_eq!(made.status, StatusCode::ACCEPTED, "{}", made.body);
    assert_zip_download_shape(&made.body);
    let clash = made.body["name_conflicts"][0].as_array().unwrap();
    assert_eq!(made.body["name_conflicts"].as_array().unwrap().len(), 1);
    let renamed: Vec<&str> = (clash.iter())
        .map(|c| c["download_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        *clash,
        vec![
            json!({"id": id(&first), "type": "file", "original_name": "Report.pdf", "download_name": renamed[0]}),
            json!({"id": id(&second), "type": "file", "original_name": "report.PDF", "download_name": renamed[1]}),
        ]
    );
    for (name, ext) in renamed.iter().zip(["pdf", "PDF"]) {
        let (hex, got) = name.split_once('.').unwrap();
        assert!(
            hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) && got == ext,
            "{name}"
        );
    }
    assert_ne!(renamed[0], renamed[1]);
    assert_eq!(
        archive.headers["content-disposition"],
        "attachment;filename=\"download.zip\";filename*=UTF-8''download.zip"
    );
    let entries = unzip(&archive.bytes);
    assert_eq!(
        entries,
        vec![
            (renamed[0].to_owned(), b"first".to_vec()),
            ("other.txt".to_owned(), b"other".to_vec()),
            (renamed[1].to_owned(), b"second".to_vec()),
        ]
    );
}

#[tokio::test]
async fn an_unread_download_expires_by_the_emulators_clock_and_its_status_is_for_its_maker() {
    // Arrange
    let app = spawn().start().await;
    let a = upload(&app, "0", "a.txt", b"alpha").await;
    let expiring = post_zip(&app, json!({"items": [item("file", id(&a))]})).await;
    let kept = post_zip(&app, json!({"items": [item("file", id(&a))]})).await;

    // Act
    advance_clock(&app, 15 * 60 - 1).await;
    let in_time = read_archive(&app, &kept.body).await;
    advance_clock(&app, 1).await;
    let expired = read_archive(&app, &expiring.body).await;
    let theirs = send(
        app.client
            .get(kept.body["status_url"].as_str().unwrap())
            .bearer_auth("another-users-token"),
    )
    .await;
    let forged = get(&app, "/2.0/zip_downloads/not-a-token/status").await;
    let unknown = send(app.client.get(app.url("/_content/zip/not-a-token"))).await;

    // Assert
    assert_eq!(in_time.status, StatusCode::OK);
    assert_eq!(
        unzip(&in_time.bytes),
        vec![("a.txt".to_owned(), b"alpha".to_vec())]
    );
    assert_eq!(expired.status, StatusCode::NOT_FOUND, "expired");
    [theirs, forged].iter().for_each(assert_not_found);
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(
        unknown.bytes.is_empty(),
        "the download host answers bare statuses"
    );
}

#[tokio::test]
async fn every_bad_zip_request_is_refused_and_makes_no_download() {
    // Arrange
    let app = spawn().start().await;
    let a = upload(&app, "0", "a.txt", b"alpha").await;
    let f = id(&a).to_owned();
    let folder = create_folder(&app, "0", "F").await;
    let d = id(&folder).to_owned();
    let too_many: Vec<Value> = (0..10_001).map(|_| item("file", &f)).collect();
    let theirs = send(
        app.client
            .post(app.url("/2.0/folders"))
            .bearer_auth("another-users-token")
            .json(&json!({"name": "Theirs", "parent": {"id": "0"}})),
    )
    .await;
    let t = id(&theirs.body).to_owned();
    let invalid = |message: &'static str| Some(("items", message));
    let cases: Vec<Case> = vec![
        (
            "no body",
            Value::Null,
            StatusCode::BAD_REQUEST,
            Some(("items", "")),
        ),
        (
            "an empty list",
            json!({"items": []}),
            StatusCode::BAD_REQUEST,
            invalid("Invalid value. At least one file or folder is needed."),
        ),
        (
            "the root folder",
            json!({"items": [item("folder", "0")]}),
            StatusCode::BAD_REQUEST,
            invalid("Invalid value. The root folder cannot be zipped."),
        ),
        (
            "an item neither file nor folder",
            json!({"items": [item("web_link", &f)]}),
            StatusCode::BAD_REQUEST,
            invalid("Invalid value. Each item is a 'file' or a 'folder'."),
        ),
        (
            "an item without id",
            json!({"items": [{"type": "file"}]}),
            StatusCode::BAD_REQUEST,
            Some(("items.id", "")),
        ),
        (
            "an empty archive name",
            json!({"items": [item("file", &f)], "download_file_name": " "}),
            StatusCode::BAD_REQUEST,
            Some(("download_file_name",
                "Invalid value. The name must be 1 to 255 characters, without '/', '\\' or control characters.",
            )),
        ),
        (
            "more than 10,000 items",
            json!({"items": too_many}),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "items that are not a list",
            json!({"items": "a.txt"}),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "an unknown file",
            json!({"items": [item("file", "999999")]}),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "a folder named as a file",
            json!({"items": [item("file", &d)]}),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "a file named as a folder",
            json!({"items": [item("folder", &f)]}),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "another user's folder",
            json!({"items": [item("file", &f), item("folder", &t)]}),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "an id that is no number",
            json!({"items": [item("file", "abc")]}),
            StatusCode::NOT_FOUND,
            None,
        ),
    ];
    let listing = || get(&app, "/2.0/folders/0/items");
    let before = listing().await.body;
    for (case, body, status, expected) in cases {
        // Act and assert: the whole error, one case at a time.
        let builder = request(&app, Method::POST, "/2.0/zip_downloads");
        let reply = assert_refused(case, builder, body, status, expected).await;
        if case == "more than 10,000 items" {
            assert_eq!(
                reply.body["code"], "zip_download_file_count_exceeded_limit",
                "{case}"
            );
        }
    }
    // Read back: nothing changed, and a good request after them is served.
    assert_eq!(listing().await.body, before);
    let made = post_zip(&app, json!({"items": [item("file", &f)]})).await;
    assert_eq!(made.status, StatusCode::ACCEPTED);
    let archive = read_archive(&app, &made.body).await;
    assert_eq!(
        unzip(&archive.bytes),
        vec![("a.txt".to_owned(), b"alpha".to_vec())]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_downloads_a_zip_of_two_files_and_an_empty_folder() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act
    let output = crate::support::run_sdk_script_off_runtime("box_zip.py", &root).await;

    // Assert: the zipped items are where they were.
    assert!(output.contains("box zip passed"), "{output}");
    let listing = send(
        app.client
            .get(app.url("/2.0/folders/0/items"))
            .bearer_auth("sdk-zip-token"),
    )
    .await;
    let names: Vec<&str> = (listing.body["entries"].as_array().unwrap().iter())
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Empty", "first.txt", "second.bin"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_sdk_approves_a_task_and_downloads_a_zip() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act
    let output = tokio::task::spawn_blocking(move || {
        crate::support::run_node_script("box_tasks_zip.js", &[&root], &[])
    })
    .await
    .expect("the SDK script ran");

    // Assert: the task is gone and the zipped items are where they were.
    assert!(output.contains("box node tasks zip passed"), "{output}");
    let as_sdk = |path: &str| {
        app.client
            .get(app.url(path))
            .bearer_auth("node-tasks-zip-token")
    };
    let listing = send(as_sdk("/2.0/folders/0/items")).await.body;
    let names: Vec<&str> = (listing["entries"].as_array().unwrap().iter())
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Empty", "first.txt", "second.txt"]);
    let first = listing["entries"][1]["id"].as_str().unwrap();
    let tasks = send(as_sdk(&format!("/2.0/files/{first}/tasks"))).await;
    assert_eq!(tasks.body, json!({"total_count": 0, "entries": []}));
}
