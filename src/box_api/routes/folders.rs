//! `POST /2.0/folders`, `GET /2.0/folders/{folder_id}` (with its first page of children) and
//! `PUT /2.0/folders/{folder_id}` (rename, move). Folder `0`, the root, always
//! exists.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::files::place;
use super::folder_items::{FirstPage, ItemCollection, ListingQuery};
use super::{folder_item, ParentRef, PlaceBody};
use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxJson, BoxQuery, Caller, FolderPath, IfMatch};
use crate::box_api::fields::{shape, Fields, FieldsQuery, FILE_BASE};
use crate::box_api::model::{FolderId, FolderJson};
use crate::box_api::shared_link::LinkUrls;
use crate::state::AppState;
use crate::store::sharing::BoxAccess;
use crate::store::{ItemKind, ItemView, NewFolder, OnConflict, Space};

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
    BoxQuery(query): BoxQuery<FieldsQuery>,
    urls: LinkUrls,
    BoxJson(body): BoxJson<Option<NewFolderBody>>,
) -> Result<Response, BoxApiError> {
    let body = body.ok_or_else(|| BoxApiError::missing("name"))?;
    let name = body.name.ok_or_else(|| BoxApiError::missing("name"))?;
    let parent = folder_item(&state, &space, ParentRef::folder(body.parent)?)?;
    // A collaborator writes into a folder they collaborate on, in its owner's space.
    let space = crate::box_api::reach::space_for(&state, &space, parent, BoxAccess::Write)?;
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
    let fields = query.fields();
    let json = FolderJson::with_full(&folder, fields.is_some(), &urls)
        .ok_or(BoxApiError::InternalServerError)?;
    let reply = Json(shape(fields.as_ref(), json, FILE_BASE));
    Ok((StatusCode::CREATED, reply).into_response())
}

/// A folder with the first page of its children, as `GET /folders/{id}` answers.
#[derive(Debug, Serialize)]
struct FolderWithItems<'a> {
    #[serde(flatten)]
    folder: FolderJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    item_collection: Option<ItemCollection<'a>>,
}

/// 200 with the folder and, in `item_collection`, the first page of its children (mini form,
/// shaped by `offset`, `limit`, `sort` and `direction` as the listing is). With `fields`, the
/// folder is cut to `type`, `id`, `etag` and the names asked for, and the children are read
/// only when `item_collection` is one of them
/// (<https://developer.box.com/reference/get-folders-id/>).
pub(crate) async fn get_folder(
    State(state): State<AppState>,
    Caller(space): Caller,
    FolderPath(folder): FolderPath,
    BoxQuery(query): BoxQuery<ListingQuery>,
    urls: LinkUrls,
) -> Result<Response, BoxApiError> {
    let item = match folder {
        FolderId::Root => state.store.root(&space)?,
        FolderId::Id(id) => state.store.item(&space, id)?,
    };
    with_items(&state, &space, &item, &query, &urls, StatusCode::OK)
}

/// A folder as `GET /folders/{id}` answers it (and a folder copy, whose reply lists the copied
/// children the same way): standard, or cut to `fields`, with `item_collection` unless `fields`
/// leaves it out.
pub(crate) fn with_items(
    state: &AppState,
    space: &Space,
    item: &ItemView,
    query: &ListingQuery,
    urls: &LinkUrls,
    status: StatusCode,
) -> Result<Response, BoxApiError> {
    let fields = Fields::parse(query.fields.as_deref());
    let folder =
        FolderJson::with_full(item, fields.is_some(), urls).ok_or(BoxApiError::NotFound)?;
    let children = match &fields {
        Some(fields) if !fields.names("item_collection") => None,
        _ => Some(FirstPage::load(state, space, item.id, query)?),
    };
    let json = FolderWithItems {
        folder,
        item_collection: children.as_ref().map(FirstPage::collection),
    };
    let mut reply = super::metadata::reply_with_metadata_fields(
        state,
        space,
        item.id,
        ItemKind::Folder,
        fields.as_ref(),
        shape(fields.as_ref(), json, FILE_BASE),
    )?;
    *reply.status_mut() = status;
    Ok(reply)
}

/// 200 with the renamed or moved folder and everything in it; 409 when the name is taken there,
/// 400 when the target is the folder itself or below it. The root cannot move.
pub(crate) async fn update_folder(
    State(state): State<AppState>,
    Caller(space): Caller,
    FolderPath(folder): FolderPath,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    IfMatch(precondition): IfMatch,
    urls: LinkUrls,
    BoxJson(body): BoxJson<Option<PlaceBody>>,
) -> Result<Response, BoxApiError> {
    let FolderId::Id(id) = folder else {
        return Err(BoxApiError::AccessDeniedInsufficientPermissions);
    };
    let item = place(&state, &space, id, ItemKind::Folder, body, precondition)
        .map_err(BoxApiError::listing_conflicts)?;
    let fields = query.fields();
    let json =
        FolderJson::with_full(&item, fields.is_some(), &urls).ok_or(BoxApiError::NotFound)?;
    Ok(Json(shape(fields.as_ref(), json, FILE_BASE)).into_response())
}
