//! Listing a Box folder: `GET /2.0/folders/{id}/items` (offset and marker paging, `sort`,
//! `direction`, `fields`), the `item_collection` of `GET /2.0/folders/{id}`, their errors, and
//! the upload preflight at `/2.0/files/content/` as rclone sends it.

use chrono::TimeDelta;
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::TestApp;
use crate::support::{run_sdk_script, spawn};

/// Arranged in every listing test: two folders and three files in folder `Docs`, created in an
/// order that is neither the name order nor the reverse.
struct Tree {
    docs: String,
    /// Mini form of `a-dir`, `B-dir`, `a.txt`, `B.txt` (content `bb`), `c.txt` (content `c-c-c`).
    a_dir: Value,
    b_dir: Value,
    a_txt: Value,
    b_txt: Value,
    c_txt: Value,
}

fn folder_mini(folder: &Value) -> Value {
    let (id, name, etag) = (&folder["id"], &folder["name"], &folder["etag"]);
    json!({"type": "folder", "id": id, "sequence_id": etag, "etag": etag, "name": name})
}

fn file_mini(file: &Value) -> Value {
    json!({
        "type": "file",
        "id": file["id"],
        "file_version": file["file_version"],
        "sequence_id": file["etag"],
        "etag": file["etag"],
        "sha1": file["sha1"],
        "name": file["name"],
    })
}

async fn arrange(app: &TestApp) -> Tree {
    let docs = create_folder(app, "0", "Docs").await;
    let d = id(&docs).to_owned();
    let c_txt = upload(app, &d, "c.txt", b"c-c-c").await;
    let b_dir = create_folder(app, &d, "B-dir").await;
    let a_txt = upload(app, &d, "a.txt", b"").await;
    let b_txt = upload(app, &d, "B.txt", b"bb").await;
    let a_dir = create_folder(app, &d, "a-dir").await;
    Tree {
        docs: d,
        a_dir: folder_mini(&a_dir),
        b_dir: folder_mini(&b_dir),
        a_txt: file_mini(&a_txt),
        b_txt: file_mini(&b_txt),
        c_txt: file_mini(&c_txt),
    }
}

/// An offset page as Box writes it, keys in Box's order.
fn offset_page(total: u64, entries: Value, offset: u64, limit: u64, order: Value) -> Value {
    json!({
        "total_count": total, "entries": entries, "offset": offset, "limit": limit, "order": order,
    })
}

fn order(by: &str, direction: &str) -> Value {
    json!([{"by": "type", "direction": "ASC"}, {"by": by, "direction": direction}])
}

#[tokio::test]
async fn a_listing_holds_folders_then_files_by_name_in_mini_form() {
    // Arrange
    let app = spawn().start().await;
    let t = arrange(&app).await;

    // Act
    let Reply { status, body, .. } = get(&app, &format!("/2.0/folders/{}/items", t.docs)).await;

    // Assert: names compare case-insensitively; folders come first whatever their names.
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({
            "total_count": 5,
            "entries": [t.a_dir, t.b_dir, t.a_txt, t.b_txt, t.c_txt],
            "offset": 0,
            "limit": 100,
            "order": order("name", "ASC"),
        })
    );
    assert_items_shape(&body, false);
    let Reply { body: root, .. } = get(&app, "/2.0/folders/0/items").await;
    let docs =
        json!({"type": "folder", "id": t.docs, "sequence_id": "0", "etag": "0", "name": "Docs"});
    assert_eq!(
        root,
        offset_page(1, json!([docs]), 0, 100, order("name", "ASC"))
    );
}

#[tokio::test]
async fn offset_paging_cuts_pages_and_clamps_limit_to_1000() {
    // Arrange
    let app = spawn().start().await;
    let t = arrange(&app).await;
    let d = &t.docs;

    // Act
    let middle = get(&app, &format!("/2.0/folders/{d}/items?offset=1&limit=2")).await;
    let last = get(&app, &format!("/2.0/folders/{d}/items?offset=4&limit=2")).await;
    let past = get(&app, &format!("/2.0/folders/{d}/items?offset=9&limit=2")).await;
    let clamped = get(&app, &format!("/2.0/folders/{d}/items?limit=5000&offset=3")).await;

    // Assert
    let page =
        |entries, offset, limit| offset_page(5, entries, offset, limit, order("name", "ASC"));
    assert_eq!(
        (middle.status, &middle.body),
        (
            reqwest::StatusCode::OK,
            &page(json!([t.b_dir, t.a_txt]), 1, 2)
        )
    );
    assert_eq!(last.body, page(json!([t.c_txt]), 4, 2));
    assert_eq!(past.body, page(json!([]), 9, 2));
    assert_eq!(clamped.body, page(json!([t.b_txt, t.c_txt]), 3, 1000));
    for reply in [&middle, &last, &past, &clamped] {
        assert_items_shape(&reply.body, false);
    }
}

#[tokio::test]
async fn marker_paging_walks_every_item_once_in_the_sdks_boolean_forms() {
    // Arrange
    let app = spawn().start().await;
    let t = arrange(&app).await;
    let d = &t.docs;

    // Act: box_sdk_gen writes `True`, legacy boxsdk `useMarker`, the TS SDK `true`.
    let first = get(
        &app,
        &format!("/2.0/folders/{d}/items?usemarker=True&limit=2"),
    )
    .await;
    let second = get(
        &app,
        &format!("/2.0/folders/{d}/items?useMarker=True&limit=2&marker=2"),
    )
    .await;
    let third = get(
        &app,
        &format!("/2.0/folders/{d}/items?usemarker=true&limit=2&marker=4"),
    )
    .await;
    let off = get(
        &app,
        &format!("/2.0/folders/{d}/items?usemarker=False&limit=2"),
    )
    .await;

    // Assert
    assert_eq!(first.status, 200);
    assert_eq!(
        first.body,
        json!({"entries": [t.a_dir, t.b_dir], "limit": 2, "next_marker": "2"})
    );
    assert_eq!(
        second.body,
        json!({"entries": [t.a_txt, t.b_txt], "limit": 2, "next_marker": "4"})
    );
    assert_eq!(
        third.body,
        json!({"entries": [t.c_txt], "limit": 2, "next_marker": null})
    );
    assert_eq!(
        off.body,
        offset_page(5, json!([t.a_dir, t.b_dir]), 0, 2, order("name", "ASC"))
    );
    for reply in [&first, &second, &third] {
        assert_items_shape(&reply.body, true);
    }
}

#[tokio::test]
async fn sort_and_direction_order_within_folders_and_within_files() {
    // Arrange
    let app = spawn().start().await;
    let t = arrange(&app).await;
    let d = &t.docs;
    let cases = [
        // Folders are all 0 bytes: equal sizes fall back to the name, in the same direction.
        (
            "size, largest first",
            "sort=size&direction=DESC",
            order("size", "DESC"),
            json!([t.b_dir, t.a_dir, t.c_txt, t.b_txt, t.a_txt]),
        ),
        (
            "name, descending",
            "direction=desc",
            order("name", "DESC"),
            json!([t.b_dir, t.a_dir, t.c_txt, t.b_txt, t.a_txt]),
        ),
        (
            "id, in creation order",
            "sort=id",
            order("id", "ASC"),
            json!([t.b_dir, t.a_dir, t.c_txt, t.a_txt, t.b_txt]),
        ),
        (
            "id, newest first",
            "sort=ID&direction=DESC",
            order("id", "DESC"),
            json!([t.a_dir, t.b_dir, t.b_txt, t.a_txt, t.c_txt]),
        ),
        // The frozen clock gives every item the same modification time: the name decides.
        (
            "date",
            "sort=date",
            order("date", "ASC"),
            json!([t.a_dir, t.b_dir, t.a_txt, t.b_txt, t.c_txt]),
        ),
    ];

    for (case, query, order, entries) in cases {
        // Act
        let Reply { status, body, .. } =
            get(&app, &format!("/2.0/folders/{d}/items?{query}")).await;

        // Assert
        assert_eq!(status, 200, "{case}: {body}");
        assert_eq!(body, offset_page(5, entries, 0, 100, order), "{case}");
    }
}

#[tokio::test]
async fn fields_keep_type_id_etag_and_the_names_asked_for() {
    // Arrange
    let app = spawn().start().await;
    let t = arrange(&app).await;

    // Act
    let Reply { status, body, .. } = get(
        &app,
        &format!(
            "/2.0/folders/{}/items?fields=name,size,version_number&limit=3&offset=2",
            t.docs
        ),
    )
    .await;

    // Assert: `version_number` is a full-only field of a file; a folder has none and omits it.
    assert_eq!(status, 200);
    let file = |mini: &Value, size: u64| {
        let (id, name) = (&mini["id"], &mini["name"]);
        json!({
            "type": "file", "id": id, "etag": "0", "name": name, "size": size, "version_number": "1",
        })
    };
    assert_eq!(
        body,
        json!({
            "total_count": 5,
            "entries": [file(&t.a_txt, 0), file(&t.b_txt, 2), file(&t.c_txt, 5)],
            "offset": 2,
            "limit": 3,
            "order": order("name", "ASC"),
        })
    );
    let Reply { body: folders, .. } = get(
        &app,
        &format!("/2.0/folders/{}/items?fields=name&limit=1", t.docs),
    )
    .await;
    assert_eq!(
        folders["entries"],
        json!([{"type": "folder", "id": t.a_dir["id"], "etag": "0", "name": "a-dir"}])
    );
}

#[tokio::test]
async fn a_folder_embeds_its_first_page_as_item_collection() {
    // Arrange
    let app = spawn().start().await;
    let t = arrange(&app).await;
    let d = &t.docs;

    // Act
    let Reply { status, body, .. } = get(&app, &format!("/2.0/folders/{d}")).await;
    let shaped = get(
        &app,
        &format!("/2.0/folders/{d}?limit=2&offset=1&sort=name&direction=DESC"),
    )
    .await;
    let Reply { body: root, .. } = get(&app, "/2.0/folders/0").await;

    // Assert
    assert_eq!(status, 200);
    let first_page = json!({
        "total_count": 5,
        "entries": [t.a_dir, t.b_dir, t.a_txt, t.b_txt, t.c_txt],
        "offset": 0,
        "limit": 100,
        "order": order("name", "ASC"),
    });
    assert_eq!(body["item_collection"], first_page);
    assert_items_shape(&body["item_collection"], false);
    let user = user(&app);
    let mut folder = json!({
        "type": "folder",
        "id": d,
        "sequence_id": "0",
        "etag": "0",
        "name": "Docs",
        "created_at": at(0),
        "modified_at": at(0),
        "description": "",
        "size": 7,
        "path_collection": {"total_count": 1, "entries": [root_mini()]},
        "created_by": user,
        "modified_by": user,
        "trashed_at": null,
        "purged_at": null,
        "content_created_at": at(0),
        "content_modified_at": at(0),
        "owned_by": user,
        "shared_link": null,
        "folder_upload_email": null,
        "parent": root_mini(),
        "item_status": "active",
    });
    folder["item_collection"] = first_page;
    assert_eq!(body, folder, "the folder's own fields are unchanged");
    assert_eq!(
        shaped.body["item_collection"],
        offset_page(5, json!([t.a_dir, t.c_txt]), 1, 2, order("name", "DESC"))
    );
    let docs = json!({"type": "folder", "id": d, "sequence_id": "0", "etag": "0", "name": "Docs"});
    assert_eq!(
        root["item_collection"],
        offset_page(1, json!([docs]), 0, 100, order("name", "ASC"))
    );
}

#[tokio::test]
async fn bad_listings_get_boxs_errors_and_change_nothing() {
    // Arrange
    let app = spawn().start().await;
    let t = arrange(&app).await;
    let d = t.docs.clone();
    let file = t.a_txt["id"].as_str().unwrap().to_owned();
    let invalid = |name: &str, message: &str| {
        (
            400,
            "bad_request",
            Some((name.to_owned(), message.to_owned())),
        )
    };
    let cases = [
        (
            "no such folder",
            "/2.0/folders/987654321/items".to_owned(),
            (404, "not_found", None),
        ),
        (
            "a file is not a folder",
            format!("/2.0/folders/{file}/items"),
            (404, "not_found", None),
        ),
        (
            "limit 0",
            format!("/2.0/folders/{d}/items?limit=0"),
            (400, "invalid_limit", None),
        ),
        (
            "limit not a number",
            format!("/2.0/folders/{d}/items?limit=ten"),
            (400, "invalid_limit", None),
        ),
        (
            "negative offset",
            format!("/2.0/folders/{d}/items?offset=-1"),
            (400, "invalid_offset", None),
        ),
        (
            "offset past Box's 10000",
            format!("/2.0/folders/{d}/items?offset=10001"),
            invalid(
                "offset",
                "Invalid value '10001'. The offset must not exceed 10000.",
            ),
        ),
        (
            "a marker not of ours",
            format!("/2.0/folders/{d}/items?usemarker=true&marker=abc"),
            invalid("marker", "Invalid value. The marker is not valid."),
        ),
        (
            "a signed marker",
            format!("/2.0/folders/{d}/items?usemarker=true&marker=%2B2"),
            invalid("marker", "Invalid value. The marker is not valid."),
        ),
        (
            "usemarker not a boolean",
            format!("/2.0/folders/{d}/items?usemarker=yes"),
            invalid(
                "usemarker",
                "Invalid value. The value must be true or false.",
            ),
        ),
        (
            "sort by type",
            format!("/2.0/folders/{d}/items?sort=type"),
            invalid(
                "sort",
                "Invalid value. The value must be one of id, name, date, size.",
            ),
        ),
        (
            "direction neither way",
            format!("/2.0/folders/{d}/items?direction=up"),
            invalid("direction", "Invalid value. The value must be ASC or DESC."),
        ),
        (
            "item_collection with a bad limit",
            format!("/2.0/folders/{d}?limit=x"),
            (400, "invalid_limit", None),
        ),
        (
            "item_collection with a bad sort",
            "/2.0/folders/0?sort=kind".to_owned(),
            invalid(
                "sort",
                "Invalid value. The value must be one of id, name, date, size.",
            ),
        ),
    ];

    for ((case, path, (status, code, context)), request_id) in crate::support::with_request_ids(
        cases,
        [
            "vwg6yy95fp0e33t8",
            "ycktnh30wucomkh9",
            "ispcx3sevmwf24kd",
            "5nsjyz48o9wragcz",
            "auz3cuf5o5pf3leh",
            "ov3gk4eju4ge2rac",
            "oinuhub5cwlx1v41",
            "lyz8s2axjhem3eke",
            "zzdtobihk4nv2tyy",
            "d1d7ify2mh7z2bb7",
            "biar33sk4udo1rep",
            "py37c8n589do1au7",
            "vwttn8ywrcqa10p8",
        ],
    ) {
        // Act
        let Reply {
            status: got, body, ..
        } = get(&app, &path).await;

        // Assert
        assert_eq!(got, status, "{case}: {body}");
        let expected = match (code, context) {
            ("not_found", _) => not_found(request_id),
            (_, Some((name, message))) => {
                bad_request(request_id, "invalid_parameter", &name, &message)
            }
            (code, None) => {
                let message = if code == "invalid_limit" {
                    "Limit is not a valid number"
                } else {
                    "Offset is not a valid number"
                };
                error_json(request_id, 400, code, message, None)
            }
        };
        assert_eq!(body, expected, "{case}");
    }
    let Reply { body, .. } = get(&app, &format!("/2.0/folders/{d}/items")).await;
    assert_eq!(body["total_count"], 5, "nothing changed");
}

#[tokio::test]
async fn a_non_numeric_folder_id_is_not_routed() {
    // Arrange
    let app = spawn().start().await;

    // Act
    let Reply { status, body, .. } = get(&app, "/2.0/folders/abc/items").await;

    // Assert: Box routes only numeric ids
    // (https://developer.box.com/reference/get-folders-id-items/).
    assert_eq!(status, 405);
    assert_eq!(body, method_not_allowed("y83so4k8319p153p"));
}

#[tokio::test]
async fn the_upload_preflight_answers_with_a_trailing_slash_as_without() {
    // Arrange
    let app = spawn().start().await;
    upload(&app, "0", "taken.txt", b"x").await;
    let preflight = |path: &'static str, name: &str| {
        send(
            request(&app, Method::OPTIONS, path)
                .json(&json!({"name": name, "size": 3, "parent": {"id": "0"}})),
        )
    };

    // Act: rclone sends the second form.
    let plain = preflight("/2.0/files/content", "free.txt").await;
    let slash = preflight("/2.0/files/content/", "free.txt").await;
    let clash = preflight("/2.0/files/content/", "taken.txt").await;

    // Assert
    let url = json!({"upload_url": format!("{}/api/2.0/files/content", app.emulator.uri())});
    assert_eq!((plain.status, &plain.body), (reqwest::StatusCode::OK, &url));
    assert_eq!((slash.status, &slash.body), (reqwest::StatusCode::OK, &url));
    assert_eq!(clash.status, 409, "{}", clash.body);
    assert_eq!(clash.body["code"], "item_name_in_use");
}

#[tokio::test]
async fn a_folder_of_250_files_pages_by_offset_and_by_marker_each_item_once() {
    // Arrange
    let app = spawn().start().await;
    let folder = create_folder(&app, "0", "Many").await;
    let d = id(&folder).to_owned();
    // Uploaded in reverse, so that the name order is not the creation order.
    let names: Vec<String> = (0..250).map(|i| format!("f{i:03}.txt")).collect();
    for name in names.iter().rev() {
        upload(&app, &d, name, b"x").await;
    }

    // Act: offset pages, then marker pages followed as a client does.
    let names_of = |page: &Value| -> Vec<Value> {
        let entries = page["entries"].as_array().expect("entries");
        entries.iter().map(|entry| entry["name"].clone()).collect()
    };
    let mut pages = Vec::new();
    for offset in [0, 100, 200] {
        let path = format!("/2.0/folders/{d}/items?offset={offset}&fields=name");
        let Reply { body, .. } = get(&app, &path).await;
        pages.push((body["total_count"].clone(), names_of(&body)));
    }
    let mut markers = Vec::new();
    let mut by_marker = Vec::new();
    let mut path = format!("/2.0/folders/{d}/items?usemarker=true");
    for _ in 0..4 {
        let Reply { status, body, .. } = get(&app, &path).await;
        assert_eq!(status, 200, "{body}");
        by_marker.extend(names_of(&body));
        markers.push(body["next_marker"].clone());
        match body["next_marker"].as_str() {
            Some(marker) => path = format!("/2.0/folders/{d}/items?usemarker=true&marker={marker}"),
            None => break,
        }
    }

    // Assert
    let expected = |range: std::ops::Range<usize>| -> Vec<Value> {
        names[range].iter().map(|name| json!(name)).collect()
    };
    assert_eq!(
        pages,
        [
            (json!(250), expected(0..100)),
            (json!(250), expected(100..200)),
            (json!(250), expected(200..250)),
        ]
    );
    assert_eq!(markers, [json!("100"), json!("200"), Value::Null]);
    assert_eq!(by_marker, expected(0..250));
}

#[tokio::test]
async fn sort_by_date_follows_the_last_modification() {
    // Arrange: a minute between each change; `m.txt` is made first and changed last.
    let app = spawn().start().await;
    let folder = create_folder(&app, "0", "Dated").await;
    let d = id(&folder).to_owned();
    let minute = || app.emulator.clock().advance(TimeDelta::minutes(1));
    let late_dir = create_folder(&app, &d, "a-late").await;
    let m = upload(&app, &d, "m.txt", b"1").await;
    minute();
    let early_dir = create_folder(&app, &d, "z-early").await;
    let a = upload(&app, &d, "a.txt", b"1").await;
    minute();
    let z = upload(&app, &d, "z.txt", b"1").await;
    let late_dir = {
        minute();
        let path = format!("/2.0/folders/{}", id(&late_dir));
        let renamed = send_json(&app, Method::PUT, &path, json!({"name": "a-later"})).await;
        assert_eq!(renamed.status, 200, "{}", renamed.body);
        renamed.body
    };
    minute();
    let m = upload_version(&app, id(&m), b"2").await;

    // Act
    let ascending = get(&app, &format!("/2.0/folders/{d}/items?sort=date")).await;
    let descending = get(
        &app,
        &format!("/2.0/folders/{d}/items?sort=date&direction=DESC"),
    )
    .await;

    // Assert
    let (late, early) = (folder_mini(&late_dir), folder_mini(&early_dir));
    let (a, m, z) = (file_mini(&a), file_mini(&m), file_mini(&z));
    assert_eq!(late["etag"], "1", "the rename is a change");
    assert_eq!(ascending.status, 200);
    assert_eq!(
        ascending.body,
        offset_page(
            5,
            json!([early, late, a, z, m]),
            0,
            100,
            order("date", "ASC")
        )
    );
    assert_eq!(
        descending.body,
        offset_page(
            5,
            json!([late, early, m, z, a]),
            0,
            100,
            order("date", "DESC")
        )
    );
}

#[tokio::test]
async fn a_folder_with_fields_holds_item_collection_only_when_named() {
    // Arrange
    let app = spawn().start().await;
    let t = arrange(&app).await;
    let d = &t.docs;

    // Act
    let plain = get(&app, &format!("/2.0/folders/{d}?fields=name,size")).await;
    let named = get(
        &app,
        &format!("/2.0/folders/{d}?fields=item_collection&limit=1"),
    )
    .await;
    let root = get(&app, "/2.0/folders/0?fields=name").await;

    // Assert: `type`, `id` and `etag` always; the root's etag is null.
    assert_eq!(plain.status, 200);
    assert_eq!(
        plain.body,
        json!({"type": "folder", "id": d, "etag": "0", "name": "Docs", "size": 7})
    );
    assert_eq!(
        named.body,
        json!({
            "type": "folder",
            "id": d,
            "etag": "0",
            "item_collection": offset_page(5, json!([t.a_dir]), 0, 1, order("name", "ASC")),
        })
    );
    assert_eq!(
        root.body,
        json!({"type": "folder", "id": "0", "etag": null, "name": "All Files"})
    );
}

/// box_sdk_gen's own paging of the same: `tests/sdk/box_listing.py`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_lists_and_pages_a_folder_of_250_files() {
    // Arrange
    let emulator = spawn().start().await.emulator;
    let root = emulator.box_url();

    // Act: the script blocks, so it runs off the runtime the server needs.
    let output = tokio::task::spawn_blocking(move || run_sdk_script("box_listing.py", &[&root]))
        .await
        .expect("the SDK script ran");

    // Assert: the script asserts each step and exits non-zero on the first failure.
    assert!(output.contains("box listing passed"), "{output}");
}
