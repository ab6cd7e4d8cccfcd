//! A collaborator's reach: a file or folder named in the path (or, through `item_space`, in a
//! body), or a comment, task or task assignment on a file, that is not the caller's own but
//! one they collaborate on, or that sits below a folder they collaborate on, is served from its
//! owner's space with the caller acting, as far as their role goes (`BoxRole::role`: the viewing roles read, the others write too). Beyond it
//! the answer is `403 access_denied_insufficient_permissions`; an item no live collaboration
//! opens stays in nobody's reach but its owner's, so it is `404`.

use axum::http::Method;

use super::errors::BoxApiError;
use crate::state::AppState;
use crate::store::{BoxTarget, Face, Grant, ItemId, Space};

/// The space the request's item is in, when it is another user's (the `Caller` extractor takes
/// it from the request's extensions).
#[derive(Debug, Clone)]
pub(crate) struct Reach(pub Space);

/// Whether a request with this method changes anything.
pub(crate) fn writes(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// What a path names that a collaboration may open, and whether the request needs a writing
/// role for it: a file or folder (`/2.0/files/{id}/…`, `/2.0/folders/{id}/…`, and the same under
/// `/api`; folder `0` is always the caller's own) by its method; a task by its method; a comment
/// or task assignment with any role, as the store lets only a comment's author change it and
/// only the assignee answer an assignment (a viewer may comment, and resolve a task given to
/// them).
fn path_target(path: &str, method: &Method) -> Option<(BoxTarget, bool)> {
    let path = path.strip_prefix("/api").unwrap_or(path);
    let mut segments = path.strip_prefix("/2.0/")?.split('/');
    let (kind, id) = (segments.next()?, segments.next()?.parse::<u64>().ok()?);
    match kind {
        "files" | "folders" if id != 0 => Some((BoxTarget::Item(ItemId(id)), writes(method))),
        "tasks" => Some((BoxTarget::Task(id), writes(method))),
        "comments" => Some((BoxTarget::Comment(id), false)),
        "task_assignments" => Some((BoxTarget::TaskAssignment(id), false)),
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
    let Some((target, write)) = path_target(path, method) else {
        return Ok(None);
    };
    let space = Space::own(Face::Box, grant.user.clone());
    Ok(target_space(state, &space, target, write)?.map(Reach))
}

/// The owner's space for an item the caller does not own but collaborates on; `None` for their
/// own items and items nothing opens to them. A `write` beyond the role is 403.
pub(crate) fn item_space(
    state: &AppState,
    caller: &Space,
    item: ItemId,
    write: bool,
) -> Result<Option<Space>, BoxApiError> {
    target_space(state, caller, BoxTarget::Item(item), write)
}

/// `item_space` for anything a collaboration may open (`BoxTarget`).
pub(crate) fn target_space(
    state: &AppState,
    caller: &Space,
    target: BoxTarget,
    write: bool,
) -> Result<Option<Space>, BoxApiError> {
    match state.store.box_reach(&caller.actor, target)? {
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
