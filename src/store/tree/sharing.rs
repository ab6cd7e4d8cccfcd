//! Sharing and check-out on the tree: permissions set on items (links, invitations), what an
//! invited user may reach, and files checked out for editing. The state itself is
//! `store::sharing`; here it meets the items.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{next_label, NodeKind, Tree};
use crate::store::domain::{ItemId, ItemKindView, ItemView, Space, SpaceOwner, Version};
use crate::store::sharing::{
    CheckIn, Checkout, Grantee, NewInvitation, NewLink, Permission, PermissionView, Role,
    SharedItem, Sharing, SharingError,
};
use crate::store::StoreError;

impl Tree {
    pub(crate) fn sharing(&self) -> &Sharing {
        &self.sharing
    }

    /// Puts back the sharing state a durable store kept.
    pub(crate) fn restore_sharing(&mut self, sharing: Sharing) {
        self.sharing = sharing;
    }

    pub(super) fn sharing_mut(&mut self) -> &mut Sharing {
        self.changed(|c| c.sharing = true);
        &mut self.sharing
    }

    /// Drops the permissions and check-outs of items that are gone (a user's reset): their links
    /// and invitations would open nothing, and a kept data dir need not hold them.
    pub(super) fn forget_sharing_of_removed_items(&mut self) {
        let items = &self.items;
        let mut kept = self.sharing.clone();
        kept.retain_items(|id| items.contains_key(&id));
        if kept != self.sharing {
            *self.sharing_mut() = kept;
        }
    }

    /// The item and the folders above it, the item first.
    pub(super) fn lineage(&self, id: ItemId) -> Vec<ItemId> {
        let mut lineage = vec![id];
        let mut cursor = self.items.get(&id).and_then(|n| n.parent);
        while let Some(at) = cursor {
            lineage.push(at);
            cursor = self.items.get(&at).and_then(|n| n.parent);
        }
        lineage
    }

    /// Whether the caller is the space's owner (or a member of a shared drive) rather than a
    /// user reaching another user's drive through an invitation.
    fn is_guest(space: &Space) -> bool {
        matches!(&space.owner, SpaceOwner::User(owner) if owner.id != space.actor.id)
    }

    /// The permissions that apply to an item: its own, then those of the folders above it
    /// (inherited). A guest sees only their own invitations.
    pub fn permissions(
        &self,
        space: &Space,
        id: ItemId,
    ) -> Result<Vec<PermissionView>, StoreError> {
        self.node(space, id)?;
        let guest = Self::is_guest(space);
        let mut views = Vec::new();
        for at in self.lineage(id) {
            for permission in self.sharing.on(at) {
                let mine = matches!(&permission.grantee,
                    Grantee::Invitation { user, .. } if user.id == space.actor.id);
                if guest && !mine {
                    continue;
                }
                views.push(PermissionView {
                    permission: permission.clone(),
                    inherited_from: (at != id).then_some(at),
                });
            }
        }
        Ok(views)
    }

    pub fn permission(
        &self,
        space: &Space,
        id: ItemId,
        permission: &str,
    ) -> Result<PermissionView, StoreError> {
        (self.permissions(space, id)?.into_iter())
            .find(|p| p.permission.id == permission)
            .ok_or(SharingError::PermissionNotFound.into())
    }

    /// A permission set on the item itself, for a change: an inherited one is refused.
    fn own_permission(
        &self,
        space: &Space,
        id: ItemId,
        permission: &str,
    ) -> Result<(), StoreError> {
        match self.permission(space, id, permission)? {
            PermissionView {
                inherited_from: Some(_),
                ..
            } => Err(SharingError::Inherited.into()),
            _ => Ok(()),
        }
    }

    /// Makes a sharing link, or finds the live one of the same type and scope: `true` when it
    /// is new.
    pub fn create_link(
        &mut self,
        space: &Space,
        id: ItemId,
        link: NewLink,
    ) -> Result<(PermissionView, bool), StoreError> {
        self.node(space, id)?;
        let existing = self.sharing.on(id).find(|p| {
            matches!(p.grantee, Grantee::Link { kind, scope } if kind == link.kind && scope == link.scope)
        });
        if let Some(existing) = existing {
            let view = PermissionView {
                permission: existing.clone(),
                inherited_from: None,
            };
            return Ok((view, false));
        }
        let sharing = self.sharing_mut();
        let permission = Permission {
            id: sharing.new_id(),
            item: id,
            role: link.kind.role(),
            grantee: Grantee::Link {
                kind: link.kind,
                scope: link.scope,
            },
            expires: link.expires,
            created_by: space.actor.id.clone(),
            collab: None,
        };
        sharing.insert(permission.clone());
        let view = PermissionView {
            permission,
            inherited_from: None,
        };
        Ok((view, true))
    }

    /// Invites users: one permission each; a user invited before keeps their permission, with
    /// the new role and expiry.
    pub fn invite(
        &mut self,
        space: &Space,
        id: ItemId,
        invitation: NewInvitation,
    ) -> Result<Vec<PermissionView>, StoreError> {
        self.node(space, id)?;
        let mut views = Vec::with_capacity(invitation.users.len());
        for (user, email) in invitation.users {
            let existing = (self.sharing.on(id)).find(
                |p| matches!(&p.grantee, Grantee::Invitation { user: u, .. } if u.id == user.id),
            );
            let permission_id = existing.map(|p| p.id.clone());
            let sharing = self.sharing_mut();
            let permission = match permission_id.and_then(|p| sharing.permission_mut(&p)) {
                Some(existing) => {
                    existing.role = invitation.role;
                    existing.expires = invitation.expires;
                    existing.clone()
                }
                None => {
                    let permission = Permission {
                        id: sharing.new_id(),
                        item: id,
                        role: invitation.role,
                        grantee: Grantee::Invitation {
                            user: (*user).clone(),
                            email,
                            sign_in_required: invitation.sign_in_required,
                        },
                        expires: invitation.expires,
                        created_by: space.actor.id.clone(),
                        collab: None,
                    };
                    sharing.insert(permission.clone());
                    permission
                }
            };
            views.push(PermissionView {
                permission,
                inherited_from: None,
            });
        }
        Ok(views)
    }

    /// Changes the role of a permission set on the item itself.
    pub fn update_permission(
        &mut self,
        space: &Space,
        id: ItemId,
        permission: &str,
        role: Role,
    ) -> Result<PermissionView, StoreError> {
        self.own_permission(space, id, permission)?;
        let sharing = self.sharing_mut();
        let changed = sharing
            .permission_mut(permission)
            .ok_or(SharingError::PermissionNotFound)?;
        changed.role = role;
        Ok(PermissionView {
            permission: changed.clone(),
            inherited_from: None,
        })
    }

    /// Removes a permission set on the item itself: its link stops working at once.
    pub fn delete_permission(
        &mut self,
        space: &Space,
        id: ItemId,
        permission: &str,
    ) -> Result<(), StoreError> {
        self.own_permission(space, id, permission)?;
        self.sharing_mut().remove(permission);
        Ok(())
    }

    /// The role an invited user has on an item in another user's drive: the highest live
    /// invitation on it or a folder above it.
    pub fn guest_role(&self, space: &Space, id: ItemId, now: DateTime<Utc>) -> Option<Role> {
        self.node(space, id).ok()?;
        let lineage = self.lineage(id);
        (self.sharing.all())
            .filter(|p| p.live(now) && lineage.contains(&p.item))
            .filter(|p| matches!(&p.grantee, Grantee::Invitation { user, .. } if user.id == space.actor.id))
            .map(|p| p.role)
            .max()
    }

    /// Whether `guest` holds a live invitation to something in `owner`'s own drive (a Box
    /// collaboration opens no Graph drive).
    pub fn invited_into(&self, owner: &str, guest: &str, now: DateTime<Utc>) -> bool {
        (self.sharing.all()).any(|p| {
            p.live(now)
                && p.collab.is_none()
                && matches!(&p.grantee, Grantee::Invitation { user, .. } if user.id == guest)
                && (self.items.get(&p.item))
                    .is_some_and(|node| matches!(&node.owner, SpaceOwner::User(u) if u.id == owner))
                && !self.in_trash(p.item)
        })
    }

    /// The items others invited `user` to, live invitations only, each once with its best role.
    pub fn shared_with(&self, user: &str, now: DateTime<Utc>) -> Vec<SharedItem> {
        let mut shared: Vec<SharedItem> = Vec::new();
        for permission in (self.sharing.all()).filter(|p| p.live(now) && p.collab.is_none()) {
            let Grantee::Invitation { user: invitee, .. } = &permission.grantee else {
                continue;
            };
            if invitee.id != user
                || !self.items.contains_key(&permission.item)
                || self.in_trash(permission.item)
            {
                continue;
            }
            match shared.iter_mut().find(|s| s.item.id == permission.item) {
                Some(entry) => entry.role = entry.role.max(permission.role),
                None => shared.push(SharedItem {
                    item: self.view_for(Some(user), permission.item),
                    role: permission.role,
                }),
            }
        }
        shared
    }

    /// The item a live sharing link opens, by the link's permission id.
    pub fn linked_item(
        &self,
        permission: &str,
        now: DateTime<Utc>,
    ) -> Result<ItemView, StoreError> {
        let permission = (self.sharing.permission(permission))
            .filter(|p| p.live(now) && matches!(p.grantee, Grantee::Link { .. }))
            .ok_or(StoreError::ItemNotFound)?;
        if !self.items.contains_key(&permission.item) || self.in_trash(permission.item) {
            return Err(StoreError::ItemNotFound);
        }
        Ok(self.view_for(None, permission.item))
    }

    /// How many of a file's versions `viewer` sees (`None`: whoever holds a sharing link): all of
    /// them, unless someone else has the file checked out, who then alone sees what they wrote
    /// since (<https://learn.microsoft.com/en-us/graph/api/driveitem-discardcheckout>: the
    /// changes are the holder's until check-in; a link shows the current version unless the item
    /// is checked out). 0 for a folder or an unknown item.
    pub(super) fn visible_versions(&self, viewer: Option<&str>, id: ItemId) -> usize {
        let Some(NodeKind::File(file)) = self.items.get(&id).map(|n| &n.kind) else {
            return 0;
        };
        let total = file.versions.len();
        match self.sharing.checkout(id) {
            Some(checkout) if viewer != Some(checkout.by.id.as_str()) => {
                checkout.versions_then.clamp(1, total)
            }
            _ => total,
        }
    }

    /// The item as `viewer` sees it: a file another user has checked out shows its last version
    /// from before the check-out.
    pub(super) fn view_for(&self, viewer: Option<&str>, id: ItemId) -> ItemView {
        let mut view = self.view(id);
        self.show_to(viewer, &mut view);
        view
    }

    /// Turns an item's view into what `viewer` sees of it (see `view_for`).
    pub(super) fn show_to(&self, viewer: Option<&str>, view: &mut ItemView) {
        let visible = self.visible_versions(viewer, view.id);
        if let (ItemKindView::File(file), Some(NodeKind::File(node))) =
            (&mut view.kind, self.items.get(&view.id).map(|n| &n.kind))
        {
            if visible < node.versions.len() {
                file.current = node.versions[visible - 1].clone();
                file.version_count = visible;
            }
        }
    }

    /// Keeps a check-out's count of versions from before it right when its holder deletes one of
    /// those: the drafts are still the versions after them.
    pub(super) fn version_removed_under_checkout(&mut self, id: ItemId, index: usize) {
        let Some(checkout) = self.sharing.checkout(id) else {
            return;
        };
        if index < checkout.versions_then {
            let mut checkout = checkout.clone();
            checkout.versions_then -= 1;
            self.sharing_mut().set_checkout(id, Some(checkout));
        }
    }

    /// Refuses a change to a file another user has checked out (Graph) or locked (Box; a lapsed
    /// lock is gone before any operation runs, `Tree::expire_locks`).
    pub(super) fn check_lock(&self, space: &Space, id: ItemId) -> Result<(), StoreError> {
        let holder = (self.sharing.checkout(id).map(|c| &c.by))
            .or_else(|| self.sharing.lock(id).map(|l| &l.by));
        match holder {
            Some(holder) if holder.id != space.actor.id => Err(SharingError::Locked.into()),
            _ => Ok(()),
        }
    }

    /// Checks a file out to the caller; checking out again what they hold changes nothing.
    pub fn checkout(
        &mut self,
        space: &Space,
        id: ItemId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let versions = match self.file(space, id) {
            Ok(file) => file.versions.len(),
            Err(StoreError::NotAFile) => return Err(SharingError::NotAFile.into()),
            Err(e) => return Err(e),
        };
        self.check_lock(space, id)?;
        if self.sharing.checkout(id).is_some() {
            return Ok(());
        }
        let checkout = Checkout {
            by: (*space.actor).clone(),
            at: now,
            versions_then: versions,
        };
        self.sharing_mut().set_checkout(id, Some(checkout));
        self.bump(id);
        Ok(())
    }

    /// The caller's check-out of a file, for checking in or discarding.
    fn own_checkout(&self, space: &Space, id: ItemId) -> Result<Checkout, StoreError> {
        self.file(space, id)?;
        let checkout = (self.sharing.checkout(id).cloned()).ok_or(SharingError::NotCheckedOut)?;
        self.check_lock(space, id)?;
        Ok(checkout)
    }

    /// Checks a file in: the versions written while it was out become one, numbered next after
    /// the last version from before (as a library's check-in publishes the draft as one
    /// version), which carries the comment. In a library with minor versions that number is the
    /// next minor one unless the check-in publishes; publishing a minor version with no drafts
    /// makes the next major one from its bytes.
    pub fn checkin(
        &mut self,
        space: &Space,
        id: ItemId,
        check_in: CheckIn,
        now: DateTime<Utc>,
    ) -> Result<Version, StoreError> {
        let checkout = self.own_checkout(space, id)?;
        let node = &self.items[&id];
        let minor_versions = self.minor_versions(&node.owner);
        let NodeKind::File(file) = &node.kind else {
            unreachable!("checked a file")
        };
        let count = file.versions.len();
        let drafts = count.saturating_sub(checkout.versions_then);
        let before = &file.versions[checkout.versions_then.clamp(1, count) - 1];
        let label = next_label(before, minor_versions && !check_in.published);
        let publish_minor =
            drafts == 0 && minor_versions && check_in.published && file.current().minor > 0;
        if publish_minor {
            let content = file.current().content.clone();
            self.push_version(id, content, &space.actor, now, None);
        } else if drafts > 1 {
            // Keeps the newest draft only.
            self.drop_versions(id, checkout.versions_then..count - 1);
        }
        let NodeKind::File(file) = &mut self.items.get_mut(&id).expect("checked").kind else {
            unreachable!("checked a file")
        };
        let current = (file.versions.last_mut()).expect("a file always has a version");
        let current = Arc::make_mut(current);
        if (drafts > 0 || publish_minor) && (current.number, current.minor) != label {
            (current.number, current.minor) = label;
            let current = current.id;
            self.changed(|c| c.versions.push((id, current)));
        }
        let NodeKind::File(file) = &self.items[&id].kind else {
            unreachable!("checked a file")
        };
        let current = Version::clone(file.current());
        let sharing = self.sharing_mut();
        sharing.set_checkout(id, None);
        sharing.set_checkin(current.id.0, check_in.comment.unwrap_or_default());
        self.bump(id);
        Ok(current)
    }

    /// Ends the caller's check-out and drops the versions written while the file was out.
    pub fn discard_checkout(&mut self, space: &Space, id: ItemId) -> Result<(), StoreError> {
        let checkout = self.own_checkout(space, id)?;
        let NodeKind::File(file) = &self.items[&id].kind else {
            unreachable!("checked a file")
        };
        let count = file.versions.len();
        if count > checkout.versions_then {
            self.drop_versions(id, checkout.versions_then..count);
        }
        self.sharing_mut().set_checkout(id, None);
        self.bump(id);
        Ok(())
    }

    /// Removes a run of versions from a file's history (never all of them).
    fn drop_versions(&mut self, id: ItemId, range: std::ops::Range<usize>) {
        let before = self.bytes_of(id);
        let NodeKind::File(file) = &mut self.items.get_mut(&id).expect("checked").kind else {
            unreachable!("checked a file")
        };
        let removed: Vec<_> = file.versions.drain(range).collect();
        for (position, version) in file.versions.iter().enumerate() {
            self.version_index.insert(version.id, (id, position));
        }
        for version in &removed {
            self.version_index.remove(&version.id);
            self.release(&version.content);
        }
        self.resized(id, before);
        let ids: Vec<_> = removed.iter().map(|v| v.id).collect();
        self.changed(|c| c.removed_versions.extend(ids));
        drop(removed);
        self.drop_unused_blobs();
    }

    /// A change to the item that is not a new version (a check-out or check-in): its eTag moves.
    pub(super) fn bump(&mut self, id: ItemId) {
        if let Some(node) = self.items.get_mut(&id) {
            node.revision += 1;
        }
        self.changed(|c| c.items.push(id));
    }

    /// The comment of the check-in that published a version (empty without one), if one did.
    pub fn checkin_comment(&self, version: u64) -> Option<&str> {
        self.sharing.checkin(version)
    }
}
