//! The engine every store is built on: accounts, the tree behind one `std::sync::RwLock`, and a
//! `Sink` that receives what each operation changed.
//!
//! Every change takes the lock once, exclusively, and does its whole read-check-write before
//! letting go (the pattern of mini-redis's `db.rs`): that is what makes operations atomic and
//! keeps concurrent restores from losing or duplicating a version. Reads share the lock, so a
//! page being built on one worker does not hold up a read on another. Nothing inside awaits, so
//! a std lock is right. The in-memory store is this engine with a sink that keeps nothing.
//!
//! With a sink that keeps changes elsewhere (`super::durable`), an operation applies under the
//! lock and waits for the sink outside it, so that one commit serves many operations. Until it
//! is kept, a change is in memory only; so every operation, reads included, waits (or has its
//! request's reply wait, `super::acknowledge`) until everything it could see is kept, and a
//! sink whose commit failed brings the tree back to what it kept before the next operation.

use std::sync::{Arc, PoisonError, RwLock, RwLockWriteGuard};

use tokio::sync::watch;

use chrono::{DateTime, Utc};

use super::change_log::{ChangeFilter, ChangeKind, ChangeLogError, ChangePage};
use super::changes::ChangeSet;
use super::comments::{Comment, CommentTarget, CommentText};
use super::domain::{
    ChildOrder, CopyItem, ItemId, ItemKind, ItemView, Listing, MoveItem, NewFolder, PromoteRules,
    RestoreItem, SearchQuery, Space, SpaceOwner, SubtreePage, Version, VersionId, VersionQuery,
    VersionRef, VersionView, Window, WriteFile, Written,
};
use super::inspect::{
    DriveSpace, NodeDetail, NodeSummary, TimelineEntry, TimelineOrder, UserSpaces,
};
use super::locks::ItemEdit;
use super::metadata::{
    Instance, InstanceRef, NewTemplate, PatchOp, Scope as MetadataScope, Template,
};
use super::org::{DriveAccess, DriveHolder, DriveView, SiteView};
use super::precondition::Precondition;
use super::records::{LoadError, RecordAt, Records};
use super::rules::PathSpan;
use super::sharing::{
    BoxRole, BoxTarget, CheckIn, CollaborationEdit, CollaborationView, NewCollaboration,
    NewInvitation, NewLink, PermissionView, Role, SharedItem,
};
use super::special::SpecialFolder;
use super::tasks::{AssignmentEdit, AssignmentView, NewTask, TaskEdit, TaskView};
use super::tree::{IdSeed, Tree};
use super::{StoreError, VersionStore};
use crate::control::clock::Clock;
use crate::identity::Identities;
use crate::store::accounts::{
    Accounts, Directory, Grant, NewUser, Profile, UnknownToken, User, UserChange, UserError,
};

/// The change a rename or move made, if it made one.
fn moved_kind(before: Option<&super::tree::Noted>, after: &ItemView) -> Option<ChangeKind> {
    match before {
        Some(b) if b.parent() != after.parent => Some(ChangeKind::Moved),
        Some(b) if b.name() != after.name => Some(ChangeKind::Renamed),
        _ => None,
    }
}

/// Where an engine's change sets go before the operation that made them returns. Public in
/// name only (the stores' types name it), in a module that is the crate's.
pub trait Sink: Send + Sync + 'static {
    /// Whether the tree records change sets at all (a sink that keeps nothing saves the work).
    const TRACKS: bool;
    /// What `settle` waits on.
    type Pending;

    /// Called under the tree's lock before every operation: if a change could not be kept,
    /// puts the tree and the accounts back to what the sink kept. `Err` when it cannot.
    fn recover(&self, tree: &mut Tree, accounts: &Accounts) -> Result<(), StoreError>;

    /// Whether `recover` has something to do: a read then takes the lock exclusively.
    fn must_recover(&self) -> bool;

    /// Takes a change set, called under the tree's lock right after the change applied, so that
    /// change sets arrive in the order they applied.
    fn submit(&self, tree: &Tree, accounts: &Directory, changes: ChangeSet) -> Self::Pending;

    /// Called under the tree's lock after an operation that changed nothing (a read, a
    /// refusal): what to wait on until every change it could have seen is kept.
    fn observe(&self) -> Self::Pending;

    /// Waits, outside the lock, until the submitted (or observed) change is kept; only then is
    /// the operation acknowledged.
    fn settle(&self, pending: Self::Pending) -> Result<(), StoreError>;
}

/// A store: accounts, the tree, and the sink its changes go to. The type is public (the stores
/// are aliases of it) but its parts are the crate's.
#[derive(Debug)]
pub struct Engine<S> {
    clock: Arc<Clock>,
    seed: IdSeed,
    accounts: Accounts,
    tree: RwLock<Tree>,
    sink: S,
    /// The change log's newest kept position, for the outlets to await (`super::change_log`).
    feed: watch::Sender<u64>,
}

impl<S: Sink> Engine<S> {
    /// An engine over `tree`, as built fresh or rebuilt from what `sink` kept.
    pub(crate) fn from_parts(
        clock: Arc<Clock>,
        seed: IdSeed,
        accounts: Accounts,
        tree: Tree,
        sink: S,
    ) -> Self {
        let feed = watch::Sender::new(tree.log().latest());
        Self {
            clock,
            seed,
            accounts,
            tree: RwLock::new(tree),
            sink,
            feed,
        }
    }

    /// An empty engine with these accounts.
    pub(crate) fn empty(clock: Arc<Clock>, seed: IdSeed, accounts: Accounts, sink: S) -> Self {
        let tree = Tree::new(seed, S::TRACKS, clock.clone());
        Self::from_parts(clock, seed, accounts, tree, sink)
    }

    #[cfg(test)]
    pub(crate) fn sink(&self) -> &S {
        &self.sink
    }

    /// The metadata side state as it is, for tests that check what a purge left behind.
    #[cfg(test)]
    pub(crate) fn metadata_for_tests(&self) -> super::metadata::MetadataState {
        self.lock_raw().sharing().metadata().clone()
    }

    /// The tree's lock, with the tree as the sink kept it and no Box lock past its expiry (a
    /// read that drops one leaves the change for the next write to keep; reading it back before
    /// then would drop it again).
    fn lock(&self) -> Result<RwLockWriteGuard<'_, Tree>, StoreError> {
        let mut tree = self.lock_raw();
        self.sink.recover(&mut tree, &self.accounts)?;
        tree.expire_locks(self.clock.now());
        Ok(tree)
    }

    fn lock_raw(&self) -> RwLockWriteGuard<'_, Tree> {
        // A panic while holding the lock cannot leave a half-applied change behind: every
        // operation checks everything before its first write. So a poisoned lock is safe to use.
        self.tree.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs one operation on the tree under the lock, hands what it changed to the sink, and
    /// returns once the sink has kept it (and, for one that changed nothing, everything it saw).
    fn apply<T>(
        &self,
        op: impl FnOnce(&mut Tree, DateTime<Utc>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let now = self.clock.now();
        let (result, pending, latest) = {
            let mut tree = self.lock()?;
            let result = op(&mut tree, now);
            let changes = tree.take_changes();
            let latest = tree.log().latest();
            match changes.is_empty() {
                true => (result, self.sink.observe(), latest),
                false => (result, self.submit(&tree, changes), latest),
            }
        };
        self.sink.settle(pending)?;
        self.publish(latest);
        result
    }

    /// Tells the outlets' waiters that the log reached `latest` (once it is kept).
    fn publish(&self, latest: u64) {
        self.feed.send_if_modified(|seen| {
            let moved = *seen != latest;
            *seen = latest;
            moved
        });
    }

    /// Sets how many change-log entries are kept (`--change-log-len`), dropping the oldest
    /// past it.
    pub fn set_change_log_len(&self, len: usize) -> Result<(), StoreError> {
        self.apply(|tree, _| {
            tree.set_log_capacity(len);
            Ok(())
        })
    }

    /// Runs a read under the shared lock and returns once everything it saw is kept. A tree that
    /// first wants a change (a recovery, a lapsed lock to drop) is read under the exclusive lock,
    /// once `lock` has made it.
    fn read<T>(&self, op: impl FnOnce(&Tree) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let (result, pending) = {
            let shared = self.tree.read().unwrap_or_else(PoisonError::into_inner);
            if self.sink.must_recover() || shared.has_lapsed_locks(self.clock.now()) {
                drop(shared);
                let tree = self.lock()?;
                (op(&tree), self.sink.observe())
            } else {
                (op(&shared), self.sink.observe())
            }
        };
        self.sink.settle(pending)?;
        result
    }

    /// A read that cannot fail (the admin browser's pages): the tree as the sink kept it when it
    /// can be had, else as it is.
    fn read_any<T>(&self, op: impl FnOnce(&Tree) -> T) -> T {
        let mut tree = self.lock_raw();
        let _ = self.sink.recover(&mut tree, &self.accounts);
        let value = op(&tree);
        let pending = self.sink.observe();
        drop(tree);
        let _ = self.sink.settle(pending);
        value
    }

    /// A user's own drive: an unknown user's is not found, another user's is refused. A real
    /// tenant lets a delegated token into another user's OneDrive only when that user shared it
    /// (<https://learn.microsoft.com/en-us/graph/api/drive-get>), which the emulator does not model
    /// (pinned by `another_users_own_drive_is_refused_and_an_unknown_one_is_not_found`).
    ///
    /// A user invited to an item of that drive reaches it (the face then lets them at the items
    /// they were invited to alone).
    fn personal_drive(
        &self,
        owner: Option<Arc<User>>,
        reach: DriveAccess,
    ) -> Result<DriveView, StoreError> {
        let now = self.clock.now();
        let caller = match reach {
            // Application permissions reach every user's drive.
            DriveAccess::App => {
                return owner
                    .map(DriveView::Personal)
                    .ok_or(StoreError::ItemNotFound)
            }
            DriveAccess::Member(caller) => caller,
        };
        match owner {
            None => Err(StoreError::ItemNotFound),
            Some(owner) if owner.id != caller.id => {
                match self.read(|tree| Ok(tree.invited_into(&owner.id, &caller.id, now)))? {
                    true => Ok(DriveView::Personal(owner)),
                    false => Err(StoreError::AccessDenied),
                }
            }
            Some(owner) => Ok(DriveView::Personal(owner)),
        }
    }

    /// Writes the accounts down after a change outside any tree operation (a first sign-in, a
    /// user an issued token named). Rare, so the tree's lock is taken only to keep this change
    /// set in order with the others.
    fn keep_accounts(&self) {
        if !S::TRACKS {
            return;
        }
        // A store that cannot recover keeps nothing now; the user's writes will say so.
        let Ok(tree) = self.lock() else {
            return;
        };
        let changes = ChangeSet {
            accounts: true,
            ..ChangeSet::default()
        };
        let pending = self.submit(&tree, changes);
        drop(tree);
        // A sign-in that could not be kept is still a valid sign-in: the user is derived
        // from the token, and the write that names the user will fail and say so itself.
        let _ = self.sink.settle(pending);
    }

    /// Changes the accounts (and, for a deleted user, the tree) under the tree's lock, on a
    /// copy of the directory that replaces the live one only when `op` succeeds; the answer goes
    /// out once the change is kept.
    fn change_accounts<T>(
        &self,
        op: impl FnOnce(&mut Directory, &mut Tree) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let (result, pending, latest) = {
            let mut tree = self.lock()?;
            let mut draft = self.accounts.draft();
            let result = op(&mut draft, &mut tree)?;
            self.accounts.replace(draft);
            let mut changes = tree.take_changes();
            changes.accounts = true;
            let latest = tree.log().latest();
            (result, self.submit(&tree, changes), latest)
        };
        self.sink.settle(pending)?;
        self.publish(latest);
        Ok(result)
    }

    fn submit(&self, tree: &Tree, changes: ChangeSet) -> S::Pending {
        self.sink.submit(tree, &self.accounts.read(), changes)
    }

    /// Replaces the tree and the accounts together, under the tree's lock.
    fn replace(
        &self,
        mut tree: RwLockWriteGuard<'_, Tree>,
        draft: Tree,
        accounts: Directory,
    ) -> S::Pending {
        *tree = draft;
        tree.mark_replaced();
        self.accounts.replace(accounts);
        let mut changes = tree.take_changes();
        changes.accounts = true;
        self.submit(&tree, changes)
    }
}

impl<S: Sink> VersionStore for Engine<S> {
    fn sign_in(&self, token: &str) -> Result<Grant, UnknownToken> {
        // An issued token (expired and revoked ones too) is the registry's to answer.
        if let Some(issued) = self.accounts.identity().sign_in(token, self.clock.now()) {
            return issued.map_err(|_| UnknownToken);
        }
        let signed_in = self.accounts.sign_in(token)?;
        if signed_in.new {
            self.keep_accounts();
        }
        Ok(signed_in.grant)
    }

    fn identity(&self) -> &Identities {
        self.accounts.identity()
    }

    fn subject(&self, wanted: User, create: bool) -> Option<Arc<User>> {
        let (user, new) = self.accounts.subject(wanted, create)?;
        if new {
            self.keep_accounts();
        }
        Some(user)
    }

    fn root(&self, space: &Space) -> Result<ItemView, StoreError> {
        self.apply(|tree, now| {
            let id = tree.root_id(space, now);
            tree.item(space, id)
        })
    }

    fn root_id(&self, space: &Space) -> Result<ItemId, StoreError> {
        self.apply(|tree, now| Ok(tree.root_id(space, now)))
    }

    fn item(&self, space: &Space, id: ItemId) -> Result<ItemView, StoreError> {
        self.read(|tree| tree.item(space, id))
    }

    fn special_folder(
        &self,
        space: &Space,
        folder: SpecialFolder,
        create: bool,
    ) -> Result<ItemId, StoreError> {
        self.apply(|tree, now| tree.special_folder(space, folder, create, now))
    }

    fn resolve(
        &self,
        space: &Space,
        base: ItemId,
        segments: &[String],
    ) -> Result<ItemView, StoreError> {
        self.read(|tree| tree.resolve(space, base, segments))
    }

    fn check_room(
        &self,
        space: &Space,
        base: ItemId,
        segments: &[String],
    ) -> Result<(), StoreError> {
        self.read(|tree| {
            tree.item(space, base)?;
            let span = PathSpan::of(segments.iter().map(String::as_str));
            tree.check_room(space, base, span)
        })
    }

    fn children(
        &self,
        space: &Space,
        folder: ItemId,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError> {
        self.read(|tree| tree.children(space, folder, window))
    }

    fn ordered_children(
        &self,
        space: &Space,
        folder: ItemId,
        order: ChildOrder,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError> {
        self.read(|tree| tree.ordered_children(space, folder, order, window))
    }

    fn search(
        &self,
        space: &Space,
        folder: ItemId,
        text: &str,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError> {
        self.read(|tree| tree.search(space, folder, text, window))
    }

    fn create_folder(&self, space: &Space, folder: NewFolder) -> Result<ItemView, StoreError> {
        self.apply(|tree, now| {
            let made = tree.create_folder(space, folder, now)?;
            tree.note(space, made.id, ChangeKind::FolderCreated, now);
            Ok(made)
        })
    }

    fn write_file(
        &self,
        space: &Space,
        write: WriteFile,
        precondition: Option<Precondition>,
    ) -> Result<Written, StoreError> {
        self.apply(|tree, now| {
            let written = tree.write_file(space, write, precondition, now)?;
            let kind = match written.created {
                true => ChangeKind::FileCreated,
                false => ChangeKind::VersionAdded,
            };
            tree.note(space, written.item.id, kind, now);
            Ok(written)
        })
    }

    fn delete_item(
        &self,
        space: &Space,
        id: ItemId,
        precondition: Option<Precondition>,
    ) -> Result<(), StoreError> {
        self.apply(|tree, now| {
            let noted = tree.noted(id);
            tree.delete_item(space, id, precondition)?;
            if let Some(noted) = noted {
                tree.note_as(space, noted, ChangeKind::Deleted, now);
            }
            Ok(())
        })
    }

    fn move_item(
        &self,
        space: &Space,
        id: ItemId,
        change: MoveItem,
        precondition: Option<Precondition>,
    ) -> Result<ItemView, StoreError> {
        self.apply(|tree, now| {
            let before = tree.noted(id);
            let moved = tree.move_item(space, id, change, precondition, now)?;
            let kind = moved_kind(before.as_ref(), &moved).unwrap_or(ChangeKind::Modified);
            tree.note(space, id, kind, now);
            Ok(moved)
        })
    }

    fn update_item(
        &self,
        space: &Space,
        id: ItemId,
        change: MoveItem,
        mut edit: ItemEdit,
        precondition: Option<Precondition>,
    ) -> Result<ItemView, StoreError> {
        self.apply(|tree, now| {
            tree.check_edit(space, id, change.kind, &edit, now)?;
            // The link the item will have, checked before anything is written.
            let link = match edit.shared_link.take() {
                Some(link) => Some(tree.plan_shared_link(space, id, link, now)?),
                None => None,
            };
            let before = tree.noted(id);
            let revision = tree.item(space, id)?.revision;
            // Without a name or parent nothing moves, so only the precondition is checked: an
            // owner removing another user's lock is not refused by that lock.
            let moved = match change.parent.is_some() || change.name.is_some() {
                true => tree.move_item(space, id, change, precondition, now)?,
                false => tree.check_precondition(space, id, precondition)?,
            };
            let edited = tree.apply_edit(space, id, edit, moved.revision != revision, now);
            if let Some(link) = link {
                tree.apply_shared_link(id, link);
            }
            let moved_kind = moved_kind(before.as_ref(), &moved);
            let lock_kind = edited.lock.map(|made| match made {
                true => ChangeKind::Locked,
                false => ChangeKind::Unlocked,
            });
            // A plain update is logged as a modification, as `move_item` logs it.
            let kind = moved_kind
                .or((edited.notes || lock_kind.is_none()).then_some(ChangeKind::Modified));
            for kind in [kind, lock_kind].into_iter().flatten() {
                tree.note(space, id, kind, now);
            }
            tree.item(space, id)
        })
    }

    fn create_metadata_template(&self, template: NewTemplate) -> Result<Template, StoreError> {
        self.apply(|tree, _| tree.create_metadata_template(template))
    }

    fn metadata_template(&self, scope: MetadataScope, key: &str) -> Result<Template, StoreError> {
        self.read(|tree| tree.metadata_template(scope, key))
    }

    fn metadata_templates(&self) -> Result<Vec<Template>, StoreError> {
        self.read(|tree| Ok(tree.metadata_templates()))
    }

    fn delete_metadata_template(&self, scope: MetadataScope, key: &str) -> Result<(), StoreError> {
        self.apply(|tree, _| tree.delete_metadata_template(scope, key))
    }

    fn metadata_instances(
        &self,
        space: &Space,
        item: ItemId,
        kind: ItemKind,
    ) -> Result<Vec<Instance>, StoreError> {
        self.read(|tree| tree.metadata_instances(space, item, kind))
    }

    fn metadata_instance(&self, space: &Space, at: &InstanceRef) -> Result<Instance, StoreError> {
        self.read(|tree| tree.metadata_instance(space, at))
    }

    fn create_metadata_instance(
        &self,
        space: &Space,
        at: &InstanceRef,
        values: serde_json::Map<String, serde_json::Value>,
    ) -> Result<Instance, StoreError> {
        self.apply(|tree, now| {
            let made = tree.create_metadata_instance(space, at, values)?;
            tree.note(space, at.item, ChangeKind::MetadataCreated, now);
            Ok(made)
        })
    }

    fn update_metadata_instance(
        &self,
        space: &Space,
        at: &InstanceRef,
        ops: &[PatchOp],
    ) -> Result<Instance, StoreError> {
        self.apply(|tree, now| {
            let updated = tree.update_metadata_instance(space, at, ops)?;
            tree.note(space, at.item, ChangeKind::MetadataUpdated, now);
            Ok(updated)
        })
    }

    fn delete_metadata_instance(&self, space: &Space, at: &InstanceRef) -> Result<(), StoreError> {
        self.apply(|tree, now| {
            tree.delete_metadata_instance(space, at)?;
            tree.note(space, at.item, ChangeKind::MetadataDeleted, now);
            Ok(())
        })
    }

    fn shared_item(
        &self,
        link: &str,
        password: Option<&str>,
        viewer: Option<&User>,
    ) -> Result<ItemView, StoreError> {
        self.read(|tree| tree.shared_item(link, password, viewer))
    }

    fn copy_item(&self, from: &Space, id: ItemId, copy: CopyItem) -> Result<ItemView, StoreError> {
        let to = copy.to.clone();
        self.apply(|tree, now| {
            let made = tree.copy_item(from, id, copy, now)?;
            tree.note_copy(&to, made.id, now);
            Ok(made)
        })
    }

    fn find_items(
        &self,
        space: &Space,
        query: &SearchQuery,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError> {
        self.read(|tree| tree.find_items(space, query, window))
    }

    fn trash_item(
        &self,
        space: &Space,
        id: ItemId,
        kind: ItemKind,
        recursive: bool,
        precondition: Option<Precondition>,
    ) -> Result<ItemView, StoreError> {
        self.apply(|tree, now| {
            let trashed = tree.trash_item(space, id, kind, recursive, precondition, now)?;
            tree.note(space, id, ChangeKind::Trashed, now);
            Ok(trashed)
        })
    }

    fn trashed_item(
        &self,
        space: &Space,
        id: ItemId,
        kind: ItemKind,
    ) -> Result<ItemView, StoreError> {
        self.read(|tree| tree.trashed_item(space, id, kind))
    }

    fn trash(&self, space: &Space, window: Window) -> Result<Listing<ItemView>, StoreError> {
        self.read(|tree| tree.trash(space, window))
    }

    fn restore_item(
        &self,
        space: &Space,
        id: ItemId,
        kind: ItemKind,
        restore: RestoreItem,
    ) -> Result<ItemView, StoreError> {
        self.apply(|tree, now| {
            let restored = tree.restore_item(space, id, kind, restore, now)?;
            tree.note(space, id, ChangeKind::Untrashed, now);
            Ok(restored)
        })
    }

    fn purge_item(&self, space: &Space, id: ItemId, kind: ItemKind) -> Result<(), StoreError> {
        self.apply(|tree, now| {
            let noted = tree.noted(id);
            tree.purge_item(space, id, kind)?;
            if let Some(noted) = noted {
                tree.note_as(space, noted, ChangeKind::Purged, now);
            }
            Ok(())
        })
    }

    fn user(&self, key: &str) -> Option<Arc<User>> {
        let directory = self.accounts.read();
        let by_login = || {
            directory
                .users()
                .find(|u| u.login.eq_ignore_ascii_case(key))
        };
        directory.user(key).or_else(by_login).cloned()
    }

    fn user_by_id(&self, id: &str) -> Option<Arc<User>> {
        self.accounts.read().user(id).cloned()
    }

    fn drives(
        &self,
        holder: &DriveHolder,
        reach: DriveAccess,
    ) -> Result<Vec<DriveView>, StoreError> {
        if let DriveHolder::User(key) = holder {
            return Ok(vec![self.personal_drive(self.user(key), reach)?]);
        }
        self.apply(|tree, now| {
            let drives = tree.org_op(|org| org.drives(holder, reach, now))?;
            Ok(drives
                .into_iter()
                .map(|d| DriveView::Shared(Box::new(d)))
                .collect())
        })
    }

    fn drive(&self, id: &str, reach: DriveAccess) -> Result<DriveView, StoreError> {
        let owner = id.strip_prefix("b!").and_then(|user| self.user(user));
        if owner.is_some() {
            return self.personal_drive(owner, reach);
        }
        let shared = self.read(|tree| tree.org().shared_drive(id, reach))?;
        Ok(DriveView::Shared(Box::new(shared)))
    }

    fn site(&self, holder: &DriveHolder, reach: DriveAccess) -> Result<SiteView, StoreError> {
        self.apply(|tree, now| tree.org_op(|org| org.site_view(holder, reach, now)))
    }

    fn versions(
        &self,
        space: &Space,
        file: ItemId,
        query: VersionQuery,
    ) -> Result<Listing<Arc<Version>>, StoreError> {
        self.read(|tree| tree.versions(space, file, query))
    }

    fn version(
        &self,
        space: &Space,
        file: ItemId,
        at: VersionRef,
    ) -> Result<VersionView, StoreError> {
        self.read(|tree| tree.version(space, file, at))
    }

    fn promote_version(
        &self,
        space: &Space,
        file: ItemId,
        at: VersionRef,
        rules: PromoteRules,
        precondition: Option<Precondition>,
    ) -> Result<Version, StoreError> {
        self.apply(|tree, now| {
            let promoted = tree.promote_version(space, file, at, rules, precondition, now)?;
            tree.note(space, file, ChangeKind::VersionPromoted, now);
            Ok(promoted)
        })
    }

    fn delete_version(
        &self,
        space: &Space,
        file: ItemId,
        at: VersionRef,
        precondition: Option<Precondition>,
    ) -> Result<(), StoreError> {
        self.apply(|tree, now| {
            tree.delete_version(space, file, at, precondition, now)?;
            tree.note(space, file, ChangeKind::VersionDeleted, now);
            Ok(())
        })
    }

    fn trash_version(
        &self,
        space: &Space,
        file: ItemId,
        at: VersionRef,
        precondition: Option<Precondition>,
    ) -> Result<Version, StoreError> {
        self.apply(|tree, now| {
            let trashed = tree.trash_version(space, file, at, precondition, now)?;
            tree.note(space, file, ChangeKind::VersionTrashed, now);
            Ok(trashed)
        })
    }

    fn untrash_version(
        &self,
        space: &Space,
        file: ItemId,
        at: VersionRef,
    ) -> Result<Version, StoreError> {
        self.apply(|tree, now| {
            let untrashed = tree.untrash_version(space, file, at, now)?;
            tree.note(space, file, ChangeKind::VersionUntrashed, now);
            Ok(untrashed)
        })
    }

    fn version_by_id(&self, id: VersionId) -> Result<Version, StoreError> {
        self.read(|tree| tree.version_by_id(id))
    }

    fn permissions(&self, space: &Space, item: ItemId) -> Result<Vec<PermissionView>, StoreError> {
        self.read(|tree| tree.permissions(space, item))
    }

    fn permission(
        &self,
        space: &Space,
        item: ItemId,
        permission: &str,
    ) -> Result<PermissionView, StoreError> {
        self.read(|tree| tree.permission(space, item, permission))
    }

    fn create_link(
        &self,
        space: &Space,
        item: ItemId,
        link: NewLink,
    ) -> Result<(PermissionView, bool), StoreError> {
        self.apply(|tree, _| tree.create_link(space, item, link))
    }

    fn invite(
        &self,
        space: &Space,
        item: ItemId,
        invitation: NewInvitation,
    ) -> Result<Vec<PermissionView>, StoreError> {
        self.apply(|tree, _| tree.invite(space, item, invitation))
    }

    fn update_permission(
        &self,
        space: &Space,
        item: ItemId,
        permission: &str,
        role: Role,
    ) -> Result<PermissionView, StoreError> {
        self.apply(|tree, _| tree.update_permission(space, item, permission, role))
    }

    fn delete_permission(
        &self,
        space: &Space,
        item: ItemId,
        permission: &str,
    ) -> Result<(), StoreError> {
        self.apply(|tree, _| tree.delete_permission(space, item, permission))
    }

    fn shared_with(&self, user: &Arc<User>) -> Result<Vec<(SharedItem, DriveView)>, StoreError> {
        let now = self.clock.now();
        self.read(|tree| {
            Ok((tree.shared_with(&user.id, now).into_iter())
                .filter_map(|shared| {
                    let drive = drive_of(tree, &shared.item.owner)?;
                    Some((shared, drive))
                })
                .collect())
        })
    }

    fn guest_role(&self, space: &Space, item: ItemId) -> Result<Option<Role>, StoreError> {
        let now = self.clock.now();
        self.read(|tree| Ok(tree.guest_role(space, item, now)))
    }

    fn linked_item(&self, permission: &str) -> Result<(ItemView, DriveView), StoreError> {
        let now = self.clock.now();
        self.read(|tree| {
            let item = tree.linked_item(permission, now)?;
            let drive = drive_of(tree, &item.owner).ok_or(StoreError::ItemNotFound)?;
            Ok((item, drive))
        })
    }

    fn checkout(&self, space: &Space, item: ItemId) -> Result<(), StoreError> {
        self.apply(|tree, now| tree.checkout(space, item, now))
    }

    fn checkin(
        &self,
        space: &Space,
        item: ItemId,
        check_in: CheckIn,
    ) -> Result<Version, StoreError> {
        self.apply(|tree, now| tree.checkin(space, item, check_in, now))
    }

    fn discard_checkout(&self, space: &Space, item: ItemId) -> Result<(), StoreError> {
        self.apply(|tree, _| tree.discard_checkout(space, item))
    }

    fn create_comment(
        &self,
        space: &Space,
        target: CommentTarget,
        text: CommentText,
    ) -> Result<Comment, StoreError> {
        self.apply(|tree, now| {
            let comment = tree.create_comment(space, target, text, now)?;
            let kind = ChangeKind::CommentCreated(comment.id);
            tree.note(space, comment.file, kind, now);
            Ok(comment)
        })
    }

    fn comment(&self, space: &Space, id: u64) -> Result<Comment, StoreError> {
        self.read(|tree| tree.comment(space, id))
    }

    fn comments(
        &self,
        space: &Space,
        file: ItemId,
        window: Window,
    ) -> Result<Listing<Comment>, StoreError> {
        self.read(|tree| tree.comments(space, file, window))
    }

    fn edit_comment(&self, space: &Space, id: u64, message: String) -> Result<Comment, StoreError> {
        self.apply(|tree, now| {
            let comment = tree.edit_comment(space, id, message, now)?;
            tree.note(space, comment.file, ChangeKind::CommentEdited(id), now);
            Ok(comment)
        })
    }

    fn delete_comment(&self, space: &Space, id: u64) -> Result<(), StoreError> {
        self.apply(|tree, now| {
            let file = tree.comment(space, id)?.file;
            tree.delete_comment(space, id)?;
            tree.note(space, file, ChangeKind::CommentDeleted(id), now);
            Ok(())
        })
    }

    fn box_reach(
        &self,
        actor: &Arc<User>,
        target: BoxTarget,
    ) -> Result<Option<(Space, BoxRole)>, StoreError> {
        let now = self.clock.now();
        self.read(|tree| Ok(tree.box_reach(actor, target, now)))
    }

    fn create_collaboration(
        &self,
        space: &Space,
        new: NewCollaboration,
    ) -> Result<CollaborationView, StoreError> {
        self.apply(|tree, now| tree.create_collaboration(space, new, now))
    }

    fn collaboration(&self, actor: &Arc<User>, id: &str) -> Result<CollaborationView, StoreError> {
        let now = self.clock.now();
        self.read(|tree| tree.collaboration(actor, id, now))
    }

    fn update_collaboration(
        &self,
        actor: &Arc<User>,
        id: &str,
        edit: CollaborationEdit,
    ) -> Result<CollaborationView, StoreError> {
        self.apply(|tree, now| tree.update_collaboration(actor, id, edit, now))
    }

    fn delete_collaboration(&self, actor: &Arc<User>, id: &str) -> Result<(), StoreError> {
        self.apply(|tree, now| tree.delete_collaboration(actor, id, now))
    }

    fn item_collaborations(
        &self,
        space: &Space,
        item: ItemId,
        kind: ItemKind,
        window: Window,
    ) -> Result<Listing<CollaborationView>, StoreError> {
        self.read(|tree| tree.item_collaborations(space, item, kind, window))
    }

    fn pending_collaborations(
        &self,
        actor: &Arc<User>,
    ) -> Result<Vec<CollaborationView>, StoreError> {
        self.read(|tree| Ok(tree.pending_collaborations(actor)))
    }

    fn create_task(&self, space: &Space, new: NewTask) -> Result<TaskView, StoreError> {
        self.apply(|tree, now| tree.create_task(space, new, now))
    }

    fn task(&self, space: &Space, id: u64) -> Result<TaskView, StoreError> {
        self.read(|tree| tree.task(space, id))
    }

    fn tasks(&self, space: &Space, file: ItemId) -> Result<Vec<TaskView>, StoreError> {
        self.read(|tree| tree.tasks(space, file))
    }

    fn edit_task(&self, space: &Space, id: u64, edit: TaskEdit) -> Result<TaskView, StoreError> {
        self.apply(|tree, _| tree.edit_task(space, id, edit))
    }

    fn delete_task(&self, space: &Space, id: u64) -> Result<(), StoreError> {
        self.apply(|tree, _| tree.delete_task(space, id))
    }

    fn assign_task(
        &self,
        space: &Space,
        task: u64,
        assignee: &str,
    ) -> Result<AssignmentView, StoreError> {
        let user = self.user(assignee);
        self.apply(|tree, now| {
            let view = tree.assign_task(space, task, user, now)?;
            let (id, file) = (view.assignment.id, view.assignment.file);
            tree.note(space, file, ChangeKind::TaskAssigned(id), now);
            Ok(view)
        })
    }

    fn task_assignment(&self, space: &Space, id: u64) -> Result<AssignmentView, StoreError> {
        self.read(|tree| tree.task_assignment(space, id))
    }

    fn edit_task_assignment(
        &self,
        space: &Space,
        id: u64,
        edit: AssignmentEdit,
    ) -> Result<AssignmentView, StoreError> {
        self.apply(|tree, now| {
            let view = tree.edit_task_assignment(space, id, edit, now)?;
            let file = view.assignment.file;
            tree.note(space, file, ChangeKind::TaskAssignmentUpdated(id), now);
            Ok(view)
        })
    }

    fn delete_task_assignment(&self, space: &Space, id: u64) -> Result<(), StoreError> {
        self.apply(|tree, _| tree.delete_task_assignment(space, id))
    }

    fn gather_zip(
        &self,
        wanted: &[(Space, ItemKind, ItemId)],
        max_files: usize,
    ) -> Result<super::zip::Gathered, StoreError> {
        self.read(|tree| tree.gather_zip(wanted, max_files))
    }

    fn reset(&self, user: Option<&str>) -> Result<(), StoreError> {
        match user {
            Some(user) => {
                // A user the directory does not know has no files either.
                let Some(user) = self.accounts.read().user(user).cloned() else {
                    return Ok(());
                };
                self.apply(|tree, _| {
                    tree.remove_user_data(&user);
                    tree.forget_owner_log(&user.id);
                    Ok(())
                })
            }
            None => {
                self.accounts.identity().reset();
                let mut fresh = Tree::new(self.seed, S::TRACKS, self.clock.clone());
                let tree = self.lock()?;
                // Positions go on across a reset, so a token from before it is too old.
                fresh.set_log(tree.log().emptied());
                let latest = fresh.log().latest();
                let pending = self.replace(tree, fresh, self.accounts.fresh());
                self.sink.settle(pending)?;
                self.publish(latest);
                Ok(())
            }
        }
    }

    fn load(&self, records: &Records) -> Result<(), LoadError> {
        let now = self.clock.now();
        let tree = self.lock()?;
        // Applied to copies that replace the live state only if every record is accepted: a
        // broken fixture changes nothing, and readers never see half of one.
        let mut accounts = self.accounts.draft();
        accounts.load(&records.accounts)?;
        Identities::check_clients(&records.clients).map_err(|e| LoadError::Record {
            at: RecordAt::Client(e.index),
            message: e.message,
        })?;
        let mut draft = tree.clone();
        draft.load(records, &accounts, now)?;
        // A load only adds records, and the draft tracked each one it made: a sink that keeps
        // state writes those (one change set, one commit), not the whole tree again; accounts
        // and groups are small and written whole.
        let mut tree = tree;
        *tree = draft;
        self.accounts.replace(accounts);
        // Checked above, so this cannot fail.
        let _ = self.accounts.identity().add_clients(&records.clients);
        let mut changes = tree.take_changes();
        changes.accounts = true;
        changes.org = true;
        let pending = self.submit(&tree, changes);
        drop(tree);
        Ok(self.sink.settle(pending)?)
    }

    fn records(&self, user: Option<&str>) -> Records {
        self.read_any(|tree| {
            // Groups and sites belong to no user: a user's part is their own files alone.
            let (groups, sites) = match user {
                None => tree.list_org(),
                Some(_) => Default::default(),
            };
            Records {
                accounts: self.accounts.read().list(user),
                // Clients belong to no user.
                clients: match user {
                    None => self.accounts.identity().client_records(),
                    Some(_) => Vec::new(),
                },
                groups,
                sites,
                spaces: tree.list(user),
                // Templates are the enterprise's, as groups and sites are no user's.
                templates: match user {
                    None => tree.list_templates(),
                    Some(_) => Vec::new(),
                },
            }
        })
    }

    fn users(&self, window: Window) -> Listing<UserSpaces> {
        // The tree's lock first, then the accounts, in the order `submit` takes them.
        self.read_any(|tree| {
            let accounts = self.accounts.read();
            // Sorting takes every user, which is fine: users are few next to files and
            // versions, and the directory is keyed for sign-in, not for listing.
            let mut users: Vec<&Arc<User>> = accounts.users().collect();
            users.sort_unstable_by(|a, b| a.id.cmp(&b.id));
            Listing {
                total: users.len(),
                entries: window
                    .page(users.into_iter())
                    .map(|user| UserSpaces {
                        user: user.clone(),
                        spaces: tree.spaces_of(user),
                    })
                    .collect(),
            }
        })
    }

    fn shared_drives(&self, window: Window) -> Listing<DriveSpace> {
        self.read_any(|tree| tree.drives_page(window))
    }

    fn inspect_item(&self, id: ItemId) -> Result<NodeDetail, StoreError> {
        self.read(|tree| tree.node_detail(id))
    }

    fn inspect_children(
        &self,
        folder: ItemId,
        window: Window,
    ) -> Result<Listing<NodeSummary>, StoreError> {
        self.read(|tree| tree.children_page(folder, window))
    }

    fn timeline(
        &self,
        file: ItemId,
        order: TimelineOrder,
        window: Window,
    ) -> Result<Listing<TimelineEntry>, StoreError> {
        self.read(|tree| tree.timeline_page(file, order, window))
    }

    fn changes_since(
        &self,
        after: u64,
        limit: usize,
        filter: &ChangeFilter,
    ) -> Result<ChangePage, ChangeLogError> {
        self.read(|tree| Ok(tree.log().since(after, limit, filter)))?
    }

    fn subtree(
        &self,
        space: &Space,
        top: ItemId,
        after: Option<&[String]>,
        limit: usize,
    ) -> Result<SubtreePage, StoreError> {
        self.read(|tree| tree.subtree_page(space, top, after, limit))
    }

    fn latest_position(&self) -> u64 {
        *self.feed.borrow()
    }

    fn subscribe_changes(&self) -> watch::Receiver<u64> {
        self.feed.subscribe()
    }

    fn expire_change_tokens(&self) -> Result<(), StoreError> {
        self.apply(|tree, _| {
            tree.expire_log();
            Ok(())
        })
    }

    fn account(&self, id: &str) -> Option<(Arc<User>, Profile)> {
        let directory = self.accounts.read();
        let user = directory.user(id)?.clone();
        Some((user, directory.profile(id).clone()))
    }

    fn accounts(&self) -> Vec<(Arc<User>, Profile)> {
        let directory = self.accounts.read();
        let mut users: Vec<(Arc<User>, Profile)> = directory
            .users()
            .filter(|user| !directory.profile(&user.id).deleted)
            .map(|user| (user.clone(), directory.profile(&user.id).clone()))
            .collect();
        users.sort_unstable_by(|a, b| a.0.id.cmp(&b.0.id));
        users
    }

    fn create_user(&self, new: NewUser, seed: &str) -> Result<(Arc<User>, Profile), StoreError> {
        self.change_accounts(|directory, _| {
            let user = directory.create(new, seed)?;
            Ok((user.clone(), directory.profile(&user.id).clone()))
        })
    }

    fn update_user(
        &self,
        id: &str,
        change: UserChange,
    ) -> Result<(Arc<User>, Profile), StoreError> {
        self.change_accounts(|directory, _| {
            let user = directory.update(id, change)?;
            Ok((user, directory.profile(id).clone()))
        })
    }

    fn delete_user(&self, id: &str, force: bool) -> Result<(), StoreError> {
        self.change_accounts(|directory, tree| {
            let user = directory.live(id).ok_or(UserError::NotFound)?.clone();
            if !force && tree.owns_items(&user) {
                return Err(UserError::OwnsItems.into());
            }
            directory.delete(id)?;
            tree.remove_user_data(&user);
            tree.forget_owner_log(&user.id);
            Ok(())
        })
    }

    fn recent_changes(
        &self,
        space: &Space,
        query: crate::store::RecentQuery,
    ) -> Result<crate::store::RecentPage, StoreError> {
        self.read(|tree| Ok(tree.recent_changes(space, query)))
    }

    fn favorites(
        &self,
        actor: &Arc<User>,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError> {
        self.read(|tree| Ok(tree.favorites(actor, window)))
    }
}

/// The drive an item's owner names, whoever asks: a user's own, or a library (found without a
/// membership check, as a sharing link or an invitation is what lets the caller in).
fn drive_of(tree: &Tree, owner: &SpaceOwner) -> Option<DriveView> {
    match owner {
        SpaceOwner::User(user) => Some(DriveView::Personal(user.clone())),
        SpaceOwner::Drive(id) => (tree.org().shared_drives())
            .find(|d| d.library.id == **id)
            .map(|d| DriveView::Shared(Box::new(d))),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;
    use crate::store::MemoryStore;

    /// A read does not wait for another: the second finishes while the first is still inside.
    /// Were reads exclusive, the second would wait for the first, which gives up after ten
    /// seconds and reports it.
    #[test]
    fn reads_hold_the_tree_side_by_side() {
        let store = MemoryStore::new(Arc::new(Clock::real()));
        let (entered, inside) = mpsc::channel();
        let (finished, second_done) = mpsc::channel();
        std::thread::scope(|scope| {
            let store = &store;
            let first = scope.spawn(move || {
                store.read(|_| {
                    entered.send(()).expect("the test waits for it");
                    Ok(second_done.recv_timeout(Duration::from_secs(10)).is_ok())
                })
            });
            inside.recv().expect("the first read starts");
            store.read(|_| Ok(())).expect("a read of an empty tree");
            finished.send(()).ok();
            let waited_for = first.join().expect("no panic").expect("a read");
            assert!(waited_for, "the second read waited for the first to end");
        });
    }
}
