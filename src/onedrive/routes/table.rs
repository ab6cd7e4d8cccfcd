//! The Graph face's dispatch table: which handler answers each (route, method), and from the same
//! rows the `Allow` header and the `405` for every other method.
//!
//! A request is parsed once (`address::parse`) into a typed [`Target`]: ids are `ItemId`s,
//! version labels `VersionRef`s. [`Route::of`] names the target without its arguments, and
//! [`ROUTES`] maps (route, verb) to a [`Handler`]. The dispatcher in `routes/mod.rs` looks the
//! row up, resolves the drive, reads the body as the handler's kind says, and calls it.
//!
//! # Adding an operation
//! 1. If the path is new, teach `address.rs` to read it: a variant of `ItemOp` or `VersionOp`
//!    (and its segment in `address::operation`), and its case in [`Route::of`].
//! 2. Write the handler, next to its kin (`versions.rs`, `items.rs`, …): one store call, one
//!    reply. Its signature is one of [`Handler`]'s kinds, which says what it is given: the item's
//!    address, the version label, the buffered body or the hashed content.
//! 3. Add one row to [`ROUTES`]. `Allow` and `405` follow from the rows; a handler whose kind
//!    does not fit its route (a version handler on an item route) does not compile.

use axum::http::Method;
use axum::response::Response;

use super::{content, delta, drives, items, sessions, users, versions, Call};
use crate::onedrive::address::{ItemAddress, ItemOp, Target, VersionLabel, VersionOp};
use crate::onedrive::errors::GraphError;
use crate::store::content::Content;

/// What a handler answers.
pub(super) type Reply = Result<Response, GraphError>;

/// A target without its arguments: the table's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Route {
    Profile,
    Drives,
    Drive,
    Site,
    Item(ItemOp),
    Version(VersionOp),
}

impl Route {
    pub fn of(target: &Target) -> Self {
        match target {
            Target::Profile => Self::Profile,
            Target::Drives => Self::Drives,
            Target::Drive => Self::Drive,
            Target::Site => Self::Site,
            Target::Item { op, .. } => Self::Item(*op),
            Target::Version { op, .. } => Self::Version(*op),
        }
    }
}

/// The methods the face answers. `HEAD` is a `GET` whose body hyper leaves out, so the `GET` row
/// serves it; any other method is no row's and gets `405`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verb {
    Get,
    Put,
    Post,
    Patch,
    Delete,
}

impl Verb {
    pub fn of(method: &Method) -> Option<Self> {
        Some(match *method {
            Method::GET | Method::HEAD => Self::Get,
            Method::PUT => Self::Put,
            Method::POST => Self::Post,
            Method::PATCH => Self::Patch,
            Method::DELETE => Self::Delete,
            _ => return None,
        })
    }

    /// The methods this verb stands for in `Allow`.
    fn allows(self) -> &'static str {
        match self {
            Self::Get => "GET, HEAD",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

/// A handler, by what it is given besides the `Call`. The kind also says what becomes of the
/// body: kinds without one leave it unread (the transport then closes the connection).
#[derive(Clone, Copy)]
pub(super) enum Handler {
    /// A user, a list of drives, a drive or a site: all it needs is in the `Call`.
    Drive(fn(&Call) -> Reply),
    Item(fn(&Call, &ItemAddress) -> Reply),
    /// The body buffered under the limit (a JSON body, usually).
    ItemWithBody(fn(&Call, &ItemAddress, &[u8]) -> Reply),
    /// The body buffered and hashed as file content, off the async worker when it is large.
    ItemWithContent(fn(&Call, &ItemAddress, Content) -> Reply),
    Version(fn(&Call, &ItemAddress, VersionLabel) -> Reply),
    /// An action on a version: any body or none is accepted, as the SDKs differ in what they
    /// send (the docs say none: <https://learn.microsoft.com/en-us/graph/api/driveitemversion-restore>),
    /// and it is read all the same so that the connection stays usable.
    VersionAction(fn(&Call, &ItemAddress, VersionLabel) -> Reply),
}

/// One row: `verb` on `route` is answered by `handler`.
pub(super) struct Row(pub Route, pub Verb, pub Handler);

/// Every operation of the Graph face. Within a route, rows are in the order `Allow` lists them.
pub(super) const ROUTES: &[Row] = &[
    Row(Route::Profile, Verb::Get, Handler::Drive(users::get_user)),
    Row(
        Route::Drives,
        Verb::Get,
        Handler::Drive(drives::list_drives),
    ),
    Row(Route::Drive, Verb::Get, Handler::Drive(drives::get_drive)),
    Row(Route::Site, Verb::Get, Handler::Drive(drives::get_site)),
    Row(ITEM, Verb::Get, Handler::Item(items::get_item)),
    Row(ITEM, Verb::Patch, Handler::ItemWithBody(items::update_item)),
    Row(ITEM, Verb::Delete, Handler::Item(items::delete_item)),
    Row(CONTENT, Verb::Get, Handler::Item(content::download)),
    Row(
        CONTENT,
        Verb::Put,
        Handler::ItemWithContent(content::upload),
    ),
    Row(CHILDREN, Verb::Get, Handler::Item(items::list_children)),
    Row(
        CHILDREN,
        Verb::Post,
        Handler::ItemWithBody(items::create_folder),
    ),
    Row(VERSIONS, Verb::Get, Handler::Item(versions::list_versions)),
    Row(DELTA, Verb::Get, Handler::Item(delta::delta)),
    Row(VERSION, Verb::Get, Handler::Version(versions::get_version)),
    Row(
        VERSION,
        Verb::Delete,
        Handler::Version(versions::delete_version),
    ),
    Row(
        VERSION_CONTENT,
        Verb::Get,
        Handler::Version(versions::version_content),
    ),
    Row(
        RESTORE,
        Verb::Post,
        Handler::VersionAction(versions::restore_version),
    ),
    Row(
        UPLOAD_SESSION,
        Verb::Post,
        Handler::ItemWithBody(sessions::create_upload_session),
    ),
];

const ITEM: Route = Route::Item(ItemOp::Item);
const CONTENT: Route = Route::Item(ItemOp::Content);
const CHILDREN: Route = Route::Item(ItemOp::Children);
const VERSIONS: Route = Route::Item(ItemOp::Versions);
const DELTA: Route = Route::Item(ItemOp::Delta);
const UPLOAD_SESSION: Route = Route::Item(ItemOp::CreateUploadSession);
const VERSION: Route = Route::Version(VersionOp::Version);
const VERSION_CONTENT: Route = Route::Version(VersionOp::Content);
const RESTORE: Route = Route::Version(VersionOp::Restore);

// Every handler is given what its route's target carries: checked as the crate compiles, so the
// dispatcher's match on (handler, target) has no case a request can reach unanswered.
const _: () = {
    let mut i = 0;
    while i < ROUTES.len() {
        assert!(ROUTES[i].fits(), "a row's handler does not fit its route");
        i += 1;
    }
};

impl Row {
    const fn fits(&self) -> bool {
        let drive_route = matches!(
            self.0,
            Route::Profile | Route::Drives | Route::Drive | Route::Site
        );
        match self.2 {
            Handler::Drive(_) => drive_route,
            Handler::Item(_) | Handler::ItemWithBody(_) | Handler::ItemWithContent(_) => {
                matches!(self.0, Route::Item(_))
            }
            Handler::Version(_) | Handler::VersionAction(_) => matches!(self.0, Route::Version(_)),
        }
    }
}

/// The row that answers `method` on `route`, or the `405` that lists the methods it takes.
pub(super) fn find(route: Route, method: &Method) -> Result<&'static Row, GraphError> {
    let verb = Verb::of(method);
    ROUTES
        .iter()
        .find(|Row(r, v, _)| *r == route && Some(*v) == verb)
        .ok_or_else(|| GraphError::MethodNotAllowed {
            allow: allow(route).into(),
        })
}

/// `Allow` for `route`: its rows' methods, in table order. Only a `405` needs it.
fn allow(route: Route) -> String {
    let mut allow = String::new();
    for Row(_, verb, _) in ROUTES.iter().filter(|Row(r, _, _)| *r == route) {
        if !allow.is_empty() {
            allow.push_str(", ");
        }
        allow.push_str(verb.allows());
    }
    allow
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_lists_each_routes_methods_in_table_order() {
        for (route, expected) in [
            (Route::Drive, "GET, HEAD"),
            (ITEM, "GET, HEAD, PATCH, DELETE"),
            (CONTENT, "GET, HEAD, PUT"),
            (CHILDREN, "GET, HEAD, POST"),
            (VERSION, "GET, HEAD, DELETE"),
            (RESTORE, "POST"),
            (UPLOAD_SESSION, "POST"),
        ] {
            assert_eq!(allow(route), expected, "{route:?}");
        }
    }

    #[test]
    fn no_route_and_verb_has_two_rows() {
        for (i, Row(route, verb, _)) in ROUTES.iter().enumerate() {
            let twin = ROUTES[i + 1..]
                .iter()
                .any(|Row(r, v, _)| r == route && v == verb);
            assert!(!twin, "{verb:?} {route:?} has two rows");
        }
    }

    #[test]
    fn head_is_served_by_get_and_unknown_methods_by_no_row() {
        assert_eq!(Verb::of(&Method::HEAD), Some(Verb::Get));
        let purge = Method::from_bytes(b"PURGE").unwrap();
        let refused = find(ITEM, &purge).err().map(|e| e.status().as_u16());
        assert_eq!(refused, Some(405));
    }
}
