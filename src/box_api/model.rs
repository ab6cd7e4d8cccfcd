//! Box's wire types (<https://developer.box.com/reference/resources/file/>,
//! <https://developer.box.com/reference/resources/file-version/>): ids and counters as strings,
//! dates with a numeric offset, the root folder as `"0"`. They borrow from the store's views, and
//! default replies serialize straight from them; only a `fields` request goes through a
//! `serde_json::Value`.

use std::fmt::{self, Display};

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Serialize, Serializer};

use super::full_fields::{FileFull, FolderFull};
use super::shared_link::{LinkUrls, SharedLinkJson};
use crate::short_text::{as_short, Short, ShortText};
use crate::store::{
    Ancestor, FileView, ItemId, ItemKindView, ItemView, Profile, User, Version, VersionId,
};
use crate::timestamp::utc_seconds;

/// Box's name for every user's root folder, whose id is always `"0"`.
const ROOT_NAME: &str = "All Files";

/// How long a trashed version or item waits before it would be purged. Box does not say for a
/// version; 30 days is the trash's default, pinned by
/// `trashing_a_version_is_204_and_it_reads_back_trashed_and_still_listed`.
const PURGE_AFTER: TimeDelta = TimeDelta::days(30);

/// Anything printed as a JSON string: ids, etags, sequence ids, version numbers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Str<T>(pub T);

impl<T: Short> Serialize for Str<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        as_short(&self.0, serializer)
    }
}

/// A date as Box prints it: whole seconds and a numeric offset, never `Z` (the examples in
/// <https://developer.box.com/reference/resources/file/>, e.g. `2012-12-12T10:53:43-08:00`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Date(pub DateTime<Utc>);

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        as_short(&utc_seconds(self.0, "+00:00"), serializer)
    }
}

fn dates(at: Option<DateTime<Utc>>) -> Option<Date> {
    at.map(Date)
}

/// A folder id as Box shows it: the root is `"0"` whatever its id in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FolderId {
    Root,
    Id(ItemId),
}

impl Display for FolderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.short().as_str())
    }
}

impl Short for FolderId {
    fn short(&self) -> ShortText {
        match self {
            Self::Root => 0u64.short(),
            Self::Id(id) => id.short(),
        }
    }
}

impl std::str::FromStr for FolderId {
    type Err = crate::store::InvalidId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "0" => Ok(Self::Root),
            other => other.parse().map(Self::Id),
        }
    }
}

/// `{"type":"user","id","name","login"}` of the user as they are now, renamed or not
/// (`names::as_now`), though the store kept them as they were.
#[derive(Debug)]
pub(crate) struct UserMini<'a> {
    user: &'a User,
}

impl Serialize for UserMini<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        crate::names::as_now(self.user, |user| {
            let mut mini = serializer.serialize_struct("UserMini", 4)?;
            mini.serialize_field("type", "user")?;
            mini.serialize_field("id", &user.id)?;
            mini.serialize_field("name", &user.name)?;
            mini.serialize_field("login", &user.login)?;
            mini.end()
        })
    }
}

impl<'a> UserMini<'a> {
    pub fn new(user: &'a User) -> Self {
        Self { user }
    }

    /// The user whose space the item is in. Every Box space is a user's own; only Graph has
    /// shared drives, so the creator stands in for an owner that cannot occur.
    pub fn owner_of(item: &'a ItemView) -> Self {
        Self::new(item.owner.user().unwrap_or(&item.created_by))
    }
}

/// `{"type":"folder","id","sequence_id","etag","name"}`; the root has null tags
/// (<https://developer.box.com/reference/resources/folder--mini/>).
#[derive(Debug, Serialize)]
pub(crate) struct FolderMini<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: Str<FolderId>,
    sequence_id: Option<Str<u64>>,
    etag: Option<Str<u64>>,
    name: &'a str,
}

impl<'a> FolderMini<'a> {
    fn root() -> Self {
        Self {
            kind: "folder",
            id: Str(FolderId::Root),
            sequence_id: None,
            etag: None,
            name: ROOT_NAME,
        }
    }

    /// An ancestor of an item. `ancestors[0]` is always the root.
    fn ancestor(ancestor: &'a Ancestor, is_root: bool) -> Self {
        if is_root {
            return Self::root();
        }
        Self {
            kind: "folder",
            id: Str(FolderId::Id(ancestor.id)),
            sequence_id: Some(Str(ancestor.revision)),
            etag: Some(Str(ancestor.revision)),
            name: &ancestor.name,
        }
    }

    pub fn of(item: &'a ItemView) -> Self {
        if item.is_root() {
            return Self::root();
        }
        Self {
            kind: "folder",
            id: Str(FolderId::Id(item.id)),
            sequence_id: Some(Str(item.revision)),
            etag: Some(Str(item.revision)),
            name: &item.name,
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct PathCollection<'a> {
    total_count: usize,
    entries: Vec<FolderMini<'a>>,
}

fn path_collection(item: &ItemView) -> PathCollection<'_> {
    PathCollection {
        total_count: item.ancestors.len(),
        entries: item
            .ancestors
            .iter()
            .enumerate()
            .map(|(i, a)| FolderMini::ancestor(a, i == 0))
            .collect(),
    }
}

fn parent(item: &ItemView) -> Option<FolderMini<'_>> {
    let last = item.ancestors.len().checked_sub(1)?;
    Some(FolderMini::ancestor(&item.ancestors[last], last == 0))
}

/// `{"type":"file_version","id","sha1"}`, nested as a file's `file_version`.
#[derive(Debug, Serialize)]
pub(crate) struct FileVersionMini {
    #[serde(rename = "type")]
    kind: &'static str,
    id: Str<VersionId>,
    sha1: ShortText<40>,
}

impl FileVersionMini {
    fn new(version: &Version) -> Self {
        Self {
            kind: "file_version",
            id: Str(version.id),
            sha1: version.content.sha1_hex(),
        }
    }
}

/// A file, standard representation (<https://developer.box.com/reference/resources/file/>), plus
/// the full-only fields a `fields` query
/// may ask for.
#[derive(Debug, Serialize)]
pub(crate) struct FileJson<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: Str<ItemId>,
    etag: Str<u64>,
    sequence_id: Str<u64>,
    name: &'a str,
    sha1: ShortText<40>,
    file_version: FileVersionMini,
    description: &'a str,
    size: u64,
    path_collection: PathCollection<'a>,
    created_at: Date,
    modified_at: Date,
    trashed_at: Option<Date>,
    purged_at: Option<Date>,
    content_created_at: Date,
    content_modified_at: Date,
    created_by: UserMini<'a>,
    modified_by: UserMini<'a>,
    owned_by: UserMini<'a>,
    shared_link: Option<SharedLinkJson>,
    parent: Option<FolderMini<'a>>,
    item_status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    version_number: Option<Str<u32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uploader_display_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extension: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    full: Option<FileFull<'a>>,
}

impl<'a> FileJson<'a> {
    /// The file, or `None` when the item is a folder. `full` adds the fields Box only sends when
    /// `fields` names them.
    pub fn new(item: &'a ItemView, full: bool, urls: &LinkUrls) -> Option<Self> {
        let file: &FileView = item.file()?;
        let current = &file.current;
        Some(Self {
            kind: "file",
            id: Str(item.id),
            etag: Str(item.revision),
            sequence_id: Str(item.revision),
            name: &item.name,
            sha1: current.content.sha1_hex(),
            file_version: FileVersionMini::new(current),
            description: &item.notes.description,
            size: current.content.len(),
            path_collection: path_collection(item),
            created_at: Date(item.created_at),
            modified_at: Date(item.modified_at),
            trashed_at: dates(item.trashed.as_ref().map(|t| t.at)),
            purged_at: purged_at(item),
            content_created_at: Date(file.content_created_at),
            content_modified_at: Date(file.content_modified_at),
            created_by: UserMini::new(&item.created_by),
            modified_by: UserMini::new(&item.modified_by),
            owned_by: UserMini::owner_of(item),
            shared_link: SharedLinkJson::of(item, urls),
            parent: parent(item),
            item_status: item_status(item),
            version_number: full.then_some(Str(current.number)),
            uploader_display_name: full.then_some(&*current.created_by.name),
            extension: full.then(|| extension(&item.name)),
            full: full.then(|| FileFull::of(item)),
        })
    }
}

/// `trashed` for an item put in the trash itself, else `active` (`item_status` in
/// <https://developer.box.com/reference/resources/file/>).
fn item_status(item: &ItemView) -> &'static str {
    match item.trashed {
        Some(_) => "trashed",
        None => "active",
    }
}

/// When a trashed item would be purged: the same 30 days as a trashed version.
fn purged_at(item: &ItemView) -> Option<Date> {
    dates(item.trashed.as_ref().map(|t| t.at + PURGE_AFTER))
}

fn extension(name: &str) -> &str {
    match name.rfind('.') {
        Some(dot) if dot > 0 => &name[dot + 1..],
        _ => "",
    }
}

/// A file version (<https://developer.box.com/reference/resources/file-version/>): the standard
/// fields by default, plus `version_number` and
/// `uploader_display_name` when `full`.
#[derive(Debug, Serialize)]
pub(crate) struct FileVersionJson<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: Str<VersionId>,
    sha1: ShortText<40>,
    name: &'a str,
    size: u64,
    created_at: Date,
    modified_at: Date,
    modified_by: UserMini<'a>,
    trashed_at: Option<Date>,
    trashed_by: Option<UserMini<'a>>,
    restored_at: Option<Date>,
    restored_by: Option<UserMini<'a>>,
    purged_at: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uploader_display_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version_number: Option<Str<u32>>,
}

impl<'a> FileVersionJson<'a> {
    pub fn new(version: &'a Version, full: bool) -> Self {
        Self {
            kind: "file_version",
            id: Str(version.id),
            sha1: version.content.sha1_hex(),
            name: &version.name,
            size: version.content.len(),
            // A version's bytes never change after upload, so it was last modified when made.
            created_at: Date(version.created_at),
            modified_at: Date(version.created_at),
            modified_by: UserMini::new(&version.created_by),
            trashed_at: dates(version.trashed_at),
            trashed_by: version.trashed_by.as_deref().map(UserMini::new),
            restored_at: dates(version.restored_at),
            restored_by: version.restored_by.as_deref().map(UserMini::new),
            purged_at: dates(version.trashed_at.map(|at| at + PURGE_AFTER)),
            uploader_display_name: full.then_some(&*version.created_by.name),
            version_number: full.then_some(Str(version.number)),
        }
    }
}

/// A folder, standard representation, for `POST /folders` and `GET /folders/{id}`.
#[derive(Debug, Serialize)]
pub(crate) struct FolderJson<'a> {
    #[serde(flatten)]
    mini: FolderMini<'a>,
    created_at: Date,
    modified_at: Date,
    description: &'a str,
    size: u64,
    path_collection: PathCollection<'a>,
    created_by: UserMini<'a>,
    modified_by: UserMini<'a>,
    trashed_at: Option<Date>,
    purged_at: Option<Date>,
    content_created_at: Date,
    content_modified_at: Date,
    owned_by: UserMini<'a>,
    shared_link: Option<SharedLinkJson>,
    folder_upload_email: Option<()>,
    parent: Option<FolderMini<'a>>,
    item_status: &'static str,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    full: Option<FolderFull<'a>>,
}

impl<'a> FolderJson<'a> {
    /// The folder, or `None` when the item is a file.
    pub fn new(item: &'a ItemView, urls: &LinkUrls) -> Option<Self> {
        Self::with_full(item, false, urls)
    }

    /// The folder; `full` adds the fields Box only sends when `fields` names them.
    pub fn with_full(item: &'a ItemView, full: bool, urls: &LinkUrls) -> Option<Self> {
        let ItemKindView::Folder { size, .. } = item.kind else {
            return None;
        };
        Some(Self {
            mini: FolderMini::of(item),
            created_at: Date(item.created_at),
            modified_at: Date(item.modified_at),
            description: &item.notes.description,
            size,
            path_collection: path_collection(item),
            created_by: UserMini::new(&item.created_by),
            modified_by: UserMini::new(&item.modified_by),
            trashed_at: dates(item.trashed.as_ref().map(|t| t.at)),
            purged_at: purged_at(item),
            content_created_at: Date(item.created_at),
            content_modified_at: Date(item.modified_at),
            owned_by: UserMini::owner_of(item),
            shared_link: SharedLinkJson::of(item, urls),
            folder_upload_email: None,
            parent: parent(item),
            item_status: item_status(item),
            full: full.then(|| FolderFull::of(item)),
        })
    }
}

/// An item in mini form, as a folder listing's entries and `context_info.conflicts` show it: a
/// file mini or a folder mini.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum ItemMini<'a> {
    File(FileMini<'a>),
    Folder(FolderMini<'a>),
}

impl<'a> ItemMini<'a> {
    pub fn new(item: &'a ItemView) -> Self {
        match FileMini::new(item) {
            Some(file) => Self::File(file),
            None => Self::Folder(FolderMini::of(item)),
        }
    }
}

/// `{"total_count":1,"entries":[file]}`, the answer to both kinds of upload.
#[derive(Debug, Serialize)]
pub(crate) struct Files<T> {
    pub total_count: usize,
    pub entries: [T; 1],
}

/// A page of previous versions, with offset paging
/// (<https://developer.box.com/reference/resources/file-versions/>).
#[derive(Debug, Serialize)]
pub(crate) struct FileVersions<T> {
    pub total_count: usize,
    pub entries: Vec<T>,
    pub limit: usize,
    pub offset: usize,
}

/// A user, standard representation (`User` in <https://github.com/box/box-openapi>).
#[derive(Debug, Serialize)]
pub(crate) struct UserJson<'a> {
    #[serde(flatten)]
    mini: UserMini<'a>,
    created_at: Date,
    modified_at: Date,
    language: &'static str,
    timezone: &'static str,
    space_amount: u64,
    space_used: u64,
    max_upload_size: u64,
    status: &'static str,
    job_title: &'a str,
    phone: &'a str,
    address: &'a str,
    avatar_url: String,
    notification_email: Option<()>,
}

impl<'a> UserJson<'a> {
    /// `root` is the user's root folder: its size is the space used, and its creation (on the
    /// user's first Box call, or when `POST /users` made them) stands for the account's.
    pub fn new(user: &'a User, profile: &'a Profile, root: &ItemView, origin: &str) -> Self {
        let space_used = match root.kind {
            ItemKindView::Folder { size, .. } => size,
            ItemKindView::File(_) => 0,
        };
        Self {
            mini: UserMini::new(user),
            created_at: Date(root.created_at),
            modified_at: Date(root.created_at),
            language: "en",
            timezone: "UTC",
            // 10 GB and 5 GB, the amounts of Box's Business plan.
            space_amount: 10 * 1024 * 1024 * 1024,
            space_used,
            max_upload_size: 5 * 1024 * 1024 * 1024,
            status: profile.status.as_str(),
            job_title: profile.job_title.as_deref().unwrap_or_default(),
            phone: profile.phone.as_deref().unwrap_or_default(),
            address: profile.address.as_deref().unwrap_or_default(),
            avatar_url: format!("{origin}/2.0/users/{}/avatar", user.id),
            notification_email: None,
        }
    }
}

/// A user, full representation (`User--Full`): what `fields` may name beyond the standard
/// ones. The emulator is one enterprise whose users all see each other.
#[derive(Debug, Serialize)]
pub(crate) struct UserFullJson<'a> {
    #[serde(flatten)]
    standard: UserJson<'a>,
    role: &'static str,
    tracking_codes: [(); 0],
    can_see_managed_users: bool,
    is_sync_enabled: bool,
    is_external_collab_restricted: bool,
    is_exempt_from_device_limits: bool,
    is_exempt_from_login_verification: bool,
    enterprise: Enterprise,
    my_tags: [(); 0],
    hostname: String,
    is_platform_access_only: bool,
}

/// The one enterprise every emulated user belongs to.
#[derive(Debug, Serialize)]
struct Enterprise {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'static str,
    name: &'static str,
}

impl<'a> UserFullJson<'a> {
    pub fn new(user: &'a User, profile: &'a Profile, root: &ItemView, origin: &str) -> Self {
        Self {
            standard: UserJson::new(user, profile, root, origin),
            role: profile.role.as_str(),
            tracking_codes: [],
            can_see_managed_users: true,
            is_sync_enabled: true,
            is_external_collab_restricted: false,
            is_exempt_from_device_limits: false,
            is_exempt_from_login_verification: false,
            enterprise: Enterprise {
                kind: "enterprise",
                id: "1",
                name: "restore-mock",
            },
            my_tags: [],
            hostname: format!("{origin}/"),
            is_platform_access_only: profile.app_user,
        }
    }
}

/// A page of items (`GET /folders/trash/items`), with offset paging.
#[derive(Debug, Serialize)]
pub(crate) struct Items<T> {
    pub total_count: usize,
    pub entries: Vec<T>,
    pub offset: usize,
    pub limit: usize,
}

/// A file or a folder in a mixed listing.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum ItemJson<'a> {
    File(FileJson<'a>),
    Folder(FolderJson<'a>),
}

impl<'a> ItemJson<'a> {
    /// `full` adds the fields Box sends a file only when `fields` names them.
    pub fn new(item: &'a ItemView, full: bool, urls: &LinkUrls) -> Self {
        match (
            FileJson::new(item, full, urls),
            FolderJson::with_full(item, full, urls),
        ) {
            (Some(file), _) => Self::File(file),
            (None, Some(folder)) => Self::Folder(folder),
            (None, None) => unreachable!("an item is a file or a folder"),
        }
    }
}

/// A comment (<https://developer.box.com/reference/resources/comment--full/>), full
/// representation: the standard one is this without `tagged_message`, which only `fields` asks
/// for (box-node-sdk's `post_comments_tagged_200.json` fixture leaves it out of a default reply).
#[derive(Debug, Serialize)]
pub(crate) struct CommentJson<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: Str<u64>,
    is_reply_comment: bool,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tagged_message: Option<&'a str>,
    created_by: UserMini<'a>,
    created_at: Date,
    modified_at: Date,
    /// The file, for a reply too.
    item: CommentItem,
}

#[derive(Debug, Serialize)]
struct CommentItem {
    id: Str<u64>,
    #[serde(rename = "type")]
    kind: &'static str,
}

impl<'a> CommentJson<'a> {
    /// `full` adds `tagged_message`: the text as tagged, or as written when it has no mention.
    pub fn new(comment: &'a crate::store::comments::Comment, full: bool) -> Self {
        Self {
            kind: "comment",
            id: Str(comment.id),
            is_reply_comment: comment.reply,
            message: &comment.message,
            tagged_message: full.then(|| {
                comment
                    .tagged_message
                    .as_deref()
                    .unwrap_or(&comment.message)
            }),
            created_by: UserMini::new(&comment.by),
            created_at: Date(comment.created),
            modified_at: Date(comment.modified),
            item: CommentItem {
                id: Str(comment.file.0),
                kind: "file",
            },
        }
    }
}

/// A page of a file's comments, with offset paging
/// (<https://developer.box.com/reference/resources/comments/>).
#[derive(Debug, Serialize)]
pub(crate) struct Comments<T> {
    pub total_count: usize,
    pub entries: Vec<T>,
    pub offset: usize,
    pub limit: usize,
}

/// A file in mini form (<https://developer.box.com/reference/resources/file--mini/>): a folder
/// listing's file entries, the file a task is on. Its keys are in the order of the real capture
/// in <https://github.com/syndesisio/syndesis/issues/5233>.
#[derive(Debug, Serialize)]
pub(crate) struct FileMini<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: Str<ItemId>,
    file_version: FileVersionMini,
    sequence_id: Str<u64>,
    etag: Str<u64>,
    sha1: ShortText<40>,
    name: &'a str,
}

impl<'a> FileMini<'a> {
    /// The file, or `None` when the item is a folder.
    pub fn new(item: &'a ItemView) -> Option<Self> {
        let current = &item.file()?.current;
        Some(Self {
            kind: "file",
            id: Str(item.id),
            file_version: FileVersionMini::new(current),
            sequence_id: Str(item.revision),
            etag: Str(item.revision),
            sha1: current.content.sha1_hex(),
            name: &item.name,
        })
    }
}

/// A task (<https://developer.box.com/reference/resources/task/>), with its assignments in
/// `task_assignment_collection`.
#[derive(Debug, Serialize)]
pub(crate) struct TaskJson<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: Str<u64>,
    item: Option<FileMini<'a>>,
    due_at: Option<Date>,
    action: crate::store::tasks::TaskAction,
    message: &'a str,
    task_assignment_collection: Unpaged<TaskAssignmentJson<'a>>,
    is_completed: bool,
    created_by: UserMini<'a>,
    created_at: Date,
    completion_rule: crate::store::tasks::CompletionRule,
}

impl<'a> TaskJson<'a> {
    pub fn new(view: &'a crate::store::tasks::TaskView) -> Self {
        let task = &view.task;
        let entries: Vec<_> = (view.assignments.iter())
            .map(|a| TaskAssignmentJson::new(a, &view.file))
            .collect();
        Self {
            kind: "task",
            id: Str(task.id),
            item: FileMini::new(&view.file),
            due_at: dates(task.due_at),
            action: task.action,
            message: &task.message,
            task_assignment_collection: Unpaged {
                total_count: entries.len(),
                entries,
            },
            is_completed: view.is_completed,
            created_by: UserMini::new(&task.by),
            created_at: Date(task.created),
            completion_rule: task.completion_rule,
        }
    }
}

/// A task assignment (<https://developer.box.com/reference/resources/task-assignment/>).
/// `reminded_at` stays `null`: the emulator sends no reminders.
#[derive(Debug, Serialize)]
pub(crate) struct TaskAssignmentJson<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: Str<u64>,
    item: Option<FileMini<'a>>,
    assigned_to: UserMini<'a>,
    message: &'a str,
    completed_at: Option<Date>,
    assigned_at: Date,
    reminded_at: Option<Date>,
    resolution_state: crate::store::tasks::Resolution,
    assigned_by: UserMini<'a>,
}

impl<'a> TaskAssignmentJson<'a> {
    pub fn new(assignment: &'a crate::store::tasks::Assignment, file: &'a ItemView) -> Self {
        Self {
            kind: "task_assignment",
            id: Str(assignment.id),
            item: FileMini::new(file),
            assigned_to: UserMini::new(&assignment.assigned_to),
            message: &assignment.message,
            completed_at: dates(assignment.completed_at),
            assigned_at: Date(assignment.assigned_at),
            reminded_at: None,
            resolution_state: assignment.resolution,
            assigned_by: UserMini::new(&assignment.assigned_by),
        }
    }
}

/// `{total_count, entries}`, unpaged: a file's tasks
/// (<https://developer.box.com/reference/resources/tasks/>) and a task's assignments
/// (<https://developer.box.com/reference/resources/task-assignments/>).
#[derive(Debug, Serialize)]
pub(crate) struct Unpaged<T> {
    pub total_count: usize,
    pub entries: Vec<T>,
}
