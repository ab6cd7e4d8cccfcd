//! Which changes a webhook hears, and the delivery each sends (`webhooks`'s `//!` has the
//! table).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{header, HeaderValue};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use serde_json::value::{to_raw_value, RawValue};

use super::registry::Webhook;
use super::signature;
use crate::box_api::model::{Date, FileJson, FolderJson, Str, UserMini};
use crate::box_api::names;
use crate::box_api::shared_link::LinkUrls;
use crate::control::journal::Api;
use crate::deliver::{Delivery, Payload, RetryPolicy, Stamp};
use crate::state::AppState;
use crate::store::{ChangeEntry, ChangeKind, Face, ItemId, ItemKind, Space, User};

/// A 2xx within 30 seconds, else up to 10 retries with back-off
/// (<https://developer.box.com/guides/webhooks/v2/>; the schedule is not published).
const POLICY: RetryPolicy = RetryPolicy {
    retries: 10,
    first_backoff: Duration::from_secs(1),
    max_backoff: Duration::from_secs(600),
    timeout: Duration::from_secs(30),
};

/// The trigger a change fires, by whether the item is a folder.
fn trigger(kind: ChangeKind, folder: bool) -> Option<&'static str> {
    let (file, folder_trigger) = match kind {
        ChangeKind::FileCreated | ChangeKind::VersionAdded => ("FILE.UPLOADED", None),
        ChangeKind::FolderCreated => ("", Some("FOLDER.CREATED")),
        ChangeKind::Renamed => ("FILE.RENAMED", Some("FOLDER.RENAMED")),
        ChangeKind::Moved => ("FILE.MOVED", Some("FOLDER.MOVED")),
        ChangeKind::Trashed => ("FILE.TRASHED", Some("FOLDER.TRASHED")),
        ChangeKind::Untrashed => ("FILE.RESTORED", Some("FOLDER.RESTORED")),
        ChangeKind::Deleted | ChangeKind::Purged => ("FILE.DELETED", Some("FOLDER.DELETED")),
        ChangeKind::Copied => ("FILE.COPIED", Some("FOLDER.COPIED")),
        ChangeKind::Locked => ("FILE.LOCKED", None),
        ChangeKind::Unlocked => ("FILE.UNLOCKED", None),
        ChangeKind::CommentCreated(_) => ("COMMENT.CREATED", None),
        ChangeKind::CommentEdited(_) => ("COMMENT.UPDATED", None),
        ChangeKind::CommentDeleted(_) => ("COMMENT.DELETED", None),
        // Folder targets only (https://developer.box.com/guides/webhooks/triggers/).
        ChangeKind::CollabAdded | ChangeKind::CollabInvited => ("", Some("COLLABORATION.CREATED")),
        ChangeKind::CollabAccepted => ("", Some("COLLABORATION.ACCEPTED")),
        ChangeKind::CollabRejected => ("", Some("COLLABORATION.REJECTED")),
        ChangeKind::CollabChanged => ("", Some("COLLABORATION.UPDATED")),
        ChangeKind::CollabRemoved => ("", Some("COLLABORATION.REMOVED")),
        _ => return None,
    };
    match folder {
        true => folder_trigger,
        false => Some(file).filter(|t| !t.is_empty()),
    }
}

#[derive(Serialize)]
struct WebhookRef {
    id: Str<u64>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct WebhookEvent<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    created_at: Date,
    trigger: &'static str,
    webhook: WebhookRef,
    created_by: Option<UserMini<'a>>,
    source: &'a RawValue,
    additional_info: [(); 0],
}

/// What one change's deliveries share: the item's JSON is most of each body.
struct Shared {
    at: DateTime<Utc>,
    trigger: &'static str,
    actor: Option<Arc<User>>,
    source: Box<RawValue>,
}

impl Shared {
    /// The body of the delivery to `hook`, made when it first goes out.
    fn body(&self, event_id: &str, hook: u64) -> Bytes {
        let event = WebhookEvent {
            kind: "webhook_event",
            id: event_id,
            created_at: Date(self.at),
            trigger: self.trigger,
            webhook: WebhookRef {
                id: Str(hook),
                kind: "webhook",
            },
            created_by: self.actor.as_deref().map(UserMini::new),
            source: &self.source,
            additional_info: [],
        };
        // Serializing borrowed strings and raw JSON into a vector cannot fail.
        Bytes::from(serde_json::to_vec(&event).unwrap_or_default())
    }
}

/// Queues a delivery for every webhook of the space's owner that watches the item (or a folder
/// above it) for the trigger the change fires.
pub(crate) fn on_change(state: &AppState, entry: &ChangeEntry) {
    if entry.space.face != Face::Box || entry.space.shared {
        return;
    }
    let Some(trigger) = trigger(entry.kind, entry.folder) else {
        return;
    };
    let hooks: Vec<Arc<Webhook>> = state
        .webhooks
        .of_user(&entry.space.owner)
        .into_iter()
        .filter(|h| h.triggers.contains(&trigger))
        .collect();
    if hooks.is_empty() {
        return;
    }
    let Some(owner) = state.store.user(&entry.space.owner) else {
        return;
    };
    let space = Space::own(Face::Box, owner);
    // The folders above the item: its parent (after the change) and the parent's own.
    let mut above: Vec<ItemId> = Vec::new();
    if let Some(parent) = entry.parent {
        above.push(parent);
        if let Ok(view) = state.store.item(&space, parent) {
            above.extend(view.ancestors.iter().map(|a| a.id));
        }
    }
    let hears = |hook: &&Arc<Webhook>| {
        // `FILE.UPLOADED` is about a folder's contents, never the folder itself.
        let itself = hook.target == entry.item && trigger != "FILE.UPLOADED";
        let below = hook.target_kind == ItemKind::Folder && above.contains(&hook.target);
        itself || below
    };
    let hearing: Vec<&Arc<Webhook>> = hooks.iter().filter(hears).collect();
    if hearing.is_empty() {
        return;
    }
    // What every webhook's body shares, made once: the item's JSON is most of each body. Its
    // minis name users as they are now, as a reply's do (`names`).
    let source = names::sync_scope(state.store.clone(), || match entry.kind.comment() {
        Some(comment) => to_raw_value(&crate::box_api::routes::comments::comment_source(
            state, &space, comment, entry.item,
        ))
        .ok(),
        None => source(state, &space, entry),
    });
    let Some(source) = source else {
        return;
    };
    let shared = Arc::new(Shared {
        at: entry.at,
        trigger,
        actor: state.store.user(&entry.actor),
        source,
    });
    let keys = state.webhook_keys.clone();
    let stamp: Stamp = Arc::new(move |body: &[u8]| signature::stamp(&keys.get(), body));
    for hook in hearing {
        let event_id = state.webhooks.event_id().to_string();
        let body = {
            let (shared, event_id, hook) = (shared.clone(), event_id.clone(), hook.id);
            Payload::Deferred(Box::new(move || shared.body(&event_id, hook)))
        };
        state.deliveries.enqueue(Delivery {
            api: Api::Box,
            subscription: Arc::from(hook.id.to_string()),
            kind: "webhook",
            receiver: hook.receiver.clone(),
            body,
            headers: vec![
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (
                    header::USER_AGENT,
                    HeaderValue::from_static("Box-WH-Client/0.1"),
                ),
            ],
            stamp: Some(stamp.clone()),
            cause: None,
            change: Some(entry.position),
            item: Some(entry.item),
            event: Some(event_id),
            coalesce: false,
            policy: state.delivery_tuning.apply(POLICY),
        });
    }
}

/// The changed item in its standard form, as it is now (in the trash for a trashed one); for
/// an item deleted for good, what the change log still knows of it.
fn source(state: &AppState, space: &Space, entry: &ChangeEntry) -> Option<Box<RawValue>> {
    let kind = match entry.folder {
        true => ItemKind::Folder,
        false => ItemKind::File,
    };
    let view = state
        .store
        .item(space, entry.item)
        .or_else(|_| state.store.trashed_item(space, entry.item, kind));
    let urls = LinkUrls::unrequested(state);
    let json = view.ok().and_then(|item| match entry.folder {
        true => FolderJson::new(&item, &urls).and_then(|j| to_raw_value(&j).ok()),
        false => FileJson::new(&item, false, &urls).and_then(|j| to_raw_value(&j).ok()),
    });
    json.or_else(|| {
        to_raw_value(&json!({
            "id": entry.item.to_string(),
            "type": if entry.folder { "folder" } else { "file" },
            "name": entry.name,
        }))
        .ok()
    })
}
