//! The shared application state and the route table: every URL prefix the emulator serves.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::{middleware, Router};
use tower_http::trace::TraceLayer;

use crate::clock::Clock;
use crate::request_id::{self, RequestIds};
use crate::store::VersionStore;
use crate::{admin, box_api, download, onedrive};

/// What every handler can reach. Cheap to clone: everything is behind an `Arc`.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn VersionStore>,
    pub clock: Arc<Clock>,
    pub request_ids: Arc<RequestIds>,
}

/// The whole emulator as one router.
///
/// | prefix | served by |
/// |---|---|
/// | `/v1.0`, `/beta` | Microsoft Graph (`onedrive`) |
/// | `/2.0`, `/api/2.0` | Box API and uploads (`box_api`) |
/// | `/_content` | pre-authenticated download links (`download`) |
/// | `/__admin` | the emulator's own control plane (`admin`) |
///
/// Anything else is a Graph request with a wrong version prefix, answered as Graph does.
pub fn router(state: AppState, max_body: usize) -> Router {
    Router::new()
        .merge(onedrive::router())
        .merge(box_api::router(state.clone()))
        .merge(download::router())
        .merge(admin::router())
        .fallback(onedrive::invalid_version)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            request_id::assign,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
