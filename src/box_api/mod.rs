//! The Box face, under `/2.0` (API) and `/api/2.0` (uploads).

use axum::Router;

use crate::app::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
}
