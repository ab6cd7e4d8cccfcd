//! Items: get (with `$expand` of children and thumbnails), rename, move or delete an item, list
//! children (ordered, filtered, with thumbnails), create a folder.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use serde::{Deserialize, Serialize};

use super::{json, json_collection, no_content, thumbnails, Call};
use crate::onedrive::address::ItemAddress;
use crate::onedrive::children_options::{self, ChildFilter, Expand};
use crate::onedrive::errors::GraphError;
use crate::onedrive::model::{Collection, DriveItem, FileSystemInfoInput};
use crate::onedrive::query::conflict_behavior;
use crate::onedrive::tags;
use crate::store::{
    FileTimes, ItemId, ItemView, Listing, MoveItem, NewFolder, OnConflict, StoreError, Window,
};

/// Children per page when `$top` is absent, as the real service pages
/// (<https://learn.microsoft.com/en-us/graph/api/driveitem-list-children>).
const CHILDREN_PAGE: usize = 200;

/// `GET {item}`; `304` with no body when `If-None-Match` names its current eTag or cTag.
pub(super) fn get_item(call: &Call, item: &ItemAddress) -> Result<Response, GraphError> {
    let view = call.item_view(item)?;
    if tags::none_match(call.headers, view.tags()) {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    let expand = Expand::parse(call.raw_query);
    let mut item = DriveItem::new(&view, &call.links, true);
    super::sharing::add_facets(call, &view, &mut item)?;
    if expand == Expand::default() {
        return json(StatusCode::OK, &item, &call.query);
    }
    // The first page of children, with a link to the next as the children list pages
    // (<https://learn.microsoft.com/en-us/graph/api/driveitem-get>, `$expand=children`).
    let window = Window {
        offset: 0,
        limit: CHILDREN_PAGE,
    };
    let children = match (expand.children, view.file()) {
        (true, None) => Some(call.store.children(&call.space, view.id, window)?),
        _ => None,
    };
    let body = Expanded {
        thumbnails: expand.thumbnails.then(|| thumbnails::expanded(call, &view)),
        children_next: children.as_ref().and_then(|listing| {
            (listing.total > listing.entries.len()).then(|| {
                format!(
                    "{}{}/drives/{}/items/{}/children?$skiptoken={}",
                    call.links.origin,
                    call.links.base,
                    call.links.drive.id,
                    view.id,
                    listing.entries.len()
                )
            })
        }),
        children: children.as_ref().map(|listing| {
            (listing.entries.iter())
                .map(|child| DriveItem::new(child, &call.links, false))
                .collect()
        }),
        item,
    };
    json(StatusCode::OK, &body, &call.query)
}

/// An item with the relationships `$expand` asked for.
#[derive(Serialize)]
struct Expanded<'a> {
    #[serde(flatten)]
    item: DriveItem<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    children: Option<Vec<DriveItem<'a>>>,
    #[serde(
        rename = "children@odata.nextLink",
        skip_serializing_if = "Option::is_none"
    )]
    children_next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    thumbnails: Option<serde_json::Value>,
}

/// `DELETE {item}`: the item and everything below it, honouring `If-Match`.
pub(super) fn delete_item(call: &Call, item: &ItemAddress) -> Result<Response, GraphError> {
    let id = call.item_id(item)?;
    let precondition = tags::if_match(call.headers)?;
    call.store.delete_item(&call.space, id, precondition)?;
    Ok(no_content())
}

/// `GET {item}/children`, with `$orderby`, `$filter` and `$expand=thumbnails` as
/// `children_options` reads them.
pub(super) fn list_children(call: &Call, item: &ItemAddress) -> Result<Response, GraphError> {
    let order = children_options::order(call.raw_query)?;
    let filter = ChildFilter::parse(call.raw_query)?;
    let expand = Expand::parse(call.raw_query);
    let id = call.item_id(item)?;
    let window = call.window(CHILDREN_PAGE);
    let listing = match (filter, order) {
        (None, None) => call.store.children(&call.space, id, window)?,
        (None, Some(order)) => call
            .store
            .ordered_children(&call.space, id, order, window)?,
        // A filter keeps what it keeps of the whole folder, then the page is cut from that.
        (Some(filter), order) => {
            let everything = Window {
                offset: 0,
                limit: usize::MAX,
            };
            let all = match order {
                None => call.store.children(&call.space, id, everything)?,
                Some(order) => call
                    .store
                    .ordered_children(&call.space, id, order, everything)?,
            };
            let kept: Vec<ItemView> = (all.entries.into_iter())
                .filter(|child| filter.keeps(child))
                .collect();
            Listing {
                total: kept.len(),
                entries: window.page(kept.into_iter()).collect(),
            }
        }
    };
    let body = Collection {
        context: call.links.children_context(id),
        value: listing
            .entries
            .iter()
            .map(|child| Expanded {
                item: DriveItem::new(child, &call.links, false),
                children: None,
                children_next: None,
                thumbnails: expand.thumbnails.then(|| thumbnails::expanded(call, child)),
            })
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
    /// `@name.conflictBehavior` is the legacy spelling rclone still sends when it makes a
    /// folder (`backend/onedrive/api/types.go`, `CreateItemRequest`).
    #[serde(
        rename = "@microsoft.graph.conflictBehavior",
        alias = "@name.conflictBehavior"
    )]
    conflict_behavior: Option<String>,
}

/// `POST {item}/children` with a folder facet. Conflicts fail unless the body or the query says
/// otherwise (<https://learn.microsoft.com/en-us/graph/api/driveitem-post-children>): `rename`
/// makes `name 1`, `replace` answers `200` with the folder already there, untouched (as the
/// service did in <https://github.com/OneDrive/onedrive-api-docs/issues/1702>).
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
    let made = call.store.create_folder(
        &call.space,
        NewFolder {
            parent,
            name,
            on_conflict,
        },
    );
    let (status, folder) = match made {
        Ok(folder) => (StatusCode::CREATED, folder),
        // The store never replaces a folder; the one in the way is the answer.
        Err(StoreError::NameConflict { existing })
            if on_conflict == OnConflict::Replace && existing.file().is_none() =>
        {
            (StatusCode::OK, *existing)
        }
        Err(other) => return Err(other.into()),
    };
    json(
        status,
        &DriveItem::new(&folder, &call.links, true),
        &call.query,
    )
}

/// The body of `PATCH {item}`: what may change. Other properties (`@odata.type`, `description`,
/// facets) are not emulated and ignored.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateBody {
    name: Option<String>,
    parent_reference: Option<ParentReference>,
    #[serde(rename = "@microsoft.graph.conflictBehavior")]
    conflict_behavior: Option<String>,
    /// A file's own times; a folder's are accepted and left as they are.
    #[serde(default)]
    file_system_info: Option<FileSystemInfoInput>,
}

#[derive(Deserialize)]
struct ParentReference {
    id: Option<String>,
    /// `/drive/root:/a/b` or `/drives/{id}/root:/a/b`: a folder below the drive's root.
    path: Option<String>,
}

/// `PATCH {item}`: rename (`name`), move (`parentReference.id` or `.path`), a file's times
/// (`fileSystemInfo`), or any of them together, honouring `If-Match`. The item keeps its id and versions; its eTag changes, its cTag does not (no
/// content changed). A taken name is `409 nameAlreadyExists` unless the conflict behaviour is
/// `rename`; `replace` is refused the same way, as a move never deletes what it lands on.
pub(super) fn update_item(
    call: &Call,
    item: &ItemAddress,
    body: &[u8],
) -> Result<Response, GraphError> {
    let body: UpdateBody = serde_json::from_slice(body).map_err(|_| {
        GraphError::BadRequest(
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.".into(),
        )
    })?;
    let on_conflict = match (&body.conflict_behavior, call.query.conflict) {
        (Some(value), _) => conflict_behavior(value)?,
        (None, Some(from_query)) => from_query,
        (None, None) => OnConflict::Fail,
    };
    let id = call.item_id(item)?;
    let parent = match body.parent_reference {
        None => None,
        Some(ParentReference { id: Some(id), .. }) => {
            Some(id.parse().map_err(|_| GraphError::ItemNotFound)?)
        }
        Some(ParentReference {
            id: None,
            path: Some(path),
        }) => Some(parent_by_path(call, &path)?),
        Some(ParentReference {
            id: None,
            path: None,
        }) => None,
    };
    let precondition = tags::if_match(call.headers)?;
    let change = MoveItem {
        kind: None,
        parent,
        name: body.name,
        on_conflict,
        times: body
            .file_system_info
            .map(FileTimes::from)
            .unwrap_or_default(),
    };
    let moved = call
        .store
        .move_item(&call.space, id, change, precondition)?;
    json(
        StatusCode::OK,
        &DriveItem::new(&moved, &call.links, true),
        &call.query,
    )
}

/// The folder a `parentReference.path` names: what follows `root:` in it, resolved from the
/// drive's root. The drive part before it (`/drive`, `/me/drive`, `/drives/{id}`) is taken to be
/// the item's own drive, the only one an item moves within.
fn parent_by_path(call: &Call, path: &str) -> Result<ItemId, GraphError> {
    let Some((_, below)) = path.split_once("root:") else {
        return Err(GraphError::InvalidRequest(
            format!("The parentReference path {path:?} names no folder below a drive's root.")
                .into(),
        ));
    };
    let segments: Vec<String> = below
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    let root = call.store.root_id(&call.space)?;
    Ok(call.store.resolve(&call.space, root, &segments)?.id)
}
