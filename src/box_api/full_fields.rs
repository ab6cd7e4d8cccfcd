//! The full-only fields of files and folders: what Box sends only when `fields` names them
//! (`File--Full`, `Folder--Full` in <https://github.com/box/box-openapi>), rendered as the
//! emulator's model has them: the caller owns every item it can reach, and nothing is
//! collaborated or shared with another enterprise. Tags and a file's lock are kept
//! (`routes::locks`).

use serde::Serialize;

use super::model::{Date, Str, UserMini};
use crate::store::{ItemView, Lock};

/// Every role Box lets an owner invite with (`allowed_invitee_roles` in
/// <https://developer.box.com/reference/resources/file--full/>).
const INVITEE_ROLES: [&str; 7] = [
    "editor",
    "viewer",
    "previewer",
    "uploader",
    "previewer uploader",
    "viewer uploader",
    "co-owner",
];

/// What files and folders share.
#[derive(Debug, Serialize)]
pub(crate) struct ItemFull<'a> {
    tags: &'a [String],
    is_externally_owned: bool,
    has_collaborations: bool,
    allowed_invitee_roles: &'static [&'static str],
    is_accessible_via_shared_link: bool,
}

impl<'a> ItemFull<'a> {
    fn of(item: &'a ItemView) -> Self {
        Self {
            tags: &item.notes.tags,
            is_externally_owned: false,
            has_collaborations: item.has_collaborations,
            // Nobody is invited to the root (the web app offers no sharing there).
            allowed_invitee_roles: if item.is_root() { &[] } else { &INVITEE_ROLES },
            is_accessible_via_shared_link: item.shared_link.is_some(),
        }
    }
}

/// A file's lock (`FileFull.lock` in the spec). The spec and box_sdk_gen name the expiry
/// `expired_at`, the Java and iOS SDKs' fixtures (trimmed real replies, by their look)
/// `expires_at`; both are sent, with one value. An API lock has no `app_type`.
#[derive(Debug, Serialize)]
struct LockJson<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: Str<u64>,
    created_by: UserMini<'a>,
    created_at: Date,
    expired_at: Option<Date>,
    expires_at: Option<Date>,
    is_download_prevented: bool,
    app_type: Option<()>,
}

impl<'a> LockJson<'a> {
    fn new(lock: &'a Lock) -> Self {
        Self {
            kind: "lock",
            id: Str(lock.id),
            created_by: UserMini::new(&lock.by),
            created_at: Date(lock.at),
            expired_at: lock.expires.map(Date),
            expires_at: lock.expires.map(Date),
            is_download_prevented: lock.download_prevented,
            app_type: None,
        }
    }
}

/// A file's permissions for its owner: everything (`FilePermissions` in the spec).
#[derive(Debug, Serialize)]
struct FilePermissions {
    can_download: bool,
    can_preview: bool,
    can_upload: bool,
    can_comment: bool,
    can_rename: bool,
    can_delete: bool,
    can_share: bool,
    can_set_share_access: bool,
    can_invite_collaborator: bool,
    can_annotate: bool,
    can_view_annotations_all: bool,
    can_view_annotations_self: bool,
}

/// The full-only fields of a file.
#[derive(Debug, Serialize)]
pub(crate) struct FileFull<'a> {
    #[serde(flatten)]
    item: ItemFull<'a>,
    permissions: FilePermissions,
    comment_count: usize,
    is_package: bool,
    lock: Option<LockJson<'a>>,
}

impl<'a> FileFull<'a> {
    pub fn of(item: &'a ItemView) -> Self {
        Self {
            item: ItemFull::of(item),
            permissions: FilePermissions {
                can_download: true,
                can_preview: true,
                can_upload: true,
                can_comment: true,
                can_rename: true,
                can_delete: true,
                can_share: true,
                can_set_share_access: true,
                can_invite_collaborator: true,
                can_annotate: true,
                can_view_annotations_all: true,
                can_view_annotations_self: true,
            },
            comment_count: item.comment_count,
            is_package: false,
            lock: item.lock.as_ref().map(LockJson::new),
        }
    }
}

/// A folder's permissions for its owner (`FolderPermissions` in the spec): everything, but the
/// root cannot be deleted, renamed or shared.
#[derive(Debug, Serialize)]
struct FolderPermissions {
    can_delete: bool,
    can_download: bool,
    can_invite_collaborator: bool,
    can_rename: bool,
    can_set_share_access: bool,
    can_share: bool,
    can_upload: bool,
}

/// The full-only fields of a folder.
#[derive(Debug, Serialize)]
pub(crate) struct FolderFull<'a> {
    #[serde(flatten)]
    item: ItemFull<'a>,
    permissions: FolderPermissions,
    /// Box Sync is discontinued; a folder nobody marked reads `not_synced`.
    sync_state: &'static str,
    can_non_owners_invite: bool,
    can_non_owners_view_collaborators: bool,
    is_collaboration_restricted_to_enterprise: bool,
    /// Empty for the root, "as sharing is not allowed at that level" (the spec's words).
    allowed_shared_link_access_levels: &'static [&'static str],
}

impl<'a> FolderFull<'a> {
    pub fn of(item: &'a ItemView) -> Self {
        let owned = !item.is_root();
        Self {
            item: ItemFull::of(item),
            permissions: FolderPermissions {
                can_delete: owned,
                can_download: true,
                can_invite_collaborator: owned,
                can_rename: owned,
                can_set_share_access: owned,
                can_share: owned,
                can_upload: true,
            },
            sync_state: "not_synced",
            can_non_owners_invite: true,
            can_non_owners_view_collaborators: true,
            is_collaboration_restricted_to_enterprise: false,
            allowed_shared_link_access_levels: if owned {
                &["open", "company", "collaborators"]
            } else {
                &[]
            },
        }
    }
}
