//! The Box face: typed calls per endpoint with the test token, multipart bodies, and the
//! expected JSON of Box objects with every date on the frozen clock.

use bytes::Bytes;
use chrono::TimeDelta;
use reqwest::{Method, RequestBuilder, StatusCode};
use restore_mock::content::Content;
use serde_json::{json, Value};

pub use super::box_schema::*;
pub use super::reply::{send, Reply};
use super::spawn::TestApp;

pub const TOKEN: &str = "box-test-token";
/// `NOW` plus `seconds`, as Box prints dates (RFC 3339, whole seconds, `+00:00`).
pub fn at(seconds: i64) -> String {
    (super::now() + TimeDelta::seconds(seconds))
        .format("%Y-%m-%dT%H:%M:%S+00:00")
        .to_string()
}

/// A request with the test token.
pub fn request(app: &TestApp, method: Method, path: &str) -> RequestBuilder {
    app.client.request(method, app.url(path)).bearer_auth(TOKEN)
}

pub async fn get(app: &TestApp, path: &str) -> Reply {
    send(request(app, Method::GET, path)).await
}

pub async fn send_json(app: &TestApp, method: Method, path: &str, body: Value) -> Reply {
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
pub async fn send_upload(app: &TestApp, path: &str, attributes: &str, content: &[u8]) -> Reply {
    let parts = [Part::attributes(attributes), Part::file(content)];
    send(upload_request(app, path, &parts)).await
}

/// Creates folder `name` in folder `parent` and returns it.
pub async fn create_folder(app: &TestApp, parent: &str, name: &str) -> Value {
    let body = json!({"name": name, "parent": {"id": parent}});
    let Reply {
        status,
        body: folder,
        ..
    } = send_json(app, Method::POST, "/2.0/folders", body).await;
    assert_eq!(status, 201, "folder {name}: {folder}");
    folder
}

/// Uploads a new file into folder `parent` and returns it (the single entry of the reply).
pub async fn upload(app: &TestApp, parent: &str, name: &str, content: &[u8]) -> Value {
    let attributes = json!({"name": name, "parent": {"id": parent}}).to_string();
    let Reply { status, body, .. } =
        send_upload(app, "/api/2.0/files/content", &attributes, content).await;
    assert_eq!(status, 201, "upload of {name}: {body}");
    body["entries"][0].clone()
}

/// Uploads a new version of `file_id` and returns the file.
pub async fn upload_version(app: &TestApp, file_id: &str, content: &[u8]) -> Value {
    let path = format!("/api/2.0/files/{file_id}/content");
    let Reply { status, body, .. } = send_upload(app, &path, "{}", content).await;
    assert_eq!(status, 201, "new version of {file_id}: {body}");
    body["entries"][0].clone()
}

/// Previous versions of a file, newest first, as the list endpoint returns them.
pub async fn list_versions(app: &TestApp, file_id: &str) -> Value {
    let Reply { status, body, .. } = get(app, &format!("/2.0/files/{file_id}/versions")).await;
    assert_eq!(status, 200, "{body}");
    body
}

pub fn id(value: &Value) -> &str {
    value["id"].as_str().expect("an id string")
}

pub fn sha1(bytes: &[u8]) -> String {
    Content::new(Bytes::copy_from_slice(bytes))
        .sha1_hex()
        .to_string()
}

/// The test token's user, as Box prints a user mini.
pub fn user(app: &TestApp) -> Value {
    let user = app.emulator.store().sign_in(TOKEN).expect("sign in").user;
    json!({"type": "user", "id": user.id, "name": user.name, "login": user.login})
}

pub fn root_mini() -> Value {
    json!({"type": "folder", "id": "0", "sequence_id": null, "etag": null, "name": "All Files"})
}

/// What a file's JSON must be (https://developer.box.com/reference/resources/file/), with every
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
            "created_at": at(0),
            "modified_at": at(0),
            "trashed_at": null,
            "purged_at": null,
            "content_created_at": at(0),
            "content_modified_at": at(0),
            "created_by": self.user,
            "modified_by": self.user,
            "owned_by": self.user,
            "shared_link": null,
            "parent": self.path.last().cloned().unwrap_or(Value::Null),
            "item_status": "active",
        })
    }
}

/// What a file version's JSON must be (the standard set of
/// https://developer.box.com/reference/resources/file-version/), made at `NOW`.
pub fn version_json(id: &str, name: &str, content: &[u8], user: &Value) -> Value {
    json!({
        "type": "file_version",
        "id": id,
        "sha1": sha1(content),
        "name": name,
        "size": content.len(),
        "created_at": at(0),
        "modified_at": at(0),
        "modified_by": user,
        "trashed_at": null,
        "trashed_by": null,
        "restored_at": null,
        "restored_by": null,
        "purged_at": null,
    })
}

/// Box's 403 for a caller whose role (or lack of one) does not allow what they asked.
pub fn insufficient_permission(request_id: &str) -> Value {
    error_json(
        request_id,
        403,
        "access_denied_insufficient_permissions",
        "Access denied - insufficient permission",
        None,
    )
}

/// The error body Box sends. `request_id` is the one the server gives the request (they count
/// up from the server's first request: a test that sends one request at a time writes it out);
/// its form is checked here.
pub fn error_json(
    request_id: &str,
    status: u16,
    code: &str,
    message: &str,
    context: Option<Value>,
) -> Value {
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

pub fn not_found(request_id: &str) -> Value {
    error_json(request_id, 404, "not_found", "Not Found", None)
}

/// Asserts Box's whole 404 (status and envelope): what a missing item, or one the caller may
/// not know of, answers.
pub fn assert_not_found(reply: &Reply) {
    assert_eq!(reply.status, 404, "{}", reply.body);
    let request_id = reply.body["request_id"].as_str().unwrap_or_default();
    assert_eq!(reply.body, not_found(request_id));
}

pub fn bad_request(request_id: &str, reason: &str, name: &str, message: &str) -> Value {
    error_json(
        request_id,
        400,
        "bad_request",
        "Bad Request",
        Some(json!({"errors": [{"reason": reason, "name": name, "message": message}]})),
    )
}

/// Loads `fixture` into a fresh server and checks it is refused whole: `400 invalid_fixture`
/// whose message names `entry` (the item the bad part sits on), and nothing applied.
pub async fn assert_fixture_refused(case: &str, fixture: Value, entry: &str) {
    let app = super::spawn().start().await;
    let reply = send(app.client.post(app.url("/__admin/fixtures")).json(&fixture)).await;
    let state = send(app.client.get(app.url("/__admin/state"))).await.body;
    assert_eq!(reply.status, 400, "{case}: {}", reply.body);
    assert_eq!(reply.body["error"]["code"], "invalid_fixture", "{case}");
    let message = reply.body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(entry),
        "{case}: {message:?} should name {entry}"
    );
    assert_eq!(state, json!({}), "{case}: nothing may be applied");
}

/// Sends a request a table of refusals expects refused (`body` `null`: none) and checks its
/// whole error: a 404 is Box's plain `not_found`; a 400 naming `parameter` (`(name, message)`,
/// an empty message for a missing one, Box's `'name' is required`) is `bad_request` with that
/// parameter; anything else is checked for the envelope's shape. The reply is returned for
/// checks of its own.
pub async fn assert_refused(
    case: &str,
    builder: RequestBuilder,
    body: Value,
    status: StatusCode,
    parameter: Option<(&str, &str)>,
) -> Reply {
    let builder = match body {
        Value::Null => builder,
        body => builder.json(&body),
    };
    let reply = send(builder).await;
    assert_eq!(reply.status, status, "{case}: {}", reply.body);
    let request_id = reply.body["request_id"].as_str().expect(case);
    let expected = match (status, parameter) {
        (StatusCode::NOT_FOUND, _) => not_found(request_id),
        (_, Some((name, ""))) => {
            let message = format!("'{name}' is required");
            bad_request(request_id, "missing_parameter", name, &message)
        }
        (_, Some((name, message))) => bad_request(request_id, "invalid_parameter", name, message),
        (_, None) => {
            assert_error_text_shape(&reply.text(), status.as_u16());
            return reply;
        }
    };
    assert_eq!(reply.body, expected, "{case}");
    reply
}

/// A name taken in the folder: `conflicts` is one file mini for a file, a list for a folder
/// (https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/).
pub fn name_in_use(request_id: &str, conflicts: Value) -> Value {
    error_json(
        request_id,
        409,
        "item_name_in_use",
        "Item with the same name already exists",
        Some(json!({ "conflicts": conflicts })),
    )
}

/// A stale `If-Match`, on any route that takes one.
pub fn precondition_failed(request_id: &str) -> Value {
    error_json(
        request_id,
        412,
        "precondition_failed",
        "The resource has been modified. Retrieve the resource again and retry",
        None,
    )
}

pub fn method_not_allowed(request_id: &str) -> Value {
    error_json(
        request_id,
        405,
        "method_not_allowed",
        "Method Not Allowed",
        None,
    )
}
