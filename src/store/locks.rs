//! Box's file locks, the two item properties Box keeps beside a name (`description`, `tags`) and
//! who put the item in their Favorites collection: what a `PUT /files/{id}` or `PUT
//! /folders/{id}` asks for, and what the store keeps. They sit in the tree's side state with the
//! check-outs (`super::sharing::Sharing`), under its lock, and a durable store writes them with
//! it: an item row gaining fields would be a new data-dir format.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::store::accounts::User;

/// A lock on a file (<https://developer.box.com/reference/resources/file--full/#param-lock>):
/// while it holds, only `by` may change the file. It ends when removed or once `expires` passes
/// on the emulator's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lock {
    /// A number, as Box's lock ids are.
    pub id: u64,
    pub by: User,
    pub at: DateTime<Utc>,
    pub expires: Option<DateTime<Utc>>,
    /// Whether others may still download the file.
    pub download_prevented: bool,
}

impl Lock {
    /// Whether it still holds at `now`.
    pub fn live(&self, now: DateTime<Utc>) -> bool {
        self.expires.is_none_or(|at| now < at)
    }
}

/// What Box keeps of an item beside its name, when any of it is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemNotes {
    pub description: String,
    pub tags: Vec<String>,
    /// The users whose Box Favorites collection holds the item, by id, sorted: each user's own
    /// (<https://developer.box.com/guides/collections/>), so the item's etag does not move with
    /// it. Left out of a data dir written before it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub favorited_by: Vec<String>,
}

impl ItemNotes {
    pub fn is_empty(&self) -> bool {
        self.description.is_empty() && self.tags.is_empty() && self.favorited_by.is_empty()
    }
}

/// What a lock request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewLock {
    pub expires: Option<DateTime<Utc>>,
    pub download_prevented: bool,
}

/// A lock change: none, a lock (again), or its removal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LockEdit {
    #[default]
    Keep,
    Lock(NewLock),
    Unlock,
}

/// The notes, lock and shared-link change a Box item update carries; whatever is `None` (or `Keep`) stays as
/// it is. The face has checked Box's limits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemEdit {
    pub description: Option<String>,
    pub tags: Option<Vec<String>>,
    pub lock: LockEdit,
    /// Into the actor's Favorites collection (`Some(true)`) or out of it (`Some(false)`).
    pub favorite: Option<bool>,
    /// The item's shared link, set or removed (`super::shared_link`).
    pub shared_link: Option<super::shared_link::SharedLinkChange>,
}
