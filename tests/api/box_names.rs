//! Box's name rules, each with its source: which names a folder or a file may have, and which
//! names are the same name (case-insensitively, but not by Unicode compatibility).

use reqwest::{Method, StatusCode};
use restore_mock::store::Face;
use serde_json::{json, Value};

use crate::support::box_api::{error_json, name_in_use, send, send_json, upload_request, Part};
use crate::support::{spawn, with_request_ids, Reply, TestApp};

/// Box's API reference on `name` for a new folder: "Names containing non-printable ASCII
/// characters, forward and backward slashes (`/`, `\`), as well as names with trailing spaces
/// are prohibited. Additionally, the names `.` and `..` are not allowed either."
const FOLDERS: &str = "https://developer.box.com/reference/post-folders/";
/// The same rules for an uploaded file's `attributes.name`.
const FILES: &str = "https://developer.box.com/reference/post-files-content/";
/// `name` of a file update: "The name check is case-insensitive, so a file named `New File`
/// cannot be created in a parent folder that already contains a folder named `new file`."
const UNIQUE: &str = "https://developer.box.com/reference/put-files-id/";

/// The paths of every Box item, as an export lists them (by path).
fn paths(app: &TestApp) -> Vec<String> {
    let exported = app.emulator.export();
    (exported.spaces.iter())
        .filter(|space| space.face == Face::Box)
        .flat_map(|space| space.items.iter().map(|item| item.path.clone()))
        .collect()
}

/// A refusal's `context_info`, as Box words an invalid parameter.
fn invalid(name: &str, reason: &str) -> Value {
    json!({"errors": [{"reason": "invalid_parameter", "name": "name",
        "message": format!("{name:?}: {reason}")}]})
}

#[tokio::test]
async fn folder_names_are_refused_only_where_box_refuses_them() {
    // Arrange
    let app = spawn().start().await;
    const BAD_CHARACTER: &str = "the name contains a character that is not allowed";
    let cases: [(&str, Option<&str>, &str); 13] = [
        ("a\"b", None, "a double quote is allowed"),
        ("a*b", None, "an asterisk is allowed"),
        ("a:b", None, "a colon is allowed"),
        ("a<b>", None, "angle brackets are allowed"),
        ("why?", None, "a question mark is allowed"),
        ("a|b", None, "a pipe is allowed"),
        (" leading", None, "a leading space is allowed"),
        ("a/b", Some(BAD_CHARACTER), "a forward slash"),
        ("a\\b", Some(BAD_CHARACTER), "a backslash"),
        (
            "tab\there",
            Some(BAD_CHARACTER),
            "a non-printable ASCII character",
        ),
        (
            "trailing ",
            Some("the name ends with a space"),
            "a trailing space",
        ),
        (".", Some("the name is reserved"), "the name ."),
        ("..", Some("the name is reserved"), "the name .."),
    ];

    for ((name, refusal, rule), request_id) in with_request_ids(
        cases,
        [
            "y83so4k8319p153p",
            "vyh6gf7h6pw8mme7",
            "1iqybveasnwi9py5",
            "jy7327635gmk3m5w",
            "d95it76emao82qkv",
            "bz54cz2iuj32wwyx",
            "vwg6yy95fp0e33t8",
            "ycktnh30wucomkh9",
            "ispcx3sevmwf24kd",
            "5nsjyz48o9wragcz",
            "auz3cuf5o5pf3leh",
            "ov3gk4eju4ge2rac",
            "oinuhub5cwlx1v41",
        ],
    ) {
        // Act
        let body = json!({"name": name, "parent": {"id": "0"}});
        let Reply {
            status,
            body: reply,
            ..
        } = send_json(&app, Method::POST, "/2.0/folders", body).await;

        // Assert
        match refusal {
            None => {
                assert_eq!(status, StatusCode::CREATED, "{rule} ({FOLDERS}): {reply}");
                assert_eq!(reply["name"], json!(name), "{rule}");
            }
            Some(reason) => {
                assert_eq!(
                    status,
                    StatusCode::BAD_REQUEST,
                    "{rule} ({FOLDERS}): {reply}"
                );
                let context = Some(invalid(name, reason));
                let expected = error_json(
                    request_id,
                    400,
                    "item_name_invalid",
                    "Item name invalid",
                    context,
                );
                assert_eq!(reply, expected, "{rule} ({FOLDERS})");
            }
        }
    }
    assert_eq!(
        paths(&app),
        [" leading", "a\"b", "a*b", "a:b", "a<b>", "a|b", "why?"],
        "only the allowed names were made"
    );
}

#[tokio::test]
async fn a_file_name_with_a_trailing_space_is_refused_and_reserved_characters_are_not() {
    // Arrange
    let app = spawn().start().await;
    let cases = [
        (
            "report ",
            Some("the name ends with a space"),
            "a trailing space",
        ),
        ("report: final?.txt", None, "a colon and a question mark"),
    ];

    for ((name, refusal, rule), request_id) in
        with_request_ids(cases, ["y83so4k8319p153p", "vyh6gf7h6pw8mme7"])
    {
        // Act
        let attributes = json!({"name": name, "parent": {"id": "0"}}).to_string();
        let parts = [Part::attributes(&attributes), Part::file(b"bytes")];
        let Reply {
            status,
            body: reply,
            ..
        } = send(upload_request(&app, "/api/2.0/files/content", &parts)).await;

        // Assert
        match refusal {
            None => {
                assert_eq!(status, StatusCode::CREATED, "{rule} ({FILES}): {reply}");
                assert_eq!(reply["entries"][0]["name"], json!(name), "{rule}");
            }
            Some(reason) => {
                let context = Some(invalid(name, reason));
                let expected = error_json(
                    request_id,
                    400,
                    "item_name_invalid",
                    "Item name invalid",
                    context,
                );
                assert_eq!(reply, expected, "{rule} ({FILES})");
            }
        }
    }
}

#[tokio::test]
async fn names_that_differ_only_by_case_clash_but_a_kelvin_sign_is_not_a_k() {
    // Arrange
    let app = spawn().start().await;
    let make = |name: &str| json!({"name": name, "parent": {"id": "0"}});
    let Reply { status: first, .. } =
        send_json(&app, Method::POST, "/2.0/folders", make("kilo")).await;
    assert_eq!(first, StatusCode::CREATED);

    // Act
    let Reply {
        status: upper,
        body: clash,
        ..
    } = send_json(&app, Method::POST, "/2.0/folders", make("KILO")).await;
    let Reply {
        status: kelvin,
        body: made,
        ..
    } = send_json(&app, Method::POST, "/2.0/folders", make("\u{212A}ilo")).await;

    // Assert
    assert_eq!(
        upper,
        StatusCode::CONFLICT,
        "case does not make a new name ({UNIQUE})"
    );
    let kilo = json!({"type": "folder", "id": "1000000002", "sequence_id": "0", "etag": "0", "name": "kilo"});
    assert_eq!(clash, name_in_use("vyh6gf7h6pw8mme7", json!([kilo])));
    assert_eq!(
        kelvin,
        StatusCode::CREATED,
        "U+212A only folds to k by Unicode compatibility: {made}"
    );
    assert_eq!(made["name"], json!("\u{212A}ilo"));
    assert_eq!(paths(&app), ["kilo", "\u{212A}ilo"]);
}

#[tokio::test]
async fn an_upload_session_or_preflight_for_a_refused_name_is_refused_before_any_part_is_sent() {
    // Arrange
    let app = spawn().start().await;
    let session = json!({"folder_id": "0", "file_size": 20_000_000, "file_name": "big "});
    let preflight = json!({"name": "big ", "parent": {"id": "0"}});

    let cases = [
        (
            Method::POST,
            "/api/2.0/files/upload_sessions",
            session,
            "an upload session",
        ),
        (
            Method::OPTIONS,
            "/2.0/files/content",
            preflight,
            "a preflight check",
        ),
    ];
    for ((method, path, body, what), request_id) in
        with_request_ids(cases, ["y83so4k8319p153p", "vyh6gf7h6pw8mme7"])
    {
        // Act
        let Reply {
            status,
            body: reply,
            ..
        } = send_json(&app, method, path, body).await;

        // Assert
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what} ({FILES}): {reply}");
        let context = Some(invalid("big ", "the name ends with a space"));
        let expected = error_json(
            request_id,
            400,
            "item_name_invalid",
            "Item name invalid",
            context,
        );
        assert_eq!(reply, expected, "{what}");
    }
}
