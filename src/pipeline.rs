//! The one app-level middleware every request passes through: it gives API requests their id,
//! records them in the journal (and the access log) with their reply, and sets `Date` from the
//! emulator's clock.
//!
//! These three are one layer rather than three because each axum layer clones the inner service
//! and boxes a future per request; merged, the emulator's bookkeeping costs about as much as a
//! single layer.

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

use crate::access_log;
use crate::app::{api_of, AppState};

pub async fn pipeline(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    // The emulator's own `/__admin` requests take no request id and are not journaled: a test
    // that resets and reloads over HTTP must then see the same ids as one that started fresh.
    let mut response = match api_of(request.uri().path()) {
        None => next.run(request).await,
        Some(api) => {
            let id = state.request_ids.next();
            request.extensions_mut().insert(id);
            let pending = state.journal.start(api, &request, id, state.clock.now());
            let logged = access_log::start(api, &request, id);
            let response = next.run(request).await;
            if let Some(pending) = pending {
                state.journal.finish(pending, &response);
            }
            if let Some(line) = logged {
                line.finish(&response);
            }
            response
        }
    };
    response
        .headers_mut()
        .insert(header::DATE, state.clock.date_header());
    response
}
