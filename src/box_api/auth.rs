//! The face's one middleware: signs the bearer token in, renders any `BoxApiError` into Box's
//! envelope with the request's id, and stamps the headers Box puts on every reply.

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use super::errors::BoxApiError;
use crate::admission::{self, Refusal, Refused, ScopeRules};
use crate::faults::Intercept;
use crate::request_id::RequestId;
use crate::state::AppState;
use crate::store::Face;

static BOX_REQUEST_ID: HeaderName = HeaderName::from_static("box-request-id");

/// Reads need `root_readonly` or `root_readwrite`; uploads, trash, restore and promote need
/// `root_readwrite` (reference §5.10).
const SCOPES: ScopeRules = ScopeRules {
    read: &["root_readonly", "root_readwrite"],
    write: &["root_readwrite"],
};

/// Admits the request (sign-in, scopes, fault rules), runs the handler, renders its error if it
/// failed, and adds `box-request-id` and `cache-control` (reference §5.9). The `Grant` goes into
/// the request for the `Caller` extractor, and into the response for the journal.
pub(crate) async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let request_id = match request.extensions().get::<RequestId>() {
        Some(id) => *id,
        // The app-level layer always sets one; this keeps the face whole without it.
        None => state.request_ids.next(),
    };
    let mut response = match admission::admit(&state, Face::Box, &SCOPES, &request).await {
        Ok(admitted) => {
            request.extensions_mut().insert(admitted.grant.clone());
            let mut response = next.run(request).await;
            if let Some(error) = response.extensions_mut().remove::<BoxApiError>() {
                response = error.render(request_id);
            }
            admitted.mark(&mut response);
            response
        }
        Err(refused) => {
            let mut response = match refused.why {
                Refusal::NoToken | Refusal::UnknownToken => {
                    BoxApiError::Unauthorized.render(request_id)
                }
                Refusal::MissingScope => BoxApiError::InsufficientScope.render(request_id),
                Refusal::Fault(Intercept::Reply(response)) => response,
                Refusal::Fault(Intercept::Error(error)) => {
                    BoxApiError::from(error).render(request_id)
                }
            };
            Refused::mark(refused.grant, &mut response);
            response
        }
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&request_id.hex()) {
        headers.insert(BOX_REQUEST_ID.clone(), value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, no-store"),
    );
    response
}
