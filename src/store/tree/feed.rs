//! The tree's side of the change log (`crate::store::change_log`): the engine notes each
//! committed change here, under the same lock as the change itself, so that the log's order is
//! the order the changes applied and a change and its entry are kept in one change set.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{NodeKind, Tree};
use crate::store::change_log::{
    ChangeKind, ChangeLog, NewChange, RecentChange, RecentPage, RecentQuery, SpaceKey,
};
use crate::store::domain::{ItemId, Space, SubtreePage};
use crate::store::StoreError;

/// An item as an entry names it, taken before a change that removes it.
#[derive(Debug, Clone)]
pub(crate) struct Noted {
    space: SpaceKey,
    item: ItemId,
    parent: Option<ItemId>,
    name: String,
    folder: bool,
}

impl Noted {
    pub(crate) fn parent(&self) -> Option<ItemId> {
        self.parent
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }
}

impl Tree {
    pub(crate) fn log(&self) -> &ChangeLog {
        &self.log
    }

    /// The item `id` as a change entry names it, if the tree has it.
    pub(crate) fn noted(&self, id: ItemId) -> Option<Noted> {
        let node = self.items.get(&id)?;
        Some(Noted {
            space: SpaceKey::of_owner(node.face, &node.owner),
            item: id,
            parent: node.parent,
            name: node.name.clone(),
            folder: matches!(node.kind, NodeKind::Folder(_)),
        })
    }

    /// Appends an entry for the item `id` as it is now.
    pub(crate) fn note(&mut self, space: &Space, id: ItemId, kind: ChangeKind, at: DateTime<Utc>) {
        if let Some(noted) = self.noted(id) {
            self.note_as(space, noted, kind, at);
        }
    }

    /// Appends an entry for an item as `noted` (taken before it was removed).
    pub(crate) fn note_as(
        &mut self,
        space: &Space,
        noted: Noted,
        kind: ChangeKind,
        at: DateTime<Utc>,
    ) {
        let change = NewChange {
            space: noted.space,
            item: noted.item,
            parent: noted.parent,
            name: noted.name,
            folder: noted.folder,
            kind,
            actor: Arc::from(space.actor.id.as_str()),
        };
        self.log.append(change, at, &mut self.changes);
    }

    /// Logs a copy just made: `top` as copied, and each item below it, parents first, as
    /// created, so a delta round or an event stream sees the whole new tree.
    pub(crate) fn note_copy(&mut self, space: &Space, top: ItemId, at: DateTime<Utc>) {
        for id in self.live_subtree(top) {
            let kind = match self.items.get(&id).map(|n| &n.kind) {
                Some(NodeKind::Folder(_)) => ChangeKind::FolderCreated,
                Some(NodeKind::File(_)) => ChangeKind::FileCreated,
                None => continue,
            };
            let kind = if id == top { ChangeKind::Copied } else { kind };
            self.note(space, id, kind, at);
        }
    }

    /// A page of `top` and everything below it, in pre-order (each folder before what it holds,
    /// children by name), items in the trash left out: what a first delta round enumerates
    /// (`VersionStore::subtree`). Each step finds the next item from the last one's position,
    /// so a page costs its items and their depth, never what comes before it in the walk; just
    /// the page is rendered.
    pub(crate) fn subtree_page(
        &self,
        space: &Space,
        top: ItemId,
        after: Option<&[String]>,
        limit: usize,
    ) -> Result<SubtreePage, StoreError> {
        self.node(space, top)?;
        let mut ids = Vec::new();
        let mut last = None;
        let mut next = match after {
            None => Some((Vec::new(), top)),
            Some(position) => self.next_in_walk(top, position),
        };
        while ids.len() < limit.max(1) {
            let Some((position, id)) = next else { break };
            ids.push(id);
            next = self.next_in_walk(top, &position);
            last = Some(position);
        }
        Ok(SubtreePage {
            entries: ids.into_iter().map(|id| self.view(id)).collect(),
            next: next.and(last),
        })
    }

    /// The item after `position` in the walk of `top` (each folder, then what it holds in name
    /// order), with its own position, whether or not an item is still at `position`.
    fn next_in_walk(&self, top: ItemId, position: &[String]) -> Option<(Vec<String>, ItemId)> {
        let folder = |id: ItemId| match self.items.get(&id).map(|n| &n.kind) {
            Some(NodeKind::Folder(children)) => Some(children),
            _ => None,
        };
        // The items on the way down to `position`, as far as they still exist.
        let mut on_the_way = vec![top];
        for key in position {
            let here = *on_the_way.last().expect("the top is there");
            match folder(here).and_then(|children| children.get(key)) {
                Some(id) => on_the_way.push(*id),
                None => break,
            }
        }
        let below = |depth: usize, key: &String, id: &ItemId| {
            let mut next = position[..depth].to_vec();
            next.push(key.clone());
            (next, *id)
        };
        // Into the item's folder, if it is still there and holds something.
        if on_the_way.len() == position.len() + 1 {
            let first = folder(on_the_way[position.len()]).and_then(|c| c.iter().next());
            if let Some((key, id)) = first {
                return Some(below(position.len(), key, id));
            }
        }
        // Else the next name in the nearest folder on the way that has one.
        (1..=position.len().min(on_the_way.len()))
            .rev()
            .find_map(|depth| {
                let after = folder(on_the_way[depth - 1])?.first_after(&position[depth - 1])?;
                Some(below(depth - 1, after.0, after.1))
            })
    }

    /// The space's files with the actor's latest change to each, newest first: a walk of the
    /// log from its newest end that stops at `query.since` or once `query.max_items` files are
    /// counted. A file in the trash, gone, or another space's is left out; only the page's
    /// files are rendered.
    pub(crate) fn recent_changes(&self, space: &Space, query: RecentQuery) -> RecentPage {
        let key = SpaceKey::of(space);
        let mut seen: HashSet<ItemId> = HashSet::new();
        let mut counted = 0;
        let mut page = RecentPage {
            entries: Vec::new(),
            more: false,
        };
        for entry in self.log.entries().rev() {
            if entry.at < query.since || counted == query.max_items {
                break;
            }
            if entry.folder || entry.space != key || *entry.actor != *space.actor.id {
                continue;
            }
            if !seen.insert(entry.item) {
                continue;
            }
            let live = (self.items.get(&entry.item))
                .is_some_and(|node| matches!(node.kind, NodeKind::File(_)))
                && !self.in_trash(entry.item);
            if !live {
                continue;
            }
            counted += 1;
            if query.before.is_some_and(|before| entry.position >= before) {
                continue;
            }
            if page.entries.len() == query.limit {
                page.more = true;
                break;
            }
            page.entries.push(RecentChange {
                item: self.view_for(Some(&space.actor.id), entry.item),
                kind: entry.kind,
                at: entry.at,
                position: entry.position,
            });
        }
        page
    }

    pub(crate) fn set_log_capacity(&mut self, capacity: usize) {
        self.log.set_capacity(capacity, &mut self.changes);
    }

    pub(crate) fn expire_log(&mut self) {
        self.log.expire(&mut self.changes);
    }

    /// Removes the entries of a user's own spaces (the user's reset).
    pub(crate) fn forget_owner_log(&mut self, owner: &str) {
        self.log.forget_owner(owner, &mut self.changes);
    }

    /// Puts in a log read back from disk, or carried over a full reset.
    pub(crate) fn set_log(&mut self, log: ChangeLog) {
        self.log = log;
    }
}

#[cfg(test)]
mod tests {
    use super::super::arrange::Arranged;
    use super::*;

    #[test]
    fn a_walk_resumes_after_a_position_whether_or_not_its_item_is_still_there() {
        // root/{a/{x, y}, b/{z}, c}
        let mut at = Arranged::new();
        let a = at.folder(at.root, "a");
        let x = at.file(a, &["x"], b"x");
        let y = at.file(a, &["y"], b"y");
        let b = at.folder(at.root, "b");
        let z = at.file(b, &["z"], b"z");
        let c = at.file(at.root, &["c"], b"c");
        let Arranged {
            mut tree,
            space,
            root,
            ..
        } = at;
        let page = |tree: &Tree, after: &[&str], limit| {
            let after: Vec<String> = after.iter().map(|k| k.to_string()).collect();
            let page = tree
                .subtree_page(&space, root, Some(&after), limit)
                .unwrap();
            (
                page.entries.iter().map(|v| v.id).collect::<Vec<_>>(),
                page.next,
            )
        };
        let keys = |keys: &[&str]| Some(keys.iter().map(|k| k.to_string()).collect::<Vec<_>>());

        // Page by page, one item each: every folder before what it holds, names in order.
        let mut walked = Vec::new();
        let mut next = None;
        loop {
            let got = tree.subtree_page(&space, root, next.as_deref(), 1).unwrap();
            walked.extend(got.entries.iter().map(|v| v.id));
            match got.next {
                Some(position) => next = Some(position),
                None => break,
            }
        }
        assert_eq!(walked, [root, a, x, y, b, z, c]);
        assert_eq!(page(&tree, &["a"], 2), (vec![x, y], keys(&["a", "y"])));
        assert_eq!(page(&tree, &["a", "y"], 9), (vec![b, z, c], None));

        // A position no item holds any more, or never held, goes on from where it would be.
        assert_eq!(page(&tree, &["a", "xx"], 1), (vec![y], keys(&["a", "y"])));
        assert_eq!(
            page(&tree, &["a", "zz", "deeper"], 1),
            (vec![b], keys(&["b"]))
        );
        tree.delete_item(&space, a, None).unwrap();
        assert_eq!(page(&tree, &["a", "x"], 1), (vec![b], keys(&["b"])));
        assert_eq!(page(&tree, &["c"], 1), (vec![], None));
    }
}
