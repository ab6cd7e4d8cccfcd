//! The Graph face: a client signed in with a bearer token, typed calls below `/v1.0`, and
//! builders for the exact JSON the real service would answer.

use bytes::Bytes;
use chrono::TimeDelta;
use reqwest::StatusCode;
use reqwest::{Method, RequestBuilder};
use restore_mock::content::Content;
use serde_json::{json, Value};

pub use super::reply::Reply;
use super::spawn::TestApp;

pub const TOKEN: &str = "graph-test-token";
/// What `TOKEN` signs in as, on any store: its user id is derived from the token, its drive's
/// from the user's, and items are numbered from the root on. Tests write these out rather than
/// read them from a reply.
pub const ME_ID: &str = "1747366508";
pub const DRIVE_ID: &str = "b!1747366508";
/// `DRIVE_ID` as it appears in an `@odata.context`.
pub const DRIVE_IN_CONTEXT: &str = "b%211747366508";
pub const ROOT_ID: &str = "1000000001";

/// `TOKEN`'s user as Graph shows a person: `{"user": {"email", "id", "displayName"}}`.
pub fn me() -> Value {
    json!({"user": {
        "displayName": "Mock User 1747366508",
        "email": "user1747366508@example.com",
        "id": ME_ID,
    }})
}

/// One emulator and a caller signed in with `TOKEN`.
pub struct Graph {
    pub app: TestApp,
}

impl Graph {
    /// The server's root, e.g. `http://127.0.0.1:41234`.
    pub fn origin(&self) -> String {
        self.app.emulator.uri()
    }

    /// An absolute URL for `path` below `/v1.0`.
    pub fn url(&self, path: &str) -> String {
        self.app.url(&format!("/v1.0{path}"))
    }

    /// A request to `path` below `/v1.0`, with the bearer token.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.app
            .client
            .request(method, self.url(path))
            .bearer_auth(TOKEN)
    }

    /// Sends `request` and reads the reply whole, checking what every Graph reply carries: the
    /// correlation headers, and `application/json` on a body.
    pub async fn send(&self, request: RequestBuilder) -> Reply {
        let reply = super::reply::send(request).await;
        if !reply.bytes.is_empty() {
            assert_eq!(
                reply
                    .headers
                    .get("content-type")
                    .map(|v| v.to_str().unwrap()),
                Some("application/json"),
                "a JSON reply says so"
            );
        }
        assert!(
            reply.headers.contains_key("request-id")
                && reply.headers.contains_key("client-request-id"),
            "correlation headers on every reply"
        );
        reply
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.request(Method::GET, path)).await
    }

    pub async fn put(&self, path: &str, body: &[u8]) -> Reply {
        self.send(self.request(Method::PUT, path).body(body.to_vec()))
            .await
    }

    pub async fn post_json(&self, path: &str, body: Value) -> Reply {
        self.send(self.request(Method::POST, path).json(&body))
            .await
    }

    pub async fn post(&self, path: &str) -> Reply {
        self.send(self.request(Method::POST, path)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(self.request(Method::DELETE, path)).await
    }

    /// `POST {path}` (below `/v1.0`) with `body`, then the whole of `file` in one fragment to the
    /// session's `uploadUrl`, without `Authorization`, as the SDKs send fragments.
    pub async fn upload_in_session(&self, path: &str, body: Value, file: &[u8]) -> Reply {
        let session = self.post_json(path, body).await;
        assert_eq!(session.status, StatusCode::OK, "{path}: {session:?}");
        let url = session.body["uploadUrl"].as_str().unwrap();
        let range = format!("bytes 0-{}/{}", file.len() - 1, file.len());
        let request = (self.app.client.put(url))
            .header("content-range", range)
            .body(file.to_vec());
        self.send(request).await
    }

    /// Uploads `body` to `path` below the root; the reply must be a 200 or 201 driveItem.
    pub async fn upload(&self, path: &str, body: &[u8]) -> Value {
        let reply = self
            .put(&format!("/me/drive/root:{path}:/content"), body)
            .await;
        assert!(
            reply.status == StatusCode::CREATED || reply.status == StatusCode::OK,
            "upload to {path}: {reply:?}"
        );
        reply.body
    }

    pub async fn restore(&self, item: &str, label: &str) {
        let reply = self
            .post(&format!(
                "/me/drive/items/{item}/versions/{label}/restoreVersion"
            ))
            .await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{reply:?}");
    }

    /// The ids of an item's versions, as listed (newest first).
    pub async fn version_ids(&self, item: &str) -> Vec<String> {
        let reply = self.get(&format!("/me/drive/items/{item}/versions")).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
        labels(&reply.body)
    }

    /// GETs an absolute URL without any token, as a client follows a download link.
    pub async fn fetch(&self, url: &str) -> (StatusCode, Bytes) {
        let response = self.app.client.get(url).send().await.unwrap();
        (response.status(), response.bytes().await.unwrap())
    }

    pub async fn drive(&self) -> Value {
        let reply = self.get("/me/drive").await;
        assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
        reply.body
    }

    /// Moves the frozen clock on.
    pub fn advance(&self, seconds: i64) {
        self.app
            .emulator
            .clock()
            .advance(TimeDelta::seconds(seconds));
    }

    /// Asserts that `reply` is Graph's error envelope with this status, code and message, and
    /// that its innerError names `request_id` (the one the server gives the request: they count
    /// up from its first request, so a test that sends one at a time writes it out) and the
    /// clock's date. Without a `client-request-id` of the client's, Graph echoes the request id.
    pub fn assert_error(
        &self,
        reply: &Reply,
        status: u16,
        code: &str,
        message: &str,
        request_id: &str,
    ) {
        assert_eq!(reply.status.as_u16(), status, "{reply:?}");
        assert_eq!(reply.request_id(), request_id, "the request-id header");
        let date = self.app.emulator.clock().now().format("%Y-%m-%dT%H:%M:%S");
        assert_eq!(
            reply.body,
            json!({"error": {
                "code": code,
                "message": message,
                "innerError": {
                    "date": date.to_string(),
                    "request-id": request_id,
                    "client-request-id": request_id,
                },
            }}),
        );
    }
}

/// `NOW` plus `seconds`, as Graph prints dates.
pub fn at(seconds: i64) -> String {
    (super::now() + TimeDelta::seconds(seconds))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// The version ids of a versions collection.
pub fn labels(collection: &Value) -> Vec<String> {
    collection["value"]
        .as_array()
        .expect("a collection")
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

pub fn etag(guid: &str, n: u64) -> String {
    format!("\"{{{guid}}},{n}\"")
}

pub fn ctag(guid: &str, n: u64) -> String {
    format!("\"c:{{{guid}}},{n}\"")
}

/// `file.hashes` for `bytes`. The algorithms themselves are checked against published vectors
/// in `onedrive_upload`.
pub fn hashes(bytes: &[u8]) -> Value {
    let content = Content::new(Bytes::copy_from_slice(bytes));
    json!({
        "quickXorHash": content.quick_xor_base64(),
    })
}

/// What a file's driveItem must be, whole.
pub struct FileItem<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub parent_id: &'a str,
    /// `root` for a file in the root folder.
    pub parent_name: &'a str,
    /// The parent's path below the root: `""` for the root, `"/dir"` for a folder.
    pub parent_path: &'a str,
    pub content: &'a [u8],
    pub mime_type: &'a str,
    /// The eTag and cTag counter.
    pub revision: u64,
    pub guid: &'a str,
    /// Seconds after `NOW`.
    pub created: i64,
    pub modified: i64,
    pub download_url: &'a str,
    /// `webUrl` after `…/Documents`, percent-encoded.
    pub web_path: &'a str,
}

impl FileItem<'_> {
    pub fn json(&self, graph: &Graph, drive_id: &str, me: &Value) -> Value {
        let origin = graph.origin();
        json!({
            "@odata.context": format!(
                "{origin}/v1.0/$metadata#drives('{}')/items/$entity",
                drive_id.replace('!', "%21")
            ),
            "@microsoft.graph.downloadUrl": self.download_url,
            "id": self.id,
            "name": self.name,
            "eTag": etag(self.guid, self.revision),
            "cTag": ctag(self.guid, self.revision),
            "size": self.content.len(),
            "createdDateTime": at(self.created),
            "lastModifiedDateTime": at(self.modified),
            "webUrl": format!("{origin}/personal/{}/Documents{}", me["user"]["id"].as_str().unwrap(), self.web_path),
            "createdBy": me,
            "lastModifiedBy": me,
            "parentReference": {
                "driveId": drive_id,
                "driveType": "business",
                "id": self.parent_id,
                "name": self.parent_name,
                "path": format!("/drives/{drive_id}/root:{}", self.parent_path),
            },
            "file": {"mimeType": self.mime_type, "hashes": hashes(self.content)},
            "fileSystemInfo": {
                "createdDateTime": at(self.created),
                "lastModifiedDateTime": at(self.modified),
            },
        })
    }
}

/// A driveItemVersion as listed: no context, no download URL.
pub fn version_json(label: &str, size: usize, modified: i64, me: &Value) -> Value {
    json!({
        "id": label,
        "lastModifiedBy": me,
        "lastModifiedDateTime": at(modified),
        "size": size,
    })
}
