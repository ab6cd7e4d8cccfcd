//! A file's versions: list, get one, download one, restore one, delete one
//! (<https://learn.microsoft.com/en-us/graph/api/resources/driveitemversion> and the operations it
//! links). The path's version label arrives parsed (`VersionLabel`); one that names no version is
//! a `404` once the item is found.

use axum::http::StatusCode;
use axum::response::Response;

use super::{json, json_collection, no_content, redirect, Call};
use crate::onedrive::address::{ItemAddress, VersionLabel};
use crate::onedrive::errors::GraphError;
use crate::onedrive::model::{Collection, DriveItemVersion};
use crate::onedrive::tags;
use crate::store::{ItemId, PromoteRules, VersionQuery, VersionRef, VersionView};

const DOWNLOAD_URL: &str = "@microsoft.graph.downloadUrl";

/// Graph's restore: any version may be copied to the top, the current one included (the docs
/// describe no exception: <https://learn.microsoft.com/en-us/graph/api/driveitemversion-restore>;
/// pinned by `restoring_the_current_version_makes_an_identical_new_version`), and the item keeps
/// its name.
const RESTORE: PromoteRules = PromoteRules {
    allow_current: true,
    restore_name: false,
};

/// The version a label names; a label not in Graph's form names none.
fn version_ref(label: VersionLabel) -> Result<VersionRef, GraphError> {
    match label {
        VersionLabel::Known(at) => Ok(at),
        VersionLabel::Unknown => Err(GraphError::ItemNotFound),
    }
}

/// `GET {item}/versions`: newest first, the current version included and first; `$top` pages
/// with `@odata.nextLink`, and without it every version comes back (the page size is not
/// documented; pinned by `top_pages_versions_with_a_next_link_that_keeps_the_query`).
pub(super) fn list_versions(call: &Call, item: &ItemAddress) -> Result<Response, GraphError> {
    let id = call.item_id(item)?;
    let window = call.window(usize::MAX);
    let listing = call.store.versions(
        &call.space,
        id,
        VersionQuery {
            include_current: true,
            window,
        },
    )?;
    let download = call.query.selects(DOWNLOAD_URL);
    let body = Collection {
        context: call.links.versions_context(id),
        value: listing
            .entries
            .iter()
            .map(|version| DriveItemVersion::new(version, &call.links, download))
            .collect(),
        next_link: call.next_link(window, listing.entries.len(), listing.total),
    };
    json_collection(&body, &call.query)
}

/// The item an address names and its version `label` names.
fn find_version(
    call: &Call,
    item: &ItemAddress,
    label: VersionLabel,
) -> Result<(ItemId, VersionView), GraphError> {
    let id = call.item_id(item)?;
    let at = version_ref(label)?;
    Ok((id, call.store.version(&call.space, id, at)?))
}

/// `GET {item}/versions/{id}`, `current` included.
pub(super) fn get_version(
    call: &Call,
    item: &ItemAddress,
    label: VersionLabel,
) -> Result<Response, GraphError> {
    let (id, view) = find_version(call, item, label)?;
    let mut body =
        DriveItemVersion::new(&view.version, &call.links, call.query.selects(DOWNLOAD_URL));
    body.context = Some(call.links.version_context(id));
    json(StatusCode::OK, &body, &call.query)
}

/// `GET {item}/versions/{id}/content`: a `302` to the version's bytes. The service refuses the
/// current version here; clients download it through `{item}/content`
/// (<https://github.com/OneDrive/onedrive-api-docs/issues/1112>).
pub(super) fn version_content(
    call: &Call,
    item: &ItemAddress,
    label: VersionLabel,
) -> Result<Response, GraphError> {
    let (_, view) = find_version(call, item, label)?;
    if view.is_current {
        return Err(GraphError::InvalidRequest(
            "You cannot get the content of the current version".into(),
        ));
    }
    redirect(call.links.redirect_url(&view.version))
}

/// `POST {item}/versions/{id}/restoreVersion`: `204`, and a new current version with the chosen
/// version's bytes; every earlier version stays. `If-Match` is honoured when sent (undocumented
/// for restore; pinned by `restore_honours_if_match_when_it_is_sent`).
pub(super) fn restore_version(
    call: &Call,
    item: &ItemAddress,
    label: VersionLabel,
) -> Result<Response, GraphError> {
    let id = call.item_id(item)?;
    let at = version_ref(label)?;
    let precondition = tags::if_match(call.headers)?;
    (call.store).promote_version(&call.space, id, at, RESTORE, precondition)?;
    Ok(no_content())
}

/// `DELETE {item}/versions/{id}`: `204`, and the version is gone from the history for good. The
/// item is not changed (no new version, the same eTag), and the current version cannot be
/// deleted (`400 invalidRequest`). Graph's reference does not document this call, but OneDrive
/// for Business answers it: the Python SDK generates it
/// (`versions.by_drive_item_version_id(id).delete()`) and rclone's `cleanup` relies on it
/// (<https://rclone.org/onedrive/#versions>, onedrive-api-docs PR #1682).
pub(super) fn delete_version(
    call: &Call,
    item: &ItemAddress,
    label: VersionLabel,
) -> Result<Response, GraphError> {
    let id = call.item_id(item)?;
    let at = version_ref(label)?;
    let precondition = tags::if_match(call.headers)?;
    call.store
        .delete_version(&call.space, id, at, precondition)?;
    Ok(no_content())
}
