//! `POST /2.0/folders`, `GET /2.0/folders/{folder_id}` and `PUT /2.0/folders/{folder_id}`
//! (rename, move): just enough folders for files to have parents. Folder `0`, the root, always
//! exists.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::files::place;
use super::{folder_item, ParentRef, PlaceBody};
use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxJson, Caller, FolderPath, IfMatch};
use crate::box_api::model::{FolderId, FolderJson};
use crate::state::AppState;
use crate::store::{ItemKind, NewFolder, OnConflict};

#[derive(Debug, Deserialize)]
pub(crate) struct NewFolderBody {
    name: Option<String>,
    parent: Option<ParentRef>,
}

/// 201 with the new folder; 409 `item_name_in_use` listing the clashing item in an array, the form
/// folder creation uses (<https://developer.box.com/reference/post-folders/>).
pub(crate) async fn create_folder(
    State(state): State<AppState>,
    Caller(space): Caller,
    BoxJson(body): BoxJson<Option<NewFolderBody>>,
) -> Result<Response, BoxApiError> {
    let body = body.ok_or_else(|| BoxApiError::missing("name"))?;
    let name = body.name.ok_or_else(|| BoxApiError::missing("name"))?;
    let parent = folder_item(&state, &space, ParentRef::folder(body.parent)?)?;
    let folder = state
        .store
        .create_folder(
            &space,
            NewFolder {
                parent,
                name,
                on_conflict: OnConflict::Fail,
            },
        )
        .map_err(|e| BoxApiError::from(e).listing_conflicts())?;
    let json = FolderJson::new(&folder).ok_or(BoxApiError::InternalServerError)?;
    Ok((StatusCode::CREATED, Json(json)).into_response())
}

pub(crate) async fn get_folder(
    State(state): State<AppState>,
    Caller(space): Caller,
    FolderPath(folder): FolderPath,
) -> Result<Response, BoxApiError> {
    let item = match folder {
        FolderId::Root => state.store.root(&space)?,
        FolderId::Id(id) => state.store.item(&space, id)?,
    };
    let json = FolderJson::new(&item).ok_or(BoxApiError::NotFound)?;
    Ok(Json(json).into_response())
}

/// 200 with the renamed or moved folder and everything in it; 409 when the name is taken there,
/// 400 when the target is the folder itself or below it. The root cannot move.
pub(crate) async fn update_folder(
    State(state): State<AppState>,
    Caller(space): Caller,
    FolderPath(folder): FolderPath,
    IfMatch(precondition): IfMatch,
    BoxJson(body): BoxJson<Option<PlaceBody>>,
) -> Result<Response, BoxApiError> {
    let FolderId::Id(id) = folder else {
        return Err(BoxApiError::AccessDeniedInsufficientPermissions);
    };
    let item = place(&state, &space, id, ItemKind::Folder, body, precondition)
        .map_err(BoxApiError::listing_conflicts)?;
    let json = FolderJson::new(&item).ok_or(BoxApiError::NotFound)?;
    Ok(Json(json).into_response())
}
