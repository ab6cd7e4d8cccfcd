//! The Microsoft Graph (OneDrive) face: drives, items and file versions under `/v1.0` (and
//! `/beta` as an alias), shaped as OneDrive for Business answers.
//!
//! - `address`: the path parser (drive roots, item forms, colon paths, operation segments), which
//!   reads a path once into typed values.
//! - `routes`: the dispatcher (admission, then the handler for the operation), its dispatch table
//!   (`routes/table.rs`, which says how to add an operation) and the handlers.
//! - `model`: wire types; `select`: `$select`; `query`: query options; `tags`: eTag/cTag.
//! - `errors`: `GraphError` and the error envelope; `correlation`: request ids.
//!
//! The rest of this page documents the face in full: what a client may send, what it gets back, and
//! where the emulator knowingly differs from the real service. The README's `graph curl` and
//! `shared curl` blocks show it at work (the test suite runs them as written).
//!
//! # Addresses
//! Base URL `http://127.0.0.1:8080/v1.0` (`/beta` is an alias). Each token is its own user with
//! its own drive, shaped as OneDrive for Business answers: version ids are labels `1.0`, `2.0`,
//! …, tags are `"{GUID},N"` / `"c:{GUID},N"`.
//!
//! - Users: `GET /me` and `GET /users/{id or userPrincipalName}` (any user the server knows;
//!   else `404 Request_ResourceNotFound`). Drive lists: `/me/drives`, `/drives`,
//!   `/users/{me}/drives` hold the caller's one drive.
//! - Drive roots: `/me/drive`, `/drive`, `/drives/{id}`, `/users/{id or login}/drive`, and the
//!   `…/drives/{id}` variants; the group and site forms of [shared
//!   drives](#shared-drives-groups-and-sites). Another user's drive is `403 accessDenied` (a
//!   user's drive is theirs alone); an unknown user or drive id is `404 itemNotFound`.
//! - Items: `/items/{id}`, `/root`, `/items/root`, `/root:/path` (closing `:` optional when
//!   nothing follows), `/items/{id}:/name:`, `/items/{id}:/` and `/root:/` (an empty path: the
//!   item itself, as rclone sends it), and the SDK encodings `items/root%3A%2Fa%2Fb%3A`
//!   (Python) and `root:%2Fa%2Fb:` (Rust). Then `content`, `children`, `versions`,
//!   `versions/{id}` (`current` too), `versions/{id}/content`, `versions/{id}/restoreVersion`
//!   (or `microsoft.graph.restoreVersion`).
//!
//! # Operations
//! - `GET …/content` and version content answer `302` to a signed `/_content/{token}` link on
//!   the host the client used; that link needs no token. Graph's `@microsoft.graph.downloadUrl`
//!   is such a link too; it lives an hour, the redirects ten minutes, on the emulator's clock. The
//!   current version's content through `versions/` is `400 invalidRequest`, as on the real
//!   service.
//! - `PUT …/content` makes a file (`201`, folders made on the way) or a new version of it (`200`).
//! - Restoring any version, the current one included, answers `204` and appends a copy of it.
//!   `If-Match` (eTag or cTag) is honoured on PUT, PATCH, DELETE and restore (`412
//!   resourceModified`); `If-None-Match` with the current eTag or cTag (or `*`) makes `GET
//!   {item}` and `GET {item}/content` answer `304`.
//! - `PATCH {item}` renames (`name`), moves (`parentReference.id` or `.path`) and sets a file's
//!   own times (`fileSystemInfo.createdDateTime` / `.lastModifiedDateTime`, also taken in an
//!   upload session's `item`, and shown back in `fileSystemInfo`; a folder's are left as they
//!   are). The item keeps its id and versions, its eTag changes and its cTag does not; a PATCH
//!   of a file's times also adds a version of the same bytes, as OneDrive for Business does
//!   (rclone's `--onedrive-no-versions` exists to delete those). A taken name is `409
//!   nameAlreadyExists` unless `@microsoft.graph.conflictBehavior` is `rename` (`replace` is
//!   refused too: a move never deletes what it lands on); a folder into itself is `400
//!   invalidRequest`.
//! - `GET {item}/delta` (also `delta()`, `delta(token='…')`, `microsoft.graph.delta`) on a
//!   drive's root or any folder: a first round that enumerates, then changes since a token, from
//!   the store's change log; `routes/delta.rs` says what it answers, tokens and `410` included.
//! - Query options: `$top`, `$skip`, `$skiptoken`/`$skipToken`, `$select` (versions show
//!   `@microsoft.graph.downloadUrl` only when selected), `@microsoft.graph.conflictBehavior` on
//!   PUT (default `replace`) and in POST children bodies (default `fail`). `$expand`, `$filter`
//!   and `$orderby` are read where [below](#copy-search-thumbnails-special-folders) says;
//!   elsewhere they, `$count` and `$search` are accepted and ignored; other `$` options are `400`.
//! - Errors always use Graph's envelope with `innerError` and the `request-id` /
//!   `client-request-id` headers (the latter echoes the client's). A fault rule
//!   ([`crate::faults`]) is rendered in the same envelope.
//!
//! # Shared drives: groups and sites
//! A drive is a thing of its own: a user's OneDrive (`driveType: "business"`, id `b!{user id}`,
//! owner the user), or a document library of a SharePoint site (`driveType: "documentLibrary"`,
//! owner the site's group, or the system account for a site without one). Every site has the
//! library `Documents` (its default, `webUrl` `…/sites/{name}/Shared%20Documents`) and may have
//! more. A group's default drive *is* its team site's default library: `/groups/{g}/drive`,
//! `/groups/{g}/sites/root/drive` and `/sites/{site}/drive` answer the same drive, with the same
//! id.
//!
//! - Routes: `/groups/{g}/drive(s)`, `/groups/{g}/sites/root` (the team site),
//!   `/groups/{g}/sites/root/drive(s)`, `/sites/{id or name}`, `/sites/root` (the tenant's root
//!   site), `/sites/{hostname}:/sites/{name}` (any host; the path's last segment is the name),
//!   `/sites/{s}/drive(s)` (`drives` lists the libraries, the default first), `/drives/{id}`.
//!   Site ids are `restoremock.sharepoint.com,{guid},{guid}` and library ids `b!…`, both derived
//!   from names, so they are the same in every run. Every item, version, upload-session and
//!   restore route works below each of them; items carry `parentReference.driveType` and
//!   `siteId`.
//! - Files in a library belong to it, not to whoever uploaded them: each version records the
//!   member who made it (`createdBy`, `lastModifiedBy`, and `lastModifiedBy` of every version),
//!   and none of it shows in anyone's `/me/drive`.
//! - **Membership.** With no fixture, a group or site named in a path exists on first use and
//!   every signed-in user is a member, so curl and SDK flows work out of the box. A fixture can
//!   declare groups, sites and members ([`crate::fixture`]); then a non-member gets `403
//!   accessDenied` on the drive and on everything in it. An app signed in with application
//!   permissions (client credentials, managed identity) is held to its roles instead, as a real
//!   app granted `Sites.ReadWrite.All` or `Files.ReadWrite.All` is: it reaches every group's and
//!   site's drives, members listed or not, and a read-only role only reads them. 403 rather than 404 because SharePoint
//!   answers `accessDenied` for a site the user cannot open, and because a refusal tells a test
//!   author more than an absence; another user's own drive answers the same way. Whether the
//!   real service says 403 or 404 is not verified: `--hide-unreachable-drives` makes both `404
//!   itemNotFound` (a missing `.All` scope stays 403).
//! - **Scopes.** A token with `scopes` reaches a shared drive only with a `.All` scope: reads
//!   need `Files.Read.All`, `Files.ReadWrite.All`, `Sites.Read.All` or `Sites.ReadWrite.All`,
//!   writes `Files.ReadWrite.All` or `Sites.ReadWrite.All` (`Files.Read`/`Files.ReadWrite` cover
//!   the user's own files only, as on the real service); else `403 accessDenied`.
//!
//! A tour with curl: a group's library is its own, not its uploaders'; without a fixture every
//! signed-in user may use it (the test suite runs it as written, `tests/api/readme.rs`):
//!
//! <!-- tested: shared curl -->
//! ```sh
//! G=${RESTORE_MOCK_URL:-http://127.0.0.1:8080}/v1.0; A='Authorization: Bearer alice'; B='Authorization: Bearer bob'
//! curl -s -X PUT $G/groups/team/drive/root:/plan.txt:/content -H "$A" --data-binary 'v1'
//! curl -s -X PUT $G/groups/team/drive/root:/plan.txt:/content -H "$B" --data-binary 'v2'
//! curl -s -w '%{http_code}\n' -X POST $G/groups/team/drive/root:/plan.txt:/versions/1.0/restoreVersion -H "$B"
//! curl -s $G/groups/team/drive/root:/plan.txt:/versions -H "$A"   # 3.0 and 2.0 by bob, 1.0 by alice
//! curl -s $G/groups/team/sites/root -H "$A"     # the team site; its default library is the group's drive
//! curl -s $G/me/drive/root/children -H "$A"     # empty: the file is the group's, not alice's
//! ```
//!
//! # Copy, search, thumbnails, special folders
//! - **Copy**: `POST {item}/copy` (also `microsoft.graph.copy`, `action.copy`), within the drive
//!   or into another drive the caller can write (`parentReference.driveId`, `.id` or `.path`;
//!   empty strings count as absent, as rclone sends them), `name`, `includeAllVersionHistory`,
//!   `fileSystemInfo` (the copy's times; by default the moment of the copy, as the service does
//!   not carry them over). The copy holds the source's current bytes as its one version (every
//!   version with `includeAllVersionHistory`); a folder's copy holds its whole tree. The reply is
//!   `202` with `Location: {origin}/_api/v2.0/monitor/{id}`, which needs no token. **Each
//!   monitor answers its first read `202 {"status":"inProgress"}` and every later one `200`
//!   `completed` with `resourceId` and `resourceLocation`**, deterministically (no timer); the
//!   copy itself is made at once. Conflict behaviour in the query (or the body; the query wins),
//!   default `fail`: a clash is reported by the monitor (`"status":"failed"`, `error.code`
//!   `nameAlreadyExists`) as the service does; `rename` gives `name 1.ext`; `replace` deletes a
//!   file in the way (a folder in the way fails). The root, `childrenOnly` (on a file, or with
//!   `name`: the service's `400`s; on a folder: `400 notSupported`, not emulated), a folder into
//!   itself and an unknown destination are refused on the `POST`. Monitors live outside the
//!   store (like upload sessions): a reset drops them, at most 10 000 are kept, an unknown one
//!   is `404 operationNotFound`.
//! - **Search**: `GET {item}/search(q='…')` (also `microsoft.graph.search`) and
//!   `{drive}/search(q='…')`: items below the folder (the root for a drive) whose **names**
//!   contain the text, case-insensitively, breadth first, at once (the service also matches
//!   content through an index that lags). Paged with `$top` and an absolute `@odata.nextLink`;
//!   each hit has `searchResult: {}`. `q` is OData's literal: `''` is a quote; a lone quote is
//!   `400 BadRequest` "Syntax error at position n in 'q='…''." (so msgraph-sdk's `search_with_q`,
//!   which does not double quotes, fails on one, as against the service).
//! - **Thumbnails**: `GET {item}/thumbnails`, `/thumbnails/{set}`, `/thumbnails/{set}/{size}`,
//!   `…/content` (`302`), and `$expand=thumbnails` on an item or children. An `image/*` file has
//!   set `0` with `large`/`medium`/`small` (800/176/96 on the longest edge, in the image's own
//!   proportions, read from its header) or what `select`/`$select` names (`…Square`, `cWxH`,
//!   `cWxH_crop`, edges up to 1920); the URL is the version's signed link plus
//!   `?thumbnail=WxH` and serves a flat grey PNG of exactly that size, no token needed. Other
//!   items have `[]`.
//! - **Special folders**: `{drive}/special/{name}` as an item base (so
//!   `special/approot:/state.json:/content` works): `approot` is `Apps/restore-mock`, made by
//!   any access; `documents` (`Documents`), `photos` (`Pictures`), `cameraroll` (`Pictures/Camera
//!   Roll`), `music`, `desktop`, `recordings` are made by a write and `404 itemNotFound` before.
//!   A folder at one of those paths carries `specialFolder: {"name": …}`. An unknown name is
//!   `400 invalidRequest`.
//! - **Children**: `$expand=children` (first 200, `children@odata.nextLink` past that) on an
//!   item; `$orderby` `name`, `size`, `lastModifiedDateTime` (`asc`/`desc`; folders first, as
//!   the store orders; other properties ignored, as SharePoint does); `$filter` `name eq`, `name
//!   ne`, `startswith(name,'…')`, `folder ne null`; anything else is `400 notSupported`
//!   "Operation not supported", as business drives answer `file ne null`. Each with or without `$`.
//! - **Conflict behaviour** on every create path: PUT (query; default `replace`), upload sessions
//!   by path or parent id (body `item`, legacy `@name.conflictBehavior`, or query; default
//!   `replace`), folder creation (body, legacy spelling, or query; default `fail`; `replace`
//!   answers `200` with the folder already there), copy (above). `rename` makes `name 1.ext`,
//!   `name 2.ext`, … (the number before the last extension).
//!
//! # Large files: upload sessions
//! `POST {item}/createUploadSession` works on every address form above:
//! `…:/{name}:/createUploadSession` for a new file (or a new version of the file at that path),
//! `items/{id}/createUploadSession` for a new version. The body is optional:
//! `item.@microsoft.graph.conflictBehavior` (`replace` by default: a session addressed by an
//! existing file's path makes a new version of it, as on the real service, whose page says
//! `fail`; `fail` and `rename` when named; `@name.conflictBehavior` is read as well),
//! `item.name` (must match the path's), `item.fileSize`, `deferCommit`. The `uploadUrl` is
//! `/_upload/{token}` on the host the client used; it needs no `Authorization` (one is ignored),
//! and a guessed or altered token is `404 itemNotFound`.
//!
//! ```sh
//! S=$(curl -s -X POST $G/me/drive/root:/big.bin:/createUploadSession -H "$T" \
//!       -H 'Content-Type: application/json' -d '{"item":{"@microsoft.graph.conflictBehavior":"replace"}}')
//! U=$(echo "$S" | python3 -c 'import json,sys; print(json.load(sys.stdin)["uploadUrl"])')
//! head -c 1000 /dev/urandom > part1; head -c 500 /dev/urandom > part2
//! curl -s -X PUT "$U" -H 'Content-Range: bytes 0-999/1500' --data-binary @part1     # 202 {"nextExpectedRanges":["1000-1499"]}
//! curl -s "$U"                                                                      # 200, the same progress
//! curl -s -X PUT "$U" -H 'Content-Range: bytes 1000-1499/1500' --data-binary @part2 # 201 with the driveItem
//! ```
//!
//! - Fragments must come in order: an overlap or a gap is `416 invalidRange`; a missing or
//!   malformed `Content-Range`, a total that changes, or a body of another length is `400
//!   invalidRequest`. Any fragment length is taken, as on the real service, which asks for
//!   multiples of 320 KiB but for the last fragment: one that is not gets a `warning` in its
//!   journal entry (and a warning in the log), so a test can catch the client that sends it.
//! - `nextExpectedRanges` uses the closed form real services send (`"1000-1499"`), the only one
//!   msgraph-core can read; `["0-"]` at creation unless `fileSize` was given.
//! - The last fragment completes the upload with exactly one new version: `201` (new file) or
//!   `200` (new version). The name conflict is decided then (`409 nameAlreadyExists` under
//!   `fail`, and the session can be committed again with `POST`). A `PUT` after completion is
//!   `400`, as on the real service. With `deferCommit: true` the last fragment answers `202`
//!   with `nextExpectedRanges: []` and `POST {uploadUrl}` commits.
//! - `DELETE {uploadUrl}` is `204`, then `404`. Sessions expire 15 minutes after their creation
//!   or their last fragment, on the emulator's clock (`POST /__admin/clock` with
//!   `advance_seconds` past it gives `404`). `If-Match` is checked when the session is created.
//! - msgraph-core 1.5.2's `LargeFileUploadTask` works, with the quirk it has against the real
//!   service: after the last fragment it sends the last range again (an empty body for a
//!   one-fragment file), which answers `400`, so `upload()` raises although the file is
//!   complete. Read the item back rather than trusting the exception.
//! - `@microsoft/microsoft-graph-client` 3.x's `OneDriveLargeFileUploadTask` needs HTTPS: it
//!   reads an `http://` `uploadUrl` as a path below its base URL. Over HTTPS it works, ranges of
//!   any multiple of 320 KiB. Its `conflictBehavior` defaults to `rename`: pass `replace` for a
//!   new version of the file at that path, or it makes `name 1.ext` beside it.
//!
//! # Clients, and HTTPS
//! - msgraph-sdk (Python) sends every call to `graph.microsoft.com` unless
//!   `request_adapter.base_url` is set; its Azure token provider accepts plain `http` only for
//!   `localhost` and `127.0.0.1`, so use one of those, not the machine's name.
//! - `@microsoft/microsoft-graph-client` 3.x: the default `AuthenticationHandler` deletes the
//!   `Authorization` header on any URL that is not `https` (hosts in `customHosts` included), so
//!   over plain `http` every call is a 401 unless a middleware of your own sets the header (the
//!   README's snippet). Over HTTPS `Client.init({ authProvider, baseUrl:
//!   "https://127.0.0.1:8080", customHosts: new Set(["127.0.0.1"]) })` sends the token (the host
//!   without its port), and `OneDriveLargeFileUploadTask` uploads in ranges as against Graph
//!   (`tests/sdk/node/graph_large_file.js` runs it). Microsoft's Go SDK insists on `https`.
//! - With `--tls-self-signed DIR` (or `Emulator::builder().tls_self_signed(dir)`) the emulator
//!   writes `DIR/cert.pem` for `localhost`, `127.0.0.1`, `::1` and each `--tls-name` (e.g.
//!   `graph.microsoft.com`, for a client such as rclone that dials it); clients trust it with
//!   `curl --cacert DIR/cert.pem`, `SSL_CERT_FILE` and `REQUESTS_CA_BUNDLE` (httpx, requests), or
//!   `NODE_EXTRA_CA_CERTS` (Node). Every absolute URL the emulator writes (download links,
//!   `@odata.context`, `@odata.nextLink`, upload URLs) then says `https://`.
//!
//! # Sharing and check-out
//! - `POST {item}/createLink` (`view`, `edit`; scopes `anonymous`, `organization` (the default),
//!   `users`; `expirationDateTime`): `201` with a new permission, `200` with the live link of that
//!   type and scope the item has. `embed` and `password` are personal OneDrive's and `400
//!   invalidRequest` here. The link's `webUrl` is `/_share/{token}` on the emulator's host: it
//!   serves the file's current bytes without a token until the permission is deleted or expires
//!   on the emulator's clock (then `404`). Its `shareId` is `s!{token}`.
//! - `GET {item}/permissions` (the item's own, then those inherited from folders above, with
//!   `inheritedFrom`), `GET`, `PATCH` (`roles`) and `DELETE {item}/permissions/{id}`; an inherited
//!   one is refused on the item below (`400 invalidRequest`). `GET {item}?$expand=permissions`
//!   inlines them.
//! - `POST {item}/invite` (`recipients` by `email`, `alias` or `objectId` of users the emulator
//!   knows; `roles` `read` or `write`; `requireSignIn`, `sendInvitation` accepted): `200` with one
//!   permission per recipient. The invitee lists the item in `{drive}/sharedWithMe` (with
//!   `remoteItem.parentReference.driveId`) and reaches it, and what is below it, at
//!   `/drives/{owner's drive}/items/{id}`: reads with either role, changes only with `write`
//!   (`403 accessDenied` beyond it); the rest of that drive is `404 itemNotFound`.
//! - `GET /shares/{s!token or u!base64url(webUrl)}`, `…/driveItem` (or `/root`) and
//!   `…/driveItem/content`; an unknown, deleted or expired share is `404 itemNotFound`.
//! - `POST {item}/checkout`, `checkin` (`comment`, `checkInAs` `published`/`unspecified`) and
//!   `discardCheckout`, all `204`, on every drive (OneDrive for Business and libraries take them
//!   both). While a file is out, another user's change to it is `423 notAllowed` with inner
//!   `resourceLocked`. The holder's uploads are drafts only the holder sees (in the item, its
//!   content and `versions`; everyone else, sharing links included, sees the last version from
//!   before the check-out); `checkin` folds them into one version (numbered after that one) and
//!   `discardCheckout` drops them. A library whose fixture entry sets `minor_versions` makes minor
//!   versions: drafts and check-ins without `checkInAs` are the next minor version (`1.1`,
//!   `1.2`), a `checkInAs: "published"` check-in the next major one (`2.0`); every version route
//!   takes the `N.M` labels. `$select=publication` shows
//!   `{"level": "checkout"|"draft"|"published", "versionId", "checkedOutBy"}` (`draft` over a
//!   minor version). The admin timeline marks the versions check-ins published.
//!
//! # JSON batching
//! `POST /v1.0/$batch` with `{"requests": [{"id", "method", "url", "headers", "body",
//! "dependsOn"}]}` (at most 20) answers `200 {"responses": [{"id", "status", "headers",
//! "body"}]}`, each request served as it would be alone with the batch's token (its own scopes,
//! fault rules and errors), in `dependsOn` order, a dependent of a failed one `424`. A batch that
//! cannot be read is `400 BadRequest` and none of it runs. Details and the choices made:
//! `routes/batch.rs`.
//!
//! # Known differences from the real service
//! Choices where the real API is unverified: a wrong method is `405 invalidRequest` with
//! `Allow`; a body over `--max-body` is `413 BadRequest` "Maximum request length exceeded."; a
//! malformed colon path is `400 invalidRequest`; an unknown segment is `400 BadRequest`
//! "Resource not found for the segment '…'."; any other prefix is `400 BadRequest` "Invalid
//! version."; a drive the caller may not reach is `403 accessDenied` (see above). Sharing: the
//! owner's own `owner` permission is not listed; invitations reach known users only (no guest
//! accounts, no mail); link URLs open content directly rather than a viewer page. Minor versions
//! (`1.1`) are made only by check-ins in a library with `minor_versions` on (an upload without
//! a check-out, and a restore, make the next major version), and they are listed for every
//! reader (SharePoint's default draft security); the numbering is SharePoint's, which Graph's
//! pages do not spell out. Search
//! matches names only, never content, and sees a write at once. A special folder is whatever
//! folder is at its path: renamed or moved, it stops being special (the service keeps the
//! alias). Thumbnails are flat grey images of the right size, for images only. A copy is made
//! when it is accepted, before its monitor says `completed`; `childrenOnly` on a folder is not
//! emulated. Not emulated yet: the recycle bin (a site's or a user's), `sharepointIds`, quota
//! enforcement.

mod address;
mod children_options;
mod correlation;
mod errors;
mod model;
pub(crate) mod monitor;
mod query;
mod routes;
mod search_text;
mod select;
pub(crate) mod subscriptions;
mod tags;

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::any;
use axum::Router;

use crate::control::journal::{Answered, Api};
use crate::http::origin::Origin;
use crate::state::AppState;
use correlation::Correlation;
use errors::GraphError;

/// Every Graph path goes to one dispatcher: axum's router cannot express Graph's colon paths,
/// and owning the whole prefix means no axum default (404, 405, rejections) answers for Graph.
pub(crate) fn router() -> Router<AppState> {
    // Upload URLs carry their own token, not a bearer: they are not under the API prefixes.
    // Copy monitors likewise need no token.
    let mut router = Router::new()
        .route("/_upload/{token}", any(routes::sessions::upload_to_session))
        .route(
            &format!("{}/{{id}}", monitor::PREFIX),
            any(monitor::monitor),
        );
    for base in ["/v1.0", "/beta"] {
        // The route tells the dispatcher which prefix it matched, so the path is not split again.
        let dispatch =
            move |State(state): State<AppState>, Origin(origin): Origin, request: Request| {
                routes::dispatch(state, origin, base, request)
            };
        let batch =
            move |State(state): State<AppState>, Origin(origin): Origin, request: Request| {
                routes::batch::run(state, origin, base, request)
            };
        router = router
            .route(&format!("{base}/$batch"), any(batch))
            .route(base, any(dispatch))
            .route(&format!("{base}/"), any(dispatch))
            .route(&format!("{base}/{{*rest}}"), any(dispatch));
    }
    router
}

/// Any path outside the emulator's prefixes: Graph's answer to a wrong version segment
/// (<https://github.com/microsoftgraph/msgraph-sdk-dotnet/issues/2023>), with Graph's correlation
/// headers.
pub(crate) async fn invalid_version(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let answered = Answered::anonymous(Api::Graph, state.request_ids.next());
    let correlation = Correlation::new(answered.request_id, &headers);
    let mut response = GraphError::invalid_version().render(&correlation, state.clock.now());
    answered.mark(&mut response);
    response
}
