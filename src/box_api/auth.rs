//! The face's one middleware: signs the bearer token in, renders any `BoxApiError` into Box's
//! envelope with the request's id, and stamps the headers Box puts on every reply.

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use super::errors::BoxApiError;
use crate::app::AppState;
use crate::bearer::bearer_token;
use crate::request_id::RequestId;

static BOX_REQUEST_ID: HeaderName = HeaderName::from_static("box-request-id");

/// Signs in, runs the handler, renders its error if it failed, and adds `box-request-id` and
/// `cache-control` (reference §5.9). The `Grant` goes into the request for the `Caller`
/// extractor, and into the response for whoever journals requests.
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
            request.extensions_mut().insert(grant.clone());
            let mut response = next.run(request).await;
            if let Some(error) = response.extensions_mut().remove::<BoxApiError>() {
                response = error.render(request_id);
            }
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
