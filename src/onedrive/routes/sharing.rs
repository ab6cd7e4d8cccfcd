//! Sharing: `createLink`, an item's permissions (list, get, `PATCH`, `DELETE`), `invite`,
//! `sharedWithMe`, `/shares/{id}`, and what a user invited into another user's drive may do
//! there (`admit_guest`).
//!
//! The emulator's drives are OneDrive for Business and SharePoint ones, so what the pages reserve
//! for personal OneDrive is refused with `400 invalidRequest`: `embed` links and link passwords
//! (<https://learn.microsoft.com/en-us/graph/api/driveitem-createlink>). A link's `webUrl` is
//! `/_share/{token}` on the emulator's own host: it opens the file's current bytes without a
//! token while the permission lives (`crate::download`); its `shareId` is `s!{token}`, and
//! `/shares/` takes either that or `u!` and the URL in unpadded base64url
//! (<https://learn.microsoft.com/en-us/graph/api/shares-get>).
//!
//! Invitations name users the emulator knows (by login, which is their email, or id); any other
//! recipient is refused, as the emulator has no guest accounts. The invited user then lists the
//! item in `sharedWithMe` and reaches it at `/drives/{owner's drive}/items/{id}` (and below it,
//! for a folder): reads with either role, changes only with `write`; anything else in that drive
//! is `404 itemNotFound`, and a change beyond a `read` role `403 accessDenied`.

use axum::http::StatusCode;
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use super::table::Verb;
use super::{json, no_content, redirect, Call};
use crate::onedrive::address::{ItemAddress, Target};
use crate::onedrive::errors::GraphError;
use crate::onedrive::model::{DriveFacts, DriveItem, Links, Permission, Publication};
use crate::store::sharing::{LinkKind, LinkScope, Role};
use crate::store::{DriveView, ItemView, NewInvitation, NewLink, PermissionView};

/// Recipients one `invite` may name: a bound on the work a request asks for. The service's own
/// limit is not documented.
const MAX_RECIPIENTS: usize = 100;
/// `invite`'s `message` limit (<https://learn.microsoft.com/en-us/graph/api/driveitem-invite>).
const MAX_MESSAGE: usize = 2000;

fn invalid(message: impl Into<String>) -> GraphError {
    GraphError::InvalidRequest(message.into().into())
}

/// A JSON body, or Graph's answer to one it cannot read.
fn body<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, GraphError> {
    serde_json::from_slice(bytes).map_err(|_| {
        GraphError::BadRequest(
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.".into(),
        )
    })
}

/// An optional expiry, which must lie ahead on the emulator's clock.
fn expiry(value: Option<&str>, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, GraphError> {
    let Some(value) = value else {
        return Ok(None);
    };
    let at = DateTime::parse_from_rfc3339(value)
        .map_err(|_| invalid(format!("Invalid expirationDateTime '{value}'.")))?
        .with_timezone(&Utc);
    if at <= now {
        return Err(invalid("The expirationDateTime must be in the future."));
    }
    Ok(Some(at))
}

/// The body of `createLink`. The SDKs also send `retainInheritedPermissions`,
/// `sendNotification`, `recipients` and `message`; they are accepted and change nothing.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateLinkBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    scope: Option<String>,
    password: Option<String>,
    expiration_date_time: Option<String>,
}

/// `POST {item}/createLink`: `201` with a new link, `200` with the live one of that type and
/// scope the item has already.
pub(super) fn create_link(
    call: &Call,
    item: &ItemAddress,
    bytes: &[u8],
) -> Result<Response, GraphError> {
    let request: CreateLinkBody = body(bytes)?;
    let kind = match request
        .kind
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("view") => LinkKind::View,
        Some("edit") => LinkKind::Edit,
        Some("embed") => {
            return Err(invalid(
                "Embed links are only supported on OneDrive for consumers.",
            ))
        }
        Some(other) => return Err(invalid(format!("Invalid link type '{other}'."))),
        None => return Err(invalid("The link type is required.")),
    };
    // Absent, the tenant's default, which is `organization` in a new tenant.
    let scope = match request
        .scope
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("organization") => LinkScope::Organization,
        Some("anonymous") => LinkScope::Anonymous,
        Some("users") => LinkScope::Users,
        Some(other) => return Err(invalid(format!("Invalid link scope '{other}'."))),
    };
    if request.password.is_some_and(|p| !p.is_empty()) {
        return Err(invalid(
            "Passwords on sharing links are only supported on OneDrive for consumers.",
        ));
    }
    let expires = expiry(request.expiration_date_time.as_deref(), call.links.now)?;
    let id = call.item_id(item)?;
    let link = NewLink {
        kind,
        scope,
        expires,
    };
    let (view, created) = call.store.create_link(&call.space, id, link)?;
    let status = match created {
        true => StatusCode::CREATED,
        false => StatusCode::OK,
    };
    json(status, &Permission::new(&view, &call.links), &call.query)
}

fn collection(call: &Call, views: &[PermissionView]) -> Result<Response, GraphError> {
    let value: Vec<Permission> = (views.iter())
        .map(|v| Permission::new(v, &call.links))
        .collect();
    json(
        StatusCode::OK,
        &json!({ "value": value }),
        &Default::default(),
    )
}

/// `GET {item}/permissions`.
pub(super) fn list_permissions(call: &Call, item: &ItemAddress) -> Result<Response, GraphError> {
    let id = call.item_id(item)?;
    let views = call.store.permissions(&call.space, id)?;
    collection(call, &views)
}

/// `GET {item}/permissions/{id}`.
pub(super) fn get_permission(
    call: &Call,
    item: &ItemAddress,
    permission: &str,
    _body: &[u8],
) -> Result<Response, GraphError> {
    let id = call.item_id(item)?;
    let view = call.store.permission(&call.space, id, permission)?;
    json(
        StatusCode::OK,
        &Permission::new(&view, &call.links),
        &call.query,
    )
}

#[derive(Deserialize)]
struct UpdatePermissionBody {
    roles: Option<Vec<String>>,
}

/// One role from a `roles` list: `read` or `write` (the higher wins when both are named).
fn role(roles: Option<&[String]>) -> Result<Role, GraphError> {
    let roles = roles
        .filter(|r| !r.is_empty())
        .ok_or_else(|| invalid("The roles are required."))?;
    let mut best = None;
    for role in roles {
        let role = match role.to_ascii_lowercase().as_str() {
            "read" => Role::Read,
            "write" => Role::Write,
            _ => return Err(invalid(format!("Invalid role '{role}'."))),
        };
        best = best.max(Some(role));
    }
    best.ok_or_else(|| invalid("The roles are required."))
}

/// `PATCH {item}/permissions/{id}`: only `roles` can change
/// (<https://learn.microsoft.com/en-us/graph/api/permission-update>).
pub(super) fn update_permission(
    call: &Call,
    item: &ItemAddress,
    permission: &str,
    bytes: &[u8],
) -> Result<Response, GraphError> {
    let request: UpdatePermissionBody = body(bytes)?;
    let role = role(request.roles.as_deref())?;
    let id = call.item_id(item)?;
    let view = call
        .store
        .update_permission(&call.space, id, permission, role)?;
    json(
        StatusCode::OK,
        &Permission::new(&view, &call.links),
        &call.query,
    )
}

/// `DELETE {item}/permissions/{id}`: `204`; a link stops working at once.
pub(super) fn delete_permission(
    call: &Call,
    item: &ItemAddress,
    permission: &str,
    _body: &[u8],
) -> Result<Response, GraphError> {
    let id = call.item_id(item)?;
    call.store.delete_permission(&call.space, id, permission)?;
    Ok(no_content())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Recipient {
    email: Option<String>,
    alias: Option<String>,
    object_id: Option<String>,
}

/// The body of `invite`. `sendInvitation` and `retainInheritedPermissions` are accepted and
/// change nothing: the emulator sends no mail.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InviteBody {
    recipients: Option<Vec<Recipient>>,
    roles: Option<Vec<String>>,
    require_sign_in: Option<bool>,
    message: Option<String>,
    expiration_date_time: Option<String>,
    password: Option<String>,
}

/// `POST {item}/invite`: `200` with one permission per recipient.
pub(super) fn invite(
    call: &Call,
    item: &ItemAddress,
    bytes: &[u8],
) -> Result<Response, GraphError> {
    let request: InviteBody = body(bytes)?;
    let recipients = (request.recipients)
        .filter(|r| !r.is_empty())
        .ok_or_else(|| invalid("At least one recipient is required."))?;
    if recipients.len() > MAX_RECIPIENTS {
        return Err(invalid(format!(
            "At most {MAX_RECIPIENTS} recipients can be invited at once."
        )));
    }
    if request
        .message
        .is_some_and(|m| m.chars().count() > MAX_MESSAGE)
    {
        return Err(invalid(format!(
            "The message is longer than {MAX_MESSAGE} characters."
        )));
    }
    if request.password.is_some_and(|p| !p.is_empty()) {
        return Err(invalid(
            "Passwords on invitations are only supported on OneDrive for consumers.",
        ));
    }
    let role = role(request.roles.as_deref())?;
    let expires = expiry(request.expiration_date_time.as_deref(), call.links.now)?;
    let mut users = Vec::with_capacity(recipients.len());
    for recipient in &recipients {
        let key = (recipient.email.as_deref())
            .or(recipient.alias.as_deref())
            .or(recipient.object_id.as_deref())
            .filter(|k| !k.is_empty())
            .ok_or_else(|| invalid("A recipient needs an email, an alias or an objectId."))?;
        let user = call.store.user(key).ok_or_else(|| {
            invalid(format!(
                "The recipient '{key}' is not a user of this tenant."
            ))
        })?;
        let email = recipient
            .email
            .clone()
            .unwrap_or_else(|| user.login.clone());
        users.push((user, email));
    }
    let id = call.item_id(item)?;
    let invitation = NewInvitation {
        users,
        role,
        sign_in_required: request.require_sign_in.unwrap_or(true),
        expires,
    };
    let views = call.store.invite(&call.space, id, invitation)?;
    collection(call, &views)
}

/// The links of a reply about an item in `drive`, which need not be the request's.
fn links_for<'a>(call: &'a Call, facts: &'a DriveFacts) -> Links<'a> {
    Links {
        drive: facts,
        ..call.links
    }
}

/// `GET {drive}/sharedWithMe`: the items others invited the caller to, each with a
/// `remoteItem` that says where it lives
/// (<https://learn.microsoft.com/en-us/graph/api/drive-sharedwithme>).
pub(super) fn shared_with_me(call: &Call) -> Result<Response, GraphError> {
    let shared = call.store.shared_with(&call.grant.user)?;
    let mut value = Vec::with_capacity(shared.len());
    for (entry, drive) in &shared {
        let facts = DriveFacts::new(drive, call.links.origin);
        let links = links_for(call, &facts);
        let item = DriveItem::new(&entry.item, &links, false);
        let mut item = serde_json::to_value(&item).map_err(|_| GraphError::GeneralException)?;
        let mut remote = json!({
            "id": item["id"],
            "name": item["name"],
            "size": item["size"],
            "webUrl": item["webUrl"],
            "parentReference": {"driveId": facts.id, "driveType": facts.drive_type},
        });
        for facet in ["file", "folder"] {
            if let Some(value) = item.get(facet) {
                remote[facet] = value.clone();
            }
        }
        item["remoteItem"] = remote;
        value.push(item);
    }
    json(
        StatusCode::OK,
        &json!({ "value": value }),
        &Default::default(),
    )
}

/// The permission id a share names: `s!{token}`, or `u!` and a sharing URL of ours in unpadded
/// base64url (padding tolerated).
fn share_permission(call: &Call, share: &str) -> Result<String, GraphError> {
    let token = if let Some(token) = share.strip_prefix("s!") {
        token.to_owned()
    } else if let Some(encoded) = share.strip_prefix("u!") {
        let bytes = URL_SAFE_NO_PAD
            .decode(encoded.trim_end_matches('='))
            .map_err(|_| GraphError::ItemNotFound)?;
        let url = String::from_utf8(bytes).map_err(|_| GraphError::ItemNotFound)?;
        let (_, token) = url.split_once("/_share/").ok_or(GraphError::ItemNotFound)?;
        token
            .split(['?', '#', '/'])
            .next()
            .unwrap_or_default()
            .to_owned()
    } else {
        return Err(GraphError::ItemNotFound);
    };
    call.links
        .signer
        .share_claim(&token)
        .ok_or(GraphError::ItemNotFound)
}

/// The item a share opens and its drive; an unknown, deleted or expired share is `404
/// itemNotFound` (the recommended reading of an undocumented case).
fn shared(call: &Call, share: &str) -> Result<(ItemView, DriveView), GraphError> {
    let permission = share_permission(call, share)?;
    let (item, drive) = call.store.linked_item(&permission)?;
    call.touch(item.id);
    Ok((item, drive))
}

/// `GET /shares/{id}`: the sharedDriveItem.
pub(super) fn get_share(call: &Call, share: &str) -> Result<Response, GraphError> {
    let (item, drive) = shared(call, share)?;
    let owner = match &drive {
        DriveView::Personal(user) => user.clone(),
        DriveView::Shared(_) => item.created_by.clone(),
    };
    let body = json!({
        "id": share,
        "name": item.name,
        "owner": {"user": {"id": owner.id, "displayName": owner.name}},
    });
    json(StatusCode::OK, &body, &call.query)
}

/// `GET /shares/{id}/driveItem`: the shared item, as its own drive shows it.
pub(super) fn get_shared_item(call: &Call, share: &str) -> Result<Response, GraphError> {
    let (item, drive) = shared(call, share)?;
    let facts = DriveFacts::new(&drive, call.links.origin);
    let links = links_for(call, &facts);
    json(
        StatusCode::OK,
        &DriveItem::new(&item, &links, true),
        &call.query,
    )
}

/// `GET /shares/{id}/driveItem/content`: a `302` to the file's bytes, as `{item}/content` does.
pub(super) fn shared_content(call: &Call, share: &str) -> Result<Response, GraphError> {
    let (item, _) = shared(call, share)?;
    let file = item.file().ok_or(GraphError::ItemNotFound)?;
    redirect(call.links.redirect_url(&file.current))
}

/// What `GET {item}` adds on request: the `publication` facet when `$select` names it, the
/// permissions with `$expand=permissions`.
pub(super) fn add_facets<'a>(
    call: &Call,
    view: &'a ItemView,
    item: &mut DriveItem<'a>,
) -> Result<(), GraphError> {
    if call.query.selects("publication") {
        item.publication = Publication::of(view);
    }
    if expands(call.raw_query, "permissions") {
        let views = call.store.permissions(&call.space, view.id)?;
        item.permissions = Some(
            (views.iter())
                .map(|v| Permission::new(v, &call.links))
                .collect(),
        );
    }
    Ok(())
}

/// Whether `$expand` (or `expand`) lists `name`, with or without nested options.
fn expands(raw_query: Option<&str>, name: &str) -> bool {
    raw_query.unwrap_or_default().split('&').any(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_encoding::percent_decode_str(key).decode_utf8_lossy();
        let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
        (key.eq_ignore_ascii_case("$expand") || key.eq_ignore_ascii_case("expand"))
            && value.split(',').any(|e| {
                let e = e.trim();
                let e = e.split('(').next().unwrap_or(e);
                e.eq_ignore_ascii_case(name)
            })
    })
}

/// Lets a user invited into another user's drive at what they were invited to: any item at or
/// below an invitation, read with either role, changed only with `write`. The drive itself,
/// and every other item in it, stay the owner's.
pub(super) fn admit_guest(call: &Call, target: &Target, verb: Verb) -> Result<(), GraphError> {
    let item = match target {
        Target::Item { item, .. }
        | Target::Version { item, .. }
        | Target::Permission { item, .. } => item,
        _ => return Err(GraphError::AccessDenied),
    };
    // An address below the item that does not exist yet (an upload's new name) is judged by
    // the item it starts from: an invitation reaches everything below it.
    let id = match call.item_id(item) {
        Err(GraphError::ItemNotFound) if !item.path.is_empty() => call.base_id(&item.base)?,
        other => other?,
    };
    let role = call
        .store
        .guest_role(&call.space, id)?
        .ok_or(GraphError::ItemNotFound)?;
    match (verb, role) {
        (Verb::Get, _) | (_, Role::Write) => Ok(()),
        (_, Role::Read) => Err(GraphError::AccessDenied),
    }
}
