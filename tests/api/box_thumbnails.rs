//! Box thumbnails (`GET /2.0/files/{id}/thumbnail.{png,jpg}`): an image gets a PNG of the
//! smallest size Box makes within the bounds, read back with `imagesize`; another file a `302` to
//! a placeholder PNG that needs no token; `.jpg` of an image Box's `404
//! preview_cannot_be_generated` (no JPEG encoder is linked); every refusal in Box's envelope,
//! checked against the OpenAPI `ClientError`, with the file unchanged; box_sdk_gen reads both
//! (`tests/sdk/box_thumbnail.py`).

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::support::box_api::*;
use crate::support::{run_sdk_script, send, spawn, TestApp};

/// A real 600 × 400 PNG.
fn png_photo() -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, 600, 400);
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&vec![7u8; 600 * 400]).unwrap();
    writer.finish().unwrap();
    out
}

/// photo.png and notes.txt in the root: their ids.
async fn seeded(app: &TestApp) -> (String, String) {
    let photo = upload(app, "0", "photo.png", &png_photo()).await;
    let notes = upload(app, "0", "notes.txt", b"plain text").await;
    (id(&photo).to_owned(), id(&notes).to_owned())
}

fn dimensions(bytes: &[u8]) -> (usize, usize) {
    let size = imagesize::blob_size(bytes).expect("an image");
    (size.width, size.height)
}

/// The request id the body carries (its form is checked by `error_json`).
fn request_id(reply: &Reply) -> String {
    reply.body["request_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn an_image_is_served_as_a_png_of_the_smallest_size_within_the_bounds() {
    // Arrange
    let app = spawn().start().await;
    let (photo, _) = seeded(&app).await;

    for (query, edge, why) in [
        ("", 32, "no bounds: the smallest PNG size"),
        ("?min_width=33", 64, "the next size up meets the minimum"),
        (
            "?min_height=100&max_width=320",
            128,
            "128 meets 100 and fits 320",
        ),
        (
            "?min_width=129&min_height=32&max_height=256",
            256,
            "only 256 is left",
        ),
        (
            "?max_width=64&max_height=64&min_height=64",
            64,
            "minimum and maximum agree",
        ),
    ] {
        // Act
        let reply = get(&app, &format!("/2.0/files/{photo}/thumbnail.png{query}")).await;

        // Assert
        assert_eq!(reply.status, StatusCode::OK, "{why}: {reply:?}");
        assert_eq!(reply.headers["content-type"], "image/png", "{why}");
        assert!(reply.headers.contains_key("box-request-id"), "{why}");
        assert_eq!(dimensions(&reply.bytes), (edge, edge), "{why}");
    }
}

#[tokio::test]
async fn a_file_with_no_thumbnails_is_sent_to_a_placeholder_that_needs_no_token() {
    // Arrange
    let app = spawn().start().await;
    let (_, notes) = seeded(&app).await;

    for extension in ["png", "jpg"] {
        // Act
        let reply = get(&app, &format!("/2.0/files/{notes}/thumbnail.{extension}")).await;

        // Assert: Box's 302 for a type it has no thumbnails of, to an absolute URL.
        assert_eq!(reply.status, StatusCode::FOUND, "{extension}: {reply:?}");
        let location = reply.headers["location"].to_str().unwrap();
        assert_eq!(
            location,
            app.url("/_content/placeholder.png"),
            "{extension}"
        );
        let placeholder = send(app.client.get(location)).await;
        assert_eq!(placeholder.status, StatusCode::OK);
        assert_eq!(placeholder.headers["content-type"], "image/png");
        assert_eq!(dimensions(&placeholder.bytes), (256, 256));
    }
}

/// The file as the API shows it, and the root's listing: what a thumbnail request must not change.
async fn snapshot(app: &TestApp, file: &str) -> (Value, Value) {
    let file = get(app, &format!("/2.0/files/{file}")).await.body;
    let root = get(app, "/2.0/folders/0/items").await.body;
    (file, root)
}

#[tokio::test]
async fn every_refusal_is_a_box_error_and_changes_nothing() {
    // Arrange
    let app = spawn().start().await;
    let (photo, _) = seeded(&app).await;
    let folder = create_folder(&app, "0", "Pictures").await;
    let folder = id(&folder).to_owned();
    let gone = upload(&app, "0", "gone.png", &png_photo()).await;
    let gone = id(&gone).to_owned();
    send(request(&app, Method::DELETE, &format!("/2.0/files/{gone}"))).await;
    let unavailable = |rid: &str| {
        error_json(
            rid,
            400,
            "requested_preview_unavailable",
            "The requested thumbnail size is not available",
            None,
        )
    };
    let png = format!("/2.0/files/{photo}/thumbnail.png");
    type Expect = Box<dyn Fn(&str) -> Value>;
    let cases: Vec<(&str, String, Option<&str>, u16, Expect)> = vec![
        (
            "an unknown file",
            "/2.0/files/999999/thumbnail.png".into(),
            None,
            404,
            Box::new(not_found),
        ),
        (
            "another user's file",
            png.clone(),
            Some("someone-else"),
            404,
            Box::new(not_found),
        ),
        (
            "a folder's id",
            format!("/2.0/files/{folder}/thumbnail.png"),
            None,
            404,
            Box::new(not_found),
        ),
        (
            "a file in the trash",
            format!("/2.0/files/{gone}/thumbnail.png"),
            None,
            404,
            Box::new(|rid: &str| error_json(rid, 404, "trashed", "Item is trashed", None)),
        ),
        (
            "an extension Box does not make: an unrouted path",
            format!("/2.0/files/{photo}/thumbnail.gif"),
            None,
            405,
            Box::new(method_not_allowed),
        ),
        (
            "an image as jpg: no JPEG encoder is linked",
            format!("/2.0/files/{photo}/thumbnail.jpg"),
            None,
            404,
            Box::new(|rid: &str| {
                error_json(
                    rid,
                    404,
                    "preview_cannot_be_generated",
                    "A thumbnail cannot be generated for this file",
                    None,
                )
            }),
        ),
        (
            "a bound below 32",
            format!("{png}?min_width=16"),
            None,
            400,
            Box::new(unavailable),
        ),
        (
            "a bound above 320",
            format!("{png}?max_height=400"),
            None,
            400,
            Box::new(unavailable),
        ),
        (
            "a bound that is not a number",
            format!("{png}?max_width=big"),
            None,
            400,
            Box::new(unavailable),
        ),
        (
            "a minimum over the maximum",
            format!("{png}?min_width=200&max_height=100"),
            None,
            400,
            Box::new(unavailable),
        ),
        (
            "no PNG size in the bounds",
            format!("{png}?min_height=257"),
            None,
            400,
            Box::new(unavailable),
        ),
        (
            "no JPG size in the bounds",
            format!("/2.0/files/{photo}/thumbnail.jpg?min_width=33&max_width=150"),
            None,
            400,
            Box::new(unavailable),
        ),
    ];
    let before = snapshot(&app, &photo).await;

    for (why, path, token, status, expected) in cases {
        // Act
        let reply = send(
            app.client
                .get(app.url(&path))
                .bearer_auth(token.unwrap_or(TOKEN)),
        )
        .await;

        // Assert
        assert_eq!(reply.status.as_u16(), status, "{why}: {reply:?}");
        assert_eq!(reply.body, expected(&request_id(&reply)), "{why}");
        assert_error_text_shape(std::str::from_utf8(&reply.bytes).unwrap(), status);
    }
    assert_eq!(snapshot(&app, &photo).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn box_sdk_gen_reads_a_thumbnail_and_the_placeholder_url() {
    // Arrange
    let emulator = spawn().start().await.emulator;
    let root = emulator.box_url();

    // Act: the script blocks, so it runs off the runtime the server needs.
    let output = tokio::task::spawn_blocking(move || run_sdk_script("box_thumbnail.py", &[&root]))
        .await
        .expect("the SDK script ran");

    // Assert: the script asserts each step and exits non-zero on the first failure.
    assert!(output.contains("box thumbnail passed"), "{output}");
}
