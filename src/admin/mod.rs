//! The emulator's own namespace, `/__admin`: health now; state, fixtures, journal, faults and the
//! clock as they arrive.

use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/__admin/health", get(health))
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}
