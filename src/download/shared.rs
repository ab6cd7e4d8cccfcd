//! Sharing links: `GET /_share/{token}`, the `webUrl` of a link `createLink` made. It opens the
//! file's current bytes for whoever holds the URL, without a token, while the link's permission
//! lives: once it is deleted or expires on the emulator's clock (or the file is gone or in the
//! trash), the URL is a plain `404`, as a guessed or altered one is. A link to a folder opens
//! nothing here (`404`); `/shares/{id}/driveItem` reads it through the API.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;

use crate::control::journal::{Answered, Api};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/_share", any(open))
        .route("/_share/", any(open))
        .route("/_share/{*rest}", any(open))
}

async fn open(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let answered = Answered::anonymous(Api::Download, state.request_ids.next());
    let mut response = serve(&state, &method, &uri, &headers);
    answered.mark(&mut response);
    response
}

fn serve(state: &AppState, method: &Method, uri: &Uri, headers: &HeaderMap) -> Response {
    if *method != Method::GET && *method != Method::HEAD {
        let allow = [(header::ALLOW, HeaderValue::from_static("GET,HEAD"))];
        return (StatusCode::METHOD_NOT_ALLOWED, allow).into_response();
    }
    let token = uri.path().strip_prefix("/_share/").unwrap_or_default();
    let Some(permission) = state.links.share_claim(token) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok((item, _)) = state.store.linked_item(&permission) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(file) = item.file() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    super::bytes_reply(file.current.content.bytes.clone(), headers)
}
