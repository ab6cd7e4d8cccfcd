//! Sharing and check-out state: the permissions (sharing links and invitations) that open an
//! item to others, the files checked out for editing (Graph) or locked (Box), and Box's
//! descriptions and tags (`super::locks`), comments (`super::comments`) and tasks
//! (`super::tasks`). Kept beside the tree, under its lock, and written whole by a durable store
//! (it is small next to the items).
//!
//! A permission on a folder reaches everything below it: those are the item's *inherited*
//! permissions, listed with the folder they come from and refused to `PATCH` and `DELETE`
//! (<https://learn.microsoft.com/en-us/onedrive/developer/rest-api/api/permission_delete>: only
//! permissions that are not inherited can be deleted). An expired permission stays listed but no
//! longer opens anything.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::by_item::ByItem;
use super::comments::Comment;
use super::domain::ItemId;
use super::locks::{ItemNotes, Lock};
use super::metadata::MetadataState;
use super::shared_link::{SharedLink, SharedLinkError};
use super::tasks::{TaskError, TaskState};
use crate::store::accounts::User;

/// What a permission lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Read,
    Write,
}

/// A sharing link's type: `view` and `embed` read, `edit` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    View,
    Edit,
    Embed,
}

impl LinkKind {
    pub fn role(self) -> Role {
        match self {
            Self::View | Self::Embed => Role::Read,
            Self::Edit => Role::Write,
        }
    }
}

/// Who a sharing link works for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkScope {
    Anonymous,
    Organization,
    Users,
}

/// What a permission is: a link anyone holding its URL may open, or an invitation of one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Grantee {
    Link {
        kind: LinkKind,
        scope: LinkScope,
    },
    Invitation {
        /// The invited user, as the directory had them then.
        user: User,
        email: String,
        sign_in_required: bool,
    },
}

/// One permission, set on one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    pub id: String,
    pub item: ItemId,
    pub role: Role,
    pub grantee: Grantee,
    pub expires: Option<DateTime<Utc>>,
    /// The user id of who made it.
    pub created_by: String,
    /// Set on a Box collaboration (an invitation made on the Box face): its Box role and
    /// invitation state. `None` on Graph's permissions and in data dirs made before them.
    #[serde(default)]
    pub collab: Option<Collaboration>,
}

impl Permission {
    /// Whether it still opens the item at `now`: not expired, and for a Box collaboration, accepted.
    pub fn live(&self, now: DateTime<Utc>) -> bool {
        self.expires.is_none_or(|at| now < at)
            && (self.collab.as_ref()).is_none_or(|c| c.status == CollabStatus::Accepted)
    }
}

/// A Box collaboration's role (<https://developer.box.com/reference/post-collaborations/>).
/// Its rights are in one place, [`BoxRole::allows`] (with [`BoxRole::role`], what it lets its
/// holder write) and [`BoxRole::invites`]; Box's own article on the roles
/// (<https://support.box.com/hc/en-us/articles/360044196413-Understanding-Collaborator-Permission-Levels>)
/// lists finer rights (an uploader sees no content) than the emulator tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum BoxRole {
    Previewer,
    Viewer,
    Uploader,
    PreviewerUploader,
    ViewerUploader,
    Editor,
    CoOwner,
}

impl BoxRole {
    /// Every role with the string Box writes for it (some hold a space).
    pub const NAMES: [(BoxRole, &'static str); 7] = [
        (Self::Editor, "editor"),
        (Self::Viewer, "viewer"),
        (Self::Previewer, "previewer"),
        (Self::Uploader, "uploader"),
        (Self::PreviewerUploader, "previewer uploader"),
        (Self::ViewerUploader, "viewer uploader"),
        (Self::CoOwner, "co-owner"),
    ];

    pub fn name(self) -> &'static str {
        (Self::NAMES.iter())
            .find(|(role, _)| *role == self)
            .map_or("viewer", |(_, name)| name)
    }

    pub fn parse(name: &str) -> Option<Self> {
        (Self::NAMES.iter())
            .find(|(_, n)| *n == name)
            .map(|(role, _)| *role)
    }

    /// What the role lets its holder do to the item and what is below it: the viewing roles
    /// read; the roles that upload or edit also write (an uploader's writes are not narrowed to
    /// uploads).
    pub fn role(self) -> Role {
        match self {
            Self::Previewer | Self::Viewer => Role::Read,
            Self::Uploader
            | Self::PreviewerUploader
            | Self::ViewerUploader
            | Self::Editor
            | Self::CoOwner => Role::Write,
        }
    }

    /// The rights table: whether the role lets its holder do `access` to the item and what is
    /// below it. Every role previews (an uploader too, which Box shows no content: not told
    /// apart); the viewing roles without "previewer" download, which is what a download and a
    /// copy out of the item need (Box's article: a viewer may "download", a previewer may only
    /// "preview", an uploader may only "upload"); the roles that upload or edit write.
    pub fn allows(self, access: BoxAccess) -> bool {
        match access {
            BoxAccess::Preview => true,
            BoxAccess::Download => matches!(
                self,
                Self::Viewer | Self::ViewerUploader | Self::Editor | Self::CoOwner
            ),
            BoxAccess::Write => self.role() == Role::Write,
        }
    }

    /// The role two collaborations on one item (say one on a folder, one on a file in it) give
    /// together: the one whose rights hold the other's, and for a viewer with an uploader or
    /// previewer uploader, viewer uploader (the roles are not in a line: a viewer downloads and
    /// an uploader does not, while an uploader writes and a viewer does not).
    pub fn join(self, other: Self) -> Self {
        match (self.min(other), self.max(other)) {
            (Self::Viewer, Self::Uploader | Self::PreviewerUploader) => Self::ViewerUploader,
            (_, higher) => higher,
        }
    }

    /// Whether the holder may invite others, change their roles and remove them (the owner
    /// always may).
    pub fn invites(self) -> bool {
        matches!(self, Self::Editor | Self::CoOwner)
    }
}

/// What a request does to an item a Box collaboration opens, as the roles tell it apart
/// ([`BoxRole::allows`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoxAccess {
    /// Sees it: its fields, listing, versions, thumbnails, comments and tasks.
    Preview,
    /// Takes its bytes: a download, or a copy into a folder of the caller's.
    Download,
    /// Changes it or what is below it.
    Write,
}

/// Where a Box collaboration's invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CollabStatus {
    Pending,
    Accepted,
    Rejected,
}

impl CollabStatus {
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
        }
    }
}

/// The Box side of a collaboration: kept on its `Permission`, whose `Grantee::Invitation` names
/// the collaborator (for an invite to a login nobody has signed in as, a user with an empty id
/// and that login, until they accept) and whose `role` is `box_role.role()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collaboration {
    pub box_role: BoxRole,
    pub status: CollabStatus,
    pub created_at: DateTime<Utc>,
    pub modified_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub is_access_only: bool,
    pub can_view_path: bool,
}

/// What a Box request names that a collaboration may open: an item, or a comment, task or task
/// assignment, which opens as the file it is on does (`VersionStore::box_reach`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoxTarget {
    Item(ItemId),
    Comment(u64),
    Task(u64),
    TaskAssignment(u64),
}

/// Who `POST /collaborations` names: a known user, or a login nobody has signed in as yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Collaborator {
    User(Arc<User>),
    Login(String),
}

/// What `POST /collaborations` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCollaboration {
    pub item: ItemId,
    /// What the request says the item is: the other kind is not found.
    pub kind: super::domain::ItemKind,
    pub collaborator: Collaborator,
    pub role: BoxRole,
    pub is_access_only: bool,
    pub can_view_path: bool,
    pub expires: Option<DateTime<Utc>>,
}

/// What `PUT /collaborations/{id}` asks for; `None` leaves a key as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CollaborationEdit {
    pub role: Option<BoxRole>,
    pub status: Option<CollabStatus>,
    pub expires: Option<DateTime<Utc>>,
    pub can_view_path: Option<bool>,
}

/// A collaboration as the face renders it: the permission, its item, and the owner.
#[derive(Debug, Clone)]
pub struct CollaborationView {
    pub permission: Permission,
    pub item: super::domain::ItemView,
}

impl CollaborationView {
    pub fn collab(&self) -> &Collaboration {
        self.permission
            .collab
            .as_ref()
            .expect("a collaboration view holds a collaboration")
    }

    /// The collaborator, once known (not for an invite still pending on an unknown login).
    pub fn user(&self) -> Option<&User> {
        match &self.permission.grantee {
            Grantee::Invitation { user, .. } if !user.id.is_empty() => Some(user),
            _ => None,
        }
    }

    /// The login an invite to an unknown user was sent to.
    pub fn invite_email(&self) -> Option<&str> {
        match &self.permission.grantee {
            Grantee::Invitation { user, email, .. } if user.id.is_empty() => Some(email),
            _ => None,
        }
    }
}

/// A permission as an item sees it: its own, or inherited from a folder above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionView {
    pub permission: Permission,
    /// The folder it is set on, when that is not the item itself.
    pub inherited_from: Option<ItemId>,
}

/// A file checked out for editing: while it is, only `by` may change it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkout {
    /// Who checked it out.
    pub by: User,
    pub at: DateTime<Utc>,
    /// How many versions the file had then: `discardCheckout` drops those made since.
    pub versions_then: usize,
}

/// What `createLink` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLink {
    pub kind: LinkKind,
    pub scope: LinkScope,
    pub expires: Option<DateTime<Utc>>,
}

/// What `invite` asks for: the users (already found by the face) and the role they get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    pub users: Vec<(Arc<User>, String)>,
    pub role: Role,
    pub sign_in_required: bool,
    pub expires: Option<DateTime<Utc>>,
}

/// `checkin`'s arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    pub comment: Option<String>,
    /// `checkInAs: "published"`: in a library with minor versions, the next major version.
    pub published: bool,
}

/// An item another user shared with the caller, for `sharedWithMe`.
#[derive(Debug, Clone)]
pub struct SharedItem {
    pub item: super::domain::ItemView,
    pub role: Role,
}

/// Why a sharing or check-out operation did nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SharingError {
    #[error("the permission does not exist")]
    PermissionNotFound,
    #[error("an inherited permission cannot be changed on this item")]
    Inherited,
    #[error("the file is checked out by another user")]
    Locked,
    #[error("the file is not checked out")]
    NotCheckedOut,
    #[error("only files can be checked out or locked")]
    NotAFile,
    /// A Box shared link was refused (`super::shared_link`).
    #[error("{0}")]
    SharedLink(#[from] SharedLinkError),
    /// A lock whose expiry is not in the future.
    #[error("the lock's expiry has passed")]
    LockExpiry,
    /// A Box comment id that names no comment on a file the caller reaches.
    #[error("the comment does not exist")]
    CommentNotFound,
    /// A Box collaboration id that names none the caller may see.
    #[error("the collaboration does not exist")]
    CollaborationNotFound,
    /// A collaboration on a user's root folder.
    #[error("collaborations are not available on the root folder")]
    CollaborationOnRoot,
    /// The user already collaborates on the item (or owns it).
    #[error("the user already collaborates on the item")]
    AlreadyCollaborator,
    /// A status change of a collaboration that is no longer pending.
    #[error("the collaboration is not pending")]
    InvalidStatus,
    /// A collaborator acting beyond their role (or someone else's invite answered).
    #[error("the collaborator's role does not allow this")]
    InsufficientRole,
    /// A Box task or assignment was refused (`super::tasks`).
    #[error("{0}")]
    Task(#[from] TaskError),
}

/// The permissions and check-outs of every item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sharing {
    /// The next permission number (ids are derived from it).
    next: u64,
    /// By permission id.
    permissions: ByItem<String, Permission>,
    checkouts: BTreeMap<ItemId, Checkout>,
    /// The versions check-ins published, by version id, with the check-in's comment (empty
    /// without one): the admin timeline marks them.
    checkins: BTreeMap<u64, String>,
    /// Box shared links, by item (`super::shared_link`); absent from data dirs made before them.
    #[serde(default)]
    box_links: BTreeMap<ItemId, SharedLink>,
    /// The file each copy was made from, by the copy's id: the admin timeline marks the copy's
    /// first version with it. (Here with the other timeline marks, which a data dir keeps as
    /// one named value.)
    #[serde(default)]
    copies: BTreeMap<ItemId, CopySource>,
    /// The versions deleted from each file (Graph `DELETE …/versions/{id}`), oldest first: the
    /// admin timeline shows each between the versions it sat between.
    #[serde(default)]
    deleted_versions: BTreeMap<ItemId, Vec<DeletedVersion>>,
    /// Box's file locks (`super::locks`); none in a data dir written before them.
    #[serde(default)]
    locks: BTreeMap<ItemId, Lock>,
    /// The last lock id handed out.
    #[serde(default)]
    last_lock: u64,
    /// Box descriptions and tags, for the items that have any.
    #[serde(default)]
    notes: BTreeMap<ItemId, ItemNotes>,
    /// Box metadata templates and instances (`super::metadata`); none in older data dirs.
    #[serde(default)]
    metadata: MetadataState,
    /// Box's comments (`super::comments`), by id, which is also the order they were made in.
    #[serde(default)]
    comments: ByItem<u64, Comment>,
    /// The last comment id handed out.
    #[serde(default)]
    last_comment: u64,
    /// The last Box collaboration id handed out (collaborations are kept as permissions).
    #[serde(default)]
    last_collab: u64,
    /// Box's tasks and their assignments (`super::tasks`); none in older data dirs.
    #[serde(default)]
    tasks: TaskState,
}

/// The file a copy was made from, as it was then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopySource {
    pub item: ItemId,
    pub name: String,
}

/// A version deleted from a file's history: its label, who deleted it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedVersion {
    pub number: u32,
    pub minor: u32,
    /// The deleting user's id and name.
    pub by: User,
    pub at: DateTime<Utc>,
}

impl Sharing {
    /// A new permission id: a scrambled counter, so that ids look like the service's opaque ones
    /// and are the same in every run.
    pub fn new_id(&mut self) -> String {
        loop {
            self.next += 1;
            let id = format!("{:016X}", crate::splitmix::splitmix64(self.next));
            // Only a link loaded with its id can already hold one (`claim_link_id` moves the
            // counter past those it made, not past ids of another server's making).
            if !self.id_in_use(&id) {
                return id;
            }
        }
    }

    /// Whether a permission or a Box shared link has this id.
    pub fn id_in_use(&self, id: &str) -> bool {
        self.permissions.contains_key(id) || self.shared_link_by_id(id).is_some()
    }

    /// Keeps a loaded link's id from being handed out again: an id this counter made (16 hex
    /// digits) moves the counter past it, so an export loaded back goes on numbering after it.
    pub fn claim_link_id(&mut self, id: &str) {
        let made = (id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| u64::from_str_radix(id, 16).ok())
            .flatten()
            .map(crate::splitmix::unsplitmix64);
        // A counter this far along is no id of ours, only hex that looks like one.
        if let Some(n) = made.filter(|n| *n < 1 << 48) {
            self.next = self.next.max(n);
        }
    }

    pub fn permission(&self, id: &str) -> Option<&Permission> {
        self.permissions.get(id)
    }

    pub fn permission_mut(&mut self, id: &str) -> Option<&mut Permission> {
        self.permissions.get_mut(id)
    }

    pub fn insert(&mut self, permission: Permission) {
        self.permissions.insert(permission.id.clone(), permission);
    }

    pub fn remove(&mut self, id: &str) -> Option<Permission> {
        self.permissions.remove(id)
    }

    /// The permissions set on `item` itself, in id order.
    pub fn on(&self, item: ItemId) -> impl Iterator<Item = &Permission> {
        self.permissions.on(item)
    }

    pub fn all(&self) -> impl Iterator<Item = &Permission> {
        self.permissions.values()
    }

    pub fn checkout(&self, item: ItemId) -> Option<&Checkout> {
        self.checkouts.get(&item)
    }

    pub fn set_checkout(&mut self, item: ItemId, checkout: Option<Checkout>) {
        match checkout {
            Some(checkout) => self.checkouts.insert(item, checkout),
            None => self.checkouts.remove(&item),
        };
    }

    /// The comment of the check-in that published `version`, if one did.
    pub fn checkin(&self, version: u64) -> Option<&str> {
        self.checkins.get(&version).map(String::as_str)
    }

    pub fn set_checkin(&mut self, version: u64, comment: String) {
        self.checkins.insert(version, comment);
    }

    /// An item's Box shared link, live or not.
    pub fn shared_link(&self, item: ItemId) -> Option<&SharedLink> {
        self.box_links.get(&item)
    }

    /// The Box shared link with this id (the one its URL's token signs).
    pub fn shared_link_by_id(&self, id: &str) -> Option<&SharedLink> {
        self.box_links.values().find(|link| link.id == id)
    }

    /// Sets or removes an item's Box shared link.
    pub fn set_shared_link(&mut self, item: ItemId, link: Option<SharedLink>) {
        match link {
            Some(link) => self.box_links.insert(item, link),
            None => self.box_links.remove(&item),
        };
    }

    /// The file `copy` was made from, if it is a copy.
    pub fn copy_source(&self, copy: ItemId) -> Option<&CopySource> {
        self.copies.get(&copy)
    }

    pub fn set_copy_source(&mut self, copy: ItemId, source: CopySource) {
        self.copies.insert(copy, source);
    }

    /// The versions deleted from `file`, oldest first.
    pub fn deleted_versions(&self, file: ItemId) -> &[DeletedVersion] {
        self.deleted_versions.get(&file).map_or(&[], Vec::as_slice)
    }

    pub fn add_deleted_version(&mut self, file: ItemId, deleted: DeletedVersion) {
        let marks = self.deleted_versions.entry(file).or_default();
        let at = marks.partition_point(|m| (m.number, m.minor) < (deleted.number, deleted.minor));
        marks.insert(at, deleted);
    }

    pub fn lock(&self, item: ItemId) -> Option<&Lock> {
        self.locks.get(&item)
    }

    pub fn locks(&self) -> impl Iterator<Item = (&ItemId, &Lock)> {
        self.locks.iter()
    }

    /// Keeps `id` from being handed out again (a lock loaded with its id).
    pub fn claim_lock_id(&mut self, id: u64) {
        self.last_lock = self.last_lock.max(id);
    }

    /// A new lock id: the next number.
    pub fn new_lock_id(&mut self) -> u64 {
        self.last_lock += 1;
        self.last_lock
    }

    pub fn set_lock(&mut self, item: ItemId, lock: Option<Lock>) {
        match lock {
            Some(lock) => self.locks.insert(item, lock),
            None => self.locks.remove(&item),
        };
    }

    pub fn notes(&self, item: ItemId) -> Option<&ItemNotes> {
        self.notes.get(&item)
    }

    /// Every item's notes, by item.
    pub fn all_notes(&self) -> impl Iterator<Item = (&ItemId, &ItemNotes)> {
        self.notes.iter()
    }

    /// Keeps `notes` for `item`, or forgets them when empty.
    pub fn set_notes(&mut self, item: ItemId, notes: ItemNotes) {
        match notes.is_empty() {
            true => self.notes.remove(&item),
            false => self.notes.insert(item, notes),
        };
    }

    pub fn comment(&self, id: u64) -> Option<&Comment> {
        self.comments.get(&id)
    }

    /// A file's comments, replies included, oldest first.
    pub fn comments_on(&self, file: ItemId) -> impl Iterator<Item = &Comment> {
        self.comments.on(file)
    }

    pub fn comments(&self) -> impl Iterator<Item = &Comment> {
        self.comments.values()
    }

    /// A new comment id: the next number.
    pub fn new_comment_id(&mut self) -> u64 {
        self.last_comment += 1;
        self.last_comment
    }

    /// Keeps `id` from being handed out again (a comment loaded with its id).
    pub fn claim_comment_id(&mut self, id: u64) {
        self.last_comment = self.last_comment.max(id);
    }

    pub fn set_comment(&mut self, comment: Comment) {
        self.comments.insert(comment.id, comment);
    }

    pub fn remove_comment(&mut self, id: u64) -> Option<Comment> {
        self.comments.remove(&id)
    }

    /// Drops every comment on `file`.
    pub fn remove_comments_on(&mut self, file: ItemId) {
        self.comments.retain(|c| c.file != file);
    }

    /// A new Box collaboration id: the next number, printed in decimal (Graph's permission ids
    /// are 16 hex digits, so the two never meet).
    pub fn new_collab_id(&mut self) -> String {
        self.last_collab += 1;
        self.last_collab.to_string()
    }

    /// Keeps `id` from being handed out again (a collaboration loaded with its id).
    pub fn claim_collab_id(&mut self, id: u64) {
        self.last_collab = self.last_collab.max(id);
    }

    /// Box collaborations, in id order of the map (text order).
    pub fn collaborations(&self) -> impl Iterator<Item = &Permission> {
        self.permissions.values().filter(|p| p.collab.is_some())
    }

    /// The Box collaborations set on `item` itself, in id order of the map (text order).
    pub fn collaborations_on(&self, item: ItemId) -> impl Iterator<Item = &Permission> {
        self.permissions.on(item).filter(|p| p.collab.is_some())
    }

    /// Forgets what was set on items that are gone.
    pub fn retain_items(&mut self, exists: impl Fn(ItemId) -> bool) {
        self.permissions.retain(|p| exists(p.item));
        self.checkouts.retain(|id, _| exists(*id));
        self.box_links.retain(|id, _| exists(*id));
        self.copies.retain(|id, _| exists(*id));
        self.deleted_versions.retain(|id, _| exists(*id));
        self.locks.retain(|id, _| exists(*id));
        self.notes.retain(|id, _| exists(*id));
        self.comments.retain(|c| exists(c.file));
        self.metadata.retain_items(&exists);
        self.tasks.retain_items(exists);
    }

    pub fn metadata(&self) -> &MetadataState {
        &self.metadata
    }

    pub fn metadata_mut(&mut self) -> &mut MetadataState {
        &mut self.metadata
    }

    pub fn tasks(&self) -> &TaskState {
        &self.tasks
    }

    pub fn tasks_mut(&mut self) -> &mut TaskState {
        &mut self.tasks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_roles_joined_give_exactly_the_rights_of_both() {
        let accesses = [BoxAccess::Preview, BoxAccess::Download, BoxAccess::Write];
        for (a, _) in BoxRole::NAMES {
            for (b, _) in BoxRole::NAMES {
                let joined = a.join(b);
                for access in accesses {
                    assert_eq!(
                        joined.allows(access),
                        a.allows(access) || b.allows(access),
                        "{a:?} with {b:?}: {access:?}"
                    );
                }
                assert_eq!(
                    joined.invites(),
                    a.invites() || b.invites(),
                    "{a:?} with {b:?}"
                );
                assert_eq!(joined, b.join(a), "{a:?} with {b:?}");
            }
        }
    }
}
