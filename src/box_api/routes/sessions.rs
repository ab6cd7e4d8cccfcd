//! Box chunked uploads: `POST /files/upload_sessions` (new file), `POST
//! /files/{id}/upload_sessions` (new version), parts, listing, status, the upload log, abort,
//! commit, the plan call box_sdk_gen's `upload_big_file_version` makes, and the `OPTIONS …/content`
//! preflight (<https://developer.box.com/guides/uploads/chunked/>). The bookkeeping is
//! `crate::upload_session`'s.

use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use chrono::TimeDelta;
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use super::uploads::uploaded;
use super::{folder_item, IdValue, ParentRef};
use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxBytes, BoxJson, BoxQuery, Caller, FilePath, IfMatch};
use crate::box_api::fields::FieldsQuery;
use crate::box_api::model::{Date, FolderId};
use crate::box_api::multipart::AttributeDate;
use crate::box_api::paging::OffsetPage;
use crate::box_api::reach;
use crate::box_api::shared_link::LinkUrls;
use crate::http::origin::Origin;
use crate::splitmix::splitmix64;
use crate::state::AppState;
use crate::store::content::hex;
use crate::store::rules::validate_name;
use crate::store::sharing::BoxAccess;
use crate::store::{Face, FileTimes, ItemId, OnConflict, Space, StoreError, WriteTarget};
use crate::upload_session::{
    part_range, Commit, Destination, FramingError, Grid, Lifetime, LimitError, NewSession, Part,
    Session, SessionError, GIB,
};

/// Box refuses sessions for smaller files (`file_size_too_small`); the docs say "20MB" without
/// saying which, so the lower reading is used: every size the real service takes is taken here.
pub const MIN_SESSION_SIZE: u64 = 20_000_000;

/// The largest file Box takes on the Business plan the emulator's users have (the
/// `max_upload_size` of `GET /users/me`; plans: <https://support.box.com/hc/en-us/articles/360043697314>).
/// `--max-file-size` and `--max-session-bytes` lower it.
pub const MAX_FILE_SIZE: u64 = 5 * GIB;

/// Box's session lifetime: seven days from creation (chunked upload guide).
pub const SESSION_LIFETIME: TimeDelta = TimeDelta::days(7);

/// The server picks the part size. Observed: 8 MiB for files up to a few hundred MB, 32 MiB for
/// a 1 GB file (<https://github.com/box/box-java-sdk/issues/909>); the band edge is not published.
pub fn part_size_for(file_size: u64) -> u64 {
    if file_size < 512 * 1024 * 1024 {
        8 * 1024 * 1024
    } else {
        32 * 1024 * 1024
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct NewFileSession {
    folder_id: Option<IdValue>,
    file_size: Option<serde_json::Value>,
    file_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct NewVersionSession {
    file_size: Option<serde_json::Value>,
    file_name: Option<String>,
}

#[derive(Debug, Serialize)]
struct UploadSession {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    session_expires_at: Date,
    part_size: u64,
    total_parts: u64,
    num_parts_processed: usize,
    session_endpoints: SessionEndpoints,
}

/// Absolute URLs on the origin and prefix the client used: the SDKs call them as given.
#[derive(Debug, Serialize)]
struct SessionEndpoints {
    upload_part: String,
    commit: String,
    abort: String,
    list_parts: String,
    status: String,
    log_event: String,
    /// Read by box_sdk_gen's `upload_big_file_version` (`session_endpoints.plan`).
    plan: String,
}

#[derive(Debug, Serialize)]
struct UploadPart {
    part_id: String,
    offset: u64,
    size: u64,
    sha1: String,
}

#[derive(Debug, Serialize)]
struct UploadParts {
    entries: Vec<UploadPart>,
    limit: usize,
    offset: usize,
    order: [Order; 1],
    total_count: usize,
}

/// `GET {log_event}`: what happened to the session, oldest first. Box documents the endpoint
/// only as "the URL used to get the upload log from" and no SDK reads it, so the entries are
/// the emulator's own: the session's creation, then each part as it arrived, in Box's paged
/// collection.
#[derive(Debug, Serialize)]
struct UploadLog {
    entries: Vec<LogEntry>,
    limit: usize,
    offset: usize,
    total_count: usize,
}

#[derive(Debug, Serialize)]
struct LogEntry {
    #[serde(rename = "type")]
    kind: &'static str,
    event_type: &'static str,
    created_at: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<UploadPart>,
}

#[derive(Debug, Serialize)]
struct Order {
    by: &'static str,
    direction: &'static str,
}

/// A part as the commit body lists it; box_sdk_gen sends what the part upload answered.
#[derive(Debug, Deserialize)]
pub(crate) struct ListedPart {
    part_id: Option<String>,
    offset: Option<u64>,
    size: Option<u64>,
    sha1: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct CommitBody {
    parts: Option<Vec<ListedPart>>,
    attributes: Option<CommitAttributes>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct CommitAttributes {
    content_modified_at: Option<AttributeDate>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct PlanBody {
    parts: Option<Vec<serde_json::Value>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Preflight {
    name: Option<String>,
    parent: Option<ParentRef>,
    /// The bytes the upload will send, when the client says: any JSON, judged by `declared_size`.
    size: Option<serde_json::Value>,
}

/// `POST …/files/upload_sessions`: `201` with the session; the preflight check (`404` for the
/// folder, `409` for the name) runs now, and again at commit.
pub(crate) async fn create_file_session(
    State(state): State<AppState>,
    Caller(space): Caller,
    Origin(origin): Origin,
    OriginalUri(uri): OriginalUri,
    BoxJson(body): BoxJson<Option<NewFileSession>>,
) -> Result<Response, BoxApiError> {
    let body = body.ok_or(BoxApiError::MissingDestination)?;
    let folder = match body.folder_id {
        None => return Err(BoxApiError::MissingDestination),
        Some(IdValue::Number(0)) => FolderId::Root,
        Some(IdValue::Number(n)) => FolderId::Id(ItemId(n)),
        Some(IdValue::Text(text)) => text.parse().map_err(|_| BoxApiError::InvalidFolderId)?,
    };
    let size = file_size(body.file_size)?;
    let name = body.file_name.ok_or(BoxApiError::MissingFileName)?;
    if name.trim().is_empty() {
        return Err(BoxApiError::ItemNameInvalid(
            "the name must not be empty".into(),
        ));
    }
    let folder = folder_item(&state, &space, folder)?;
    // A collaborator's session writes into the owner's folder, in the owner's space.
    let space = reach::space_for(&state, &space, folder, BoxAccess::Write)?;
    check_name_free(&state, &space, folder, &name)?;
    let target = WriteTarget::Path {
        base: folder,
        segments: vec![name],
        on_conflict: OnConflict::Fail,
        create_parents: false,
    };
    let session = open(
        &state,
        space,
        size,
        Destination {
            target,
            rename: None,
            times: FileTimes::default(),
        },
    )?;
    created(&session, &origin, prefix(uri.path()))
}

/// `POST …/files/{file_id}/upload_sessions`: a session for a new version, optionally renaming.
pub(crate) async fn create_version_session(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
    Origin(origin): Origin,
    OriginalUri(uri): OriginalUri,
    BoxJson(body): BoxJson<Option<NewVersionSession>>,
) -> Result<Response, BoxApiError> {
    let body = body.ok_or(BoxApiError::MissingFileSize)?;
    let size = file_size(body.file_size)?;
    let view = state.store.item(&space, file)?;
    if view.file().is_none() {
        return Err(BoxApiError::NotFound);
    }
    let rename = body.file_name.filter(|name| *name != view.name);
    if let (Some(name), Some(parent)) = (&rename, view.parent) {
        check_name_free(&state, &space, parent, name)?;
    }
    let target = WriteTarget::Item(file);
    let session = open(
        &state,
        space,
        size,
        Destination {
            target,
            rename,
            times: FileTimes::default(),
        },
    )?;
    created(&session, &origin, prefix(uri.path()))
}

/// `GET …/upload_sessions/{id}`: the session with how many parts are in.
pub(crate) async fn get_session(
    State(state): State<AppState>,
    Caller(space): Caller,
    Origin(origin): Origin,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
) -> Result<Response, BoxApiError> {
    let session = find(&state, &space, &id)?;
    Ok(Json(session_json(&session, &origin, prefix(uri.path()))).into_response())
}

/// `PUT …/upload_sessions/{id}`: one part, its `digest` checked against its bytes.
pub(crate) async fn upload_part(
    State(state): State<AppState>,
    Caller(space): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    BoxBytes(body): BoxBytes,
) -> Result<Response, BoxApiError> {
    let session = find(&state, &space, &id)?;
    let digest = digest(&headers)?;
    let range = part_range(&headers)?;
    let now = state.clock.now();
    let (sessions, writer) = (state.sessions.clone(), session.clone());
    let part = state
        .sessions
        .off_thread(move || {
            let sha1: [u8; 20] = Sha1::digest(&body).into();
            if sha1 != digest {
                return Err(BoxApiError::PartDigestMismatch);
            }
            sessions.write(&writer, range, body, Some(sha1), now)?;
            Ok(Part {
                offset: range.start,
                size: range.len(),
                sha1: Some(sha1),
            })
        })
        .await
        .ok_or(BoxApiError::InternalServerError)??;
    #[derive(Serialize)]
    struct UploadedPart {
        part: UploadPart,
    }
    Ok(Json(UploadedPart {
        part: part_json(&session, &part),
    })
    .into_response())
}

/// `GET …/upload_sessions/{id}/parts`: the parts in, by offset, with Box's offset paging.
pub(crate) async fn list_parts(
    State(state): State<AppState>,
    Caller(space): Caller,
    Path(id): Path<String>,
    BoxQuery(query): BoxQuery<OffsetPage>,
) -> Result<Response, BoxApiError> {
    let window = query.window()?;
    let session = find(&state, &space, &id)?;
    let parts = session.parts();
    let entries = window
        .page(parts.iter())
        .map(|part| part_json(&session, part))
        .collect();
    Ok(Json(UploadParts {
        entries,
        limit: window.limit,
        offset: window.offset,
        order: [Order {
            by: "offset",
            direction: "ASC",
        }],
        total_count: parts.len(),
    })
    .into_response())
}

/// `GET …/upload_sessions/{id}/log`: the session's upload log (see `UploadLog`), offset-paged
/// like the parts.
pub(crate) async fn upload_log(
    State(state): State<AppState>,
    Caller(space): Caller,
    Path(id): Path<String>,
    BoxQuery(query): BoxQuery<OffsetPage>,
) -> Result<Response, BoxApiError> {
    let window = query.window()?;
    let session = find(&state, &space, &id)?;
    let opened = LogEntry {
        kind: "upload_session_event",
        event_type: "session_created",
        created_at: Date(session.opened_at),
        part: None,
    };
    let arrivals = session.arrivals();
    let parts = arrivals.iter().map(|(at, part)| LogEntry {
        kind: "upload_session_event",
        event_type: "part_uploaded",
        created_at: Date(*at),
        part: Some(part_json(&session, part)),
    });
    let entries = window.page(std::iter::once(opened).chain(parts)).collect();
    Ok(Json(UploadLog {
        entries,
        limit: window.limit,
        offset: window.offset,
        total_count: arrivals.len() + 1,
    })
    .into_response())
}

/// `DELETE …/upload_sessions/{id}`: `204`, and the session's URLs answer `404` from then on.
/// A committed session's `DELETE` answers `204` too: an abort in a client's clean-up must not
/// fail the upload that went through, and Box's reference lists no other answer
/// (<https://developer.box.com/reference/delete-files-upload-sessions-id/>).
pub(crate) async fn abort_session(
    State(state): State<AppState>,
    Caller(space): Caller,
    Path(id): Path<String>,
) -> Result<Response, BoxApiError> {
    let session = find_any(&state, &space, &id)?;
    state
        .sessions
        .remove(Face::Box, &session.token, state.clock.now())?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST …/upload_sessions/{id}/commit`: checks the listed parts and the whole file's `digest`,
/// then makes the one new file or version: `201` with the `Files` collection.
pub(crate) async fn commit_session(
    State(state): State<AppState>,
    Caller(space): Caller,
    Path(id): Path<String>,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    urls: LinkUrls,
    headers: HeaderMap,
    BoxJson(body): BoxJson<Option<CommitBody>>,
) -> Result<Response, BoxApiError> {
    let session = find(&state, &space, &id)?;
    let digest = digest(&headers)?;
    let body = body.ok_or_else(|| BoxApiError::missing("parts"))?;
    let listed = body.parts.ok_or_else(|| BoxApiError::missing("parts"))?;
    let modified_at = body
        .attributes
        .and_then(|a| a.content_modified_at)
        .map(|at| at.0);
    let IfMatch(precondition) = IfMatch::from_headers(&headers);
    let written = state.sessions.commit(
        &session,
        |content, parts| {
            if !listed_match(&session, &listed, parts) {
                return Err(BoxApiError::PartsMismatch);
            }
            if content.sha1() != digest {
                return Err(BoxApiError::DigestMismatch);
            }
            Ok(())
        },
        |mut write| {
            write.content_modified_at = modified_at;
            // A collaborator's session (made in the owner's space) writes only while the
            // collaboration still lets them.
            let space = match session.space.owner.id() == space.actor.id {
                true => space.clone(),
                false => {
                    let item = match &write.target {
                        WriteTarget::Item(id) | WriteTarget::Path { base: id, .. } => *id,
                    };
                    (reach::item_space(&state, &space, item, BoxAccess::Write)?)
                        .ok_or(BoxApiError::NotFound)?
                }
            };
            Ok(state.store.write_file(&space, write, precondition)?)
        },
    )?;
    // A committed session answers `404` but to `DELETE` (`find`), until it expires; what it
    // held already counts no more against the limits.
    uploaded(&written.item, &query, &urls)
}

/// `POST …/upload_sessions/{id}/plan`: which of the given parts the server already holds. The
/// emulator keeps no part cache across sessions, so every part is a miss and the SDK uploads it.
pub(crate) async fn plan_session(
    State(state): State<AppState>,
    Caller(space): Caller,
    Path(id): Path<String>,
    BoxJson(body): BoxJson<Option<PlanBody>>,
) -> Result<Response, BoxApiError> {
    let session = find(&state, &space, &id)?;
    let misses = body.and_then(|b| b.parts).unwrap_or_default();
    Ok(Json(serde_json::json!({
        "upload_session_id": session.token,
        "hits": [],
        "misses": misses,
    }))
    .into_response())
}

/// `OPTIONS …/files/content`: would this new file be accepted? `200` with the URL to upload to,
/// or the `404`/`409` the upload would get.
pub(crate) async fn preflight_file(
    State(state): State<AppState>,
    Caller(space): Caller,
    Origin(origin): Origin,
    BoxJson(body): BoxJson<Option<Preflight>>,
) -> Result<Response, BoxApiError> {
    let body = body.ok_or_else(|| BoxApiError::missing("name"))?;
    declared_size(&state, body.size)?;
    let name = body.name.ok_or_else(|| BoxApiError::missing("name"))?;
    let folder = folder_item(&state, &space, ParentRef::folder(body.parent)?)?;
    let space = reach::space_for(&state, &space, folder, BoxAccess::Write)?;
    check_name_free(&state, &space, folder, &name)?;
    Ok(upload_url(format!("{origin}/api/2.0/files/content")))
}

/// `OPTIONS …/files/{file_id}/content`: would this new version be accepted?
pub(crate) async fn preflight_version(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
    Origin(origin): Origin,
    BoxJson(body): BoxJson<Option<Preflight>>,
) -> Result<Response, BoxApiError> {
    let (size, name) = body.map_or((None, None), |b| (b.size, b.name));
    declared_size(&state, size)?;
    let view = state.store.item(&space, file)?;
    if view.file().is_none() {
        return Err(BoxApiError::NotFound);
    }
    let rename = name.filter(|name| *name != view.name);
    if let (Some(name), Some(parent)) = (rename, view.parent) {
        check_name_free(&state, &space, parent, &name)?;
    }
    Ok(upload_url(format!("{origin}/api/2.0/files/{file}/content")))
}

/// A preflight's `size`, when given: a whole number of bytes (`400 bad_request` naming `size`
/// otherwise, as Box's reference types it, <https://developer.box.com/reference/options-files-content/>),
/// within the largest file the emulator takes (`403 file_size_limit_exceeded`, the code Box
/// gives a file over the account's limit, with the message naming the option).
fn declared_size(state: &AppState, size: Option<serde_json::Value>) -> Result<(), BoxApiError> {
    let Some(size) = size else {
        return Ok(());
    };
    let size = size.as_u64().ok_or_else(|| {
        BoxApiError::invalid(
            "size",
            format!("Invalid value '{size}'. Expected a size in bytes, 0 or more."),
        )
    })?;
    let limit = state.sessions.max_file_size(MAX_FILE_SIZE);
    if size > limit {
        return Err(BoxApiError::FileSizeLimitExceeded(
            LimitError::FileTooLarge { size, limit }.to_string(),
        ));
    }
    Ok(())
}

fn upload_url(url: String) -> Response {
    Json(serde_json::json!({ "upload_url": url })).into_response()
}

fn open(
    state: &AppState,
    space: Space,
    size: u64,
    destination: Destination,
) -> Result<std::sync::Arc<Session>, BoxApiError> {
    let session = state.sessions.open(
        NewSession {
            face: Face::Box,
            space,
            by_app: false,
            destination,
            size: Some(size),
            max_size: MAX_FILE_SIZE,
            grid: Grid::Fixed(part_size_for(size)),
            commit: Commit::Explicit,
            lifetime: Lifetime {
                span: SESSION_LIFETIME,
                sliding: false,
            },
        },
        state.clock.now(),
    )?;
    Ok(session)
}

fn created(session: &Session, origin: &str, prefix: &str) -> Result<Response, BoxApiError> {
    Ok((
        StatusCode::CREATED,
        Json(session_json(session, origin, prefix)),
    )
        .into_response())
}

/// The caller's live session with this id; another user's is as unknown as a guessed one, and
/// so is a committed one: its file is made, as on the real service.
fn find(state: &AppState, space: &Space, id: &str) -> Result<std::sync::Arc<Session>, BoxApiError> {
    let session = find_any(state, space, id)?;
    if session.is_committed() {
        return Err(BoxApiError::NotFound);
    }
    Ok(session)
}

/// The caller's session with this id, committed or not.
fn find_any(
    state: &AppState,
    space: &Space,
    id: &str,
) -> Result<std::sync::Arc<Session>, BoxApiError> {
    let session = state.sessions.get(Face::Box, id, state.clock.now())?;
    if session.space.actor.id != space.actor.id {
        return Err(BoxApiError::NotFound);
    }
    Ok(session)
}

/// `409 item_name_in_use` when `name` is taken in `folder`, as the upload itself would answer.
fn check_name_free(
    state: &AppState,
    space: &Space,
    folder: ItemId,
    name: &str,
) -> Result<(), BoxApiError> {
    // Refused now rather than after the parts are sent, as the upload itself would be.
    validate_name(space.face, name)?;
    match state.store.resolve(space, folder, &[name.to_owned()]) {
        Ok(existing) => Err(StoreError::NameConflict {
            existing: Box::new(existing),
        }
        .into()),
        // The folder itself must exist, and not so deep that the file would be too deep.
        Err(StoreError::ItemNotFound) => {
            Ok(state.store.check_room(space, folder, &[name.to_owned()])?)
        }
        Err(other) => Err(other.into()),
    }
}

/// `file_size`: a whole number of bytes, at least the minimum.
fn file_size(value: Option<serde_json::Value>) -> Result<u64, BoxApiError> {
    let value = value.ok_or(BoxApiError::MissingFileSize)?;
    let size = value.as_u64().ok_or(BoxApiError::InvalidFileSize)?;
    if size < MIN_SESSION_SIZE {
        return Err(BoxApiError::FileSizeTooSmall);
    }
    Ok(size)
}

/// `digest: sha=<base64 SHA-1>` (RFC 3230), as every SDK sends it.
fn digest(headers: &HeaderMap) -> Result<[u8; 20], BoxApiError> {
    let value = headers
        .get("digest")
        .ok_or_else(|| BoxApiError::missing("digest"))?;
    value
        .to_str()
        .ok()
        .and_then(|v| {
            let (algorithm, encoded) = v.trim().split_once('=')?;
            algorithm.eq_ignore_ascii_case("sha").then_some(encoded)
        })
        .and_then(|encoded| {
            base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .ok()
        })
        .and_then(|bytes| <[u8; 20]>::try_from(bytes).ok())
        .ok_or_else(|| BoxApiError::invalid("digest", "Expected 'sha=<base64 SHA-1>'"))
}

/// Whether the commit's list names exactly the parts uploaded (order aside). Fields a client
/// leaves out are not compared; the offsets must all be there.
fn listed_match(session: &Session, listed: &[ListedPart], parts: &[Part]) -> bool {
    let mut listed: Vec<&ListedPart> = listed.iter().collect();
    listed.sort_by_key(|p| p.offset);
    listed.len() == parts.len()
        && listed.iter().zip(parts).all(|(l, part)| {
            let json = part_json(session, part);
            l.offset == Some(part.offset)
                && l.size.is_none_or(|s| s == part.size)
                && l.part_id.as_ref().is_none_or(|id| *id == json.part_id)
                && l.sha1
                    .as_ref()
                    .is_none_or(|s| s.eq_ignore_ascii_case(&json.sha1))
        })
}

fn part_json(session: &Session, part: &Part) -> UploadPart {
    UploadPart {
        part_id: part_id(&session.token, part.offset),
        offset: part.offset,
        size: part.size,
        sha1: part.sha1.map(|sha1| hex(&sha1)).unwrap_or_default(),
    }
}

/// Eight hex digits like Box's (`6F2D3486`), derived from the session and the offset so that
/// replies repeat under a frozen clock.
fn part_id(token: &str, offset: u64) -> String {
    let seed = u64::from_str_radix(token.get(..16).unwrap_or("0"), 16).unwrap_or(0);
    format!("{:08X}", splitmix64(seed ^ offset) as u32)
}

fn session_json(session: &Session, origin: &str, prefix: &str) -> UploadSession {
    let size = session.size().unwrap_or(0);
    let part_size = match session.grid {
        Grid::Fixed(part_size) => part_size,
        Grid::Sequential => size.max(1),
    };
    let base = format!("{origin}{prefix}/files/upload_sessions/{}", session.token);
    let progress = session.progress();
    UploadSession {
        id: session.token.clone(),
        kind: "upload_session",
        session_expires_at: Date(session.expires_at()),
        part_size,
        total_parts: size.div_ceil(part_size),
        num_parts_processed: progress.parts,
        session_endpoints: SessionEndpoints {
            upload_part: base.clone(),
            commit: format!("{base}/commit"),
            abort: base.clone(),
            list_parts: format!("{base}/parts"),
            status: base.clone(),
            log_event: format!("{base}/log"),
            plan: format!("{base}/plan"),
        },
    }
}

/// `/api/2.0` or `/2.0`, whichever the request came in on.
fn prefix(path: &str) -> &'static str {
    if path.starts_with("/api/") {
        "/api/2.0"
    } else {
        "/2.0"
    }
}

/// The one place session failures become Box errors.
impl From<SessionError> for BoxApiError {
    fn from(error: SessionError) -> Self {
        match error {
            // A committed session is removed, so `Completed` only shows in a race with a commit.
            SessionError::NotFound | SessionError::Completed => Self::NotFound,
            SessionError::TotalChanged | SessionError::OffGrid => Self::RangeNotSatisfiable,
            SessionError::LengthMismatch => Self::invalid(
                "content-range",
                "The content range does not match the length of the body",
            ),
            SessionError::PartExists | SessionError::Overlap | SessionError::OutOfOrder => {
                Self::PartConflict
            }
            SessionError::Incomplete => Self::PartsMismatch,
            SessionError::Limit(limit @ LimitError::FileTooLarge { .. }) => {
                Self::FileSizeLimitExceeded(limit.to_string())
            }
            SessionError::Limit(
                limit @ (LimitError::SessionBytes { .. } | LimitError::SessionsPerUser { .. }),
            ) => Self::StorageLimitExceeded(limit.to_string()),
        }
    }
}

/// A part's framing the emulator does not interpret: Box's `bad_request`, naming the header.
impl From<FramingError> for BoxApiError {
    fn from(error: FramingError) -> Self {
        match error {
            FramingError::NoRange => Self::missing("content-range"),
            FramingError::BadRange => {
                Self::invalid("content-range", "Expected 'bytes <start>-<end>/<total>'")
            }
            FramingError::SeveralRanges => Self::invalid("content-range", error.to_string()),
            FramingError::TransferCoding => Self::invalid("transfer-encoding", error.to_string()),
            FramingError::ContentCoding => Self::invalid("content-encoding", error.to_string()),
        }
    }
}
