//! The one app-level middleware every request passes through: it refuses a body declared over
//! the limit before any of it is read, records the requests a face answered in the journal (and
//! the access log) with their reply, and sets `Date` from the emulator's clock.
//!
//! These three are one layer rather than three because each axum layer clones the inner service
//! and boxes a future per request; merged, the emulator's bookkeeping costs about as much as a
//! single layer.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::{Full, Limited};

use crate::http::access_log;
use crate::http::date;
use crate::state::AppState;

/// The face that answers gives the request its id and marks its reply (`journal::Answered`);
/// the emulator's own `/__admin` replies carry no mark, take no id and are not journaled, so a
/// test that resets and reloads over HTTP sees the same ids as one that started fresh.
pub async fn app_layer(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if declared_over(&request, state.max_body) {
        // The face reads the body as usual and meets the limit's error at once, which it
        // answers with its own 413; the client need not send a byte of the body first.
        *request.body_mut() = Body::new(Limited::new(Full::new(Bytes::from_static(b" ")), 0));
    }
    let pending = state.journal.start(&request, state.clock.now());
    let logged = access_log::start(&request);
    let mut response = next.run(request).await;
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

/// Whether the request's `Content-Length` is over `limit`.
fn declared_over(request: &Request, limit: usize) -> bool {
    request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok())
        .is_some_and(|length| length > limit as u64)
}
