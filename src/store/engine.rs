//! The engine every store is built on: accounts, the tree behind one `std::sync::Mutex`, and a
//! `Sink` that receives what each operation changed.
//!
//! Every operation takes the lock once and does its whole read-check-write before letting go
//! (the pattern of mini-redis's `db.rs`): that is what makes operations atomic and keeps
//! concurrent restores from losing or duplicating a version. Nothing inside awaits, so a std
//! mutex is right. The in-memory store is this engine with a sink that keeps nothing.
//!
//! With a sink that keeps changes elsewhere (`super::durable`), an operation applies under the
//! lock and waits for the sink outside it, so that one commit serves many operations. Until it
//! is kept, a change is in memory only; so every operation, reads included, waits (or has its
//! request's reply wait, `super::acknowledge`) until everything it could see is kept, and a
//! sink whose commit failed brings the tree back to what it kept before the next operation.

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};

use super::changes::ChangeSet;
use super::domain::{
    ChildOrder, CopyItem, ItemId, ItemKind, ItemView, Listing, MoveItem, NewFolder, PromoteRules,
    RestoreItem, SearchQuery, Space, Version, VersionId, VersionQuery, VersionRef, VersionView,
    Window, WriteFile, Written,
};
use super::inspect::{
    DriveSpace, NodeDetail, NodeSummary, TimelineEntry, TimelineOrder, UserSpaces,
};
use super::org::{DriveHolder, DriveView, SiteView};
use super::precondition::Precondition;
use super::records::{LoadError, Records};
use super::tree::{IdSeed, Tree};
use super::{StoreError, VersionStore};
use crate::control::clock::Clock;
use crate::store::accounts::{Accounts, Directory, Grant, UnknownToken, User};

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
    tree: Mutex<Tree>,
    sink: S,
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
        Self {
            clock,
            seed,
            accounts,
            tree: Mutex::new(tree),
            sink,
        }
    }

    /// An empty engine with these accounts.
    pub(crate) fn empty(clock: Arc<Clock>, seed: IdSeed, accounts: Accounts, sink: S) -> Self {
        Self::from_parts(clock, seed, accounts, Tree::new(seed, S::TRACKS), sink)
    }

    #[cfg(test)]
    pub(crate) fn sink(&self) -> &S {
        &self.sink
    }

    /// The tree's lock, with the tree as the sink kept it.
    fn lock(&self) -> Result<MutexGuard<'_, Tree>, StoreError> {
        let mut tree = self.lock_raw();
        self.sink.recover(&mut tree, &self.accounts)?;
        Ok(tree)
    }

    fn lock_raw(&self) -> MutexGuard<'_, Tree> {
        // A panic while holding the lock cannot leave a half-applied change behind: every
        // operation checks everything before its first write. So a poisoned lock is safe to use.
        self.tree.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs one operation on the tree under the lock, hands what it changed to the sink, and
    /// returns once the sink has kept it (and, for one that changed nothing, everything it saw).
    fn apply<T>(
        &self,
        op: impl FnOnce(&mut Tree, DateTime<Utc>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let now = self.clock.now();
        let (result, pending) = {
            let mut tree = self.lock()?;
            let result = op(&mut tree, now);
            let changes = tree.take_changes();
            match changes.is_empty() {
                true => (result, self.sink.observe()),
                false => (result, self.submit(&tree, changes)),
            }
        };
        self.sink.settle(pending)?;
        result
    }

    /// Runs a read under the lock and returns once everything it saw is kept.
    fn read<T>(&self, op: impl FnOnce(&Tree) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let (result, pending) = {
            let tree = self.lock()?;
            (op(&tree), self.sink.observe())
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
    fn personal_drive(
        &self,
        owner: Option<Arc<User>>,
        caller: &Arc<User>,
    ) -> Result<DriveView, StoreError> {
        match owner {
            None => Err(StoreError::ItemNotFound),
            Some(owner) if owner.id != caller.id => Err(StoreError::AccessDenied),
            Some(owner) => Ok(DriveView::Personal(owner)),
        }
    }

    fn submit(&self, tree: &Tree, changes: ChangeSet) -> S::Pending {
        self.sink.submit(tree, &self.accounts.read(), changes)
    }

    /// Replaces the tree and the accounts together, under the tree's lock.
    fn replace(
        &self,
        mut tree: MutexGuard<'_, Tree>,
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
        let signed_in = self.accounts.sign_in(token)?;
        if signed_in.new && S::TRACKS {
            // Rare (a token's first request), so the tree's lock is taken only to keep this
            // change set in order with the others.
            // A store that cannot recover keeps nothing now; the user's writes will say so.
            let Ok(tree) = self.lock() else {
                return Ok(signed_in.grant);
            };
            let pending = {
                let changes = ChangeSet {
                    accounts: true,
                    ..ChangeSet::default()
                };
                let pending = self.submit(&tree, changes);
                drop(tree);
                pending
            };
            // A sign-in that could not be kept is still a valid sign-in: the user is derived
            // from the token, and the write that names the user will fail and say so itself.
            let _ = self.sink.settle(pending);
        }
        Ok(signed_in.grant)
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

    fn resolve(
        &self,
        space: &Space,
        base: ItemId,
        segments: &[String],
    ) -> Result<ItemView, StoreError> {
        self.read(|tree| tree.resolve(space, base, segments))
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

    fn create_folder(&self, space: &Space, folder: NewFolder) -> Result<ItemView, StoreError> {
        self.apply(|tree, now| tree.create_folder(space, folder, now))
    }

    fn write_file(
        &self,
        space: &Space,
        write: WriteFile,
        precondition: Option<Precondition>,
    ) -> Result<Written, StoreError> {
        self.apply(|tree, now| tree.write_file(space, write, precondition, now))
    }

    fn delete_item(
        &self,
        space: &Space,
        id: ItemId,
        precondition: Option<Precondition>,
    ) -> Result<(), StoreError> {
        self.apply(|tree, _| tree.delete_item(space, id, precondition))
    }

    fn move_item(
        &self,
        space: &Space,
        id: ItemId,
        change: MoveItem,
        precondition: Option<Precondition>,
    ) -> Result<ItemView, StoreError> {
        self.apply(|tree, now| tree.move_item(space, id, change, precondition, now))
    }

    fn copy_item(&self, space: &Space, id: ItemId, copy: CopyItem) -> Result<ItemView, StoreError> {
        self.apply(|tree, now| tree.copy_item(space, id, copy, now))
    }

    fn search(
        &self,
        space: &Space,
        query: &SearchQuery,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError> {
        self.read(|tree| tree.search(space, query, window))
    }

    fn trash_item(
        &self,
        space: &Space,
        id: ItemId,
        kind: ItemKind,
        recursive: bool,
        precondition: Option<Precondition>,
    ) -> Result<ItemView, StoreError> {
        self.apply(|tree, now| tree.trash_item(space, id, kind, recursive, precondition, now))
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
        self.apply(|tree, now| tree.restore_item(space, id, kind, restore, now))
    }

    fn purge_item(&self, space: &Space, id: ItemId, kind: ItemKind) -> Result<(), StoreError> {
        self.apply(|tree, _| tree.purge_item(space, id, kind))
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

    fn drives(
        &self,
        holder: &DriveHolder,
        caller: &Arc<User>,
    ) -> Result<Vec<DriveView>, StoreError> {
        if let DriveHolder::User(key) = holder {
            return Ok(vec![self.personal_drive(self.user(key), caller)?]);
        }
        self.apply(|tree, now| {
            let drives = tree.org_op(|org| org.drives(holder, caller, now))?;
            Ok(drives
                .into_iter()
                .map(|d| DriveView::Shared(Box::new(d)))
                .collect())
        })
    }

    fn drive(&self, id: &str, caller: &Arc<User>) -> Result<DriveView, StoreError> {
        let owner = id.strip_prefix("b!").and_then(|user| self.user(user));
        if owner.is_some() {
            return self.personal_drive(owner, caller);
        }
        let shared = self.read(|tree| tree.org().shared_drive(id, caller))?;
        Ok(DriveView::Shared(Box::new(shared)))
    }

    fn site(&self, holder: &DriveHolder, caller: &Arc<User>) -> Result<SiteView, StoreError> {
        self.apply(|tree, now| tree.org_op(|org| org.site_view(holder, caller, now)))
    }

    fn versions(
        &self,
        space: &Space,
        file: ItemId,
        query: VersionQuery,
    ) -> Result<Listing<Version>, StoreError> {
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
        self.apply(|tree, now| tree.promote_version(space, file, at, rules, precondition, now))
    }

    fn delete_version(
        &self,
        space: &Space,
        file: ItemId,
        at: VersionRef,
        precondition: Option<Precondition>,
    ) -> Result<(), StoreError> {
        self.apply(|tree, _| tree.delete_version(space, file, at, precondition))
    }

    fn trash_version(
        &self,
        space: &Space,
        file: ItemId,
        at: VersionRef,
        precondition: Option<Precondition>,
    ) -> Result<Version, StoreError> {
        self.apply(|tree, now| tree.trash_version(space, file, at, precondition, now))
    }

    fn untrash_version(
        &self,
        space: &Space,
        file: ItemId,
        at: VersionRef,
    ) -> Result<Version, StoreError> {
        self.apply(|tree, now| tree.untrash_version(space, file, at, now))
    }

    fn version_by_id(&self, id: VersionId) -> Result<Version, StoreError> {
        self.read(|tree| tree.version_by_id(id))
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
                    Ok(())
                })
            }
            None => {
                let fresh = Tree::new(self.seed, S::TRACKS);
                let pending = self.replace(self.lock()?, fresh, self.accounts.fresh());
                self.sink.settle(pending)
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
        let mut draft = tree.clone();
        draft.load(records, &accounts, now)?;
        // A load only adds records, and the draft tracked each one it made: a sink that keeps
        // state writes those (one change set, one commit), not the whole tree again; accounts
        // and groups are small and written whole.
        let mut tree = tree;
        *tree = draft;
        self.accounts.replace(accounts);
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
                groups,
                sites,
                spaces: tree.list(user),
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
}
