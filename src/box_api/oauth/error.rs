//! The token endpoints' errors: OAuth's shape (`{"error", "error_description"}`, RFC 6749 §5.2),
//! not Box's API envelope, as real Box answers them (`400`, `Cache-Control: no-store`).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// One refusal of a token, revoke or authorize request. Every variant is Box's `400`: real Box
/// answers even bad client credentials so, not with RFC 6749's `401`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum OAuthError {
    #[error("{0}")]
    InvalidRequest(&'static str),
    /// Wrong or missing client id or secret.
    #[error("The client credentials are invalid")]
    InvalidClient,
    #[error("{0}")]
    InvalidGrant(&'static str),
    #[error("{0}")]
    UnauthorizedClient(&'static str),
    #[error("Invalid grant_type parameter or parameter missing")]
    UnsupportedGrantType,
    #[error("The requested scope is invalid")]
    InvalidScope,
    #[error("The response type is not supported")]
    UnsupportedResponseType,
}

impl OAuthError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidRequest(_) => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant(_) => "invalid_grant",
            Self::UnauthorizedClient(_) => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope => "invalid_scope",
            Self::UnsupportedResponseType => "unsupported_response_type",
        }
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = json!({"error": self.code(), "error_description": self.to_string()});
        let mut response = (StatusCode::BAD_REQUEST, Json(body)).into_response();
        no_store(&mut response);
        response
    }
}

/// Token replies must not be cached (RFC 6749 §5.1), and Box's errors say so too.
pub(crate) fn no_store(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}
