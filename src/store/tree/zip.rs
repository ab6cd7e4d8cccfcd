//! Gathers what a Box zip download holds (`crate::store::zip`): each item named, in its space
//! and not in the trash, and for a folder its whole tree. The walk stops as soon
//! as the files pass the limit, so a huge tree costs no more than the limit.

use super::{NodeKind, Tree};
use crate::store::domain::{ItemId, ItemKind, Space};
use crate::store::zip::{Gathered, ZipFile, ZipItem};
use crate::store::StoreError;

impl Tree {
    pub fn gather_zip(
        &self,
        wanted: &[(Space, ItemKind, ItemId)],
        max_files: usize,
    ) -> Result<Gathered, StoreError> {
        let mut items = Vec::with_capacity(wanted.len());
        let mut files = 0usize;
        for (space, kind, id) in wanted {
            let (kind, id) = (*kind, *id);
            let node = self.node(space, id)?;
            let mut item = ZipItem {
                id,
                kind,
                name: node.name.clone(),
                modified: node.modified_at,
                files: Vec::new(),
                folders: Vec::new(),
            };
            match (kind, &node.kind) {
                (ItemKind::File, NodeKind::File(file)) => item.files.push(ZipFile {
                    path: String::new(),
                    content: file.current().content.clone(),
                    modified: file.content_modified_at,
                }),
                (ItemKind::Folder, NodeKind::Folder(_)) => {
                    if !self.walk_zip(id, &mut item, &mut files, max_files) {
                        return Ok(Gathered::TooManyFiles);
                    }
                }
                (ItemKind::File, NodeKind::Folder(_)) => return Err(StoreError::NotAFile),
                (ItemKind::Folder, NodeKind::File(_)) => return Err(StoreError::NotAFolder),
            }
            files += usize::from(kind == ItemKind::File);
            if files > max_files {
                return Ok(Gathered::TooManyFiles);
            }
            items.push(item);
        }
        Ok(Gathered::Items(items))
    }

    /// Adds the tree below `folder` to `item`, depth first, names in the folder's order;
    /// `false` once the files counted pass `max_files`.
    fn walk_zip(
        &self,
        folder: ItemId,
        item: &mut ZipItem,
        files: &mut usize,
        max_files: usize,
    ) -> bool {
        let mut stack = vec![(folder, String::new())];
        while let Some((at, prefix)) = stack.pop() {
            let Some(NodeKind::Folder(children)) = self.items.get(&at).map(|n| &n.kind) else {
                continue;
            };
            // Reversed onto the stack, so that subfolders come out in name order.
            let mut below = Vec::new();
            for child in children.values() {
                let Some(node) = self.items.get(child) else {
                    continue;
                };
                let path = format!("{prefix}{}", node.name);
                match &node.kind {
                    NodeKind::File(file) => {
                        *files += 1;
                        if *files > max_files {
                            return false;
                        }
                        item.files.push(ZipFile {
                            path,
                            content: file.current().content.clone(),
                            modified: file.content_modified_at,
                        });
                    }
                    NodeKind::Folder(_) => {
                        item.folders.push((path.clone(), node.modified_at));
                        below.push((*child, format!("{path}/")));
                    }
                }
            }
            stack.extend(below.into_iter().rev());
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tree::arrange::Arranged;

    #[test]
    fn a_folder_tree_is_gathered_in_name_order_and_the_walk_stops_past_the_limit() {
        let mut at = Arranged::new();
        for path in [&["F", "b.txt"][..], &["F", "a.txt"], &["F", "S", "c.txt"]] {
            at.file(at.root, path, b"x");
        }
        let Arranged {
            tree, space, root, ..
        } = at;
        let folder = tree.child(&space, root, "F").unwrap().unwrap();
        let wanted = [(space, ItemKind::Folder, folder)];

        let Ok(Gathered::Items(items)) = tree.gather_zip(&wanted, 3) else {
            panic!("three files fit a limit of three");
        };
        let files: Vec<_> = items[0].files.iter().map(|f| f.path.as_str()).collect();
        let folders: Vec<_> = items[0].folders.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            (files, folders),
            (vec!["a.txt", "b.txt", "S/c.txt"], vec!["S"])
        );
        assert!(matches!(
            tree.gather_zip(&wanted, 2),
            Ok(Gathered::TooManyFiles)
        ));
    }
}
