//! Search (Graph `search(q='…')`): the items below a folder whose names contain a text.

use std::collections::VecDeque;

use super::{NodeKind, Tree};
use crate::store::domain::{ItemId, ItemView, Listing, Space, Window};
use crate::store::rules::name_key;
use crate::store::StoreError;

impl Tree {
    /// Every item below `folder` (not the folder itself) whose name contains `text`, compared as
    /// names are (case-insensitively), breadth first and by name within a folder; only the page
    /// is rendered. Folders index their children by the folded name, so the match reads those
    /// keys and allocates nothing per item.
    pub fn search(
        &self,
        space: &Space,
        folder: ItemId,
        text: &str,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError> {
        self.children_of(space, folder)?;
        let needle = name_key(text);
        let mut hits = Vec::new();
        let mut pending = VecDeque::from([folder]);
        while let Some(at) = pending.pop_front() {
            let NodeKind::Folder(children) = &self.items[&at].kind else {
                continue;
            };
            for (key, id) in children.iter() {
                if key.contains(needle.as_str()) {
                    hits.push(*id);
                }
            }
            pending.extend(children.folders().map(|(_, id)| *id));
        }
        Ok(Listing {
            total: hits.len(),
            entries: window.page(hits.iter()).map(|id| self.view(*id)).collect(),
        })
    }
}
