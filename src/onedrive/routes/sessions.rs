//! Graph upload sessions: `POST {item}/createUploadSession` and what a client then does with the
//! `uploadUrl` it gets (`PUT` fragments, `GET` progress, `POST` a deferred commit, `DELETE`), as
//! <https://learn.microsoft.com/en-us/graph/api/driveitem-createuploadsession> describes them. The
//! bookkeeping is `crate::upload_session`'s; this file reads Graph's requests and writes Graph's
//! JSON.

use axum::extract::{Path, Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::{drives, json_bytes, reply, Call};
use crate::control::faults::dropped_connection;
use crate::control::journal::{Touched, Warning};
use crate::http::admission::{self, Verdict};
use crate::http::body;
use crate::http::origin::Origin;
use crate::http::request_scope;
use crate::onedrive::address::{ItemAddress, ItemRef};
use crate::onedrive::correlation::Correlation;
use crate::onedrive::errors::GraphError;
use crate::onedrive::model::{DriveFacts, DriveItem, FileSystemInfoInput, Links};
use crate::onedrive::query::conflict_behavior;
use crate::onedrive::tags;
use crate::state::AppState;
use crate::store::rules::validate_name;
use crate::store::{Face, FileTimes, OnConflict, StoreError, WriteTarget};
use crate::timestamp::utc_seconds;
use crate::upload_session::{
    part_range, Commit, Destination, FramingError, Grid, Lifetime, LimitError, NewSession,
    Progress, Session, SessionError, GIB,
};

/// How long a session lives after its creation or its last fragment. OneDrive has been seen
/// handing out 15 minutes and extending them with each fragment
/// (<https://github.com/OneDrive/onedrive-api-docs/issues/1260>).
pub const SESSION_LIFETIME: TimeDelta = TimeDelta::minutes(15);

/// The largest file Graph takes: "250 GB" (Microsoft's "Restrictions and limitations in
/// OneDrive and SharePoint", <https://support.microsoft.com/office/64883a5d-228e-48f5-b3d2-eb39e07630fa>),
/// read as GiB so that every size the real service takes is taken here; `--max-file-size` and
/// `--max-session-bytes` lower it.
pub const MAX_FILE_SIZE: u64 = 250 * GIB;

/// Graph asks that every fragment but the last be a multiple of 320 KiB, or "commits can fail"
/// (<https://learn.microsoft.com/en-us/graph/api/driveitem-createuploadsession>). The real service
/// takes other sizes (msgraph-core's `LargeFileUploadTask` sends one byte too many, and the upload
/// completes:
/// <https://github.com/microsoftgraph/msgraph-sdk-python-core/blob/main/src/msgraph_core/tasks/large_file_upload.py>),
/// and so does the emulator, with a warning in the journal and the log, so a test can find the
/// client that sends them
/// (`a_fragment_off_the_320_kib_grid_is_taken_with_a_warning_in_the_journal`).
pub const FRAGMENT_MULTIPLE: u64 = 320 * 1024;

/// The optional body: `{"item": {...}, "deferCommit": bool}`; other properties are accepted and
/// ignored, as the SDKs send `description` and friends.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody {
    #[serde(default)]
    item: Option<SessionItem>,
    #[serde(default)]
    defer_commit: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionItem {
    /// `@name.conflictBehavior` is the legacy spelling the OneDrive Linux client still sends
    /// (abraunegg/onedrive `src/onedrive.d`).
    #[serde(
        rename = "@microsoft.graph.conflictBehavior",
        alias = "@name.conflictBehavior"
    )]
    conflict_behavior: Option<String>,
    name: Option<String>,
    file_size: Option<u64>,
    /// The file's times, kept with the version the session makes (rclone and the OneDrive Linux
    /// client send the local file's here).
    file_system_info: Option<FileSystemInfoInput>,
}

/// The reply to `createUploadSession`, and (without the context) to progress requests.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct UploadSession {
    #[serde(rename = "@odata.context", skip_serializing_if = "Option::is_none")]
    context: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    upload_url: Option<String>,
    /// Always with a zone: msgraph-core compares it with an aware `datetime`
    /// (<https://github.com/microsoftgraph/msgraph-sdk-python-core/blob/main/src/msgraph_core/tasks/large_file_upload.py>).
    expiration_date_time: String,
    next_expected_ranges: Vec<String>,
}

/// `POST {item}/createUploadSession`: a new file at a path (`{parent}:/{name}:/…`), or a new
/// version of the file already there, or of an existing item (`items/{id}/…`). The name conflict is decided at completion,
/// when the bytes are all in; `If-Match` is checked now, against the item as it is.
pub(super) fn create_upload_session(
    call: &Call,
    item: &ItemAddress,
    body: &[u8],
) -> Result<Response, GraphError> {
    let body: CreateBody = if body.iter().all(u8::is_ascii_whitespace) {
        CreateBody::default()
    } else {
        serde_json::from_slice(body).map_err(|_| {
            GraphError::BadRequest(
                "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.".into(),
            )
        })?
    };
    let props = body.item.unwrap_or_default();
    let precondition = tags::if_match(call.headers)?;
    let base = call.base_id(&item.base)?;
    let (target, rename) = match item.path.split_last() {
        None => {
            // `items/{id}/createUploadSession`, or the root itself, which is a folder.
            let view = match item.base {
                ItemRef::Root => call.store.root(&call.space)?,
                ItemRef::Id(_) | ItemRef::Special(_) | ItemRef::Unknown => {
                    call.store.item(&call.space, base)?
                }
            };
            if view.file().is_none() {
                return Err(StoreError::WriteToFolder.into());
            }
            if precondition.is_some_and(|p| !p.holds(view.tags())) {
                return Err(GraphError::ResourceModified);
            }
            let rename = props.name.filter(|name| *name != view.name);
            if let Some(rename) = &rename {
                validate_name(call.space.face, rename)?;
            }
            (WriteTarget::Item(view.id), rename)
        }
        Some((name, _)) => {
            if props.name.as_ref().is_some_and(|given| given != name) {
                return Err(GraphError::InvalidRequest(
                    "The name in the path does not match the name in the request body.".into(),
                ));
            }
            // Refused now rather than after the fragments are sent, as the upload would be: a
            // bad name, or a path too long. The base must exist now; folders below it may be
            // made at completion.
            validate_name(call.space.face, name)?;
            call.store.check_room(&call.space, base, &item.path)?;
            match call.store.resolve(&call.space, base, &item.path) {
                Ok(existing) if existing.file().is_none() => {
                    return Err(StoreError::WriteToFolder.into())
                }
                Ok(existing) => {
                    if precondition.is_some_and(|p| !p.holds(existing.tags())) {
                        return Err(GraphError::ResourceModified);
                    }
                }
                // A precondition on something that does not exist cannot hold (RFC 9110 §13.1.1).
                Err(StoreError::ItemNotFound) if precondition.is_some() => {
                    return Err(GraphError::ResourceModified)
                }
                Err(StoreError::ItemNotFound) => {}
                Err(other) => return Err(other.into()),
            }
            let on_conflict = match (&props.conflict_behavior, call.query.conflict) {
                (Some(value), _) => conflict_behavior(value)?,
                (None, Some(from_query)) => from_query,
                // The page says `fail` is the default, but a session addressed by an existing
                // file's path with no behaviour named updates that file: rclone uploads every
                // file this way (`backend/onedrive/onedrive.go`, since 7f744033d) and its nightly
                // tests overwrite files on OneDrive for Business; users report `fail` only when
                // named (https://github.com/microsoftgraph/microsoft-graph-docs/issues/19010,
                // https://github.com/OneDrive/onedrive-api-docs/issues/772).
                (None, None) => OnConflict::Replace,
            };
            let target = WriteTarget::Path {
                base,
                segments: item.path.clone(),
                on_conflict,
                create_parents: true,
            };
            (target, None)
        }
    };
    let state = call.state;
    let now = state.clock.now();
    let session = state.sessions.open(
        NewSession {
            face: Face::Graph,
            space: call.space.clone(),
            by_app: call.grant.is_app(),
            destination: Destination {
                target,
                rename,
                times: props
                    .file_system_info
                    .map(FileTimes::from)
                    .unwrap_or_default(),
            },
            size: props.file_size,
            max_size: MAX_FILE_SIZE,
            grid: Grid::Sequential,
            commit: if body.defer_commit.unwrap_or(false) {
                Commit::Explicit
            } else {
                Commit::OnLastByte
            },
            lifetime: Lifetime {
                span: SESSION_LIFETIME,
                sliding: true,
            },
        },
        now,
    )?;
    let reply = UploadSession {
        context: Some(format!(
            "{}{}/$metadata#microsoft.graph.uploadSession",
            call.links.origin, call.links.base
        )),
        upload_url: Some(format!("{}/_upload/{}", call.links.origin, session.token)),
        expiration_date_time: zulu(session.expires_at()),
        next_expected_ranges: next_expected_ranges(&session.progress()),
    };
    json_bytes(StatusCode::OK, serde_json::to_vec(&reply))
}

/// Every request to an `uploadUrl`. Like SharePoint's pre-authenticated upload URLs, it needs no
/// `Authorization` (and ignores one): the token in the path is the credential. Fault rules
/// apply as to any Graph request, matched against the session owner, whom the journal records
/// as the caller.
pub(crate) async fn upload_to_session(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Origin(origin): Origin,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let session = state.sessions.get(Face::Graph, &token, state.clock.now());
    let owner = session.as_ref().ok().map(|s| s.space.actor.clone());
    let (answered, verdict) = admission::admit_by_url(&state, Face::Graph, owner, &parts).await;
    let correlation = Correlation::new(answered.request_id, &parts.headers);
    let result = match (verdict, session) {
        (Verdict::Admitted(()), Ok(session)) => {
            let method = parts.method.clone();
            let request = Request::from_parts(parts, body);
            let work = Box::pin(serve(&state, &session, &origin, &method, request));
            request_scope::run(state.store.clone(), work).await
        }
        (Verdict::Admitted(()), Err(missing)) => Err(missing.into()),
        (Verdict::Refused(refusal), _) => Err(refusal.into()),
        (Verdict::Dropped, _) => Ok(dropped_connection()),
    };
    reply(&state, answered, &correlation, result)
}

async fn serve(
    state: &AppState,
    session: &std::sync::Arc<Session>,
    origin: &str,
    method: &Method,
    request: Request,
) -> Result<Response, GraphError> {
    match *method {
        Method::PUT => {
            let range = part_range(request.headers())?;
            let bytes = body::read(request.into_body()).await?;
            let now = state.clock.now();
            let (sessions, writer) = (state.sessions.clone(), session.clone());
            let progress = state
                .sessions
                .off_thread(move || sessions.write(&writer, range, bytes, None, now))
                .await
                .ok_or(GraphError::GeneralException)??;
            if progress.complete && session.commit_mode() == Commit::OnLastByte {
                return commit(state, session, origin);
            }
            let reply = progress_reply(StatusCode::ACCEPTED, &progress)?;
            let last = range.end + 1 == range.total;
            if last || range.len() % FRAGMENT_MULTIPLE == 0 {
                return Ok(reply);
            }
            let warning = format!(
                "a fragment of {} bytes, not a multiple of 320 KiB ({FRAGMENT_MULTIPLE} bytes): \
                 Graph asks that of every fragment but the last",
                range.len()
            );
            tracing::warn!("{warning}");
            Ok(Warning::mark(warning, reply))
        }
        // `deferCommit: true` completes with an empty POST
        // (https://learn.microsoft.com/en-us/graph/api/driveitem-createuploadsession).
        Method::POST => commit(state, session, origin),
        Method::GET => progress_reply(StatusCode::OK, &session.progress()),
        Method::DELETE => {
            state
                .sessions
                .remove(Face::Graph, &session.token, state.clock.now())?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        _ => Err(GraphError::MethodNotAllowed {
            allow: "GET, PUT, POST, DELETE".into(),
        }),
    }
}

/// The one store write of a session: `201` with a new item, `200` with a new version.
fn commit(state: &AppState, session: &Session, origin: &str) -> Result<Response, GraphError> {
    // Before the write, so that a refusal leaves nothing written.
    let drive = drives::of_space(&*state.store, session, state.hide_unreachable_drives)?;
    let written = state.sessions.commit(
        session,
        |_, _| Ok::<(), GraphError>(()),
        |write| Ok(state.store.write_file(&session.space, write, None)?),
    )?;
    let facts = DriveFacts::new(&drive, origin);
    let links = Links {
        origin,
        base: "/v1.0",
        drive: &facts,
        signer: &state.links,
        now: state.clock.now(),
    };
    let status = if written.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let reply = json_bytes(
        status,
        serde_json::to_vec(&DriveItem::new(&written.item, &links, true)),
    )?;
    Ok(Touched::mark(written.item.id, reply))
}

fn progress_reply(status: StatusCode, progress: &Progress) -> Result<Response, GraphError> {
    let reply = UploadSession {
        context: None,
        upload_url: None,
        expiration_date_time: zulu(progress.expires_at),
        next_expected_ranges: next_expected_ranges(progress),
    };
    json_bytes(status, serde_json::to_vec(&reply))
}

/// The ranges still wanted in the closed form real services send (`"26-99"`), which is the only one
/// msgraph-core can read; `"0-"` while the size is unknown, as
/// <https://learn.microsoft.com/en-us/graph/api/resources/uploadsession> shows it (the reading is
/// in
/// <https://github.com/microsoftgraph/msgraph-sdk-python-core/blob/main/src/msgraph_core/tasks/large_file_upload.py>).
fn next_expected_ranges(progress: &Progress) -> Vec<String> {
    progress
        .missing
        .iter()
        .map(|(start, end)| match end {
            Some(end) => format!("{start}-{end}"),
            None => format!("{start}-"),
        })
        .collect()
}

fn zulu(at: DateTime<Utc>) -> String {
    utc_seconds(at, "Z").to_string()
}

/// The one place session failures become Graph errors (the wording as captured in
/// <https://github.com/OneDrive/onedrive-api-docs/issues/1273> and
/// <https://github.com/microsoftgraph/msgraph-sdk-java/issues/1393>).
impl From<SessionError> for GraphError {
    fn from(error: SessionError) -> Self {
        match error {
            SessionError::NotFound => Self::ItemNotFound,
            // The real service answers a fragment sent after completion with 400
            // (https://github.com/microsoftgraph/msgraph-sdk-python-core/issues/718).
            SessionError::Completed => {
                Self::InvalidRequest("The upload session has already been completed.".into())
            }
            SessionError::TotalChanged => Self::InvalidRequest(
                "The Content-Range total does not match the size of the upload session.".into(),
            ),
            SessionError::LengthMismatch => Self::InvalidRequest(
                "The Content-Range header length does not match the provided number of bytes."
                    .into(),
            ),
            SessionError::Overlap | SessionError::PartExists => Self::InvalidRange {
                message: "Uploaded fragment overlaps with existing data.",
                inner: Some("fragmentOverlap"),
            },
            SessionError::OutOfOrder | SessionError::OffGrid => Self::InvalidRange {
                message: "Uploaded fragment is out of order.",
                inner: None,
            },
            SessionError::Incomplete => Self::InvalidRequest(
                "The upload session is not complete: bytes are still expected.".into(),
            ),
            SessionError::Limit(limit @ LimitError::FileTooLarge { .. }) => {
                Self::MaxFileSizeExceeded(limit.to_string())
            }
            SessionError::Limit(
                limit @ (LimitError::SessionBytes { .. } | LimitError::SessionsPerUser { .. }),
            ) => Self::QuotaLimitReached(limit.to_string()),
        }
    }
}

/// A fragment's framing the emulator does not interpret: Graph's 400 for a bad `Content-Range`
/// (msgraph-sdk-java#1393), with what was wrong.
impl From<FramingError> for GraphError {
    fn from(error: FramingError) -> Self {
        match error {
            FramingError::NoRange | FramingError::BadRange => {
                Self::InvalidRequest("The Content-Range header is missing or malformed.".into())
            }
            FramingError::SeveralRanges
            | FramingError::TransferCoding
            | FramingError::ContentCoding => Self::InvalidRequest(error.to_string().into()),
        }
    }
}
