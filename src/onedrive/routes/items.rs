//! Drives and items: get the drive, get or delete an item, list children, create a folder.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::{json, json_collection, no_content, Call};
use crate::onedrive::address::ItemAddress;
use crate::onedrive::errors::GraphError;
use crate::onedrive::model::{Collection, Drive, DriveItem};
use crate::onedrive::query::conflict_behavior;
use crate::onedrive::tags;
use crate::store::{NewFolder, OnConflict};

/// Children per page when `$top` is absent, as the real service pages (reference §8).
const CHILDREN_PAGE: usize = 200;

/// `GET /me/drive`: the SDK's first call, to learn the drive id.
pub(super) fn get_drive(call: &Call) -> Result<Response, GraphError> {
    let root = call.store.root(&call.space)?;
    json(StatusCode::OK, &Drive::new(&root, &call.links), &call.query)
}

pub(super) fn get_item(call: &Call, item: &ItemAddress) -> Result<Response, GraphError> {
    let view = call.item_view(item)?;
    json(
        StatusCode::OK,
        &DriveItem::new(&view, &call.links, true),
        &call.query,
    )
}

/// `DELETE {item}`: the item and everything below it, honouring `If-Match`.
pub(super) fn delete_item(call: &Call, item: &ItemAddress) -> Result<Response, GraphError> {
    let id = call.item_id(item)?;
    let precondition = tags::if_match(call.headers)?;
    call.store.delete_item(&call.space, id, precondition)?;
    Ok(no_content())
}

pub(super) fn list_children(call: &Call, item: &ItemAddress) -> Result<Response, GraphError> {
    let id = call.item_id(item)?;
    let window = call.window(CHILDREN_PAGE);
    let listing = call.store.children(&call.space, id, window)?;
    let body = Collection {
        context: call.links.children_context(id),
        value: listing
            .entries
            .iter()
            .map(|child| DriveItem::new(child, &call.links, false))
            .collect(),
        next_link: call.next_link(window, listing.entries.len(), listing.total),
    };
    json_collection(&body, &call.query)
}

/// The body of `POST {item}/children`. Other properties (`@odata.type`, which the Python SDK
/// sends) are ignored.
#[derive(Deserialize)]
struct NewFolderBody {
    name: Option<String>,
    folder: Option<serde_json::Value>,
    file: Option<serde_json::Value>,
    #[serde(rename = "@microsoft.graph.conflictBehavior")]
    conflict_behavior: Option<String>,
}

/// `POST {item}/children` with a folder facet. Conflicts fail unless the body says otherwise
/// (reference §3).
pub(super) fn create_folder(
    call: &Call,
    item: &ItemAddress,
    body: &[u8],
) -> Result<Response, GraphError> {
    let body: NewFolderBody = serde_json::from_slice(body).map_err(|_| {
        // Graph's message for a body that is not the JSON it expects.
        GraphError::BadRequest(
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.".into(),
        )
    })?;
    let Some(name) = body.name else {
        return Err(GraphError::InvalidRequest(
            "The property 'name' is required.".into(),
        ));
    };
    if body.folder.is_none() || body.file.is_some() {
        return Err(GraphError::InvalidRequest(
            "Either 'folder' or 'file' must be provided, but not both; only folders can be created this way.".into(),
        ));
    }
    let on_conflict = match (&body.conflict_behavior, call.query.conflict) {
        (Some(value), _) => conflict_behavior(value)?,
        (None, Some(from_query)) => from_query,
        (None, None) => OnConflict::Fail,
    };
    let parent = call.item_id(item)?;
    let folder = call.store.create_folder(
        &call.space,
        NewFolder {
            parent,
            name,
            on_conflict,
        },
    )?;
    json(
        StatusCode::CREATED,
        &DriveItem::new(&folder, &call.links, true),
        &call.query,
    )
}
