//! `GET /2.0/files/{file_id}`, `PUT /2.0/files/{file_id}` (rename, move, and with `locks` the
//! lock, description and tags) and
//! `GET /2.0/files/{file_id}/content` (download).

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::{collections, locks, metadata, shared_links, PlaceBody};
use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxJson, BoxQuery, Caller, FilePath, IfMatch};
use crate::box_api::fields::{shape, FieldsQuery, FILE_BASE};
use crate::box_api::model::FileJson;
use crate::box_api::shared_link::LinkUrls;
use crate::control::journal::Touched;
use crate::download::links::BOX_REDIRECT;
use crate::http::origin::Origin;
use crate::state::AppState;
use crate::store::{
    FileTimes, ItemId, ItemKind, ItemView, MoveItem, OnConflict, Precondition, Space, StoreError,
    VersionRef,
};

/// The file, standard or cut to `fields`; 304 with no body when `If-None-Match` holds its etag.
/// A file put in the trash itself answers 200 with `item_status: "trashed"`, as Box does (the
/// `item_status` of <https://developer.box.com/reference/resources/file/>; box_sdk_gen's
/// `test/trashed_files.py` reads a deleted file back with `get_file_by_id`); one below a
/// trashed folder stays `404 trashed`, as its other routes do.
pub(crate) async fn get_file(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    urls: LinkUrls,
    headers: HeaderMap,
) -> Result<Response, BoxApiError> {
    let item = match state.store.item(&space, file) {
        Err(StoreError::Trashed) => state
            .store
            .trashed_item(&space, file, ItemKind::File)
            .map_err(|_| BoxApiError::Trashed)?,
        found => found?,
    };
    let fields = query.fields();
    let json = FileJson::new(&item, fields.is_some(), &urls).ok_or(BoxApiError::NotFound)?;
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|etag| etag.trim().trim_matches('"') == item.revision.to_string());
    if unchanged {
        return Ok(Touched::mark(
            file,
            StatusCode::NOT_MODIFIED.into_response(),
        ));
    }
    let reply = metadata::reply_with_metadata_fields(
        &state,
        &space,
        file,
        ItemKind::File,
        fields.as_ref(),
        shape(fields.as_ref(), json, FILE_BASE),
    )?;
    Ok(Touched::mark(file, reply))
}

/// 200 with the renamed or moved file; its versions stay with it. `If-Match` is compared with
/// the file's etag (412); a name taken in the target folder is 409 `item_name_in_use` with the
/// clashing item, as uploads send it.
pub(crate) async fn update_file(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    IfMatch(precondition): IfMatch,
    urls: LinkUrls,
    BoxJson(body): BoxJson<Option<PlaceBody>>,
) -> Result<Response, BoxApiError> {
    let item = place(&state, &space, file, ItemKind::File, body, precondition)?;
    let fields = query.fields();
    let json = FileJson::new(&item, fields.is_some(), &urls).ok_or(BoxApiError::NotFound)?;
    let reply = Json(shape(fields.as_ref(), json, FILE_BASE)).into_response();
    Ok(Touched::mark(file, reply))
}

/// The one store call behind `PUT /files/{id}` and `PUT /folders/{id}`.
pub(crate) fn place(
    state: &AppState,
    space: &Space,
    id: ItemId,
    kind: ItemKind,
    body: Option<PlaceBody>,
    precondition: Option<Precondition>,
) -> Result<ItemView, BoxApiError> {
    let mut body = body.unwrap_or_default();
    let favorites = collections::favorites_id(&space.actor);
    let mut edit = std::mem::take(&mut body.kept).edit(&favorites)?;
    edit.shared_link = (body.shared_link.take())
        .map(shared_links::link_change)
        .transpose()?;
    let (name, parent) = body.parent(state, space)?;
    let change = MoveItem {
        kind: Some(kind),
        parent,
        name,
        on_conflict: OnConflict::Fail,
        times: FileTimes::default(),
    };
    Ok(state
        .store
        .update_item(space, id, change, edit, precondition)?)
}

#[derive(Debug, Deserialize)]
pub(crate) struct DownloadQuery {
    /// A file_version id, not a version number (box_sdk_gen passes the id:
    /// <https://developer.box.com/guides/downloads/file-version/>).
    version: Option<String>,
}

/// A 302 to the version's pre-authenticated link, absolute as the SDKs require (the TS SDK
/// builds `new URL(location)`:
/// <https://github.com/box/box-typescript-sdk-gen/blob/main/src/networking/boxNetworkClient.ts>).
/// A version in the trash cannot be downloaded (Box does not say; pinned by
/// `a_download_with_version_serves_that_version_and_a_trashed_one_is_404`).
pub(crate) async fn download_file(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
    Origin(origin): Origin,
    BoxQuery(query): BoxQuery<DownloadQuery>,
) -> Result<Response, BoxApiError> {
    let at = match query.version.as_deref() {
        None => VersionRef::Current,
        Some(id) => VersionRef::Id(id.parse().map_err(|_| BoxApiError::NotFound)?),
    };
    locks::check_download(&state.store.item(&space, file)?, &space.actor)?;
    let version = state.store.version(&space, file, at)?.version;
    if version.trashed_at.is_some() {
        return Err(BoxApiError::NotFound);
    }
    let reply = (
        StatusCode::FOUND,
        [(
            header::LOCATION,
            state
                .links
                .url(&origin, &version, state.clock.now() + BOX_REDIRECT),
        )],
    );
    Ok(Touched::mark(file, reply.into_response()))
}
