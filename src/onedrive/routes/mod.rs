//! The Graph request dispatcher: admit the caller, parse the path (once, into typed values) and
//! the query, find the row of the dispatch table (`table.rs`) for the route and method, resolve
//! the drive (once, in `drives.rs`), then call the row's handler. Handlers live by operation in
//! `users.rs`, `drives.rs`, `items.rs`, `content.rs`, `versions.rs`, `sessions.rs`, `copy.rs`,
//! `search.rs` and `thumbnails.rs`; each makes one store call for its own work. To add an
//! operation, see `table.rs`. `batch.rs` answers `$batch` by sending each of its requests here.

pub(crate) mod batch;
mod checkout;
mod content;
mod copy;
mod delta;
mod drives;
mod items;
mod search;
pub(crate) mod sessions;
mod sharing;
mod subscriptions;
mod table;
mod thumbnails;
mod users;
mod versions;

use std::sync::OnceLock;

use axum::body::Body;
use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use serde::Serialize;

use super::address::{self, ItemAddress, ItemRef, Owner, Target};
use super::correlation::Correlation;
use super::errors::GraphError;
use super::model::{DriveFacts, Links};
use super::query::QueryOptions;
use super::select;
use crate::control::faults::dropped_connection;
use crate::control::journal::{Answered, Touched};
use crate::http::admission::{self, ScopeRules, Verdict};
use crate::http::body;
use crate::http::request_id::RequestId;
use crate::http::request_scope;
use crate::state::AppState;
use crate::store::content::{Hasher, Hashes};
use crate::store::{
    DriveView, Face, Grant, ItemId, ItemView, Space, SpecialFolder, VersionStore, Window,
};
use crate::upload_session::plain_body;
use table::{Handler, Route, Row, Verb};

/// Reads need `Files.Read` or wider; uploads, deletes, folder creation and restoreVersion need
/// `Files.ReadWrite` or wider (the "Permissions" table of each operation's page, e.g.
/// <https://learn.microsoft.com/en-us/graph/api/driveitemversion-restore>).
const SCOPES: ScopeRules = ScopeRules {
    read: &[
        "Files.Read",
        "Files.ReadWrite",
        "Files.Read.All",
        "Files.ReadWrite.All",
        "Sites.Read.All",
        "Sites.ReadWrite.All",
    ],
    write: &[
        "Files.ReadWrite",
        "Files.ReadWrite.All",
        "Sites.ReadWrite.All",
    ],
};

/// Every request under `base` (`/v1.0` or `/beta`, as the route that matched says). Nothing here
/// lets axum answer on its own: every failure, including refusals, body and path problems,
/// becomes a `GraphError` rendered in Graph's envelope, and every reply carries the correlation
/// headers.
pub(crate) async fn dispatch(
    state: AppState,
    origin: String,
    base: &'static str,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    answer_admitted(&state, &SCOPES, parts, async |grant, parts, _, id| {
        let work = Box::pin(handle(&state, &grant, &origin, base, id, parts, body));
        request_scope::run(state.store.clone(), work).await
    })
    .await
}

/// Admits a Graph request under `scopes` and has `serve` answer it once admitted (with the
/// caller, the request, its correlation headers and its id); a refusal, an injected fault or a
/// drop answers instead. Either way the reply goes out as `reply` makes it.
async fn answer_admitted(
    state: &AppState,
    scopes: &ScopeRules,
    parts: Parts,
    serve: impl AsyncFnOnce(Grant, Parts, &Correlation, RequestId) -> Result<Response, GraphError>,
) -> Response {
    let (answered, verdict) = admission::admit(state, Face::Graph, scopes, &parts).await;
    let correlation = Correlation::new(answered.request_id, &parts.headers);
    let result = match verdict {
        Verdict::Admitted(grant) => serve(grant, parts, &correlation, answered.request_id).await,
        Verdict::Refused(refusal) => Err(refusal.into()),
        Verdict::Dropped => Ok(dropped_connection()),
    };
    reply(state, answered, &correlation, result)
}

/// What became of a Graph request, as its reply: an error in Graph's envelope, the correlation
/// headers on every reply, and the journal's mark.
fn reply(
    state: &AppState,
    answered: Answered,
    correlation: &Correlation,
    result: Result<Response, GraphError>,
) -> Response {
    let mut response = result.unwrap_or_else(|error| error.render(correlation, state.clock.now()));
    correlation.write_headers(response.headers_mut());
    answered.mark(&mut response);
    response
}

async fn handle(
    state: &AppState,
    grant: &Grant,
    origin: &str,
    base: &'static str,
    request_id: RequestId,
    parts: Parts,
    body: Body,
) -> Result<Response, GraphError> {
    let path = parts.uri.path();
    // The route that matched starts with `base`.
    let rest = path.get(base.len()..).unwrap_or_default();
    // Subscriptions are not drive items: they answer before a drive address is parsed.
    if let Some(id) = subscriptions::path(rest) {
        let call = subscriptions::SubscriptionCall {
            state,
            grant,
            origin,
            base,
            request_id,
        };
        return subscriptions::handle(call, &parts.method, id, body::read(body).await?).await;
    }
    let address = address::parse(rest)?;
    // An app (client credentials, managed identity) has no signed-in user for `/me` to name.
    if grant.is_app() && address.drive.owner == Owner::Me {
        return Err(GraphError::BadRequest(
            "/me request is only valid with delegated authentication flow.".into(),
        ));
    }
    let query = QueryOptions::parse(parts.uri.query())?;
    // A method the address does not take is refused before its drive is resolved, which may
    // make a group or site: a refused request changes nothing.
    let Row(_, verb, handler) = table::find(Route::of(&address.target), &parts.method)?;
    // A profile names a user and a list or a site names no one drive: those work from the
    // caller's own drive. Every other address is resolved to its drive here, once.
    let drive = match address.target {
        Target::Profile
        | Target::Drives
        | Target::Site
        | Target::SharedWithMe
        | Target::Share { .. } => DriveView::Personal(grant.user.clone()),
        Target::Drive
        | Target::Item { .. }
        | Target::Version { .. }
        | Target::Permission { .. } => {
            let hide = state.hide_unreachable_drives;
            let writes = *verb != Verb::Get;
            drives::resolve(&*state.store, grant, &address.drive, writes, hide)?
        }
    };
    let facts = DriveFacts::new(&drive, origin);
    let call = Call {
        state,
        store: &*state.store,
        hide_unreachable_drives: state.hide_unreachable_drives,
        grant,
        owner: &address.drive.owner,
        drive: &drive,
        space: drive.space(&grant.user),
        links: Links {
            origin,
            base,
            drive: &facts,
            signer: &state.links,
            now: state.clock.now(),
        },
        path,
        raw_query: parts.uri.query(),
        query,
        headers: &parts.headers,
        writes: *verb != Verb::Get,
        touched: OnceLock::new(),
    };
    // A user invited into another user's drive reaches the items they were invited to, as far
    // as their role goes. An app with application permissions reaches every user's drive.
    if !grant.is_app() && matches!(&drive, DriveView::Personal(owner) if owner.id != grant.user.id)
    {
        sharing::admit_guest(&call, &address.target, *verb)?;
    }
    let response = match (*handler, &address.target) {
        (Handler::Drive(handle), _) => handle(&call),
        (Handler::Item(handle), Target::Item { item, .. }) => handle(&call, item),
        (Handler::ItemWithBody(handle), Target::Item { item, .. }) => {
            handle(&call, item, &body::read(body).await?)
        }
        (Handler::ItemWithContent(handle), Target::Item { item, .. }) => {
            // A coded body would be stored still coded: refused, as a session's fragment is.
            plain_body(&parts.headers)?;
            let mut hasher = Hasher::new(Hashes::of_upload_to(Face::Graph));
            let bytes = body::read_each(body, |piece| hasher.update(piece)).await?;
            handle(&call, item, hasher.finish(bytes))
        }
        (Handler::Version(handle), Target::Version { item, version, .. }) => {
            handle(&call, item, *version)
        }
        (Handler::VersionAction(handle), Target::Version { item, version, .. }) => {
            body::read(body).await?;
            handle(&call, item, *version)
        }
        (Handler::Permission(handle), Target::Permission { item, permission }) => {
            handle(&call, item, permission, &body::read(body).await?)
        }
        (Handler::Share(handle), Target::Share { share, .. }) => handle(&call, share),
        // No row pairs these: the table's compile-time check rules them out.
        _ => Err(GraphError::GeneralException),
    }?;
    Ok(match call.touched.get() {
        Some(id) => Touched::mark(*id, response),
        None => response,
    })
}

/// What a handler needs to know about its request.
pub(super) struct Call<'a> {
    pub state: &'a AppState,
    pub store: &'a dyn VersionStore,
    /// `--hide-unreachable-drives`: 404 rather than 403 for a drive the caller may not reach.
    pub hide_unreachable_drives: bool,
    pub grant: &'a Grant,
    /// Who the path's drive root names (`/me`, `/users/{u}`, `/groups/{g}`, …).
    pub owner: &'a Owner,
    /// The drive the request acts in: the one its path names, or the caller's own for a
    /// profile, a list of drives or a site.
    pub drive: &'a DriveView,
    /// The drive's files, acted on by the caller (`space.actor`).
    pub space: Space,
    pub links: Links<'a>,
    /// The raw request path, for `@odata.nextLink`.
    pub path: &'a str,
    pub raw_query: Option<&'a str>,
    pub query: QueryOptions,
    pub headers: &'a HeaderMap,
    /// Whether the method changes something (anything but `GET` and `HEAD`).
    pub writes: bool,
    /// The first item the request resolved, which is the one it acts on (or the folder it
    /// creates in): the journal links the entry to it. A `OnceLock` as the call is held across
    /// the body's `.await`, so it must be `Sync`.
    pub touched: OnceLock<ItemId>,
}

impl Call<'_> {
    fn base_id(&self, base: &ItemRef) -> Result<ItemId, GraphError> {
        match base {
            ItemRef::Root => Ok(self.store.root_id(&self.space)?),
            ItemRef::Id(id) => Ok(*id),
            // The app folder is made by any access; the others by a write, and until then a
            // read finds nothing (<https://learn.microsoft.com/en-us/graph/api/drive-get-specialfolder>).
            ItemRef::Special(folder) => {
                let create = *folder == SpecialFolder::AppRoot || self.writes;
                Ok(self.store.special_folder(&self.space, *folder, create)?)
            }
            ItemRef::Unknown => Err(GraphError::ItemNotFound),
        }
    }

    /// The id an address names, for operations that need no more than that. A path is resolved
    /// in its own store call before the operation's; if the item goes away in between, the
    /// operation finds no item and answers 404, which is what a client racing a delete sees anyway.
    fn item_id(&self, item: &ItemAddress) -> Result<ItemId, GraphError> {
        let base = self.base_id(&item.base)?;
        let id = match item.path.is_empty() {
            true => base,
            false => self.store.resolve(&self.space, base, &item.path)?.id,
        };
        Ok(self.touch(id))
    }

    /// Notes `id` as the item this request acted on.
    fn touch(&self, id: ItemId) -> ItemId {
        // Only the first counts: later ones are the same item or one made below it.
        let _ = self.touched.set(id);
        id
    }

    /// The item an address names, as the store shows it.
    fn item_view(&self, item: &ItemAddress) -> Result<ItemView, GraphError> {
        let view = match (&item.base, item.path.is_empty()) {
            (ItemRef::Root, true) => self.store.root(&self.space)?,
            (_, true) => self.store.item(&self.space, self.base_id(&item.base)?)?,
            (base, false) => {
                let base = self.base_id(base)?;
                self.store.resolve(&self.space, base, &item.path)?
            }
        };
        self.touch(view.id);
        Ok(view)
    }

    /// The slice of a listing this request asks for.
    fn window(&self, default_limit: usize) -> Window {
        Window {
            offset: self.query.skip,
            limit: self.query.top.unwrap_or(default_limit),
        }
    }

    /// `@odata.nextLink` when entries remain after this page: this request's absolute URL with its
    /// query kept and `$skiptoken` set to where the next page starts
    /// (<https://learn.microsoft.com/en-us/graph/paging>).
    fn next_link(&self, window: Window, returned: usize, total: usize) -> Option<String> {
        let next = window.offset + returned;
        if returned == 0 || next >= total {
            return None;
        }
        let mut link = format!("{}{}?", self.links.origin, self.path);
        for pair in self.raw_query.unwrap_or_default().split('&') {
            let key = pair.split_once('=').map_or(pair, |(key, _)| key);
            let key = percent_decode_str(key).decode_utf8_lossy();
            let paging = ["$skiptoken", "$skip"]
                .iter()
                .any(|p| key.eq_ignore_ascii_case(p));
            if !pair.is_empty() && !paging {
                link.push_str(pair);
                link.push('&');
            }
        }
        link.push_str("$skiptoken=");
        link.push_str(&next.to_string());
        Some(link)
    }
}

/// A JSON reply, serialized straight from `body`, or through `$select` when the request has one.
fn json<T: Serialize>(
    status: StatusCode,
    body: &T,
    query: &QueryOptions,
) -> Result<Response, GraphError> {
    let bytes = match &query.select {
        None => serde_json::to_vec(body),
        Some(names) => serde_json::to_vec(&select::select(body, names)),
    };
    json_bytes(status, bytes)
}

/// A collection reply, with `$select` applied to each element.
fn json_collection<T: Serialize>(body: &T, query: &QueryOptions) -> Result<Response, GraphError> {
    let bytes = match &query.select {
        None => serde_json::to_vec(body),
        Some(names) => serde_json::to_vec(&select::select_each(body, names)),
    };
    json_bytes(StatusCode::OK, bytes)
}

fn json_bytes(
    status: StatusCode,
    bytes: serde_json::Result<Vec<u8>>,
) -> Result<Response, GraphError> {
    let bytes = bytes.map_err(|_| GraphError::GeneralException)?;
    Ok((
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response())
}

/// A `302` to a pre-authenticated download URL.
fn redirect(location: String) -> Result<Response, GraphError> {
    let location = HeaderValue::try_from(location).map_err(|_| GraphError::GeneralException)?;
    Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response())
}

fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}
