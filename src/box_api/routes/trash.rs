//! Whole files and folders in the trash, Box's other restore: `DELETE /files/{id}` (to the
//! trash), `GET /files/{id}/trash`, `POST /files/{id}` (restore), `DELETE /files/{id}/trash`
//! (purge), the same four for folders, and `GET /folders/trash/items`.
//!
//! While a file is in the trash, its other routes (info, content, versions) answer 404 `trashed`
//! (<https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/>: "acting on
//! a file that is in the trash"), and so does everything below a trashed folder. Purging frees the
//! content once no version, session or link holds it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::PlaceBody;
use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{
    query_bool, BoxJson, BoxQuery, Caller, FilePath, FolderPath, IfMatch,
};
use crate::box_api::fields::{shape, FieldsQuery, FILE_BASE};
use crate::box_api::model::{FileJson, FolderId, FolderJson, ItemJson, Items};
use crate::box_api::shared_link::LinkUrls;
use crate::control::journal::Touched;
use crate::state::AppState;
use crate::store::{ItemId, ItemKind, ItemView, RestoreItem, Space, Window};

/// `GET /folders/trash/items` paging: Box's defaults for offset paging.
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 1000;

/// 204; the file goes to the trash, honouring `If-Match` (412 on a stale etag).
pub(crate) async fn delete_file(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
    IfMatch(precondition): IfMatch,
) -> Result<Response, BoxApiError> {
    (state.store).trash_item(&space, file, ItemKind::File, false, precondition)?;
    Ok(Touched::mark(file, StatusCode::NO_CONTENT.into_response()))
}

#[derive(Debug, Deserialize)]
pub(crate) struct DeleteFolderQuery {
    recursive: Option<String>,
}

/// 204; the folder and everything in it go to the trash. A folder with anything in it (the
/// trash aside) needs `recursive=true`, else 400 `folder_not_empty`
/// (<https://developer.box.com/reference/delete-folders-id/>).
pub(crate) async fn delete_folder(
    State(state): State<AppState>,
    Caller(space): Caller,
    FolderPath(folder): FolderPath,
    BoxQuery(query): BoxQuery<DeleteFolderQuery>,
    IfMatch(precondition): IfMatch,
) -> Result<Response, BoxApiError> {
    let recursive = query_bool("recursive", query.recursive.as_deref())?;
    let id = not_root(folder)?;
    (state.store).trash_item(&space, id, ItemKind::Folder, recursive, precondition)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// 200 with the file as it is in the trash (`item_status: "trashed"`); 404 when the file is not
/// itself in the trash, also when a folder above it is
/// (<https://developer.box.com/reference/get-files-id-trash/>).
pub(crate) async fn get_trashed_file(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    urls: LinkUrls,
) -> Result<Response, BoxApiError> {
    let item = state.store.trashed_item(&space, file, ItemKind::File)?;
    file_reply(StatusCode::OK, &item, &query, &urls)
}

pub(crate) async fn get_trashed_folder(
    State(state): State<AppState>,
    Caller(space): Caller,
    FolderPath(folder): FolderPath,
    urls: LinkUrls,
) -> Result<Response, BoxApiError> {
    let item = (state.store).trashed_item(&space, not_root(folder)?, ItemKind::Folder)?;
    folder_reply(StatusCode::OK, &item, &urls)
}

/// 201 with the restored file, back in its folder (or in `parent` when that folder is gone) and
/// renamed to `name` if given; 409 `item_name_in_use` when the name is taken there, 404 when the
/// file is not in the trash.
pub(crate) async fn restore_file(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    urls: LinkUrls,
    BoxJson(body): BoxJson<Option<PlaceBody>>,
) -> Result<Response, BoxApiError> {
    let restore = restore_target(&state, &space, body)?;
    let item = (state.store).restore_item(&space, file, ItemKind::File, restore)?;
    Ok(Touched::mark(
        file,
        file_reply(StatusCode::CREATED, &item, &query, &urls)?,
    ))
}

pub(crate) async fn restore_folder(
    State(state): State<AppState>,
    Caller(space): Caller,
    FolderPath(folder): FolderPath,
    urls: LinkUrls,
    BoxJson(body): BoxJson<Option<PlaceBody>>,
) -> Result<Response, BoxApiError> {
    let restore = restore_target(&state, &space, body)?;
    let id = not_root(folder)?;
    let item = (state.store).restore_item(&space, id, ItemKind::Folder, restore)?;
    folder_reply(StatusCode::CREATED, &item, &urls)
}

/// 204; the file and every version are gone for good, and so are download links to them.
pub(crate) async fn purge_file(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
) -> Result<Response, BoxApiError> {
    state.store.purge_item(&space, file, ItemKind::File)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn purge_folder(
    State(state): State<AppState>,
    Caller(space): Caller,
    FolderPath(folder): FolderPath,
) -> Result<Response, BoxApiError> {
    (state.store).purge_item(&space, not_root(folder)?, ItemKind::Folder)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct TrashQuery {
    limit: Option<String>,
    offset: Option<String>,
}

/// The items the caller put in the trash, oldest first, with offset paging.
pub(crate) async fn list_trash(
    State(state): State<AppState>,
    Caller(space): Caller,
    BoxQuery(query): BoxQuery<TrashQuery>,
    urls: LinkUrls,
) -> Result<Response, BoxApiError> {
    let limit = match query.limit.as_deref() {
        None => DEFAULT_LIMIT,
        Some(raw) => (raw.trim().parse::<usize>().ok())
            .filter(|limit| *limit > 0)
            .ok_or(BoxApiError::InvalidLimit)?
            .min(MAX_LIMIT),
    };
    let offset = match query.offset.as_deref() {
        None => 0,
        Some(raw) => (raw.trim().parse::<usize>()).map_err(|_| BoxApiError::InvalidOffset)?,
    };
    let listing = state.store.trash(&space, Window { offset, limit })?;
    Ok(Json(Items {
        total_count: listing.total,
        entries: listing
            .entries
            .iter()
            .map(|item| ItemJson::new(item, false, &urls))
            .collect(),
        offset,
        limit,
    })
    .into_response())
}

fn restore_target(
    state: &AppState,
    space: &Space,
    body: Option<PlaceBody>,
) -> Result<RestoreItem, BoxApiError> {
    let (name, parent) = body.unwrap_or_default().parent(state, space)?;
    Ok(RestoreItem { parent, name })
}

/// Folder `0` is never in the trash: it cannot be deleted, and Box answers as for any folder
/// that is not there.
fn not_root(folder: FolderId) -> Result<ItemId, BoxApiError> {
    match folder {
        FolderId::Root => Err(BoxApiError::NotFound),
        FolderId::Id(id) => Ok(id),
    }
}

fn file_reply(
    status: StatusCode,
    item: &ItemView,
    query: &FieldsQuery,
    urls: &LinkUrls,
) -> Result<Response, BoxApiError> {
    let fields = query.fields();
    let json = FileJson::new(item, fields.is_some(), urls).ok_or(BoxApiError::NotFound)?;
    Ok((status, Json(shape(fields.as_ref(), json, FILE_BASE))).into_response())
}

fn folder_reply(
    status: StatusCode,
    item: &ItemView,
    urls: &LinkUrls,
) -> Result<Response, BoxApiError> {
    let json = FolderJson::new(item, urls).ok_or(BoxApiError::NotFound)?;
    Ok((status, Json(json)).into_response())
}
