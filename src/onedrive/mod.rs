//! The Microsoft Graph (OneDrive) face: drives, items and file versions under `/v1.0` (and
//! `/beta` as an alias), shaped as OneDrive for Business answers.
//!
//! - `address`: the path parser (drive roots, item forms, colon paths, operation segments), which
//!   reads a path once into typed values.
//! - `routes`: the dispatcher (admission, then the handler for the operation), its dispatch table
//!   (`routes/table.rs`, which says how to add an operation) and the handlers.
//! - `model`: wire types; `select`: `$select`; `query`: query options; `tags`: eTag/cTag.
//! - `errors`: `GraphError` and the error envelope; `correlation`: request ids.

mod address;
mod correlation;
mod errors;
mod model;
mod query;
mod routes;
mod select;
mod tags;

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::any;
use axum::Router;

use crate::control::journal::{Answered, Api};
use crate::http::origin::Origin;
use crate::state::AppState;
use correlation::Correlation;
use errors::GraphError;

/// Every Graph path goes to one dispatcher: axum's router cannot express Graph's colon paths,
/// and owning the whole prefix means no axum default (404, 405, rejections) answers for Graph.
pub(crate) fn router() -> Router<AppState> {
    // Upload URLs carry their own token, not a bearer: they are not under the API prefixes.
    let mut router =
        Router::new().route("/_upload/{token}", any(routes::sessions::upload_to_session));
    for base in ["/v1.0", "/beta"] {
        // The route tells the dispatcher which prefix it matched, so the path is not split again.
        let dispatch =
            move |State(state): State<AppState>, Origin(origin): Origin, request: Request| {
                routes::dispatch(state, origin, base, request)
            };
        router = router
            .route(base, any(dispatch))
            .route(&format!("{base}/"), any(dispatch))
            .route(&format!("{base}/{{*rest}}"), any(dispatch));
    }
    router
}

/// Any path outside the emulator's prefixes: Graph's answer to a wrong version segment
/// (reference §1), with Graph's correlation headers.
pub(crate) async fn invalid_version(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let answered = Answered::anonymous(Api::Graph, state.request_ids.next());
    let correlation = Correlation::new(answered.request_id, &headers);
    let mut response = GraphError::invalid_version().render(&correlation, state.clock.now());
    answered.mark(&mut response);
    response
}
