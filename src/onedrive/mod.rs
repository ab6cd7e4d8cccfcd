//! The Microsoft Graph (OneDrive) face, under `/v1.0`.

use axum::http::StatusCode;
use axum::Router;

use crate::app::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
}

/// Any path outside the emulator's prefixes: Graph's answer to a wrong version segment.
pub(crate) async fn invalid_version() -> StatusCode {
    StatusCode::BAD_REQUEST
}
