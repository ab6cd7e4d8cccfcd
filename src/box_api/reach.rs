//! A collaborator's reach: a file or folder named in the path (or, through `item_space`, in a
//! body), or a comment, task or task assignment on a file, that is not the caller's own but
//! one they collaborate on, or that sits below a folder they collaborate on, is served from its
//! owner's space with the caller acting, as far as their role goes. Beyond it the answer is
//! `403 access_denied_insufficient_permissions`; an item no live collaboration opens stays in
//! nobody's reach but its owner's, so it is `404`.
//!
//! What a request needs is decided by what it does, not by its method (`item_access`), and
//! checked against the one rights table, `BoxRole::allows`
//! (<https://support.box.com/hc/en-us/articles/360044196413-Understanding-Collaborator-Permission-Levels>):
//!
//! - to preview: reading the item, its listing, versions, thumbnails, comments and tasks;
//! - to download: `GET`/`HEAD /files/{id}/content` (any version), and `POST /files/{id}/copy`
//!   and `/folders/{id}/copy`, which only read their source: where the copy goes is checked on
//!   its own (`routes::copy`), so a viewer copies into a folder of their own, the copy theirs,
//!   and a previewer (who may not download) is refused;
//! - to write: every other change, and `OPTIONS /files/{id}/content`, the preflight of a new
//!   version, which asks whether that upload would be taken.
//!
//! `POST /zip_downloads` names its items in the body: each is reached on its own
//! (`item_space`), needing the right to download.

use axum::http::Method;

use super::errors::BoxApiError;
use crate::state::AppState;
use crate::store::sharing::BoxAccess;
use crate::store::{BoxTarget, Face, Grant, ItemId, Space};

/// The space the request's item is in, when it is another user's (the `Caller` extractor takes
/// it from the request's extensions).
#[derive(Debug, Clone)]
pub(crate) struct Reach(pub Space);

/// What a request on a file or folder does to it: its rest of the path after the id (`""`,
/// `"content"`, `"copy"`, …) and its method decide.
fn item_access(rest: &str, method: &Method) -> BoxAccess {
    match (rest, method) {
        ("content", &Method::GET | &Method::HEAD) | ("copy", &Method::POST) => BoxAccess::Download,
        ("content", &Method::OPTIONS) => BoxAccess::Write,
        (_, &Method::GET | &Method::HEAD | &Method::OPTIONS) => BoxAccess::Preview,
        _ => BoxAccess::Write,
    }
}

/// What a path names that a collaboration may open, and what the request needs of it: a file
/// or folder (`/2.0/files/{id}/…`, `/2.0/folders/{id}/…`, and the same under `/api`; folder `0`
/// is always the caller's own) by `item_access`; a task to preview by `GET`, else to write; a
/// comment or task assignment only to preview, as the store lets only a comment's author change
/// it and only the assignee answer an assignment (a viewer may comment, and resolve a task given
/// to them).
fn path_target(path: &str, method: &Method) -> Option<(BoxTarget, BoxAccess)> {
    let path = path.strip_prefix("/api").unwrap_or(path);
    let mut segments = path.strip_prefix("/2.0/")?.splitn(3, '/');
    let (kind, id) = (segments.next()?, segments.next()?.parse::<u64>().ok()?);
    let rest = segments.next().unwrap_or_default();
    let read_or_write = match *method {
        Method::GET | Method::HEAD | Method::OPTIONS => BoxAccess::Preview,
        _ => BoxAccess::Write,
    };
    match kind {
        "files" | "folders" if id != 0 => {
            Some((BoxTarget::Item(ItemId(id)), item_access(rest, method)))
        }
        "tasks" => Some((BoxTarget::Task(id), read_or_write)),
        "comments" => Some((BoxTarget::Comment(id), BoxAccess::Preview)),
        "task_assignments" => Some((BoxTarget::TaskAssignment(id), BoxAccess::Preview)),
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
    let Some((target, access)) = path_target(path, method) else {
        return Ok(None);
    };
    let space = Space::own(Face::Box, grant.user.clone());
    Ok(target_space(state, &space, target, access)?.map(Reach))
}

/// The owner's space for an item the caller does not own but collaborates on; `None` for their
/// own items and items nothing opens to them. An `access` beyond the role is 403.
pub(crate) fn item_space(
    state: &AppState,
    caller: &Space,
    item: ItemId,
    access: BoxAccess,
) -> Result<Option<Space>, BoxApiError> {
    target_space(state, caller, BoxTarget::Item(item), access)
}

/// `item_space` for anything a collaboration may open (`BoxTarget`).
pub(crate) fn target_space(
    state: &AppState,
    caller: &Space,
    target: BoxTarget,
    access: BoxAccess,
) -> Result<Option<Space>, BoxApiError> {
    match state.store.box_reach(&caller.actor, target)? {
        None => Ok(None),
        Some((space, role)) if role.allows(access) => Ok(Some(space)),
        Some(_) => Err(BoxApiError::AccessDeniedInsufficientPermissions),
    }
}

/// `item_space`, or the caller's own space.
pub(crate) fn space_for(
    state: &AppState,
    caller: &Space,
    item: ItemId,
    access: BoxAccess,
) -> Result<Space, BoxApiError> {
    Ok(item_space(state, caller, item, access)?.unwrap_or_else(|| caller.clone()))
}
