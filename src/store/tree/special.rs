//! Special folders (`store::special`): found at their path, made on demand.

use chrono::{DateTime, Utc};

use super::Tree;
use crate::store::domain::{ItemId, Space};
use crate::store::rules;
use crate::store::special::SpecialFolder;
use crate::store::StoreError;

impl Tree {
    /// The special folder's id; with `create`, it and the folders above it are made when
    /// missing, else a missing one is `ItemNotFound`.
    pub fn special_folder(
        &mut self,
        space: &Space,
        folder: SpecialFolder,
        create: bool,
        now: DateTime<Utc>,
    ) -> Result<ItemId, StoreError> {
        let root = self.root_id(space, now);
        let segments: Vec<String> = folder.path().iter().map(|s| (*s).to_owned()).collect();
        let walked = rules::walk(root, &segments, create, |at, segment| {
            self.entry(space, at, segment)
        })?;
        Ok(self.make_folders(space, walked.folder, walked.missing, now))
    }
}
