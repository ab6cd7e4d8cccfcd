//! Drives and sites: which drive a path's drive root names (resolved once per request, with the
//! membership and scope rules), `GET` a drive, a list of drives, or a site.
//!
//! A user's own drive needs the scopes every request needs. Any other drive (a group's or a
//! site's library) also needs a `.All` scope when the token is restricted: delegated
//! `Files.Read`/`Files.ReadWrite` cover the signed-in user's own files only
//! (<https://learn.microsoft.com/en-us/graph/permissions-reference>, the `Files.*` entries).
//! An app acting with application permissions is held to its roles alone, never to a group's or
//! site's members, and reaches every user's drive.

use axum::http::StatusCode;
use axum::response::Response;

use super::{json, json_collection, Call};
use crate::onedrive::address::{DriveRoot, Owner};
use crate::onedrive::errors::GraphError;
use crate::onedrive::model::{Collection, Drive, DriveFacts, Links, Site};
use crate::store::{DriveAccess, DriveHolder, DriveView, Grant, SpaceOwner, VersionStore};
use crate::upload_session::Session;

/// What reading a shared drive takes from a restricted token.
const SHARED_READ: &[&str] = &[
    "Files.Read.All",
    "Files.ReadWrite.All",
    "Sites.Read.All",
    "Sites.ReadWrite.All",
];
/// What changing one takes.
const SHARED_WRITE: &[&str] = &["Files.ReadWrite.All", "Sites.ReadWrite.All"];

/// The store's name for what owns the drives a path names; `None` for `/drives/{id}`.
fn holder(owner: &Owner, grant: &Grant) -> Option<DriveHolder> {
    Some(match owner {
        Owner::Any => return None,
        Owner::Me => DriveHolder::User(grant.user.id.clone()),
        Owner::User(user) => DriveHolder::User(user.clone()),
        Owner::Group(group) => DriveHolder::Group(group.clone()),
        Owner::Site(site) => DriveHolder::Site(site.clone()),
        Owner::GroupSite(group) => DriveHolder::GroupSite(group.clone()),
    })
}

/// The drive a drive root names, if the caller may reach it: their own, a group's or site's
/// default library or one by id among its drives, or any drive by id (`/drives/{id}`).
pub(super) fn resolve(
    store: &dyn VersionStore,
    grant: &Grant,
    root: &DriveRoot,
    writes: bool,
    hide: bool,
) -> Result<DriveView, GraphError> {
    let refused = |e| GraphError::finding_drive(e, hide);
    let holder = holder(&root.owner, grant);
    // Checked before the store is asked too (it makes a group or site on first use), so that a
    // refused request changes nothing; only a user's drives are reached without `.All`.
    if let Some(holder) = &holder {
        check_scopes(grant, personal(holder), writes)?;
    }
    let drive = match (holder, &root.drive_id) {
        // The caller's own drive needs no store call: every user has one.
        (Some(DriveHolder::User(me)), None) if me == grant.user.id => {
            DriveView::Personal(grant.user.clone())
        }
        (None, Some(id)) => store.drive(id, reach(grant)).map_err(refused)?,
        (None, None) => return Err(GraphError::ItemNotFound),
        (Some(holder), id) => {
            let drives = store.drives(&holder, reach(grant)).map_err(refused)?;
            let found = match id {
                None => drives.into_iter().next(),
                Some(id) => drives.into_iter().find(|d| d.id() == *id),
            };
            found.ok_or(GraphError::ItemNotFound)?
        }
    };
    let own = matches!(&drive, DriveView::Personal(user) if user.id == grant.user.id);
    check_scopes(grant, own, writes)?;
    Ok(drive)
}

/// The drive an upload session writes to, for its commit (a reply made outside a request's own
/// resolution). The session's creator reached it then; if they were removed from its group
/// since, the commit is refused as any of their requests would be.
pub(crate) fn of_space(
    store: &dyn VersionStore,
    session: &Session,
    hide: bool,
) -> Result<DriveView, GraphError> {
    let space = &session.space;
    Ok(match &space.owner {
        SpaceOwner::User(user) => DriveView::Personal(user.clone()),
        SpaceOwner::Drive(id) => store
            .drive(id, DriveAccess::of(&space.actor, session.by_app))
            .map_err(|e| GraphError::finding_drive(e, hide))?,
    })
}

/// Whose reach the store checks a drive against. An app with application permissions reaches
/// every user's, group's and site's drives, as a real app granted `Files.ReadWrite.All` or
/// `Sites.ReadWrite.All` does; what its roles allow is checked here (`check_scopes`), so a
/// read-only role (`Files.Read.All`, `Sites.Read.All`) reads them and is refused writes. A
/// delegated token is held to the members of a group or site.
fn reach(grant: &Grant) -> DriveAccess<'_> {
    DriveAccess::of(&grant.user, grant.is_app())
}

/// Whether a holder's drives are a user's: the scope rule lets those through before the store is
/// asked (another user's own drive the store then refuses, whatever the scopes).
fn personal(holder: &DriveHolder) -> bool {
    matches!(holder, DriveHolder::User(_))
}

/// Refuses a restricted token without a `.All` scope on a drive that is not the caller's own.
fn check_scopes(grant: &Grant, own: bool, writes: bool) -> Result<(), GraphError> {
    let wanted = if writes { SHARED_WRITE } else { SHARED_READ };
    if own || grant.has_any_scope(wanted) {
        Ok(())
    } else {
        Err(GraphError::AccessDenied)
    }
}

/// `GET /me/drive`, `/groups/{g}/drive`, `/drives/{id}`, …: the SDK's first call, to learn the
/// drive id.
pub(super) fn get_drive(call: &Call) -> Result<Response, GraphError> {
    let root = call.store.root(&call.space)?;
    json(
        StatusCode::OK,
        &Drive::new(call.drive, &root, &call.links),
        &call.query,
    )
}

/// `GET /me/drives`, `/drives` (the caller's one drive, as most users have: "Most users will only
/// have a single Drive resource"), and `/users/{u}/drives`, `/groups/{g}/drives`,
/// `/sites/{s}/drives` (a site's libraries, the default first).
pub(super) fn list_drives(call: &Call) -> Result<Response, GraphError> {
    let grant = call.grant;
    let holder =
        holder(call.owner, grant).unwrap_or_else(|| DriveHolder::User(grant.user.id.clone()));
    check_scopes(grant, personal(&holder), false)?;
    let drives = call
        .store
        .drives(&holder, reach(grant))
        .map_err(|e| GraphError::finding_drive(e, call.hide_unreachable_drives))?;
    // Each drive's root, for its size and dates, and the facts its links are built from.
    let mut described = Vec::with_capacity(drives.len());
    for drive in &drives {
        let space = drive.space(&grant.user);
        let root = call.store.root(&space)?;
        described.push((drive, root, DriveFacts::new(drive, call.links.origin)));
    }
    let value = described
        .iter()
        .map(|(drive, root, facts)| {
            let links = Links {
                drive: facts,
                ..call.links
            };
            Drive {
                context: None,
                ..Drive::new(drive, root, &links)
            }
        })
        .collect();
    let body = Collection {
        context: format!("{}{}/$metadata#drives", call.links.origin, call.links.base),
        value,
        next_link: None,
    };
    json_collection(&body, &call.query)
}

/// `GET /sites/{s}`, `/sites/root`, `/groups/{g}/sites/root`: the site, made on first use.
pub(super) fn get_site(call: &Call) -> Result<Response, GraphError> {
    let grant = call.grant;
    let holder = holder(call.owner, grant).ok_or(GraphError::ItemNotFound)?;
    check_scopes(grant, personal(&holder), false)?;
    let site = call
        .store
        .site(&holder, reach(grant))
        .map_err(|e| GraphError::finding_drive(e, call.hide_unreachable_drives))?;
    json(
        StatusCode::OK,
        &Site::new(&site, call.links.origin, call.links.base),
        &call.query,
    )
}
