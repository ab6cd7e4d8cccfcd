//! Box shared links: `PUT /files/{id}` and `PUT /folders/{id}` with `shared_link` (create with
//! `{}`, change, remove with `null`), the link's URLs opening the item without a token, and
//! `GET /shared_items` answering the item to whoever holds the link. Replies are checked whole
//! and against the OpenAPI's `Shared link` shape (`assert_shared_link_shape`).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::{spawn, with_request_ids, TestApp};

/// The token of the first link a test makes (the share token of the sharing counter's first id,
/// signed with the key the frozen clock seeds), and of the second.
const FIRST: &str = "OTEwQTJERUM4OTAyNUNDMdvUKW0nAzJC5rhiAqObAFQ";
const SECOND: &str = "OTc1ODM1REUxQzk3NTZDRfyCiVdXhsHgj-HoEqbk1h4";

/// `PUT path` with `{"shared_link": link}`.
async fn share(app: &TestApp, path: &str, link: Value) -> Reply {
    send_json(app, Method::PUT, path, json!({ "shared_link": link })).await
}

/// The `shared_link` Box prints for a link with these settings.
fn link_json(app: &TestApp, token: &str, file: bool, settings: Value) -> Value {
    let url = app.url(&format!("/_share/{token}"));
    let mut link = json!({
        "url": url,
        "download_url": if file { json!(format!("{url}/download")) } else { Value::Null },
        "vanity_url": null,
        "vanity_name": null,
        "effective_access": "open",
        "effective_permission": "can_download",
        "is_password_enabled": false,
        "unshared_at": null,
        "download_count": 0,
        "preview_count": 0,
        "access": "open",
        "permissions": {"can_preview": true, "can_download": true, "can_edit": false},
    });
    for (key, value) in settings.as_object().expect("settings") {
        link[key] = value.clone();
    }
    link
}

/// `GET url` without a token (and with `BoxApi`'s password when given).
async fn open(app: &TestApp, url: &str, password: Option<&str>) -> Reply {
    let mut request = app.client.get(url);
    if let Some(password) = password {
        request = request.header(
            "BoxApi",
            format!("shared_link={url}&shared_link_password={password}"),
        );
    }
    send(request).await
}

/// `GET /2.0/shared_items` as `token`'s user with this `BoxApi` header (none for `None`).
async fn shared_items(app: &TestApp, token: &str, box_api: Option<String>) -> Reply {
    let mut request = app
        .client
        .get(app.url("/2.0/shared_items"))
        .bearer_auth(token);
    if let Some(value) = box_api {
        request = request.header("boxapi", value);
    }
    send(request).await
}

#[tokio::test]
async fn a_files_link_is_created_changed_read_back_and_removed() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let path = format!("/2.0/files/{f}?fields=shared_link");
    let default = link_json(&app, FIRST, true, json!({}));

    // Act: create with Box's defaults, then change access and permissions, then a password.
    let created = share(&app, &path, json!({})).await;
    let read = get(&app, &path).await;
    let changed = share(
        &app,
        &path,
        json!({"access": "company", "permissions": {"can_download": true, "can_edit": true}}),
    )
    .await;
    let protected = share(
        &app,
        &path,
        json!({"access": "open", "password": "Secret123@", "unshared_at": at(3600)}),
    )
    .await;
    let standard = get(&app, &format!("/2.0/files/{f}")).await;
    let accessible = get(
        &app,
        &format!("/2.0/files/{f}?fields=is_accessible_via_shared_link"),
    )
    .await;

    // Assert
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert_eq!(
        created.body,
        json!({"type": "file", "id": f, "etag": "1", "shared_link": default})
    );
    assert_eq!(
        read.body, created.body,
        "GET ?fields=shared_link reads it back"
    );
    let company = link_json(
        &app,
        FIRST,
        true,
        json!({
            "access": "company", "effective_access": "company",
            "effective_permission": "can_edit",
            "permissions": {"can_preview": true, "can_download": true, "can_edit": true},
        }),
    );
    assert_eq!(
        changed.body,
        json!({"type": "file", "id": f, "etag": "2", "shared_link": company}),
        "the same link, changed: its URL stays"
    );
    let with_password = link_json(
        &app,
        FIRST,
        true,
        json!({
            "is_password_enabled": true, "unshared_at": at(3600),
            "effective_permission": "can_edit",
            "permissions": {"can_preview": true, "can_download": true, "can_edit": true},
        }),
    );
    assert_eq!(
        protected.body,
        json!({"type": "file", "id": f, "etag": "3", "shared_link": with_password}),
        "keys left out keep their values; the password is never echoed"
    );
    assert_file_shape(&standard.body);
    assert_eq!(standard.body["shared_link"], with_password);
    for link in [&created.body, &changed.body, &protected.body] {
        assert_shared_link_shape(&link["shared_link"], true);
    }
    assert_eq!(accessible.body["is_accessible_via_shared_link"], true);

    // Act: remove it, then make a new one.
    let removed = share(&app, &path, Value::Null).await;
    let gone = get(
        &app,
        &format!("/2.0/files/{f}?fields=shared_link,is_accessible_via_shared_link"),
    )
    .await;
    let again = share(&app, &path, json!({})).await;

    // Assert: removed, then a new URL.
    assert_eq!(
        removed.body,
        json!({"type": "file", "id": f, "etag": "4", "shared_link": null})
    );
    assert_eq!(
        gone.body,
        json!({"type": "file", "id": f, "etag": "4", "shared_link": null,
               "is_accessible_via_shared_link": false})
    );
    assert_eq!(
        again.body,
        json!({"type": "file", "id": f, "etag": "5",
               "shared_link": link_json(&app, SECOND, true, json!({}))})
    );
    assert_ne!(again.body["shared_link"]["url"], default["url"]);
}

#[tokio::test]
async fn a_folders_link_has_no_download_url_and_collaborators_access_drops_download() {
    // Arrange
    let app = spawn().start().await;
    let folder = create_folder(&app, "0", "Reports").await;
    let d = id(&folder).to_owned();
    let path = format!("/2.0/folders/{d}?fields=shared_link,name");

    // Act
    let created = share(&app, &path, json!({"access": "open"})).await;
    let narrowed = share(&app, &path, json!({"access": "collaborators"})).await;
    let standard = get(&app, &format!("/2.0/folders/{d}")).await;

    // Assert
    assert_eq!(
        created.body,
        json!({"type": "folder", "id": d, "etag": "1", "name": "Reports",
               "shared_link": link_json(&app, FIRST, false, json!({}))})
    );
    let collaborators = link_json(
        &app,
        FIRST,
        false,
        json!({
            "access": "collaborators", "effective_access": "collaborators",
            "effective_permission": "can_preview",
            "permissions": {"can_preview": true, "can_download": false, "can_edit": false},
        }),
    );
    assert_eq!(
        narrowed.body,
        json!({"type": "folder", "id": d, "etag": "2", "name": "Reports",
               "shared_link": collaborators})
    );
    assert_folder_shape(&standard.body);
    assert_shared_link_shape(&standard.body["shared_link"], false);
    assert_eq!(standard.body["shared_link"], collaborators);
}

#[tokio::test]
async fn the_links_urls_open_the_current_bytes_without_a_token_until_it_is_removed() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let path = format!("/2.0/files/{f}?fields=shared_link");
    let link = share(&app, &path, json!({})).await.body["shared_link"].clone();
    let url = link["url"].as_str().unwrap().to_owned();
    let download_url = link["download_url"].as_str().unwrap().to_owned();

    // Act
    let first = open(&app, &url, None).await;
    upload_version(&app, &f, b"two").await;
    let second = open(&app, &download_url, None).await;
    share(&app, &path, json!({"permissions": {"can_download": false}})).await;
    let preview_only = open(&app, &url, None).await;
    let no_download = open(&app, &download_url, None).await;
    share(&app, &path, Value::Null).await;
    let removed = open(&app, &url, None).await;

    // Assert
    assert_eq!(
        (first.status, &first.bytes[..]),
        (StatusCode::OK, &b"one"[..])
    );
    assert_eq!(
        (second.status, &second.bytes[..]),
        (StatusCode::OK, &b"two"[..])
    );
    assert_eq!(preview_only.status, StatusCode::OK, "url still previews");
    assert_eq!(
        no_download.status,
        StatusCode::FORBIDDEN,
        "download_url needs can_download"
    );
    assert_eq!(removed.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_password_link_opens_only_with_its_password() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let path = format!("/2.0/files/{}?fields=shared_link", id(&file));
    let link = share(&app, &path, json!({"password": "Secret123@"})).await;
    let url = link.body["shared_link"]["url"].as_str().unwrap().to_owned();

    // Act
    let without = open(&app, &url, None).await;
    let wrong = open(&app, &url, Some("Wrong123@")).await;
    let right = open(&app, &url, Some("Secret123@")).await;

    // Assert
    assert_eq!(without.status, StatusCode::FORBIDDEN);
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(
        (right.status, &right.bytes[..]),
        (StatusCode::OK, &b"one"[..])
    );
}

#[tokio::test]
async fn a_link_dies_when_its_unshared_at_passes_on_the_emulators_clock() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let path = format!("/2.0/files/{f}?fields=shared_link");
    let link = share(&app, &path, json!({"unshared_at": at(60)})).await;
    let url = link.body["shared_link"]["url"].as_str().unwrap().to_owned();
    let before = open(&app, &url, None).await;

    // Act
    let moved = send(
        app.client
            .post(app.url("/__admin/clock"))
            .json(&json!({"advance_seconds": 61})),
    )
    .await;
    let after = open(&app, &url, None).await;
    let read = get(&app, &path).await;
    let found = shared_items(&app, "someone-else", Some(format!("shared_link={url}"))).await;

    // Assert
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(before.status, StatusCode::OK);
    assert_eq!(after.status, StatusCode::NOT_FOUND);
    assert_eq!(
        read.body,
        json!({"type": "file", "id": f, "etag": "1", "shared_link": null}),
        "an expired link reads as none (the recommendation where Box does not say)"
    );
    assert_eq!(found.status, StatusCode::NOT_FOUND, "{}", found.body);
}

/// Box does not say what a trashed item's link does. The emulator keeps it, silent, as Graph's
/// links are while their item is in the trash: the URL and `shared_items` answer 404, and both
/// work again once the item is restored.
#[tokio::test]
async fn a_trashed_items_link_opens_nothing_until_it_is_restored() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let link = share(
        &app,
        &format!("/2.0/files/{f}?fields=shared_link"),
        json!({}),
    )
    .await;
    let url = link.body["shared_link"]["url"].as_str().unwrap().to_owned();
    let header = format!("shared_link={url}");

    // Act
    send(request(&app, Method::DELETE, &format!("/2.0/files/{f}"))).await;
    let trashed_open = open(&app, &url, None).await;
    let trashed_find = shared_items(&app, "someone-else", Some(header.clone())).await;
    send(request(&app, Method::POST, &format!("/2.0/files/{f}")).json(&json!({}))).await;
    let restored_open = open(&app, &url, None).await;
    let restored_find = shared_items(&app, "someone-else", Some(header)).await;

    // Assert
    assert_eq!(trashed_open.status, StatusCode::NOT_FOUND);
    assert_eq!(trashed_find.status, StatusCode::NOT_FOUND);
    assert_eq!(restored_open.status, StatusCode::OK);
    assert_eq!(
        restored_find.status,
        StatusCode::OK,
        "{}",
        restored_find.body
    );
}

#[tokio::test]
async fn shared_items_answers_the_item_to_another_user_holding_the_link() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let folder = create_folder(&app, "0", "Reports").await;
    let d = id(&folder).to_owned();
    let file_link = share(
        &app,
        &format!("/2.0/files/{f}?fields=shared_link"),
        json!({"password": "Secret123@"}),
    )
    .await;
    let folder_link = share(
        &app,
        &format!("/2.0/folders/{d}?fields=shared_link"),
        json!({}),
    )
    .await;
    let file_url = file_link.body["shared_link"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let folder_url = folder_link.body["shared_link"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let file_json = get(&app, &format!("/2.0/files/{f}")).await.body;
    let folder_json = get(&app, &format!("/2.0/folders/{d}?fields=name,shared_link"))
        .await
        .body;

    // Act: box_sdk_gen's raw header, the legacy Node SDK's encoded one, and `fields`.
    let raw = shared_items(
        &app,
        "someone-else",
        Some(format!(
            "shared_link={file_url}&shared_link_password=Secret123@"
        )),
    )
    .await;
    let encoded = shared_items(
        &app,
        "someone-else",
        Some(format!(
            "shared_link={}&shared_link_password=Secret123%40",
            file_url.replace(':', "%3A").replace('/', "%2F")
        )),
    )
    .await;
    let folder_found = send(
        app.client
            .get(app.url("/2.0/shared_items?fields=name,shared_link"))
            .bearer_auth("someone-else")
            .header("BoxApi", format!("shared_link={folder_url}")),
    )
    .await;

    // Assert
    assert_eq!(raw.status, StatusCode::OK, "{}", raw.body);
    assert_file_shape(&raw.body);
    assert_eq!(raw.body, file_json);
    assert_eq!(encoded.body, file_json);
    assert_eq!(folder_found.status, StatusCode::OK, "{}", folder_found.body);
    assert_eq!(folder_found.body, folder_json);
}

/// The error body a case expects, given the request id its reply carries.
type Expected = Box<dyn Fn(&str) -> Value>;

#[tokio::test]
async fn shared_items_refuses_what_the_link_does_not_open() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let path = format!("/2.0/files/{f}?fields=shared_link");
    let link = share(&app, &path, json!({"password": "Secret123@"})).await;
    let url = link.body["shared_link"]["url"].as_str().unwrap().to_owned();
    let folder = create_folder(&app, "0", "Private").await;
    let private = share(
        &app,
        &format!("/2.0/folders/{}?fields=shared_link", id(&folder)),
        json!({"access": "collaborators"}),
    )
    .await;
    let private_url = private.body["shared_link"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let incorrect = |request_id: &str| {
        error_json(
            request_id,
            403,
            "incorrect_shared_item_password",
            "The password for the shared item is incorrect",
            None,
        )
    };
    let cases: Vec<(&str, Option<String>, u16, Expected)> = vec![
        (
            "no BoxApi header",
            None,
            400,
            Box::new(|r| {
                error_json(
                    r,
                    400,
                    "bad_request",
                    "Bad Request",
                    Some(
                        json!({"errors": [{"reason": "missing_parameter", "name": "boxapi",
                                            "message": "'boxapi' is required"}]}),
                    ),
                )
            }),
        ),
        (
            "a BoxApi header without shared_link=",
            Some(url.clone()),
            400,
            Box::new(|r| {
                bad_request(
                    r,
                    "invalid_parameter",
                    "boxapi",
                    "Invalid value. Expected shared_link=<url>[&shared_link_password=<password>].",
                )
            }),
        ),
        (
            "no password for a link that has one",
            Some(format!("shared_link={url}")),
            403,
            Box::new(incorrect),
        ),
        (
            "the wrong password",
            Some(format!("shared_link={url}&shared_link_password=Wrong123@")),
            403,
            Box::new(incorrect),
        ),
        (
            "a link no emulator made",
            Some(format!(
                "shared_link={}",
                app.url("/_share/AAAAAAAAAAAAAAAAAAAAAAAA")
            )),
            404,
            Box::new(not_found),
        ),
        (
            "a collaborators link, for someone who is not its owner",
            Some(format!("shared_link={private_url}")),
            404,
            Box::new(not_found),
        ),
    ];

    let ids = [
        "d95it76emao82qkv",
        "bz54cz2iuj32wwyx",
        "vwg6yy95fp0e33t8",
        "ycktnh30wucomkh9",
        "ispcx3sevmwf24kd",
        "5nsjyz48o9wragcz",
    ];
    for ((case, header, status, expected), request_id) in with_request_ids(cases, ids) {
        // Act
        let Reply {
            status: got, body, ..
        } = shared_items(&app, "someone-else", header).await;

        // Assert
        assert_eq!(got.as_u16(), status, "{case}: {body}");
        assert_eq!(body, expected(request_id), "{case}");
    }
    // A removed link is unknown.
    share(&app, &path, Value::Null).await;
    let removed = shared_items(
        &app,
        "someone-else",
        Some(format!("shared_link={url}&shared_link_password=Secret123@")),
    )
    .await;
    assert_eq!(removed.status, StatusCode::NOT_FOUND, "{}", removed.body);
}

#[tokio::test]
async fn a_bad_shared_link_is_refused_whole_and_changes_nothing() {
    // Arrange: a file with a link, and a folder without.
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let folder = create_folder(&app, "0", "F").await;
    let d = id(&folder).to_owned();
    let file_path = format!("/2.0/files/{f}?fields=shared_link,name");
    let folder_path = format!("/2.0/folders/{d}?fields=shared_link,name");
    share(&app, &file_path, json!({"access": "collaborators"})).await;
    let snapshot = (
        get(&app, &file_path).await.body,
        get(&app, &folder_path).await.body,
    );
    let permissions = "Invalid value. Incorrect permission combination: can_preview is always \
                       true, can_download needs open or company access, can_edit needs \
                       can_download and a file.";
    let cases = [
        (
            "an access Box does not have",
            &file_path,
            json!({"shared_link": {"access": "public"}, "name": "b.txt"}),
            "access",
            "Invalid value 'public'. Must be one of: open, company, collaborators.".to_owned(),
        ),
        (
            "unshared_at in the past",
            &file_path,
            json!({"shared_link": {"access": "open", "unshared_at": at(-1)}}),
            "unshared_at",
            "Invalid value. The date must be in the future.".to_owned(),
        ),
        (
            "unshared_at that is not a date",
            &file_path,
            json!({"shared_link": {"unshared_at": "tomorrow"}}),
            "unshared_at",
            "Invalid value 'tomorrow'. An RFC 3339 date in the future is expected.".to_owned(),
        ),
        (
            "can_download on the collaborators link",
            &file_path,
            json!({"shared_link": {"permissions": {"can_download": true}}}),
            "permissions",
            permissions.to_owned(),
        ),
        (
            "can_edit without can_download",
            &file_path,
            json!({"shared_link": {"access": "open",
                   "permissions": {"can_download": false, "can_edit": true}}}),
            "permissions",
            permissions.to_owned(),
        ),
        (
            "can_edit on a folder",
            &folder_path,
            json!({"shared_link": {"permissions": {"can_edit": true, "can_download": true}}}),
            "permissions",
            permissions.to_owned(),
        ),
        (
            "can_preview false",
            &folder_path,
            json!({"shared_link": {"permissions": {"can_preview": false}}}),
            "permissions",
            permissions.to_owned(),
        ),
        (
            "a password on a link that is not open",
            &file_path,
            json!({"shared_link": {"password": "Secret123@"}}),
            "password",
            "Invalid value. A password can only be set when access is open.".to_owned(),
        ),
        (
            "a weak password",
            &folder_path,
            json!({"shared_link": {"password": "secret"}}),
            "password",
            "Invalid value. A password has at least eight characters, including a number, an \
             upper case letter or a character that is neither a letter nor a number."
                .to_owned(),
        ),
        (
            "a vanity name, which the emulator does not serve",
            &folder_path,
            json!({"shared_link": {"vanity_name": "my-shared-link"}}),
            "vanity_name",
            "The emulator does not keep vanity names; nothing was changed.".to_owned(),
        ),
        (
            "a shared_link that is not an object",
            &folder_path,
            json!({"shared_link": "open"}),
            "shared_link",
            "Invalid value. An object, or null to remove the link, is expected.".to_owned(),
        ),
    ];

    let ids = [
        "bz54cz2iuj32wwyx",
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
    ];
    for ((case, path, body, name, message), request_id) in with_request_ids(cases, ids) {
        // Act
        let Reply { status, body, .. } = send_json(&app, Method::PUT, path, body).await;

        // Assert
        assert_eq!(status, StatusCode::BAD_REQUEST, "{case}: {body}");
        assert_eq!(
            body,
            bad_request(request_id, "invalid_parameter", name, &message),
            "{case}"
        );
    }
    // Read back: nothing renamed, no link changed, no etag moved.
    let after = (
        get(&app, &file_path).await.body,
        get(&app, &folder_path).await.body,
    );
    assert_eq!(after, snapshot);
}

#[tokio::test]
async fn a_reset_removes_every_link() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let link = share(
        &app,
        &format!("/2.0/files/{}?fields=shared_link", id(&file)),
        json!({}),
    )
    .await;
    let url = link.body["shared_link"]["url"].as_str().unwrap().to_owned();

    // Act
    let reset = send(app.client.post(app.url("/__admin/reset"))).await;
    let after = open(&app, &url, None).await;

    // Assert
    assert_eq!(reset.status, StatusCode::NO_CONTENT);
    assert_eq!(after.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_adds_finds_opens_and_removes_links() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act
    let output = crate::support::run_sdk_script_off_runtime("box_shared_links.py", &root).await;

    // Assert: then the state, read back here.
    assert!(output.contains("box shared links passed"), "{output}");
    let Reply { body, .. } = send(
        app.client
            .get(app.url("/2.0/folders/0/items?fields=name,shared_link"))
            .bearer_auth("sdk-links-token"),
    )
    .await;
    let entries = body["entries"].as_array().expect("entries");
    assert_eq!(entries[0]["name"], "Shared");
    assert_shared_link_shape(&entries[0]["shared_link"], false);
    assert_eq!(entries[0]["shared_link"]["access"], "open");
    assert_eq!(entries[1]["name"], "shared.txt");
    assert_eq!(entries[1]["shared_link"], Value::Null);
}

#[tokio::test]
async fn links_are_journaled_and_a_box_link_opens_nothing_through_graphs_shares() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let link = share(
        &app,
        &format!("/2.0/files/{f}?fields=shared_link"),
        json!({}),
    )
    .await;
    let url = link.body["shared_link"]["url"].as_str().unwrap().to_owned();
    let opened = open(&app, &url, None).await;
    let found = shared_items(&app, "someone-else", Some(format!("shared_link={url}"))).await;

    // Act: the same token as a Graph share id, the way `/shares/s!{token}` takes Graph's own.
    let token = url.rsplit('/').next().unwrap();
    let graph = send(
        app.client
            .get(app.url(&format!("/v1.0/shares/s!{token}/driveItem")))
            .bearer_auth("someone-else"),
    )
    .await;

    // Assert
    assert_eq!(opened.status, StatusCode::OK);
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(graph.status, StatusCode::NOT_FOUND, "{}", graph.body);
    let journal = app.emulator.requests(&Default::default());
    let entries: Vec<(&str, &str, u16, Option<String>)> = journal
        .iter()
        .map(|e| {
            let item = e.item.map(|i| i.to_string());
            (e.api.as_str(), e.method.as_str(), e.status, item)
        })
        .collect();
    let f = Some(f);
    assert_eq!(
        entries[1..4],
        [
            ("box", "PUT", 200, f.clone()),
            ("download", "GET", 200, None),
            ("box", "GET", 200, f),
        ]
    );
}

#[tokio::test]
async fn a_stale_if_match_refuses_the_link_change_whole() {
    // Arrange: the link's creation moved the etag to 1.
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let path = format!("/2.0/files/{}?fields=shared_link,name", id(&file));
    share(&app, &path, json!({})).await;
    let before = get(&app, &path).await.body;

    // Act
    let Reply { status, body, .. } = send(
        request(&app, Method::PUT, &path)
            .header("if-match", "0")
            .json(&json!({"name": "b.txt", "shared_link": null})),
    )
    .await;

    // Assert
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(body, precondition_failed("jy7327635gmk3m5w"));
    assert_eq!(
        get(&app, &path).await.body,
        before,
        "nothing renamed or removed"
    );
}

/// A token that may only preview is refused a link (a write, Box's `insufficient_scope`), and
/// a token downscoped to one file is kept to it: `GET /shared_items` names no item in its path,
/// so it is refused, as the trash list is.
#[tokio::test]
async fn a_downscoped_token_neither_shares_nor_leaves_its_file_through_a_link() {
    // Arrange: a client-credentials token, a file shared by it, and a preview-only token for it.
    let app = spawn().start().await;
    let form = |pairs: &[(&str, &str)]| {
        let pairs: Vec<(String, String)> = (pairs.iter())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        send(app.client.post(app.url("/oauth2/token")).form(&pairs))
    };
    let full = form(&[
        ("grant_type", "client_credentials"),
        ("client_id", "app"),
        ("client_secret", "secret"),
        ("box_subject_type", "enterprise"),
        ("box_subject_id", "900"),
    ])
    .await;
    let full = full.body["access_token"].as_str().unwrap().to_owned();
    let uploaded = send(
        app.client
            .post(app.url("/api/2.0/files/content"))
            .bearer_auth(&full)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(multipart(&[
                Part::attributes(r#"{"name":"a.txt","parent":{"id":"0"}}"#),
                Part::file(b"one"),
            ])),
    )
    .await;
    let f = uploaded.body["entries"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/2.0/files/{f}?fields=shared_link");
    let link = send(
        app.client
            .put(app.url(&path))
            .bearer_auth(&full)
            .json(&json!({"shared_link": {}})),
    )
    .await;
    let url = link.body["shared_link"]["url"].as_str().unwrap().to_owned();
    let resource = app.url(&format!("/2.0/files/{f}"));
    let narrow = form(&[
        (
            "grant_type",
            "urn:ietf:params:oauth:grant-type:token-exchange",
        ),
        ("subject_token", &full),
        (
            "subject_token_type",
            "urn:ietf:params:oauth:token-type:access_token",
        ),
        ("scope", "item_preview"),
        ("resource", &resource),
    ])
    .await;
    let narrow = narrow.body["access_token"].as_str().unwrap().to_owned();

    // Act
    let change = send(
        app.client
            .put(app.url(&path))
            .bearer_auth(&narrow)
            .json(&json!({"shared_link": null})),
    )
    .await;
    let found = shared_items(&app, &narrow, Some(format!("shared_link={url}"))).await;
    let read = send(app.client.get(app.url(&path)).bearer_auth(&narrow)).await;

    // Assert
    assert_eq!(change.status, StatusCode::FORBIDDEN, "{}", change.body);
    assert_eq!(
        change.body,
        error_json(
            "d95it76emao82qkv",
            403,
            "insufficient_scope",
            "The request requires higher privileges than provided by the access token.",
            None
        )
    );
    assert_eq!(found.status, StatusCode::FORBIDDEN, "{}", found.body);
    assert_eq!(found.body, insufficient_permission("bz54cz2iuj32wwyx"));
    assert_eq!(
        read.body["shared_link"]["url"], url,
        "the link is still there"
    );
}
