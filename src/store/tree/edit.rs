//! Changing the tree: folders, deletes, promote, trash and untrash, and the small mutations they
//! and uploads are made of (each one records what it changed).

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{first_version, folder_node, next_label, Node, NodeKind, Tree};
use crate::store::accounts::User;
use crate::store::content::Content;
use crate::store::domain::{
    Face, ItemId, ItemView, NewFolder, OnConflict, PromoteRules, Space, SpaceOwner, Version,
    VersionId, VersionRef,
};
use crate::store::precondition::Precondition;
use crate::store::rules::{name_key, validate_folder_name, PathSpan};
use crate::store::sharing::DeletedVersion;
use crate::store::StoreError;

impl Tree {
    pub fn create_folder(
        &mut self,
        space: &Space,
        folder: NewFolder,
        now: DateTime<Utc>,
    ) -> Result<ItemView, StoreError> {
        validate_folder_name(space.face, &folder.name, self.is_root(folder.parent))?;
        let name = match (
            self.child(space, folder.parent, &folder.name)?,
            folder.on_conflict,
        ) {
            (None, _) => folder.name,
            (Some(_), OnConflict::Rename) => self.free_name(space, folder.parent, &folder.name)?,
            // Replacing a folder with an empty one is never what a test wants; both services
            // answer a clash on folder creation with a conflict.
            (Some(existing), OnConflict::Fail | OnConflict::Replace) => {
                return Err(StoreError::NameConflict {
                    existing: Box::new(self.view(existing)),
                })
            }
        };
        self.check_room(space, folder.parent, PathSpan::named(&name))?;
        let id = self.new_item_id();
        self.insert_node(id, folder_node(space, Some(folder.parent), name, now));
        Ok(self.view(id))
    }

    /// Removes a file or folder and everything below it.
    pub fn delete_item(
        &mut self,
        space: &Space,
        id: ItemId,
        precondition: Option<Precondition>,
    ) -> Result<(), StoreError> {
        let node = self.node(space, id)?;
        let Some(parent) = node.parent else {
            return Err(StoreError::RootFolder);
        };
        let key = name_key(&node.name);
        self.check_lock(space, id)?;
        self.check(id, precondition)?;
        self.unfile(parent, &key);
        self.remove_subtree(id);
        self.drop_unused_blobs();
        Ok(())
    }

    /// Appends a copy of an earlier version as the new current one and returns it.
    pub fn promote_version(
        &mut self,
        space: &Space,
        file_id: ItemId,
        at: VersionRef,
        rules: PromoteRules,
        precondition: Option<Precondition>,
        now: DateTime<Utc>,
    ) -> Result<Version, StoreError> {
        let file = self.file(space, file_id)?;
        let index = self.version_index(file_id, file, at)?;
        let source = &file.versions[index];
        if index + 1 == file.versions.len() && !rules.allow_current {
            return Err(StoreError::CurrentVersion);
        }
        if source.trashed_at.is_some() {
            return Err(StoreError::VersionTrashed);
        }
        let source = source.clone();
        self.check_lock(space, file_id)?;
        self.check(file_id, precondition)?;
        if rules.restore_name {
            self.check_name_free(space, file_id, &source.name)?;
            self.rename(file_id, &source.name);
        }
        let content = source.content.clone();
        Ok(self.push_version(file_id, content, &space.actor, now, Some(source.id)))
    }

    /// Moves a previous version to the trash; a trashed one stays as it is.
    pub fn trash_version(
        &mut self,
        space: &Space,
        file_id: ItemId,
        at: VersionRef,
        precondition: Option<Precondition>,
        now: DateTime<Utc>,
    ) -> Result<Version, StoreError> {
        let (_, is_current) = self.version_mut(space, file_id, at)?;
        if is_current {
            return Err(StoreError::CurrentVersion);
        }
        self.check_lock(space, file_id)?;
        self.check(file_id, precondition)?;
        let (version, _) = self.version_mut(space, file_id, at)?;
        if version.trashed_at.is_none() {
            version.trashed_at = Some(now);
            version.trashed_by = Some(space.actor.clone());
        }
        let version = version.clone();
        self.changed(|c| c.versions.push((file_id, version.id)));
        Ok(version)
    }

    /// Removes a previous version from the history for good. The item is not changed (its tags
    /// stay), and the versions after the removed one keep their numbers.
    pub fn delete_version(
        &mut self,
        space: &Space,
        file_id: ItemId,
        at: VersionRef,
        precondition: Option<Precondition>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let file = self.file(space, file_id)?;
        let index = self.version_index(file_id, file, at)?;
        if index + 1 == file.versions.len() {
            return Err(StoreError::CurrentVersion);
        }
        self.check_lock(space, file_id)?;
        self.check(file_id, precondition)?;
        let NodeKind::File(file) = &mut self.items.get_mut(&file_id).expect("checked").kind else {
            unreachable!("checked a file")
        };
        let removed = file.versions.remove(index);
        // The index holds positions in the history: the versions after the removed one moved up.
        self.version_index.remove(&removed.id);
        for (position, version) in file.versions.iter().enumerate().skip(index) {
            self.version_index.insert(version.id, (file_id, position));
        }
        self.release(&removed.content);
        self.version_removed_under_checkout(file_id, index);
        self.changed(|c| c.removed_versions.push(removed.id));
        // The admin timeline shows where it was.
        let deleted = DeletedVersion {
            number: removed.number,
            minor: removed.minor,
            by: (*space.actor).clone(),
            at: now,
        };
        self.sharing_mut().add_deleted_version(file_id, deleted);
        drop(removed);
        self.drop_unused_blobs();
        Ok(())
    }

    /// Takes a version out of the trash; one that is not trashed comes back unchanged.
    pub fn untrash_version(
        &mut self,
        space: &Space,
        file_id: ItemId,
        at: VersionRef,
        now: DateTime<Utc>,
    ) -> Result<Version, StoreError> {
        let (version, _) = self.version_mut(space, file_id, at)?;
        if version.trashed_at.is_some() {
            version.trashed_at = None;
            version.trashed_by = None;
            version.restored_at = Some(now);
            version.restored_by = Some(space.actor.clone());
        }
        let version = version.clone();
        self.changed(|c| c.versions.push((file_id, version.id)));
        Ok(version)
    }

    /// Removes one user's files on both faces, their collaborations and their Favorites; the
    /// user and their tokens stay.
    pub fn remove_user_data(&mut self, user: &Arc<User>) {
        for face in [Face::Graph, Face::Box] {
            if let Some(root) = self.roots.remove(&(face, SpaceOwner::User(user.clone()))) {
                self.remove_subtree(root);
            }
        }
        self.drop_unused_blobs();
        self.forget_sharing_of_removed_items();
        self.forget_collaborations_of(&user.id);
        self.forget_favorites_of(&user.id);
    }

    /// Adds a node and files it under its name in its folder.
    /// A node in the trash is filed in the trash instead: its name is not taken in its folder.
    pub(super) fn insert_node(&mut self, id: ItemId, node: Node) {
        let filed_in = match node.parent {
            _ if node.trashed.is_some() => {
                self.trash.insert(id);
                None
            }
            Some(parent) => Some((parent, name_key(&node.name))),
            None => None,
        };
        if let NodeKind::File(file) = &node.kind {
            let versions: Vec<_> = file.versions.iter().map(|v| (id, v.id)).collect();
            self.changed(|c| c.versions.extend(versions));
        }
        self.items.insert(id, node);
        if let Some((parent, key)) = filed_in {
            self.file_under(parent, key, id);
        }
        self.changed(|c| c.items.push(id));
    }

    /// Makes the next version of a file (the next number and id, the file's current name) and
    /// appends it, recording the change on the file. The caller has checked that it is a file.
    pub(super) fn push_version(
        &mut self,
        file_id: ItemId,
        content: Arc<Content>,
        author: &Arc<User>,
        now: DateTime<Utc>,
        restored_from: Option<VersionId>,
    ) -> Version {
        let id = self.new_version_id();
        // A draft written under a check-out in a library with minor versions is the next minor
        // version; everything else the next major one.
        let minor_draft = self.sharing.checkout(file_id).is_some()
            && self.minor_versions(&self.items[&file_id].owner);
        let before = self.bytes_of(file_id);
        let node = self
            .items
            .get_mut(&file_id)
            .expect("caller checked the file");
        let NodeKind::File(file) = &mut node.kind else {
            unreachable!("caller checked the file")
        };
        let (number, minor) = next_label(file.current(), minor_draft);
        let version = Version {
            number,
            minor,
            name: Arc::from(node.name.as_str()),
            restored_from,
            ..first_version(id, content, author, now)
        };
        self.version_index
            .insert(id, (file_id, file.versions.len()));
        node.modified_at = now;
        node.modified_by = author.clone();
        node.revision += 1;
        node.content_revision += 1;
        file.content_modified_at = now;
        file.versions.push(Arc::new(version.clone()));
        self.resized(file_id, before);
        self.changed(|c| {
            c.items.push(file_id);
            c.versions.push((file_id, id));
        });
        version
    }

    /// A version of a file, to change in place (trash and untrash do not add versions).
    fn version_mut(
        &mut self,
        space: &Space,
        file_id: ItemId,
        at: VersionRef,
    ) -> Result<(&mut Version, bool), StoreError> {
        let index = self.version_index(file_id, self.file(space, file_id)?, at)?;
        let NodeKind::File(file) = &mut self.items.get_mut(&file_id).expect("checked").kind else {
            unreachable!("checked a file")
        };
        let is_current = index + 1 == file.versions.len();
        Ok((Arc::make_mut(&mut file.versions[index]), is_current))
    }

    /// Refuses `name` for `id` when another item in the same folder has it.
    pub(super) fn check_name_free(
        &self,
        space: &Space,
        id: ItemId,
        name: &str,
    ) -> Result<(), StoreError> {
        let parent = self.items[&id].parent.expect("files have a parent");
        match self
            .child(space, parent, name)?
            .filter(|other| *other != id)
        {
            Some(other) => Err(StoreError::NameConflict {
                existing: Box::new(self.view(other)),
            }),
            None => Ok(()),
        }
    }

    /// Renames an item and re-files it under its new name in its folder.
    pub(super) fn rename(&mut self, id: ItemId, name: &str) {
        let node = self.items.get_mut(&id).expect("caller checked the item");
        if node.name == name {
            return;
        }
        let old_key = name_key(&node.name);
        node.name = name.to_owned();
        let parent = node.parent.expect("the root is never renamed");
        self.unfile(parent, &old_key);
        self.file_under(parent, name_key(name), id);
        self.changed(|c| c.items.push(id));
    }

    /// Removes `top` and everything below it, each folder before what it held. A work list
    /// rather than recursion, so that a folder thousands of levels deep cannot exhaust the
    /// stack (it did: deleting one 2000 levels deep aborted a debug build).
    pub(super) fn remove_subtree(&mut self, top: ItemId) {
        // Made at the first folder removed: a file alone needs none.
        let mut trashed_in = None;
        let mut pending = vec![top];
        while let Some(id) = pending.pop() {
            let Some(node) = self.items.remove(&id) else {
                continue;
            };
            self.trash.remove(&id);
            self.forget_notes(id);
            self.forget_comments(id);
            self.forget_collaborations(id);
            self.forget_tasks(id);
            self.changed(|c| c.removed_items.push(id));
            match node.kind {
                NodeKind::Folder(children) => {
                    let trashed_in = trashed_in.get_or_insert_with(|| self.trashed_by_folder());
                    let from = pending.len();
                    pending.extend(children.into_values());
                    pending.extend(trashed_in.remove(&id).unwrap_or_default());
                    pending[from..].reverse();
                }
                NodeKind::File(file) => {
                    for version in &file.versions {
                        self.version_index.remove(&version.id);
                        self.release(&version.content);
                    }
                    self.changed(|c| {
                        c.removed_versions
                            .extend(file.versions.iter().map(|v| v.id))
                    });
                }
            }
        }
    }
}
