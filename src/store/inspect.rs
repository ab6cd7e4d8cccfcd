//! What the admin browser (`/__admin/ui` and its read routes) sees of the store: every user's
//! spaces, folders and version histories, across owners and faces, one page at a time.
//!
//! These reads skip the per-space ownership check on purpose (the admin sees everything), and
//! each costs work proportional to the page it returns, never to the whole store: the page polls
//! them while tests run against a store of 10⁴ files or 10⁵ versions on one file.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::locks::{ItemNotes, Lock};
use super::metadata::Instance;
use super::shared_link::SharedLink;
use super::sharing::DeletedVersion;
use super::{Ancestor, Face, ItemId, SharedDrive, SpaceOwner, Trashed, User, Version, VersionId};

/// A user and the root folder of each face's space they have (a space exists once it is used).
#[derive(Debug, Clone)]
pub struct UserSpaces {
    pub user: Arc<User>,
    /// Sorted by face.
    pub spaces: Vec<(Face, ItemId)>,
}

/// A shared drive (a site's document library) and the root folder of its files, which exists
/// once the library is first used, as a user's space does.
#[derive(Debug, Clone)]
pub struct DriveSpace {
    pub drive: SharedDrive,
    /// Who may reach it (its group's members, or its site's); `None` is every signed-in user.
    pub members: Option<Vec<String>>,
    pub root: Option<ItemId>,
}

/// A folder or file as the admin browser lists it: cheap to make (no subtree sizes).
#[derive(Debug, Clone)]
pub struct NodeSummary {
    pub id: ItemId,
    pub face: Face,
    pub owner: SpaceOwner,
    pub name: String,
    pub parent: Option<ItemId>,
    pub modified_at: DateTime<Utc>,
    /// Set when the item itself was put in the trash (Box's item trash).
    pub trashed: Option<Trashed>,
    pub kind: NodeSummaryKind,
}

#[derive(Debug, Clone)]
pub enum NodeSummaryKind {
    Folder {
        child_count: usize,
    },
    File {
        version_count: usize,
        /// The current version.
        current: Version,
        mime_type: String,
    },
}

/// One item with the folders above it, for the browser's breadcrumbs and journal links.
#[derive(Debug, Clone)]
pub struct NodeDetail {
    pub node: NodeSummary,
    /// From the root down to the parent.
    pub ancestors: Vec<Ancestor>,
    /// What Box keeps beside the item; empty for a Graph item.
    pub box_side: BoxSide,
}

/// A Box item's shared link, lock, description and tags, metadata and comments, as the admin
/// page shows them beside its versions. (An item's collaborators belong here too.)
#[derive(Debug, Clone, Default)]
pub struct BoxSide {
    pub notes: ItemNotes,
    /// A lock past its expiry is gone (the store drops it when read).
    pub lock: Option<Lock>,
    /// The link as kept, live or not: the page marks one that opens nothing.
    pub shared_link: Option<SharedLink>,
    /// Whether `shared_link` opens the item now (not past `unshared_at`, item not trashed).
    pub shared_link_live: bool,
    /// Each instance with its template's display name, oldest first.
    pub metadata: Vec<(Instance, String)>,
    pub comment_count: usize,
    /// The Box collaborations set on the item itself, oldest first.
    pub collaborators: Vec<CollaboratorSummary>,
}

/// One Box collaboration on an item, as the browser lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollaboratorSummary {
    pub id: String,
    /// `None` for an invite pending on a login nobody has signed in as (`invite_email`).
    pub user: Option<User>,
    pub invite_email: Option<String>,
    pub role: crate::store::sharing::BoxRole,
    pub status: crate::store::sharing::CollabStatus,
}

/// Which end of a history a timeline page starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimelineOrder {
    #[default]
    NewestFirst,
    OldestFirst,
}

/// One version on a file's timeline, with where it and the version it copied sit in the history.
#[derive(Debug, Clone)]
pub struct TimelineEntry {
    pub version: Version,
    /// 0 for the oldest version; lets the browser page to any version it links to.
    pub position: usize,
    pub is_current: bool,
    /// For a version made by a restore or promote: the version whose bytes it copied.
    pub source: Option<TimelineSource>,
    /// For a version a Graph check-in published: the check-in's comment (empty without one).
    pub checked_in: Option<String>,
    /// For the first version of a copy: the file it was copied from.
    pub copied_from: Option<TimelineCopy>,
    /// The versions deleted from between this one and the one before it, oldest first.
    pub deleted_before: Vec<DeletedVersion>,
}

/// The file a copy was made from: its name then, and its id while it still exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineCopy {
    pub name: String,
    pub item: Option<ItemId>,
}

/// Where the version a restore copied sits: enough to draw the link and page to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimelineSource {
    pub id: VersionId,
    pub number: u32,
    pub minor: u32,
    pub position: usize,
}
