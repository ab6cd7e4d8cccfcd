//! The one app-level middleware every request passes through: it puts the body under the limit
//! (`http::body`, which refuses one declared over it before any of it is read), records the
//! requests a face answered in the journal (and the access log) with their reply, sets `Date`
//! from the emulator's clock, and answers or marks cross-origin requests (`http::cors`).
//!
//! These are one layer rather than four because each axum layer clones the inner service
//! and boxes a future per request; merged, the emulator's bookkeeping costs about as much as a
//! single layer.

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

use crate::http::access_log;
use crate::http::body;
use crate::http::cors;
use crate::http::date;
use crate::state::AppState;

/// The face that answers gives the request its id and marks its reply (`journal::Answered`);
/// the emulator's own `/__admin` replies carry no mark, take no id and are not journaled, so a
/// test that resets and reloads over HTTP sees the same ids as one that started fresh.
///
/// A CORS preflight is answered here, before any face (it carries no token, and is no call of
/// either API): it is in the access log, not in the journal.
pub async fn app_layer(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    body::limit(&mut request, state.max_body);
    let pending = state.journal.start(&request, state.clock.now());
    let logged = access_log::start(&request);
    let cross_origin = state.cors.allowed(&request);
    let mut response = match cross_origin {
        Some(origin) if cors::is_preflight(&request) => cors::preflight(origin, &request),
        Some(origin) => {
            let mut response = next.run(request).await;
            cors::expose(origin, response.headers_mut());
            response
        }
        None => next.run(request).await,
    };
    if let Some(pending) = pending {
        state.journal.finish(pending, &response);
    }
    if let Some(line) = logged {
        line.finish(&response);
    }
    response
        .headers_mut()
        .insert(header::DATE, date::date_header(&state.clock));
    response
}
