//! Collaborations (<https://developer.box.com/reference/post-collaborations/>): invite a user to
//! a file or folder with a role, read, change (role, expiry; the invitee accepts or rejects),
//! remove, list an item's, and list the caller's pending invites. What a collaboration opens is
//! `reach`'s; the store keeps them beside Graph's invitations (`store::sharing`).

use axum::extract::{FromRequestParts, RawPathParams, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::IdValue;
use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxJson, BoxQuery, Caller, FilePath, FolderPath};
use crate::box_api::fields::{shape, Fields, FieldsQuery, Shaped};
use crate::box_api::model::{Date, FolderId, ItemMini, UserMini};
use crate::box_api::multipart::parse_date;
use crate::box_api::paging;
use crate::box_api::reach;
use crate::control::journal::Touched;
use crate::state::AppState;
use crate::store::sharing::{
    BoxAccess, BoxRole, CollabStatus, CollaborationEdit, CollaborationView, Collaborator,
    NewCollaboration,
};
use crate::store::{ItemId, ItemKind, Space, StoreError, User, Window};

/// What `fields` always keeps of a collaboration.
const COLLABORATION_BASE: &[&str] = &["type", "id"];

/// An item's collaborations come 100 to a page unless `limit` says otherwise, up to 1000
/// (<https://developer.box.com/reference/get-folders-id-collaborations/>).
const DEFAULT_LIMIT: usize = 100;

/// `/collaborations/{collaboration_id}`, taken as text: an id that names none is 404 naming it.
pub(crate) struct CollaborationPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for CollaborationPath {
    type Rejection = BoxApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state).await?;
        let id = (params.iter())
            .find(|(name, _)| *name == "collaboration_id")
            .map(|(_, value)| value.to_owned())
            .unwrap_or_default();
        Ok(Self(id))
    }
}

/// `POST /collaborations`'s body.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NewBody {
    item: Option<ItemRef>,
    accessible_by: Option<GranteeRef>,
    role: Option<String>,
    is_access_only: Option<bool>,
    can_view_path: Option<bool>,
    expires_at: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ItemRef {
    id: Option<IdValue>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Debug, Deserialize)]
struct GranteeRef {
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<IdValue>,
    login: Option<String>,
}

/// `PUT /collaborations/{id}`'s body.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct EditBody {
    role: Option<String>,
    status: Option<String>,
    expires_at: Option<String>,
    can_view_path: Option<bool>,
}

/// The query of the listings: marker paging for an item's, offset paging for the pending ones.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    fields: Option<String>,
    limit: Option<String>,
    marker: Option<String>,
    offset: Option<String>,
    status: Option<String>,
}

/// A collaboration as Box shows it, in the key order of the spec's example.
#[derive(Debug, Serialize)]
pub(crate) struct CollaborationJson<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    created_by: Option<UserMini<'a>>,
    created_at: Date,
    modified_at: Date,
    expires_at: Option<Date>,
    status: &'static str,
    /// `null` while an invite to a login nobody has signed in as is pending: no user exists
    /// yet (the login is `invite_email`).
    accessible_by: Option<CollaboratorJson<'a>>,
    invite_email: Option<&'a str>,
    role: &'static str,
    acknowledged_at: Option<Date>,
    is_access_only: bool,
    item: ItemMini<'a>,
}

/// `User--Collaborations`: the mini user (as they are now) and whether they are active.
#[derive(Debug, Serialize)]
struct CollaboratorJson<'a> {
    #[serde(flatten)]
    mini: UserMini<'a>,
    is_active: bool,
}

impl<'a> CollaborationJson<'a> {
    fn new(view: &'a CollaborationView, created_by: Option<&'a User>) -> Self {
        let collab = view.collab();
        Self {
            kind: "collaboration",
            id: &view.permission.id,
            created_by: created_by.map(UserMini::new),
            created_at: Date(collab.created_at),
            modified_at: Date(collab.modified_at),
            expires_at: view.permission.expires.map(Date),
            status: collab.status.name(),
            accessible_by: view.user().map(|user| CollaboratorJson {
                mini: UserMini::new(user),
                is_active: true,
            }),
            invite_email: view.invite_email(),
            role: collab.box_role.name(),
            acknowledged_at: collab.acknowledged_at.map(Date),
            is_access_only: collab.is_access_only,
            item: ItemMini::new(&view.item),
        }
    }
}

/// The users who made the collaborations, looked up once for a reply.
fn creators(state: &AppState, views: &[CollaborationView]) -> Vec<Option<std::sync::Arc<User>>> {
    (views.iter())
        .map(|v| state.store.user(&v.permission.created_by))
        .collect()
}

fn render<'a>(
    views: &'a [CollaborationView],
    creators: &'a [Option<std::sync::Arc<User>>],
    fields: Option<&Fields<'_>>,
) -> Vec<Shaped<CollaborationJson<'a>>> {
    (views.iter().zip(creators))
        .map(|(view, by)| {
            let json = CollaborationJson::new(view, by.as_deref());
            shape(fields, json, COLLABORATION_BASE)
        })
        .collect()
}

fn reply(
    state: &AppState,
    status: StatusCode,
    view: CollaborationView,
    fields: Option<&str>,
) -> Response {
    let by = state.store.user(&view.permission.created_by);
    let fields = Fields::parse(fields);
    let json = shape(
        fields.as_ref(),
        CollaborationJson::new(&view, by.as_deref()),
        COLLABORATION_BASE,
    );
    Touched::mark(view.item.id, (status, Json(json)).into_response())
}

/// A body id as an item id: one that cannot name an item names none (404), as a body's parent
/// id does.
fn body_id(id: IdValue) -> Result<ItemId, BoxApiError> {
    match id {
        IdValue::Number(n) => Ok(ItemId(n)),
        IdValue::Text(text) => text.parse().map_err(|_| BoxApiError::NotFound),
    }
}

fn role(name: &str) -> Result<BoxRole, BoxApiError> {
    BoxRole::parse(name).ok_or_else(|| {
        BoxApiError::invalid(
            "role",
            format!(
                "Invalid value '{name}'. The role must be one of editor, viewer, previewer, \
                 uploader, previewer uploader, viewer uploader, co-owner."
            ),
        )
    })
}

fn date(
    name: &'static str,
    raw: Option<String>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, BoxApiError> {
    raw.map(|raw| {
        parse_date(&raw)
            .ok_or_else(|| BoxApiError::invalid(name, format!("{raw:?} is not an ISO 8601 date.")))
    })
    .transpose()
}

/// 201 with the collaboration: `accepted` for a user the emulator knows (by `id` or `login`),
/// `pending` with `invite_email` for a login nobody has signed in as. The caller owns the item
/// or holds a role on it that invites (editor, co-owner), else 403.
pub(crate) async fn create_collaboration(
    State(state): State<AppState>,
    Caller(caller): Caller,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    BoxJson(body): BoxJson<Option<NewBody>>,
) -> Result<Response, BoxApiError> {
    let body = body.unwrap_or_default();
    let item = body.item.ok_or(BoxApiError::missing("item"))?;
    let kind = match item.kind.as_deref() {
        Some("file") => ItemKind::File,
        Some("folder") => ItemKind::Folder,
        None => return Err(BoxApiError::missing("item.type")),
        Some(_) => {
            return Err(BoxApiError::invalid(
                "item.type",
                "Invalid value. Expected 'file' or 'folder'.",
            ))
        }
    };
    let id = match body_id(item.id.ok_or(BoxApiError::missing("item.id"))?)? {
        // Folder `0` is the caller's root, which the store refuses to collaborate on.
        ItemId(0) if kind == ItemKind::Folder => state.store.root_id(&caller)?,
        id => id,
    };
    let grantee = body
        .accessible_by
        .ok_or(BoxApiError::missing("accessible_by"))?;
    let role = match body.role.as_deref() {
        None => return Err(BoxApiError::missing("role")),
        // Only an ownership transfer names it, through `PUT` (the spec's enum for `POST` lacks it).
        Some("owner") => {
            return Err(BoxApiError::invalid(
                "role",
                "Invalid value 'owner'. A collaboration cannot be created as owner.",
            ))
        }
        Some(name) => role(name)?,
    };
    let expires = date("expires_at", body.expires_at)?;
    let collaborator = match grantee.kind.as_deref() {
        Some("user") => match (grantee.id, grantee.login) {
            (Some(id), _) => {
                let id = match id {
                    IdValue::Number(n) => n.to_string(),
                    IdValue::Text(text) => text,
                };
                Collaborator::User(state.store.user(&id).ok_or(BoxApiError::NotFound)?)
            }
            (None, Some(login)) if login.contains('@') => match state.store.user(&login) {
                Some(user) => Collaborator::User(user),
                None => Collaborator::Login(login),
            },
            (None, Some(login)) => {
                return Err(BoxApiError::invalid(
                    "accessible_by.login",
                    format!("Invalid value '{login}'. The login must be an email address."),
                ))
            }
            (None, None) => return Err(BoxApiError::missing("accessible_by.id")),
        },
        // The emulator has no groups: a clear refusal rather than a 404 for a group that could
        // never exist.
        Some("group") => {
            return Err(BoxApiError::invalid(
                "accessible_by.type",
                "Invalid value 'group'. The emulator has no groups; collaborate with a user.",
            ))
        }
        None => return Err(BoxApiError::missing("accessible_by.type")),
        Some(_) => {
            return Err(BoxApiError::invalid(
                "accessible_by.type",
                "Invalid value. Expected 'user' or 'group'.",
            ))
        }
    };
    // `can_view_path` is for folders (box/box-python-sdk#251 shows a file's refused so).
    let can_view_path = body.can_view_path.unwrap_or(false);
    if can_view_path && kind == ItemKind::File {
        return Err(BoxApiError::AccessDeniedInsufficientPermissions);
    }
    // A collaborator invites into the owner's space; the store checks that their role invites.
    let space = reach::space_for(&state, &caller, id, BoxAccess::Preview)?;
    let new = NewCollaboration {
        item: id,
        kind,
        collaborator,
        role,
        is_access_only: body.is_access_only.unwrap_or(false),
        can_view_path,
        expires,
    };
    let view = state.store.create_collaboration(&space, new)?;
    Ok(reply(
        &state,
        StatusCode::CREATED,
        view,
        query.fields.as_deref(),
    ))
}

/// The store's "no such collaboration", with the id the path named.
fn named(id: &str) -> impl Fn(StoreError) -> BoxApiError + '_ {
    move |error| match BoxApiError::from(error) {
        BoxApiError::CollaborationNotFound(_) => BoxApiError::CollaborationNotFound(id.to_owned()),
        other => other,
    }
}

pub(crate) async fn get_collaboration(
    State(state): State<AppState>,
    Caller(caller): Caller,
    CollaborationPath(id): CollaborationPath,
    BoxQuery(query): BoxQuery<FieldsQuery>,
) -> Result<Response, BoxApiError> {
    let view = (state.store.collaboration(&caller.actor, &id)).map_err(named(&id))?;
    Ok(reply(&state, StatusCode::OK, view, query.fields.as_deref()))
}

/// 200 with the collaboration as changed. `role: "owner"` (an ownership transfer) is refused:
/// the emulator keeps each user's files in their own space and does not move a tree between
/// them.
pub(crate) async fn update_collaboration(
    State(state): State<AppState>,
    Caller(caller): Caller,
    CollaborationPath(id): CollaborationPath,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    BoxJson(body): BoxJson<Option<EditBody>>,
) -> Result<Response, BoxApiError> {
    let body = body.unwrap_or_default();
    let role = match body.role.as_deref() {
        None => None,
        Some("owner") => {
            return Err(BoxApiError::invalid(
                "role",
                "Invalid value 'owner'. The emulator does not transfer ownership.",
            ))
        }
        Some(name) => Some(role(name)?),
    };
    let status = match body.status.as_deref() {
        None => None,
        Some("accepted") => Some(CollabStatus::Accepted),
        Some("rejected") => Some(CollabStatus::Rejected),
        Some("pending") => Some(CollabStatus::Pending),
        Some(other) => {
            return Err(BoxApiError::invalid(
                "status",
                format!("Invalid value '{other}'. Expected 'accepted' or 'rejected'."),
            ))
        }
    };
    let edit = CollaborationEdit {
        role,
        status,
        expires: date("expires_at", body.expires_at)?,
        can_view_path: body.can_view_path,
    };
    let view = (state.store.update_collaboration(&caller.actor, &id, edit)).map_err(named(&id))?;
    Ok(reply(&state, StatusCode::OK, view, query.fields.as_deref()))
}

/// 204; the collaborator no longer reaches the item (a `GET` of it is 404 for them).
pub(crate) async fn delete_collaboration(
    State(state): State<AppState>,
    Caller(caller): Caller,
    CollaborationPath(id): CollaborationPath,
) -> Result<Response, BoxApiError> {
    (state.store.delete_collaboration(&caller.actor, &id)).map_err(named(&id))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A marker page of an item's collaborations.
#[derive(Debug, Serialize)]
struct MarkerPage<T> {
    entries: Vec<T>,
    limit: usize,
    next_marker: Option<String>,
    total_count: usize,
}

/// An offset page (the pending invites).
#[derive(Debug, Serialize)]
struct OffsetPage<T> {
    total_count: usize,
    entries: Vec<T>,
    limit: usize,
    offset: usize,
}

fn item_page(
    state: &AppState,
    space: &Space,
    item: ItemId,
    kind: ItemKind,
    query: &ListQuery,
) -> Result<Response, BoxApiError> {
    let limit = paging::limit(query.limit.as_deref(), DEFAULT_LIMIT)?;
    // A marker is the position of the page it starts, as in folder listings.
    let offset = match query.marker.as_deref() {
        None => 0,
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|_| raw.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| {
                BoxApiError::invalid("marker", "Invalid value. The marker is not valid.")
            })?,
    };
    let listing = state
        .store
        .item_collaborations(space, item, kind, Window { offset, limit })?;
    let by = creators(state, &listing.entries);
    let fields = Fields::parse(query.fields.as_deref());
    let entries = render(&listing.entries, &by, fields.as_ref());
    let next = offset.saturating_add(entries.len());
    let page = MarkerPage {
        next_marker: (next < listing.total && !entries.is_empty()).then(|| next.to_string()),
        entries,
        limit,
        total_count: listing.total,
    };
    Ok(Touched::mark(item, Json(page).into_response()))
}

/// `GET /files/{id}/collaborations`: the collaborations set on the file, pending and accepted.
pub(crate) async fn list_file_collaborations(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
    BoxQuery(query): BoxQuery<ListQuery>,
) -> Result<Response, BoxApiError> {
    item_page(&state, &space, file, ItemKind::File, &query)
}

/// `GET /folders/{id}/collaborations`: those set on the folder itself, not those of folders
/// above it; the root has none.
pub(crate) async fn list_folder_collaborations(
    State(state): State<AppState>,
    Caller(space): Caller,
    FolderPath(folder): FolderPath,
    BoxQuery(query): BoxQuery<ListQuery>,
) -> Result<Response, BoxApiError> {
    let folder = match folder {
        FolderId::Root => state.store.root_id(&space)?,
        FolderId::Id(id) => id,
    };
    item_page(&state, &space, folder, ItemKind::Folder, &query)
}

/// `GET /collaborations?status=pending`: the invites waiting on the caller's login, offset
/// paging (`status` is required and `pending` is its one value).
pub(crate) async fn list_pending(
    State(state): State<AppState>,
    Caller(caller): Caller,
    BoxQuery(query): BoxQuery<ListQuery>,
) -> Result<Response, BoxApiError> {
    match query.status.as_deref() {
        None => return Err(BoxApiError::missing("status")),
        Some("pending") => {}
        Some(other) => {
            return Err(BoxApiError::invalid(
                "status",
                format!("Invalid value '{other}'. The only value is 'pending'."),
            ))
        }
    }
    let window = Window {
        offset: paging::offset(query.offset.as_deref())?,
        limit: paging::limit(query.limit.as_deref(), DEFAULT_LIMIT)?,
    };
    let all = state.store.pending_collaborations(&caller.actor)?;
    let total = all.len();
    let views: Vec<CollaborationView> = window.page(all.into_iter()).collect();
    let by = creators(&state, &views);
    let fields = Fields::parse(query.fields.as_deref());
    let page = OffsetPage {
        total_count: total,
        entries: render(&views, &by, fields.as_ref()),
        limit: window.limit,
        offset: window.offset,
    };
    Ok(Json(page).into_response())
}
