//! `POST /__admin/changes/expire-tokens`: every Graph delta token and Box stream position handed
//! out so far becomes too old, so a test can see the resync answer on demand (Graph's
//! `410 resyncRequired`; Box has no such answer and starts the client from the oldest kept
//! event, of which there are then none).

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use super::AdminError;
use crate::state::AppState;

/// Drops the change log's entries; answers the position new changes follow.
pub(crate) async fn expire_tokens(
    State(state): State<AppState>,
) -> Result<Json<Value>, AdminError> {
    state.store.expire_change_tokens()?;
    Ok(Json(
        json!({ "latest_position": state.store.latest_position() }),
    ))
}
