//! The admin namespace's errors: `{"error": {"code", "message"}}` with a fitting status.

use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::faults::FaultSpecError;
use crate::fixture::FixtureError;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{0}")]
    BadRequest(String),
    #[error("the fixture was refused, nothing of it was applied: {0}")]
    InvalidFixture(#[from] FixtureError),
    #[error("{0}")]
    InvalidFault(#[from] FaultSpecError),
    #[error("the admin routes need the admin token as a bearer token")]
    Unauthorized,
    #[error("no such admin resource")]
    NotFound,
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
            Self::NotFound => StatusCode::NOT_FOUND,
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
            Self::NotFound => "not_found",
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

impl From<QueryRejection> for AdminError {
    fn from(rejection: QueryRejection) -> Self {
        Self::BadRequest(rejection.body_text())
    }
}

impl From<BytesRejection> for AdminError {
    fn from(rejection: BytesRejection) -> Self {
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            _ => Self::BadRequest(rejection.body_text()),
        }
    }
}
