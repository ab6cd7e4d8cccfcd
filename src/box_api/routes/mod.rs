//! The face's handlers, one file per group of operations. Each handler extracts its inputs, makes
//! one store call (plus `root` when the request names folder `0`) and renders the result.

pub(crate) mod collaborations;
pub(crate) mod collections;
pub(crate) mod comments;
pub(crate) mod copy;
pub(crate) mod events;
pub(crate) mod files;
pub(crate) mod folder_items;
pub(crate) mod folders;
pub(crate) mod locks;
pub(crate) mod metadata;
pub(crate) mod recent_items;
pub(crate) mod search;
pub(crate) mod sessions;
pub(crate) mod shared_links;
pub(crate) mod tasks;
pub(crate) mod thumbnails;
pub(crate) mod trash;
pub(crate) mod uploads;
pub(crate) mod users;
pub(crate) mod versions;
pub(crate) mod webhooks;
pub(crate) mod zip_downloads;

use serde::Deserialize;

use super::errors::BoxApiError;
use super::model::FolderId;
use crate::state::AppState;
use crate::store::{ItemId, Space};

/// `{"parent": {"id": ...}}` in upload attributes and folder bodies.
#[derive(Debug, Deserialize)]
pub(crate) struct ParentRef {
    id: Option<IdValue>,
}

/// An id in a JSON body: a string as the SDKs send it, or a bare number as curl users write it.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum IdValue {
    Text(String),
    Number(u64),
}

impl ParentRef {
    /// The folder named, or 404 when the id cannot name one (unlike a path id, a body id is data,
    /// not routing, so a bad one is an unknown folder rather than a 405).
    pub fn folder(parent: Option<ParentRef>) -> Result<FolderId, BoxApiError> {
        Self::optional_folder(parent)?.ok_or_else(|| BoxApiError::missing("parent"))
    }

    /// The folder named, if any: moves and restores may leave the parent out.
    pub fn optional_folder(parent: Option<ParentRef>) -> Result<Option<FolderId>, BoxApiError> {
        match parent.and_then(|p| p.id) {
            None => Ok(None),
            Some(IdValue::Number(0)) => Ok(Some(FolderId::Root)),
            Some(IdValue::Number(n)) => Ok(Some(FolderId::Id(ItemId(n)))),
            Some(IdValue::Text(text)) => text.parse().map(Some).map_err(|_| BoxApiError::NotFound),
        }
    }
}

/// The body of a rename or move (`PUT /files/{id}`, `PUT /folders/{id}`) and of a restore from
/// the trash (`POST /files/{id}`, `POST /folders/{id}`). Keys the emulator does not read are
/// ignored.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PlaceBody {
    pub name: Option<String>,
    pub parent: Option<ParentRef>,
    /// Absent, `null` (remove the link) or the link's settings (`shared_links`).
    #[serde(default, deserialize_with = "shared_links::present")]
    pub shared_link: Option<serde_json::Value>,
    #[serde(flatten)]
    pub kept: locks::ItemKeys,
}

impl PlaceBody {
    /// The body's parent as a store id, if it names one.
    pub fn parent(
        self,
        state: &AppState,
        space: &Space,
    ) -> Result<(Option<String>, Option<ItemId>), BoxApiError> {
        let parent = match ParentRef::optional_folder(self.parent)? {
            Some(folder) => Some(folder_item(state, space, folder)?),
            None => None,
        };
        Ok((self.name, parent))
    }
}

/// The store's id for a Box folder id: `0` is the caller's root, made on first use.
pub(crate) fn folder_item(
    state: &AppState,
    space: &Space,
    folder: FolderId,
) -> Result<ItemId, BoxApiError> {
    match folder {
        FolderId::Root => Ok(state.store.root_id(space)?),
        FolderId::Id(id) => Ok(id),
    }
}
