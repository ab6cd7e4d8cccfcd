//! File content: upload (`PUT …/content`, a new file or a new version) and download (a `302` to
//! a pre-authenticated link, as the real service answers).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{json, redirect, Call};
use crate::onedrive::address::ItemAddress;
use crate::onedrive::errors::GraphError;
use crate::onedrive::model::DriveItem;
use crate::onedrive::tags;
use crate::store::content::Content;
use crate::store::{WriteFile, WriteTarget};

/// `GET {item}/content`: a `302` whose `Location` is the item's `@microsoft.graph.downloadUrl`;
/// `304` with no body when `If-None-Match` names its current eTag or cTag.
pub(super) fn download(call: &Call, item: &ItemAddress) -> Result<Response, GraphError> {
    let view = call.item_view(item)?;
    // A folder has no content stream: not found, as versions of a folder are.
    let file = view.file().ok_or(GraphError::ItemNotFound)?;
    if tags::none_match(call.headers, view.tags()) {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    redirect(call.links.redirect_url(&file.current))
}

/// `PUT {item}/content` or `PUT {parent}:/{path}:/content`: `201` with the new item, or `200`
/// when it added a version to an existing file. Missing parent folders are made on the way, as
/// the Python SDK uploads to `root:/folder/file:` without creating the folder first.
pub(super) fn upload(
    call: &Call,
    item: &ItemAddress,
    content: Content,
) -> Result<Response, GraphError> {
    let base = call.base_id(&item.base)?;
    let target = if item.path.is_empty() {
        WriteTarget::Item(base)
    } else {
        WriteTarget::Path {
            base,
            segments: item.path.clone(),
            // PUT replaces by default
            // (https://learn.microsoft.com/en-us/graph/api/driveitem-put-content).
            on_conflict: call.query.conflict.unwrap_or_default(),
            create_parents: true,
        }
    };
    let write = WriteFile {
        target,
        // Hashed by the dispatcher, outside the store's lock.
        content,
        // OneDrive infers the type from the name, whatever Content-Type the client sent.
        mime_type: None,
        rename: None,
        content_created_at: None,
        content_modified_at: None,
    };
    let precondition = tags::if_match(call.headers)?;
    let written = call.store.write_file(&call.space, write, precondition)?;
    call.touch(written.item.id);
    let status = if written.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    json(
        status,
        &DriveItem::new(&written.item, &call.links, true),
        &call.query,
    )
}
