//! Box's collections: each user's one Favorites collection (`GET /2.0/collections`, `GET
//! /2.0/collections/{id}`), items put in and taken out with `collections` on `PUT /files/{id}`
//! and `PUT /folders/{id}` without moving their etag, its page of items (folders first, what the
//! caller still reaches, outside the trash), another user's collection apart, every refusal in
//! Box's envelope with nothing changed, the state export and fixtures, and box_sdk_gen's own
//! calls.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::box_collaborations::{as_user, bob_on, folder_mini, BOB};
use crate::support::box_api::*;
use crate::support::{spawn, TestApp};

/// The caller's Favorites id, from the list of their collections (checked whole).
async fn favorites(app: &TestApp, token: &str) -> String {
    let listed = as_user(app, token, Method::GET, "/2.0/collections", None).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let collection = listed.body["entries"][0].clone();
    assert_collection_shape(&collection);
    assert_eq!(
        listed.body,
        json!({"total_count": 1, "entries": [collection], "offset": 0, "limit": 100})
    );
    collection["id"].as_str().unwrap().to_owned()
}

/// `PUT` of `collections` on `item` (`files/…` or `folders/…`) as `token`, answered 200.
async fn collect(app: &TestApp, token: &str, item: &str, collections: Value) -> Value {
    let body = json!({ "collections": collections });
    let put = as_user(app, token, Method::PUT, &format!("/2.0/{item}"), Some(body)).await;
    assert_eq!(put.status, StatusCode::OK, "{item}: {}", put.body);
    put.body
}

/// The page of `token`'s Favorites at `query`, checked against Box's `Items` shape when its
/// entries are minis (no `fields`).
async fn items(app: &TestApp, token: &str, collection: &str, query: &str) -> Value {
    let path = format!("/2.0/collections/{collection}/items{query}");
    let page = as_user(app, token, Method::GET, &path, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    if !query.contains("fields") {
        assert_items_shape(&page.body, false);
    }
    page.body
}

/// Bob, made an editor of `folder`, puts it in his Favorites: Bob's `(id, name, login)` and his
/// Favorites id.
async fn bob_favors(app: &TestApp, folder: &str) -> ((String, String, String), String) {
    let bob = bob_on(app, folder, "editor").await;
    let his = favorites(app, BOB).await;
    collect(app, BOB, &format!("folders/{folder}"), json!([{"id": his}])).await;
    (bob, his)
}

fn page(total: usize, entries: Value, offset: usize, limit: usize) -> Value {
    json!({
        "total_count": total, "entries": entries, "offset": offset, "limit": limit,
        "order": [{"by": "type", "direction": "ASC"}, {"by": "name", "direction": "ASC"}],
    })
}

/// A file's mini as a folder listing shows it.
async fn file_mini(app: &TestApp, file: &str) -> Value {
    let listed = get(app, "/2.0/folders/0/items?limit=1000").await.body;
    (listed["entries"].as_array().unwrap().iter())
        .find(|entry| entry["id"] == file)
        .cloned()
        .expect("the file in the root")
}

#[tokio::test]
async fn favorites_hold_what_the_caller_put_there_folders_first_until_taken_out_or_trashed() {
    // Arrange
    let app = spawn().start().await;
    let fav = favorites(&app, TOKEN).await;
    let folder = id(&create_folder(&app, "0", "Zeta").await).to_owned();
    let b = id(&upload(&app, "0", "b.txt", b"bee").await).to_owned();
    let a = id(&upload(&app, "0", "a.txt", b"ay").await).to_owned();
    let before = get(&app, &format!("/2.0/files/{a}")).await.body;

    // Act
    for item in [
        format!("files/{b}"),
        format!("folders/{folder}"),
        format!("files/{a}"),
    ] {
        collect(&app, TOKEN, &item, json!([{"id": fav}])).await;
    }

    // Assert: folders first, then by name; the items themselves did not change.
    let (a_mini, b_mini) = (file_mini(&app, &a).await, file_mini(&app, &b).await);
    let all = json!([folder_mini(&folder, "Zeta"), a_mini, b_mini]);
    assert_eq!(items(&app, TOKEN, &fav, "").await, page(3, all, 0, 100));
    assert_eq!(get(&app, &format!("/2.0/files/{a}")).await.body, before);
    assert_eq!(
        items(&app, TOKEN, &fav, "?offset=1&limit=1&fields=name").await,
        page(
            3,
            json!([{"type": "file", "id": a, "etag": "0", "name": "a.txt"}]),
            1,
            1
        )
    );
    let read = as_user(
        &app,
        TOKEN,
        Method::GET,
        &format!("/2.0/collections/{fav}"),
        None,
    )
    .await;
    assert_eq!(
        read.body,
        json!({"id": fav, "type": "collection", "name": "Favorites", "collection_type": "favorites"})
    );

    // Act: the file in the trash drops out, and comes back restored; [] takes the folder out.
    let trashed = send(request(&app, Method::DELETE, &format!("/2.0/files/{a}"))).await;
    assert_eq!(trashed.status, StatusCode::NO_CONTENT, "{}", trashed.body);
    let while_trashed = items(&app, TOKEN, &fav, "").await;
    let restored = send_json(&app, Method::POST, &format!("/2.0/files/{a}"), json!({})).await;
    assert_eq!(restored.status, StatusCode::CREATED, "{}", restored.body);
    collect(&app, TOKEN, &format!("folders/{folder}"), json!([])).await;

    // Assert
    let (a_mini, b_mini) = (file_mini(&app, &a).await, file_mini(&app, &b).await);
    let without_a = json!([folder_mini(&folder, "Zeta"), b_mini.clone()]);
    assert_eq!(while_trashed, page(2, without_a, 0, 100));
    let without_folder = json!([a_mini, b_mini]);
    assert_eq!(
        items(&app, TOKEN, &fav, "").await,
        page(2, without_folder, 0, 100)
    );
}

#[tokio::test]
async fn each_user_has_a_favorites_of_their_own_and_a_collaborator_keeps_what_they_reach() {
    // Arrange: Bob edits Alice's folder and puts it in his Favorites.
    let app = spawn().start().await;
    let folder = id(&create_folder(&app, "0", "Shared").await).to_owned();
    let (_, his) = bob_favors(&app, &folder).await;
    let mine = favorites(&app, TOKEN).await;

    // Act
    let bobs = items(&app, BOB, &his, "").await;
    let alices = items(&app, TOKEN, &mine, "").await;
    let foreign = as_user(
        &app,
        BOB,
        Method::GET,
        &format!("/2.0/collections/{mine}"),
        None,
    )
    .await;
    let foreign_items = format!("/2.0/collections/{mine}/items");
    let foreign_items = as_user(&app, BOB, Method::GET, &foreign_items, None).await;
    let collaborations = get(&app, &format!("/2.0/folders/{folder}/collaborations")).await;
    let collaboration = collaborations.body["entries"][0]["id"].as_str().unwrap();
    let removed = send(request(
        &app,
        Method::DELETE,
        &format!("/2.0/collaborations/{collaboration}"),
    ))
    .await;

    // Assert: ids differ by user; Alice's collection is none of Bob's business.
    assert_ne!(mine, his);
    assert_eq!(
        bobs,
        page(1, json!([folder_mini(&folder, "Shared")]), 0, 100)
    );
    assert_eq!(alices, page(0, json!([]), 0, 100));
    assert_not_found(&foreign);
    assert_not_found(&foreign_items);
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
    assert_eq!(
        items(&app, BOB, &his, "").await,
        page(0, json!([]), 0, 100),
        "gone with the collaboration"
    );
}

#[tokio::test]
async fn every_bad_collections_request_is_refused_whole_with_boxs_envelope() {
    // Arrange
    let app = spawn().start().await;
    let fav = favorites(&app, TOKEN).await;
    let f = id(&upload(&app, "0", "a.txt", b"one").await).to_owned();
    let d = id(&create_folder(&app, "0", "F").await).to_owned();
    collect(&app, TOKEN, &format!("files/{f}"), json!([{"id": fav}])).await;
    let snapshot = || async {
        let listed = get(&app, "/2.0/folders/0/items?fields=name,description")
            .await
            .body;
        (listed, items(&app, TOKEN, &fav, "").await)
    };
    let before = snapshot().await;
    let unknown = format!(
        "Invalid value '123'. The only collection is the caller's Favorites, '{fav}' (GET \
         /2.0/collections)."
    );
    let put = |item: &str| request(&app, Method::PUT, &format!("/2.0/{item}"));
    let read = |path: &str| request(&app, Method::GET, path);
    let array = "Expected an array of collections, each {\"id\": …}.";
    let no_id = "Every collection must be an object with an id.";
    #[rustfmt::skip]
    let cases = [
        ("another collection id, with a rename", put(&format!("folders/{d}")),
         json!({"collections": [{"id": "123"}], "name": "G"}), StatusCode::BAD_REQUEST,
         Some(("collections", unknown.as_str()))),
        ("Favorites and another", put(&format!("files/{f}")),
         json!({"collections": [{"id": fav}, {"id": 123}], "description": "d"}),
         StatusCode::BAD_REQUEST, Some(("collections", unknown.as_str()))),
        ("not an array", put(&format!("files/{f}")), json!({"collections": {"id": fav}}),
         StatusCode::BAD_REQUEST, Some(("collections", array))),
        ("an entry without an id", put(&format!("files/{f}")),
         json!({"collections": [{"type": "collection"}]}), StatusCode::BAD_REQUEST,
         Some(("collections", no_id))),
        ("another user's collection", read("/2.0/collections/123"), Value::Null,
         StatusCode::NOT_FOUND, None),
        ("its items", read("/2.0/collections/123/items"), Value::Null, StatusCode::NOT_FOUND,
         None),
        ("a limit of 0", read(&format!("/2.0/collections/{fav}/items?limit=0")), Value::Null,
         StatusCode::BAD_REQUEST, None),
        ("an offset that is no number", read("/2.0/collections?offset=x"), Value::Null,
         StatusCode::BAD_REQUEST, None),
    ];

    // The paging refusals' whole bodies, which `assert_refused` checks only for their shape.
    let paging = [
        (
            "a limit of 0",
            "invalid_limit",
            "Limit is not a valid number",
        ),
        (
            "an offset that is no number",
            "invalid_offset",
            "Offset is not a valid number",
        ),
    ];

    for (case, builder, body, status, parameter) in cases {
        // Act + Assert
        let reply = assert_refused(case, builder, body, status, parameter).await;
        if let Some((_, code, message)) = paging.iter().find(|(name, ..)| *name == case) {
            let request_id = reply.body["request_id"].as_str().unwrap();
            assert_eq!(
                reply.body,
                error_json(request_id, 400, code, message, None),
                "{case}"
            );
        }
    }

    // Assert: nothing renamed, described or taken out.
    assert_eq!(snapshot().await, before);
}

#[tokio::test]
async fn null_and_an_empty_list_are_taken_with_the_rest_of_an_update() {
    // Arrange
    let app = spawn().start().await;
    let f = id(&upload(&app, "0", "a.txt", b"one").await).to_owned();

    // Act: box_sdk_gen removes a link with `shared_link: null` and unlocks with `lock: null`.
    let Reply { status, body, .. } = send_json(
        &app,
        Method::PUT,
        &format!("/2.0/files/{f}?fields=name,shared_link,lock,tags,description"),
        json!({
            "name": "b.txt", "shared_link": null, "lock": null,
            "description": "", "tags": [], "collections": [],
        }),
    )
    .await;
    let kept = send_json(
        &app,
        Method::PUT,
        &format!("/2.0/files/{f}?fields=name"),
        json!({"collections": null}),
    )
    .await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "type": "file", "id": f, "etag": "1", "name": "b.txt", "shared_link": null,
            "lock": null, "tags": [], "description": "",
        })
    );
    assert_eq!(
        kept.body,
        json!({"type": "file", "id": f, "etag": "1", "name": "b.txt"})
    );
}

#[tokio::test]
async fn the_state_export_holds_favorites_and_loads_back_equal() {
    // Arrange
    let app = spawn().start().await;
    let fav = favorites(&app, TOKEN).await;
    let f = id(&upload(&app, "0", "a.txt", b"one").await).to_owned();
    collect(&app, TOKEN, &format!("files/{f}"), json!([{"id": fav}])).await;

    // Act
    let state = send(app.client.get(app.url("/__admin/state"))).await.body;
    let again = spawn().fixture(state.clone()).start().await;

    // Assert: the export names the user; the loaded copy has the same id and the same page.
    let items_of = |state: &Value| state["spaces"][0]["items"].clone();
    let exported = (items_of(&state).as_array().unwrap().iter())
        .find(|i| i["path"] == "a.txt")
        .cloned()
        .unwrap();
    assert_eq!(exported["favorited_by"], json!([user(&app)["id"]]));
    assert_eq!(favorites(&again, TOKEN).await, fav);
    assert_eq!(
        items(&again, TOKEN, &fav, "").await,
        items(&app, TOKEN, &fav, "").await
    );
}

#[tokio::test]
async fn the_admin_item_view_names_whose_favorites_hold_the_item() {
    // Arrange
    let app = spawn().start().await;
    let folder = id(&create_folder(&app, "0", "Shared").await).to_owned();
    let file = id(&upload(&app, &folder, "a.txt", b"one").await).to_owned();
    let (bob, _) = bob_favors(&app, &folder).await;

    // Act
    let item = send(app.client.get(app.url(&format!("/__admin/items/{folder}")))).await;
    let other = send(app.client.get(app.url(&format!("/__admin/items/{file}")))).await;

    // Assert: Bob by id, name and login; an item in nobody's Favorites leaves the key out.
    assert_eq!(item.status, StatusCode::OK, "{}", item.body);
    assert_eq!(
        item.body["favorited_by"],
        json!([{"id": bob.0, "name": bob.1, "login": bob.2}])
    );
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);
    assert!(other.body.get("favorited_by").is_none(), "{}", other.body);
}

#[tokio::test]
async fn a_fixture_naming_an_unknown_user_in_favorites_is_refused_whole() {
    let fixture = json!({
        "users": [{"id": "42", "tokens": ["ada-token"]}],
        "spaces": [{"face": "box", "owner": "42", "items": [
            {"type": "file", "path": "a.txt", "favorited_by": ["42", "nobody"],
             "versions": [{"text": "x"}]},
        ]}],
    });
    assert_fixture_refused("an unknown user", fixture, "a.txt").await;
}

/// box_sdk_gen's `collections` manager and `collections=[…]` updates
/// (`tests/sdk/box_favorites.py`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_puts_items_in_favorites_and_takes_them_out() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act
    let output = crate::support::run_sdk_script_off_runtime("box_favorites.py", &root).await;

    // Assert: read back over HTTP, the file alone is left in the SDK user's Favorites.
    assert!(output.contains("box favorites passed"), "{output}");
    let token = "sdk-favorites-token";
    let fav = favorites(&app, token).await;
    let left = items(&app, token, &fav, "?fields=name").await;
    assert_eq!(left["total_count"], 1, "{left}");
    assert_eq!(left["entries"][0]["name"], "a.txt", "{left}");
}
