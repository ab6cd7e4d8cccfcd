//! `GET {item}/search(q='…')` and `GET {drive}/search(q='…')`
//! (<https://learn.microsoft.com/en-us/graph/api/driveitem-search>): the items below a folder (the
//! root for a drive) whose names contain the text, case-insensitively, paged with
//! `@odata.nextLink`. The service searches through an index that also covers file content and
//! metadata and lags behind writes; the emulator matches names only, and at once.

use axum::response::Response;
use serde::Serialize;

use super::{json_collection, Call};
use crate::onedrive::address::{strict_percent_decode, ItemAddress};
use crate::onedrive::errors::GraphError;
use crate::onedrive::model::{Collection, DriveItem};
use crate::onedrive::search_text::search_text;

/// Hits per page when `$top` is absent, as for children.
const PAGE: usize = 200;

/// One hit: the item with the `searchResult` facet every hit carries.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Hit<'a> {
    #[serde(flatten)]
    item: DriveItem<'a>,
    /// Its one property, `onClickTelemetryUrl`, points at the service's telemetry; the
    /// emulator has none to point at.
    search_result: serde_json::Map<String, serde_json::Value>,
}

pub(super) fn search(call: &Call, item: &ItemAddress) -> Result<Response, GraphError> {
    // The path parsed as a search (`address::operation`), so its last segment reads as one.
    let segment = call.path.rsplit('/').next().unwrap_or_default();
    let segment = strict_percent_decode(segment).ok_or(GraphError::GeneralException)?;
    let text = match search_text(&segment) {
        Some(Ok(text)) => text,
        _ => return Err(GraphError::GeneralException),
    };
    let folder = call.item_id(item)?;
    let window = call.window(PAGE);
    let listing = call.store.search(&call.space, folder, &text, window)?;
    let body = Collection {
        context: format!(
            "{}{}/$metadata#Collection(driveItem)",
            call.links.origin, call.links.base
        ),
        value: listing
            .entries
            .iter()
            .map(|view| Hit {
                item: DriveItem::new(view, &call.links, false),
                search_result: serde_json::Map::new(),
            })
            .collect(),
        next_link: call.next_link(window, listing.entries.len(), listing.total),
    };
    json_collection(&body, &call.query)
}
