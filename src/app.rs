//! The shared application state and the route table: every URL prefix the emulator serves.

use std::ops::Deref;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::{middleware, Router};
use tower_http::trace::TraceLayer;

use crate::clock::Clock;
use crate::faults::Faults;
use crate::journal::Journal;
use crate::request_id::RequestIds;
use crate::store::{StoreError, VersionStore};
use crate::upload_session::Sessions;
use crate::{admin, box_api, download, onedrive, pipeline};

/// What every handler can reach: one `Arc`, so that the clone each layer and extractor makes
/// per request is a single reference-count bump.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The parts of the emulator's state, reached through `AppState` (which derefs to this).
pub struct Shared {
    pub store: Arc<dyn VersionStore>,
    pub clock: Arc<Clock>,
    pub request_ids: Arc<RequestIds>,
    pub journal: Arc<Journal>,
    pub faults: Arc<Faults>,
    /// Open upload sessions of both faces; not part of the store, so fixtures never carry them.
    pub sessions: Arc<Sessions>,
    /// When set, the `/__admin` routes (but health) want it as the bearer token.
    pub admin_token: Option<Arc<str>>,
}

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }

    /// Empties everything a test can leave behind: the store, the journal, the fault rules and
    /// the upload sessions and the request-id sequence (so a reset server answers like a fresh
    /// one). The clock stays.
    pub fn reset(&self) -> Result<(), StoreError> {
        self.store.reset(None)?;
        self.sessions.clear();
        self.journal.clear();
        self.faults.clear();
        self.request_ids.reset();
        Ok(())
    }
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
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
/// Layers, outermost first: tracing, then `pipeline` (request id, journal, `Date`), so the
/// journal sees the id and the final status of every reply, injected faults included.
pub fn router(state: AppState, max_body: usize) -> Router {
    Router::new()
        .merge(onedrive::router())
        .merge(box_api::router(state.clone()))
        .merge(download::router())
        .merge(admin::router(state.clone()))
        .fallback(onedrive::invalid_version)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            pipeline::pipeline,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Which API a path belongs to, as the route table above splits them; `None` for the emulator's
/// own `/__admin` routes, which take no request id and are not journaled.
pub fn api_of(path: &str) -> Option<&'static str> {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    match first {
        "__admin" => None,
        "2.0" | "api" => Some("box"),
        "_content" => Some("download"),
        // Graph's upload URLs, which carry their own token instead of a bearer.
        "_upload" => Some("graph"),
        // Everything else, wrong version prefixes included, is answered by the Graph face.
        _ => Some("graph"),
    }
}

#[cfg(test)]
mod tests {
    use super::api_of;

    #[test]
    fn paths_map_to_the_api_that_answers_them() {
        for (path, api) in [
            ("/v1.0/me/drive", Some("graph")),
            ("/v2.0/me", Some("graph")),
            ("/2.0/files/1", Some("box")),
            ("/api/2.0/files/content", Some("box")),
            ("/_content/5", Some("download")),
            ("/_upload/AB12", Some("graph")),
            ("/__admin/requests", None),
        ] {
            assert_eq!(api_of(path), api, "{path}");
        }
    }
}
