//! File versions: list, get, trash (`DELETE`), restore from the trash (`PUT`, and `POST` as in
//! Box's published curl sample) and promote to current (`POST …/versions/current`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Deserializer};

use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxJson, BoxQuery, Caller, FilePath, IfMatch, VersionPath};
use crate::box_api::fields::{shape, Fields, FieldsQuery, VERSION_BASE};
use crate::box_api::model::{FileVersionJson, FileVersions};
use crate::box_api::paging::OffsetPage;
use crate::control::journal::Touched;
use crate::state::AppState;
use crate::store::{PromoteRules, Version, VersionQuery, VersionRef};

/// Previous versions only, newest first, trashed ones included
/// (<https://developer.box.com/reference/get-files-id-versions/>;
/// <https://github.com/box/boxcli/issues/174>).
pub(crate) async fn list_versions(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
    BoxQuery(query): BoxQuery<OffsetPage>,
) -> Result<Response, BoxApiError> {
    let window = query.window()?;
    let listing = state.store.versions(
        &space,
        file,
        VersionQuery {
            include_current: false,
            window,
        },
    )?;
    let total_count = listing.total;
    let (limit, offset) = (window.limit, window.offset);
    let fields = Fields::parse(query.fields.as_deref());
    let entries = listing
        .entries
        .iter()
        .map(|v| {
            let json = FileVersionJson::new(v, fields.is_some());
            shape(fields.as_ref(), json, VERSION_BASE)
        })
        .collect();
    let reply = Json(FileVersions {
        total_count,
        entries,
        limit,
        offset,
    });
    Ok(Touched::mark(file, reply.into_response()))
}

/// Any version of the file, the current and trashed ones included.
pub(crate) async fn get_version(
    State(state): State<AppState>,
    Caller(space): Caller,
    VersionPath(file, version): VersionPath,
    BoxQuery(query): BoxQuery<FieldsQuery>,
) -> Result<Response, BoxApiError> {
    let view = state.store.version(&space, file, VersionRef::Id(version))?;
    let reply = version_reply(StatusCode::OK, &view.version, query.fields());
    Ok(Touched::mark(file, reply))
}

/// 204; the version goes to the trash. `If-Match` is compared with the file's etag, and the
/// current version is refused with 400 (<https://github.com/box/box-java-sdk/issues/167>).
pub(crate) async fn trash_version(
    State(state): State<AppState>,
    Caller(space): Caller,
    VersionPath(file, version): VersionPath,
    IfMatch(precondition): IfMatch,
) -> Result<Response, BoxApiError> {
    state
        .store
        .trash_version(&space, file, VersionRef::Id(version), precondition)?;
    Ok(Touched::mark(file, StatusCode::NO_CONTENT.into_response()))
}

#[derive(Debug, Deserialize)]
pub(crate) struct RestoreBody {
    /// Absent (`None`), `null` (`Some(None)`) or a value, which Box does not accept here.
    #[serde(default, deserialize_with = "present")]
    trashed_at: Option<Option<String>>,
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// `{"trashed_at": null}` takes the version out of the trash: 200 with it, `trashed_*` cleared and
/// `restored_*` set. A version not in the trash comes back unchanged. An empty body or `{}` (what
/// the SDK sends for a plain `None`) sets nothing, so it reads the version back unchanged rather
/// than restoring it (<https://developer.box.com/reference/put-files-id-versions-id/> asks for
/// `trashed_at: null`; pinned by `a_restore_without_trashed_at_reads_the_version_back_unchanged`).
pub(crate) async fn restore_from_trash(
    State(state): State<AppState>,
    Caller(space): Caller,
    VersionPath(file, version): VersionPath,
    BoxJson(body): BoxJson<Option<RestoreBody>>,
) -> Result<Response, BoxApiError> {
    let at = VersionRef::Id(version);
    let version = match body.and_then(|b| b.trashed_at) {
        Some(None) => state.store.untrash_version(&space, file, at)?,
        None => Version::clone(&state.store.version(&space, file, at)?.version),
        Some(Some(_)) => {
            return Err(BoxApiError::invalid(
                "trashed_at",
                "Only null is accepted: it restores the version from the trash",
            ))
        }
    };
    Ok(Touched::mark(
        file,
        version_reply(StatusCode::OK, &version, None),
    ))
}

#[derive(Debug, Deserialize)]
pub(crate) struct PromoteBody {
    id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// 201 with the new current version, a copy of the promoted one (its bytes and name); every
/// earlier version is kept. The current version and trashed ones are refused with 400.
pub(crate) async fn promote_version(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    BoxJson(body): BoxJson<Option<PromoteBody>>,
) -> Result<Response, BoxApiError> {
    let body = body.ok_or_else(|| BoxApiError::missing("id"))?;
    if body
        .kind
        .as_deref()
        .is_some_and(|kind| kind != "file_version")
    {
        return Err(BoxApiError::invalid(
            "type",
            "Invalid value. The type must be 'file_version'.",
        ));
    }
    let id = body.id.ok_or_else(|| BoxApiError::missing("id"))?;
    let version = id.parse().map_err(|_| BoxApiError::NotFound)?;
    let rules = PromoteRules {
        allow_current: false,
        restore_name: true,
    };
    let promoted =
        state
            .store
            .promote_version(&space, file, VersionRef::Id(version), rules, None)?;
    let reply = version_reply(StatusCode::CREATED, &promoted, query.fields());
    Ok(Touched::mark(file, reply))
}

fn version_reply(status: StatusCode, version: &Version, fields: Option<Fields<'_>>) -> Response {
    let json = FileVersionJson::new(version, fields.is_some());
    (status, Json(shape(fields.as_ref(), json, VERSION_BASE))).into_response()
}
