//! Box's Favorites collection on the tree: each user's own, kept as who favorited an item in
//! its notes (`crate::store::locks::ItemNotes`), and listed as the items the user still reaches.

use std::sync::Arc;

use super::{NodeKind, Tree};
use crate::store::domain::{Face, ItemId, ItemView, Listing, Window};
use crate::store::rules::name_key;
use crate::store::User;

impl Tree {
    /// The items in `actor`'s Favorites that `actor` still reaches (their own Box items, and
    /// those a live collaboration opens to them), none in the trash: folders first, then by
    /// name and id (Box does not document the order). An item the actor no longer reaches stays
    /// in the collection, and shows again if access comes back, as a folder's does in Box.
    pub(crate) fn favorites(&self, actor: &Arc<User>, window: Window) -> Listing<ItemView> {
        let now = self.now();
        let mut held: Vec<(bool, String, ItemId)> = (self.sharing.all_notes())
            .filter(|(_, notes)| notes.favorited_by.binary_search(&actor.id).is_ok())
            .filter_map(|(id, _)| {
                let node = self.items.get(id)?;
                let reaches = node.face == Face::Box
                    && !self.in_trash(*id)
                    && (node.owner.id() == actor.id
                        || self.collab_role(&actor.id, *id, now).is_some());
                let is_file = matches!(node.kind, NodeKind::File(_));
                reaches.then(|| (is_file, name_key(&node.name), *id))
            })
            .collect();
        held.sort();
        Listing {
            total: held.len(),
            entries: (window.page(held.iter()))
                .map(|(.., id)| self.view_for(Some(&actor.id), *id))
                .collect(),
        }
    }

    /// Empties a user's Favorites (a reset of that user).
    pub(super) fn forget_favorites_of(&mut self, user: &str) {
        let held: Vec<ItemId> = (self.sharing.all_notes())
            .filter(|(_, notes)| notes.favorited_by.iter().any(|by| by == user))
            .map(|(id, _)| *id)
            .collect();
        for id in held {
            let mut notes = self.sharing.notes(id).cloned().unwrap_or_default();
            notes.favorited_by.retain(|by| by != user);
            self.sharing_mut().set_notes(id, notes);
        }
    }
}
