//! Shared by the Box tests: a Box client on a frozen clock, typed helpers per endpoint, the
//! expected JSON of Box objects, and a hand check of each reply against the shapes of Box's
//! OpenAPI schemas (`openapi.json` in <https://github.com/box/box-openapi>), independent of the
//! expectations.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use reqwest::{Method, RequestBuilder, StatusCode};
use restore_mock::content::Content;
use restore_mock::Config;
use serde_json::{json, Value};

pub use crate::helpers::send;
use crate::helpers::{spawn_app, TestApp};

pub const TOKEN: &str = "box-test-token";
/// Every test runs on a clock frozen here, so dates in replies can be predicted.
pub const NOW: &str = "2024-01-02T03:04:05+00:00";

pub async fn spawn_box() -> TestApp {
    let app = spawn_app().await;
    app.emulator.clock().freeze(now());
    app
}

/// An emulator whose body limit is `max_body` bytes.
pub async fn spawn_box_with_limit(max_body: usize) -> TestApp {
    let emulator = crate::helpers::start_with(Config {
        max_body,
        ..Config::default()
    })
    .await;
    emulator.clock().freeze(now());
    TestApp {
        emulator,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a reqwest client"),
    }
}

pub fn now() -> DateTime<Utc> {
    NOW.parse().expect("NOW is a date")
}

/// A request with the test token.
pub fn request(app: &TestApp, method: Method, path: &str) -> RequestBuilder {
    app.client.request(method, app.url(path)).bearer_auth(TOKEN)
}

pub async fn get(app: &TestApp, path: &str) -> (StatusCode, Value) {
    send(request(app, Method::GET, path)).await
}

pub async fn send_json(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    send(request(app, method, path).json(&body)).await
}

/// One part of a multipart body: name, filename, content type, bytes.
pub struct Part<'a> {
    pub name: &'a str,
    pub filename: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub bytes: &'a [u8],
}

impl<'a> Part<'a> {
    pub fn attributes(json: &'a str) -> Self {
        Self {
            name: "attributes",
            filename: None,
            content_type: None,
            bytes: json.as_bytes(),
        }
    }

    /// The content part as the gen SDKs send it: `file`, empty filename, no content type.
    pub fn file(bytes: &'a [u8]) -> Self {
        Self {
            name: "file",
            filename: Some(""),
            content_type: None,
            bytes,
        }
    }
}

pub const BOUNDARY: &str = "restore-mock-test-boundary";

/// A `multipart/form-data` body written out by hand, so tests control every byte.
pub fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", part.name);
        if let Some(filename) = part.filename {
            disposition.push_str(&format!("; filename=\"{filename}\""));
        }
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        if let Some(content_type) = part.content_type {
            body.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(part.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A multipart POST to `path`.
pub fn upload_request(app: &TestApp, path: &str, parts: &[Part<'_>]) -> RequestBuilder {
    with_multipart(request(app, Method::POST, path), parts)
}

/// `builder` with `parts` as its multipart body and the matching `Content-Type`.
pub fn with_multipart(builder: RequestBuilder, parts: &[Part<'_>]) -> RequestBuilder {
    builder
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(parts))
}

/// `POST path` with an `attributes` part and a `file` part, as the SDKs upload; the reply.
pub async fn send_upload(
    app: &TestApp,
    path: &str,
    attributes: &str,
    content: &[u8],
) -> (StatusCode, Value) {
    let parts = [Part::attributes(attributes), Part::file(content)];
    send(upload_request(app, path, &parts)).await
}

/// Creates folder `name` in folder `parent` and returns it.
pub async fn create_folder(app: &TestApp, parent: &str, name: &str) -> Value {
    let body = json!({"name": name, "parent": {"id": parent}});
    let (status, folder) = send_json(app, Method::POST, "/2.0/folders", body).await;
    assert_eq!(status, 201, "folder {name}: {folder}");
    folder
}

/// Uploads a new file into folder `parent` and returns it (the single entry of the reply).
pub async fn upload(app: &TestApp, parent: &str, name: &str, content: &[u8]) -> Value {
    let attributes = json!({"name": name, "parent": {"id": parent}}).to_string();
    let (status, body) = send_upload(app, "/api/2.0/files/content", &attributes, content).await;
    assert_eq!(status, 201, "upload of {name}: {body}");
    body["entries"][0].clone()
}

/// Uploads a new version of `file_id` and returns the file.
pub async fn upload_version(app: &TestApp, file_id: &str, content: &[u8]) -> Value {
    let path = format!("/api/2.0/files/{file_id}/content");
    let (status, body) = send_upload(app, &path, "{}", content).await;
    assert_eq!(status, 201, "new version of {file_id}: {body}");
    body["entries"][0].clone()
}

/// Previous versions of a file, newest first, as the list endpoint returns them.
pub async fn list_versions(app: &TestApp, file_id: &str) -> Value {
    let (status, body) = get(app, &format!("/2.0/files/{file_id}/versions")).await;
    assert_eq!(status, 200, "{body}");
    body
}

pub fn id(value: &Value) -> &str {
    value["id"].as_str().expect("an id string")
}

pub fn sha1(bytes: &[u8]) -> String {
    Content::new(Bytes::copy_from_slice(bytes)).sha1_hex()
}

/// The test token's user, as Box prints a user mini.
pub fn user(app: &TestApp) -> Value {
    let user = app.emulator.store().sign_in(TOKEN).expect("sign in").user;
    json!({"type": "user", "id": user.id, "name": user.name, "login": user.login})
}

pub fn root_mini() -> Value {
    json!({"type": "folder", "id": "0", "sequence_id": null, "etag": null, "name": "All Files"})
}

/// What a file's JSON must be (<https://developer.box.com/reference/resources/file/>), with every
/// date at `NOW`.
pub struct ExpectedFile<'a> {
    pub id: &'a str,
    pub etag: u64,
    pub name: &'a str,
    pub content: &'a [u8],
    pub version_id: &'a str,
    /// From the root down to the parent.
    pub path: Vec<Value>,
    pub user: &'a Value,
}

impl ExpectedFile<'_> {
    pub fn json(&self) -> Value {
        let sha1 = sha1(self.content);
        json!({
            "type": "file",
            "id": self.id,
            "etag": self.etag.to_string(),
            "sequence_id": self.etag.to_string(),
            "name": self.name,
            "sha1": sha1,
            "file_version": {"type": "file_version", "id": self.version_id, "sha1": sha1},
            "description": "",
            "size": self.content.len(),
            "path_collection": {"total_count": self.path.len(), "entries": self.path},
            "created_at": NOW,
            "modified_at": NOW,
            "trashed_at": null,
            "purged_at": null,
            "content_created_at": NOW,
            "content_modified_at": NOW,
            "created_by": self.user,
            "modified_by": self.user,
            "owned_by": self.user,
            "shared_link": null,
            "parent": self.path.last().cloned().unwrap_or(Value::Null),
            "item_status": "active",
        })
    }
}

/// What a file version's JSON must be (standard set,
/// <https://developer.box.com/reference/resources/file-version/>), made at `NOW`.
pub fn version_json(id: &str, name: &str, content: &[u8], user: &Value) -> Value {
    json!({
        "type": "file_version",
        "id": id,
        "sha1": sha1(content),
        "name": name,
        "size": content.len(),
        "created_at": NOW,
        "modified_at": NOW,
        "modified_by": user,
        "trashed_at": null,
        "trashed_by": null,
        "restored_at": null,
        "restored_by": null,
        "purged_at": null,
    })
}

/// The error body Box sends, with this reply's `request_id` (checked for its form first).
pub fn error_json(
    body: &Value,
    status: u16,
    code: &str,
    message: &str,
    context: Option<Value>,
) -> Value {
    let request_id = body["request_id"].as_str().unwrap_or_default();
    assert!(
        request_id.len() == 16 && request_id.bytes().all(|b| b.is_ascii_alphanumeric()),
        "request_id {request_id:?} is a short opaque token"
    );
    let mut expected = json!({
        "type": "error",
        "status": status,
        "code": code,
        "help_url": "http://developers.box.com/docs/#errors",
        "message": message,
        "request_id": request_id,
    });
    if let Some(context) = context {
        expected["context_info"] = context;
    }
    expected
}

pub fn not_found(body: &Value) -> Value {
    error_json(body, 404, "not_found", "Not Found", None)
}

pub fn bad_request(body: &Value, reason: &str, name: &str, message: &str) -> Value {
    error_json(
        body,
        400,
        "bad_request",
        "Bad Request",
        Some(json!({"errors": [{"reason": reason, "name": name, "message": message}]})),
    )
}

/// A name taken in the folder: `conflicts` is one file mini for a file, a list for a folder
/// (<https://github.com/syndesisio/syndesis/issues/5233>).
pub fn name_in_use(body: &Value, conflicts: Value) -> Value {
    error_json(
        body,
        409,
        "item_name_in_use",
        "Item with the same name already exists",
        Some(json!({ "conflicts": conflicts })),
    )
}

/// A stale `If-Match`, on any route that takes one.
pub fn precondition_failed(body: &Value) -> Value {
    error_json(
        body,
        412,
        "precondition_failed",
        "The resource has been modified. Retrieve the resource again and retry",
        None,
    )
}

pub fn method_not_allowed(body: &Value) -> Value {
    error_json(body, 405, "method_not_allowed", "Method Not Allowed", None)
}

// --- Shapes, by hand, from the OpenAPI schemas -------------------------------------------------

fn is_date(value: &Value) -> bool {
    // RFC 3339, whole seconds, numeric offset, as in the examples of
    // https://developer.box.com/reference/resources/file/.
    value.as_str().is_some_and(|s| {
        DateTime::parse_from_rfc3339(s).is_ok() && !s.ends_with('Z') && !s.contains('.')
    })
}

fn is_numeric_string(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
}

fn is_sha1(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| s.len() == 40 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

fn check_nullable(value: &Value, check: impl Fn(&Value) -> bool) -> bool {
    value.is_null() || check(value)
}

fn is_user_mini(value: &Value) -> bool {
    value["type"] == "user"
        && is_numeric_string(&value["id"])
        && value["name"].is_string()
        && value["login"].is_string()
}

fn is_folder_mini(value: &Value) -> bool {
    value["type"] == "folder"
        && is_numeric_string(&value["id"])
        && check_nullable(&value["sequence_id"], is_numeric_string)
        && check_nullable(&value["etag"], is_numeric_string)
        && value["name"].is_string()
}

/// `File` (standard): `File--Base` + `File--Mini` + the standard properties.
pub fn assert_file_shape(file: &Value) {
    let checks: [(&str, bool); 22] = [
        ("type", file["type"] == "file"),
        ("id", is_numeric_string(&file["id"])),
        ("etag", is_numeric_string(&file["etag"])),
        ("sequence_id", is_numeric_string(&file["sequence_id"])),
        ("name", file["name"].is_string()),
        ("sha1", is_sha1(&file["sha1"])),
        (
            "file_version",
            file["file_version"]["type"] == "file_version"
                && is_numeric_string(&file["file_version"]["id"])
                && is_sha1(&file["file_version"]["sha1"]),
        ),
        ("description", file["description"].is_string()),
        ("size", file["size"].is_u64()),
        (
            "path_collection",
            file["path_collection"]["entries"]
                .as_array()
                .is_some_and(|e| {
                    e.iter().all(is_folder_mini)
                        && file["path_collection"]["total_count"] == e.len()
                }),
        ),
        ("created_at", is_date(&file["created_at"])),
        ("modified_at", is_date(&file["modified_at"])),
        ("trashed_at", check_nullable(&file["trashed_at"], is_date)),
        ("purged_at", check_nullable(&file["purged_at"], is_date)),
        (
            "content_created_at",
            check_nullable(&file["content_created_at"], is_date),
        ),
        (
            "content_modified_at",
            check_nullable(&file["content_modified_at"], is_date),
        ),
        ("created_by", is_user_mini(&file["created_by"])),
        ("modified_by", is_user_mini(&file["modified_by"])),
        ("owned_by", is_user_mini(&file["owned_by"])),
        ("shared_link", file.get("shared_link").is_some()),
        ("parent", check_nullable(&file["parent"], is_folder_mini)),
        (
            "item_status",
            matches!(
                file["item_status"].as_str(),
                Some("active" | "trashed" | "deleted")
            ),
        ),
    ];
    for (field, ok) in checks {
        assert!(ok, "File.{field} does not fit the schema: {file}");
    }
}

/// `FileVersion` (standard), and `FileVersion--Full`'s `version_number` when present.
pub fn assert_version_shape(version: &Value) {
    let checks: [(&str, bool); 14] = [
        ("type", version["type"] == "file_version"),
        ("id", is_numeric_string(&version["id"])),
        ("sha1", is_sha1(&version["sha1"])),
        ("name", version["name"].is_string()),
        ("size", version["size"].is_u64()),
        ("created_at", is_date(&version["created_at"])),
        ("modified_at", is_date(&version["modified_at"])),
        ("modified_by", is_user_mini(&version["modified_by"])),
        (
            "trashed_at",
            check_nullable(&version["trashed_at"], is_date),
        ),
        (
            "trashed_by",
            check_nullable(&version["trashed_by"], is_user_mini),
        ),
        (
            "restored_at",
            check_nullable(&version["restored_at"], is_date),
        ),
        (
            "restored_by",
            check_nullable(&version["restored_by"], is_user_mini),
        ),
        ("purged_at", check_nullable(&version["purged_at"], is_date)),
        (
            "version_number",
            version.get("version_number").is_none_or(is_numeric_string),
        ),
    ];
    for (field, ok) in checks {
        assert!(ok, "FileVersion.{field} does not fit the schema: {version}");
    }
}

/// `FileVersions`: offset paging fields plus entries of `FileVersion--Full`.
pub fn assert_versions_shape(page: &Value) {
    assert!(page["total_count"].is_u64(), "total_count: {page}");
    assert!(page["limit"].is_u64(), "limit: {page}");
    assert!(page["offset"].is_u64(), "offset: {page}");
    page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .for_each(assert_version_shape);
}

/// `ClientError`, with the keys in the order real bodies use
/// (<https://github.com/box/box-python-sdk-gen/issues/432>).
pub fn assert_error_text_shape(text: &str, status: u16) {
    let body: Value = serde_json::from_str(text).expect("an error body is JSON");
    assert_eq!(body["type"], "error", "{text}");
    assert_eq!(body["status"], status, "{text}");
    for field in ["code", "message", "help_url", "request_id"] {
        assert!(body[field].is_string(), "ClientError.{field}: {text}");
    }
    assert!(
        check_nullable(&body["context_info"], Value::is_object),
        "{text}"
    );
    let order = [
        "\"type\"",
        "\"status\"",
        "\"code\"",
        "\"context_info\"",
        "\"help_url\"",
        "\"message\"",
        "\"request_id\"",
    ];
    // `message` also appears inside `context_info.errors`, before the top-level one.
    let positions: Vec<usize> = order
        .iter()
        .filter_map(|key| {
            if *key == "\"message\"" {
                text.rfind(key)
            } else {
                text.find(key)
            }
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "key order: {text}"
    );
}
