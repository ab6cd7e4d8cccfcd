//! The store's domain types: ids, versions, the views of items both faces render, and the
//! arguments of the store's operations.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::store::accounts::User;
use crate::store::content::Content;

/// Which API a piece of state belongs to. The two faces never see each other's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Face {
    Graph,
    Box,
}

/// The part of the store one request sees: one owner's files on one face, and who acts on them.
#[derive(Debug, Clone)]
pub struct Space {
    pub face: Face,
    /// Whose files these are: a user's own (every Box space, a Graph user's drive) or a shared
    /// drive's (a group's or site's document library).
    pub owner: SpaceOwner,
    /// The signed-in user making the request: recorded as the author of every change.
    pub actor: Arc<User>,
}

impl Space {
    /// A user's own files, changed by that user.
    pub fn own(face: Face, user: Arc<User>) -> Self {
        Self {
            face,
            owner: SpaceOwner::User(user.clone()),
            actor: user,
        }
    }

    /// A shared drive's files (Graph only), changed by `actor`, a user who may reach it.
    pub fn shared(drive: Arc<str>, actor: Arc<User>) -> Self {
        Self {
            face: Face::Graph,
            owner: SpaceOwner::Drive(drive),
            actor,
        }
    }
}

/// Whose files a space holds. Compared, hashed and ordered by id alone: users before drives,
/// then by user id or drive id.
#[derive(Debug, Clone)]
pub enum SpaceOwner {
    User(Arc<User>),
    /// A shared drive, by drive id.
    Drive(Arc<str>),
}

impl SpaceOwner {
    /// The user whose own files these are; `None` for a shared drive.
    pub fn user(&self) -> Option<&Arc<User>> {
        match self {
            Self::User(user) => Some(user),
            Self::Drive(_) => None,
        }
    }

    /// The user id or the drive id.
    pub fn id(&self) -> &str {
        match self {
            Self::User(user) => &user.id,
            Self::Drive(drive) => drive,
        }
    }

    fn key(&self) -> (bool, &str) {
        (matches!(self, Self::Drive(_)), self.id())
    }
}

impl PartialEq for SpaceOwner {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for SpaceOwner {}

impl std::hash::Hash for SpaceOwner {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialOrd for SpaceOwner {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SpaceOwner {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
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
    /// 0 for a major version; 1, 2, … for the minor ones a library with minor versions makes
    /// after major `number` (Graph's `N.1`, `N.2` labels). `(number, minor)` rises along the
    /// history.
    pub minor: u32,
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
    /// A major version by its number (Graph's `N.0`, Box's `version_number`).
    Number(u32),
    /// A minor version by its label, `major.minor` (Graph's `1.1`).
    Minor(u32, u32),
    Current,
}

/// A folder or file as both faces render it, read under the store's lock.
#[derive(Debug, Clone)]
pub struct ItemView {
    pub id: ItemId,
    pub name: String,
    pub parent: Option<ItemId>,
    /// From the root down to the parent, excluding the item itself. Empty for the root.
    pub ancestors: Arc<[Ancestor]>,
    pub owner: SpaceOwner,
    pub created_at: DateTime<Utc>,
    pub created_by: Arc<User>,
    pub modified_at: DateTime<Utc>,
    pub modified_by: Arc<User>,
    /// Bumped on every change to the item: Box's etag and sequence_id, Graph's eTag counter.
    pub revision: u64,
    /// Bumped on every change to the content only: Graph's cTag counter.
    pub content_revision: u64,
    /// Set when the item itself was put in the trash (Box), not when a folder above it was.
    pub trashed: Option<Trashed>,
    pub kind: ItemKindView,
    /// Its Box shared link while the link lives (`super::shared_link`); always `None` on Graph
    /// items, which have permissions instead.
    pub shared_link: Option<Box<super::shared_link::SharedLink>>,
    /// Box's description and tags (empty unless set).
    pub notes: crate::store::locks::ItemNotes,
    /// Box's lock on a file, while it holds.
    pub lock: Option<crate::store::locks::Lock>,
    /// How many Box comments a file has, replies included (0 on folders and Graph items).
    pub comment_count: usize,
    /// Whether a Box collaboration (pending or accepted) is set on the item itself.
    pub has_collaborations: bool,
}

/// When an item went to the trash, and who put it there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trashed {
    pub at: DateTime<Utc>,
    pub by: Arc<User>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ancestor {
    pub id: ItemId,
    pub name: String,
    /// The folder's own change counter (a move or rename bumps it): Box's etag on path entries.
    pub revision: u64,
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
    pub current: Arc<Version>,
    pub version_count: usize,
    pub mime_type: String,
    pub content_created_at: DateTime<Utc>,
    pub content_modified_at: DateTime<Utc>,
    /// Who has the file checked out, if anyone (Graph's `publication` facet).
    pub checked_out_by: Option<Arc<User>>,
}

impl ItemView {
    pub fn is_root(&self) -> bool {
        self.parent.is_none()
    }

    /// The names on the way from the root down to the item, its own included: its path, as
    /// segments (none for the root, whose name is no part of a path).
    pub fn path_names(&self) -> impl Iterator<Item = &str> {
        (self.ancestors.iter().skip(1).map(|a| a.name.as_str()))
            .chain((!self.is_root()).then_some(self.name.as_str()))
    }

    pub fn is_folder(&self) -> bool {
        matches!(self.kind, ItemKindView::Folder { .. })
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

/// A page of a listing, with the total the page was cut from.
#[derive(Debug, Clone)]
pub struct Listing<T> {
    pub total: usize,
    pub entries: Vec<T>,
}

/// A page of a walk of a folder and everything below it, each folder before what it holds and
/// each folder's items by name (a first delta round).
#[derive(Debug, Clone)]
pub struct SubtreePage {
    pub entries: Vec<ItemView>,
    /// Where the next page starts, when the walk goes on: after the page's last item, named by
    /// its position (the name keys on the way down from the top). A position rather than a count
    /// of items walked, so that an item removed or added before it while the pages are read
    /// shifts nothing: no item the round has not shown is skipped.
    pub next: Option<Vec<String>>,
}

/// Which slice of a listing to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub offset: usize,
    pub limit: usize,
}

impl Window {
    /// This window's part of `items`: `offset` skipped, at most `limit` kept. Every paged listing
    /// pages through here.
    pub fn page<I: Iterator>(self, items: I) -> std::iter::Take<std::iter::Skip<I>> {
        items.skip(self.offset).take(self.limit)
    }
}

/// How a folder's children are ordered: folders before files always (Box groups by type first,
/// <https://developer.box.com/guides/api-calls/sorting/>), then by `key` in `direction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChildOrder {
    pub key: ChildKey,
    pub descending: bool,
}

/// The second sort key of a folder listing; equal keys fall back to the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChildKey {
    /// Case-insensitively, as the folder indexes its names.
    #[default]
    Name,
    Id,
    /// The last modification.
    Date,
    /// A file's current content; a folder's whole tree.
    Size,
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

/// Which kind of item an operation expects: Box addresses files and folders by separate routes,
/// and an id of the other kind names nothing there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    File,
    Folder,
}

/// A rename or move of an item (Box `PUT /files/{id}`, Graph `PATCH {item}`): whatever is
/// `None` stays as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveItem {
    /// `None` takes either kind (Graph addresses both alike).
    pub kind: Option<ItemKind>,
    pub parent: Option<ItemId>,
    pub name: Option<String>,
    /// `Replace` is refused like `Fail`: a move never deletes the item it would land on.
    pub on_conflict: OnConflict,
    /// A file's own times (Graph `fileSystemInfo`), set with the rename or move or alone, in a
    /// new version of the same bytes; a folder's are its item dates and stay as they are.
    pub times: FileTimes,
}

/// The times a client keeps on a file, apart from when the emulator saw it change (Graph
/// `fileSystemInfo`, Box `content_created_at` / `content_modified_at`): whatever is `None` stays
/// as it is, or, for a new file, is the moment of the write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileTimes {
    pub created: Option<DateTime<Utc>>,
    pub modified: Option<DateTime<Utc>>,
}

impl FileTimes {
    pub fn is_empty(&self) -> bool {
        self.created.is_none() && self.modified.is_none()
    }
}

/// Where an item comes back to from the trash (Box `POST /files/{id}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreItem {
    /// Used only when the original folder is gone, as Box's specification says.
    pub parent: Option<ItemId>,
    pub name: Option<String>,
}

/// What a search asks for (Box `GET /search`); every part narrows the result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Lower-case words, any of which starts a word of the name or equals a word of another
    /// part `parts` names.
    pub words: Vec<String>,
    /// Where `words` are looked for (Box `content_types`); all parts by default.
    pub parts: SearchParts,
    pub kind: Option<ItemKind>,
    /// Files with one of these extensions (no dot, any case).
    pub extensions: Vec<String>,
    /// Items below one of these folders.
    pub ancestors: Vec<ItemId>,
    /// Items with a metadata instance that passes this filter (Box `mdfilters`); with it,
    /// no `words` means any name.
    pub metadata: Option<crate::store::metadata::MetadataFilter>,
}

/// The parts of an item a search reads (Box `content_types`,
/// <https://developer.box.com/guides/search/>).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchParts {
    pub name: bool,
    pub description: bool,
    /// The first bytes of a text file's current version.
    pub file_content: bool,
    /// The messages of a file's comments.
    pub comments: bool,
    pub tags: bool,
}

impl SearchParts {
    pub const ALL: Self = Self {
        name: true,
        description: true,
        file_content: true,
        comments: true,
        tags: true,
    };
    pub const NONE: Self = Self {
        name: false,
        description: false,
        file_content: false,
        comments: false,
        tags: false,
    };
}

/// Box searches every part unless `content_types` names some.
impl Default for SearchParts {
    fn default() -> Self {
        Self::ALL
    }
}

/// A folder to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFolder {
    pub parent: ItemId,
    pub name: String,
    pub on_conflict: OnConflict,
}

/// A copy of an item (Graph `POST {item}/copy`): new items with new ids in `to`, each file
/// with the source's current bytes as its one version, a folder with everything below it.
#[derive(Debug, Clone)]
pub struct CopyItem {
    /// Where the copy goes: the source's own space or another one the caller may write.
    pub to: Space,
    /// The folder in `to`; `None` is the source's own folder.
    pub parent: Option<ItemId>,
    /// `None` keeps the source's name.
    pub name: Option<String>,
    /// `Replace` deletes a file the copy lands on (its history too); a folder in the way, or a
    /// folder copy, falls back to `Fail`.
    pub on_conflict: OnConflict,
    /// A copied file's times; unset ones are the moment of the copy.
    pub times: FileTimes,
    /// Copy every version of a file, not only the current one.
    pub all_versions: bool,
    /// Every copied file keeps the source's content times (Box), rather than `times`.
    pub keep_times: bool,
    /// The kind the caller named (Box): the other kind is an unknown item. `None`: either.
    pub kind: Option<ItemKind>,
    /// For a file, the version whose bytes the copy holds (Box `version`); `None` is the
    /// current one.
    pub version: Option<VersionRef>,
}

impl CopyItem {
    /// A copy into `parent` of `to`, under the source's name, failing on a name in use, with
    /// the current version only and times of its own.
    pub fn into(to: Space, parent: ItemId) -> Self {
        Self {
            to,
            parent: Some(parent),
            name: None,
            on_conflict: OnConflict::Fail,
            times: FileTimes::default(),
            all_versions: false,
            keep_times: false,
            kind: None,
            version: None,
        }
    }
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
    pub version: Arc<Version>,
    pub is_current: bool,
}
