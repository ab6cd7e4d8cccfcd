//! The full-only fields of files and folders: what Box sends only when `fields` names them
//! (`File--Full`, `Folder--Full` in <https://github.com/box/box-openapi>), rendered as the
//! emulator's model has them: the caller owns every item it can reach, and nothing is
//! collaborated, tagged or shared with another enterprise.

use serde::Serialize;

use crate::store::ItemView;

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
pub(crate) struct ItemFull {
    tags: [&'static str; 0],
    is_externally_owned: bool,
    has_collaborations: bool,
    allowed_invitee_roles: &'static [&'static str],
    is_accessible_via_shared_link: bool,
}

impl ItemFull {
    fn of(item: &ItemView) -> Self {
        Self {
            tags: [],
            is_externally_owned: false,
            has_collaborations: false,
            // Nobody is invited to the root (the web app offers no sharing there).
            allowed_invitee_roles: if item.is_root() { &[] } else { &INVITEE_ROLES },
            is_accessible_via_shared_link: item.shared_link.is_some(),
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
pub(crate) struct FileFull {
    #[serde(flatten)]
    item: ItemFull,
    permissions: FilePermissions,
    comment_count: u32,
    is_package: bool,
    /// No lock: locks are not emulated yet.
    lock: Option<()>,
}

impl FileFull {
    pub fn of(item: &ItemView) -> Self {
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
            comment_count: 0,
            is_package: false,
            lock: None,
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
pub(crate) struct FolderFull {
    #[serde(flatten)]
    item: ItemFull,
    permissions: FolderPermissions,
    /// Box Sync is discontinued; a folder nobody marked reads `not_synced`.
    sync_state: &'static str,
    can_non_owners_invite: bool,
    can_non_owners_view_collaborators: bool,
    is_collaboration_restricted_to_enterprise: bool,
    /// Empty for the root, "as sharing is not allowed at that level" (the spec's words).
    allowed_shared_link_access_levels: &'static [&'static str],
}

impl FolderFull {
    pub fn of(item: &ItemView) -> Self {
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
