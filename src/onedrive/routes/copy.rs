//! `POST {item}/copy` (<https://learn.microsoft.com/en-us/graph/api/driveitem-copy>): the copy is
//! made at once in one store call, within the item's drive or into another the caller may write,
//! and the reply is `202 Accepted` with a `Location` to a monitor (`onedrive::monitor`) that
//! reports it.
//!
//! What the body may hold, as the SDKs and rclone send it: `parentReference` (`driveId`, `id`,
//! `path`; empty strings, which rclone sends for `path` and `driveType`, count as absent), `name`,
//! `childrenOnly`, `includeAllVersionHistory` (every version, not only the current one), and
//! `fileSystemInfo` (the copy's times). The conflict behaviour is read from the query, else the
//! body (the query wins); its default is `fail`. A name conflict is reported through the monitor,
//! as the service does; every other problem is refused on the `POST` itself.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use serde::Deserialize;

use super::{drives, Call};
use crate::onedrive::address::{DriveRoot, ItemAddress, Owner};
use crate::onedrive::errors::GraphError;
use crate::onedrive::model::FileSystemInfoInput;
use crate::onedrive::monitor::{Outcome, PREFIX};
use crate::onedrive::query::conflict_behavior;
use crate::store::{CopyItem, DriveView, FileTimes, ItemId, OnConflict, Space, StoreError};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CopyBody {
    parent_reference: Option<CopyParent>,
    name: Option<String>,
    children_only: Option<bool>,
    include_all_version_history: Option<bool>,
    file_system_info: Option<FileSystemInfoInput>,
    #[serde(rename = "@microsoft.graph.conflictBehavior")]
    conflict_behavior: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CopyParent {
    drive_id: Option<String>,
    id: Option<String>,
    path: Option<String>,
}

/// `Some` for a value that is there and not empty.
fn given(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

/// `POST {item}/copy`.
pub(super) fn copy_item(
    call: &Call,
    item: &ItemAddress,
    body: &[u8],
) -> Result<Response, GraphError> {
    // The Python SDK posts `{}` at least; an empty body is taken as one too.
    let body: CopyBody = match body.is_empty() {
        true => serde_json::from_slice(b"{}"),
        false => serde_json::from_slice(body),
    }
    .map_err(|_| {
        GraphError::BadRequest(
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.".into(),
        )
    })?;
    let on_conflict = match (call.query.conflict, &body.conflict_behavior) {
        (Some(from_query), _) => from_query,
        (None, Some(value)) => conflict_behavior(value)?,
        (None, None) => OnConflict::Fail,
    };
    let name = given(body.name);
    let source = call.item_view(item)?;
    if source.is_root() {
        return Err(GraphError::InvalidRequest(
            "Cannot copy the root folder.".into(),
        ));
    }
    // The page's own messages for these two (its beta examples).
    if body.children_only == Some(true) {
        if source.file().is_some() {
            return Err(GraphError::InvalidRequest(
                "childrenOnly option is not valid for file items.".into(),
            ));
        }
        if name.is_some() {
            return Err(GraphError::InvalidRequest(
                "Cannot use name parameter alongside childrenOnly.".into(),
            ));
        }
        return Err(GraphError::NotSupported(
            "The emulator does not copy a folder's children alone (childrenOnly).".into(),
        ));
    }
    let (drive, parent) = destination(call, body.parent_reference)?;
    let to = drive
        .as_ref()
        .map_or_else(|| call.space.clone(), |d| d.space(&call.grant.user));
    let copy = CopyItem {
        to: to.clone(),
        parent,
        name,
        on_conflict,
        times: body
            .file_system_info
            .map(FileTimes::from)
            .unwrap_or_default(),
        all_versions: body.include_all_version_history == Some(true),
        keep_times: false,
        kind: None,
        version: None,
    };
    let outcome = match call.store.copy_item(&call.space, source.id, copy) {
        Ok(made) => {
            let drive_id = drive
                .as_ref()
                .map_or_else(|| call.drive.id(), DriveView::id);
            Outcome::Completed {
                resource_id: made.id.to_string(),
                resource_location: format!(
                    "{}{}/drives/{drive_id}/items/{}",
                    call.links.origin, call.links.base, made.id
                ),
            }
        }
        // The service accepts the copy and reports the clash through the monitor (the copy
        // page's example 3).
        Err(StoreError::NameConflict { .. }) => Outcome::Failed {
            code: "nameAlreadyExists",
            message: "Name already exists",
        },
        Err(StoreError::MoveIntoItself) => {
            return Err(GraphError::InvalidRequest(
                "A folder cannot be copied into itself or below.".into(),
            ))
        }
        Err(other) => return Err(other.into()),
    };
    let monitor = call.state.copies.start(outcome);
    let location = format!("{}{PREFIX}/{monitor}", call.links.origin);
    let location = HeaderValue::try_from(location).map_err(|_| GraphError::GeneralException)?;
    Ok((StatusCode::ACCEPTED, [(header::LOCATION, location)]).into_response())
}

/// The drive (when it is not the item's own) and folder (when one is named) a copy goes to.
fn destination(
    call: &Call,
    parent: Option<CopyParent>,
) -> Result<(Option<DriveView>, Option<ItemId>), GraphError> {
    let Some(parent) = parent else {
        return Ok((None, None));
    };
    let drive = match given(parent.drive_id) {
        Some(id) if id != call.drive.id() => {
            let root = DriveRoot {
                owner: Owner::Any,
                drive_id: Some(id),
            };
            let hide = call.hide_unreachable_drives;
            Some(drives::resolve(call.store, call.grant, &root, true, hide)?)
        }
        _ => None,
    };
    let space = drive
        .as_ref()
        .map_or_else(|| call.space.clone(), |d| d.space(&call.grant.user));
    let folder = match (given(parent.id), given(parent.path)) {
        (Some(id), _) => Some(id.parse().map_err(|_| GraphError::ItemNotFound)?),
        (None, Some(path)) => Some(folder_by_path(call, &space, &path)?),
        // A drive alone names its root.
        (None, None) if drive.is_some() => Some(call.store.root_id(&space)?),
        (None, None) => None,
    };
    Ok((drive, folder))
}

/// The folder a `parentReference.path` names, in the forms clients send: `/drive/root:/a/b`
/// (the docs), `/drive/root` and `/drive/items/{id}` (the `onedrive-api` crate), or a path
/// relative to the drive's root, `a/b` (<https://github.com/OneDrive/onedrive-api-docs/issues/762>).
fn folder_by_path(call: &Call, space: &Space, path: &str) -> Result<ItemId, GraphError> {
    let path = percent_decode_str(path).decode_utf8_lossy();
    let segments = |below: &str| -> Vec<String> {
        below
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let root = call.store.root_id(space)?;
    let below = if let Some((_, below)) = path.split_once("root:") {
        below.trim_end_matches(':').to_owned()
    } else if path.ends_with("/root") {
        String::new()
    } else if let Some((_, id)) = path.split_once("/items/") {
        return id.parse().map_err(|_| GraphError::ItemNotFound);
    } else if path.starts_with('/') {
        return Err(GraphError::InvalidRequest(
            format!("The parentReference path {path:?} names no folder.").into(),
        ));
    } else {
        path.into_owned()
    };
    let segments = segments(&below);
    if segments.is_empty() {
        return Ok(root);
    }
    Ok(call.store.resolve(space, root, &segments)?.id)
}
