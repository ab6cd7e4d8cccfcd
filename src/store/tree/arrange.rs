//! What the tree's unit tests start from: an empty tree with one Box user's space, and the
//! folders and files they put in it, so each test states only what it is about.

use std::sync::Arc;

use bytes::Bytes;
use chrono::{DateTime, Utc};

use super::{IdSeed, Tree};
use crate::control::clock::Clock;
use crate::store::accounts::User;
use crate::store::content::Content;
use crate::store::domain::{Face, ItemId, NewFolder, OnConflict, Space, WriteFile, WriteTarget};

/// An empty tree and user `1`'s Box space in it, with the time and the space's root.
pub(super) struct Arranged {
    pub tree: Tree,
    pub space: Space,
    pub now: DateTime<Utc>,
    pub root: ItemId,
}

impl Arranged {
    pub fn new() -> Self {
        let now = Utc::now();
        let mut tree = Tree::new(IdSeed::default(), true, Arc::new(Clock::frozen_at(now)));
        let user = Arc::new(User {
            id: "1".into(),
            name: "One".into(),
            login: "one@example.com".into(),
        });
        let space = Space::own(Face::Box, user);
        let root = tree.root_id(&space, now);
        Self {
            tree,
            space,
            now,
            root,
        }
    }

    /// A new folder `name` in `parent`.
    pub fn folder(&mut self, parent: ItemId, name: &str) -> ItemId {
        let new = NewFolder {
            parent,
            name: name.to_owned(),
            on_conflict: OnConflict::Fail,
        };
        let made = self.tree.create_folder(&self.space, new, self.now);
        made.expect("a new folder").id
    }

    /// A new file at `path` below `base` (the folders on the way made as needed), holding
    /// `bytes`.
    pub fn file(&mut self, base: ItemId, path: &[&str], bytes: &'static [u8]) -> ItemId {
        let write = WriteFile {
            target: WriteTarget::Path {
                base,
                segments: path.iter().map(|s| s.to_string()).collect(),
                on_conflict: OnConflict::Fail,
                create_parents: true,
            },
            content: Content::new(Bytes::from_static(bytes)),
            mime_type: None,
            rename: None,
            content_created_at: None,
            content_modified_at: None,
        };
        let written = self.tree.write_file(&self.space, write, None, self.now);
        written.expect("a new file").item.id
    }
}
