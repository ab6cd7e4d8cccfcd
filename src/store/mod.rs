//! The version store: users, folders, files and their version histories, shared by both API faces.
//!
//! A request makes as many calls here as it needs (sign in, resolve the address, then the
//! operation, sometimes a read to render the reply) and renders the result in its own API's
//! JSON. Each call is atomic on its own: it applies fully or not at all, under one lock. What
//! must not interleave with other requests is therefore one call: a write checks its name, its
//! precondition and its parent inside the call that makes it, which is what keeps concurrent
//! restores from losing or duplicating a version. Between two calls of one request another
//! request may change the state; the later call then sees that and refuses or applies as the
//! state is. With the durable store, a request's reply waits until every change it made or saw
//! is on disk (`acknowledge`).
//!
//! - `domain`: ids, versions, item views and operation arguments; `precondition`: `If-Match` as
//!   data; `records`: the store's contents as plain records (fixtures load and list them).
//! - `rules`: names, free names, MIME types, path walking: the same for every store;
//!   `special`: Graph's special folders and where they are.
//! - `tree`: items, versions and shared bodies, and every operation on them.
//! - `engine`: accounts plus the tree behind one lock, handing change sets to a `Sink`;
//!   `changes`: what a change set holds; `memory`: `MemoryStore`, the engine keeping nothing;
//!   `durable`: `DurableStore`, the engine keeping everything in a data dir, through a
//!   `durable::Backend` (redb). The engine, the tree and change sets are the crate's own: the
//!   stores are public types over them, and a new database plugs in as a `Backend`.
//! - `locks`: Box's file locks, descriptions and tags, kept beside the sharing state;
//!   `comments`: Box's comments on files, kept there too; `tasks`: Box's tasks on files and
//!   their assignments, kept there too.
//! - `zip`: what a Box zip download reads, the files and folder trees named.
//! - `org`: groups, sites and their document libraries (the shared drives), and who may reach
//!   them; they live in the tree, under its lock.
//! - `inspect`: what the admin browser reads, any owner's state one page at a time.
//! - `acknowledge`: a request's replies held until its writes are kept, awaited, not blocked on.
//! - `change_log`: every committed change in order, for delta, events and the push outlets
//!   (its `//!` is the API for them).
//! - `contract` (tests): one suite of store-level cases run over every store.

pub mod accounts;
pub mod acknowledge;
mod by_item;
pub mod change_log;
pub(crate) mod changes;
pub mod comments;
pub mod content;
#[cfg(test)]
mod contract;
mod domain;
pub mod durable;
pub(crate) mod engine;
pub mod inspect;
pub mod locks;
pub mod memory;
pub mod metadata;
pub mod org;
mod precondition;
pub mod records;
pub mod rules;
pub mod shared_link;
pub mod sharing;
pub mod special;
pub mod tasks;
pub(crate) mod tree;
pub mod zip;

pub use change_log::{
    ChangeEntry, ChangeFilter, ChangeKind, ChangeLogError, ChangePage, RecentChange, RecentPage,
    RecentQuery, SpaceKey,
};
pub use domain::*;
pub use inspect::BoxSide;
pub use inspect::{
    DriveSpace, NodeDetail, NodeSummary, NodeSummaryKind, TimelineEntry, TimelineOrder,
    TimelineSource, UserSpaces,
};
pub use locks::{ItemEdit, ItemNotes, Lock, LockEdit, NewLock};
pub use memory::MemoryStore;
pub use metadata::{
    FieldFilter, Instance, InstanceRef, MetadataError, MetadataFilter, NewTemplate, PatchOp,
    Scope as MetadataScope, Template,
};
pub use org::{DriveAccess, DriveHolder, DriveView, Group, SharedDrive, SiteView};
pub use precondition::Precondition;
pub use records::{AssignmentRecord, TaskRecord};
pub use records::{
    CollaborationRecord, CommentRecord, FileRecord, GroupRecord, ItemRecord, LibraryRecord,
    LoadError, LockRecord, OwnerRecord, RecordAt, Records, RootRecord, SiteRecord, SpaceRecord,
    TrashedRecord, VersionRecord,
};
pub use records::{FieldRecord, InstanceRecord, SharedLinkRecord, TemplateRecord};
pub use sharing::{
    BoxTarget, CheckIn, NewInvitation, NewLink, PermissionView, Role, SharedItem, SharingError,
};
pub use special::SpecialFolder;
pub use tree::IdSeed;

use std::sync::Arc;

pub use crate::store::accounts::{
    AccountRecord, Grant, NewUser, Profile, UnknownToken, User, UserChange, UserError,
};

/// Why a store operation did nothing. Each face maps every variant to its own error once.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("item not found")]
    ItemNotFound,
    /// The caller is not a member of the group or site whose drive this is, or it is another
    /// user's own drive.
    #[error("access denied")]
    AccessDenied,
    #[error("version not found")]
    VersionNotFound,
    #[error("the item is a folder and has no versions")]
    NotAFile,
    #[error("the item is a folder and cannot take content")]
    WriteToFolder,
    #[error("a path segment is a file, not a folder")]
    NotAFolder,
    #[error("an item with the name {:?} already exists", .existing.name)]
    NameConflict { existing: Box<ItemView> },
    #[error("the item has changed since the given tag")]
    PreconditionFailed,
    #[error("invalid name: {0}")]
    InvalidName(String),
    /// The item would sit at a path longer or deeper than its face allows
    /// (`rules::check_path`).
    #[error("the path would be too long")]
    PathTooLong,
    #[error("the operation is not allowed on the current version")]
    CurrentVersion,
    #[error("the version is in the trash")]
    VersionTrashed,
    #[error("the root folder cannot be changed this way")]
    RootFolder,
    /// The item, or a folder above it, is in the trash.
    #[error("the item is in the trash")]
    Trashed,
    /// A trash operation named an item that is not itself in the trash.
    #[error("the item is not in the trash")]
    NotTrashed,
    #[error("the folder is not empty")]
    FolderNotEmpty,
    /// A folder cannot move below itself.
    #[error("a folder cannot move into itself or a folder below it")]
    MoveIntoItself,
    /// The item's original folder is gone and no other parent was given.
    #[error("the folder the item was in is gone")]
    RestoreTargetGone,
    /// A durable store's disk is full: the change was not kept (and is not in memory either).
    /// The text names the data dir and the error.
    #[error("{0}")]
    InsufficientStorage(String),
    /// A sharing or check-out operation was refused (only the Graph face has these).
    #[error("{0}")]
    Sharing(#[from] sharing::SharingError),
    /// A Box metadata operation was refused (only the Box face has these).
    #[error("{0}")]
    Metadata(#[from] metadata::MetadataError),
    /// A durable store could not keep the change for another reason (an I/O error).
    #[error("the store could not keep the change: {0}")]
    Storage(String),
    /// A Box user admin operation was refused (only the Box face has these).
    #[error("{0}")]
    Users(#[from] accounts::UserError),
}

/// The store both faces share. Methods are synchronous and atomic: each takes the whole
/// read-check-write under one lock, and there is nothing to await inside. Preconditions are
/// compared with the item's tags inside that lock, at the moment of the change.
pub trait VersionStore: Send + Sync + 'static {
    /// Who a bearer token signs in as. Unknown tokens sign in as a new user unless the store has a
    /// fixed token list, in which case they get `UnknownToken`.
    fn sign_in(&self, token: &str) -> Result<Grant, UnknownToken>;

    /// Clients and the tokens issued to them ([`crate::identity`]); a full reset empties it.
    fn identity(&self) -> &crate::identity::Identities;

    /// The user an issued token signs in as: the known user with `wanted`'s id, else `wanted`
    /// made (and kept) when `create`; `None` when unknown and not to be made.
    fn subject(&self, wanted: User, create: bool) -> Option<Arc<User>>;

    /// The space's root folder, made on first use.
    fn root(&self, space: &Space) -> Result<ItemView, StoreError>;

    /// The id of the space's root folder, made on first use. Cheaper than `root`, which also
    /// sizes the whole tree: faces call it to resolve `root`-relative addresses.
    fn root_id(&self, space: &Space) -> Result<ItemId, StoreError>;

    fn item(&self, space: &Space, id: ItemId) -> Result<ItemView, StoreError>;

    /// The id of a special folder of the space; with `create`, made (with the folders above it)
    /// when missing, else a missing one is `ItemNotFound`.
    fn special_folder(
        &self,
        space: &Space,
        folder: SpecialFolder,
        create: bool,
    ) -> Result<ItemId, StoreError>;

    /// The item at `segments` below `base`, matching names case-insensitively.
    fn resolve(
        &self,
        space: &Space,
        base: ItemId,
        segments: &[String],
    ) -> Result<ItemView, StoreError>;

    /// Refuses an item at `segments` below the folder `base` (which must be there; the folders
    /// on the way need not be yet) whose path would be longer than the face allows
    /// (`rules::check_path`): what an upload session checks before any byte is sent.
    fn check_room(
        &self,
        space: &Space,
        base: ItemId,
        segments: &[String],
    ) -> Result<(), StoreError>;

    /// A folder's children, sorted by name.
    fn children(
        &self,
        space: &Space,
        folder: ItemId,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError>;

    /// A folder's children in `order`, folders first; only the page is rendered.
    fn ordered_children(
        &self,
        space: &Space,
        folder: ItemId,
        order: ChildOrder,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError>;

    /// A page of the items below `folder` whose names contain `text` (case-insensitively),
    /// breadth first and by name within each folder (Graph `search(q='…')`).
    fn search(
        &self,
        space: &Space,
        folder: ItemId,
        text: &str,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError>;

    fn create_folder(&self, space: &Space, folder: NewFolder) -> Result<ItemView, StoreError>;

    /// Creates a file or adds a version to one: exactly one new version either way.
    fn write_file(
        &self,
        space: &Space,
        write: WriteFile,
        precondition: Option<Precondition>,
    ) -> Result<Written, StoreError>;

    /// Removes a file or folder and everything below it.
    fn delete_item(
        &self,
        space: &Space,
        id: ItemId,
        precondition: Option<Precondition>,
    ) -> Result<(), StoreError>;

    /// Renames an item, moves it to another folder, or both; its versions stay with it.
    fn move_item(
        &self,
        space: &Space,
        id: ItemId,
        change: MoveItem,
        precondition: Option<Precondition>,
    ) -> Result<ItemView, StoreError>;

    /// A Box item update: a rename or move as `move_item` does it, with the description, tags,
    /// lock and shared link `edit` names, all or nothing. A lock held by another user refuses it (`Sharing
    /// (Locked)`), a lock on a folder (`Sharing(NotAFile)`) or one whose expiry has passed
    /// (`Sharing(LockExpiry)`) too.
    fn update_item(
        &self,
        space: &Space,
        id: ItemId,
        change: MoveItem,
        edit: ItemEdit,
        precondition: Option<Precondition>,
    ) -> Result<ItemView, StoreError>;

    /// The Box item a live shared link opens, by the link's id, for `viewer` (`None`: a request
    /// without a token), given the link's `password` if any.
    /// Box metadata (`metadata`): the enterprise's templates, and the instances on an item of
    /// the space (not found, or `Trashed`, as for other item operations).
    fn create_metadata_template(&self, template: NewTemplate) -> Result<Template, StoreError>;
    fn metadata_template(&self, scope: MetadataScope, key: &str) -> Result<Template, StoreError>;
    fn metadata_templates(&self) -> Result<Vec<Template>, StoreError>;
    /// Deletes the template with every instance of it.
    fn delete_metadata_template(&self, scope: MetadataScope, key: &str) -> Result<(), StoreError>;
    fn metadata_instances(
        &self,
        space: &Space,
        item: ItemId,
        kind: ItemKind,
    ) -> Result<Vec<Instance>, StoreError>;
    fn metadata_instance(&self, space: &Space, at: &InstanceRef) -> Result<Instance, StoreError>;
    /// A new instance, its values checked against the template.
    fn create_metadata_instance(
        &self,
        space: &Space,
        at: &InstanceRef,
        values: serde_json::Map<String, serde_json::Value>,
    ) -> Result<Instance, StoreError>;
    /// A JSON Patch applied to an instance, all or nothing.
    fn update_metadata_instance(
        &self,
        space: &Space,
        at: &InstanceRef,
        ops: &[PatchOp],
    ) -> Result<Instance, StoreError>;
    fn delete_metadata_instance(&self, space: &Space, at: &InstanceRef) -> Result<(), StoreError>;

    fn shared_item(
        &self,
        link: &str,
        password: Option<&str>,
        viewer: Option<&User>,
    ) -> Result<ItemView, StoreError>;

    /// Copies an item (a folder with everything below it) as `copy` says, checking every name
    /// and the destination before making anything; returns the new top item.
    fn copy_item(&self, from: &Space, id: ItemId, copy: CopyItem) -> Result<ItemView, StoreError>;

    /// A page of the space's items outside the trash that `query` matches (Box `GET /search`),
    /// by name, then id.
    fn find_items(
        &self,
        space: &Space,
        query: &SearchQuery,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError>;

    /// Puts a file or folder (with everything below it) in the trash; a non-empty folder only
    /// when `recursive`. Its name is free again in its folder.
    fn trash_item(
        &self,
        space: &Space,
        id: ItemId,
        kind: ItemKind,
        recursive: bool,
        precondition: Option<Precondition>,
    ) -> Result<ItemView, StoreError>;

    /// An item that is itself in the trash.
    fn trashed_item(
        &self,
        space: &Space,
        id: ItemId,
        kind: ItemKind,
    ) -> Result<ItemView, StoreError>;

    /// The items the space's user put in the trash, oldest first.
    fn trash(&self, space: &Space, window: Window) -> Result<Listing<ItemView>, StoreError>;

    /// Takes an item out of the trash, back where it was (or as `restore` says).
    fn restore_item(
        &self,
        space: &Space,
        id: ItemId,
        kind: ItemKind,
        restore: RestoreItem,
    ) -> Result<ItemView, StoreError>;

    /// Deletes an item in the trash for good: it, everything below it, every version and its
    /// bytes (once nothing else holds them); download links to them stop working.
    fn purge_item(&self, space: &Space, id: ItemId, kind: ItemKind) -> Result<(), StoreError>;

    /// A user by id, or else by login (case-insensitive), if the store knows them.
    fn user(&self, key: &str) -> Option<Arc<User>>;

    /// A user by id alone, as the directory has them now (one lookup: it runs for every user
    /// a reply names).
    fn user_by_id(&self, id: &str) -> Option<Arc<User>>;

    /// The drives `holder` names, the default first, if `reach` allows them. A group or site
    /// nobody declared is made on first use, open to every signed-in user; a user's drive is
    /// theirs alone. An app with application permissions ([`DriveAccess::App`]) reaches every user's
    /// drive and every group's and site's, members listed or not.
    fn drives(
        &self,
        holder: &DriveHolder,
        reach: DriveAccess,
    ) -> Result<Vec<DriveView>, StoreError>;

    /// The drive with this id (a user's `b!{id}` or a library's), if `reach` allows it.
    fn drive(&self, id: &str, reach: DriveAccess) -> Result<DriveView, StoreError>;

    /// The site `holder` names (a site, or a group's team site), made on first use like
    /// `drives`.
    fn site(&self, holder: &DriveHolder, reach: DriveAccess) -> Result<SiteView, StoreError>;

    /// A page of a file's history, newest first.
    fn versions(
        &self,
        space: &Space,
        file: ItemId,
        query: VersionQuery,
    ) -> Result<Listing<Arc<Version>>, StoreError>;

    fn version(
        &self,
        space: &Space,
        file: ItemId,
        at: VersionRef,
    ) -> Result<VersionView, StoreError>;

    /// Appends a copy of an earlier version as the new current one (Graph restoreVersion, Box
    /// promote) and returns it. Every earlier version is kept.
    fn promote_version(
        &self,
        space: &Space,
        file: ItemId,
        at: VersionRef,
        rules: PromoteRules,
        precondition: Option<Precondition>,
    ) -> Result<Version, StoreError>;

    /// Removes a previous version from a file's history for good (Graph's `DELETE
    /// {item}/versions/{id}`); the current version is refused (`CurrentVersion`). The item's tags
    /// do not change, and later versions keep their numbers.
    fn delete_version(
        &self,
        space: &Space,
        file: ItemId,
        at: VersionRef,
        precondition: Option<Precondition>,
    ) -> Result<(), StoreError>;

    /// Moves a previous version to the trash. Trashing a trashed version changes nothing.
    fn trash_version(
        &self,
        space: &Space,
        file: ItemId,
        at: VersionRef,
        precondition: Option<Precondition>,
    ) -> Result<Version, StoreError>;

    /// Takes a version out of the trash. A version that is not trashed comes back unchanged.
    fn untrash_version(
        &self,
        space: &Space,
        file: ItemId,
        at: VersionRef,
    ) -> Result<Version, StoreError>;

    /// A version by id alone, for pre-authenticated download links, which carry no token.
    fn version_by_id(&self, id: VersionId) -> Result<Version, StoreError>;

    // Sharing and check-out (the Graph face's): `sharing` says what they hold.

    /// The permissions that apply to an item, its own first, then those inherited from the
    /// folders above it. A user reaching another user's drive sees only their own.
    fn permissions(&self, space: &Space, item: ItemId) -> Result<Vec<PermissionView>, StoreError>;

    fn permission(
        &self,
        space: &Space,
        item: ItemId,
        permission: &str,
    ) -> Result<PermissionView, StoreError>;

    /// A sharing link on the item: a new one (`true`), or the one of that type and scope it has.
    fn create_link(
        &self,
        space: &Space,
        item: ItemId,
        link: NewLink,
    ) -> Result<(PermissionView, bool), StoreError>;

    /// Invites users to the item, one permission each.
    fn invite(
        &self,
        space: &Space,
        item: ItemId,
        invitation: NewInvitation,
    ) -> Result<Vec<PermissionView>, StoreError>;

    /// Changes the role of a permission set on the item itself (not an inherited one).
    fn update_permission(
        &self,
        space: &Space,
        item: ItemId,
        permission: &str,
        role: Role,
    ) -> Result<PermissionView, StoreError>;

    /// Removes a permission set on the item itself (not an inherited one).
    fn delete_permission(
        &self,
        space: &Space,
        item: ItemId,
        permission: &str,
    ) -> Result<(), StoreError>;

    /// What others invited `user` to, with the drive each item is in.
    fn shared_with(&self, user: &Arc<User>) -> Result<Vec<(SharedItem, DriveView)>, StoreError>;

    /// The role the space's actor holds on an item of another user's drive by invitation.
    fn guest_role(&self, space: &Space, item: ItemId) -> Result<Option<Role>, StoreError>;

    /// The item a live sharing link opens, by its permission id, with its drive. No caller:
    /// links work for whoever holds them.
    fn linked_item(&self, permission: &str) -> Result<(ItemView, DriveView), StoreError>;

    /// Checks a file out to the space's actor.
    fn checkout(&self, space: &Space, item: ItemId) -> Result<(), StoreError>;

    /// Checks a file in; returns the version it published.
    fn checkin(
        &self,
        space: &Space,
        item: ItemId,
        check_in: CheckIn,
    ) -> Result<Version, StoreError>;

    /// Ends the actor's check-out, dropping the versions written since.
    fn discard_checkout(&self, space: &Space, item: ItemId) -> Result<(), StoreError>;

    /// A Box comment on a file, or a reply (on the replied-to comment's file).
    fn create_comment(
        &self,
        space: &Space,
        target: comments::CommentTarget,
        text: comments::CommentText,
    ) -> Result<comments::Comment, StoreError>;

    /// A Box comment on a file the space reaches (`Sharing(CommentNotFound)` otherwise).
    fn comment(&self, space: &Space, id: u64) -> Result<comments::Comment, StoreError>;

    /// A file's Box comments, replies included, oldest first.
    fn comments(
        &self,
        space: &Space,
        file: ItemId,
        window: Window,
    ) -> Result<Listing<comments::Comment>, StoreError>;

    /// Replaces a Box comment's text.
    fn edit_comment(
        &self,
        space: &Space,
        id: u64,
        message: String,
    ) -> Result<comments::Comment, StoreError>;

    fn delete_comment(&self, space: &Space, id: u64) -> Result<(), StoreError>;

    /// Another user's Box item `actor` collaborates on (or the file a comment, task or task
    /// assignment is on): the owner's space with `actor` acting, and the best role; `None` for
    /// the actor's own items and what nothing opens to them.
    fn box_reach(
        &self,
        actor: &Arc<User>,
        target: BoxTarget,
    ) -> Result<Option<(Space, sharing::BoxRole)>, StoreError>;

    /// A Box collaboration on an item of `space`, whose actor owns it or holds a role that
    /// invites.
    fn create_collaboration(
        &self,
        space: &Space,
        new: sharing::NewCollaboration,
    ) -> Result<sharing::CollaborationView, StoreError>;

    /// A Box collaboration `actor` may see.
    fn collaboration(
        &self,
        actor: &Arc<User>,
        id: &str,
    ) -> Result<sharing::CollaborationView, StoreError>;

    /// Changes a Box collaboration (role and terms by a manager, status by the invitee).
    fn update_collaboration(
        &self,
        actor: &Arc<User>,
        id: &str,
        edit: sharing::CollaborationEdit,
    ) -> Result<sharing::CollaborationView, StoreError>;

    /// Removes a Box collaboration.
    fn delete_collaboration(&self, actor: &Arc<User>, id: &str) -> Result<(), StoreError>;

    /// The pending and accepted Box collaborations set on an item of `space`.
    fn item_collaborations(
        &self,
        space: &Space,
        item: ItemId,
        kind: ItemKind,
        window: Window,
    ) -> Result<Listing<sharing::CollaborationView>, StoreError>;

    /// The Box collaborations pending on `actor`'s login.
    fn pending_collaborations(
        &self,
        actor: &Arc<User>,
    ) -> Result<Vec<sharing::CollaborationView>, StoreError>;
    /// A Box task on a file, with no assignments yet.
    fn create_task(
        &self,
        space: &Space,
        new: tasks::NewTask,
    ) -> Result<tasks::TaskView, StoreError>;

    /// A Box task on a file the space reaches, with its assignments.
    fn task(&self, space: &Space, id: u64) -> Result<tasks::TaskView, StoreError>;

    /// A file's Box tasks, oldest first.
    fn tasks(&self, space: &Space, file: ItemId) -> Result<Vec<tasks::TaskView>, StoreError>;

    fn edit_task(
        &self,
        space: &Space,
        id: u64,
        edit: tasks::TaskEdit,
    ) -> Result<tasks::TaskView, StoreError>;

    /// Deletes a Box task and its assignments.
    fn delete_task(&self, space: &Space, id: u64) -> Result<(), StoreError>;

    /// Assigns a Box task to the user `assignee` names (an id, or else a login).
    fn assign_task(
        &self,
        space: &Space,
        task: u64,
        assignee: &str,
    ) -> Result<tasks::AssignmentView, StoreError>;

    fn task_assignment(&self, space: &Space, id: u64) -> Result<tasks::AssignmentView, StoreError>;

    /// The assignee's answer to a Box task assignment.
    fn edit_task_assignment(
        &self,
        space: &Space,
        id: u64,
        edit: tasks::AssignmentEdit,
    ) -> Result<tasks::AssignmentView, StoreError>;

    fn delete_task_assignment(&self, space: &Space, id: u64) -> Result<(), StoreError>;

    /// What a Box zip download of `wanted` holds: each item in its space (the caller's own, or
    /// its owner's for one a collaboration opens to the caller) and not in the trash (else its
    /// error), a folder with its whole tree; `TooManyFiles` past `max_files` files.
    fn gather_zip(
        &self,
        wanted: &[(Space, ItemKind, ItemId)],
        max_files: usize,
    ) -> Result<zip::Gathered, StoreError>;

    /// Empties the store, or with `Some(user)` removes only that user's files (on both faces).
    /// A full reset starts users, files and id counters again as in a new store.
    fn reset(&self, user: Option<&str>) -> Result<(), StoreError>;

    /// Adds users, folders and files, keeping the ids they give. All or nothing.
    fn load(&self, records: &Records) -> Result<(), LoadError>;

    /// The whole contents, or one user's part, as records (`crate::fixture` prints them).
    fn records(&self, user: Option<&str>) -> Records;

    // The admin browser's reads (`inspect`): any owner's state, each costing the page it returns.

    /// A page of the users, by id, each with the spaces they have.
    fn users(&self, window: Window) -> Listing<UserSpaces>;

    /// A page of the shared drives, by site name, each with its root once it has one.
    fn shared_drives(&self, window: Window) -> Listing<DriveSpace>;

    /// Any item by id, whoever owns it, with the folders above it.
    fn inspect_item(&self, id: ItemId) -> Result<NodeDetail, StoreError>;

    /// A page of any folder's children, sorted by name.
    fn inspect_children(
        &self,
        folder: ItemId,
        window: Window,
    ) -> Result<Listing<NodeSummary>, StoreError>;

    /// A page of any file's history, from either end.
    fn timeline(
        &self,
        file: ItemId,
        order: TimelineOrder,
        window: Window,
    ) -> Result<Listing<TimelineEntry>, StoreError>;

    // The change log (`change_log`'s `//!` says how the outlets use it).

    /// The entries after position `after` that match `filter`, at most `limit`; `TooOld` when
    /// some after `after` were dropped.
    fn changes_since(
        &self,
        after: u64,
        limit: usize,
        filter: &ChangeFilter,
    ) -> Result<ChangePage, ChangeLogError>;

    /// A page of at most `limit` items of `top` and everything below it, each folder before
    /// what it holds: from `top` itself, or from the item after position `after` (a page's
    /// `next`). A first delta round; the round's next token is the `latest_position` read
    /// before its first page, so a change made while it pages comes again in the next round.
    fn subtree(
        &self,
        space: &Space,
        top: ItemId,
        after: Option<&[String]>,
        limit: usize,
    ) -> Result<SubtreePage, StoreError>;

    /// The newest kept position (0 before the first change).
    fn latest_position(&self) -> u64;

    /// The newest kept position as it moves: await `changed()`, then read `changes_since`.
    fn subscribe_changes(&self) -> tokio::sync::watch::Receiver<u64>;

    /// Drops every entry, so that every position handed out so far is too old (a resync on
    /// demand).
    fn expire_change_tokens(&self) -> Result<(), StoreError>;

    /// A user with what Box's user admin API keeps about them (a deleted one too: the profile
    /// says so); `None` for an unknown one.
    fn account(&self, id: &str) -> Option<(Arc<User>, Profile)>;

    /// Every live user with their profile, by id.
    fn accounts(&self) -> Vec<(Arc<User>, Profile)>;

    /// Makes a user (Box's `POST /2.0/users`); `seed` varies the id (the creator's id).
    fn create_user(&self, new: NewUser, seed: &str) -> Result<(Arc<User>, Profile), StoreError>;

    /// Changes a user (Box's `PUT /2.0/users/{id}`).
    fn update_user(&self, id: &str, change: UserChange)
        -> Result<(Arc<User>, Profile), StoreError>;

    /// Deletes a user and their files on both faces (Box's `DELETE /2.0/users/{id}`); without
    /// `force` a user who owns files or folders is refused.
    fn delete_user(&self, id: &str, force: bool) -> Result<(), StoreError>;

    /// A page of the space's files, each with the actor's latest change to it, newest first,
    /// from the change log (Box `GET /recent_items`); files in the trash or gone are left out.
    fn recent_changes(&self, space: &Space, query: RecentQuery) -> Result<RecentPage, StoreError>;

    /// A page of what `actor` put in their Box Favorites and still reaches, folders first, then
    /// by name (Box `GET /collections/{id}/items`); an update's `ItemEdit::favorite` fills it.
    fn favorites(&self, actor: &Arc<User>, window: Window)
        -> Result<Listing<ItemView>, StoreError>;
}
