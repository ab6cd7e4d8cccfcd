//! `GET /2.0/recent_items` (<https://developer.box.com/reference/get-recent-items/>): the files
//! the caller interacted with lately, one entry per file with its latest interaction, newest
//! first, read from the store's change log (no second history is kept).
//!
//! What counts as an interaction, by the caller's change to the file (`interaction_type`):
//! - `item_upload`: the file was uploaded new, or made as a copy;
//! - `item_comment`: a comment on it (or a reply) was made, edited or deleted;
//! - `item_modify`: anything else the caller changed: a new version, a promote, a version
//!   deleted, trashed or restored, a rename, a move, a description or tags edit, a lock or
//!   unlock, a metadata instance made, changed or deleted, a restore from the trash.
//!
//! Downloads and previews (`item_open`, `item_preview`) are not logged (a download changes
//! nothing) and so never show. Folders are left out (Box's Recents lists files), as is a file
//! in the trash or purged, another user's change to a file, and a change older than 90 days
//! on the emulator's clock or past the newest 1000 files (Box's bounds).
//!
//! Marker paging: `limit` (100 by default, at most 1000), `next_marker` the change-log position
//! of the page's last interaction (the next page holds files whose latest interaction is older),
//! `null` on the last page. Each `item` is a standard file, or cut to `fields`;
//! `interaction_shared_link` is `null` (no link opens are recorded).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxQuery, Caller};
use crate::box_api::fields::{shape, Fields, Shaped, FILE_BASE};
use crate::box_api::model::{Date, FileJson};
use crate::box_api::paging;
use crate::box_api::shared_link::LinkUrls;
use crate::state::AppState;
use crate::store::{ChangeKind, RecentQuery};

const DEFAULT_LIMIT: usize = 100;
/// Box keeps "the last 90 days or up to the last 1000 items accessed" (the spec's summary).
const MAX_ITEMS: usize = 1000;
const MAX_DAYS: i64 = 90;

#[derive(Debug, Deserialize)]
pub(crate) struct RecentItemsQuery {
    fields: Option<String>,
    limit: Option<String>,
    marker: Option<String>,
}

#[derive(Debug, Serialize)]
struct RecentItemJson<T> {
    #[serde(rename = "type")]
    kind: &'static str,
    interaction_type: &'static str,
    interacted_at: Date,
    interaction_shared_link: Option<()>,
    item: T,
}

#[derive(Debug, Serialize)]
struct RecentItems<T> {
    entries: Vec<RecentItemJson<T>>,
    limit: usize,
    next_marker: Option<String>,
}

/// The interaction a change of the caller's stands for.
fn interaction(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::FileCreated | ChangeKind::Copied => "item_upload",
        ChangeKind::CommentCreated(_)
        | ChangeKind::CommentEdited(_)
        | ChangeKind::CommentDeleted(_) => "item_comment",
        _ => "item_modify",
    }
}

/// 200 with a page of recent files; 400 on a bad `limit` or `marker`.
pub(crate) async fn get_recent_items(
    State(state): State<AppState>,
    Caller(space): Caller,
    BoxQuery(query): BoxQuery<RecentItemsQuery>,
    urls: LinkUrls,
) -> Result<Response, BoxApiError> {
    let limit = paging::limit(query.limit.as_deref(), DEFAULT_LIMIT)?;
    let before = match query.marker.as_deref() {
        None | Some("") => None,
        Some(marker) => Some(
            marker
                .parse::<u64>()
                .map_err(|_| BoxApiError::invalid("marker", "Invalid value for 'marker'"))?,
        ),
    };
    let recent = RecentQuery {
        since: state.clock.now() - Duration::days(MAX_DAYS),
        max_items: MAX_ITEMS,
        before,
        limit,
    };
    let page = state.store.recent_changes(&space, recent)?;
    let fields = Fields::parse(query.fields.as_deref());
    let entries: Vec<RecentItemJson<Shaped<FileJson<'_>>>> = (page.entries.iter())
        .filter_map(|recent| {
            let file = FileJson::new(&recent.item, fields.is_some(), &urls)?;
            Some(RecentItemJson {
                kind: "recent_item",
                interaction_type: interaction(recent.kind),
                interacted_at: Date(recent.at),
                interaction_shared_link: None,
                item: shape(fields.as_ref(), file, FILE_BASE),
            })
        })
        .collect();
    let next_marker = match page.more {
        true => page.entries.last().map(|e| e.position.to_string()),
        false => None,
    };
    Ok(Json(RecentItems {
        entries,
        limit,
        next_marker,
    })
    .into_response())
}
