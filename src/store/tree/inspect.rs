//! The admin browser's reads on the tree (`store::inspect`). Each walks only the page it
//! returns: children come from the folder's sorted map, timeline pages are slices of the
//! history, and a copied version's position comes from the version index, not a search.

use std::sync::Arc;

use super::{NodeKind, Tree};
use crate::store::accounts::User;
use crate::store::domain::Version;
use crate::store::domain::{Face, ItemId, Listing, SpaceOwner, Window};
use crate::store::inspect::{
    BoxSide, DriveSpace, NodeDetail, NodeSummary, NodeSummaryKind, TimelineCopy, TimelineEntry,
    TimelineOrder, TimelineSource,
};
use crate::store::sharing::DeletedVersion;
use crate::store::StoreError;

impl Tree {
    /// The root of each face's space the user has, by face.
    pub fn spaces_of(&self, user: &Arc<User>) -> Vec<(Face, ItemId)> {
        let owner = SpaceOwner::User(user.clone());
        [Face::Graph, Face::Box]
            .into_iter()
            .filter_map(|face| Some((face, *self.roots.get(&(face, owner.clone()))?)))
            .collect()
    }

    /// Whether any of the user's spaces holds a file or folder (Box's test before deleting
    /// a user without `force`).
    pub fn owns_items(&self, user: &Arc<User>) -> bool {
        self.spaces_of(user).into_iter().any(|(_, root)| {
            matches!(self.items.get(&root).map(|n| &n.kind), Some(NodeKind::Folder(children)) if !children.is_empty())
        })
    }

    /// A page of the shared drives. Counting takes every site, which is fine: sites and
    /// libraries are few next to files, as users are.
    pub fn drives_page(&self, window: Window) -> Listing<DriveSpace> {
        let org = self.org();
        let entries = window
            .page(org.shared_drives())
            .map(|drive| {
                let owner = SpaceOwner::Drive(Arc::from(drive.library.id.as_str()));
                DriveSpace {
                    members: org
                        .members(&drive.site)
                        .map(|members| members.iter().cloned().collect()),
                    root: self.roots.get(&(Face::Graph, owner)).copied(),
                    drive,
                }
            })
            .collect();
        Listing {
            total: org.shared_drives().count(),
            entries,
        }
    }

    pub fn node_detail(&self, id: ItemId) -> Result<NodeDetail, StoreError> {
        let node = self.summary(id)?;
        let ancestors = self.ancestors(node.parent).to_vec();
        Ok(NodeDetail {
            node,
            ancestors,
            box_side: self.box_side(id),
        })
    }

    /// What Box keeps beside the item, read from the side state.
    fn box_side(&self, id: ItemId) -> BoxSide {
        let metadata = self.sharing.metadata();
        let shared_link = self.sharing.shared_link(id).cloned();
        BoxSide {
            notes: self.sharing.notes(id).cloned().unwrap_or_default(),
            lock: self.sharing.lock(id).cloned(),
            shared_link_live: self.live_shared_link(id).is_some() && !self.in_trash(id),
            shared_link,
            metadata: (metadata.instances(id).iter())
                .map(|instance| {
                    let name = (metadata.template(instance.scope, &instance.template))
                        .map_or_else(|_| instance.template.clone(), |t| t.display_name);
                    (instance.clone(), name)
                })
                .collect(),
            comment_count: self.comment_count(id),
            collaborators: self.collaborator_summaries(id),
        }
    }

    pub fn children_page(
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
            entries: window
                .page(children.values())
                .map(|child| self.summary(*child))
                .collect::<Result<_, _>>()?,
        })
    }

    pub fn timeline_page(
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
        let deleted = self.sharing.deleted_versions(file);
        // Positions in the oldest-first history; skipping on a range is constant time, so a page
        // deep in a 10⁵-version history costs what the first page does.
        let positions: Vec<usize> = match order {
            TimelineOrder::OldestFirst => window.page(0..total).collect(),
            TimelineOrder::NewestFirst => window.page((0..total).rev()).collect(),
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
                        minor: versions[*at].minor,
                        position: *at,
                    })
                });
                // The deleted versions whose labels fall between this one's and the one's
                // before it (marks are sorted by label, as versions are).
                let label = |v: &Version| (v.number, v.minor);
                let below = |m: &DeletedVersion, bound: (u32, u32)| (m.number, m.minor) < bound;
                let from = match position {
                    0 => 0,
                    _ => deleted.partition_point(|m| below(m, label(&versions[position - 1]))),
                };
                let to = deleted.partition_point(|m| below(m, label(version)));
                let copied_from = (position == 0)
                    .then(|| self.sharing.copy_source(file))
                    .flatten()
                    .map(|source| TimelineCopy {
                        name: source.name.clone(),
                        item: Some(source.item).filter(|id| self.items.contains_key(id)),
                    });
                TimelineEntry {
                    version: Version::clone(version),
                    position,
                    is_current: position + 1 == total,
                    source,
                    checked_in: self.checkin_comment(version.id.0).map(str::to_owned),
                    copied_from,
                    deleted_before: deleted[from..to.max(from)].to_vec(),
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
                current: Version::clone(file.current()),
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
            trashed: node.trashed.clone(),
            kind,
        })
    }
}
