//! Box's collections (<https://developer.box.com/guides/collections/>): the only one the API
//! offers is each user's Favorites, "different for every user", so here every user has exactly
//! that one. `GET /2.0/collections` lists it, `GET /2.0/collections/{id}` answers it, and `GET
//! /2.0/collections/{id}/items` pages what is in it; an item goes in and out with `PUT
//! /files/{id}` or `PUT /folders/{id}` and `collections` (`super::locks`). Another user's
//! collection id is `404 not_found`, as one that names nothing.
//!
//! Its items are those the caller still reaches (their own, or collaborated to them), outside
//! the trash: folders first, then by name, each mini or cut to `fields`, with offset paging
//! (`limit` 100 by default, at most 1000). Box does not document their order.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::folder_items::ItemCollection;
use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxQuery, Caller, CollectionPath};
use crate::box_api::fields::Fields;
use crate::box_api::paging;
use crate::box_api::shared_link::LinkUrls;
use crate::state::AppState;
use crate::store::{User, Window};

/// Box's default page (`limit` of `GET /collections/{id}/items`).
const DEFAULT_LIMIT: usize = 100;

/// The id of `user`'s Favorites collection: a number of Box's usual eight digits made from the
/// user's id, the same on every run and in every export, and (for all a test can tell) another
/// for every user. Only the user's own is ever compared with it.
pub(crate) fn favorites_id(user: &User) -> String {
    // FNV-1a: small, and stable across Rust releases, unlike `DefaultHasher`.
    let hash = (user.id.bytes()).fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    (10_000_000 + hash % 90_000_000).to_string()
}

/// The caller's Favorites, if that is what the path names; else 404.
fn check(path: &CollectionPath, caller: &User) -> Result<String, BoxApiError> {
    let favorites = favorites_id(caller);
    if path.0 != favorites {
        return Err(BoxApiError::NotFound);
    }
    Ok(favorites)
}

/// A collection (<https://developer.box.com/reference/resources/collection/>).
#[derive(Debug, Serialize)]
struct CollectionJson {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'static str,
    collection_type: &'static str,
}

impl CollectionJson {
    fn favorites(id: String) -> Self {
        Self {
            id,
            kind: "collection",
            name: "Favorites",
            collection_type: "favorites",
        }
    }
}

/// The page of `GET /collections`, as Box's `Collections` schema has it.
#[derive(Debug, Serialize)]
struct Collections {
    total_count: usize,
    entries: Vec<CollectionJson>,
    offset: usize,
    limit: usize,
}

/// `offset`, `limit` and `fields` (of a collection's items; a collection has only the four
/// fields it always shows).
#[derive(Debug, Deserialize)]
pub(crate) struct PageQuery {
    fields: Option<String>,
    offset: Option<String>,
    limit: Option<String>,
}

impl PageQuery {
    fn window(&self) -> Result<Window, BoxApiError> {
        Ok(Window {
            offset: paging::offset(self.offset.as_deref())?,
            limit: paging::limit(self.limit.as_deref(), DEFAULT_LIMIT)?,
        })
    }
}

/// 200 with the caller's one collection (none past an `offset` of 0); 400 on a bad `offset` or
/// `limit`.
pub(crate) async fn list_collections(
    Caller(space): Caller,
    BoxQuery(query): BoxQuery<PageQuery>,
) -> Result<Response, BoxApiError> {
    let window = query.window()?;
    let entries = window
        .page(std::iter::once(favorites_id(&space.actor)))
        .map(CollectionJson::favorites)
        .collect();
    Ok(Json(Collections {
        total_count: 1,
        entries,
        offset: window.offset,
        limit: window.limit,
    })
    .into_response())
}

/// 200 with the caller's Favorites; 404 for any other id.
pub(crate) async fn get_collection(
    Caller(space): Caller,
    path: CollectionPath,
) -> Result<Response, BoxApiError> {
    let id = check(&path, &space.actor)?;
    Ok(Json(CollectionJson::favorites(id)).into_response())
}

/// 200 with a page of what is in the caller's Favorites; 404 for another collection id, 400 on a
/// bad `offset` or `limit`.
pub(crate) async fn list_collection_items(
    State(state): State<AppState>,
    Caller(space): Caller,
    path: CollectionPath,
    BoxQuery(query): BoxQuery<PageQuery>,
    urls: LinkUrls,
) -> Result<Response, BoxApiError> {
    check(&path, &space.actor)?;
    let window = query.window()?;
    let listing = state.store.favorites(&space.actor, window)?;
    let fields = Fields::parse(query.fields.as_deref());
    let page = ItemCollection::in_name_order(
        &listing,
        window.offset,
        window.limit,
        fields.as_ref().map(|f| (f, &urls)),
    );
    Ok(Json(page).into_response())
}
