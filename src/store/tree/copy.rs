//! Copies (Graph `POST {item}/copy`, Box `POST /files/{id}/copy` and `/folders/{id}/copy`): new
//! items with new ids, in the source's space or another, planned and checked in full before the
//! first one is made, so a refused copy takes no id. A copied file's versions share the source's
//! bytes rather than duplicating them.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{first_version, folder_node, is_kind, FileNode, Node, NodeKind, Tree};
use crate::store::domain::{
    CopyItem, FileTimes, ItemId, ItemView, OnConflict, Space, Version, VersionId,
};
use crate::store::rules::{validate_folder_name, validate_name};
use crate::store::sharing::CopySource;
use crate::store::StoreError;

/// One item still to copy: its source, the new folder it goes in, and its name there.
struct Pending {
    source: ItemId,
    parent: ItemId,
    name: String,
}

impl Tree {
    /// Copies `id` from `from` as `copy` says and returns the new top item.
    pub fn copy_item(
        &mut self,
        from: &Space,
        id: ItemId,
        copy: CopyItem,
        now: DateTime<Utc>,
    ) -> Result<ItemView, StoreError> {
        let source = self.node(from, id)?;
        is_kind(source, copy.kind)?;
        let Some(source_parent) = source.parent else {
            return Err(StoreError::RootFolder);
        };
        // A version other than the current one is copied alone (Box's `version`); one in the
        // trash cannot be.
        let version = match (&source.kind, copy.version) {
            (NodeKind::File(file), Some(at)) => {
                let version = &file.versions[self.version_index(id, file, at)?];
                if version.trashed_at.is_some() {
                    return Err(StoreError::VersionNotFound);
                }
                Some(version.id)
            }
            _ => None,
        };
        let is_folder = matches!(source.kind, NodeKind::Folder(_));
        let name = copy.name.clone().unwrap_or_else(|| source.name.clone());
        let to = &copy.to;
        let parent = copy.parent.unwrap_or(source_parent);
        self.children_of(to, parent)?;
        match is_folder {
            true => validate_folder_name(to.face, &name, self.is_root(parent))?,
            false => validate_name(to.face, &name)?,
        }
        // A folder copied into itself or below would copy what it is making, without end.
        if is_folder && self.is_at_or_below(parent, id) {
            return Err(StoreError::MoveIntoItself);
        }
        let mut replaced = None;
        let name = match (self.child(to, parent, &name)?, copy.on_conflict) {
            (None, _) => name,
            (Some(_), OnConflict::Rename) => self.free_name(to, parent, &name)?,
            // Only a file replaces a file, and never the source itself
            // (<https://learn.microsoft.com/en-us/graph/api/driveitem-copy>: "replace" deletes
            // the existing file; a folder in the way makes the copy fail).
            (Some(existing), OnConflict::Replace)
                if !is_folder
                    && existing != id
                    && matches!(self.items[&existing].kind, NodeKind::File(_)) =>
            {
                replaced = Some(existing);
                name
            }
            (Some(existing), _) => {
                return Err(StoreError::NameConflict {
                    existing: Box::new(self.view(existing)),
                })
            }
        };
        self.check_room(to, parent, self.span(id, &name))?;
        // Nothing below can fail.
        if let Some(existing) = replaced {
            let key = crate::store::rules::name_key(&self.items[&existing].name);
            self.unfile(parent, &key);
            self.remove_subtree(existing);
        }
        let top = self.copy_tree(&copy, id, parent, name, version, now);
        if replaced.is_some() {
            self.drop_unused_blobs();
        }
        Ok(self.view(top))
    }

    /// Makes the copies, breadth first with a work list rather than recursion, so a deep tree
    /// cannot exhaust the stack. Children are taken in name order, so ids are given out the same
    /// way on every run.
    fn copy_tree(
        &mut self,
        copy: &CopyItem,
        source: ItemId,
        parent: ItemId,
        name: String,
        version: Option<VersionId>,
        now: DateTime<Utc>,
    ) -> ItemId {
        let mut pending = std::collections::VecDeque::from([Pending {
            source,
            parent,
            name,
        }]);
        let mut top = None;
        while let Some(next) = pending.pop_front() {
            let is_top = top.is_none();
            let made = self.copy_one(copy, &next, is_top, version.filter(|_| is_top), now);
            top.get_or_insert(made);
            if let NodeKind::Folder(children) = &self.items[&next.source].kind {
                let children: Vec<ItemId> = children.values().copied().collect();
                pending.extend(children.into_iter().map(|child| Pending {
                    source: child,
                    parent: made,
                    name: self.items[&child].name.clone(),
                }));
            }
        }
        top.expect("the source itself is copied first")
    }

    /// A copy of one item, without its children. Only the top item takes the request's times.
    fn copy_one(
        &mut self,
        copy: &CopyItem,
        next: &Pending,
        is_top: bool,
        version: Option<VersionId>,
        now: DateTime<Utc>,
    ) -> ItemId {
        let to = &copy.to;
        let id = self.new_item_id();
        self.copy_description(next.source, id);
        let file = match &self.items[&next.source].kind {
            NodeKind::Folder(_) => None,
            NodeKind::File(file) => Some(file.clone()),
        };
        let Some(file) = file else {
            self.insert_node(
                id,
                folder_node(to, Some(next.parent), next.name.clone(), now),
            );
            return id;
        };
        // The latest version only, unless every one is asked for; either way the copy's
        // versions are its own (new ids), sharing the bytes.
        let sources: Vec<&Version> = match copy.all_versions {
            true => file.versions.iter().map(|v| &**v).collect(),
            false => vec![version
                .and_then(|v| file.versions.iter().find(|candidate| candidate.id == v))
                .unwrap_or_else(|| file.current())],
        };
        let mut versions = Vec::with_capacity(sources.len());
        for (index, old) in sources.into_iter().enumerate() {
            let version = match copy.all_versions {
                true => Version {
                    id: self.new_version_id(),
                    restored_from: None,
                    ..old.clone()
                },
                false => Version {
                    name: Arc::from(next.name.as_str()),
                    ..first_version(self.new_version_id(), old.content.clone(), &to.actor, now)
                },
            };
            self.version_index.insert(version.id, (id, index));
            versions.push(Arc::new(version));
        }
        // rclone sets the times after every copy because the service does not carry them over
        // (backend/onedrive/onedrive.go, `Copy`): a copy's times are its own.
        // Box keeps the source's content times on every copied file.
        let times = if copy.keep_times {
            FileTimes {
                created: Some(file.content_created_at),
                modified: Some(file.content_modified_at),
            }
        } else if is_top {
            copy.times
        } else {
            FileTimes::default()
        };
        let node = Node {
            face: to.face,
            owner: to.owner.clone(),
            name: next.name.clone(),
            parent: Some(next.parent),
            created_at: now,
            created_by: to.actor.clone(),
            modified_at: now,
            modified_by: to.actor.clone(),
            revision: 0,
            content_revision: 0,
            trashed: None,
            kind: NodeKind::File(FileNode {
                versions,
                mime_type: file.mime_type.clone(),
                content_created_at: times.created.unwrap_or(now),
                content_modified_at: times.modified.unwrap_or(now),
            }),
        };
        self.insert_node(id, node);
        let source = CopySource {
            item: next.source,
            name: self.items[&next.source].name.clone(),
        };
        self.sharing_mut().set_copy_source(id, source);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::domain::ItemKind;
    use crate::store::tree::arrange::Arranged;

    /// A tree whose root holds folder `F` with one file, its changes already taken: the tree,
    /// the space, the time, the root's and the folder's ids.
    fn folder_with_a_file() -> (Tree, Space, DateTime<Utc>, ItemId, ItemId) {
        let mut at = Arranged::new();
        let folder = at.folder(at.root, "F");
        at.file(folder, &["a.txt"], b"one");
        at.tree.take_changes();
        (at.tree, at.space, at.now, at.root, folder)
    }

    #[test]
    fn a_refused_copy_takes_no_id_and_records_no_change() {
        let (mut tree, space, now, _, folder) = folder_with_a_file();
        let counters = tree.counters();

        let into_itself = CopyItem {
            kind: Some(ItemKind::Folder),
            name: Some("G".to_owned()),
            ..CopyItem::into(space.clone(), folder)
        };
        let refused = tree.copy_item(&space, folder, into_itself, now);

        assert!(matches!(refused, Err(StoreError::MoveIntoItself)));
        assert_eq!(tree.counters(), counters);
        assert!(tree.take_changes().is_empty());
    }

    #[test]
    fn a_folder_copy_records_every_new_item_and_version() {
        let (mut tree, space, now, root, folder) = folder_with_a_file();

        let copy = CopyItem {
            kind: Some(ItemKind::Folder),
            name: Some("G".to_owned()),
            ..CopyItem::into(space.clone(), root)
        };
        let copied = tree.copy_item(&space, folder, copy, now).unwrap();

        let changes = tree.take_changes();
        assert_eq!(changes.items.len(), 2, "the folder and its file");
        assert_eq!(changes.items[0], copied.id);
        assert_eq!(changes.versions.len(), 1, "the file's one version");
        assert_eq!(changes.versions[0].0, changes.items[1]);
    }
}
