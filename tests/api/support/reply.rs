//! One reply type for both faces and the admin API: status, headers and body, read whole.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, Response, StatusCode};
use serde_json::Value;

/// A reply, read whole. Destructure what a test looks at:
/// `let Reply { status, body, .. } = send(request).await;`.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Bytes,
    /// The JSON body; `Null` when the body is empty or not JSON (see `bytes`).
    pub body: Value,
}

impl Reply {
    /// Reads `response` whole. A body that says it is JSON must parse.
    pub async fn read(response: Response) -> Self {
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("a body");
        let says_json = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("json"));
        let body = if says_json && !bytes.is_empty() {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
        } else {
            Value::Null
        };
        Self {
            status,
            headers,
            bytes,
            body,
        }
    }

    /// The header's value; panics when it is missing.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header in {self:?}"))
            .to_str()
            .expect("a text header")
    }

    /// Graph's `request-id` header.
    pub fn request_id(&self) -> &str {
        self.header("request-id")
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// Sends and reads the reply whole.
pub async fn send(builder: RequestBuilder) -> Reply {
    Reply::read(builder.send().await.expect("the request is sent")).await
}

/// A reply's status and body, for tests that hold a `Response` already.
pub async fn read_reply(response: Response) -> Reply {
    Reply::read(response).await
}
