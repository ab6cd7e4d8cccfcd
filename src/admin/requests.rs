//! `GET /__admin/requests` (filtered by api, method, path_prefix, status, user) and `DELETE`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use super::AdminQuery;
use crate::journal::JournalFilter;
use crate::state::AppState;

pub(crate) async fn list(
    State(state): State<AppState>,
    AdminQuery(filter): AdminQuery<JournalFilter>,
) -> Json<Value> {
    let requests = state.journal.entries(&filter);
    Json(json!({ "total": requests.len(), "requests": requests }))
}

pub(crate) async fn clear(State(state): State<AppState>) -> StatusCode {
    state.journal.clear();
    StatusCode::NO_CONTENT
}
