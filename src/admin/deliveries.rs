//! `GET /__admin/deliveries` (every delivery attempt, filtered by `api`, `subscription`,
//! `outcome`, oldest first; with `order=newest` and `limit`, the newest `limit`, newest first), `POST /__admin/deliveries/settle` (`{"timeout_ms": n}`: waits until no delivery is
//! pending), and `GET`/`PUT /__admin/webhook-keys` (the keys Box webhook deliveries are signed
//! with).

use std::time::Duration;

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{AdminError, AdminJson, AdminQuery};
use crate::box_api::webhooks::signature::WebhookKeys;
use crate::state::AppState;

/// The longest one settle call waits: a minute is past any test's patience.
const MAX_SETTLE: Duration = Duration::from_secs(60);
const DEFAULT_SETTLE: Duration = Duration::from_secs(10);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AttemptQuery {
    api: Option<String>,
    subscription: Option<String>,
    outcome: Option<String>,
    order: Option<String>,
    limit: Option<usize>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    AdminQuery(query): AdminQuery<AttemptQuery>,
) -> Result<Json<Value>, AdminError> {
    let keep = |a: &crate::deliver::DeliveryAttempt| {
        query.api.as_deref().is_none_or(|api| api == a.api)
            && query
                .subscription
                .as_deref()
                .is_none_or(|s| s == a.subscription)
            && query.outcome.as_deref().is_none_or(|o| o == a.outcome)
    };
    let attempts = match (query.order.as_deref(), query.limit) {
        (None | Some("oldest"), None) => state.deliveries.attempts(keep),
        (Some("newest"), limit) => state
            .deliveries
            .newest_attempts(limit.unwrap_or(usize::MAX), keep),
        (None | Some("oldest"), Some(_)) => {
            return Err(AdminError::BadRequest(
                "limit goes with order=newest".into(),
            ))
        }
        (Some(other), _) => {
            return Err(AdminError::BadRequest(format!(
                "order must be newest or oldest, not {other:?}"
            )))
        }
    };
    Ok(Json(json!({
        "outstanding": state.deliveries.outstanding(),
        "deliveries": attempts,
    })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SettleRequest {
    timeout_ms: Option<u64>,
}

/// `{"settled": true, "outstanding": 0}` once every change so far is delivered or given up;
/// `{"settled": false, "outstanding": n}` when `timeout_ms` (default 10 s, at most 60 s) ran out.
pub(crate) async fn settle(
    State(state): State<AppState>,
    AdminJson(request): AdminJson<SettleRequest>,
) -> Json<Value> {
    let timeout = request
        .timeout_ms
        .map_or(DEFAULT_SETTLE, Duration::from_millis)
        .min(MAX_SETTLE);
    let settled = state.settle_deliveries(timeout).await;
    Json(json!({
        "settled": settled,
        "outstanding": state.deliveries.outstanding(),
    }))
}

pub(crate) async fn read_keys(State(state): State<AppState>) -> Json<WebhookKeys> {
    Json(state.webhook_keys.get())
}

pub(crate) async fn set_keys(
    State(state): State<AppState>,
    AdminJson(keys): AdminJson<WebhookKeys>,
) -> Result<Json<WebhookKeys>, AdminError> {
    if keys.primary.is_empty() || keys.secondary.is_empty() {
        return Err(AdminError::BadRequest(
            "both keys must be non-empty strings".into(),
        ));
    }
    state.webhook_keys.set(keys);
    Ok(Json(state.webhook_keys.get()))
}
