//! Change sets: which records an operation on the tree changed, for a store that writes them
//! somewhere before acknowledging (the in-memory store does not track them).

use super::domain::{ItemId, VersionId};

/// The records one operation changed. Id counters move with any new item or version, so a store
/// that keeps them writes them along with every non-empty change set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// Items made or changed (their own fields: name, parent, dates, counters, MIME type).
    pub items: Vec<ItemId>,
    /// Versions made or changed (trash, untrash), with the file they belong to.
    pub versions: Vec<(ItemId, VersionId)>,
    pub removed_items: Vec<ItemId>,
    pub removed_versions: Vec<VersionId>,
    /// The BLAKE3 of bodies no version holds any more.
    pub removed_bodies: Vec<[u8; 32]>,
    /// Users or tokens changed (a first sign-in): write the accounts again.
    pub accounts: bool,
    /// Groups, sites or libraries changed (one made on first use): write them again.
    pub org: bool,
    /// Sharing links, invitations, check-outs, locks, descriptions or tags changed: write them
    /// again.
    pub sharing: bool,
    /// The whole tree was replaced (a full reset or a fixture load): write it all again.
    pub replaced: bool,
    /// Change-log entries appended, by position (`super::change_log`).
    pub log: Vec<u64>,
    /// Change-log entries dropped (past the log's length, expired, or a user's reset).
    pub log_removed: Vec<u64>,
}

impl ChangeSet {
    pub fn is_empty(&self) -> bool {
        !self.replaced
            && !self.accounts
            && !self.org
            && !self.sharing
            && self.items.is_empty()
            && self.versions.is_empty()
            && self.removed_items.is_empty()
            && self.removed_versions.is_empty()
            && self.removed_bodies.is_empty()
            && self.log.is_empty()
            && self.log_removed.is_empty()
    }
}
