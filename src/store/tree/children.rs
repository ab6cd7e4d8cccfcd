//! A folder's index of its children by name key, with its subfolders kept apart from its files,
//! so that a page in Box's order (folders first, then by name) is a walk over two ordered maps
//! rather than a sort of every child by kind, which cost a lookup of each child's node.

use std::collections::btree_map::{self, BTreeMap};
use std::iter::Peekable;
use std::ops::Bound;

use crate::store::domain::ItemId;

/// Both services compare names case-insensitively: keys are `rules::name_key`s, and a key is in
/// at most one of the two maps.
#[derive(Debug, Clone, Default)]
pub(crate) struct Children {
    folders: BTreeMap<String, ItemId>,
    files: BTreeMap<String, ItemId>,
    /// What the current versions of every file below weigh, the trash left out: the folder's
    /// `size` on both faces. The tree keeps it as items come and go (`super::sizes`); the index
    /// itself never changes it.
    bytes: u64,
}

impl Children {
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    pub(super) fn set_bytes(&mut self, bytes: u64) {
        self.bytes = bytes;
    }

    pub fn get(&self, key: &str) -> Option<&ItemId> {
        self.files.get(key).or_else(|| self.folders.get(key))
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Files `id` under `key`; `folder` says which of the two maps holds it.
    pub fn insert(&mut self, key: String, id: ItemId, folder: bool) {
        self.remove(&key);
        match folder {
            true => self.folders.insert(key, id),
            false => self.files.insert(key, id),
        };
    }

    pub fn remove(&mut self, key: &str) -> Option<ItemId> {
        self.files.remove(key).or_else(|| self.folders.remove(key))
    }

    pub fn len(&self) -> usize {
        self.folders.len() + self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.folders.is_empty() && self.files.is_empty()
    }

    /// Every child in name order, folders and files together.
    pub fn iter(&self) -> Merged<'_> {
        Merged {
            folders: self.folders.iter().peekable(),
            files: self.files.iter().peekable(),
        }
    }

    pub fn values(&self) -> impl Iterator<Item = &ItemId> {
        self.iter().map(|(_, id)| id)
    }

    /// The first child whose key comes after `key`, folders and files together.
    pub fn first_after(&self, key: &str) -> Option<(&String, &ItemId)> {
        let after = (Bound::Excluded(key), Bound::Unbounded);
        let folder = self.folders.range::<str, _>(after).next();
        let file = self.files.range::<str, _>(after).next();
        match (folder, file) {
            (Some(folder), Some(file)) => Some(if folder.0 < file.0 { folder } else { file }),
            (folder, file) => folder.or(file),
        }
    }

    /// The subfolders in name order.
    pub fn folders(&self) -> btree_map::Iter<'_, String, ItemId> {
        self.folders.iter()
    }

    /// The files in name order.
    pub fn files(&self) -> btree_map::Iter<'_, String, ItemId> {
        self.files.iter()
    }

    pub fn into_values(self) -> impl Iterator<Item = ItemId> {
        self.folders.into_values().chain(self.files.into_values())
    }
}

/// The two maps walked together in key order.
pub(crate) struct Merged<'a> {
    folders: Peekable<btree_map::Iter<'a, String, ItemId>>,
    files: Peekable<btree_map::Iter<'a, String, ItemId>>,
}

impl<'a> Iterator for Merged<'a> {
    type Item = (&'a String, &'a ItemId);

    fn next(&mut self) -> Option<Self::Item> {
        match (self.folders.peek(), self.files.peek()) {
            (Some(folder), Some(file)) if folder.0 < file.0 => self.folders.next(),
            (Some(_), Some(_)) | (None, _) => self.files.next(),
            (Some(_), None) => self.folders.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let (folders, files) = (self.folders.len(), self.files.len());
        (folders + files, Some(folders + files))
    }
}

impl ExactSizeIterator for Merged<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_both_maps_in_name_order_and_keeps_a_key_in_one() {
        let mut children = Children::default();
        for (key, id, folder) in [
            ("b", 1, true),
            ("a", 2, false),
            ("d", 3, true),
            ("c", 4, false),
        ] {
            children.insert(key.to_owned(), ItemId(id), folder);
        }
        let order: Vec<_> = children.iter().map(|(k, id)| (k.as_str(), id.0)).collect();
        assert_eq!(order, [("a", 2), ("b", 1), ("c", 4), ("d", 3)]);
        // Re-filing a key as the other kind moves it.
        children.insert("a".to_owned(), ItemId(5), true);
        assert_eq!(children.len(), 4);
        let folders: Vec<_> = children.folders().map(|(k, _)| k.as_str()).collect();
        assert_eq!(folders, ["a", "b", "d"]);
        assert_eq!(children.remove("a"), Some(ItemId(5)));
        assert_eq!(children.get("a"), None);
        assert_eq!(children.values().count(), 3);
    }
}
