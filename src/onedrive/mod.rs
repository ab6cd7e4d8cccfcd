//! The Microsoft Graph (OneDrive) face: drives, items and file versions under `/v1.0` (and
//! `/beta` as an alias), shaped as OneDrive for Business answers.
//!
//! - `address`: the path parser (drive roots, item forms, colon paths, operation segments).
//! - `auth`: signing callers in (scopes, fault rules) and writing the correlation headers.
//! - `routes`: the dispatcher and the handlers, by operation.
//! - `model`: wire types; `select`: `$select`; `query`: query options; `tags`: eTag/cTag.
//! - `errors`: `GraphError` and the error envelope; `correlation`: request ids.

mod address;
mod auth;
mod correlation;
mod errors;
mod model;
mod query;
mod routes;
mod select;
mod tags;

use axum::extract::State;
use axum::response::Response;
use axum::routing::any;
use axum::Router;

use crate::app::AppState;
use correlation::Correlation;
use errors::GraphError;

/// Every Graph path goes to one dispatcher: axum's router cannot express Graph's colon paths,
/// and owning the whole prefix means no axum default (404, 405, rejections) answers for Graph.
pub(crate) fn router() -> Router<AppState> {
    // Upload URLs carry their own token, not a bearer: they are not under the API prefixes.
    let mut router =
        Router::new().route("/_upload/{token}", any(routes::sessions::upload_to_session));
    for base in ["/v1.0", "/beta"] {
        router = router
            .route(base, any(routes::dispatch))
            .route(&format!("{base}/"), any(routes::dispatch))
            .route(&format!("{base}/{{*rest}}"), any(routes::dispatch));
    }
    router
}

/// Any path outside the emulator's prefixes: Graph's answer to a wrong version segment
/// (reference §1), with Graph's correlation headers.
pub(crate) async fn invalid_version(
    State(state): State<AppState>,
    correlation: Correlation,
) -> Response {
    GraphError::invalid_version().render(&correlation, state.clock.now())
}
