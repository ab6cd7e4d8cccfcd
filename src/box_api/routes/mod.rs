//! The face's handlers, one file per group of operations. Each handler extracts its inputs, makes
//! one store call (plus `root` when the request names folder `0`) and renders the result.

pub(crate) mod files;
pub(crate) mod folders;
pub(crate) mod sessions;
pub(crate) mod uploads;
pub(crate) mod versions;

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
        match parent.and_then(|p| p.id) {
            None => Err(BoxApiError::missing("parent")),
            Some(IdValue::Number(0)) => Ok(FolderId::Root),
            Some(IdValue::Number(n)) => Ok(FolderId::Id(ItemId(n))),
            Some(IdValue::Text(text)) => text.parse().map_err(|_| BoxApiError::NotFound),
        }
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
