//! The change log: every committed write, in order, as entries the outlets read (Graph `delta`,
//! Box `GET /events` and its long poll, and the push outlets: Graph subscriptions, Box webhooks).
//!
//! # What is in it
//! Each write the store commits appends one [`ChangeEntry`] per item it changed: its
//! `position` (1, 2, 3, … never reused, even across a reset or a restart), the space it is in
//! ([`SpaceKey`]: face and owner), the item, its parent and name after the change, the
//! [`ChangeKind`], the acting user's id and the time on the emulator's clock. An upload, a new
//! version, a promote or restore, a rename, a move, a delete, a trash, an untrash and a purge
//! each append one entry for the item named (a folder's descendants get none: both services
//! report the folder). New kinds (copy, sharing, locks, comments) are added at the end of
//! `ChangeKind`. A Box comment made, edited or deleted appends one entry for its file, the kind
//! carrying the comment's id, and a metadata instance made, changed or deleted one for its item;
//! Graph's outlets never see them (they read Graph spaces only).
//!
//! # The API (`VersionStore`)
//! - `changes_since(after, limit, &filter) -> Result<ChangePage, ChangeLogError>`: the entries
//!   after position `after` (`0`: from the oldest kept) that match `filter`, at most `limit`.
//!   `page.next` is the position to ask after next time (the last entry scanned, so a page of
//!   other spaces' entries still moves on), `page.more` says whether entries after `next` exist.
//!   A page costs the entries it scans (at most `SCAN_BOUND` per call), never the history: the
//!   start is found by binary search over the positions. `Err(TooOld)` when entries after
//!   `after` were dropped (the window moved past it, or the tokens were expired on purpose):
//!   the caller's resync answer. `Err(Ahead)` for a position the log never reached.
//! - `latest_position()`: the position of the newest entry (0 before the first).
//! - `subscribe_changes()`: a `tokio::sync::watch::Receiver<u64>` holding the latest position,
//!   updated once a write's entries are kept (on disk, for the durable store). Await
//!   `changed()` without holding any lock, then read with `changes_since`.
//! - `expire_change_tokens()`: drops every entry, so every earlier position is `TooOld` (the
//!   admin API's way to produce a resync on demand).
//! - `recent_changes(&space, RecentQuery)`: each file of the space with the actor's latest change
//!   to it, newest first, files in the trash or gone left out (Box `GET /recent_items`). It
//!   walks the kept log from its newest end: its cost is bounded by the log's length, and it
//!   stops at `since` or `max_items` files.
//!
//! Reads go through the store's lock and, on the durable store, wait until every entry they
//! return is on disk: a position handed to a client is never reused after a crash.
//!
//! # Bounds
//! At most `capacity` entries are kept (`--change-log-len`, default [`DEFAULT_LEN`]); past it
//! the oldest are dropped and a position before them is `TooOld`. A full reset empties the log
//! and a user's reset removes that user's entries; positions go on from where they were, so a
//! token from before a reset is `TooOld`, never mistaken for a later change.

use std::collections::VecDeque;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::changes::ChangeSet;
use super::domain::{Face, ItemId, Space, SpaceOwner};
use super::StoreError;

/// `--change-log-len`'s default: far more than any test makes.
pub const DEFAULT_LEN: usize = 100_000;

/// The most entries one `changes_since` call looks at, matching or not.
pub const SCAN_BOUND: usize = 10_000;

/// What happened to the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ChangeKind {
    /// A folder was made.
    FolderCreated,
    /// A new file was uploaded.
    FileCreated,
    /// A file got a new version by upload.
    VersionAdded,
    /// An earlier version was copied to be the current one (Graph restoreVersion, Box promote).
    VersionPromoted,
    /// A previous version was deleted, trashed or taken out of the trash.
    VersionDeleted,
    VersionTrashed,
    VersionUntrashed,
    /// The item got a new name in the same folder.
    Renamed,
    /// The item went to another folder (perhaps renamed too).
    Moved,
    /// A file's own times changed (Graph `fileSystemInfo`), with no new name or folder.
    Modified,
    /// The item was put in the trash.
    Trashed,
    /// The item came back from the trash.
    Untrashed,
    /// The item was deleted for good without passing the trash (Graph `DELETE`).
    Deleted,
    /// The item was deleted for good from the trash.
    Purged,
    /// The item is a new copy of another (Graph `copy`, Box `POST …/copy`); what a folder copy
    /// made below it is logged as created.
    Copied,
    /// A file was locked (Box); the durable log stores kinds by position, so new ones go last.
    Locked,
    /// A file's lock was removed (Box).
    Unlocked,
    /// A comment (by its id) was made on the file, or a reply on one of its comments (Box).
    CommentCreated(u64),
    /// A comment on the file got a new message (Box).
    CommentEdited(u64),
    /// A comment on the file was deleted (Box).
    CommentDeleted(u64),
    /// A metadata instance was put on the item (Box).
    MetadataCreated,
    /// A metadata instance on the item was changed (Box).
    MetadataUpdated,
    /// A metadata instance was removed from the item (Box; a template's delete removing its
    /// instances logs nothing, as it is no change to one item).
    MetadataDeleted,
    /// A user was made a collaborator on the item (Box), accepted at once.
    CollabAdded,
    /// A login nobody has signed in as was invited to the item (Box): pending.
    CollabInvited,
    /// A pending collaboration was accepted by its invitee.
    CollabAccepted,
    /// A pending collaboration was rejected by its invitee.
    CollabRejected,
    /// A collaboration's role changed.
    CollabChanged,
    /// A collaboration was removed.
    CollabRemoved,
    /// A task on the file was assigned to a user (Box), by the assignment's id.
    TaskAssigned(u64),
    /// A task assignment on the file was answered, or its message changed (Box).
    TaskAssignmentUpdated(u64),
}

impl ChangeKind {
    /// Whether the item is gone for the client after this change (Graph's `deleted` facet).
    pub fn removes(self) -> bool {
        matches!(self, Self::Trashed | Self::Deleted | Self::Purged)
    }

    /// The task assignment a task assignment change is about; the entry's item is its file.
    pub fn task_assignment(self) -> Option<u64> {
        match self {
            Self::TaskAssigned(id) | Self::TaskAssignmentUpdated(id) => Some(id),
            _ => None,
        }
    }

    /// The comment a comment change is about; the entry's item is the comment's file.
    pub fn comment(self) -> Option<u64> {
        match self {
            Self::CommentCreated(id) | Self::CommentEdited(id) | Self::CommentDeleted(id) => {
                Some(id)
            }
            _ => None,
        }
    }
}

/// Whose files a change is among: a face and an owner (a user's id, or a shared drive's id).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SpaceKey {
    pub face: Face,
    /// Set for a shared drive (`owner` is then the drive's id).
    pub shared: bool,
    pub owner: Arc<str>,
}

impl SpaceKey {
    pub fn of(space: &Space) -> Self {
        Self::of_owner(space.face, &space.owner)
    }

    pub fn of_owner(face: Face, owner: &SpaceOwner) -> Self {
        Self {
            face,
            shared: owner.user().is_none(),
            owner: Arc::from(owner.id()),
        }
    }
}

/// One change to one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeEntry {
    pub position: u64,
    pub space: SpaceKey,
    pub item: ItemId,
    /// The folder the item is in after the change (before it, for a delete or purge).
    pub parent: Option<ItemId>,
    /// The item's name after the change.
    pub name: String,
    pub folder: bool,
    pub kind: ChangeKind,
    /// The id of the user who made the change.
    pub actor: Arc<str>,
    pub at: DateTime<Utc>,
}

/// Which entries a reader wants.
#[derive(Debug, Clone, Default)]
pub struct ChangeFilter {
    /// Only this space's entries; `None` for every space's.
    pub space: Option<SpaceKey>,
}

impl ChangeFilter {
    pub fn space(space: &Space) -> Self {
        Self {
            space: Some(SpaceKey::of(space)),
        }
    }

    fn matches(&self, entry: &ChangeEntry) -> bool {
        self.space.as_ref().is_none_or(|s| *s == entry.space)
    }
}

/// Which of a user's latest changes to ask for (Box `GET /recent_items`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecentQuery {
    /// Only changes at or after this time.
    pub since: DateTime<Utc>,
    /// At most this many files in all, the newest first.
    pub max_items: usize,
    /// A page: files whose latest change is before this log position (`None`: the newest).
    pub before: Option<u64>,
    pub limit: usize,
}

/// One file and the caller's latest change to it.
#[derive(Debug, Clone)]
pub struct RecentChange {
    pub item: super::domain::ItemView,
    pub kind: ChangeKind,
    pub at: DateTime<Utc>,
    /// The change's log position: the marker of the page after this entry.
    pub position: u64,
}

/// A page of recent files, newest change first; `more` when files after it are within bounds.
#[derive(Debug, Clone)]
pub struct RecentPage {
    pub entries: Vec<RecentChange>,
    pub more: bool,
}

/// A page of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangePage {
    pub entries: Vec<ChangeEntry>,
    /// The position to ask after next time: the last entry this call looked at, or the one
    /// asked after when there was nothing to look at.
    pub next: u64,
    /// Whether entries after `next` exist (the page was cut by `limit` or `SCAN_BOUND`).
    pub more: bool,
    /// The newest position when the page was read.
    pub latest: u64,
}

/// Why `changes_since` has no page for a position.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ChangeLogError {
    /// Entries after the position were dropped: the caller must start over.
    #[error("changes after position {after} are no longer kept (the oldest kept follows {floor})")]
    TooOld { after: u64, floor: u64 },
    /// The log never reached the position.
    #[error("position {after} is past the newest change ({latest})")]
    Ahead { after: u64, latest: u64 },
    /// The store could not read (a durable store's disk failed).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A change about to be appended: an entry without its position.
#[derive(Debug, Clone)]
pub struct NewChange {
    pub space: SpaceKey,
    pub item: ItemId,
    pub parent: Option<ItemId>,
    pub name: String,
    pub folder: bool,
    pub kind: ChangeKind,
    pub actor: Arc<str>,
}

/// The log itself: plain data under the store's lock, inside the tree.
#[derive(Debug, Clone)]
pub struct ChangeLog {
    /// Oldest first; positions increase but may have gaps (a user's reset removes entries).
    entries: VecDeque<ChangeEntry>,
    /// Every position up to this one is gone (dropped, expired or before a reset).
    floor: u64,
    /// The position the next entry gets.
    next: u64,
    capacity: usize,
}

impl Default for ChangeLog {
    fn default() -> Self {
        Self::new(DEFAULT_LEN)
    }
}

/// The log's counters, as the durable store keeps them beside its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LogBounds {
    pub floor: u64,
    pub next: u64,
}

impl ChangeLog {
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            floor: 0,
            next: 1,
            capacity: capacity.max(1),
        }
    }

    /// A log rebuilt from kept entries (any order) and counters.
    pub fn rebuild(mut entries: Vec<ChangeEntry>, bounds: LogBounds, capacity: usize) -> Self {
        entries.sort_unstable_by_key(|e| e.position);
        let mut log = Self {
            entries: entries.into(),
            floor: bounds.floor,
            next: bounds.next,
            capacity: capacity.max(1),
        };
        if let Some(last) = log.entries.back() {
            log.next = log.next.max(last.position + 1);
        }
        log.trim(&mut None);
        log
    }

    /// An empty log that goes on from this one's positions (a full reset). Like `expire`, it
    /// passes over one position, so that the newest position handed out is too old as well.
    pub fn emptied(&self) -> Self {
        Self {
            entries: VecDeque::new(),
            floor: self.next,
            next: self.next + 1,
            capacity: self.capacity,
        }
    }

    pub fn bounds(&self) -> LogBounds {
        LogBounds {
            floor: self.floor,
            next: self.next,
        }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn latest(&self) -> u64 {
        self.next - 1
    }

    pub fn entries(&self) -> impl DoubleEndedIterator<Item = &ChangeEntry> {
        self.entries.iter()
    }

    pub fn entry(&self, position: u64) -> Option<&ChangeEntry> {
        let index = self.entries.partition_point(|e| e.position < position);
        self.entries.get(index).filter(|e| e.position == position)
    }

    /// Appends `change`, dropping the oldest entries past the capacity, and records both in
    /// `changes` (when the tree tracks them).
    pub fn append(
        &mut self,
        change: NewChange,
        at: DateTime<Utc>,
        changes: &mut Option<ChangeSet>,
    ) -> u64 {
        let position = self.next;
        self.next += 1;
        self.entries.push_back(ChangeEntry {
            position,
            space: change.space,
            item: change.item,
            parent: change.parent,
            name: change.name,
            folder: change.folder,
            kind: change.kind,
            actor: change.actor,
            at,
        });
        if let Some(changes) = changes {
            changes.log.push(position);
        }
        self.trim(changes);
        position
    }

    /// Sets how many entries are kept, dropping the oldest past it.
    pub fn set_capacity(&mut self, capacity: usize, changes: &mut Option<ChangeSet>) {
        self.capacity = capacity.max(1);
        self.trim(changes);
    }

    fn trim(&mut self, changes: &mut Option<ChangeSet>) {
        while self.entries.len() > self.capacity {
            let Some(dropped) = self.entries.pop_front() else {
                break;
            };
            self.floor = dropped.position;
            if let Some(changes) = changes {
                changes.log_removed.push(dropped.position);
            }
        }
    }

    /// Drops every entry: every position handed out so far is `TooOld`.
    pub fn expire(&mut self, changes: &mut Option<ChangeSet>) {
        if let Some(changes) = changes {
            changes
                .log_removed
                .extend(self.entries.iter().map(|e| e.position));
        }
        self.entries.clear();
        // One position is passed over, so that the newest one handed out (a token for "now")
        // is too old as well, and a token asked for after this one is not.
        self.floor = self.next;
        self.next += 1;
    }

    /// Removes the entries of the spaces `owner` (a user's id) owns: a user's reset.
    pub fn forget_owner(&mut self, owner: &str, changes: &mut Option<ChangeSet>) {
        self.entries.retain(|e| {
            let keep = e.space.shared || &*e.space.owner != owner;
            if let (false, Some(changes)) = (keep, changes.as_mut()) {
                changes.log_removed.push(e.position);
            }
            keep
        });
    }

    /// The entries after `after` that match `filter`, at most `limit` of them (and at most
    /// `SCAN_BOUND` looked at).
    pub fn since(
        &self,
        after: u64,
        limit: usize,
        filter: &ChangeFilter,
    ) -> Result<ChangePage, ChangeLogError> {
        let latest = self.latest();
        if after > latest {
            return Err(ChangeLogError::Ahead { after, latest });
        }
        if after < self.floor {
            return Err(ChangeLogError::TooOld {
                after,
                floor: self.floor,
            });
        }
        let start = self.entries.partition_point(|e| e.position <= after);
        let mut page = ChangePage {
            entries: Vec::new(),
            next: after,
            more: false,
            latest,
        };
        let limit = limit.max(1);
        for (scanned, entry) in self.entries.range(start..).enumerate() {
            if page.entries.len() == limit || scanned == SCAN_BOUND {
                page.more = true;
                return Ok(page);
            }
            page.next = entry.position;
            if filter.matches(entry) {
                page.entries.push(entry.clone());
            }
        }
        // Nothing after the last entry: the next call starts at the newest position (which
        // may be past the last entry kept, after a user's reset removed some).
        page.next = latest;
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(owner: &str, item: u64) -> NewChange {
        NewChange {
            space: SpaceKey {
                face: Face::Box,
                shared: false,
                owner: Arc::from(owner),
            },
            item: ItemId(item),
            parent: None,
            name: format!("{item}.txt"),
            folder: false,
            kind: ChangeKind::FileCreated,
            actor: Arc::from(owner),
        }
    }

    fn positions(page: &ChangePage) -> Vec<u64> {
        page.entries.iter().map(|e| e.position).collect()
    }

    #[test]
    fn a_page_starts_after_the_position_and_stops_at_the_limit() {
        let mut log = ChangeLog::new(10);
        for item in 1..=5 {
            log.append(change("u", item), DateTime::UNIX_EPOCH, &mut None);
        }
        let page = log.since(1, 2, &ChangeFilter::default()).unwrap();
        assert_eq!(
            (positions(&page), page.next, page.more),
            (vec![2, 3], 3, true)
        );
        let page = log.since(3, 10, &ChangeFilter::default()).unwrap();
        assert_eq!(
            (positions(&page), page.next, page.more),
            (vec![4, 5], 5, false)
        );
    }

    #[test]
    fn a_filtered_page_moves_past_other_spaces_entries() {
        let mut log = ChangeLog::new(10);
        for (owner, item) in [("a", 1), ("b", 2), ("b", 3)] {
            log.append(change(owner, item), DateTime::UNIX_EPOCH, &mut None);
        }
        let filter = ChangeFilter {
            space: Some(change("a", 0).space),
        };
        let page = log.since(1, 10, &filter).unwrap();
        assert_eq!((positions(&page), page.next, page.more), (vec![], 3, false));
    }

    #[test]
    fn positions_before_the_window_are_too_old_and_after_the_newest_ahead() {
        let mut log = ChangeLog::new(2);
        for item in 1..=4 {
            log.append(change("u", item), DateTime::UNIX_EPOCH, &mut None);
        }
        let all = ChangeFilter::default();
        assert!(matches!(
            log.since(1, 10, &all),
            Err(ChangeLogError::TooOld { after: 1, floor: 2 })
        ));
        assert_eq!(positions(&log.since(2, 10, &all).unwrap()), vec![3, 4]);
        assert!(matches!(
            log.since(5, 10, &all),
            Err(ChangeLogError::Ahead {
                after: 5,
                latest: 4
            })
        ));
        let emptied = log.emptied();
        assert!(matches!(
            emptied.since(4, 10, &all),
            Err(ChangeLogError::TooOld { after: 4, floor: 5 })
        ));
        assert_eq!(
            positions(&emptied.since(5, 10, &all).unwrap()),
            Vec::<u64>::new()
        );
    }
}
