//! Copying a file or a whole folder (Box `POST /files/{id}/copy`, `POST /folders/{id}/copy`):
//! the copy is new items with new ids, each file with one version holding the bytes of the
//! version copied (shared, not duplicated), made now by the caller. Everything is checked before
//! the first item is made, so a refused copy takes no id.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{first_version, folder_node, is_kind, FileNode, Node, NodeKind, Tree};
use crate::store::domain::{CopyItem, ItemId, ItemView, Space, Version, VersionId};
use crate::store::rules::{validate_folder_name, validate_name};
use crate::store::StoreError;

impl Tree {
    pub fn copy_item(
        &mut self,
        space: &Space,
        id: ItemId,
        copy: CopyItem,
        now: DateTime<Utc>,
    ) -> Result<ItemView, StoreError> {
        let node = self.node(space, id)?;
        is_kind(node, Some(copy.kind))?;
        if node.parent.is_none() {
            return Err(StoreError::RootFolder);
        }
        let name = copy.name.unwrap_or_else(|| node.name.clone());
        match &node.kind {
            NodeKind::Folder(_) => {
                validate_folder_name(space.face, &name, self.is_root(copy.parent))
            }
            NodeKind::File(_) => validate_name(space.face, &name),
        }?;
        // A version other than the current one is copied alone (Box's `version`); one in the
        // trash cannot be.
        let version = match (&node.kind, copy.version) {
            (NodeKind::File(file), Some(at)) => {
                let version = &file.versions[self.version_index(id, file, at)?];
                if version.trashed_at.is_some() {
                    return Err(StoreError::VersionNotFound);
                }
                Some(version.id)
            }
            _ => None,
        };
        if self.is_at_or_below(copy.parent, id) {
            return Err(StoreError::MoveIntoItself);
        }
        if let Some(existing) = self.child(space, copy.parent, &name)? {
            return Err(StoreError::NameConflict {
                existing: Box::new(self.view(existing)),
            });
        }
        // Nothing below can fail.
        let top = self.copy_node(space, id, copy.parent, name, version, now);
        // Folders below, parents before children, so that each lands in its copied parent.
        let mut pending = vec![(id, top)];
        while let Some((from, to)) = pending.pop() {
            let NodeKind::Folder(children) = &self.items[&from].kind else {
                continue;
            };
            let children: Vec<ItemId> = children.values().copied().collect();
            for child in children {
                let name = self.items[&child].name.clone();
                let copied = self.copy_node(space, child, to, name, None, now);
                pending.push((child, copied));
            }
        }
        Ok(self.view(top))
    }

    /// One new item like `from`, named `name` in `parent` (a folder comes empty); a file's one
    /// version holds the bytes of `version`, or of the current version.
    fn copy_node(
        &mut self,
        space: &Space,
        from: ItemId,
        parent: ItemId,
        name: String,
        version: Option<VersionId>,
        now: DateTime<Utc>,
    ) -> ItemId {
        let id = self.new_item_id();
        let node = match &self.items[&from].kind {
            NodeKind::Folder(_) => folder_node(space, Some(parent), name, now),
            NodeKind::File(file) => {
                let source = version
                    .and_then(|v| file.versions.iter().find(|candidate| candidate.id == v))
                    .unwrap_or_else(|| file.current());
                let (content, mime_type) = (source.content.clone(), file.mime_type.clone());
                let (created, modified) = (file.content_created_at, file.content_modified_at);
                let version = Version {
                    name: Arc::from(name.as_str()),
                    ..first_version(self.new_version_id(), content, &space.actor, now)
                };
                self.version_index.insert(version.id, (id, 0));
                Node {
                    kind: NodeKind::File(FileNode {
                        versions: vec![version],
                        mime_type,
                        content_created_at: created,
                        content_modified_at: modified,
                    }),
                    ..folder_node(space, Some(parent), name, now)
                }
            }
        };
        self.insert_node(id, node);
        id
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use bytes::Bytes;
    use chrono::Utc;

    use super::*;
    use crate::store::accounts::User;
    use crate::store::content::Content;
    use crate::store::domain::{Face, ItemKind, NewFolder, OnConflict, WriteFile, WriteTarget};
    use crate::store::tree::IdSeed;

    fn space() -> Space {
        let user = Arc::new(User {
            id: "1".into(),
            name: "One".into(),
            login: "one@example.com".into(),
        });
        Space::own(Face::Box, user)
    }

    #[test]
    fn a_refused_copy_takes_no_id_and_records_no_change() {
        let mut tree = Tree::new(IdSeed::default(), true);
        let space = space();
        let now = Utc::now();
        let root = tree.root_id(&space, now);
        let new = NewFolder {
            parent: root,
            name: "F".to_owned(),
            on_conflict: OnConflict::Fail,
        };
        let folder = tree.create_folder(&space, new, now).unwrap().id;
        let write = WriteFile {
            target: WriteTarget::Path {
                base: folder,
                segments: vec!["a.txt".to_owned()],
                on_conflict: OnConflict::Fail,
                create_parents: false,
            },
            content: Content::new(Bytes::from_static(b"one")),
            mime_type: None,
            rename: None,
            content_created_at: None,
            content_modified_at: None,
        };
        tree.write_file(&space, write, None, now).unwrap();
        tree.take_changes();
        let counters = tree.counters();

        let into_itself = CopyItem {
            kind: ItemKind::Folder,
            parent: folder,
            name: Some("G".to_owned()),
            version: None,
        };
        let refused = tree.copy_item(&space, folder, into_itself, now);

        assert!(matches!(refused, Err(StoreError::MoveIntoItself)));
        assert_eq!(tree.counters(), counters);
        assert!(tree.take_changes().is_empty());
    }

    #[test]
    fn a_folder_copy_records_every_new_item_and_version() {
        let mut tree = Tree::new(IdSeed::default(), true);
        let space = space();
        let now = Utc::now();
        let root = tree.root_id(&space, now);
        let new = NewFolder {
            parent: root,
            name: "F".to_owned(),
            on_conflict: OnConflict::Fail,
        };
        let folder = tree.create_folder(&space, new, now).unwrap().id;
        let write = WriteFile {
            target: WriteTarget::Path {
                base: folder,
                segments: vec!["a.txt".to_owned()],
                on_conflict: OnConflict::Fail,
                create_parents: false,
            },
            content: Content::new(Bytes::from_static(b"one")),
            mime_type: None,
            rename: None,
            content_created_at: None,
            content_modified_at: None,
        };
        tree.write_file(&space, write, None, now).unwrap();
        tree.take_changes();

        let copy = CopyItem {
            kind: ItemKind::Folder,
            parent: root,
            name: Some("G".to_owned()),
            version: None,
        };
        let copied = tree.copy_item(&space, folder, copy, now).unwrap();

        let changes = tree.take_changes();
        assert_eq!(changes.items.len(), 2, "the folder and its file");
        assert_eq!(changes.items[0], copied.id);
        assert_eq!(changes.versions.len(), 1, "the file's one version");
        assert_eq!(changes.versions[0].0, changes.items[1]);
    }
}
