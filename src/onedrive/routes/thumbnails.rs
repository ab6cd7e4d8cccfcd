//! Thumbnails (<https://learn.microsoft.com/en-us/graph/api/driveitem-list-thumbnails>):
//! `GET {item}/thumbnails`, one set (`/thumbnails/{set}`), one size (`/thumbnails/{set}/{size}`)
//! and its image (`…/content`, a `302` to it). An image file (a `image/*` type) has one set, `0`,
//! with `large`, `medium` and `small`, or the sizes `$select` (or `select`, as python-o365 sends
//! it) names, custom `cWxH` and `cWxH_crop` included; any other item has none (`[]`), as the
//! service answers for a plain file. Sizes follow the image's own proportions, read from its
//! header; each URL is the version's signed download link with the size after it
//! (`download::thumbnail`), so it needs no token and changes when the image does.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Map, Value};

use super::{json_bytes, redirect, Call};
use crate::download::thumbnail::{image_dimensions, ThumbnailSize, DEFAULT_SIZES};
use crate::onedrive::address::{strict_percent_decode, ItemAddress};
use crate::onedrive::errors::GraphError;
use crate::store::{ItemView, Version};

/// What a thumbnail is made from: the current version of an image file.
struct Source {
    version: Version,
    dimensions: Option<(u32, u32)>,
}

/// The image behind `view`, if it is an image file.
fn source(view: &ItemView) -> Option<Source> {
    let file = view.file()?;
    if !file.mime_type.starts_with("image/") {
        return None;
    }
    Some(Source {
        dimensions: image_dimensions(&file.current.content.bytes),
        version: Version::clone(&file.current),
    })
}

/// The size names a request selects, each checked, or the default three.
fn selected(call: &Call) -> Result<Vec<String>, GraphError> {
    let raw_select = (call.raw_query.unwrap_or_default().split('&'))
        .find_map(|pair| pair.strip_prefix("select="))
        .and_then(strict_percent_decode)
        .map(|value| value.split(',').map(|s| s.trim().to_owned()).collect());
    let names: Vec<String> = match (&call.query.select, raw_select) {
        (Some(names), _) => names.clone(),
        (None, Some(names)) => names,
        (None, None) => DEFAULT_SIZES.iter().map(|s| (*s).to_owned()).collect(),
    };
    for name in &names {
        if name != "id" && ThumbnailSize::parse(name).is_none() {
            return Err(GraphError::InvalidRequest(
                format!("The thumbnail size '{name}' is not valid.").into(),
            ));
        }
    }
    Ok(names)
}

/// One thumbnail: `{"height", "url", "width"}`.
fn thumbnail(call: &Call, source: &Source, size: ThumbnailSize) -> Value {
    let (width, height) = size.dimensions(source.dimensions);
    let url = format!(
        "{}?thumbnail={width}x{height}",
        call.links.download_url(&source.version)
    );
    json!({"height": height, "url": url, "width": width})
}

/// Set `0` with the `names` sizes.
fn set(call: &Call, source: &Source, names: &[String]) -> Value {
    let mut set = Map::new();
    set.insert("id".to_owned(), json!("0"));
    for name in names {
        if let Some(size) = ThumbnailSize::parse(name) {
            set.insert(name.clone(), thumbnail(call, source, size));
        }
    }
    Value::Object(set)
}

fn reply(body: &Value) -> Result<Response, GraphError> {
    json_bytes(StatusCode::OK, serde_json::to_vec(body))
}

/// The `n`-th segment from the end of the request path, decoded.
fn trailing(call: &Call, n: usize) -> Result<String, GraphError> {
    let raw = call.path.rsplit('/').nth(n).unwrap_or_default();
    let decoded = strict_percent_decode(raw).ok_or(GraphError::GeneralException)?;
    Ok(decoded.into_owned())
}

/// The image behind an item named with a set id: none, or a set other than `0`, is not found.
fn in_set(call: &Call, item: &ItemAddress, set: &str) -> Result<Source, GraphError> {
    let view = call.item_view(item)?;
    match (source(&view), set) {
        (Some(source), "0") => Ok(source),
        _ => Err(GraphError::ItemNotFound),
    }
}

/// `GET {item}/thumbnails`.
pub(super) fn list_thumbnails(call: &Call, item: &ItemAddress) -> Result<Response, GraphError> {
    let names = selected(call)?;
    let view = call.item_view(item)?;
    let value = match source(&view) {
        Some(source) => vec![set(call, &source, &names)],
        None => Vec::new(),
    };
    reply(&json!({ "value": value }))
}

/// `GET {item}/thumbnails/{set}`, the Python SDK's deepest builder.
pub(super) fn thumbnail_set(call: &Call, item: &ItemAddress) -> Result<Response, GraphError> {
    let names = selected(call)?;
    let source = in_set(call, item, &trailing(call, 0)?)?;
    reply(&set(call, &source, &names))
}

/// The size a `…/{set}/{size}[/content]` path names and its image; an unknown size is not found.
fn sized(call: &Call, item: &ItemAddress, from_end: usize) -> Result<Value, GraphError> {
    let name = trailing(call, from_end)?;
    let size = ThumbnailSize::parse(&name).ok_or(GraphError::ItemNotFound)?;
    let source = in_set(call, item, &trailing(call, from_end + 1)?)?;
    Ok(thumbnail(call, &source, size))
}

/// `GET {item}/thumbnails/{set}/{size}`.
pub(super) fn get_thumbnail(call: &Call, item: &ItemAddress) -> Result<Response, GraphError> {
    reply(&sized(call, item, 0)?)
}

/// `GET {item}/thumbnails/{set}/{size}/content`: a `302` to the image.
pub(super) fn thumbnail_content(call: &Call, item: &ItemAddress) -> Result<Response, GraphError> {
    let thumbnail = sized(call, item, 1)?;
    let url = thumbnail["url"].as_str().unwrap_or_default().to_owned();
    redirect(url)
}

/// `thumbnails` for `$expand=thumbnails`: the item's sets, as the list has them.
pub(super) fn expanded(call: &Call, view: &ItemView) -> Value {
    let names: Vec<String> = DEFAULT_SIZES.iter().map(|s| (*s).to_owned()).collect();
    match source(view) {
        Some(source) => json!([set(call, &source, &names)]),
        None => json!([]),
    }
}
