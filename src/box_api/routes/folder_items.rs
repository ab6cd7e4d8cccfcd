//! `GET /2.0/folders/{folder_id}/items` and the `item_collection` of `GET /2.0/folders/{id}`: a
//! folder's children, folders first, then by `sort` (`name` by default, or `id`, `date` (last
//! modification), `size`) in `direction` (`ASC`/`DESC`), each in mini form unless `fields` names
//! others (<https://developer.box.com/reference/get-folders-id-items/>).
//!
//! Offset paging by default (`offset`, `limit` 100 by default, up to 1000, with `total_count`
//! and `order`); marker paging with `usemarker=true` (`marker`, `next_marker`, which is `null` on
//! the last page). A marker is the position of the next page, so it stays valid however long it
//! is kept, and a page may repeat or skip an item that was added or removed meanwhile, as Box
//! warns its own markers may.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::folder_item;
use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{query_bool, BoxQuery, Caller, FolderPath};
use crate::box_api::fields::{Fields, Shaped, FILE_BASE};
use crate::box_api::model::{ItemJson, ItemMini};
use crate::box_api::paging;
use crate::box_api::shared_link::LinkUrls;
use crate::state::AppState;
use crate::store::{ChildKey, ChildOrder, ItemId, ItemView, Listing, Space, Window};

/// Box's default page of children (`item_collection` and the listing alike).
const DEFAULT_LIMIT: usize = 100;

/// The query of a folder listing; `GET /folders/{id}` reads the same one for its
/// `item_collection`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListingQuery {
    pub fields: Option<String>,
    offset: Option<String>,
    limit: Option<String>,
    // Legacy `boxsdk` writes it camel-cased.
    #[serde(alias = "useMarker")]
    usemarker: Option<String>,
    marker: Option<String>,
    sort: Option<String>,
    direction: Option<String>,
}

/// Where a page starts: an offset, or the marker of marker paging (`None` on the first page).
enum Start {
    Offset(usize),
    Marker(Option<usize>),
}

/// A validated listing request.
struct Request {
    order: ChildOrder,
    start: Start,
    limit: usize,
}

impl ListingQuery {
    fn request(&self) -> Result<Request, BoxApiError> {
        let limit = paging::limit(self.limit.as_deref(), DEFAULT_LIMIT)?;
        let start = if query_bool("usemarker", self.usemarker.as_deref())? {
            Start::Marker(self.marker.as_deref().map(parse_marker).transpose()?)
        } else {
            Start::Offset(paging::offset(self.offset.as_deref())?)
        };
        Ok(Request {
            order: self.order()?,
            start,
            limit,
        })
    }

    fn order(&self) -> Result<ChildOrder, BoxApiError> {
        let key = match self.sort.as_deref() {
            None => ChildKey::Name,
            Some(raw) => [
                ("name", ChildKey::Name),
                ("id", ChildKey::Id),
                ("date", ChildKey::Date),
                ("size", ChildKey::Size),
            ]
            .into_iter()
            .find(|(name, _)| raw.eq_ignore_ascii_case(name))
            .map(|(_, key)| key)
            .ok_or_else(|| {
                BoxApiError::invalid(
                    "sort",
                    "Invalid value. The value must be one of id, name, date, size.",
                )
            })?,
        };
        let descending = match self.direction.as_deref() {
            None => false,
            Some(raw) if raw.eq_ignore_ascii_case("ASC") => false,
            Some(raw) if raw.eq_ignore_ascii_case("DESC") => true,
            Some(_) => {
                return Err(BoxApiError::invalid(
                    "direction",
                    "Invalid value. The value must be ASC or DESC.",
                ))
            }
        };
        Ok(ChildOrder { key, descending })
    }
}

/// A marker is the decimal position of the page it starts; anything else is 400.
fn parse_marker(raw: &str) -> Result<usize, BoxApiError> {
    raw.parse::<usize>()
        .ok()
        .filter(|_| raw.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| BoxApiError::invalid("marker", "Invalid value. The marker is not valid."))
}

/// One sort key as the reply's `order` echoes it.
#[derive(Debug, Serialize)]
struct OrderKey {
    by: &'static str,
    direction: &'static str,
}

fn order_keys(order: ChildOrder) -> [OrderKey; 2] {
    let by = match order.key {
        ChildKey::Name => "name",
        ChildKey::Id => "id",
        ChildKey::Date => "date",
        ChildKey::Size => "size",
    };
    [
        // Box always groups by type first, ascending: folders, then files.
        OrderKey {
            by: "type",
            direction: "ASC",
        },
        OrderKey {
            by,
            direction: if order.descending { "DESC" } else { "ASC" },
        },
    ]
}

/// An entry: mini by default, else the full item cut to `fields`.
type Entry<'a> = Shaped<ItemMini<'a>>;

fn entries<'a>(items: &'a [ItemView], fields: Option<(&Fields<'_>, &LinkUrls)>) -> Vec<Entry<'a>> {
    items
        .iter()
        .map(|item| match fields {
            None => Shaped::Standard(ItemMini::new(item)),
            Some((fields, urls)) => {
                Shaped::Projected(fields.project(&ItemJson::new(item, true, urls), FILE_BASE))
            }
        })
        .collect()
}

/// An offset page: the listing's default reply and `item_collection`
/// (<https://developer.box.com/reference/resources/items/>).
#[derive(Debug, Serialize)]
pub(crate) struct ItemCollection<'a> {
    total_count: usize,
    entries: Vec<Entry<'a>>,
    offset: usize,
    limit: usize,
    order: [OrderKey; 2],
}

impl<'a> ItemCollection<'a> {
    /// An offset page of items listed folders first, then by name, each mini or cut to
    /// `fields`: how a collection's items are answered.
    pub(crate) fn in_name_order(
        listing: &'a Listing<ItemView>,
        offset: usize,
        limit: usize,
        fields: Option<(&Fields<'_>, &LinkUrls)>,
    ) -> Self {
        Self {
            total_count: listing.total,
            entries: entries(&listing.entries, fields),
            offset,
            limit,
            order: order_keys(ChildOrder::default()),
        }
    }
}

/// A marker page: no total, no offset, no order.
#[derive(Debug, Serialize)]
struct MarkerPage<'a> {
    entries: Vec<Entry<'a>>,
    limit: usize,
    next_marker: Option<String>,
}

/// The page a request asks for, from one store call.
fn page(
    state: &AppState,
    space: &Space,
    folder: ItemId,
    request: &Request,
) -> Result<Listing<ItemView>, BoxApiError> {
    let offset = match request.start {
        Start::Offset(offset) | Start::Marker(Some(offset)) => offset,
        Start::Marker(None) => 0,
    };
    let window = Window {
        offset,
        limit: request.limit,
    };
    Ok(state
        .store
        .ordered_children(space, folder, request.order, window)?)
}

/// 200 with a page of the folder's children; 404 when there is no such folder (or it is a file,
/// or in the trash), 400 on a bad `limit`, `offset`, `marker`, `sort`, `direction` or
/// `usemarker`.
pub(crate) async fn list_items(
    State(state): State<AppState>,
    Caller(space): Caller,
    FolderPath(folder): FolderPath,
    BoxQuery(query): BoxQuery<ListingQuery>,
    urls: LinkUrls,
) -> Result<Response, BoxApiError> {
    let request = query.request()?;
    let folder = folder_item(&state, &space, folder)?;
    let listing = page(&state, &space, folder, &request)?;
    let fields = Fields::parse(query.fields.as_deref());
    let entries = entries(&listing.entries, fields.as_ref().map(|f| (f, &urls)));
    Ok(match request.start {
        Start::Offset(offset) => Json(ItemCollection {
            total_count: listing.total,
            entries,
            offset,
            limit: request.limit,
            order: order_keys(request.order),
        })
        .into_response(),
        Start::Marker(start) => {
            let next = start.unwrap_or(0).saturating_add(entries.len());
            Json(MarkerPage {
                next_marker: (next < listing.total && !entries.is_empty())
                    .then(|| next.to_string()),
                entries,
                limit: request.limit,
            })
            .into_response()
        }
    })
}

/// The first page of a folder's children as `GET /folders/{id}` embeds it: offset paging
/// whatever `usemarker` says, shaped by the same `offset`, `limit`, `sort` and `direction`.
pub(crate) struct FirstPage {
    listing: Listing<ItemView>,
    offset: usize,
    limit: usize,
    order: ChildOrder,
}

impl FirstPage {
    pub fn load(
        state: &AppState,
        space: &Space,
        folder: ItemId,
        query: &ListingQuery,
    ) -> Result<Self, BoxApiError> {
        let offset = paging::offset(query.offset.as_deref())?;
        let request = Request {
            order: query.order()?,
            start: Start::Offset(offset),
            limit: paging::limit(query.limit.as_deref(), DEFAULT_LIMIT)?,
        };
        Ok(Self {
            listing: page(state, space, folder, &request)?,
            offset,
            limit: request.limit,
            order: request.order,
        })
    }

    pub fn collection(&self) -> ItemCollection<'_> {
        ItemCollection {
            total_count: self.listing.total,
            entries: entries(&self.listing.entries, None),
            offset: self.offset,
            limit: self.limit,
            order: order_keys(self.order),
        }
    }
}
