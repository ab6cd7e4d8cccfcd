//! The emulator's own namespace, `/__admin`: health, state and fixtures, the request journal,
//! fault rules and the clock, the browser's reads (`browse`) and its page (`ui`). JSON in, JSON
//! out, errors as `{"error": {"code", "message"}}`.
//!
//! Open by default (no `--admin-token`), but not to web pages: `browsers` says what it refuses
//! from them and why.

mod body;
mod browse;
mod browsers;
mod clock;
mod error;
mod faults;
mod requests;
mod state;
mod ui;

use axum::extract::{FromRequestParts, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::http::bearer::bearer_token;
use crate::state::AppState;
pub(crate) use body::AdminJson;
pub use error::AdminError;

pub(crate) fn router(state: AppState) -> Router<AppState> {
    let guarded = Router::new()
        .route("/__admin/state", get(state::export))
        .route("/__admin/fixtures", post(state::load_fixtures))
        .route("/__admin/reset", post(state::reset))
        .route(
            "/__admin/requests",
            get(requests::list).delete(requests::clear),
        )
        .route(
            "/__admin/faults",
            get(faults::list).post(faults::add).delete(faults::clear),
        )
        .route("/__admin/faults/{id}", delete(faults::remove))
        .merge(browse::router())
        .route(
            "/__admin/clock",
            get(clock::read).post(clock::set).delete(clock::resume),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            require_admin_token,
        ));
    let pages_refused = Router::new()
        .merge(ui::router())
        .merge(guarded)
        .route_layer(middleware::from_fn_with_state(
            state,
            browsers::refuse_foreign_pages,
        ));
    Router::new()
        .route("/__admin/health", get(health))
        .merge(pages_refused)
        .route("/__admin", get(not_found))
        .route(
            "/__admin/{*rest}",
            get(not_found)
                .post(not_found)
                .put(not_found)
                .delete(not_found)
                .patch(not_found),
        )
        .method_not_allowed_fallback(method_not_allowed)
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

async fn not_found() -> AdminError {
    AdminError::NotFound
}

async fn method_not_allowed() -> AdminError {
    AdminError::MethodNotAllowed
}

/// With `--admin-token`, every admin route but health wants it as the bearer token.
async fn require_admin_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    match &state.admin_token {
        Some(wanted) if bearer_token(request.headers()) != Some(wanted.as_ref()) => {
            AdminError::Unauthorized.into_response()
        }
        _ => next.run(request).await,
    }
}

/// `Query` whose rejections are admin errors.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AdminError))]
pub(crate) struct AdminQuery<T>(pub T);
