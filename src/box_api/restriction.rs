//! A downscoped token kept to its resource: the one file, or the folder and what lies below it,
//! that `POST /oauth2/token`'s token exchange named (`oauth`).

use crate::identity::Resource;
use crate::state::AppState;
use crate::store::{Face, Grant, ItemKind, Space};

/// Whether a request on `path` stays within `resource`. Only routes that name their item in the
/// path can be checked before the handler runs, so the others (new uploads, whose folder is in
/// the body; upload sessions; the trash list) are refused to a restricted token. `users` routes
/// name no item and stay open.
pub(crate) fn within(state: &AppState, grant: &Grant, resource: &Resource, path: &str) -> bool {
    let path = path.strip_prefix("/api").unwrap_or(path);
    let Some(rest) = path.strip_prefix("/2.0/") else {
        return false;
    };
    let mut segments = rest.split('/');
    match (segments.next(), segments.next()) {
        (Some("users"), _) => true,
        (Some("files"), Some(id)) if id != "content" && id != "upload_sessions" => {
            reaches(state, grant, resource, ItemKind::File, id)
        }
        (Some("folders"), Some(id)) if id != "trash" => {
            reaches(state, grant, resource, ItemKind::Folder, id)
        }
        _ => false,
    }
}

/// The resource itself, or (for a folder) an item with the folder above it.
fn reaches(state: &AppState, grant: &Grant, resource: &Resource, kind: ItemKind, id: &str) -> bool {
    if resource.kind == kind && resource.id == id {
        return true;
    }
    if resource.kind == ItemKind::File {
        return false;
    }
    // Folder `0` holds everything but is no item below anything.
    if resource.id == "0" {
        return id != "0";
    }
    let Ok(id) = id.parse() else {
        return false;
    };
    let space = Space::own(Face::Box, grant.user.clone());
    state.store.item(&space, id).is_ok_and(|view| {
        (view.ancestors.iter()).any(|folder| folder.id.to_string() == resource.id)
    })
}
