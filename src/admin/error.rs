//! The admin namespace's errors: `{"error": {"code", "message"}}` with a fitting status.

use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::control::faults::FaultSpecError;
use crate::fixture::FixtureError;
use crate::http::body::BodyError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{0}")]
    BadRequest(String),
    #[error("the fixture was refused, nothing of it was applied: {0}")]
    InvalidFixture(#[from] FixtureError),
    #[error("{0}")]
    InvalidFault(#[from] FaultSpecError),
    /// The store could not keep a change (only a store that writes somewhere can fail so).
    #[error("the store failed: {0}")]
    Store(StoreError),
    #[error("the admin routes need the admin token as a bearer token")]
    Unauthorized,
    /// The open admin API answers only to names a DNS-rebinding page cannot use (`browsers`).
    #[error(
        "the admin API does not answer to the host {0:?}, which may be a web page's own name \
         (DNS rebinding); it answers to loopback names, the address it listens on and \
         --public-url; start it with --allowed-host {0} to add this one, or set --admin-token"
    )]
    HostNotAllowed(String),
    #[error("the admin API wants one Host header holding a plain host[:port]")]
    MalformedHost,
    /// A change sent by a page on another origin (`browsers`).
    #[error(
        "the admin API refuses changes sent by a web page on another origin ({0}); send them \
         without an Origin header (curl, scripts, SDKs), or set --admin-token"
    )]
    CrossOrigin(String),
    #[error("no such admin resource")]
    NotFound,
    #[error("no item has this id")]
    ItemNotFound,
    #[error("the item is a folder, which has no versions")]
    NotAFile,
    #[error("the item is a file, which has no children")]
    NotAFolder,
    #[error("the method is not allowed on this admin route")]
    MethodNotAllowed,
    #[error("the request body is larger than the configured limit")]
    PayloadTooLarge,
}

impl AdminError {
    fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) | Self::InvalidFixture(_) | Self::InvalidFault(_) => {
                StatusCode::BAD_REQUEST
            }
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::HostNotAllowed(_) | Self::MalformedHost | Self::CrossOrigin(_) => {
                StatusCode::FORBIDDEN
            }
            Self::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::NotFound | Self::ItemNotFound => StatusCode::NOT_FOUND,
            Self::NotAFile | Self::NotAFolder => StatusCode::BAD_REQUEST,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::InvalidFixture(_) => "invalid_fixture",
            Self::InvalidFault(_) => "invalid_fault",
            Self::Unauthorized => "unauthorized",
            Self::HostNotAllowed(_) => "host_not_allowed",
            Self::MalformedHost => "bad_host",
            Self::CrossOrigin(_) => "cross_origin_refused",
            Self::Store(_) => "store_failed",
            Self::NotFound => "not_found",
            Self::ItemNotFound => "item_not_found",
            Self::NotAFile => "not_a_file",
            Self::NotAFolder => "not_a_folder",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::PayloadTooLarge => "payload_too_large",
        }
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        let body = json!({ "error": { "code": self.code(), "message": self.to_string() } });
        (self.status(), Json(body)).into_response()
    }
}

/// The admin browser's reads (`browse`) fail in the first three ways, which are the caller's
/// doing; anything else is the store failing, as when it cannot keep a reset or a fixture.
impl From<StoreError> for AdminError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::ItemNotFound => Self::ItemNotFound,
            StoreError::NotAFile => Self::NotAFile,
            StoreError::NotAFolder => Self::NotAFolder,
            other => Self::Store(other),
        }
    }
}

impl From<QueryRejection> for AdminError {
    fn from(rejection: QueryRejection) -> Self {
        Self::BadRequest(rejection.body_text())
    }
}

impl From<BodyError> for AdminError {
    fn from(error: BodyError) -> Self {
        match error {
            BodyError::TooLarge => Self::PayloadTooLarge,
            BodyError::Unreadable(message) => Self::BadRequest(message),
        }
    }
}
