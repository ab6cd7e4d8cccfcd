//! Sharing links: `GET /_share/{token}`, the `webUrl` of a link `createLink` made. It opens the
//! file's current bytes for whoever holds the URL, without a token, while the link's permission
//! lives: once it is deleted or expires on the emulator's clock (or the file is gone or in the
//! trash), the URL is a plain `404`, as a guessed or altered one is. A link to a folder opens
//! nothing here (`404`); `/shares/{id}/driveItem` reads it through the API.

use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;

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
    super::answer(&state, &method, &uri, &headers, serve)
}

fn serve(state: &AppState, uri: &Uri, headers: &HeaderMap) -> Response {
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
