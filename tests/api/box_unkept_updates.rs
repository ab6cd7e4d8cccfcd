//! `PUT /files/{id}` and `PUT /folders/{id}` with the key the emulator does not keep yet
//! (`collections`; shared links, locks, descriptions and tags are kept: `box_shared_links`,
//! `box_locks`): a value that would change the item is refused whole, naming the key, and the
//! rename sent with it is not applied; `null` or an empty value is taken with the rest of the
//! update.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::spawn;

fn unkept(request_id: &str, name: &str) -> Value {
    bad_request(
        request_id,
        "invalid_parameter",
        name,
        &format!(
            "The emulator does not keep '{name}' yet; nothing was changed. Only null (or an \
             empty value) is taken."
        ),
    )
}

#[tokio::test]
async fn an_update_that_would_change_an_unkept_key_is_refused_whole() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let folder = create_folder(&app, "0", "F").await;
    let d = id(&folder).to_owned();
    let file_path = format!("/2.0/files/{f}?fields=lock");
    let folder_path = format!("/2.0/folders/{d}");
    let cases = [
        (
            "a folder in a collection",
            folder_path.clone(),
            json!({"collections": [{"id": "123"}], "name": "G"}),
            "collections",
        ),
        (
            "a file in a collection",
            file_path.clone(),
            json!({"collections": [{"id": "123"}], "name": "renamed.txt"}),
            "collections",
        ),
    ];
    let ids = ["1iqybveasnwi9py5", "jy7327635gmk3m5w"];
    for ((case, path, body, key), request_id) in crate::support::with_request_ids(cases, ids) {
        // Act
        let Reply { status, body, .. } = send_json(&app, Method::PUT, &path, body).await;

        // Assert
        assert_eq!(status, StatusCode::BAD_REQUEST, "{case}: {body}");
        assert_eq!(body, unkept(request_id, key), "{case}");
    }
    // Read back: neither item was renamed, nor its etag moved.
    let Reply { body: read, .. } = get(&app, "/2.0/folders/0/items?fields=name").await;
    assert_eq!(
        read["entries"],
        json!([
            {"type": "folder", "id": d, "etag": "0", "name": "F"},
            {"type": "file", "id": f, "etag": "0", "name": "a.txt"},
        ])
    );
}

#[tokio::test]
async fn null_and_empty_values_of_unkept_keys_are_taken_with_the_rest_of_the_update() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();

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

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "type": "file", "id": f, "etag": "1", "name": "b.txt", "shared_link": null,
            "lock": null, "tags": [], "description": "",
        })
    );
}
