//! `POST /2.0/files/{file_id}/copy` (optionally of one `version`) and `POST
//! /2.0/folders/{folder_id}/copy` (the whole tree, synchronously, however large: Box copies
//! larger trees in the background, which a client cannot observe but by waiting), each `201`
//! with the new item (<https://developer.box.com/reference/post-files-id-copy/>,
//! <https://developer.box.com/reference/post-folders-id-copy/>).
//!
//! The copy is new: new ids, one version per file holding the bytes copied, made now by the
//! caller, with no shared link or lock (none are kept yet), as Box's reference describes the
//! copy of a file as a new file. A taken name is `409 item_name_in_use` naming the item in the
//! way: one object for a file copy (the form uploads use), a list for a folder copy (the form
//! folder creation uses). A folder copied into itself or below is `400
//! cyclical_folder_structure`, the root `400 bad_request` (the spec documents a 500, which
//! the SDKs would retry).
//!
//! A collaborator copies out of an item they may download (`reach`: a viewer may, a previewer
//! may not) into any folder they may write: their own (`0` is always their own root), where
//! the copy is theirs, made and owned by them, or one a writing role opens, where it is that
//! folder's owner's.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::folder_items::ListingQuery;
use super::folders::with_items;
use super::{folder_item, ParentRef};
use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxJson, BoxQuery, Caller, FilePath, FolderPath};
use crate::box_api::fields::{shape, FieldsQuery, FILE_BASE};
use crate::box_api::model::{FileJson, FolderId};
use crate::box_api::reach;
use crate::box_api::shared_link::LinkUrls;
use crate::control::journal::Touched;
use crate::state::AppState;
use crate::store::sharing::BoxAccess;
use crate::store::{CopyItem, Face, ItemId, ItemKind, Space, StoreError, VersionRef};

#[derive(Debug, Deserialize)]
pub(crate) struct CopyBody {
    parent: Option<ParentRef>,
    name: Option<String>,
    /// A file_version id: the copy holds that version's bytes.
    version: Option<String>,
}

/// 201 with the new file, standard or cut to `fields`.
pub(crate) async fn copy_file(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    urls: LinkUrls,
    BoxJson(body): BoxJson<Option<CopyBody>>,
) -> Result<Response, BoxApiError> {
    let body = body.ok_or_else(|| BoxApiError::missing("parent"))?;
    let (to, parent) = destination(&state, &space, ParentRef::folder(body.parent)?)?;
    let version = match body.version.as_deref() {
        None => None,
        Some(id) => Some(VersionRef::Id(
            id.parse().map_err(|_| BoxApiError::NotFound)?,
        )),
    };
    let copy = CopyItem {
        kind: Some(ItemKind::File),
        name: body.name.map(|name| sanitized(&name)),
        version,
        keep_times: true,
        ..CopyItem::into(to, parent)
    };
    let item = state.store.copy_item(&space, file, copy)?;
    let fields = query.fields();
    let json =
        FileJson::new(&item, fields.is_some(), &urls).ok_or(BoxApiError::InternalServerError)?;
    let reply = (
        StatusCode::CREATED,
        Json(shape(fields.as_ref(), json, FILE_BASE)),
    );
    Ok(Touched::mark(item.id, reply.into_response()))
}

/// 201 with the new folder and, in `item_collection`, the first page of what was copied into it.
pub(crate) async fn copy_folder(
    State(state): State<AppState>,
    Caller(space): Caller,
    FolderPath(folder): FolderPath,
    BoxQuery(query): BoxQuery<ListingQuery>,
    urls: LinkUrls,
    BoxJson(body): BoxJson<Option<CopyBody>>,
) -> Result<Response, BoxApiError> {
    let FolderId::Id(id) = folder else {
        return Err(BoxApiError::invalid(
            "folder_id",
            "Invalid value '0'. The root folder cannot be copied.",
        ));
    };
    let body = body.ok_or_else(|| BoxApiError::missing("parent"))?;
    let (to, parent) = destination(&state, &space, ParentRef::folder(body.parent)?)?;
    let copy = CopyItem {
        kind: Some(ItemKind::Folder),
        name: body.name,
        keep_times: true,
        ..CopyItem::into(to.clone(), parent)
    };
    let item = state
        .store
        .copy_item(&space, id, copy)
        .map_err(|e| match e {
            StoreError::MoveIntoItself => BoxApiError::CyclicalFolderStructure,
            e => BoxApiError::from(e).listing_conflicts(),
        })?;
    let reply = with_items(&state, &to, &item, &query, &urls, StatusCode::CREATED)?;
    Ok(Touched::mark(item.id, reply))
}

/// Where a copy out of `source` (the caller's space, or the owner's a collaboration reaches)
/// goes: the space of the `parent` named, seen from the caller's own (their root, a folder of
/// theirs, or one a collaboration lets them write into), and the folder's id there.
fn destination(
    state: &AppState,
    source: &Space,
    parent: FolderId,
) -> Result<(Space, ItemId), BoxApiError> {
    let own = Space::own(Face::Box, source.actor.clone());
    let to = match parent {
        FolderId::Root => own,
        FolderId::Id(id) => reach::space_for(state, &own, id, BoxAccess::Write)?,
    };
    let parent = folder_item(state, &to, parent)?;
    Ok((to, parent))
}

/// A file copy's name as Box's reference says it is made: non-printable ASCII, `/` and `\` are
/// removed rather than refused (a name left empty, `.` or `..` is then refused as any name is).
fn sanitized(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '/' | '\\') && !c.is_ascii_control())
        .collect()
}
