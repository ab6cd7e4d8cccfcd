//! Uploads: `write_file` plans what the write will do (changing nothing), checks the plan, then
//! applies it. Every step that can fail comes before the first change, so a refused upload makes
//! no parent folder and takes no id.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{first_version, folder_node, FileNode, Node, NodeKind, Tree};
use crate::store::content::Content;
use crate::store::domain::{ItemId, OnConflict, Space, Version, WriteFile, WriteTarget, Written};
use crate::store::precondition::Precondition;
use crate::store::rules::{self, guess_mime_type, validate_folder_name, validate_name, PathSpan};
use crate::store::StoreError;

/// What an upload will do.
enum Plan {
    NewVersion(ItemId),
    NewFile {
        /// The deepest folder that exists.
        folder: ItemId,
        /// Folders to make below it, in order.
        missing: Vec<String>,
        name: String,
    },
}

impl Tree {
    /// Creates a file or adds a version to one: exactly one new version either way.
    pub fn write_file(
        &mut self,
        space: &Space,
        write: WriteFile,
        precondition: Option<Precondition>,
        now: DateTime<Utc>,
    ) -> Result<Written, StoreError> {
        if let Some(name) = &write.rename {
            validate_name(space.face, name)?;
        }
        let plan = match &write.target {
            WriteTarget::Item(id) => self.plan_item(space, *id)?,
            WriteTarget::Path {
                base,
                segments,
                on_conflict,
                create_parents,
            } => self.plan_path(space, *base, segments, *on_conflict, *create_parents)?,
        };
        self.check_plan(space, &plan, precondition, write.rename.as_deref())?;
        // Nothing below can fail.
        let (id, created) = match plan {
            Plan::NewVersion(id) => {
                self.add_version(space, id, write, now);
                (id, false)
            }
            Plan::NewFile {
                folder,
                missing,
                name,
            } => {
                let folder = self.make_folders(space, folder, missing, now);
                (self.add_file(space, folder, name, write, now), true)
            }
        };
        Ok(Written {
            item: self.view(id),
            created,
        })
    }

    /// A new version of the file `id`.
    fn plan_item(&self, space: &Space, id: ItemId) -> Result<Plan, StoreError> {
        self.file(space, id).map_err(|e| match e {
            StoreError::NotAFile => StoreError::WriteToFolder,
            e => e,
        })?;
        Ok(Plan::NewVersion(id))
    }

    /// A new file or version at `segments` below `base`, as `on_conflict` says for a taken name.
    fn plan_path(
        &self,
        space: &Space,
        base: ItemId,
        segments: &[String],
        on_conflict: OnConflict,
        create_parents: bool,
    ) -> Result<Plan, StoreError> {
        let Some((name, parents)) = segments.split_last() else {
            return Err(StoreError::InvalidName("the path names no file".to_owned()));
        };
        // The folders on the way are named as folders are (made here when missing).
        for (depth, segment) in parents.iter().enumerate() {
            validate_folder_name(space.face, segment, depth == 0 && self.is_root(base))?;
        }
        validate_name(space.face, name)?;
        self.children_of(space, base)?;
        let walked = rules::walk(base, parents, create_parents, |folder, segment| {
            self.entry(space, folder, segment)
        })?;
        let existing = if walked.missing.is_empty() {
            self.child(space, walked.folder, name)?
        } else {
            None
        };
        let name = match (existing, on_conflict) {
            (None, _) => name.clone(),
            (Some(id), OnConflict::Replace) => {
                return match self.items[&id].kind {
                    NodeKind::File(_) => Ok(Plan::NewVersion(id)),
                    NodeKind::Folder(_) => Err(StoreError::WriteToFolder),
                }
            }
            (Some(id), OnConflict::Fail) => {
                return Err(StoreError::NameConflict {
                    existing: Box::new(self.view(id)),
                })
            }
            (Some(_), OnConflict::Rename) => self.free_name(space, walked.folder, name)?,
        };
        Ok(Plan::NewFile {
            folder: walked.folder,
            missing: walked.missing,
            name,
        })
    }

    /// The precondition, and a rename's name, against the planned target.
    fn check_plan(
        &self,
        space: &Space,
        plan: &Plan,
        precondition: Option<Precondition>,
        rename: Option<&str>,
    ) -> Result<(), StoreError> {
        match (plan, precondition) {
            (Plan::NewVersion(id), _) => {
                self.check_lock(space, *id)?;
                self.check(*id, precondition)?
            }
            // A precondition on something that does not exist yet cannot hold (RFC 9110 §13.1.1).
            (Plan::NewFile { .. }, Some(_)) => return Err(StoreError::PreconditionFailed),
            (Plan::NewFile { .. }, None) => {}
        }
        match (plan, rename) {
            (Plan::NewVersion(id), Some(name)) => {
                self.check_name_free(space, *id, name)?;
                let parent = self.items[id].parent.expect("a file has a folder");
                self.check_room(space, parent, PathSpan::named(name))
            }
            (Plan::NewVersion(_), None) => Ok(()),
            (
                Plan::NewFile {
                    folder,
                    missing,
                    name,
                },
                _,
            ) => {
                let names = missing.iter().chain([name]).map(String::as_str);
                self.check_room(space, *folder, PathSpan::of(names))
            }
        }
    }

    fn add_version(&mut self, space: &Space, id: ItemId, write: WriteFile, now: DateTime<Utc>) {
        if let Some(name) = &write.rename {
            self.rename(id, name);
        }
        let content = self.intern(write.content);
        self.push_version(id, content, &space.actor, now, None);
        if let NodeKind::File(file) = &mut self.items.get_mut(&id).expect("planned").kind {
            if let Some(mime) = write.mime_type {
                file.mime_type = mime;
            }
            if let Some(at) = write.content_created_at {
                file.content_created_at = at;
            }
            if let Some(at) = write.content_modified_at {
                file.content_modified_at = at;
            }
        }
    }

    /// Makes `missing` folders one below the other under `folder`; returns the deepest.
    pub(super) fn make_folders(
        &mut self,
        space: &Space,
        mut folder: ItemId,
        missing: Vec<String>,
        now: DateTime<Utc>,
    ) -> ItemId {
        for segment in missing {
            let id = self.new_item_id();
            self.insert_node(id, folder_node(space, Some(folder), segment, now));
            folder = id;
        }
        folder
    }

    fn add_file(
        &mut self,
        space: &Space,
        folder: ItemId,
        name: String,
        write: WriteFile,
        now: DateTime<Utc>,
    ) -> ItemId {
        let id = self.new_item_id();
        let content: Arc<Content> = self.intern(write.content);
        let version = Version {
            name: Arc::from(name.as_str()),
            ..first_version(self.new_version_id(), content, &space.actor, now)
        };
        self.version_index.insert(version.id, (id, 0));
        let mime_type = write.mime_type.unwrap_or_else(|| guess_mime_type(&name));
        let node = Node {
            face: space.face,
            owner: space.owner.clone(),
            name,
            parent: Some(folder),
            created_at: now,
            created_by: space.actor.clone(),
            modified_at: now,
            modified_by: space.actor.clone(),
            revision: 0,
            content_revision: 0,
            trashed: None,
            kind: NodeKind::File(FileNode {
                versions: vec![Arc::new(version)],
                mime_type,
                content_created_at: write.content_created_at.unwrap_or(now),
                content_modified_at: write.content_modified_at.unwrap_or(now),
            }),
        };
        self.insert_node(id, node);
        id
    }
}
