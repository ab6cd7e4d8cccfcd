//! `GET /__admin/requests` (filtered by api, method, path_prefix, status, user; paged with
//! order, offset, limit) and `DELETE`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::browse::{window, OrderParam};
use super::{AdminError, AdminQuery};
use crate::control::journal::JournalFilter;
use crate::state::AppState;
use crate::store::Window;

/// The journal's filter plus an optional page. Without `order`, `offset` or `limit` the route
/// answers as it always has: every matching entry, oldest first.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct JournalQuery {
    api: Option<String>,
    method: Option<String>,
    path_prefix: Option<String>,
    status: Option<u16>,
    user: Option<String>,
    order: Option<OrderParam>,
    offset: Option<usize>,
    limit: Option<usize>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    AdminQuery(query): AdminQuery<JournalQuery>,
) -> Result<Json<Value>, AdminError> {
    let filter = JournalFilter {
        api: query.api,
        method: query.method,
        path_prefix: query.path_prefix,
        status: query.status,
        user: query.user,
    };
    let paged = query.order.is_some() || query.offset.is_some() || query.limit.is_some();
    if !paged {
        let requests = state.journal.entries(&filter);
        return Ok(Json(
            json!({ "total": requests.len(), "requests": requests }),
        ));
    }
    let window = match query.limit {
        Some(_) => window(query.offset, query.limit)?,
        None => Window {
            offset: query.offset.unwrap_or(0),
            limit: usize::MAX,
        },
    };
    let newest_first = query.order == Some(OrderParam::Newest);
    let page = state.journal.page(&filter, newest_first, window);
    Ok(Json(json!({
        "total": page.total,
        "offset": window.offset,
        "requests": page.entries,
    })))
}

pub(crate) async fn clear(State(state): State<AppState>) -> StatusCode {
    state.journal.clear();
    StatusCode::NO_CONTENT
}
