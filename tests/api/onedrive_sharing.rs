//! Graph sharing (issue 19): `createLink`, an item's permissions, `invite`, `sharedWithMe`,
//! `/shares/{id}`, the link's URL opened without a token (and refused once its permission is
//! deleted or expired), and what an invited user may do in the owner's drive. Alice, Bob and Eve
//! are `onedrive_shared_drives::people()`.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::onedrive_shared_drives::{bob, call, get, graph_with, people};
use crate::support::graph::Graph;
use crate::support::with_request_ids;

/// The first three permission ids a store hands out (a scrambled counter).
const P1: &str = "910A2DEC89025CC1";
const P2: &str = "975835DE1C9756CE";
const P3: &str = "1D0B14E4DB018FED";
/// The tokens of `P1`'s and `P2`'s sharing links under the frozen clock's key.
const T1: &str = "OTEwQTJERUM4OTAyNUNDMdvUKW0nAzJC5rhiAqObAFQ";
const T2: &str = "OTc1ODM1REUxQzk3NTZDRfyCiVdXhsHgj-HoEqbk1h4";
/// Alice's drive and the first items her requests make: the root, `docs`, `docs/a.txt`.
const DRIVE: &str = "b!a1";
const DOCS: &str = "1000000002";
const FILE: &str = "1000000003";

async fn people_graph() -> Graph {
    graph_with(json!({ "users": people() })).await
}

async fn send(
    graph: &Graph,
    token: &str,
    method: Method,
    path: &str,
    body: Value,
) -> crate::support::graph::Reply {
    let bytes = match body {
        Value::Null => Vec::new(),
        body => serde_json::to_vec(&body).unwrap(),
    };
    call(graph, token, method, path, &bytes).await
}

/// Alice's `docs/a.txt` (`hello`), after a request that makes her root.
async fn alice_file(graph: &Graph) {
    let root = get(graph, "alice", "/me/drive/root").await;
    assert_eq!(root.status, StatusCode::OK, "{root:?}");
    let folder = send(
        graph,
        "alice",
        Method::POST,
        "/me/drive/root/children",
        json!({"name": "docs", "folder": {}}),
    )
    .await;
    assert_eq!(folder.body["id"], DOCS, "{folder:?}");
    let file = call(
        graph,
        "alice",
        Method::PUT,
        "/me/drive/root:/docs/a.txt:/content",
        b"hello",
    )
    .await;
    assert_eq!(file.body["id"], FILE, "{file:?}");
}

fn view_link(graph: &Graph, id: &str, token: &str, scope: &str) -> Value {
    json!({
        "id": id,
        "roles": ["read"],
        "link": {
            "type": "view",
            "scope": scope,
            "webUrl": format!("{}/_share/{token}", graph.origin()),
            "preventsDownload": false,
        },
        "shareId": format!("s!{token}"),
    })
}

#[tokio::test]
async fn create_link_makes_a_link_once_and_its_url_opens_the_file_without_a_token() {
    // Arrange
    let graph = people_graph().await;
    alice_file(&graph).await;
    let path = format!("/me/drive/items/{FILE}/createLink");
    let body = json!({"type": "view", "scope": "anonymous", "retainInheritedPermissions": false, "sendNotification": false});

    // Act
    let first = send(&graph, "alice", Method::POST, &path, body.clone()).await;
    let again = send(&graph, "alice", Method::POST, &path, body).await;

    // Assert: 201 with the new permission, then 200 with the same one.
    assert_eq!(first.status, StatusCode::CREATED, "{first:?}");
    assert_eq!(first.body, view_link(&graph, P1, T1, "anonymous"));
    assert_eq!(again.status, StatusCode::OK, "{again:?}");
    assert_eq!(again.body, first.body);
    // Listed once, and readable by id.
    let listed = get(
        &graph,
        "alice",
        &format!("/me/drive/items/{FILE}/permissions"),
    )
    .await;
    assert_eq!(
        listed.body,
        json!({"value": [view_link(&graph, P1, T1, "anonymous")]})
    );
    let one = get(
        &graph,
        "alice",
        &format!("/me/drive/items/{FILE}/permissions/{P1}"),
    )
    .await;
    assert_eq!(one.body, view_link(&graph, P1, T1, "anonymous"));
    // The URL opens the bytes with no token at all, and follows new versions.
    let url = format!("{}/_share/{T1}", graph.origin());
    assert_eq!(graph.fetch(&url).await, (StatusCode::OK, "hello".into()));
    call(
        &graph,
        "alice",
        Method::PUT,
        &format!("/me/drive/items/{FILE}/content"),
        b"hello again",
    )
    .await;
    assert_eq!(
        graph.fetch(&url).await,
        (StatusCode::OK, "hello again".into())
    );
    // Another scope is another link.
    let org = send(
        &graph,
        "alice",
        Method::POST,
        &path,
        json!({"type": "view"}),
    )
    .await;
    assert_eq!(org.status, StatusCode::CREATED, "{org:?}");
    assert_eq!(org.body, view_link(&graph, P2, T2, "organization"));
}

#[tokio::test]
async fn a_deleted_link_stops_opening_the_file_and_its_share_is_gone() {
    // Arrange
    let graph = people_graph().await;
    alice_file(&graph).await;
    send(
        &graph,
        "alice",
        Method::POST,
        &format!("/me/drive/items/{FILE}/createLink"),
        json!({"type": "edit", "scope": "organization"}),
    )
    .await;
    let url = format!("{}/_share/{T1}", graph.origin());
    let encoded = base64_url(&url);
    // Bob reaches the item through both forms of the share id, as its owner sees it.
    let owners = get(&graph, "alice", &format!("/me/drive/items/{FILE}"))
        .await
        .body;
    for share in [
        format!("s!{T1}"),
        format!("u!{encoded}"),
        format!("u%21{encoded}"),
    ] {
        let shared = get(&graph, "bob", &format!("/shares/{share}/driveItem")).await;
        assert_eq!(shared.status, StatusCode::OK, "{share}: {shared:?}");
        assert_eq!(shared.body, owners, "{share}");
    }
    let share = get(&graph, "bob", &format!("/shares/s!{T1}")).await;
    assert_eq!(
        share.body,
        json!({"id": format!("s!{T1}"), "name": "a.txt", "owner": {"user": {"id": "a1", "displayName": "Alice"}}})
    );

    // Act
    let deleted = call(
        &graph,
        "alice",
        Method::DELETE,
        &format!("/me/drive/items/{FILE}/permissions/{P1}"),
        b"",
    )
    .await;

    // Assert
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{deleted:?}");
    assert!(deleted.bytes.is_empty());
    assert_eq!(graph.fetch(&url).await.0, StatusCode::NOT_FOUND);
    let gone = get(&graph, "bob", &format!("/shares/s!{T1}/driveItem")).await;
    graph.assert_error(
        &gone,
        404,
        "itemNotFound",
        "Item not found",
        "50f5647d-2380-309d-baa3-2132e1340f17",
    );
    let listed = get(
        &graph,
        "alice",
        &format!("/me/drive/items/{FILE}/permissions"),
    )
    .await;
    assert_eq!(listed.body, json!({"value": []}));
}

#[tokio::test]
async fn a_link_with_an_expiry_stops_when_the_emulators_clock_passes_it() {
    // Arrange
    let graph = people_graph().await;
    alice_file(&graph).await;
    let made = send(
        &graph,
        "alice",
        Method::POST,
        &format!("/me/drive/items/{FILE}/createLink"),
        json!({"type": "view", "scope": "anonymous", "expirationDateTime": "2024-06-01T11:00:00Z"}),
    )
    .await;
    assert_eq!(
        made.body["expirationDateTime"], "2024-06-01T11:00:00Z",
        "{made:?}"
    );
    let url = format!("{}/_share/{T1}", graph.origin());
    assert_eq!(graph.fetch(&url).await.0, StatusCode::OK);

    // Act: the admin API moves the clock to the expiry.
    let moved = graph
        .app
        .client
        .post(graph.app.url("/__admin/clock"))
        .json(&json!({"advance_seconds": 3600}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), StatusCode::OK);

    // Assert: the URL and the share are gone; the permission is still listed, with its expiry.
    assert_eq!(graph.fetch(&url).await.0, StatusCode::NOT_FOUND);
    let share = get(&graph, "bob", &format!("/shares/s!{T1}/driveItem")).await;
    assert_eq!(share.status, StatusCode::NOT_FOUND, "{share:?}");
    let listed = get(
        &graph,
        "alice",
        &format!("/me/drive/items/{FILE}/permissions"),
    )
    .await;
    assert_eq!(listed.body["value"][0]["id"], P1);
}

#[tokio::test]
async fn a_folders_permissions_are_inherited_below_it_and_cannot_be_changed_there() {
    // Arrange
    let graph = people_graph().await;
    alice_file(&graph).await;
    send(
        &graph,
        "alice",
        Method::POST,
        &format!("/me/drive/items/{DOCS}/createLink"),
        json!({"type": "view", "scope": "anonymous"}),
    )
    .await;
    let on_file = format!("/me/drive/items/{FILE}/permissions/{P1}");

    // Act
    let listed = get(
        &graph,
        "alice",
        &format!("/me/drive/items/{FILE}/permissions"),
    )
    .await;
    let patched = send(
        &graph,
        "alice",
        Method::PATCH,
        &on_file,
        json!({"roles": ["write"]}),
    )
    .await;
    let deleted = call(&graph, "alice", Method::DELETE, &on_file, b"").await;

    // Assert
    let mut inherited = view_link(&graph, P1, T1, "anonymous");
    inherited["inheritedFrom"] = json!({"driveId": DRIVE, "id": DOCS});
    assert_eq!(listed.body, json!({"value": [inherited]}));
    let message = "Inherited permissions cannot be updated or deleted on this item.";
    graph.assert_error(
        &patched,
        400,
        "invalidRequest",
        message,
        "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
    );
    graph.assert_error(
        &deleted,
        400,
        "invalidRequest",
        message,
        "bd64a5d9-adef-e000-6c1e-186443822970",
    );
    // On the folder itself the role changes.
    let changed = send(
        &graph,
        "alice",
        Method::PATCH,
        &format!("/me/drive/items/{DOCS}/permissions/{P1}"),
        json!({"roles": ["write"]}),
    )
    .await;
    let mut written = view_link(&graph, P1, T1, "anonymous");
    written["roles"] = json!(["write"]);
    assert_eq!(changed.body, written);
    // `$expand=permissions` shows the same on the item.
    let expanded = get(
        &graph,
        "alice",
        &format!("/me/drive/items/{FILE}?$select=id,permissions&$expand=permissions"),
    )
    .await;
    let mut inherited = written.clone();
    inherited["inheritedFrom"] = json!({"driveId": DRIVE, "id": DOCS});
    let context = format!(
        "{}/v1.0/$metadata#drives('b%21a1')/items/$entity",
        graph.origin()
    );
    assert_eq!(
        expanded.body,
        json!({"@odata.context": context, "id": FILE, "permissions": [inherited]})
    );
}

#[tokio::test]
async fn an_invited_user_reaches_the_item_as_far_as_their_role_goes() {
    // Arrange
    let graph = people_graph().await;
    alice_file(&graph).await;
    call(
        &graph,
        "alice",
        Method::PUT,
        "/me/drive/root:/private.txt:/content",
        b"mine",
    )
    .await;
    let invite = json!({
        "recipients": [{"email": "BOB@example.com"}],
        "roles": ["read"],
        "requireSignIn": true,
        "sendInvitation": false,
        "retainInheritedPermissions": false,
    });

    // Act
    let invited = send(
        &graph,
        "alice",
        Method::POST,
        &format!("/me/drive/items/{DOCS}/invite"),
        invite,
    )
    .await;

    // Assert: one permission for Bob.
    let bobs = json!({
        "id": P1,
        "roles": ["read"],
        "grantedToV2": {"user": {"id": "b2", "displayName": "Bob", "email": "bob@example.com"}},
        "invitation": {"email": "BOB@example.com", "signInRequired": true},
    });
    assert_eq!(invited.status, StatusCode::OK, "{invited:?}");
    assert_eq!(invited.body, json!({"value": [bobs]}));
    // Bob lists it, with where it lives.
    let shared = get(&graph, "bob", "/me/drive/sharedWithMe()").await;
    assert_eq!(
        shared.body["value"].as_array().unwrap().len(),
        1,
        "{shared:?}"
    );
    assert_eq!(
        shared.body["value"][0]["remoteItem"],
        json!({
            "id": DOCS,
            "name": "docs",
            "size": 5,
            "webUrl": format!("{}/personal/a1/Documents/docs", graph.origin()),
            "parentReference": {"driveId": DRIVE, "driveType": "business"},
            "folder": {"childCount": 1},
        })
    );
    // Bob reads below the folder, through Alice's drive; the item shows as Alice's.
    let owners = get(&graph, "alice", &format!("/me/drive/items/{FILE}"))
        .await
        .body;
    let read = get(&graph, "bob", &format!("/drives/{DRIVE}/items/{FILE}")).await;
    assert_eq!(read.body, owners);
    let listing = get(
        &graph,
        "bob",
        &format!("/drives/{DRIVE}/items/{DOCS}/children"),
    )
    .await;
    assert_eq!(listing.status, StatusCode::OK, "{listing:?}");
    // Nothing else of Alice's, and no changes with `read`.
    let cases = with_request_ids(
        [
            (
                "another item",
                Method::GET,
                format!("/drives/{DRIVE}/root:/private.txt"),
                404,
                "itemNotFound",
                "Item not found",
            ),
            (
                "the drive",
                Method::GET,
                format!("/drives/{DRIVE}"),
                403,
                "accessDenied",
                "Access denied",
            ),
            (
                "the root",
                Method::GET,
                format!("/drives/{DRIVE}/root"),
                404,
                "itemNotFound",
                "Item not found",
            ),
            (
                "a write with read",
                Method::PUT,
                format!("/drives/{DRIVE}/items/{FILE}/content"),
                403,
                "accessDenied",
                "Access denied",
            ),
            (
                "a new file with read",
                Method::PUT,
                format!("/drives/{DRIVE}/items/{DOCS}:/new.txt:/content"),
                403,
                "accessDenied",
                "Access denied",
            ),
            (
                "a delete with read",
                Method::DELETE,
                format!("/drives/{DRIVE}/items/{FILE}"),
                403,
                "accessDenied",
                "Access denied",
            ),
        ],
        [
            "aeaf52fe-be70-6064-d484-a1e7c35a0b13",
            "088712be-8a58-2fca-6fc5-530939fb94c3",
            "50f5647d-2380-309d-baa3-2132e1340f17",
            "943ff9fc-99de-8f03-ae9b-71a31d422e93",
            "c4ca37b7-f8ad-8aff-e1ec-8deaabc4ba58",
            "6aa9d614-35db-e63e-ce63-7ffb158bdee8",
        ],
    );
    for ((why, method, path, status, code, message), id) in cases {
        let reply = call(&graph, "bob", method, &path, b"bob's").await;
        assert_eq!(reply.status.as_u16(), status, "{why}: {reply:?}");
        graph.assert_error(&reply, status, code, message, id);
    }
    // Eve, not invited, is refused the drive as before.
    let eve = get(&graph, "eve", &format!("/drives/{DRIVE}/items/{FILE}")).await;
    assert_eq!(eve.status, StatusCode::FORBIDDEN, "{eve:?}");
    // With `write`, Bob's upload is a version of Alice's file, by Bob.
    let upgraded = send(
        &graph,
        "alice",
        Method::PATCH,
        &format!("/me/drive/items/{DOCS}/permissions/{P1}"),
        json!({"roles": ["write"]}),
    )
    .await;
    assert_eq!(upgraded.body["roles"], json!(["write"]), "{upgraded:?}");
    let written = call(
        &graph,
        "bob",
        Method::PUT,
        &format!("/drives/{DRIVE}/items/{FILE}/content"),
        b"bob's",
    )
    .await;
    assert_eq!(written.status, StatusCode::OK, "{written:?}");
    assert_eq!(written.body["lastModifiedBy"], bob());
    let versions = get(&graph, "alice", &format!("/me/drive/items/{FILE}/versions")).await;
    assert_eq!(versions.body["value"][0]["lastModifiedBy"], bob());
    // Bob sees only his own permission; once it is deleted he is out again.
    let his = get(
        &graph,
        "bob",
        &format!("/drives/{DRIVE}/items/{FILE}/permissions"),
    )
    .await;
    assert_eq!(his.body["value"].as_array().unwrap().len(), 1, "{his:?}");
    call(
        &graph,
        "alice",
        Method::DELETE,
        &format!("/me/drive/items/{DOCS}/permissions/{P1}"),
        b"",
    )
    .await;
    let out = get(&graph, "bob", &format!("/drives/{DRIVE}/items/{FILE}")).await;
    assert_eq!(out.status, StatusCode::FORBIDDEN, "{out:?}");
    let none = get(&graph, "bob", "/me/drive/sharedWithMe").await;
    assert_eq!(none.body, json!({"value": []}));
}

#[tokio::test]
async fn bad_sharing_requests_get_graphs_envelope_and_change_nothing() {
    // Arrange
    let graph = people_graph().await;
    alice_file(&graph).await;
    let link = format!("/me/drive/items/{FILE}/createLink");
    let invite = format!("/me/drive/items/{FILE}/invite");
    let permission = format!("/me/drive/items/{FILE}/permissions/{P3}");
    let many: Vec<Value> = (0..101)
        .map(|_| json!({"email": "bob@example.com"}))
        .collect();
    let cases = with_request_ids(
        [
            ("no type", Method::POST, link.clone(), json!({"scope": "anonymous"}), 400, "invalidRequest", "The link type is required."),
            ("unknown type", Method::POST, link.clone(), json!({"type": "print"}), 400, "invalidRequest", "Invalid link type 'print'."),
            ("embed is personal only", Method::POST, link.clone(), json!({"type": "embed"}), 400, "invalidRequest", "Embed links are only supported on OneDrive for consumers."),
            ("unknown scope", Method::POST, link.clone(), json!({"type": "view", "scope": "world"}), 400, "invalidRequest", "Invalid link scope 'world'."),
            ("password is personal only", Method::POST, link.clone(), json!({"type": "view", "password": "x"}), 400, "invalidRequest", "Passwords on sharing links are only supported on OneDrive for consumers."),
            ("expiry in the past", Method::POST, link.clone(), json!({"type": "view", "expirationDateTime": "2024-06-01T09:00:00Z"}), 400, "invalidRequest", "The expirationDateTime must be in the future."),
            ("expiry not a date", Method::POST, link.clone(), json!({"type": "view", "expirationDateTime": "soon"}), 400, "invalidRequest", "Invalid expirationDateTime 'soon'."),
            ("not JSON", Method::POST, link.clone(), Value::String("{".into()), 400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."),
            ("link on an unknown item", Method::POST, "/me/drive/items/1000000099/createLink".into(), json!({"type": "view"}), 404, "itemNotFound", "Item not found"),
            ("no recipients", Method::POST, invite.clone(), json!({"roles": ["read"]}), 400, "invalidRequest", "At least one recipient is required."),
            ("too many recipients", Method::POST, invite.clone(), json!({"recipients": many, "roles": ["read"]}), 400, "invalidRequest", "At most 100 recipients can be invited at once."),
            ("unknown recipient", Method::POST, invite.clone(), json!({"recipients": [{"email": "zed@example.com"}], "roles": ["read"]}), 400, "invalidRequest", "The recipient 'zed@example.com' is not a user of this tenant."),
            ("empty recipient", Method::POST, invite.clone(), json!({"recipients": [{}], "roles": ["read"]}), 400, "invalidRequest", "A recipient needs an email, an alias or an objectId."),
            ("no roles", Method::POST, invite.clone(), json!({"recipients": [{"email": "bob@example.com"}]}), 400, "invalidRequest", "The roles are required."),
            ("owner is no role to give", Method::POST, invite.clone(), json!({"recipients": [{"email": "bob@example.com"}], "roles": ["owner"]}), 400, "invalidRequest", "Invalid role 'owner'."),
            ("message too long", Method::POST, invite.clone(), json!({"recipients": [{"email": "bob@example.com"}], "roles": ["read"], "message": "x".repeat(2001)}), 400, "invalidRequest", "The message is longer than 2000 characters."),
            ("unknown permission", Method::GET, permission.clone(), Value::Null, 404, "itemNotFound", "Item not found"),
            ("patch unknown permission", Method::PATCH, permission.clone(), json!({"roles": ["read"]}), 404, "itemNotFound", "Item not found"),
            ("delete unknown permission", Method::DELETE, permission.clone(), Value::Null, 404, "itemNotFound", "Item not found"),
            ("put on a permission", Method::PUT, permission.clone(), Value::Null, 405, "invalidRequest", "The HTTP method is not allowed for this resource."),
            ("unknown share", Method::GET, "/shares/s!nope/driveItem".into(), Value::Null, 404, "itemNotFound", "Item not found"),
            ("share of another form", Method::GET, "/shares/abc/driveItem".into(), Value::Null, 404, "itemNotFound", "Item not found"),
            ("segment after a share", Method::GET, "/shares/s!x/driveItem/thumbnails".into(), Value::Null, 400, "BadRequest", "Resource not found for the segment 'thumbnails'."),
        ],
        ["1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a", "6e73e372-e233-8aca-16b1-cba95fc60262", "63033b0c-a389-c35a-e8f9-38e3d92c0f81", "bd64a5d9-adef-e000-6c1e-186443822970", "63cbe1e4-5932-0dd7-88fc-a0195de67e12", "9e5651b0-ef95-3636-e62b-6430f1260052", "aeaf52fe-be70-6064-d484-a1e7c35a0b13", "088712be-8a58-2fca-6fc5-530939fb94c3", "50f5647d-2380-309d-baa3-2132e1340f17", "943ff9fc-99de-8f03-ae9b-71a31d422e93", "c4ca37b7-f8ad-8aff-e1ec-8deaabc4ba58", "6aa9d614-35db-e63e-ce63-7ffb158bdee8", "875b9307-abf5-5005-4ac7-8209f18552c9", "5de186dc-ba77-9207-da27-eb19c3a2a69f", "808475f0-2ee3-7363-b5c7-e924acf5315b", "1120b3d0-0955-f032-ff49-f9357523cf3e", "bc4075f2-ef43-1a44-ff32-a37dde1f1c11", "36225990-4816-818c-9491-ff89aac68f9b", "06ca0a95-b7e8-25c7-f4fd-ae57518e21d6", "c80de0f9-d4d6-0e0a-c0ea-9e5112e4b595", "e8d7da00-1b01-81d6-d258-5f822e87ea23", "aac8c000-00a8-1e44-cabf-bb1d86fc26bb", "a208c12c-f0c7-b709-e0db-a5bfbf040ff0"],
    );

    for ((why, method, path, body, status, code, message), id) in cases {
        // Act
        let body = match body {
            Value::String(raw) => raw.into_bytes(),
            Value::Null => Vec::new(),
            body => serde_json::to_vec(&body).unwrap(),
        };
        let reply = call(&graph, "alice", method, &path, &body).await;

        // Assert
        assert_eq!(reply.status.as_u16(), status, "{why}: {reply:?}");
        graph.assert_error(&reply, status, code, message, id);
    }
    let listed = get(
        &graph,
        "alice",
        &format!("/me/drive/items/{FILE}/permissions"),
    )
    .await;
    assert_eq!(listed.body, json!({"value": []}), "nothing was made");
}

/// A sharing URL as `/shares/u!…` takes it: unpadded base64url.
fn base64_url(url: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(url)
}

#[tokio::test]
async fn an_invitee_needs_an_all_scope_to_open_the_item_and_a_reset_ends_every_link() {
    // Arrange: Bob invited to Alice's file; `alice-own-files` is Alice with Files.ReadWrite only.
    let graph = graph_with(json!({ "users": [
        {"id": "a1", "name": "Alice", "login": "alice@example.com", "tokens": ["alice"]},
        {"id": "b2", "name": "Bob", "login": "bob@example.com", "tokens": ["bob"]},
        {"id": "b2", "tokens": ["bob-own-files"], "scopes": ["Files.ReadWrite"]},
        {"id": "b2", "tokens": ["bob-read-all"], "scopes": ["Files.Read.All"]},
    ]}))
    .await;
    alice_file(&graph).await;
    let invite = json!({"recipients": [{"email": "bob@example.com"}], "roles": ["write"]});
    send(
        &graph,
        "alice",
        Method::POST,
        &format!("/me/drive/items/{FILE}/invite"),
        invite,
    )
    .await;
    send(
        &graph,
        "alice",
        Method::POST,
        &format!("/me/drive/items/{FILE}/createLink"),
        json!({"type": "view"}),
    )
    .await;
    let item = format!("/drives/{DRIVE}/items/{FILE}");

    // Act
    let own_files = get(&graph, "bob-own-files", &item).await;
    let read_all = get(&graph, "bob-read-all", &item).await;
    let write_with_read_all = call(
        &graph,
        "bob-read-all",
        Method::PUT,
        &format!("{item}/content"),
        b"x",
    )
    .await;

    // Assert: another user's drive takes a `.All` scope, as a library does; a write takes a
    // writing one.
    assert_eq!(own_files.status, StatusCode::FORBIDDEN, "{own_files:?}");
    assert_eq!(read_all.status, StatusCode::OK, "{read_all:?}");
    assert_eq!(
        write_with_read_all.status,
        StatusCode::FORBIDDEN,
        "{write_with_read_all:?}"
    );
    // The sharing list of the restricted token is still its own user's.
    let shared = get(&graph, "bob-own-files", "/me/drive/sharedWithMe").await;
    assert_eq!(shared.body["value"][0]["id"], FILE, "{shared:?}");
    // A reset of Alice's files ends her link and Bob's access.
    let url = format!("{}/_share/{T2}", graph.origin());
    assert_eq!(graph.fetch(&url).await.0, StatusCode::OK);
    let reset = (graph.app.client.post(graph.app.url("/__admin/reset")))
        .json(&json!({"user": "a1"}))
        .send()
        .await
        .unwrap();
    assert!(reset.status().is_success(), "{reset:?}");
    assert_eq!(graph.fetch(&url).await.0, StatusCode::NOT_FOUND);
    let none = get(&graph, "bob", "/me/drive/sharedWithMe").await;
    assert_eq!(none.body, json!({"value": []}));
}
