//! Which changes a webhook hears, and the delivery each sends (`webhooks`'s `//!` has the
//! table).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{header, HeaderName, HeaderValue};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use serde_json::value::{to_raw_value, RawValue};

use super::registry::Webhook;
use super::signature;
use crate::box_api::change_source;
use crate::box_api::model::{Date, FileJson, FolderJson, UserMini};
use crate::box_api::shared_link::LinkUrls;
use crate::control::journal::Api;
use crate::deliver::{Body, Delivery, Occasion, RetryPolicy, Stamp};
use crate::names;
use crate::state::{AppState, WeakState};
use crate::store::{ChangeEntry, ChangeKind, Face, ItemId, ItemKind, ItemView, Space, User};

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
        // On the assignment's file; `source` is the assignment (a user of Box's finds the task's
        // fields missing from it: https://support.box.com/hc/en-us/community/posts/360049195213).
        ChangeKind::TaskAssigned(_) => ("TASK_ASSIGNMENT.CREATED", None),
        ChangeKind::TaskAssignmentUpdated(_) => ("TASK_ASSIGNMENT.UPDATED", None),
        // The item is the body's `source`: Box does not show it for these; its reference
        // (https://developer.box.com/guides/webhooks/triggers/) lists them for files and folders.
        ChangeKind::MetadataCreated => (
            "METADATA_INSTANCE.CREATED",
            Some("METADATA_INSTANCE.CREATED"),
        ),
        ChangeKind::MetadataUpdated => (
            "METADATA_INSTANCE.UPDATED",
            Some("METADATA_INSTANCE.UPDATED"),
        ),
        ChangeKind::MetadataDeleted => (
            "METADATA_INSTANCE.DELETED",
            Some("METADATA_INSTANCE.DELETED"),
        ),
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

/// The headers of every delivery, besides the per-attempt ones `signature::stamp` makes.
static HEADERS: [(HeaderName, HeaderValue); 2] = [
    (
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    ),
    (
        header::USER_AGENT,
        HeaderValue::from_static("Box-WH-Client/0.1"),
    ),
];

#[derive(Serialize)]
struct WebhookRef<'a> {
    id: &'a str,
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
    webhook: WebhookRef<'a>,
    created_by: Option<UserMini<'a>>,
    source: &'a RawValue,
    additional_info: [(); 0],
}

/// What one change's deliveries share: the item's JSON is most of each body.
struct Shared {
    at: DateTime<Utc>,
    trigger: &'static str,
    actor: Option<Arc<User>>,
    source: Source,
}

/// The changed item's JSON (the body's `source`): rendered once for all the change's webhooks,
/// from the item as it was when the change was dispatched, when the first of their deliveries
/// goes out; so a delivery dropped unsent from a slow receiver's full queue never renders it.
enum Source {
    Ready(Box<RawValue>),
    Item {
        view: Box<ItemView>,
        state: WeakState,
        rendered: OnceLock<Box<RawValue>>,
    },
}

impl Source {
    fn json(&self) -> &RawValue {
        match self {
            Source::Ready(json) => json,
            Source::Item {
                view,
                state,
                rendered,
            } => rendered.get_or_init(|| {
                // Its minis name users as they are now, as a reply's do (`names`).
                let json = state.upgrade().and_then(|state| {
                    names::sync_scope(state.store.clone(), || item_json(&state, view))
                });
                json.unwrap_or_else(|| gone(view.id, view.is_folder(), &view.name))
            }),
        }
    }
}

impl Shared {
    /// The body of `delivery` (to the webhook whose id is its subscription), made when it first
    /// goes out.
    fn body(&self, delivery: &Delivery) -> Bytes {
        let mut id = uuid::Uuid::encode_buffer();
        let event_id = (delivery.event.unwrap_or_default())
            .hyphenated()
            .encode_lower(&mut id);
        let event = WebhookEvent {
            kind: "webhook_event",
            id: event_id,
            created_at: Date(self.at),
            trigger: self.trigger,
            webhook: WebhookRef {
                id: &delivery.subscription,
                kind: "webhook",
            },
            created_by: self.actor.as_deref().map(UserMini::new),
            source: self.source.json(),
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
    let Some(owner) = state.store.user_by_id(&entry.space.owner) else {
        return;
    };
    let space = Space::own(Face::Box, owner);
    // The item as it is now (in the trash for a trashed one): its path gives the folders above
    // it, and its JSON is each body's `source`. An item deleted for good has only its parent.
    let kind = match entry.folder {
        true => ItemKind::Folder,
        false => ItemKind::File,
    };
    let view = (state.store.item(&space, entry.item))
        .or_else(|_| state.store.trashed_item(&space, entry.item, kind))
        .ok();
    let above: Vec<ItemId> = match (&view, entry.parent) {
        (Some(view), parent) if view.parent == parent => {
            view.ancestors.iter().map(|a| a.id).collect()
        }
        (_, Some(parent)) => {
            let path = state.store.item(&space, parent).map(|p| p.ancestors);
            (path.iter().flat_map(|path| path.iter().map(|a| a.id)))
                .chain([parent])
                .collect()
        }
        (_, None) => Vec::new(),
    };
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
    // A comment's or a task assignment's change shows that object, as it is now.
    let object = names::sync_scope(state.store.clone(), || {
        change_source::on_file(state, &space, entry).map(|json| to_raw_value(&json))
    });
    let source = match (object, view) {
        (Some(Ok(json)), _) => Source::Ready(json),
        (Some(Err(_)), _) => return,
        (None, Some(view)) => Source::Item {
            view: Box::new(view),
            state: state.downgrade(),
            rendered: OnceLock::new(),
        },
        (None, None) => Source::Ready(gone(entry.item, entry.folder, &entry.name)),
    };
    let shared = Shared {
        at: entry.at,
        trigger,
        actor: state.store.user_by_id(&entry.actor),
        source,
    };
    let keys = state.webhook_keys.clone();
    let stamp: Stamp = Arc::new(move |body: &[u8]| signature::stamp(&keys.get(), body));
    let occasion = Arc::new(Occasion {
        api: Api::Box,
        at: entry.at,
        kind: "webhook",
        body: Body::PerDelivery(Box::new(move |delivery| shared.body(delivery))),
        headers: &HEADERS,
        stamp: Some(stamp),
        cause: None,
        change: Some(entry.position),
        item: Some(entry.item),
        coalesce: false,
        policy: state.delivery_tuning.apply(POLICY),
    });
    for hook in hearing {
        state.deliveries.enqueue(Delivery {
            occasion: occasion.clone(),
            // A webhook's queue is keyed by its id, which is also the body's `webhook.id`.
            subscription: hook.key.clone(),
            receiver: hook.receiver.clone(),
            event: Some(state.webhooks.event_id()),
        });
    }
}

/// The item in its standard form.
fn item_json(state: &AppState, item: &ItemView) -> Option<Box<RawValue>> {
    let urls = LinkUrls::unrequested(state);
    match item.is_folder() {
        true => FolderJson::new(item, &urls).and_then(|j| to_raw_value(&j).ok()),
        false => FileJson::new(item, false, &urls).and_then(|j| to_raw_value(&j).ok()),
    }
}

/// What the change log still knows of an item deleted for good.
fn gone(id: ItemId, folder: bool, name: &str) -> Box<RawValue> {
    let json = json!({
        "id": id.to_string(),
        "type": if folder { "folder" } else { "file" },
        "name": name,
    });
    to_raw_value(&json).unwrap_or_else(|_| RawValue::NULL.to_owned())
}
