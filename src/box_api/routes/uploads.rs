//! Uploads: `POST …/files/content` (new file) and `POST …/files/{file_id}/content` (new version),
//! served under both `/api/2.0` (the SDKs' upload root) and `/2.0` (one base URL for curl).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::{folder_item, ParentRef};
use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxBytes, BoxQuery, Caller, FilePath, IfMatch};
use crate::box_api::fields::{shape, FieldsQuery, FILE_BASE};
use crate::box_api::model::{FileJson, Files};
use crate::box_api::multipart::{read_upload, AttributeDate, Upload};
use crate::box_api::shared_link::LinkUrls;
use crate::control::journal::Touched;
use crate::state::AppState;
use crate::store::sharing::BoxAccess;
use crate::store::{ItemView, OnConflict, WriteFile, WriteTarget};
use crate::upload_session::plain_body;

/// Attributes of a new file. `null`s count as absent and unknown keys are ignored: legacy SDKs
/// send `description: null` and friends (pinned by the forms in `tests/api/box_upload.rs`).
#[derive(Debug, Deserialize)]
pub(crate) struct NewFileAttributes {
    name: Option<String>,
    parent: Option<ParentRef>,
    content_created_at: Option<AttributeDate>,
    content_modified_at: Option<AttributeDate>,
}

/// Attributes of a new version: a `name` renames the file. All of it may be left out, and then
/// the file keeps its name.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NewVersionAttributes {
    name: Option<String>,
    content_modified_at: Option<AttributeDate>,
}

/// 201 `{"total_count":1,"entries":[file]}`; 409 `item_name_in_use` when the name is taken in
/// that folder, with the clashing item in `context_info.conflicts`.
pub(crate) async fn upload_file(
    State(state): State<AppState>,
    Caller(space): Caller,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    urls: LinkUrls,
    headers: HeaderMap,
    BoxBytes(body): BoxBytes,
) -> Result<Response, BoxApiError> {
    // A compressed body would be stored as it came, compressed.
    plain_body(&headers)?;
    let Upload {
        attributes,
        content,
    } = read_upload::<NewFileAttributes>(&headers, body).await?;
    let attributes = attributes.ok_or_else(|| BoxApiError::missing("attributes"))?;
    let name = attributes
        .name
        .ok_or_else(|| BoxApiError::missing("name"))?;
    let parent = folder_item(&state, &space, ParentRef::folder(attributes.parent)?)?;
    // A collaborator writes into a folder they collaborate on, in its owner's space.
    let space = crate::box_api::reach::space_for(&state, &space, parent, BoxAccess::Write)?;
    let write = WriteFile {
        target: WriteTarget::Path {
            base: parent,
            segments: vec![name],
            on_conflict: OnConflict::Fail,
            create_parents: false,
        },
        content,
        mime_type: None,
        rename: None,
        content_created_at: attributes.content_created_at.map(|at| at.0),
        content_modified_at: attributes.content_modified_at.map(|at| at.0),
    };
    let written = state.store.write_file(&space, write, None)?;
    uploaded(&written.item, &query, &urls)
}

/// A new current version, honouring `If-Match` (412 on a stale etag). The spec says 200, the SDK
/// fixtures 201 (<https://developer.box.com/reference/post-files-id-content/>); SDKs take either,
/// and this face answers 201 (pinned by
/// `a_new_version_becomes_current_bumps_the_etag_and_renames_the_file`).
pub(crate) async fn upload_version(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    urls: LinkUrls,
    headers: HeaderMap,
    BoxBytes(body): BoxBytes,
) -> Result<Response, BoxApiError> {
    plain_body(&headers)?;
    let Upload {
        attributes,
        content,
    } = read_upload::<NewVersionAttributes>(&headers, body).await?;
    let attributes = attributes.unwrap_or_default();
    let IfMatch(precondition) = IfMatch::from_headers(&headers);
    let write = WriteFile {
        target: WriteTarget::Item(file),
        content,
        mime_type: None,
        rename: attributes.name,
        content_created_at: None,
        content_modified_at: attributes.content_modified_at.map(|at| at.0),
    };
    let written = state.store.write_file(&space, write, precondition)?;
    uploaded(&written.item, &query, &urls)
}

pub(crate) fn uploaded(
    item: &ItemView,
    query: &FieldsQuery,
    urls: &LinkUrls,
) -> Result<Response, BoxApiError> {
    let fields = query.fields();
    let file =
        FileJson::new(item, fields.is_some(), urls).ok_or(BoxApiError::InternalServerError)?;
    let reply = Files {
        total_count: 1,
        entries: [shape(fields.as_ref(), file, FILE_BASE)],
    };
    Ok(Touched::mark(
        item.id,
        (StatusCode::CREATED, Json(reply)).into_response(),
    ))
}
