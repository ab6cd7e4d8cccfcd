//! Box's user event stream over the store's change log: `GET /2.0/events`, and its long poll,
//! `OPTIONS /2.0/events` (the real-time server's URL) and that URL,
//! `GET /2.0/events/realtime` (<https://developer.box.com/guides/events/user-events/polling/>).
//!
//! - Stream positions are the change log's: `next_stream_position` is a string, never `0`
//!   (legacy Node's stream ignores a falsy one), and a position is accepted as a string or
//!   number. `now` answers no entries and the current position; `0` or none starts from the
//!   oldest change kept. A position older than the oldest kept (Box keeps events for weeks; the
//!   emulator `--change-log-len` of them) starts from the oldest kept, as Box has no resync
//!   error for this stream.
//! - `stream_type`: `all` (default) and `changes` hold the same events here but for comment
//!   events, which are in `all` only, as Box lists them, and task assignment events (likewise,
//!   as they change no file); `sync` is read as `changes` (the
//!   emulator has no synced folders to narrow it to); `admin_logs` and `admin_logs_streaming` are the enterprise's and
//!   answer `403 access_denied_insufficient_permissions`, as to a user who is not an admin.
//! - `limit`: default 100, at most 500 (more is cut to 500, as the spec's maximum says).
//! - Entries: `type: event`, a stable `event_id` per change (so a client de-duplicating by id
//!   never drops a new one), `created_by` (the acting user), `created_at` and `recorded_at` on
//!   the emulator's clock, `event_type`, `session_id: null`, and `source`: the file or folder as
//!   `GET /files/{id}` or `/folders/{id}` shows it now (trashed ones with `item_status:
//!   trashed`), or `null` once it is purged. Kinds: create folder `ITEM_CREATE`, upload (new file
//!   or version) `ITEM_UPLOAD`, promote `ITEM_MAKE_CURRENT_VERSION`, rename `ITEM_RENAME`, move
//!   `ITEM_MOVE`, trash `ITEM_TRASH`, restore from trash `ITEM_UNDELETE_VIA_TRASH`. A purge,
//!   and a version's trash or restore, make no user event (none is listed for them), nor does
//!   a metadata instance's change (Box lists those events for the enterprise's stream). A comment
//!   made, edited or deleted (a reply too) is `COMMENT_CREATE`, `COMMENT_EDIT` or
//!   `COMMENT_DELETE` (the spec's `event_type` names) with the comment as `source` (type,
//!   id and file only once it is deleted), in the `all` stream only. A task assigned, and an
//!   assignment answered or its message changed, is `TASK_ASSIGNMENT_CREATE` or
//!   `TASK_ASSIGNMENT_UPDATE` with the assignment as `source` (likewise).
//! - Long poll: `OPTIONS /events` hands out `{origin}/2.0/events/realtime?channel=…&stream_type=all`
//!   on the emulator itself (the origin download links use: `--public-url`, else the request's
//!   `Host`); a `GET` there (with the bearer token, as the SDKs send it) answers
//!   `{"message":"new_change"}` as soon as the caller's stream has a change after its
//!   `stream_position` (at once when there is one already), else `{"message":"reconnect"}`
//!   after 30 s, or at once when the server stops; `timeout_ms` (the emulator's own parameter, at
//!   most 600000) sets that hold for tests.

use std::time::Duration;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha1::{Digest, Sha1};

use super::IdValue;
use crate::box_api::change_source;
use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxQuery, Caller};
use crate::box_api::model::{Date, FileJson, FolderJson, UserMini};
use crate::box_api::shared_link::LinkUrls;
use crate::http::origin::Origin;
use crate::state::AppState;
use crate::store::{
    ChangeEntry, ChangeFilter, ChangeKind, ChangeLogError, ChangePage, ItemKind, Space,
};

const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 500;
/// How long a long poll is held before `reconnect`, unless `timeout_ms` says otherwise.
const HOLD: Duration = Duration::from_secs(30);
const MAX_HOLD_MS: u64 = 600_000;
/// What `OPTIONS /events` advertises: `retry_timeout` above the hold, as legacy Node uses it
/// as its HTTP timeout.
const RETRY_TIMEOUT: u64 = 610;

#[derive(Debug, Deserialize)]
pub(crate) struct EventsQuery {
    stream_position: Option<IdValue>,
    stream_type: Option<String>,
    limit: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct PollQuery {
    stream_position: Option<IdValue>,
    timeout_ms: Option<String>,
}

/// Where to read from, as a `stream_position` says.
enum Start {
    Now,
    /// Changes after this log position (0: from the oldest kept).
    After(u64),
}

fn start(position: Option<&IdValue>) -> Result<Start, BoxApiError> {
    let invalid = |value: &str| {
        BoxApiError::invalid(
            "stream_position",
            format!(
                "Invalid value '{value}'. 'stream_position' must be 'now' or a stream position"
            ),
        )
    };
    match position {
        None => Ok(Start::After(0)),
        Some(IdValue::Number(n)) => Ok(Start::After(n.saturating_sub(1))),
        Some(IdValue::Text(text)) if text.eq_ignore_ascii_case("now") => Ok(Start::Now),
        Some(IdValue::Text(text)) => match text.bytes().all(|b| b.is_ascii_digit()) {
            true => text
                .parse::<u64>()
                .map(|n| Start::After(n.saturating_sub(1)))
                .map_err(|_| invalid(text)),
            false => Err(invalid(text)),
        },
    }
}

/// A log position as a stream position: one more, so that it is never `0`.
fn stream_position(after: u64) -> String {
    (after + 1).to_string()
}

#[derive(Serialize)]
struct Events {
    chunk_size: usize,
    next_stream_position: String,
    entries: Vec<Value>,
}

/// `GET /2.0/events`.
pub(crate) async fn list_events(
    State(state): State<AppState>,
    Caller(space): Caller,
    BoxQuery(query): BoxQuery<EventsQuery>,
) -> Result<Response, BoxApiError> {
    // Comment events are in the `all` stream only
    // (<https://developer.box.com/guides/events/user-events/for-user/>); task assignment events
    // too, as they change no file (the emulator's choice: Box's list gives no stream for them).
    let all_stream = match query.stream_type.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("all") => true,
        Some("changes" | "sync") => false,
        Some("admin_logs" | "admin_logs_streaming") => {
            return Err(BoxApiError::AccessDeniedInsufficientPermissions)
        }
        Some(other) => {
            return Err(BoxApiError::invalid(
                "stream_type",
                format!("Invalid value '{other}'. 'stream_type' must be one of all, changes, sync, admin_logs, admin_logs_streaming"),
            ))
        }
    };
    let limit = match query.limit.as_deref() {
        None => DEFAULT_LIMIT,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if n > 0 => n.min(MAX_LIMIT),
            _ => return Err(BoxApiError::InvalidLimit),
        },
    };
    let after = match start(query.stream_position.as_ref())? {
        Start::Now => {
            let events = Events {
                chunk_size: 0,
                next_stream_position: stream_position(state.store.latest_position()),
                entries: Vec::new(),
            };
            return Ok(Json(events).into_response());
        }
        Start::After(after) => after,
    };
    let filter = ChangeFilter::space(&space);
    let page = page_from(&state, after, limit, &filter)?;
    let entries: Vec<Value> = (page.entries.iter())
        .filter(|entry| {
            all_stream || (entry.kind.comment().is_none() && entry.kind.task_assignment().is_none())
        })
        .filter_map(|entry| event(&state, &space, entry))
        .collect();
    let events = Events {
        chunk_size: entries.len(),
        next_stream_position: stream_position(page.next),
        entries,
    };
    Ok(Json(events).into_response())
}

/// The changes after `after`, or after the oldest kept when `after` is older (or past the
/// newest, for a position that is not ours).
fn page_from(
    state: &AppState,
    after: u64,
    limit: usize,
    filter: &ChangeFilter,
) -> Result<ChangePage, BoxApiError> {
    let retry = match state.store.changes_since(after, limit, filter) {
        Ok(page) => return Ok(page),
        Err(ChangeLogError::TooOld { floor, .. }) => floor,
        Err(ChangeLogError::Ahead { latest, .. }) => latest,
        Err(ChangeLogError::Store(error)) => return Err(error.into()),
    };
    match state.store.changes_since(retry, limit, filter) {
        Ok(page) => Ok(page),
        Err(ChangeLogError::Store(error)) => Err(error.into()),
        // The log was expired again between the two reads: nothing to show yet.
        Err(_) => Ok(ChangePage {
            entries: Vec::new(),
            next: retry,
            more: false,
            latest: retry,
        }),
    }
}

/// The user event a change makes, if it makes one.
fn event(state: &AppState, space: &Space, entry: &ChangeEntry) -> Option<Value> {
    let event_type = match entry.kind {
        ChangeKind::FolderCreated => "ITEM_CREATE",
        ChangeKind::FileCreated | ChangeKind::VersionAdded => "ITEM_UPLOAD",
        ChangeKind::VersionPromoted => "ITEM_MAKE_CURRENT_VERSION",
        ChangeKind::Renamed => "ITEM_RENAME",
        ChangeKind::Moved => "ITEM_MOVE",
        ChangeKind::Modified => "ITEM_MODIFY",
        ChangeKind::Trashed | ChangeKind::Deleted => "ITEM_TRASH",
        ChangeKind::Untrashed => "ITEM_UNDELETE_VIA_TRASH",
        ChangeKind::Copied => "ITEM_COPY",
        ChangeKind::Locked => "LOCK_CREATE",
        ChangeKind::Unlocked => "LOCK_DESTROY",
        ChangeKind::CommentCreated(_) => "COMMENT_CREATE",
        ChangeKind::CommentEdited(_) => "COMMENT_EDIT",
        ChangeKind::CommentDeleted(_) => "COMMENT_DELETE",
        ChangeKind::CollabAdded | ChangeKind::CollabAccepted => "COLLAB_ADD_COLLABORATOR",
        ChangeKind::CollabInvited => "COLLAB_INVITE_COLLABORATOR",
        ChangeKind::CollabChanged => "COLLAB_ROLE_CHANGE",
        ChangeKind::CollabRemoved => "COLLAB_REMOVE_COLLABORATOR",
        ChangeKind::TaskAssigned(_) => "TASK_ASSIGNMENT_CREATE",
        ChangeKind::TaskAssignmentUpdated(_) => "TASK_ASSIGNMENT_UPDATE",
        ChangeKind::CollabRejected => return None,
        ChangeKind::Purged
        | ChangeKind::VersionDeleted
        | ChangeKind::VersionTrashed
        | ChangeKind::VersionUntrashed => return None,
        // Box lists `METADATA_INSTANCE_*` for the enterprise's stream, not a user's.
        ChangeKind::MetadataCreated | ChangeKind::MetadataUpdated | ChangeKind::MetadataDeleted => {
            return None
        }
    };
    let actor = state.store.user_by_id(&entry.actor);
    let created_by = match &actor {
        Some(user) => json!(UserMini::new(user)),
        None => Value::Null,
    };
    Some(json!({
        "type": "event",
        "event_id": event_id(entry.position),
        "created_by": created_by,
        "created_at": Date(entry.at),
        "recorded_at": Date(entry.at),
        "event_type": event_type,
        "session_id": null,
        "source": change_source::on_file(state, space, entry)
            .unwrap_or_else(|| source(state, space, entry)),
    }))
}

/// The item as Box shows it now, in the trash or not; `null` once it is gone.
fn source(state: &AppState, space: &Space, entry: &ChangeEntry) -> Value {
    let kind = match entry.folder {
        true => ItemKind::Folder,
        false => ItemKind::File,
    };
    let view = (state.store.item(space, entry.item))
        .or_else(|_| state.store.trashed_item(space, entry.item, kind));
    match (view, entry.folder) {
        (Ok(view), false) => (FileJson::new(&view, false, &LinkUrls::unrequested(state)))
            .map_or(Value::Null, |f| json!(f)),
        (Ok(view), true) => (FolderJson::new(&view, &LinkUrls::unrequested(state)))
            .map_or(Value::Null, |f| json!(f)),
        (Err(_), _) => Value::Null,
    }
}

/// 40 hex digits, like Box's: a hash of the position, so the same change always has the same id
/// and no two changes share one.
fn event_id(position: u64) -> String {
    hex_sha1(&format!("restore-mock event {position}"))
}

fn hex_sha1(text: &str) -> String {
    Sha1::digest(text)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `OPTIONS /2.0/events`: the real-time server to long-poll, on the emulator itself.
pub(crate) async fn realtime_servers(Caller(space): Caller, Origin(origin): Origin) -> Json<Value> {
    let channel = &hex_sha1(&format!("restore-mock channel {}", space.actor.id))[..20];
    Json(json!({
        "chunk_size": 1,
        "entries": [{
            "type": "realtime_server",
            "url": format!("{origin}/2.0/events/realtime?channel={channel}&stream_type=all"),
            "ttl": "10",
            "max_retries": "10",
            "retry_timeout": RETRY_TIMEOUT,
        }],
    }))
}

/// `GET /2.0/events/realtime`: `new_change` once the caller's stream has a change after
/// `stream_position`, `reconnect` after the hold.
pub(crate) async fn long_poll(
    State(state): State<AppState>,
    Caller(space): Caller,
    BoxQuery(query): BoxQuery<PollQuery>,
) -> Result<Json<Value>, BoxApiError> {
    let hold = match query.timeout_ms.as_deref() {
        None => HOLD,
        Some(raw) => match raw.parse::<u64>() {
            Ok(ms) => Duration::from_millis(ms.min(MAX_HOLD_MS)),
            Err(_) => {
                return Err(BoxApiError::invalid(
                    "timeout_ms",
                    format!("Invalid value '{raw}'. 'timeout_ms' must be a number of milliseconds"),
                ))
            }
        },
    };
    // Subscribed before the first look, so that a change between the look and the wait wakes it.
    let mut changes = state.store.subscribe_changes();
    let after = match start(query.stream_position.as_ref())? {
        Start::Now => state.store.latest_position(),
        Start::After(after) => after,
    };
    let filter = ChangeFilter::space(&space);
    let deadline = tokio::time::Instant::now() + hold;
    let mut stopping = state.stopping.subscribe();
    let mut after = after;
    loop {
        match state.store.changes_since(after, 1, &filter) {
            Ok(page) if !page.entries.is_empty() => {
                return Ok(Json(json!({"message": "new_change"})))
            }
            Ok(page) => after = page.next,
            // Changes the caller never saw are gone: there is something new for it.
            Err(ChangeLogError::TooOld { .. }) => {
                return Ok(Json(json!({"message": "new_change"})))
            }
            Err(ChangeLogError::Ahead { latest, .. }) => after = latest,
            Err(ChangeLogError::Store(error)) => return Err(error.into()),
        }
        let changed = tokio::select! {
            changed = tokio::time::timeout_at(deadline, changes.changed()) => {
                matches!(changed, Ok(Ok(())))
            }
            _ = stopping.wait_for(|stopping| *stopping) => false,
        };
        if !changed {
            // The hold is over, the store is gone or the server is stopping: Box's own word for
            // "come back later".
            return Ok(Json(json!({"message": "reconnect"})));
        }
    }
}
