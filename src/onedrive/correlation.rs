//! Graph's correlation ids: `request-id` (a GUID per request) and `client-request-id` (the
//! client's own id echoed back, or the request id), in every reply's headers and error bodies.

use axum::http::{HeaderMap, HeaderName, HeaderValue};

use crate::http::request_id::RequestId;

const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");

/// One request's correlation ids, as header values (cheap to clone).
#[derive(Debug, Clone)]
pub(crate) struct Correlation {
    request_id: HeaderValue,
    client_request_id: HeaderValue,
}

impl Correlation {
    /// The ids for a request: the `RequestId` admission gave it, printed as a GUID, and the
    /// client's `client-request-id` when it sent a printable one
    /// (<https://learn.microsoft.com/en-us/graph/errors>: "request-id" and "client-request-id").
    pub fn new(id: RequestId, headers: &HeaderMap) -> Self {
        let mut buffer = uuid::Uuid::encode_buffer();
        let printed = id.uuid().hyphenated().encode_lower(&mut buffer);
        let request_id = HeaderValue::from_str(printed).expect("a GUID is a valid header value");
        let client_request_id = headers
            .get(CLIENT_REQUEST_ID)
            .filter(|v| v.to_str().is_ok_and(|s| !s.is_empty()))
            .cloned()
            .unwrap_or_else(|| request_id.clone());
        Self {
            request_id,
            client_request_id,
        }
    }

    pub fn request_id(&self) -> &str {
        self.request_id.to_str().unwrap_or_default()
    }

    pub fn client_request_id(&self) -> &str {
        self.client_request_id.to_str().unwrap_or_default()
    }

    pub fn write_headers(&self, headers: &mut HeaderMap) {
        headers.insert(REQUEST_ID, self.request_id.clone());
        headers.insert(CLIENT_REQUEST_ID, self.client_request_id.clone());
    }
}
