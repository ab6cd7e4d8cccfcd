//! `GET /__admin/state`, `POST /__admin/fixtures`, `POST /__admin/reset`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{AdminError, AdminJson, AdminQuery};
use crate::fixture::{self, Fixture};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UserFilter {
    user: Option<String>,
}

/// The whole state, or one user's (`?user=ID`), in the fixture format.
pub(crate) async fn export(
    State(state): State<AppState>,
    AdminQuery(filter): AdminQuery<UserFilter>,
) -> Json<Fixture> {
    Json(fixture::export(&*state.store, filter.user.as_deref()))
}

/// Loads a fixture into the running server: all of it, or nothing and a message naming the entry.
pub(crate) async fn load_fixtures(
    State(state): State<AppState>,
    AdminJson(fixture): AdminJson<Fixture>,
) -> Result<Json<Value>, AdminError> {
    fixture::load(&*state.store, &fixture, state.clock.now())?;
    if let Some(keys) = &fixture.box_webhook_keys {
        state.webhook_keys.set(keys.clone());
    }
    let items: usize = fixture.spaces.iter().map(|s| s.items.len()).sum();
    Ok(Json(
        json!({ "loaded": { "users": fixture.users.len(), "spaces": fixture.spaces.len(), "items": items } }),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResetRequest {
    user: Option<String>,
}

/// Empties the server (store, journal, fault rules, request ids), or with `{"user": ID}` removes
/// that user's files only. An empty body (read as `{}`) resets everything.
pub(crate) async fn reset(
    State(state): State<AppState>,
    AdminJson(request): AdminJson<ResetRequest>,
) -> Result<StatusCode, AdminError> {
    match request.user.as_deref() {
        Some(user) => state.store.reset(Some(user))?,
        None => state.reset()?,
    }
    Ok(StatusCode::NO_CONTENT)
}
