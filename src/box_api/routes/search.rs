//! `GET /2.0/search` (<https://developer.box.com/reference/get-search/>): the files and
//! folders the caller reaches outside the trash that match `query`, found at once (Box indexes
//! late; the emulator does not), narrowed by `type`, `ancestor_folder_ids`, `file_extensions` and
//! `content_types`, and `mdfilters`, offset-paged (`limit` 30 by default, up to 200), each
//! entry a standard object or cut to `fields`.
//!
//! `mdfilters` (<https://developer.box.com/guides/search/metadata-filters/>) keeps the items
//! with an instance of the filter's template whose values pass every field filter: a plain
//! value is equality (numbers by value, dates by instant; a multiSelect value holding it), a
//! list any of its values, `{"gt", "lt"}` a range with both bounds inclusive (float and date
//! fields, or numbers and dates in `global.properties`). With it `query` may be left out (Box
//! takes `query` or `mdfilters`); both given, both apply. Not a JSON list of exactly one filter,
//! a bad scope or shape, a key the template lacks or a value that does not fit the field is
//! `400 bad_request` naming `mdfilters` (`invalid_parameter`); an unknown template `404
//! instance_tuple_not_found`, as for an instance of it. The work is the walk search makes
//! anyway, with at most 100 field filters of at most 200 values each.
//!
//! Searched: the caller's own items and those others collaborate them into (at or below a
//! live collaboration that shows in their "All Files", not an `is_access_only` one), each as
//! the caller reaches it: "only items the caller owns or
//! collaborates on are returned" (<https://developer.box.com/guides/search/>).
//!
//! Matching (<https://developer.box.com/guides/search/>): each word of `query` (split at
//! spaces and punctuation, any case) starts a word of the name, or equals a word of the
//! description, a tag, a comment's message or the file's content, any word sufficing; `AND`,
//! `OR` and `NOT` are read as words apart. Prefixes match names only, never bodies.
//! `content_types` (a comma list of `name`, `description`, `file_content`, `comments`,
//! `tags`) keeps the parts it names; without it all five are searched. Content is the current
//! version's first 10,000 bytes, as Box indexes, read as UTF-8 for text files alone (`txt`,
//! `md`, `csv`, `tsv`, `json`, `xml`, `html`, `htm`, `log`, `yaml`); Box also extracts the
//! text of PDF and Office files, which the emulator does not, so their bodies are never
//! matched. With `mdfilters` and no `query`, `content_types` narrows nothing. Results come
//! in name order, then by id (Box's `relevance` is its own; `direction` is ignored with it, as
//! on Box). What the emulator does not apply yet is refused, naming the parameter, rather than
//! answered with a wider result: the date, size and user filters, and a `trash_content`,
//! `scope` or `sort` other than the default.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::folder_item;
use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{query_bool, BoxQuery, Caller};
use crate::box_api::fields::{shape, Fields, Shaped, FILE_BASE};
use crate::box_api::model::{FolderId, ItemJson};
use crate::box_api::paging;
use crate::box_api::shared_link::LinkUrls;
use crate::state::AppState;
use crate::store::{
    FieldFilter, ItemKind, MetadataFilter, SearchParts, SearchQuery, Space, Window,
};

/// Box's search page: 30 by default, 200 at most.
const DEFAULT_LIMIT: usize = 30;
const MAX_LIMIT: usize = 200;

/// The parts of an item `content_types` may name.
const CONTENT_TYPES: [&str; 5] = ["name", "description", "file_content", "comments", "tags"];

#[derive(Debug, Deserialize)]
pub(crate) struct SearchParams {
    query: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    ancestor_folder_ids: Option<String>,
    file_extensions: Option<String>,
    content_types: Option<String>,
    mdfilters: Option<String>,
    trash_content: Option<String>,
    include_recent_shared_links: Option<String>,
    fields: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
    scope: Option<String>,
    sort: Option<String>,
    created_at_range: Option<String>,
    updated_at_range: Option<String>,
    size_range: Option<String>,
    owner_user_ids: Option<String>,
    recent_updater_user_ids: Option<String>,
    deleted_user_ids: Option<String>,
    deleted_at_range: Option<String>,
}

impl SearchParams {
    /// A filter or order the emulator does not apply yet: refused, so that no client reads a
    /// wider or differently ordered result as the one it asked for.
    fn refuse_unkept(&self) -> Result<(), BoxApiError> {
        let filters = [
            ("created_at_range", &self.created_at_range),
            ("updated_at_range", &self.updated_at_range),
            ("size_range", &self.size_range),
            ("owner_user_ids", &self.owner_user_ids),
            ("recent_updater_user_ids", &self.recent_updater_user_ids),
            ("deleted_user_ids", &self.deleted_user_ids),
            ("deleted_at_range", &self.deleted_at_range),
        ];
        if let Some((name, _)) = filters.iter().find(|(_, value)| value.is_some()) {
            return Err(BoxApiError::invalid(
                name,
                format!("The emulator does not apply '{name}' yet."),
            ));
        }
        let fixed = [
            ("trash_content", &self.trash_content, "non_trashed_only"),
            ("scope", &self.scope, "user_content"),
            ("sort", &self.sort, "relevance"),
        ];
        for (name, value, only) in fixed {
            if let Some(value) = value.as_deref().filter(|value| *value != only) {
                return Err(BoxApiError::invalid(
                    name,
                    format!("Invalid value '{value}'. The emulator searches with {only} only."),
                ));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Serialize)]
struct Results<T> {
    total_count: usize,
    limit: usize,
    offset: usize,
    #[serde(rename = "type")]
    kind: &'static str,
    entries: Vec<T>,
}

/// One entry of the reply with `include_recent_shared_links`: the link through which the caller
/// reached the item; the emulator records no link a user opened, so none.
#[derive(Debug, Serialize)]
struct WithSharedLink<T> {
    #[serde(rename = "type")]
    kind: &'static str,
    item: T,
    accessible_via_shared_link: Option<()>,
}

/// A comma list, percent-decoded already, without empty parts.
fn list(raw: Option<&str>) -> Vec<&str> {
    raw.map(|raw| {
        raw.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// The lower-case words of `query`.
fn words(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// 200 with a page of results; 400 naming a bad or unkept parameter; 404 for an ancestor folder
/// the caller cannot see.
pub(crate) async fn search(
    State(state): State<AppState>,
    Caller(space): Caller,
    BoxQuery(params): BoxQuery<SearchParams>,
    urls: LinkUrls,
) -> Result<Response, BoxApiError> {
    params.refuse_unkept()?;
    let words = words(params.query.as_deref().unwrap_or(""));
    let metadata = params.mdfilters.as_deref().map(mdfilter).transpose()?;
    if words.is_empty() && metadata.is_none() {
        return Err(BoxApiError::missing("query"));
    }
    let limit = paging::limit(params.limit.as_deref(), DEFAULT_LIMIT)?.min(MAX_LIMIT);
    let offset = paging::offset(params.offset.as_deref())?;
    let with_links = query_bool(
        "include_recent_shared_links",
        params.include_recent_shared_links.as_deref(),
    )?;
    let content_types = list(params.content_types.as_deref());
    if let Some(bad) = content_types.iter().find(|t| !CONTENT_TYPES.contains(t)) {
        return Err(BoxApiError::invalid(
            "content_types",
            format!("Invalid value '{bad}'."),
        ));
    }
    let kind = match params.kind.as_deref() {
        None => Some(None),
        Some("file") => Some(Some(ItemKind::File)),
        Some("folder") => Some(Some(ItemKind::Folder)),
        // The emulator keeps no web links: nothing to find.
        Some("web_link") => None,
        Some(other) => {
            return Err(BoxApiError::invalid(
                "type",
                format!("Invalid value '{other}'. The value must be file, folder or web_link."),
            ))
        }
    };
    let ancestors = ancestors(&state, &space, params.ancestor_folder_ids.as_deref())?;
    let parts = match content_types.is_empty() {
        true => SearchParts::ALL,
        false => SearchParts {
            name: content_types.contains(&"name"),
            description: content_types.contains(&"description"),
            file_content: content_types.contains(&"file_content"),
            comments: content_types.contains(&"comments"),
            tags: content_types.contains(&"tags"),
        },
    };
    let listing = match kind {
        Some(kind) => {
            let query = SearchQuery {
                words,
                parts,
                kind,
                extensions: (list(params.file_extensions.as_deref()).iter())
                    .map(|ext| ext.trim_start_matches('.').to_owned())
                    .collect(),
                ancestors,
                metadata,
            };
            state
                .store
                .find_items(&space, &query, Window { offset, limit })?
        }
        _ => crate::store::Listing {
            total: 0,
            entries: Vec::new(),
        },
    };
    let fields = Fields::parse(params.fields.as_deref());
    let items = (listing.entries.iter()).map(|item| {
        shape(
            fields.as_ref(),
            ItemJson::new(item, fields.is_some(), &urls),
            FILE_BASE,
        )
    });
    let reply = if with_links {
        let entries: Vec<WithSharedLink<Shaped<ItemJson<'_>>>> = items
            .map(|item| WithSharedLink {
                kind: "search_result",
                item,
                accessible_via_shared_link: None,
            })
            .collect();
        Json(Results {
            total_count: listing.total,
            limit,
            offset,
            kind: "search_results_with_shared_links",
            entries,
        })
        .into_response()
    } else {
        Json(Results {
            total_count: listing.total,
            limit,
            offset,
            kind: "search_results_items",
            entries: items.collect(),
        })
        .into_response()
    };
    Ok(reply)
}

/// The folders of `ancestor_folder_ids` (`0` is the caller's root); one that is not a folder id
/// is as unknown as a missing folder. The store checks the caller may search each (their own, or
/// at or below a live collaboration).
fn ancestors(
    state: &AppState,
    space: &Space,
    raw: Option<&str>,
) -> Result<Vec<crate::store::ItemId>, BoxApiError> {
    list(raw)
        .into_iter()
        .map(|id| {
            let folder: FolderId = id.parse().map_err(|_| BoxApiError::NotFound)?;
            folder_item(state, space, folder)
        })
        .collect()
}

/// `mdfilters`: a JSON array of exactly one `{"scope", "templateKey", "filters"}`
/// (<https://developer.box.com/guides/search/metadata-filters/>). `filters` maps a field key to
/// a value, a list (any of them) or `{"gt", "lt"}` (inclusive bounds); the spec's example also
/// writes it as a list of one-key objects, which is taken too. Anything else is `400` naming
/// `mdfilters`; another enterprise's scope names no template (`404`, from the store).
fn mdfilter(raw: &str) -> Result<MetadataFilter, BoxApiError> {
    let bad = |why: &str| {
        BoxApiError::invalid(
            "mdfilters",
            format!("Invalid value for 'mdfilters': {why}."),
        )
    };
    let value: serde_json::Value =
        serde_json::from_str(raw).map_err(|_| bad("not a JSON array"))?;
    let [filter] = value.as_array().map(Vec::as_slice).unwrap_or_default() else {
        return Err(bad("a list of exactly one metadata filter is expected"));
    };
    let text = |key: &str| filter.get(key).and_then(serde_json::Value::as_str);
    let scope_text = text("scope").ok_or_else(|| bad("'scope' is required"))?;
    let template = text("templateKey").ok_or_else(|| bad("'templateKey' is required"))?;
    let scope = super::metadata::scope(scope_text).map_err(|_| bad("unknown 'scope'"))?;
    let mut fields = Vec::new();
    let mut add = |map: &serde_json::Map<String, serde_json::Value>| -> Result<(), BoxApiError> {
        for (key, value) in map {
            if fields.len() == crate::store::metadata::MAX_FILTERS {
                return Err(bad("too many field filters"));
            }
            let filter = field_filter(value).ok_or_else(|| {
                bad(&format!(
                    "the filter on '{key}' is not a value, a list or a {{gt, lt}} range"
                ))
            })?;
            fields.push((key.clone(), filter));
        }
        Ok(())
    };
    match filter.get("filters") {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::Object(map)) => add(map)?,
        Some(serde_json::Value::Array(list)) => {
            for item in list {
                add(item
                    .as_object()
                    .ok_or_else(|| bad("'filters' is not an object"))?)?;
            }
        }
        Some(_) => return Err(bad("'filters' is not an object")),
    }
    Ok(MetadataFilter {
        // Another enterprise's scope has no templates: read as an enterprise key no template
        // of this one can match, so that the store answers it as unknown.
        scope: scope.unwrap_or(crate::store::MetadataScope::Enterprise),
        template: match scope {
            Some(_) => template.to_owned(),
            None => format!("{scope_text}/{template}"),
        },
        fields,
    })
}

/// One field's filter: a string or number, a list of them, or a `{"gt", "lt"}` range.
fn field_filter(value: &serde_json::Value) -> Option<FieldFilter> {
    use serde_json::Value;
    let plain = |v: &Value| matches!(v, Value::String(_) | Value::Number(_));
    match value {
        v if plain(v) => Some(FieldFilter::Is(v.clone())),
        Value::Array(list) if list.iter().all(plain) => Some(FieldFilter::AnyOf(list.clone())),
        Value::Object(range) if !range.is_empty() => {
            if range.keys().any(|k| k != "gt" && k != "lt") {
                return None;
            }
            let bound = |key: &str| match range.get(key) {
                None | Some(Value::Null) => Some(None),
                Some(v) if plain(v) => Some(Some(v.clone())),
                Some(_) => None,
            };
            Some(FieldFilter::Range {
                gt: bound("gt")?,
                lt: bound("lt")?,
            })
        }
        _ => None,
    }
}
