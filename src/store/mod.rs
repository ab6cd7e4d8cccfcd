//! The version store: users, folders, files and their version histories, shared by both API faces.
//!
//! Handlers make one call here per request and render the result in their own API's JSON. Each
//! call is atomic (it applies fully or not at all), which is what keeps concurrent restores from
//! losing or duplicating a version. `memory::MemoryStore` is the default implementation.

pub mod inspect;
pub mod memory;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::content::Content;
use crate::fixture::{Fixture, FixtureError};

pub use inspect::{
    NodeDetail, NodeSummary, NodeSummaryKind, TimelineEntry, TimelineOrder, TimelineSource,
    UserSpaces,
};
pub use memory::MemoryStore;

/// Which API a piece of state belongs to. The two faces never see each other's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Face {
    Graph,
    Box,
}

/// A person that tokens sign in as. Shown as `createdBy`/`modified_by` and friends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub name: String,
    pub login: String,
}

/// What a bearer token grants: who the caller is and, when restricted, which scopes it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub user: Arc<User>,
    /// `None` means unrestricted (the default for tokens that sign in on first use). Shared, so
    /// that handing a grant to each request copies no strings.
    pub scopes: Option<Arc<[String]>>,
}

impl Grant {
    /// Whether the token holds any of `wanted`. An unrestricted token holds every scope.
    pub fn has_any_scope(&self, wanted: &[&str]) -> bool {
        match &self.scopes {
            None => true,
            Some(held) => held.iter().any(|s| wanted.contains(&s.as_str())),
        }
    }
}

/// The part of the store one request sees: one user's files on one face.
#[derive(Debug, Clone)]
pub struct Space {
    pub face: Face,
    /// The owner of the space, who is also the actor of every change made through it.
    pub user: Arc<User>,
}

/// A path or body named an id that is not a decimal number that fits in 64 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a numeric id")]
pub struct InvalidId;

macro_rules! numeric_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                // Digits only: `u64::from_str` would also take a leading `+`, which no real id has.
                if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(InvalidId);
                }
                s.parse().map(Self).map_err(|_| InvalidId)
            }
        }
    };
}

numeric_id!(
    /// A file or folder. Both faces print it as a decimal string.
    ItemId
);
numeric_id!(
    /// One version of one file, unique across the whole store (Box's file_version id).
    VersionId
);

/// One entry in a file's history. Cheap to clone: the bytes are shared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub id: VersionId,
    /// 1, 2, 3, … in upload order (a fixture may start later or skip): Box's `version_number`,
    /// Graph's `N.0` label.
    pub number: u32,
    pub content: Arc<Content>,
    /// The file's name when this version was made.
    pub name: Arc<str>,
    pub created_at: DateTime<Utc>,
    pub created_by: Arc<User>,
    pub trashed_at: Option<DateTime<Utc>>,
    pub trashed_by: Option<Arc<User>>,
    pub restored_at: Option<DateTime<Utc>>,
    pub restored_by: Option<Arc<User>>,
    /// Set on a version made by a restore or promote: the version whose bytes it copied.
    pub restored_from: Option<VersionId>,
}

/// How a caller names a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionRef {
    Id(VersionId),
    Number(u32),
    Current,
}

/// A folder or file as both faces render it, read under the store's lock.
#[derive(Debug, Clone)]
pub struct ItemView {
    pub id: ItemId,
    pub name: String,
    pub parent: Option<ItemId>,
    /// From the root down to the parent, excluding the item itself. Empty for the root.
    pub ancestors: Vec<Ancestor>,
    pub owner: Arc<User>,
    pub created_at: DateTime<Utc>,
    pub created_by: Arc<User>,
    pub modified_at: DateTime<Utc>,
    pub modified_by: Arc<User>,
    /// Bumped on every change to the item: Box's etag and sequence_id, Graph's eTag counter.
    pub revision: u64,
    /// Bumped on every change to the content only: Graph's cTag counter.
    pub content_revision: u64,
    pub kind: ItemKindView,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ancestor {
    pub id: ItemId,
    pub name: String,
}

#[derive(Debug, Clone)]
pub enum ItemKindView {
    Folder {
        child_count: usize,
        /// Total bytes of the current versions of every file below.
        size: u64,
    },
    File(FileView),
}

#[derive(Debug, Clone)]
pub struct FileView {
    pub current: Version,
    pub version_count: usize,
    pub mime_type: String,
    pub content_created_at: DateTime<Utc>,
    pub content_modified_at: DateTime<Utc>,
}

impl ItemView {
    pub fn is_root(&self) -> bool {
        self.parent.is_none()
    }

    pub fn file(&self) -> Option<&FileView> {
        match &self.kind {
            ItemKindView::File(file) => Some(file),
            ItemKindView::Folder { .. } => None,
        }
    }

    pub fn tags(&self) -> Tags {
        Tags {
            item: self.id,
            revision: self.revision,
            content_revision: self.content_revision,
        }
    }
}

/// What an `If-Match` header is compared with. Each face formats these its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tags {
    pub item: ItemId,
    pub revision: u64,
    pub content_revision: u64,
}

/// A face's `If-Match` check, run inside the store's lock against the item's tags at that moment.
/// `None` means the request had no precondition.
pub type IfMatch<'a> = Option<&'a (dyn Fn(Tags) -> bool + Sync)>;

/// A page of a listing, with the total the page was cut from.
#[derive(Debug, Clone)]
pub struct Listing<T> {
    pub total: usize,
    pub entries: Vec<T>,
}

/// Which slice of a listing to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub offset: usize,
    pub limit: usize,
}

/// Which versions a listing shows, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionQuery {
    /// Graph lists the current version first; Box lists previous versions only.
    pub include_current: bool,
    pub window: Window,
}

/// What an upload does when the name is already taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnConflict {
    /// Add a new version to the existing file.
    #[default]
    Replace,
    Fail,
    /// Pick a free name: `name 1.ext`, `name 2.ext`, …
    Rename,
}

/// Where an upload goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteTarget {
    /// A new version of this existing file.
    Item(ItemId),
    /// A path below a folder. The last segment is the file name.
    Path {
        base: ItemId,
        segments: Vec<String>,
        on_conflict: OnConflict,
        /// Create missing folders on the way (Graph's PUT by path does).
        create_parents: bool,
    },
}

/// One upload of bytes, hashed before the store is called.
#[derive(Debug, Clone)]
pub struct WriteFile {
    pub target: WriteTarget,
    pub content: Content,
    pub mime_type: Option<String>,
    /// Renames the file along with the new version (Box's `attributes.name`).
    pub rename: Option<String>,
    pub content_created_at: Option<DateTime<Utc>>,
    pub content_modified_at: Option<DateTime<Utc>>,
}

/// The result of an upload.
#[derive(Debug, Clone)]
pub struct Written {
    pub item: ItemView,
    /// True when a new file was made, false when a version was added to an existing one.
    pub created: bool,
}

/// A folder to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFolder {
    pub parent: ItemId,
    pub name: String,
    pub on_conflict: OnConflict,
}

/// What a restore (Graph) or promote (Box) may copy to the top of the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromoteRules {
    /// Graph copies the current version too (its docs describe no exception); Box refuses.
    pub allow_current: bool,
    /// Box gives the file back the name the promoted version had; Graph keeps the item's name.
    pub restore_name: bool,
}

/// A version with whether it is the file's current one.
#[derive(Debug, Clone)]
pub struct VersionView {
    pub version: Version,
    pub is_current: bool,
}

/// Why a store operation did nothing. Each face maps every variant to its own error once.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("the token is not known")]
    UnknownToken,
    #[error("item not found")]
    ItemNotFound,
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
    #[error("the operation is not allowed on the current version")]
    CurrentVersion,
    #[error("the version is in the trash")]
    VersionTrashed,
    #[error("the root folder cannot be changed this way")]
    RootFolder,
}

/// The store both faces share. Methods are synchronous and atomic: each takes the whole
/// read-check-write under one lock, and there is nothing to await inside.
pub trait VersionStore: Send + Sync + 'static {
    /// Who a bearer token signs in as. Unknown tokens sign in as a new user unless the store has a
    /// fixed token list, in which case they get `UnknownToken`.
    fn sign_in(&self, token: &str) -> Result<Grant, StoreError>;

    /// The space's root folder, made on first use.
    fn root(&self, space: &Space) -> Result<ItemView, StoreError>;

    /// The id of the space's root folder, made on first use. Cheaper than `root`, which also
    /// sizes the whole tree: faces call it to resolve `root`-relative addresses.
    fn root_id(&self, space: &Space) -> Result<ItemId, StoreError>;

    fn item(&self, space: &Space, id: ItemId) -> Result<ItemView, StoreError>;

    /// The item at `segments` below `base`, matching names case-insensitively.
    fn resolve(
        &self,
        space: &Space,
        base: ItemId,
        segments: &[String],
    ) -> Result<ItemView, StoreError>;

    /// A folder's children, sorted by name.
    fn children(
        &self,
        space: &Space,
        folder: ItemId,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError>;

    fn create_folder(&self, space: &Space, folder: NewFolder) -> Result<ItemView, StoreError>;

    /// Creates a file or adds a version to one: exactly one new version either way.
    fn write_file(
        &self,
        space: &Space,
        write: WriteFile,
        if_match: IfMatch<'_>,
    ) -> Result<Written, StoreError>;

    /// Removes a file or folder and everything below it.
    fn delete_item(
        &self,
        space: &Space,
        id: ItemId,
        if_match: IfMatch<'_>,
    ) -> Result<(), StoreError>;

    /// A page of a file's history, newest first.
    fn versions(
        &self,
        space: &Space,
        file: ItemId,
        query: VersionQuery,
    ) -> Result<Listing<Version>, StoreError>;

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
        if_match: IfMatch<'_>,
    ) -> Result<Version, StoreError>;

    /// Moves a previous version to the trash. Trashing a trashed version changes nothing.
    fn trash_version(
        &self,
        space: &Space,
        file: ItemId,
        at: VersionRef,
        if_match: IfMatch<'_>,
    ) -> Result<Version, StoreError>;

    /// Takes a version out of the trash. A version that is not trashed comes back unchanged.
    fn restore_trashed_version(
        &self,
        space: &Space,
        file: ItemId,
        at: VersionRef,
    ) -> Result<Version, StoreError>;

    /// A version by id alone, for pre-authenticated download links, which carry no token.
    fn version_by_id(&self, id: VersionId) -> Result<Version, StoreError>;

    /// Empties the store, or with `Some(user)` removes only that user's files (on both faces).
    /// A full reset starts users, files and id counters again as in a new store.
    fn reset(&self, user: Option<&str>);

    /// Adds a fixture's users, folders and files, keeping the ids it gives. All or nothing.
    fn load_fixture(&self, fixture: &Fixture) -> Result<(), FixtureError>;

    /// The whole state, or one user's part of it, in the fixture format.
    fn export(&self, user: Option<&str>) -> Fixture;

    // The admin browser's reads (`inspect`): any owner's state, each costing the page it returns.

    /// A page of the users, by id, each with the spaces they have.
    fn users(&self, window: Window) -> Listing<UserSpaces>;

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
}
