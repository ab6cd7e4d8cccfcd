//! The route table: every URL prefix the emulator serves, and the layers around all of them.

use axum::{middleware, Router};
use tower_http::trace::TraceLayer;

use crate::http::app_layer::app_layer;
use crate::state::AppState;
use crate::{admin, box_api, download, entra, onedrive};

/// The whole emulator as one router.
///
/// | prefix | served by |
/// |---|---|
/// | `/v1.0`, `/beta` | Microsoft Graph (`onedrive`) |
/// | `/2.0`, `/api/2.0` | Box API and uploads (`box_api`) |
/// | `/_content` | pre-authenticated download links (`download`) |
/// | `/_share` | sharing links made by Graph's `createLink` (`download::shared`) |
/// | `/_upload` | Graph upload-session URLs (`onedrive`) |
/// | `/_api/v2.0/monitor` | Graph copy monitors (`onedrive::monitor`) |
/// | `/__admin` | the emulator's own control plane (`admin`) |
/// | `/{tenant}/...`, `/common/discovery`, `/metadata/identity`, `/msi` | the Microsoft identity platform and managed identity (`entra`) |
///
/// Anything else is a Graph request with a wrong version prefix, answered as Graph does.
/// Layers, outermost first: tracing, then `http::app_layer` (body limit, journal, access log, `Date`), so the journal sees the
/// final status of every reply, injected faults included.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(onedrive::router())
        .merge(box_api::router(state.clone()))
        .merge(download::router())
        .merge(entra::router())
        .merge(admin::router(state.clone()))
        .fallback(onedrive::invalid_version)
        .layer(middleware::from_fn_with_state(state.clone(), app_layer))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
