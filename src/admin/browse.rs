//! The admin browser's read routes: `GET /__admin/users`, `/__admin/drives`, `/__admin/items/{id}`,
//! `/__admin/items/{id}/children` and `/__admin/items/{id}/versions`. Any owner's state, one
//! page per request (`offset`, `limit`), so the page stays cheap on a big store.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{AdminError, AdminQuery};
use crate::box_api::shared_link::access_name;
use crate::download::links::{LinkSigner, Reach, ADMIN_LINK};
use crate::state::AppState;
use crate::store::content::hex;
use crate::store::inspect::CollaboratorSummary;
use crate::store::{
    Ancestor, BoxSide, DriveSpace, Face, ItemId, NodeDetail, NodeSummary, NodeSummaryKind,
    SpaceOwner, TimelineEntry, TimelineOrder, User, Version, VersionId, Window,
};

/// The browser's read routes; `admin::router` puts them behind the admin token.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/__admin/users", get(users))
        .route("/__admin/drives", get(drives))
        .route("/__admin/items/{id}", get(item))
        .route("/__admin/items/{id}/children", get(children))
        .route("/__admin/items/{id}/versions", get(versions))
}

/// Page size when the request gives none, and the most one page may hold: enough for a screen,
/// small enough that no request copies a big slice of a 10⁵-version history.
const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 1000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageQuery {
    offset: Option<usize>,
    limit: Option<usize>,
}

impl PageQuery {
    fn window(&self) -> Result<Window, AdminError> {
        window(self.offset, self.limit)
    }
}

/// The slice a request asks for; a limit of 0 or over `MAX_LIMIT` is refused rather than cut,
/// so a caller never mistakes a short page for the end.
pub(crate) fn window(offset: Option<usize>, limit: Option<usize>) -> Result<Window, AdminError> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(AdminError::BadRequest(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    Ok(Window {
        offset: offset.unwrap_or(0),
        limit,
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TimelineQuery {
    offset: Option<usize>,
    limit: Option<usize>,
    order: Option<OrderParam>,
}

/// `order=newest` (the default) or `order=oldest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum OrderParam {
    Newest,
    Oldest,
}

#[derive(Debug, Serialize)]
pub(crate) struct Page<T> {
    total: usize,
    offset: usize,
    #[serde(flatten)]
    entries: T,
}

#[derive(Debug, Serialize)]
pub(crate) struct UsersBody {
    users: Vec<UserJson>,
}

#[derive(Debug, Serialize)]
struct UserJson {
    id: String,
    name: String,
    login: String,
    spaces: Vec<SpaceJson>,
}

#[derive(Debug, Serialize)]
struct SpaceJson {
    face: Face,
    root: ItemId,
}

#[derive(Debug, Serialize)]
pub(crate) struct DrivesBody {
    drives: Vec<DriveJson>,
}

/// A shared drive as the page's sidebar lists it: enough to tell libraries apart and open one.
#[derive(Debug, Serialize)]
struct DriveJson {
    id: String,
    name: String,
    site: SiteJson,
    group: Option<GroupJson>,
    /// User ids; `null` when every signed-in user may reach the drive.
    members: Option<Vec<String>>,
    /// `null` until the library is first used (its root folder is made then, as a user's is).
    root: Option<ItemId>,
}

#[derive(Debug, Serialize)]
struct SiteJson {
    id: String,
    name: String,
    display_name: String,
}

#[derive(Debug, Serialize)]
struct GroupJson {
    id: String,
    name: String,
    mail: String,
}

impl From<&DriveSpace> for DriveJson {
    fn from(space: &DriveSpace) -> Self {
        let drive = &space.drive;
        Self {
            id: drive.library.id.clone(),
            name: drive.library.name.clone(),
            site: SiteJson {
                id: drive.site.id.clone(),
                name: drive.site.name.clone(),
                display_name: drive.site.display_name.clone(),
            },
            group: drive.group.as_ref().map(|group| GroupJson {
                id: group.id.clone(),
                name: group.name.clone(),
                mail: group.mail.clone(),
            }),
            members: space.members.clone(),
            root: space.root,
        }
    }
}

/// Who did something, as the page shows it.
#[derive(Debug, Serialize)]
struct Person {
    id: String,
    name: String,
    login: String,
}

impl Person {
    /// A space's owner: a user, or a shared drive shown by its id.
    fn owner(owner: &SpaceOwner) -> Self {
        match owner {
            SpaceOwner::User(user) => Self::from(user),
            SpaceOwner::Drive(drive) => Self {
                id: drive.to_string(),
                name: "Shared drive".to_owned(),
                login: String::new(),
            },
        }
    }
}

impl From<&Arc<User>> for Person {
    fn from(user: &Arc<User>) -> Self {
        Self::from(&**user)
    }
}

impl From<&User> for Person {
    fn from(user: &User) -> Self {
        Self {
            id: user.id.clone(),
            name: user.name.clone(),
            login: user.login.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
struct ItemJson {
    id: ItemId,
    #[serde(rename = "type")]
    kind: &'static str,
    face: Face,
    owner: Person,
    name: String,
    parent: Option<ItemId>,
    modified_at: DateTime<Utc>,
    /// When and by whom the item itself was put in the trash, if it was.
    trashed_at: Option<DateTime<Utc>>,
    trashed_by: Option<Person>,
    #[serde(skip_serializing_if = "Option::is_none")]
    child_count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version_count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mime_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current_version: Option<VersionId>,
}

impl From<&NodeSummary> for ItemJson {
    fn from(node: &NodeSummary) -> Self {
        let mut json = Self {
            id: node.id,
            kind: "folder",
            face: node.face,
            owner: Person::owner(&node.owner),
            name: node.name.clone(),
            parent: node.parent,
            modified_at: node.modified_at,
            trashed_at: node.trashed.as_ref().map(|t| t.at),
            trashed_by: node.trashed.as_ref().map(|t| Person::from(&t.by)),
            child_count: None,
            version_count: None,
            size: None,
            mime_type: None,
            current_version: None,
        };
        match &node.kind {
            NodeSummaryKind::Folder { child_count } => json.child_count = Some(*child_count),
            NodeSummaryKind::File {
                version_count,
                current,
                mime_type,
            } => {
                json.kind = "file";
                json.version_count = Some(*version_count);
                json.size = Some(current.content.len());
                json.mime_type = Some(mime_type.clone());
                json.current_version = Some(current.id);
            }
        }
        json
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct ItemDetailJson {
    #[serde(flatten)]
    item: ItemJson,
    /// The folders from the root down to the parent.
    path: Vec<AncestorJson>,
    /// What Box keeps beside the item, each key there only when the item has it.
    #[serde(flatten)]
    box_side: BoxSideJson,
}

/// A Box item's description, tags, shared link, lock, metadata and comment count. (An item's
/// collaborators go here too, as one more key that is absent when there are none.)
#[derive(Debug, Serialize)]
struct BoxSideJson {
    #[serde(skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    /// The users whose Favorites collection holds the item.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    favorited_by: Vec<Person>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shared_link: Option<SharedLinkJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lock: Option<LockJson>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    metadata: Vec<MetadataJson>,
    #[serde(skip_serializing_if = "is_zero")]
    comment_count: usize,
    /// The Box collaborations set on the item, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    collaborators: Vec<CollaboratorJson>,
}

#[derive(Debug, Serialize)]
struct SharedLinkJson {
    /// The link's URL on this server (relative, as `download_url` is), which opens the item
    /// without a token while `live`.
    url: String,
    /// `open`, `company` or `collaborators`.
    access: &'static str,
    /// Whether it opens the item now: not past `unshared_at`, and the item not in the trash.
    live: bool,
    is_password_enabled: bool,
    unshared_at: Option<DateTime<Utc>>,
    can_download: bool,
    can_edit: bool,
    created_by: Person,
}

#[derive(Debug, Serialize)]
struct LockJson {
    id: u64,
    created_by: Person,
    created_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    is_download_prevented: bool,
}

/// One metadata instance: its template and its values.
#[derive(Debug, Serialize)]
struct MetadataJson {
    /// `global` or `enterprise_1`, as Box's `$scope` prints it.
    scope: &'static str,
    template: String,
    /// The template's display name.
    display_name: String,
    id: String,
    version: u64,
    values: serde_json::Map<String, serde_json::Value>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl BoxSideJson {
    fn new(side: BoxSide, state: &AppState) -> Self {
        // A link's author is kept by id; one no longer known shows as the id alone.
        let person = |id: &str| match state.store.user(id) {
            Some(user) => Person::from(&user),
            None => Person {
                id: id.to_owned(),
                name: String::new(),
                login: String::new(),
            },
        };
        Self {
            description: side.notes.description,
            tags: side.notes.tags,
            favorited_by: (side.notes.favorited_by.iter())
                .map(|id| person(id))
                .collect(),
            shared_link: side.shared_link.map(|link| SharedLinkJson {
                url: format!("/_share/{}", state.links.share_token(&link.id)),
                access: access_name(link.access),
                live: side.shared_link_live,
                is_password_enabled: link.password.is_some(),
                unshared_at: link.unshared_at,
                can_download: link.can_download,
                can_edit: link.can_edit,
                created_by: person(&link.created_by),
            }),
            lock: side.lock.map(|lock| LockJson {
                id: lock.id,
                created_by: Person::from(&lock.by),
                created_at: lock.at,
                expires_at: lock.expires,
                is_download_prevented: lock.download_prevented,
            }),
            metadata: (side.metadata.into_iter())
                .map(|(instance, display_name)| MetadataJson {
                    scope: instance.scope.name(),
                    template: instance.template,
                    display_name,
                    id: instance.id,
                    version: instance.version,
                    values: instance.values,
                })
                .collect(),
            comment_count: side.comment_count,
            collaborators: side
                .collaborators
                .iter()
                .map(CollaboratorJson::from)
                .collect(),
        }
    }
}

/// One Box collaboration on the item: who (a user, or the login a pending invite went to), the
/// role and the status.
#[derive(Debug, Serialize)]
struct CollaboratorJson {
    id: String,
    user: Option<Person>,
    invite_email: Option<String>,
    role: &'static str,
    status: &'static str,
}

impl From<&CollaboratorSummary> for CollaboratorJson {
    fn from(c: &CollaboratorSummary) -> Self {
        Self {
            id: c.id.clone(),
            user: c.user.as_ref().map(Person::from),
            invite_email: c.invite_email.clone(),
            role: c.role.name(),
            status: c.status.name(),
        }
    }
}

#[derive(Debug, Serialize)]
struct AncestorJson {
    id: ItemId,
    name: String,
}

impl From<&Ancestor> for AncestorJson {
    fn from(ancestor: &Ancestor) -> Self {
        Self {
            id: ancestor.id,
            name: ancestor.name.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct ChildrenBody {
    children: Vec<ItemJson>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TimelineBody {
    item: ItemId,
    order: OrderParam,
    versions: Vec<VersionJson>,
}

#[derive(Debug, Serialize)]
struct VersionJson {
    id: VersionId,
    number: u32,
    /// Only on a minor version (Graph's `1.1` has number 1, minor 1).
    #[serde(skip_serializing_if = "is_major")]
    minor: u32,
    /// 0 for the oldest version.
    position: usize,
    current: bool,
    name: String,
    size: u64,
    sha1: String,
    sha256: String,
    quick_xor: String,
    created_at: DateTime<Utc>,
    created_by: Person,
    trashed_at: Option<DateTime<Utc>>,
    trashed_by: Option<Person>,
    restored_at: Option<DateTime<Utc>>,
    restored_by: Option<Person>,
    restored_from: Option<SourceJson>,
    /// Set on a version a Graph check-in published: its comment (empty without one). Absent
    /// otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    checked_in: Option<String>,
    /// On the first version of a copy: the file it was copied from, by its name then and its
    /// id (`null` once it is gone). Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    copied_from: Option<CopiedFromJson>,
    /// The versions deleted from between this one and the one before it, oldest first. Absent
    /// when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    deleted_before: Vec<DeletedJson>,
    /// The signed link to the version's bytes (`/_content/{token}`), on this server.
    download_url: String,
}

#[derive(Debug, Serialize)]
struct CopiedFromJson {
    item: Option<ItemId>,
    name: String,
}

#[derive(Debug, Serialize)]
struct DeletedJson {
    number: u32,
    #[serde(skip_serializing_if = "is_major")]
    minor: u32,
    deleted_at: DateTime<Utc>,
    deleted_by: Person,
}

#[derive(Debug, Serialize)]
struct SourceJson {
    id: VersionId,
    number: u32,
    #[serde(skip_serializing_if = "is_major")]
    minor: u32,
    position: usize,
}

impl VersionJson {
    fn new(entry: &TimelineEntry, links: &LinkSigner, now: DateTime<Utc>) -> Self {
        let Version {
            id,
            number,
            minor,
            content,
            name,
            created_at,
            created_by,
            trashed_at,
            trashed_by,
            restored_at,
            restored_by,
            restored_from: _,
        } = &entry.version;
        Self {
            id: *id,
            number: *number,
            minor: *minor,
            position: entry.position,
            current: entry.is_current,
            name: name.to_string(),
            size: content.len(),
            sha1: content.sha1_hex().to_string(),
            sha256: hex(&content.sha256()),
            quick_xor: content.quick_xor_base64().to_string(),
            created_at: *created_at,
            created_by: Person::from(created_by),
            trashed_at: *trashed_at,
            trashed_by: trashed_by.as_ref().map(Person::from),
            restored_at: *restored_at,
            restored_by: restored_by.as_ref().map(Person::from),
            restored_from: entry.source.map(|source| SourceJson {
                id: source.id,
                number: source.number,
                minor: source.minor,
                position: source.position,
            }),
            checked_in: entry.checked_in.clone(),
            copied_from: entry.copied_from.as_ref().map(|copy| CopiedFromJson {
                item: copy.item,
                name: copy.name.clone(),
            }),
            deleted_before: (entry.deleted_before.iter())
                .map(|deleted| DeletedJson {
                    number: deleted.number,
                    minor: deleted.minor,
                    deleted_at: deleted.at,
                    deleted_by: Person::from(&deleted.by),
                })
                .collect(),
            // Relative: the page that follows it is served by this same origin.
            download_url: links.url_for(Reach::Admin, "", &entry.version, now + ADMIN_LINK),
        }
    }
}

fn is_major(minor: &u32) -> bool {
    *minor == 0
}

/// An id from the path; one that is not a number names no item.
fn item_id(raw: &str) -> Result<ItemId, AdminError> {
    raw.parse().map_err(|_| AdminError::ItemNotFound)
}

/// `GET /__admin/users`: users by id, each with the root of every space they have.
pub(crate) async fn users(
    State(state): State<AppState>,
    AdminQuery(query): AdminQuery<PageQuery>,
) -> Result<Json<Page<UsersBody>>, AdminError> {
    let window = query.window()?;
    let listing = state.store.users(window);
    let users = listing
        .entries
        .iter()
        .map(|entry| UserJson {
            id: entry.user.id.clone(),
            name: entry.user.name.clone(),
            login: entry.user.login.clone(),
            spaces: entry
                .spaces
                .iter()
                .map(|(face, root)| SpaceJson {
                    face: *face,
                    root: *root,
                })
                .collect(),
        })
        .collect();
    Ok(Json(Page {
        total: listing.total,
        offset: window.offset,
        entries: UsersBody { users },
    }))
}

/// `GET /__admin/drives`: Graph's shared drives (site libraries) by site name, each site's
/// default library first, with the root of its files once it has any.
pub(crate) async fn drives(
    State(state): State<AppState>,
    AdminQuery(query): AdminQuery<PageQuery>,
) -> Result<Json<Page<DrivesBody>>, AdminError> {
    let window = query.window()?;
    let listing = state.store.shared_drives(window);
    Ok(Json(Page {
        total: listing.total,
        offset: window.offset,
        entries: DrivesBody {
            drives: listing.entries.iter().map(DriveJson::from).collect(),
        },
    }))
}

/// `GET /__admin/items/{id}`: any item, with the folders above it and, for a Box item, its
/// shared link, lock, description, tags, metadata and comment count.
pub(crate) async fn item(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ItemDetailJson>, AdminError> {
    let NodeDetail {
        node,
        ancestors,
        box_side,
    } = state.store.inspect_item(item_id(&id)?)?;
    Ok(Json(ItemDetailJson {
        item: ItemJson::from(&node),
        path: ancestors.iter().map(AncestorJson::from).collect(),
        box_side: BoxSideJson::new(box_side, &state),
    }))
}

/// `GET /__admin/items/{id}/children`: a page of a folder's children, by name.
pub(crate) async fn children(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AdminQuery(query): AdminQuery<PageQuery>,
) -> Result<Json<Page<ChildrenBody>>, AdminError> {
    let window = query.window()?;
    let listing = state.store.inspect_children(item_id(&id)?, window)?;
    Ok(Json(Page {
        total: listing.total,
        offset: window.offset,
        entries: ChildrenBody {
            children: listing.entries.iter().map(ItemJson::from).collect(),
        },
    }))
}

/// `GET /__admin/items/{id}/versions`: a page of a file's timeline, newest or oldest first.
pub(crate) async fn versions(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AdminQuery(query): AdminQuery<TimelineQuery>,
) -> Result<Json<Page<TimelineBody>>, AdminError> {
    let window = window(query.offset, query.limit)?;
    let order = query.order.unwrap_or(OrderParam::Newest);
    let id = item_id(&id)?;
    let listing = state.store.timeline(
        id,
        match order {
            OrderParam::Newest => TimelineOrder::NewestFirst,
            OrderParam::Oldest => TimelineOrder::OldestFirst,
        },
        window,
    )?;
    Ok(Json(Page {
        total: listing.total,
        offset: window.offset,
        entries: TimelineBody {
            item: id,
            order,
            versions: listing
                .entries
                .iter()
                .map(|entry| VersionJson::new(entry, &state.links, state.clock.now()))
                .collect(),
        },
    }))
}
