//! Box's shared links, locks, descriptions and tags, metadata and comments in the fixture format
//! and the state export (`src/fixture/mod.rs`): the module docs' example loads and behaves, an
//! export survives a reset and loads back equal, a bad entry is refused whole and named, and the
//! admin page's item JSON shows what Box keeps beside an item.

use std::path::Path;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::readme::snippets_in;
use crate::support::box_api::{with_multipart, Part};
use crate::support::{send, spawn, Reply, TestApp};

/// The `box extras fixture` example of the fixture docs, whose users are Alice (`a1`, token
/// `alice`) and Bob (`b2`, token `bob`).
fn extras_fixture() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/fixture/mod.rs");
    let [fixture] = &snippets_in(&path, "box extras fixture")[..] else {
        panic!("one box extras fixture example");
    };
    serde_json::from_str(fixture).expect("the example is JSON")
}

async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Reply {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    send(request).await
}

async fn alice(app: &TestApp, path: &str) -> Reply {
    call(app, "alice", Method::GET, path, None).await
}

async fn load(app: &TestApp, fixture: &Value) -> Reply {
    send(app.client.post(app.url("/__admin/fixtures")).json(fixture)).await
}

async fn export(app: &TestApp) -> Value {
    send(app.client.get(app.url("/__admin/state"))).await.body
}

/// The id of the item at `path` in the export's first space.
fn item_id(state: &Value, path: &str) -> String {
    let items = state["spaces"][0]["items"].as_array().unwrap();
    let item = items.iter().find(|i| i["path"] == path).unwrap();
    item["id"].to_string()
}

/// The app with the docs' example loaded, and the ids of `Deals` and `Deals/acme.txt`.
async fn with_extras() -> (TestApp, String, String) {
    let app = spawn().start().await;
    let loaded = load(&app, &extras_fixture()).await;
    assert_eq!(loaded.status, StatusCode::OK, "{loaded:?}");
    let state = export(&app).await;
    let folder = item_id(&state, "Deals");
    let file = item_id(&state, "Deals/acme.txt");
    (app, folder, file)
}

#[tokio::test]
async fn the_box_extras_fixture_loads_and_its_link_lock_and_metadata_hold() {
    // Arrange
    let (app, folder, file) = with_extras().await;

    // Act
    let shared = alice(
        &app,
        &format!("/2.0/files/{file}?fields=shared_link,lock,description"),
    )
    .await;
    let url = shared.body["shared_link"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let opened = send(app.client.get(&url)).await;
    let renamed = call(
        &app,
        "alice",
        Method::PUT,
        &format!("/2.0/files/{file}"),
        Some(json!({"name": "b.txt"})),
    )
    .await;
    let instance = alice(
        &app,
        &format!("/2.0/files/{file}/metadata/enterprise/contract"),
    )
    .await;
    let properties = alice(
        &app,
        &format!("/2.0/folders/{folder}/metadata/global/properties"),
    )
    .await;
    let templates = alice(&app, "/2.0/metadata_templates/enterprise").await;
    let comments = alice(&app, &format!("/2.0/files/{file}/comments")).await;

    // Assert
    assert_eq!(
        (opened.status, &opened.bytes[..]),
        (StatusCode::OK, &b"v2"[..]),
        "the link opens the current bytes without a token"
    );
    assert_eq!(
        shared.body["lock"]["created_by"]["id"], "b2",
        "{:?}",
        shared.body
    );
    assert_eq!(shared.body["description"], "The Acme deal");
    assert_eq!(
        (renamed.status, &renamed.body["code"]),
        (StatusCode::FORBIDDEN, &json!("access_denied_item_locked")),
        "Bob's lock keeps Alice from renaming her file: {renamed:?}"
    );
    assert_eq!(instance.status, StatusCode::OK, "{instance:?}");
    assert_eq!(
        (
            &instance.body["client"],
            &instance.body["status"],
            &instance.body["$version"]
        ),
        (&json!("Acme"), &json!("draft"), &json!(0))
    );
    assert_eq!(properties.body["team"], "emea", "{properties:?}");
    let listed: Vec<(&Value, Vec<&Value>)> = (templates.body["entries"].as_array().unwrap().iter())
        .map(|t| {
            let fields = t["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| &f["key"])
                .collect();
            (&t["templateKey"], fields)
        })
        .collect();
    assert_eq!(
        listed,
        [(&json!("contract"), vec![&json!("client"), &json!("status")])]
    );
    assert_eq!(comments.body["entries"][0]["created_by"]["id"], "b2");
}

/// What Alice reads of the state through the Box API: the file and folder with their links,
/// locks and notes, their metadata, the templates.
async fn snapshot(app: &TestApp, folder: &str, file: &str, other: &str) -> Vec<Value> {
    let fields = "fields=name,shared_link,lock,description,tags,etag";
    let mut out = Vec::new();
    for path in [
        format!("/2.0/files/{file}?{fields}"),
        format!("/2.0/files/{other}?{fields}"),
        format!("/2.0/folders/{folder}?{fields}"),
        format!("/2.0/files/{file}/metadata"),
        format!("/2.0/folders/{folder}/metadata"),
        "/2.0/metadata_templates/enterprise".to_owned(),
    ] {
        let reply = alice(app, &path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {reply:?}");
        out.push(reply.body);
    }
    out
}

#[tokio::test]
async fn an_export_survives_a_reset_and_loads_back_equal_with_its_links_locks_and_metadata() {
    // Arrange: the docs' example, and more made through the API, whose ids the emulator picks.
    let (app, folder, file) = with_extras().await;
    let template = json!({
        "scope": "enterprise", "templateKey": "project", "displayName": "Project",
        "fields": [
            {"type": "float", "key": "budget", "displayName": "Budget"},
            {"type": "date", "key": "due", "displayName": "Due"},
            {"type": "multiSelect", "key": "regions", "displayName": "Regions",
             "options": [{"key": "emea"}, {"key": "apac"}]}
        ]
    });
    let made = call(
        &app,
        "alice",
        Method::POST,
        "/2.0/metadata_templates/schema",
        Some(template),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{made:?}");
    let values = json!({"budget": 12.5, "due": "2024-07-01T00:00:00Z", "regions": ["apac"]});
    let path = format!("/2.0/folders/{folder}/metadata/enterprise/project");
    let instance = call(&app, "alice", Method::POST, &path, Some(values)).await;
    assert_eq!(instance.status, StatusCode::CREATED, "{instance:?}");
    let patch = json!([{"op": "replace", "path": "/status", "value": "signed"}]);
    let path = format!("/2.0/files/{file}/metadata/enterprise/contract");
    let patched = call(&app, "alice", Method::PUT, &path, Some(patch)).await;
    assert_eq!(patched.status, StatusCode::OK, "{patched:?}");
    let link = json!({"shared_link": {"access": "company"}});
    let shared = call(
        &app,
        "alice",
        Method::PUT,
        &format!("/2.0/folders/{folder}"),
        Some(link),
    )
    .await;
    assert_eq!(shared.status, StatusCode::OK, "{shared:?}");
    let parts = [
        Part::attributes(r#"{"name": "notes.txt", "parent": {"id": "0"}}"#),
        Part::file(b"n"),
    ];
    let request = app.client.post(app.url("/api/2.0/files/content"));
    let upload = send(with_multipart(request.bearer_auth("alice"), &parts)).await;
    assert_eq!(upload.status, StatusCode::CREATED, "{upload:?}");
    let other = upload.body["entries"][0]["id"].as_str().unwrap().to_owned();
    let link = json!({"shared_link": {"access": "open", "password": "s3cret-pass", "unshared_at": "2030-01-01T00:00:00Z"}});
    let shared = call(
        &app,
        "alice",
        Method::PUT,
        &format!("/2.0/files/{other}"),
        Some(link),
    )
    .await;
    assert_eq!(shared.status, StatusCode::OK, "{shared:?}");
    let exported = export(&app).await;
    let before = snapshot(&app, &folder, &file, &other).await;

    // Act
    let reset = send(app.client.post(app.url("/__admin/reset"))).await;
    let emptied = export(&app).await;
    let loaded = load(&app, &exported).await;

    // Assert: the same export, and the same answers through the Box API.
    assert_eq!(reset.status, StatusCode::NO_CONTENT, "{reset:?}");
    assert_eq!(emptied, json!({}), "the reset emptied the server");
    assert_eq!(loaded.status, StatusCode::OK, "{loaded:?}");
    assert_eq!(export(&app).await, exported);
    assert_eq!(snapshot(&app, &folder, &file, &other).await, before);
    let items = exported["spaces"][0]["items"].as_array().unwrap();
    let acme = items
        .iter()
        .find(|i| i["path"] == "Deals/acme.txt")
        .unwrap();
    assert_eq!(
        (
            &acme["shared_link"]["access"],
            &acme["shared_link"]["created_by"]
        ),
        (&json!("open"), &json!("a1"))
    );
    assert_eq!(acme["metadata"][0]["version"], 1, "the patch counted");
    assert_eq!(
        exported["box_metadata_templates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| &t["key"])
            .collect::<Vec<_>>(),
        [&json!("contract"), &json!("project")]
    );
    // New links and templates go on numbering past the loaded ones.
    let link = json!({"shared_link": {"access": "open"}});
    let new_link = call(
        &app,
        "alice",
        Method::PUT,
        &format!("/2.0/files/{file}?fields=shared_link"),
        Some(json!({"shared_link": null})),
    )
    .await;
    assert_eq!(new_link.status, StatusCode::OK, "{new_link:?}");
    let relinked = call(
        &app,
        "alice",
        Method::PUT,
        &format!("/2.0/files/{file}?fields=shared_link"),
        Some(link),
    )
    .await;
    let old_urls: Vec<&Value> = before.iter().map(|b| &b["shared_link"]["url"]).collect();
    assert!(
        !old_urls.contains(&&relinked.body["shared_link"]["url"]),
        "a new link gets a new URL: {relinked:?}"
    );
    let another = json!({"scope": "enterprise", "templateKey": "later", "displayName": "Later",
        "fields": [{"type": "string", "key": "k", "displayName": "K"}]});
    let later = call(
        &app,
        "alice",
        Method::POST,
        "/2.0/metadata_templates/schema",
        Some(another),
    )
    .await;
    let exported_text = exported.to_string();
    for id in [&later.body["id"], &later.body["fields"][0]["id"]] {
        let id = id.as_str().unwrap();
        assert!(!exported_text.contains(id), "{id} is new");
    }
}

/// A refused fixture: why, the change to the docs' example, the entry named, what is said.
type Case = (&'static str, fn(&mut Value), &'static str, &'static str);

#[tokio::test]
async fn a_bad_link_metadata_or_template_entry_is_refused_whole_and_named() {
    let file = "spaces[0].items[1] (Deals/acme.txt)";
    let cases: [Case; 15] = [
        (
            "a password on a company link",
            |f| f["spaces"][0]["items"][1]["shared_link"] = json!({"access": "company", "password": "p"}),
            file,
            "shared link: a password needs open access",
        ),
        (
            "can_edit on a folder's link",
            |f| f["spaces"][0]["items"][0]["shared_link"] = json!({"can_edit": true}),
            "spaces[0].items[0] (Deals)",
            "shared link: incorrect permission combination",
        ),
        (
            "can_download on a collaborators link",
            |f| f["spaces"][0]["items"][1]["shared_link"] = json!({"access": "collaborators", "can_download": true}),
            file,
            "shared link: incorrect permission combination",
        ),
        (
            "a link by an unknown user",
            |f| f["spaces"][0]["items"][1]["shared_link"]["created_by"] = json!("nobody"),
            file,
            "unknown user \"nobody\"",
        ),
        (
            "two links with one id",
            |f| {
                f["spaces"][0]["items"][0]["shared_link"] = json!({"id": "L1"});
                f["spaces"][0]["items"][1]["shared_link"]["id"] = json!("L1");
            },
            file,
            "shared link id \"L1\" is already in use",
        ),
        (
            "metadata on a Graph item",
            |f| f["spaces"][0]["face"] = json!("graph"),
            "spaces[0].items[0] (Deals)",
            "only a Box item has metadata",
        ),
        (
            "a link on a Graph item",
            |f| {
                f["spaces"][0]["face"] = json!("graph");
                f["spaces"][0]["items"][0].as_object_mut().unwrap().remove("metadata");
            },
            file,
            "only a Box item has a shared link",
        ),
        (
            "an instance of a template nobody has",
            |f| f["spaces"][0]["items"][1]["metadata"][0]["template"] = json!("invoice"),
            file,
            "metadata enterprise_1.invoice: no such template",
        ),
        (
            "a value that is not one of the enum's options",
            |f| f["spaces"][0]["items"][1]["metadata"][0]["values"]["status"] = json!("lost"),
            file,
            "metadata enterprise_1.contract: Encountered invalid value for template field key=status field type=enum",
        ),
        (
            "a key the template lacks",
            |f| f["spaces"][0]["items"][1]["metadata"][0]["values"]["owner"] = json!("x"),
            file,
            "metadata enterprise_1.contract: Encountered invalid key owner for template contract",
        ),
        (
            "two instances of one template",
            |f| {
                let again = f["spaces"][0]["items"][1]["metadata"][0].clone();
                f["spaces"][0]["items"][1]["metadata"].as_array_mut().unwrap().push(again);
            },
            file,
            "metadata enterprise_1.contract: a second instance",
        ),
        (
            "a template key that starts with a digit",
            |f| f["box_metadata_templates"][0]["key"] = json!("1contract"),
            "box_metadata_templates[0] (1contract)",
            "a template key is letters, digits, _ and - (not first), at most 64",
        ),
        (
            "a field of no type Box has",
            |f| f["box_metadata_templates"][0]["fields"][0]["type"] = json!("integer"),
            "box_metadata_templates[0] (contract)",
            "fields[0] (client): type is string, float, date, enum or multiSelect",
        ),
        (
            "two fields with one key",
            |f| f["box_metadata_templates"][0]["fields"][1]["key"] = json!("client"),
            "box_metadata_templates[0] (contract)",
            "fields[1] (client): field keys must differ",
        ),
        (
            "two templates with one key",
            |f| {
                let again = f["box_metadata_templates"][0].clone();
                f["box_metadata_templates"].as_array_mut().unwrap().push(again);
            },
            "box_metadata_templates[1] (contract)",
            "a template with this key already exists",
        ),
    ];
    for (why, change, entry, message) in cases {
        // Arrange
        let app = spawn().start().await;
        let mut fixture = extras_fixture();
        change(&mut fixture);

        // Act
        let reply = load(&app, &fixture).await;
        let state = export(&app).await;

        // Assert
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{why}: {reply:?}");
        assert_eq!(
            reply.body["error"],
            json!({
                "code": "invalid_fixture",
                "message": format!("the fixture was refused, nothing of it was applied: {entry}: {message}"),
            }),
            "{why}"
        );
        assert_eq!(state, json!({}), "{why}: nothing may be applied");
    }
}

#[tokio::test]
async fn the_admin_item_json_shows_a_box_items_link_lock_metadata_notes_and_comments() {
    // Arrange
    let (app, folder, file) = with_extras().await;
    let shared = alice(&app, &format!("/2.0/files/{file}?fields=shared_link")).await;
    let url = shared.body["shared_link"]["url"].as_str().unwrap();
    let relative = &url[url.find("/_share/").unwrap()..];

    // Act
    let item = send(app.client.get(app.url(&format!("/__admin/items/{file}")))).await;
    let parent = send(app.client.get(app.url(&format!("/__admin/items/{folder}")))).await;

    // Assert
    let now = crate::support::NOW;
    let alice = json!({"id": "a1", "name": "Alice", "login": "usera1@example.com"});
    let bob = json!({"id": "b2", "name": "Bob", "login": "userb2@example.com"});
    let state = export(&app).await;
    let root = &state["spaces"][0]["root"]["id"];
    let versions = (state["spaces"][0]["items"].as_array().unwrap().iter())
        .find(|i| i["path"] == "Deals/acme.txt")
        .unwrap()["versions"]
        .clone();
    let contract_id = item.body["metadata"][0]["id"].clone();
    let folder: u64 = folder.parse().unwrap();
    assert_eq!(
        item.body,
        json!({
            "id": file.parse::<u64>().unwrap(), "type": "file", "face": "box", "owner": alice,
            "name": "acme.txt", "parent": folder, "modified_at": now, "trashed_at": null,
            "trashed_by": null, "version_count": 2, "size": 2, "mime_type": "text/plain",
            "current_version": versions[1]["id"],
            "path": [{"id": root, "name": "root"}, {"id": folder, "name": "Deals"}],
            "description": "The Acme deal",
            "shared_link": {
                "url": relative, "access": "open", "live": true, "is_password_enabled": false,
                "unshared_at": null, "can_download": true, "can_edit": false, "created_by": alice,
            },
            "lock": {
                "id": 1, "created_by": bob, "created_at": now, "expires_at": null,
                "is_download_prevented": false,
            },
            "metadata": [{
                "scope": "enterprise_1", "template": "contract", "display_name": "Contract",
                "id": contract_id, "version": 0, "values": {"client": "Acme", "status": "draft"},
            }],
            "comment_count": 1,
        })
    );
    assert_eq!(
        (
            &parent.body["tags"],
            &parent.body["metadata"][0]["display_name"],
            &parent.body["metadata"][0]["values"],
            parent.body.get("shared_link"),
            parent.body.get("lock"),
        ),
        (
            &json!(["sales"]),
            &json!("Properties"),
            &json!({"team": "emea"}),
            None,
            None
        )
    );
}
