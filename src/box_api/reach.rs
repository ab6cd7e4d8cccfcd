//! A collaborator's reach: a file or folder named in the path (or, through `item_space`, in a
//! body) that is not the caller's own but one they collaborate on, or that sits below a folder
//! they collaborate on, is served from its owner's space with the caller acting, as far as
//! their role goes (`BoxRole::role`: the viewing roles read, the others write too). Beyond it
//! the answer is `403 access_denied_insufficient_permissions`; an item no live collaboration
//! opens stays in nobody's reach but its owner's, so it is `404`.

use axum::http::Method;

use super::errors::BoxApiError;
use crate::state::AppState;
use crate::store::{Face, Grant, ItemId, Space};

/// The space the request's item is in, when it is another user's (the `Caller` extractor takes
/// it from the request's extensions).
#[derive(Debug, Clone)]
pub(crate) struct Reach(pub Space);

/// Whether a request with this method changes anything.
pub(crate) fn writes(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The file or folder id a path names (`/2.0/files/{id}/…`, `/2.0/folders/{id}/…`, and the
/// same under `/api`), if any; folder `0` is always the caller's own.
fn path_item(path: &str) -> Option<ItemId> {
    let path = path.strip_prefix("/api").unwrap_or(path);
    let mut segments = path.strip_prefix("/2.0/")?.split('/');
    match (segments.next()?, segments.next()?) {
        ("files" | "folders", id) => id.parse().ok().filter(|id: &ItemId| id.0 != 0),
        _ => None,
    }
}

/// The other user's space a request on `path` reaches, checked against the caller's role.
pub(crate) fn of_path(
    state: &AppState,
    grant: &Grant,
    method: &Method,
    path: &str,
) -> Result<Option<Reach>, BoxApiError> {
    let Some(item) = path_item(path) else {
        return Ok(None);
    };
    let space = Space::own(Face::Box, grant.user.clone());
    Ok(item_space(state, &space, item, writes(method))?.map(Reach))
}

/// The owner's space for an item the caller does not own but collaborates on; `None` for their
/// own items and items nothing opens to them. A `write` beyond the role is 403.
pub(crate) fn item_space(
    state: &AppState,
    caller: &Space,
    item: ItemId,
    write: bool,
) -> Result<Option<Space>, BoxApiError> {
    match state.store.box_reach(&caller.actor, item)? {
        None => Ok(None),
        Some((space, role)) if role.role().allows(write) => Ok(Some(space)),
        Some(_) => Err(BoxApiError::AccessDeniedInsufficientPermissions),
    }
}

/// `item_space`, or the caller's own space.
pub(crate) fn space_for(
    state: &AppState,
    caller: &Space,
    item: ItemId,
    write: bool,
) -> Result<Space, BoxApiError> {
    Ok(item_space(state, caller, item, write)?.unwrap_or_else(|| caller.clone()))
}
