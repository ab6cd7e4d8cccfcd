//! Thumbnails (issue 19): an image has set `0` with `large`, `medium` and `small` in its own
//! proportions, or the sizes `select` names (custom `cWxH` and `cWxH_crop` too); one set and one
//! size by path; `/content` redirects to a PNG of exactly that size that needs no token; other
//! items have none; `$expand=thumbnails` on an item and on children.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::graph::Graph;
use crate::support::{spawn, with_request_ids};

/// A real 1200 × 800 PNG (3:2, as the docs' sample).
fn photo() -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, 1200, 800);
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&vec![7u8; 1200 * 800]).unwrap();
    writer.finish().unwrap();
    out
}

/// photo.png (1000000002) and notes.txt (1000000003) in the root.
async fn seeded() -> (Graph, String) {
    let graph = spawn().graph().await;
    let photo = graph.upload("/photo.png", &photo()).await;
    graph.upload("/notes.txt", b"text").await;
    let link = photo["@microsoft.graph.downloadUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    (graph, link)
}

#[tokio::test]
async fn an_image_lists_one_set_of_three_sizes_in_its_proportions() {
    // Arrange
    let (graph, link) = seeded().await;

    // Act
    let reply = graph.get("/me/drive/items/1000000002/thumbnails").await;

    // Assert
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    let thumb = |w: u32, h: u32| json!({"width": w, "height": h, "url": format!("{link}?thumbnail={w}x{h}")});
    assert_eq!(
        reply.body,
        json!({"value": [{
            "id": "0",
            "large": thumb(800, 533),
            "medium": thumb(176, 117),
            "small": thumb(96, 64),
        }]})
    );
    // A text file and a folder have none.
    for path in [
        "/me/drive/items/1000000003/thumbnails",
        "/me/drive/root/thumbnails",
    ] {
        let none = graph.get(path).await;
        assert_eq!(none.body, json!({"value": []}), "{path}");
    }
}

#[tokio::test]
async fn named_and_custom_sizes_one_set_one_size_and_the_image_itself() {
    // Arrange
    let (graph, link) = seeded().await;
    let thumb = |w: u32, h: u32| json!({"width": w, "height": h, "url": format!("{link}?thumbnail={w}x{h}")});

    // Act + Assert: select with and without `$`, custom sizes fit or crop.
    let selected = graph
        .get("/me/drive/items/1000000002/thumbnails?select=c300x400,c300x400_crop,smallSquare")
        .await;
    assert_eq!(
        selected.body,
        json!({"value": [{
            "id": "0",
            "c300x400": thumb(300, 200),
            "c300x400_crop": thumb(300, 400),
            "smallSquare": thumb(96, 96),
        }]})
    );
    let set = graph
        .get("/me/drive/root:/photo.png:/thumbnails/0?$select=medium")
        .await;
    assert_eq!(set.body, json!({"id": "0", "medium": thumb(176, 117)}));
    let one = graph
        .get("/me/drive/items/1000000002/thumbnails/0/small")
        .await;
    assert_eq!(one.body, thumb(96, 64));
    let content = graph
        .get("/me/drive/items/1000000002/thumbnails/0/c50x20_crop/content")
        .await;
    assert_eq!(content.status, StatusCode::FOUND, "{content:?}");
    assert_eq!(
        content.header("location"),
        format!("{link}?thumbnail=50x20")
    );
    // The image needs no token and is a PNG of that size.
    let image = graph
        .app
        .client
        .get(content.header("location"))
        .send()
        .await
        .unwrap();
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["content-type"], "image/png");
    let bytes = image.bytes().await.unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let info = decoder.read_info().unwrap();
    assert_eq!((info.info().width, info.info().height), (50, 20));
}

#[tokio::test]
async fn unknown_sets_sizes_and_items_are_refused() {
    // Arrange
    let (graph, _) = seeded().await;
    let not_found = (404, "itemNotFound", "Item not found");
    let bad_size = (
        400,
        "invalidRequest",
        "The thumbnail size 'tiny' is not valid.",
    );
    // (path, (status, code, message), why)
    let cases = [
        (
            "/me/drive/items/1000000002/thumbnails/1",
            not_found,
            "a set the image does not have",
        ),
        (
            "/me/drive/items/1000000003/thumbnails/0",
            not_found,
            "a file with no thumbnails",
        ),
        (
            "/me/drive/items/1000000002/thumbnails/0/huge",
            not_found,
            "a size Graph does not define",
        ),
        (
            "/me/drive/items/1000000002/thumbnails/0/c5000x1",
            not_found,
            "a custom size over the limit",
        ),
        (
            "/me/drive/items/1000000002/thumbnails?select=tiny",
            bad_size,
            "a selected size Graph does not define",
        ),
        (
            "/me/drive/items/999/thumbnails",
            not_found,
            "an unknown item",
        ),
    ];
    let ids = [
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
        "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
        "bd64a5d9-adef-e000-6c1e-186443822970",
        "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
    ];
    for ((path, (status, code, message), why), request_id) in with_request_ids(cases, ids) {
        // Act
        let reply = graph.get(path).await;

        // Assert
        assert_eq!(reply.status.as_u16(), status, "{why}: {reply:?}");
        graph.assert_error(&reply, status, code, message, request_id);
    }
}

#[tokio::test]
async fn thumbnails_and_children_are_expanded_on_an_item_and_its_children() {
    // Arrange
    let (graph, link) = seeded().await;
    let small = json!({"width": 96, "height": 64, "url": format!("{link}?thumbnail=96x64")});

    // Act
    let item = graph
        .get("/me/drive/items/1000000002?$expand=thumbnails")
        .await;
    let root = graph
        .get("/me/drive/root?$expand=children($select=id,name)")
        .await;
    let children = graph
        .get("/me/drive/root/children?$expand=thumbnails&$select=name,thumbnails")
        .await;

    // Assert
    assert_eq!(item.body["thumbnails"][0]["small"], small);
    let names: Vec<&str> = (root.body["children"].as_array().unwrap().iter())
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["notes.txt", "photo.png"]);
    assert!(root.body.get("children@odata.nextLink").is_none());
    assert_eq!(
        children.body["value"][0],
        json!({"name": "notes.txt", "thumbnails": []})
    );
    assert_eq!(children.body["value"][1]["thumbnails"][0]["small"], small);
}
