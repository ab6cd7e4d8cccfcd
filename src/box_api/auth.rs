//! The face's one middleware: signs the bearer token in, renders any `BoxApiError` into Box's
//! envelope with the request's id, and stamps the headers Box puts on every reply.

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

use super::errors::BoxApiError;
use crate::app::AppState;
use crate::bearer::bearer_token;
use crate::faults::Intercept;
use crate::request_id::RequestId;
use crate::store::Face;

static BOX_REQUEST_ID: HeaderName = HeaderName::from_static("box-request-id");

/// Scopes that allow reads; writes (uploads, trash, restore, promote) need `root_readwrite`
/// (reference §5.10).
const READ_SCOPES: [&str; 2] = ["root_readonly", "root_readwrite"];
const WRITE_SCOPES: [&str; 1] = ["root_readwrite"];

/// Signs in, checks the token's scopes, consults the fault rules, runs the handler, renders its
/// error if it failed, and adds `box-request-id` and `cache-control` (reference §5.9). The
/// `Grant` goes into the request for the `Caller` extractor, and into the response for the
/// journal. Every Box write is a method other than GET, HEAD and OPTIONS, so the method says which
/// scope a request needs. Faults are decided before the handler runs, so an injected error never
/// leaves a half-applied change.
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
    let grant = bearer_token(request.headers())
        .ok_or(BoxApiError::Unauthorized)
        .and_then(|token| state.store.sign_in(token).map_err(BoxApiError::from));
    let mut response = match grant {
        Ok(grant) => {
            let reads = matches!(
                *request.method(),
                Method::GET | Method::HEAD | Method::OPTIONS
            );
            let wanted: &[&str] = if reads { &READ_SCOPES } else { &WRITE_SCOPES };
            let mut response = if !grant.has_any_scope(wanted) {
                BoxApiError::InsufficientScope.render(request_id)
            } else {
                let (method, path) = (request.method().as_str(), request.uri().path());
                match state
                    .faults
                    .intercept(Face::Box, method, path, &grant.user.id)
                    .await
                {
                    None => {
                        request.extensions_mut().insert(grant.clone());
                        let mut response = next.run(request).await;
                        if let Some(error) = response.extensions_mut().remove::<BoxApiError>() {
                            response = error.render(request_id);
                        }
                        response
                    }
                    Some(Intercept::Reply(response)) => response,
                    Some(Intercept::Error(error)) => BoxApiError::from(error).render(request_id),
                }
            };
            response.extensions_mut().insert(grant);
            response
        }
        Err(error) => error.render(request_id),
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
