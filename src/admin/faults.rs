//! `POST /__admin/faults` adds a rule, `GET` lists rules with how often each fired, `DELETE`
//! removes all of them or one (`/__admin/faults/{id}`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use super::{AdminError, AdminJson};
use crate::control::faults::{FaultRule, FaultSpec};
use crate::state::AppState;

pub(crate) async fn add(
    State(state): State<AppState>,
    AdminJson(spec): AdminJson<FaultSpec>,
) -> Result<(StatusCode, Json<FaultRule>), AdminError> {
    Ok((StatusCode::CREATED, Json(state.faults.add(spec)?)))
}

pub(crate) async fn list(State(state): State<AppState>) -> Json<Value> {
    Json(json!({ "faults": state.faults.list() }))
}

pub(crate) async fn clear(State(state): State<AppState>) -> StatusCode {
    state.faults.clear();
    StatusCode::NO_CONTENT
}

pub(crate) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, AdminError> {
    let id: u64 = id.parse().map_err(|_| AdminError::NotFound)?;
    if state.faults.remove(id) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AdminError::NotFound)
    }
}
