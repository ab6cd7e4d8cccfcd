//! Renaming and moving an item (Box `PUT /files/{id}`, Graph `PATCH {item}`): the item keeps its
//! id and versions; its revision moves (Box etag, Graph eTag), its content revision (cTag) not.
//! Setting a file's own times with it or alone (Graph `fileSystemInfo`) adds a version of the same
//! bytes, as OneDrive for Business does.

use chrono::{DateTime, Utc};

use super::{is_kind, NodeKind, Tree};
use crate::store::domain::{FileTimes, ItemId, ItemView, MoveItem, OnConflict, Space};
use crate::store::precondition::Precondition;
use crate::store::rules::{name_key, validate_folder_name, validate_name};
use crate::store::StoreError;

impl Tree {
    pub fn move_item(
        &mut self,
        space: &Space,
        id: ItemId,
        change: MoveItem,
        precondition: Option<Precondition>,
        now: DateTime<Utc>,
    ) -> Result<ItemView, StoreError> {
        let node = self.node(space, id)?;
        is_kind(node, change.kind)?;
        let Some(old_parent) = node.parent else {
            return Err(StoreError::RootFolder);
        };
        let old_name = node.name.clone();
        let parent = change.parent.unwrap_or(old_parent);
        let wanted = change.name.unwrap_or_else(|| old_name.clone());
        match node.kind {
            NodeKind::Folder(_) => validate_folder_name(space.face, &wanted, self.is_root(parent)),
            NodeKind::File(_) => validate_name(space.face, &wanted),
        }?;
        let children = self.children_of(space, parent)?;
        if self.is_at_or_below(parent, id) {
            return Err(StoreError::MoveIntoItself);
        }
        let name = match children
            .get(&name_key(&wanted))
            .filter(|other| **other != id)
        {
            None => wanted,
            Some(_) if change.on_conflict == OnConflict::Rename => {
                self.free_name(space, parent, &wanted)?
            }
            Some(existing) => {
                return Err(StoreError::NameConflict {
                    existing: Box::new(self.view(*existing)),
                })
            }
        };
        let placed_anew = parent != old_parent || name != old_name;
        if placed_anew {
            self.check_room(space, parent, self.span(id, &name))?;
        }
        self.check_lock(space, id)?;
        self.check(id, precondition)?;
        // Nothing below can fail.
        let times = match node.kind {
            NodeKind::File(_) => change.times,
            NodeKind::Folder(_) => FileTimes::default(),
        };
        if placed_anew {
            self.unfile(old_parent, &name_key(&old_name));
            self.file_under(parent, name_key(&name), id);
            let node = self.items.get_mut(&id).expect("checked");
            node.name = name;
            node.parent = Some(parent);
            node.revision += 1;
            node.modified_at = now;
            node.modified_by = space.actor.clone();
            self.changed(|c| c.items.push(id));
        }
        if !times.is_empty() {
            self.set_times(space, id, times, now);
        }
        Ok(self.view(id))
    }

    /// Sets a file's own times, with a new version of the same bytes: "OneDrive for Business
    /// creates versions when rclone uploads new files overwriting an existing one and when it sets
    /// the modification time" (rclone's `--onedrive-no-versions` help, `backend/onedrive/onedrive.go`),
    /// and the emulator's drives are business drives. The version comes after a rename made with
    /// it, so that it carries the new name.
    fn set_times(&mut self, space: &Space, id: ItemId, times: FileTimes, now: DateTime<Utc>) {
        let NodeKind::File(file) = &self.items[&id].kind else {
            return;
        };
        let content = file.current().content.clone();
        self.push_version(id, content, &space.actor, now, None);
        if let NodeKind::File(file) = &mut self.items.get_mut(&id).expect("checked").kind {
            if let Some(at) = times.created {
                file.content_created_at = at;
            }
            if let Some(at) = times.modified {
                file.content_modified_at = at;
            }
        }
    }

    /// Whether `folder` is `item` or lies below it.
    pub(super) fn is_at_or_below(&self, folder: ItemId, item: ItemId) -> bool {
        let mut cursor = Some(folder);
        while let Some(at) = cursor {
            if at == item {
                return true;
            }
            cursor = self.items.get(&at).and_then(|node| node.parent);
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tree::arrange::Arranged;

    #[test]
    fn moving_a_folder_records_the_folder_alone_as_changed() {
        // A data dir's rows name an item's folder by id, so what is below a moved folder is
        // unchanged: writing it again would cost a write per item for nothing.
        let mut at = Arranged::new();
        let outer = at.folder(at.root, "outer");
        let inner = at.folder(outer, "inner");
        let target = at.folder(at.root, "target");
        let Arranged {
            mut tree,
            space,
            now,
            ..
        } = at;
        tree.take_changes();

        let change = MoveItem {
            kind: None,
            parent: Some(target),
            name: None,
            on_conflict: OnConflict::Fail,
            times: FileTimes::default(),
        };
        tree.move_item(&space, outer, change, None, now).unwrap();

        let mut changed = tree.take_changes().items;
        changed.sort();
        assert_eq!(changed, [outer], "not {inner:?}");
    }
}
