//! How long a path each face lets an item have, checked wherever an item is placed in a folder:
//! made, written by path, moved, renamed, copied, restored from the trash, and by both faces'
//! upload sessions before any byte is sent (`VersionStore::check_room`). The rules themselves
//! are `rules::check_path`, which fixture imports apply too.
//!
//! Without a bound, a few requests could build a tree deep enough that one reply took gigabytes:
//! every reply names the folders above an item (Graph's `parentReference.path` and `webUrl`,
//! Box's `path_collection`), and a Graph delta round shows each folder above a change, so a round
//! after one change 15,000 levels down answered 460 MB after 12 s.

use super::{NodeKind, Tree};
use crate::store::rules::{check_path, PathSpan};
use crate::store::{ItemId, Space, StoreError};

impl PathSpan {
    /// One item named `name`, with nothing below it.
    pub(super) fn named(name: &str) -> Self {
        Self::of([name])
    }

    /// This folder with `below` inside it.
    fn above(self, below: Self) -> Self {
        Self {
            levels: self.levels + below.levels,
            chars: self.chars + 1 + below.chars,
        }
    }

    /// The deeper and the longer of the two.
    fn max(self, other: Self) -> Self {
        Self {
            levels: self.levels.max(other.levels),
            chars: self.chars.max(other.chars),
        }
    }
}

impl Tree {
    /// What `id` spans as `name` with everything below it: the levels down to its deepest item
    /// and its longest path. A walk of the subtree with a work list, as deep trees need.
    pub(super) fn span(&self, id: ItemId, name: &str) -> PathSpan {
        let top = PathSpan::named(name);
        let mut widest = top;
        let mut stack = vec![(id, top)];
        while let Some((id, span)) = stack.pop() {
            widest = widest.max(span);
            if let Some(NodeKind::Folder(children)) = self.items.get(&id).map(|node| &node.kind) {
                for child in children.values() {
                    let below = span.above(PathSpan::named(&self.items[child].name));
                    stack.push((*child, below));
                }
            }
        }
        widest
    }

    /// Refuses to put something that spans `span` in `folder`, when the path that makes is
    /// longer than `space`'s face allows.
    pub(in crate::store) fn check_room(
        &self,
        space: &Space,
        folder: ItemId,
        span: PathSpan,
    ) -> Result<(), StoreError> {
        let mut whole = span;
        let mut cursor = self.items.get(&folder);
        // The root's name is no part of a path.
        while let Some(node) = cursor.filter(|node| node.parent.is_some()) {
            whole = PathSpan::named(&node.name).above(whole);
            cursor = node.parent.and_then(|parent| self.items.get(&parent));
        }
        check_path(space.face, whole)
    }
}
