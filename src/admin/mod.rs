//! The emulator's own namespace, `/__admin`: health, state and fixtures, the request journal,
//! fault rules and the clock, the browser's reads (`browse`) and its page (`ui`). JSON in, JSON
//! out, errors as `{"error": {"code", "message"}}`.
//!
//! The rest of this page documents the admin API in full. The README's `admin` block calls each
//! route (the test suite runs it as written); the [`Emulator`](crate::Emulator) handle offers
//! the same operations typed, without JSON.
//!
//! # Requests and errors
//! Everything under `/__admin` takes and returns JSON; errors are `{"error": {"code",
//! "message"}}` with a fitting status. A request body is read as JSON whatever its
//! `Content-Type` says (curl's `-d` sends `application/x-www-form-urlencoded`), an empty one as
//! `{}`, and a body that is not a JSON object is a `400 bad_request` naming the parse error.
//! With `--admin-token`, every route but health wants `Authorization: Bearer <admin token>`.
//! Open by default (no `--admin-token`), but not to web pages: `browsers` says what it refuses
//! from them and why.
//!
//! # Routes
//! | route | what it does |
//! |---|---|
//! | `GET /__admin/health` | `{"status":"ok"}`, never guarded |
//! | `POST /__admin/fixtures` | loads a fixture ([`crate::fixture`]) whole, or refuses it whole |
//! | `GET /__admin/state` (`?user=ID`) | the whole state (or one user's part) in the fixture format |
//! | `POST /__admin/reset` (`{"user": ID}`) | empties store, sessions, journal and faults (or one user's files) |
//! | `POST /__admin/changes/expire-tokens` | every delta token and Box stream position so far is too old (Graph answers `410`); `{"latest_position": n}` |
//! | `GET`, `DELETE /__admin/requests` | the journal ([`crate::journal`]), filtered by `api`, `method`, `path_prefix`, `status`, `user`; clears it |
//! | `POST`, `GET`, `DELETE /__admin/faults`, `DELETE /__admin/faults/{n}` | fault rules ([`crate::faults`]), with how often each fired |
//! | `GET`, `PUT /__admin/clients` | the token endpoints' clients ([`crate::identity`]), replaced whole |
//! | `POST`, `GET`, `DELETE /__admin/clock` | `{"freeze": instant}` or `{"advance_seconds": n}`; the time; back to real time ([`crate::clock`]) |
//! | `GET /__admin/deliveries` | every delivery attempt of Graph subscriptions and Box webhooks ([`crate::deliveries`]), filtered by `api`, `subscription`, `outcome` |
//! | `POST /__admin/deliveries/settle` (`{"timeout_ms": n}`) | waits until every change so far is delivered or given up: `{"settled", "outstanding"}` |
//! | `GET`, `PUT /__admin/webhook-keys` | the Box webhook signature keys in force, `{"primary", "secondary"}` |
//! | `GET /__admin/users`, `/drives`, `/items/{id}`, `/items/{id}/children`, `/items/{id}/versions` | the page's reads (below) |
//! | `GET /__admin/ui` | the page (below) |
//! | `GET`, `PUT /__admin/identity/device-flow` | `{"answer": "approved" \| "pending" \| "denied"}`: how device-code polls are answered ([`crate::entra`]) |
//! | `GET /__admin/ca.pem` | the local CA `--tls-self-signed` made, to trust; never guarded; `404` without it |
//!
//! - **Journal** entries: `time`, `api` (`graph`, `box`, `download`), `user`, `app` (the client
//!   id of an app's token, [`crate::identity`]; left out otherwise), `method`, `path`, `query`
//!   (credentials such as `client_secret`, `code` or `token` masked as `***`), `headers` (accept,
//!   client-request-id, content-range, content-type, if-match, if-none-match, range,
//!   retry-attempt, user-agent, x-box-ua; never Authorization),
//!   `body_size`, `status`, `duration_us`, `request_id` (as the client saw it), `fault` (the rule
//!   that answered, or delayed, the request), `item` (the id of the file or folder it acted on,
//!   when the face resolved one; `null` otherwise, as for a request a fault answered first),
//!   `warning` (what the real service may hold against a request the emulator took, such as a
//!   Graph fragment off the 320 KiB grid; `null` otherwise). A Graph `$batch` is one entry; its
//!   requests are not journaled one by one. The journal keeps the newest
//!   `--journal-limit` entries. Without `order`, `offset` or `limit` the route answers every
//!   match, oldest first, `total` their count; with them, `total` counts every match and
//!   `requests` is the page.
//! - **Faults**: `match` (`api`, `method`, `path` with `*` wildcards, `user`; all optional; a
//!   rule matches each request of a Graph `$batch` by its own method and path, as well as the
//!   `POST …/$batch` itself) and
//!   `action`: `error` (`status`, optional `code`, `message`, `retry_after` seconds and
//!   `headers`; rendered in that API's own envelope, with the code that API uses for the status
//!   by default), `delay` (`ms`), or `drop` (the connection closes mid-reply). `times` limits a
//!   rule to the next N matches; `probability` (0 to 1) with `seed` fires it at random,
//!   repeatably. The first rule that fires decides, before the operation runs, so a fault never
//!   leaves a half-applied change. Rules apply to upload URLs and session requests too; `status`
//!   may also be `202` (Box's "commit not processed yet", sent with no body).
//! - **Clock**: with a frozen clock and a fixture, the same requests give byte-identical replies
//!   (ids, eTags, request ids and the `Date` header included) after a reset. Upload-session
//!   tokens are a keyed hash of a secret and a counter that a reset restarts; under `--clock` the
//!   secret comes from the frozen start, so session URLs repeat across runs too. Fixtures and
//!   exports never carry open sessions.
//!
//! # The page's reads
//! They see every user's state, whoever owns it, and page with `offset` and `limit` (default 50,
//! at most 1000):
//!
//! ```sh
//! curl "$A/users?offset=0&limit=50"      # {"total", "offset", "users": [{"id", "name", "login", "spaces": [{"face", "root"}]}]}
//! curl "$A/drives?offset=0&limit=50"     # shared drives by site name, each site's default library first:
//!                                        #   {"total", "offset", "drives": [{"id", "name", "site": {"id", "name",
//!                                        #   "display_name"}, "group": {"id", "name", "mail"} | null, "members":
//!                                        #   [user ids] | null (everyone), "root": id | null (not used yet)}]}
//! curl "$A/items/1000000002"             # any item, in the trash too: id, type, face, owner, name, parent,
//!                                        #   modified_at, trashed_at, trashed_by (Box's item trash),
//!                                        #   child_count | version_count, size, mime_type, current_version;
//!                                        #   path: the folders above it [{"id", "name"}]
//!                                        #   and, on a Box item that has them: description, tags,
//!                                        #   shared_link {"url", "access", "live", "is_password_enabled",
//!                                        #   "unshared_at", "can_download", "can_edit", "created_by"},
//!                                        #   lock {"id", "created_by", "created_at", "expires_at",
//!                                        #   "is_download_prevented"}, metadata [{"scope", "template",
//!                                        #   "display_name", "id", "version", "values"}], comment_count
//! curl "$A/items/1000000001/children?limit=100"   # a folder's children by name: {"total", "offset", "children"}
//! curl "$A/items/1000000002/versions?order=oldest&offset=0&limit=50"
//!     # a file's timeline (order=newest by default): {"total", "offset", "item", "order", "versions": [
//!     #   {"id", "number", "position" (0 = oldest), "current", "name", "size", "sha1", "sha256",
//!     #    "quick_xor", "created_at", "created_by", "trashed_at", "trashed_by", "restored_at",
//!     #    "restored_by", "restored_from": {"id", "number", "position"} or null, "download_url"}]}
//!     #    (and "checked_in": the comment, on a version a Graph check-in published;
//!     #    "minor" on a Graph minor version, 1.1 being number 1, minor 1;
//!     #    "copied_from": {"item" (null once it is gone), "name"}, on the first version of a copy;
//!     #    "deleted_before": [{"number", "deleted_at", "deleted_by"}], the versions deleted
//!     #    (Graph DELETE …/versions/{id}) from between this version and the one before it)
//! curl "$A/requests?order=newest&offset=0&limit=50&api=box"   # the journal, one page of it
//! ```
//!
//! An unknown item is `404 item_not_found`; versions of a folder `400 not_a_file`; children of a
//! file `400 not_a_folder`. People are `{"id", "name", "login"}`.
//!
//! # The page
//! `/__admin/ui` shows what the emulator holds while tests run: every user and each face's space
//! (Graph drive, Box account) with its folder tree, and every shared drive (a site's document
//! library, with its site, group and members) with its own; for a file, its versions as a
//! timeline, newest or oldest first, each with its label (`3.0` or `1.1` on Graph, `3` on Box),
//! size, hashes, author, time, who trashed it and when, who restored it from the trash and when,
//! a link from a restored or promoted copy to the version whose bytes it copied, a link from a
//! copied file's first version to the file it was copied from (its name alone once that is gone),
//! a line where a deleted version was (who deleted it and when), the current version marked, and
//! a download link; the request journal, newest first, filterable as `GET
//! /__admin/requests` is, each entry naming who signed in (for an app's token, the app and its
//! service account; a token request counts as its identity's), linked to the file it touched,
//! naming the fault rule that answered it and marked *warning* (the text as its tooltip) when the real service might refuse
//! it; the newest delivery attempts to Graph subscriptions' and Box webhooks' receivers, each
//! linked to the item whose change it reports (the journal row that changed that item sits beside
//! it by item and time); the fault rules with how often each fired; and the clock.
//!
//! - It updates itself (it polls every 1.5 s; *Pause updates* stops that) and keeps your place:
//!   the item you opened, the timeline page and order, the journal page (later pages move along
//!   as new requests arrive), focus and open panels. The address (`#item=ID`) names the open
//!   item.
//! - Every list is one page of the server's own paging (50 versions, users or requests, 100 tree
//!   entries per folder level), so it stays quick with 10⁴ files or 10⁵ versions on one file.
//! - Plain HTML, CSS and script compiled into the binary; nothing is loaded from the network (its
//!   `Content-Security-Policy` allows only this origin). Real headings, keyboard use throughout
//!   (arrow keys move through the tree and the timeline), every state said in words as well as
//!   colour, and one column on a narrow window.
//! - With `--admin-token`, the page itself loads without the token (it holds no data), asks for
//!   the token once and keeps it for the tab (`sessionStorage`); its calls are guarded like every
//!   admin route.

mod body;
mod browse;
mod browsers;
mod changes;
mod clients;
mod clock;
mod deliveries;
mod error;
mod faults;
mod identity;
mod requests;
mod state;
mod ui;

use axum::extract::{FromRequestParts, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::http::bearer::bearer_token;
use crate::state::AppState;
pub(crate) use body::AdminJson;
pub(crate) use error::AdminError;

pub(crate) fn router(state: AppState) -> Router<AppState> {
    let guarded = Router::new()
        .route("/__admin/state", get(state::export))
        .route("/__admin/fixtures", post(state::load_fixtures))
        .route("/__admin/reset", post(state::reset))
        .route(
            "/__admin/changes/expire-tokens",
            post(changes::expire_tokens),
        )
        .route(
            "/__admin/requests",
            get(requests::list).delete(requests::clear),
        )
        .route(
            "/__admin/faults",
            get(faults::list).post(faults::add).delete(faults::clear),
        )
        .route("/__admin/faults/{id}", delete(faults::remove))
        .route("/__admin/clients", get(clients::list).put(clients::replace))
        .route("/__admin/deliveries", get(deliveries::list))
        .route("/__admin/deliveries/settle", post(deliveries::settle))
        .route(
            "/__admin/webhook-keys",
            get(deliveries::read_keys).put(deliveries::set_keys),
        )
        .merge(browse::router())
        .route(
            "/__admin/clock",
            get(clock::read).post(clock::set).delete(clock::resume),
        )
        .route(
            "/__admin/identity/device-flow",
            get(identity::device_flow).put(identity::set_device_flow),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            require_admin_token,
        ));
    let pages_refused = Router::new()
        .merge(ui::router())
        .merge(guarded)
        .route_layer(middleware::from_fn_with_state(
            state,
            browsers::refuse_foreign_pages,
        ));
    Router::new()
        .route("/__admin/health", get(health))
        // A certificate is public: clients fetch it before they can make any other call.
        .route("/__admin/ca.pem", get(identity::ca_certificate))
        .merge(pages_refused)
        .route("/__admin", get(not_found))
        .route(
            "/__admin/{*rest}",
            get(not_found)
                .post(not_found)
                .put(not_found)
                .delete(not_found)
                .patch(not_found),
        )
        .method_not_allowed_fallback(method_not_allowed)
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

async fn not_found() -> AdminError {
    AdminError::NotFound
}

async fn method_not_allowed() -> AdminError {
    AdminError::MethodNotAllowed
}

/// With `--admin-token`, every admin route but health wants it as the bearer token.
async fn require_admin_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    match &state.admin_token {
        Some(wanted) if bearer_token(request.headers()) != Some(wanted.as_ref()) => {
            AdminError::Unauthorized.into_response()
        }
        _ => next.run(request).await,
    }
}

/// `Query` whose rejections are admin errors.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AdminError))]
pub(crate) struct AdminQuery<T>(pub T);
