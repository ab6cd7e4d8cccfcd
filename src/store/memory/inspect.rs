//! The admin browser's reads on the in-memory state (`store::inspect`). Each walks only the page
//! it returns: children come from the folder's sorted map, timeline pages are slices of the
//! history, and a copied version's position comes from the version index, not a search.

use super::{NodeKind, State};
use crate::store::{
    Ancestor, Face, ItemId, Listing, NodeDetail, NodeSummary, NodeSummaryKind, StoreError,
    TimelineEntry, TimelineOrder, TimelineSource, UserSpaces, Window,
};

impl State {
    /// Users sorted by id. Sorting takes every user's id, which is fine: users are few next to
    /// files and versions, and the map they live in is keyed for sign-in, not for listing.
    pub(super) fn users_page(&self, window: Window) -> Listing<UserSpaces> {
        let mut ids: Vec<&String> = self.users.keys().collect();
        ids.sort_unstable();
        Listing {
            total: ids.len(),
            entries: ids
                .into_iter()
                .skip(window.offset)
                .take(window.limit)
                .map(|id| UserSpaces {
                    user: self.users[id].clone(),
                    spaces: [Face::Graph, Face::Box]
                        .into_iter()
                        .filter_map(|face| {
                            let root = self.roots.get(&(face, id.clone()))?;
                            Some((face, *root))
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    pub(super) fn node_detail(&self, id: ItemId) -> Result<NodeDetail, StoreError> {
        let node = self.summary(id)?;
        let mut ancestors = Vec::new();
        let mut cursor = node.parent;
        while let Some(parent) = cursor {
            let folder = &self.items[&parent];
            ancestors.push(Ancestor {
                id: parent,
                name: folder.name.clone(),
            });
            cursor = folder.parent;
        }
        ancestors.reverse();
        Ok(NodeDetail { node, ancestors })
    }

    pub(super) fn children_page(
        &self,
        folder: ItemId,
        window: Window,
    ) -> Result<Listing<NodeSummary>, StoreError> {
        let node = self.items.get(&folder).ok_or(StoreError::ItemNotFound)?;
        let NodeKind::Folder(children) = &node.kind else {
            return Err(StoreError::NotAFolder);
        };
        Ok(Listing {
            total: children.len(),
            entries: children
                .values()
                .skip(window.offset)
                .take(window.limit)
                .map(|child| self.summary(*child))
                .collect::<Result<_, _>>()?,
        })
    }

    pub(super) fn timeline_page(
        &self,
        file: ItemId,
        order: TimelineOrder,
        window: Window,
    ) -> Result<Listing<TimelineEntry>, StoreError> {
        let node = self.items.get(&file).ok_or(StoreError::ItemNotFound)?;
        let NodeKind::File(history) = &node.kind else {
            return Err(StoreError::NotAFile);
        };
        let versions = &history.versions;
        let total = versions.len();
        // Positions of the page, as indexes into the oldest-first history.
        let positions: Vec<usize> = match order {
            TimelineOrder::OldestFirst => {
                (0..total).skip(window.offset).take(window.limit).collect()
            }
            TimelineOrder::NewestFirst => (0..total)
                .rev()
                .skip(window.offset)
                .take(window.limit)
                .collect(),
        };
        let entries = positions
            .into_iter()
            .map(|position| {
                let version = &versions[position];
                let source = version.restored_from.and_then(|source| {
                    // The copied version is in the same history unless a fixture named one that
                    // is not; then there is nothing to link to.
                    let (owner, at) = self.version_index.get(&source)?;
                    (*owner == file).then(|| TimelineSource {
                        id: source,
                        number: versions[*at].number,
                        position: *at,
                    })
                });
                TimelineEntry {
                    version: version.clone(),
                    position,
                    is_current: position + 1 == total,
                    source,
                }
            })
            .collect();
        Ok(Listing { total, entries })
    }

    fn summary(&self, id: ItemId) -> Result<NodeSummary, StoreError> {
        let node = self.items.get(&id).ok_or(StoreError::ItemNotFound)?;
        let kind = match &node.kind {
            NodeKind::Folder(children) => NodeSummaryKind::Folder {
                child_count: children.len(),
            },
            NodeKind::File(file) => NodeSummaryKind::File {
                version_count: file.versions.len(),
                current: file.current().clone(),
                mime_type: file.mime_type.clone(),
            },
        };
        Ok(NodeSummary {
            id,
            face: node.face,
            owner: node.owner.clone(),
            name: node.name.clone(),
            parent: node.parent,
            modified_at: node.modified_at,
            kind,
        })
    }
}
