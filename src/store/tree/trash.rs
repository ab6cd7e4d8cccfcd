//! The trash of whole items (Box's file and folder trash): trash, look at, list, restore, purge.
//!
//! A trashed item leaves its folder's name index, so the name is free again, and keeps its
//! `parent` for the restore. Everything below a trashed folder is unreachable with it: `node`
//! refuses it as `Trashed`. Only the item put in the trash itself can be restored or purged,
//! as Box's specification says of `GET /files/{id}/trash`.

use chrono::{DateTime, Utc};

use super::{is_kind, Node, NodeKind, Tree};
use crate::store::domain::{
    ItemId, ItemKind, ItemView, Listing, RestoreItem, Space, Trashed, Window,
};
use crate::store::precondition::Precondition;
use crate::store::rules::{name_key, validate_folder_name, validate_name};
use crate::store::StoreError;

impl Tree {
    pub fn trash_item(
        &mut self,
        space: &Space,
        id: ItemId,
        kind: ItemKind,
        recursive: bool,
        precondition: Option<Precondition>,
        now: DateTime<Utc>,
    ) -> Result<ItemView, StoreError> {
        let node = self.node(space, id)?;
        is_kind(node, Some(kind))?;
        let Some(parent) = node.parent else {
            return Err(StoreError::RootFolder);
        };
        // Items in the trash are no longer in the folder: Box deletes a folder whose files were
        // all deleted without `recursive` (rclone deletes files, then the folder, that way).
        // They go on pointing at it, as when the folder goes with `recursive`.
        let has_children = match &node.kind {
            NodeKind::Folder(children) => !children.is_empty(),
            NodeKind::File(_) => false,
        };
        if has_children && !recursive {
            return Err(StoreError::FolderNotEmpty);
        }
        self.check_lock(space, id)?;
        self.check(id, precondition)?;
        let key = name_key(&node.name);
        self.unfile(parent, &key);
        let node = self.items.get_mut(&id).expect("checked");
        node.trashed = Some(Trashed {
            at: now,
            by: space.actor.clone(),
        });
        node.revision += 1;
        self.trash.insert(id);
        self.changed(|c| c.items.push(id));
        Ok(self.view(id))
    }

    /// The item, if it was itself put in the trash.
    pub fn trashed_item(
        &self,
        space: &Space,
        id: ItemId,
        kind: ItemKind,
    ) -> Result<ItemView, StoreError> {
        self.trashed_node(space, id, kind)?;
        Ok(self.view(id))
    }

    /// The space's items that were themselves put in the trash, by when, then by id.
    pub fn trash(&self, space: &Space, window: Window) -> Result<Listing<ItemView>, StoreError> {
        let mut trashed: Vec<(&Node, ItemId)> = (self.trash.iter())
            .filter_map(|id| Some((self.any_node(space, *id).ok()?, *id)))
            .collect();
        trashed.sort_by_key(|(node, id)| (node.trashed.as_ref().map(|t| t.at), *id));
        Ok(Listing {
            total: trashed.len(),
            entries: window
                .page(trashed.iter())
                .map(|(_, id)| self.view(*id))
                .collect(),
        })
    }

    /// Back to its folder, or to `restore.parent` when that folder is gone (deleted, or in the
    /// trash itself); `restore.name` renames it on the way. A taken name is a conflict.
    pub fn restore_item(
        &mut self,
        space: &Space,
        id: ItemId,
        kind: ItemKind,
        restore: RestoreItem,
        now: DateTime<Utc>,
    ) -> Result<ItemView, StoreError> {
        let node = self.trashed_node(space, id, kind)?;
        let original = node.parent.expect("the root is never trashed");
        let name = restore.name.unwrap_or_else(|| node.name.clone());
        let parent = match (self.node(space, original), restore.parent) {
            (Ok(_), _) => original,
            (Err(_), Some(other)) => other,
            (Err(_), None) => return Err(StoreError::RestoreTargetGone),
        };
        match kind {
            ItemKind::Folder => validate_folder_name(space.face, &name, self.is_root(parent)),
            ItemKind::File => validate_name(space.face, &name),
        }?;
        if let Some(existing) = self.child(space, parent, &name)? {
            return Err(StoreError::NameConflict {
                existing: Box::new(self.view(existing)),
            });
        }
        self.check_room(space, parent, self.span(id, &name))?;
        // Nothing below can fail.
        self.file_under(parent, name_key(&name), id);
        let node = self.items.get_mut(&id).expect("checked");
        node.trashed = None;
        node.name = name;
        node.parent = Some(parent);
        node.revision += 1;
        node.modified_at = now;
        node.modified_by = space.actor.clone();
        self.trash.remove(&id);
        self.changed(|c| c.items.push(id));
        Ok(self.view(id))
    }

    /// Deletes a trashed item for good, with everything below it and every version. Bodies no
    /// version holds any more are forgotten; their memory goes once no link or session holds them.
    pub fn purge_item(
        &mut self,
        space: &Space,
        id: ItemId,
        kind: ItemKind,
    ) -> Result<(), StoreError> {
        self.trashed_node(space, id, kind)?;
        self.remove_subtree(id);
        self.drop_unused_blobs();
        Ok(())
    }

    /// The node, if it was itself put in the trash; `NotTrashed` otherwise (also below a
    /// trashed folder: only that folder is in the trash).
    fn trashed_node(&self, space: &Space, id: ItemId, kind: ItemKind) -> Result<&Node, StoreError> {
        let node = self.any_node(space, id)?;
        is_kind(node, Some(kind))?;
        match node.trashed {
            Some(_) => Ok(node),
            None => Err(StoreError::NotTrashed),
        }
    }
}
