//! Reading the tree: items as both faces render them, children, histories and single versions.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{NodeKind, Tree};
use crate::store::domain::{
    Ancestor, ChildKey, ChildOrder, Face, FileView, ItemId, ItemKindView, ItemView, Listing, Space,
    SpaceOwner, Version, VersionQuery, VersionRef, VersionView, Window,
};
use crate::store::rules::name_key;
use crate::store::StoreError;
use crate::store::User;

/// Copies of the users a page of views names, made once per page. Each view holds its own
/// `Arc`s, and cloning the store's ones would write reference counts that every page on every
/// worker shares (the same few users own and made most items), where a page's own copies are
/// written by its thread alone. A handful is enough; past it, views clone the store's `Arc`s.
#[derive(Default)]
struct PageUsers(Vec<(*const User, Arc<User>)>);

impl PageUsers {
    const MOST: usize = 8;

    /// The page's copy of `user`. Keyed by address: the store holds every user the page names
    /// for as long as the page is being built, so no two of them share one.
    fn share(&mut self, user: &Arc<User>) -> Arc<User> {
        let key = Arc::as_ptr(user);
        if let Some((_, copy)) = self.0.iter().find(|(known, _)| *known == key) {
            return Arc::clone(copy);
        }
        if self.0.len() == Self::MOST {
            return Arc::clone(user);
        }
        let copy = Arc::new(User::clone(user));
        self.0.push((key, Arc::clone(&copy)));
        copy
    }
}

/// The value a listing sorts on before the name.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SortValue {
    None,
    Number(u64),
    Date(DateTime<Utc>),
}

impl Tree {
    pub fn item(&self, space: &Space, id: ItemId) -> Result<ItemView, StoreError> {
        self.node(space, id)?;
        Ok(self.view_for(Some(&space.actor.id), id))
    }

    /// The item at `segments` below `base`, matching names case-insensitively.
    pub fn resolve(
        &self,
        space: &Space,
        base: ItemId,
        segments: &[String],
    ) -> Result<ItemView, StoreError> {
        let mut id = base;
        self.node(space, id)?;
        for segment in segments {
            id = match self.child(space, id, segment) {
                Ok(Some(child)) => child,
                Ok(None) | Err(StoreError::NotAFolder) => return Err(StoreError::ItemNotFound),
                Err(e) => return Err(e),
            };
        }
        Ok(self.view_for(Some(&space.actor.id), id))
    }

    /// A folder's children, sorted by name.
    pub fn children(
        &self,
        space: &Space,
        folder: ItemId,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError> {
        let children = self.children_of(space, folder)?;
        Ok(Listing {
            total: children.len(),
            entries: self.views_in(space, folder, window.page(children.values().copied())),
        })
    }

    /// A folder's children in `order`, folders first. In Box's default order (by name) a page is
    /// a walk over the folder's two name-ordered indexes, its subfolders then its files; other
    /// orders sort keys only. Either way item views are built for the page alone.
    pub fn ordered_children(
        &self,
        space: &Space,
        folder: ItemId,
        order: ChildOrder,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError> {
        let children = self.children_of(space, folder)?;
        // A Box user's "All Files" also shows what others collaborate them into
        // (https://developer.box.com/reference/post-collaborations/, `is_access_only`).
        let collaborated: Vec<(String, ItemId)> = match space.face == Face::Box
            && space.owner.id() == space.actor.id
            && self.is_root(folder)
        {
            true => (self
                .collaborated_tops(&space.actor.id, self.now())
                .into_iter())
            .map(|id| (name_key(&self.items[&id].name), id))
            .collect(),
            false => Vec::new(),
        };
        let page = |total: usize, ids: &mut dyn Iterator<Item = ItemId>| Listing {
            total,
            entries: self.views_in(space, folder, window.page(ids)),
        };
        let total = children.len() + collaborated.len();
        if order.key == ChildKey::Name && collaborated.is_empty() {
            let (folders, files) = (children.folders(), children.files());
            return Ok(match order.descending {
                false => page(total, &mut folders.chain(files).map(|(_, id)| *id)),
                true => page(
                    total,
                    &mut folders.rev().chain(files.rev()).map(|(_, id)| *id),
                ),
            });
        }
        let kinds =
            (children.folders().map(|child| (false, child)))
                .chain(children.files().map(|child| (true, child)))
                .chain((collaborated.iter()).map(|(name, id)| {
                    (matches!(self.items[id].kind, NodeKind::File(_)), (name, id))
                }));
        let mut keyed: Vec<(bool, SortValue, &str, ItemId)> = kinds
            .map(|(is_file, (name, id))| {
                let value = match order.key {
                    ChildKey::Name => SortValue::None,
                    ChildKey::Id => SortValue::Number(id.0),
                    ChildKey::Date => SortValue::Date(self.items[id].modified_at),
                    ChildKey::Size => SortValue::Number(self.bytes_of(*id)),
                };
                (is_file, value, name.as_str(), *id)
            })
            .collect();
        keyed.sort_by(|a, b| {
            let second = (&a.1, a.2).cmp(&(&b.1, b.2));
            let second = if order.descending {
                second.reverse()
            } else {
                second
            };
            a.0.cmp(&b.0).then(second)
        });
        Ok(page(total, &mut keyed.iter().map(|(.., id)| *id)))
    }

    /// The views of `ids`, children of `folder` (or collaborated into the root listing), as the
    /// caller sees them. The folder's path is worked out once and shared by its children's views,
    /// and so are the users they name (`PageUsers`).
    fn views_in(
        &self,
        space: &Space,
        folder: ItemId,
        ids: impl Iterator<Item = ItemId>,
    ) -> Vec<ItemView> {
        let mut path = None;
        let mut users = PageUsers::default();
        ids.map(|id| {
            let parent = self.items[&id].parent;
            let ancestors = match parent == Some(folder) {
                true => Arc::clone(path.get_or_insert_with(|| self.ancestors(Some(folder)))),
                false => self.ancestors(parent),
            };
            let mut view = self.view_with(id, ancestors, Some(&mut users));
            self.show_to(Some(&space.actor.id), &mut view);
            view
        })
        .collect()
    }

    /// A page of a file's history, newest first.
    pub fn versions(
        &self,
        space: &Space,
        file: ItemId,
        query: VersionQuery,
    ) -> Result<Listing<Arc<Version>>, StoreError> {
        let visible = self.visible_versions(Some(&space.actor.id), file);
        let file = self.file(space, file)?;
        // Newest first, and only the requested page: the cost does not grow with the history.
        let listed = if query.include_current {
            &file.versions[..visible]
        } else {
            &file.versions[..visible - 1]
        };
        Ok(Listing {
            total: listed.len(),
            entries: query.window.page(listed.iter().rev()).cloned().collect(),
        })
    }

    pub fn version(
        &self,
        space: &Space,
        file_id: ItemId,
        at: VersionRef,
    ) -> Result<VersionView, StoreError> {
        let visible = self.visible_versions(Some(&space.actor.id), file_id);
        let file = self.file(space, file_id)?;
        let index = match at {
            VersionRef::Current => visible - 1,
            at => self.version_index(file_id, file, at)?,
        };
        if index >= visible {
            return Err(StoreError::VersionNotFound);
        }
        Ok(VersionView {
            version: file.versions[index].clone(),
            is_current: index + 1 == visible,
        })
    }

    /// The item as both faces render it. The caller has checked that it exists.
    pub(super) fn view(&self, id: ItemId) -> ItemView {
        self.view_with(id, self.ancestors(self.items[&id].parent), None)
    }

    /// `view`, given the folders from the root down to the item's parent, taking the users it
    /// names from `page` when it is one of a page's views.
    fn view_with(
        &self,
        id: ItemId,
        ancestors: Arc<[Ancestor]>,
        mut page: Option<&mut PageUsers>,
    ) -> ItemView {
        let mut user = |user: &Arc<User>| match page.as_deref_mut() {
            Some(page) => page.share(user),
            None => Arc::clone(user),
        };
        let node = &self.items[&id];
        let kind = match &node.kind {
            NodeKind::Folder(children) => {
                // The suite's builds check every size they show against a count.
                #[cfg(any(test, all(debug_assertions, feature = "internals")))]
                assert_eq!(
                    children.bytes(),
                    self.recounted(id),
                    "folder {id}'s kept size"
                );
                ItemKindView::Folder {
                    child_count: children.len(),
                    size: children.bytes(),
                }
            }
            NodeKind::File(file) => ItemKindView::File(FileView {
                current: file.current().clone(),
                version_count: file.versions.len(),
                mime_type: file.mime_type.clone(),
                content_created_at: file.content_created_at,
                content_modified_at: file.content_modified_at,
                checked_out_by: (self.sharing.checkout(id)).map(|c| Arc::new(c.by.clone())),
            }),
        };
        ItemView {
            id,
            name: node.name.clone(),
            parent: node.parent,
            ancestors,
            owner: match &node.owner {
                SpaceOwner::User(owner) => SpaceOwner::User(user(owner)),
                drive => drive.clone(),
            },
            created_at: node.created_at,
            created_by: user(&node.created_by),
            modified_at: node.modified_at,
            modified_by: user(&node.modified_by),
            revision: node.revision,
            content_revision: node.content_revision,
            trashed: node.trashed.clone(),
            kind,
            shared_link: self.live_shared_link(id).map(|link| Box::new(link.clone())),
            notes: self.sharing.notes(id).cloned().unwrap_or_default(),
            lock: self.sharing.lock(id).cloned(),
            comment_count: match node.face {
                crate::store::Face::Box => self.comment_count(id),
                crate::store::Face::Graph => 0,
            },
            has_collaborations: self.has_collaborations(id),
        }
    }

    /// The folders from the root down to `parent`, the folder an item is in.
    pub(super) fn ancestors(&self, parent: Option<ItemId>) -> Arc<[Ancestor]> {
        let mut ancestors = Vec::new();
        let mut cursor = parent;
        while let Some(parent_id) = cursor {
            let parent = &self.items[&parent_id];
            ancestors.push(Ancestor {
                id: parent_id,
                name: parent.name.clone(),
                revision: parent.revision,
            });
            cursor = parent.parent;
        }
        ancestors.reverse();
        ancestors.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(n: usize) -> Arc<User> {
        Arc::new(User {
            id: n.to_string(),
            name: format!("User {n}"),
            login: format!("user{n}@example.com"),
        })
    }

    #[test]
    fn a_page_copies_each_user_once_and_only_a_handful_of_them() {
        let users: Vec<_> = (0..PageUsers::MOST + 2).map(user).collect();
        let mut page = PageUsers::default();
        let first = page.share(&users[0]);
        assert_eq!(first, users[0], "a copy says what the store's user says");
        assert!(!Arc::ptr_eq(&first, &users[0]), "but is the page's own");
        assert!(
            Arc::ptr_eq(&page.share(&users[0]), &first),
            "made once per page"
        );
        // A user equal to the first but held apart in the store is another user to the page.
        let twin = Arc::new(User::clone(&users[0]));
        assert!(!Arc::ptr_eq(&page.share(&twin), &first));
        for other in &users[1..PageUsers::MOST - 1] {
            page.share(other);
        }
        let past = &users[PageUsers::MOST - 1];
        assert!(
            Arc::ptr_eq(&page.share(past), past),
            "past the handful, the store's Arc"
        );
        assert_eq!(page.0.len(), PageUsers::MOST);
    }
}
