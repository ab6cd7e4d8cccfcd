//! Box's locks, descriptions, tags and Favorites on the tree (`crate::store::locks`): an update
//! checked whole before anything applies, then applied; and locks that lapse on the emulator's
//! clock.

use chrono::{DateTime, Utc};

use super::{is_kind, NodeKind, Tree};
use crate::store::domain::{ItemId, ItemKind, ItemView, Space, SpaceOwner};
use crate::store::locks::{ItemEdit, ItemNotes, Lock, LockEdit};
use crate::store::precondition::Precondition;
use crate::store::sharing::SharingError;
use crate::store::StoreError;

/// What an applied edit changed, for the change log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Edited {
    /// The description or tags changed.
    pub notes: bool,
    /// A lock was made (`Some(true)`) or removed (`Some(false)`).
    pub lock: Option<bool>,
}

impl Tree {
    /// Refuses an edit that cannot apply, before the rename or move that comes with it: a lock
    /// on a folder, one whose expiry has passed, or one over another user's lock (the spec's
    /// "prevents the item from being moved, renamed, or otherwise changed by anyone other than
    /// the user who created the lock", <https://developer.box.com/reference/put-files-id/>).
    /// The lock's creator and the file's owner may remove it (box/box-python-sdk#859: a
    /// collaborator with the rights to can).
    pub(crate) fn check_edit(
        &self,
        space: &Space,
        id: ItemId,
        kind: Option<ItemKind>,
        edit: &ItemEdit,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let node = self.node(space, id)?;
        is_kind(node, kind)?;
        match edit.lock {
            LockEdit::Keep => Ok(()),
            LockEdit::Lock(new) => {
                if !matches!(node.kind, NodeKind::File(_)) {
                    return Err(SharingError::NotAFile.into());
                }
                if new.expires.is_some_and(|at| at <= now) {
                    return Err(SharingError::LockExpiry.into());
                }
                self.check_lock(space, id)
            }
            LockEdit::Unlock => {
                let owner = matches!(&node.owner, SpaceOwner::User(u) if u.id == space.actor.id);
                match self.sharing.lock(id) {
                    Some(lock) if lock.by.id != space.actor.id && !owner => {
                        Err(SharingError::Locked.into())
                    }
                    _ => Ok(()),
                }
            }
        }
    }

    /// Applies an edit `check_edit` let through. The item's etag moves once for the whole
    /// update: not again when `bumped` (a rename or move with it already moved it).
    pub(crate) fn apply_edit(
        &mut self,
        space: &Space,
        id: ItemId,
        edit: ItemEdit,
        bumped: bool,
        now: DateTime<Utc>,
    ) -> Edited {
        let mut edited = Edited::default();
        let old = self.sharing.notes(id).cloned().unwrap_or_default();
        let mut notes = old.clone();
        if let Some(description) = edit.description {
            notes.description = description;
        }
        if let Some(tags) = edit.tags {
            notes.tags = tags;
        }
        edited.notes = notes != old;
        // The actor's own collection: the item itself does not change.
        if let Some(favorite) = edit.favorite {
            let by = &mut notes.favorited_by;
            match (by.binary_search(&space.actor.id), favorite) {
                (Err(at), true) => by.insert(at, space.actor.id.clone()),
                (Ok(at), false) => {
                    by.remove(at);
                }
                _ => {}
            }
        }
        if notes != old {
            self.sharing_mut().set_notes(id, notes);
        }
        match edit.lock {
            LockEdit::Keep => {}
            LockEdit::Lock(new) => {
                let sharing = self.sharing_mut();
                let lock = Lock {
                    id: sharing.new_lock_id(),
                    by: (*space.actor).clone(),
                    at: now,
                    expires: new.expires,
                    download_prevented: new.download_prevented,
                };
                sharing.set_lock(id, Some(lock));
                edited.lock = Some(true);
            }
            LockEdit::Unlock if self.sharing.lock(id).is_some() => {
                self.sharing_mut().set_lock(id, None);
                edited.lock = Some(false);
            }
            LockEdit::Unlock => {}
        }
        if edited != Edited::default() {
            let node = self.items.get_mut(&id).expect("checked");
            if !bumped {
                node.revision += 1;
            }
            // A description or tags are the item's own; a lock is about who may change it.
            if edited.notes {
                node.modified_at = now;
                node.modified_by = space.actor.clone();
            }
            self.changed(|c| c.items.push(id));
        }
        edited
    }

    /// The item, once `precondition` holds for it: an update that moves nothing.
    pub(crate) fn check_precondition(
        &self,
        space: &Space,
        id: ItemId,
        precondition: Option<Precondition>,
    ) -> Result<ItemView, StoreError> {
        self.node(space, id)?;
        self.check(id, precondition)?;
        self.item(space, id)
    }

    /// Whether a lock's expiry has passed at `now`: the store then drops it
    /// (`expire_locks`) before the operation, a read included.
    pub(crate) fn has_lapsed_locks(&self, now: DateTime<Utc>) -> bool {
        (self.sharing.locks()).any(|(_, lock)| !lock.live(now))
    }

    /// Removes the locks whose expiry has passed: called before every operation, so that no
    /// operation sees a lapsed lock, and a read shows none.
    pub(crate) fn expire_locks(&mut self, now: DateTime<Utc>) {
        if !self.has_lapsed_locks(now) {
            return;
        }
        let lapsed: Vec<ItemId> = (self.sharing.locks())
            .filter(|(_, lock)| !lock.live(now))
            .map(|(id, _)| *id)
            .collect();
        let sharing = self.sharing_mut();
        for id in lapsed {
            sharing.set_lock(id, None);
        }
    }

    /// Gives a copy its source's description. Box does not say what a copy keeps beside the
    /// content; the description goes with it, the tags, a lock and a place in anyone's Favorites
    /// stay with the source (pinned by
    /// `a_copy_keeps_the_description_but_not_the_tags_the_lock_or_a_place_in_favorites`).
    pub(super) fn copy_description(&mut self, source: ItemId, copy: ItemId) {
        let Some(notes) = self.sharing.notes(source) else {
            return;
        };
        let notes = ItemNotes {
            description: notes.description.clone(),
            ..ItemNotes::default()
        };
        self.sharing_mut().set_notes(copy, notes);
    }

    /// Forgets the lock, notes and metadata of an item that is gone.
    pub(super) fn forget_notes(&mut self, id: ItemId) {
        if self.sharing.metadata().has_instances(id) {
            self.sharing_mut().metadata_mut().forget_item(id);
        }
        if self.sharing.lock(id).is_some() || self.sharing.notes(id).is_some() {
            let sharing = self.sharing_mut();
            sharing.set_lock(id, None);
            sharing.set_notes(id, Default::default());
        }
    }
}
