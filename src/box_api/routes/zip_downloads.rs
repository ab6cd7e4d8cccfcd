//! Zip downloads (<https://developer.box.com/reference/post-zip-downloads/>): `POST
//! /zip_downloads` checks the items and plans the archive (`box_api::zip_downloads`), answering
//! where to read it (`crate::download::zip`) and where to follow it; `GET
//! /zip_downloads/{id}/status` follows it once it has started.

use std::collections::BTreeMap;

use axum::extract::{FromRequestParts, RawPathParams, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::IdValue;
use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxJson, Caller};
use crate::box_api::model::Date;
use crate::box_api::reach::space_for;
use crate::box_api::zip_downloads::{self, Archive, Entry, MAX_FILES};
use crate::download::zip::PREFIX;
use crate::http::origin::Origin;
use crate::state::AppState;
use crate::store::rules::name_key;
use crate::store::sharing::BoxAccess;
use crate::store::zip::{Gathered, ZipItem};
use crate::store::{ItemId, ItemKind};

/// The archive's name when the request gives none. Box does not say what it uses.
const DEFAULT_NAME: &str = "download";
/// The longest `download_file_name` taken, as Box's longest item name.
const MAX_NAME: usize = 255;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ZipBody {
    items: Option<Vec<ItemRef>>,
    download_file_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ItemRef {
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<IdValue>,
}

/// `POST /zip_downloads`'s reply (<https://developer.box.com/reference/resources/zip-download/>).
#[derive(Debug, Serialize)]
struct ZipDownloadJson {
    download_url: String,
    status_url: String,
    expires_at: Date,
    name_conflicts: Vec<Vec<NameConflict>>,
}

/// An item renamed in the archive because another one named has its name.
#[derive(Debug, Serialize)]
struct NameConflict {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    original_name: String,
    download_name: String,
}

/// 202 with the archive's URLs, absolute on the emulator's own origin, as box_sdk_gen follows
/// them as they are. Every item is checked now (404 for one the caller does not reach, as for
/// any other request naming it; 403 for one a collaboration opens without the right to
/// download); the archive holds what they hold now.
pub(crate) async fn create_zip_download(
    State(state): State<AppState>,
    Caller(space): Caller,
    Origin(origin): Origin,
    BoxJson(body): BoxJson<Option<ZipBody>>,
) -> Result<Response, BoxApiError> {
    let body = body.unwrap_or_default();
    let items = body.items.ok_or(BoxApiError::missing("items"))?;
    if items.is_empty() {
        return Err(BoxApiError::invalid(
            "items",
            "Invalid value. At least one file or folder is needed.",
        ));
    }
    if items.len() > MAX_FILES {
        return Err(BoxApiError::ZipDownloadFileCountExceededLimit);
    }
    let wanted = items
        .into_iter()
        .map(wanted)
        .collect::<Result<Vec<_>, _>>()?;
    let name = archive_name(body.download_file_name)?;
    // Each item from the space it is in: the caller's own, or its owner's when a collaboration
    // opens it to the caller with the right to download (403 for a role without it).
    let wanted = (wanted.into_iter())
        .map(|(kind, id)| {
            Ok((
                space_for(&state, &space, id, BoxAccess::Download)?,
                kind,
                id,
            ))
        })
        .collect::<Result<Vec<_>, BoxApiError>>()?;
    let gathered = match state.store.gather_zip(&wanted, MAX_FILES)? {
        Gathered::Items(items) => items,
        Gathered::TooManyFiles => return Err(BoxApiError::ZipDownloadFileCountExceededLimit),
    };
    let (archive, name_conflicts) = plan(name, gathered);
    let now = state.clock.now();
    let (id, expires) = (state.zips.create(&space.actor.id, archive, now))
        .map_err(|_| BoxApiError::UserTooManyConcurrentDownloads)?;
    let token = zip_downloads::token(&state.links, id);
    let reply = ZipDownloadJson {
        download_url: format!("{origin}{PREFIX}/{token}"),
        status_url: format!("{origin}/2.0/zip_downloads/{token}/status"),
        expires_at: Date(expires),
        name_conflicts,
    };
    Ok((StatusCode::ACCEPTED, Json(reply)).into_response())
}

/// `GET /zip_downloads/{id}/status`: 404 before the download has started, for another user's
/// and for an id this process did not make.
pub(crate) async fn get_zip_download_status(
    State(state): State<AppState>,
    Caller(space): Caller,
    ZipPath(token): ZipPath,
) -> Result<Response, BoxApiError> {
    let id = zip_downloads::token_id(&state.links, &token).ok_or(BoxApiError::NotFound)?;
    let status =
        (state.zips.status(id, &space.actor.id, state.clock.now())).ok_or(BoxApiError::NotFound)?;
    Ok(Json(status).into_response())
}

/// `/zip_downloads/{zip_download_id}/…`: the token the download's URLs carry.
pub(crate) struct ZipPath(String);

impl<S: Send + Sync> FromRequestParts<S> for ZipPath {
    type Rejection = BoxApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state).await?;
        let token = params
            .iter()
            .find(|(name, _)| *name == "zip_download_id")
            .map(|(_, value)| value.to_owned())
            .ok_or(BoxApiError::NotFound)?;
        Ok(Self(token))
    }
}

/// One item as the store names it. The root (`0`) is refused, as Box does; an id that cannot
/// name an item names none (404).
fn wanted(item: ItemRef) -> Result<(ItemKind, ItemId), BoxApiError> {
    let kind = match item.kind.as_deref() {
        Some("file") => ItemKind::File,
        Some("folder") => ItemKind::Folder,
        Some(_) => {
            return Err(BoxApiError::invalid(
                "items",
                "Invalid value. Each item is a 'file' or a 'folder'.",
            ))
        }
        None => return Err(BoxApiError::missing("items.type")),
    };
    let id = match item.id.ok_or(BoxApiError::missing("items.id"))? {
        IdValue::Number(n) => n,
        IdValue::Text(text) => text.parse().map_err(|_| BoxApiError::NotFound)?,
    };
    if id == 0 {
        return Err(BoxApiError::invalid(
            "items",
            "Invalid value. The root folder cannot be zipped.",
        ));
    }
    Ok((kind, ItemId(id)))
}

/// `{download_file_name}.zip` ("This name will be appended by the `.zip` file extension").
fn archive_name(name: Option<String>) -> Result<String, BoxApiError> {
    let name = name.unwrap_or_else(|| DEFAULT_NAME.to_owned());
    let bad = name.trim().is_empty()
        || name.chars().count() > MAX_NAME
        || name
            .chars()
            .any(|c| c.is_control() || c == '/' || c == '\\');
    if bad {
        return Err(BoxApiError::invalid(
            "download_file_name",
            "Invalid value. The name must be 1 to 255 characters, without '/', '\\' or control characters.",
        ));
    }
    Ok(format!("{name}.zip"))
}

/// The archive's entries and the items renamed. Items named alike (as the archive's folders
/// compare them, ignoring case) are each renamed to a short hex name keeping a file's
/// extension, as Box's `name_conflicts` example does (`Report.pdf` as `3aa6a7.pdf`); the hex
/// comes from the item's id, so it repeats run after run. All the items of one name make one
/// inner list (Box's example shows two).
fn plan(name: String, items: Vec<ZipItem>) -> (Archive, Vec<Vec<NameConflict>>) {
    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (at, item) in items.iter().enumerate() {
        by_name.entry(name_key(&item.name)).or_default().push(at);
    }
    let mut top: Vec<String> = items.iter().map(|i| i.name.clone()).collect();
    let mut conflicts = Vec::new();
    let mut clashes: Vec<&Vec<usize>> = by_name.values().filter(|at| at.len() > 1).collect();
    clashes.sort_by_key(|at| at[0]);
    for clash in clashes {
        let group = clash
            .iter()
            .map(|&at| {
                let item = &items[at];
                top[at] = renamed(item);
                NameConflict {
                    id: item.id.to_string(),
                    kind: match item.kind {
                        ItemKind::File => "file",
                        ItemKind::Folder => "folder",
                    },
                    original_name: item.name.clone(),
                    download_name: top[at].clone(),
                }
            })
            .collect();
        conflicts.push(group);
    }
    let mut entries = Vec::new();
    let mut file_count = 0;
    for (item, top) in items.into_iter().zip(top) {
        if item.kind == ItemKind::Folder {
            entries.push(Entry {
                path: format!("{top}/"),
                content: None,
                modified: item.modified,
            });
            (entries).extend(item.folders.into_iter().map(|(path, modified)| Entry {
                path: format!("{top}/{path}/"),
                content: None,
                modified,
            }));
        }
        for file in item.files {
            file_count += 1;
            let path = match file.path.is_empty() {
                true => top.clone(),
                false => format!("{top}/{}", file.path),
            };
            entries.push(Entry {
                path,
                content: Some(file.content),
                modified: file.modified,
            });
        }
    }
    let archive = Archive {
        name,
        entries,
        file_count,
    };
    (archive, conflicts)
}

/// Six hex digits from the item's id, and a file's extension.
fn renamed(item: &ZipItem) -> String {
    let hex = crate::splitmix::splitmix64(item.id.0) & 0xff_ffff;
    let extension = match item.kind {
        ItemKind::File => item.name.rsplit_once('.').map(|(_, ext)| ext),
        ItemKind::Folder => None,
    };
    match extension {
        Some(ext) if !ext.is_empty() => format!("{hex:06x}.{ext}"),
        _ => format!("{hex:06x}"),
    }
}
