//! Sharing links: `GET /_share/{token}`, the `webUrl` of a link Graph's `createLink` made and
//! the `url` of a Box shared link (whose `download_url` is `/_share/{token}/download`). It opens
//! the file's current bytes for whoever holds the URL, without a token, while the link lives:
//! once it is deleted or expires on the emulator's clock (or the file is gone or in the trash),
//! the URL is a plain `404`, as a guessed or altered one is. A link to a folder opens nothing
//! here (`404`); `/shares/{id}/driveItem` and Box's `GET /shared_items` read it through the API.
//! A Box link with a password wants it in the `BoxApi` header, as `GET /shared_items` does.

use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;

use crate::box_api::shared_link::url_password;
use crate::state::AppState;
use crate::store::{ItemView, SharingError, StoreError};

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
    super::answer(&state, &method, &uri, &headers, serve).await
}

fn serve(state: &AppState, uri: &Uri, headers: &HeaderMap) -> Response {
    let rest = uri.path().strip_prefix("/_share/").unwrap_or_default();
    let (token, download) = match rest.strip_suffix("/download") {
        Some(token) => (token, true),
        None => (rest, false),
    };
    let Some(permission) = state.links.share_claim(token) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let item = match state.store.linked_item(&permission) {
        Ok((item, _)) if !download => item,
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => match box_item(state, &permission, download, headers) {
            Ok(item) => item,
            Err(status) => return status.into_response(),
        },
    };
    let Some(file) = item.file() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    super::bytes_reply(file.current.content.bytes.clone(), headers)
}

/// The item a Box shared link opens without a token: an `open` link's, with its password in
/// the `BoxApi` header when it has one (`403` without it, as `GET /shared_items` refuses);
/// `download` (its `download_url`) only when the link lets one download (`403` otherwise).
fn box_item(
    state: &AppState,
    link: &str,
    download: bool,
    headers: &HeaderMap,
) -> Result<ItemView, StatusCode> {
    let password = url_password(headers);
    let item = match state.store.shared_item(link, password.as_deref(), None) {
        Ok(item) => item,
        Err(StoreError::Sharing(SharingError::SharedLink(_))) => return Err(StatusCode::FORBIDDEN),
        Err(_) => return Err(StatusCode::NOT_FOUND),
    };
    let can_download = item.shared_link.as_ref().is_some_and(|l| l.can_download);
    if download && !can_download {
        return Err(StatusCode::FORBIDDEN);
    }
    Ok(item)
}
