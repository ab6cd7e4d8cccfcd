//! A store's contents as plain records, in domain types: what a fixture loads into a store and
//! what an export lists. Turning a fixture document into records (and checking it) happens once,
//! in `crate::fixture`; a store only places records in its tree and lists them back.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::domain::{Face, ItemId, VersionId};
use super::locks::ItemNotes;
use super::metadata::{FieldType, Scope};
use super::shared_link::LinkAccess;
use super::StoreError;
use crate::identity::ClientRecord;
use crate::store::accounts::{AccountError, AccountRecord};
use crate::store::content::Content;

/// Users, groups, sites and spaces. Records name users by id (an owner, an author, a member):
/// each is among `accounts` or already known to the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Records {
    pub accounts: Vec<AccountRecord>,
    /// Clients of the token endpoints ([`crate::identity`]).
    pub clients: Vec<ClientRecord>,
    pub groups: Vec<GroupRecord>,
    pub sites: Vec<SiteRecord>,
    pub spaces: Vec<SpaceRecord>,
    /// Box metadata templates of the enterprise, loaded before the spaces whose instances use
    /// them.
    pub templates: Vec<TemplateRecord>,
}

/// A group; one already known is replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRecord {
    pub id: String,
    pub name: String,
    pub mail: String,
    /// User ids; `None` lets every signed-in user in.
    pub members: Option<Vec<String>>,
}

/// A site, by name. It always has the default library (`Documents`); `libraries` adds others
/// or sets the default's quota.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteRecord {
    pub name: String,
    /// `None`: the group's name, or else the site's.
    pub display_name: Option<String>,
    pub group: Option<String>,
    /// Only for a site without a group; `None` lets every signed-in user in.
    pub members: Option<Vec<String>>,
    pub created_at: DateTime<Utc>,
    pub libraries: Vec<LibraryRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryRecord {
    pub name: String,
    pub quota: u64,
    /// Whether check-ins make minor versions (`crate::store::org::Library::minor_versions`).
    pub minor_versions: bool,
    pub created_at: DateTime<Utc>,
}

/// Whose files a space record holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum OwnerRecord {
    /// A user's own, by user id.
    User(String),
    /// A site's document library (Graph only), by the site's name and the library's.
    Library { site: String, library: String },
}

/// One owner's files on one face.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpaceRecord {
    pub face: Face,
    pub owner: OwnerRecord,
    /// The root folder's id and date; `None` when loading lets the store pick (or keep) them.
    pub root: Option<RootRecord>,
    /// Every folder and file, each after the folder that holds it.
    pub items: Vec<ItemRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootRecord {
    pub id: ItemId,
    pub created_at: DateTime<Utc>,
    /// Who made the root: given for a library, whose root no owning user made. `None` for a
    /// user's space, made by its owner.
    pub created_by: Option<String>,
}

/// A folder or file below a root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRecord {
    /// Valid names from the root down; the last one is the item's. A store makes the folders
    /// on the way that do not exist yet.
    pub path: Vec<String>,
    /// `None` when loading lets the store pick one; a listing always gives it.
    pub id: Option<ItemId>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub modified_at: DateTime<Utc>,
    pub modified_by: String,
    pub revision: u64,
    pub content_revision: u64,
    /// Set when the item itself is in the trash (Box). Its path then names where it was, and the
    /// name may be taken there by a live item.
    pub trashed: Option<TrashedRecord>,
    /// `None` for a folder.
    pub file: Option<FileRecord>,
    /// Box's description and tags.
    pub notes: ItemNotes,
    /// Box's lock on a file.
    pub lock: Option<LockRecord>,
    /// Box's comments on a file, oldest first.
    pub comments: Vec<CommentRecord>,
    /// Box's shared link on the item.
    pub shared_link: Option<SharedLinkRecord>,
    /// Box metadata instances on the item, oldest first.
    pub metadata: Vec<InstanceRecord>,
    /// Box's collaborations set on the item itself, oldest first.
    pub collaborations: Vec<CollaborationRecord>,
    /// Box's tasks on a file, oldest first, each with its assignments.
    pub tasks: Vec<TaskRecord>,
}

/// A Box shared link (`super::shared_link::SharedLink`), naming its creator by user id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedLinkRecord {
    /// `None` when loading lets the store pick one.
    pub id: Option<String>,
    pub access: LinkAccess,
    pub password: Option<String>,
    pub unshared_at: Option<DateTime<Utc>>,
    pub can_download: bool,
    pub can_edit: bool,
    pub by: String,
}

/// A Box metadata template (`super::metadata::Template`); an id left `None` when loading lets
/// the store pick one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRecord {
    pub id: Option<String>,
    pub key: String,
    pub display_name: String,
    pub hidden: bool,
    pub copy_instance_on_item_copy: bool,
    pub fields: Vec<FieldRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRecord {
    pub id: Option<String>,
    pub kind: FieldType,
    pub key: String,
    pub display_name: String,
    pub description: Option<String>,
    pub hidden: bool,
    /// Each option's id (`None`: the store picks) and key.
    pub options: Vec<(Option<String>, String)>,
}

/// One template's values on one item (`super::metadata::Instance`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceRecord {
    /// `None` when loading lets the store pick one.
    pub id: Option<String>,
    pub scope: Scope,
    /// The template's key.
    pub template: String,
    pub version: u64,
    pub values: Map<String, Value>,
}

/// A Box collaboration, naming its collaborator and creator by user id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollaborationRecord {
    /// `None` when loading lets the store pick one.
    pub id: Option<u64>,
    /// The collaborator's user id; `None` for an invite pending on `invite_email`.
    pub user: Option<String>,
    pub invite_email: Option<String>,
    pub role: crate::store::sharing::BoxRole,
    pub status: crate::store::sharing::CollabStatus,
    pub by: String,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    pub acknowledged: Option<DateTime<Utc>>,
    pub expires: Option<DateTime<Utc>>,
    pub is_access_only: bool,
    pub can_view_path: bool,
}

/// A Box task, naming users by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRecord {
    /// `None` when loading lets the store pick one.
    pub id: Option<u64>,
    pub action: crate::store::tasks::TaskAction,
    pub message: String,
    pub due_at: Option<DateTime<Utc>>,
    pub completion_rule: crate::store::tasks::CompletionRule,
    pub by: String,
    pub created: DateTime<Utc>,
    pub assignments: Vec<AssignmentRecord>,
}

/// A Box task assignment, naming users by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRecord {
    /// `None` when loading lets the store pick one.
    pub id: Option<u64>,
    pub to: String,
    pub by: String,
    pub message: String,
    pub resolution: crate::store::tasks::Resolution,
    pub assigned: DateTime<Utc>,
    pub completed: Option<DateTime<Utc>>,
}

/// A Box comment, naming its author by user id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentRecord {
    /// `None` when loading lets the store pick one.
    pub id: Option<u64>,
    pub reply: bool,
    pub message: String,
    pub tagged_message: Option<String>,
    pub by: String,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

/// A Box lock, naming its creator by user id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockRecord {
    /// `None` when loading lets the store pick one.
    pub id: Option<u64>,
    pub by: String,
    pub at: DateTime<Utc>,
    pub expires: Option<DateTime<Utc>>,
    pub download_prevented: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrashedRecord {
    pub at: DateTime<Utc>,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    pub mime_type: String,
    pub content_created_at: DateTime<Utc>,
    pub content_modified_at: DateTime<Utc>,
    /// Oldest first, at least one, numbers rising, the last (current) one not trashed.
    pub versions: Vec<VersionRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRecord {
    pub id: Option<VersionId>,
    pub number: u32,
    /// 0 for a major version (`Version::minor`).
    pub minor: u32,
    pub content: Arc<Content>,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub trashed_at: Option<DateTime<Utc>>,
    pub trashed_by: Option<String>,
    pub restored_at: Option<DateTime<Utc>>,
    pub restored_by: Option<String>,
    pub restored_from: Option<VersionId>,
}

/// Which record a load refused, by its indexes in `Records`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordAt {
    Account(usize),
    Client(usize),
    Group(usize),
    Site(usize),
    Library {
        site: usize,
        library: usize,
    },
    Owner {
        space: usize,
    },
    Root {
        space: usize,
    },
    Item {
        space: usize,
        item: usize,
    },
    Version {
        space: usize,
        item: usize,
        version: usize,
    },
    /// A Box metadata template, by its index in `Records::templates`.
    Template(usize),
}

/// Why a load was refused; nothing of it was applied.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LoadError {
    /// A record does not fit the store's contents.
    #[error("{message}")]
    Record { at: RecordAt, message: String },
    /// The store could not keep the change.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl LoadError {
    pub fn record(at: RecordAt, message: impl Into<String>) -> Self {
        Self::Record {
            at,
            message: message.into(),
        }
    }
}

impl From<AccountError> for LoadError {
    fn from(e: AccountError) -> Self {
        Self::record(RecordAt::Account(e.index), e.message)
    }
}
